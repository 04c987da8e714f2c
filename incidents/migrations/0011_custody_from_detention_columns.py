"""Move each detention's place of custody into a first stay, its whereabouts into a fact.

Places are created from the distinct texts (kind and region unknown, for staff to fill in);
the stay runs from the detention's date (with its precision) to the release, if any. A
detention marked "whereabouts not known" gets a fact "unknown" since its date; one without
whereabouts facts reads as known, as the column's default did. Every new row gets a history
row. The reverse writes the latest stay's place and the latest whereabouts back.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 2000
REASON = "moved from the detention's place of custody and whereabouts columns"
MISSING = ("unknown", "denied")


def with_history(apps, model_name: str, rows: list) -> None:
    model = apps.get_model("incidents", model_name)
    historical = apps.get_model("incidents", f"Historical{model_name}")
    created = model.objects.bulk_create(rows)
    now = timezone.now()
    fields = [f.attname for f in model._meta.concrete_fields]
    historical.objects.bulk_create(
        historical(
            **{f: getattr(row, f) for f in fields},
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )
        for row in created
    )


def forward(apps, schema_editor):
    Detention = apps.get_model("incidents", "Detention")
    Place = apps.get_model("incidents", "PlaceOfCustody")
    Stay = apps.get_model("incidents", "CustodyStay")
    Fact = apps.get_model("incidents", "CustodyFact")
    texts = {
        text.strip()
        for text in Detention.objects.exclude(custody_place="").values_list(
            "custody_place", flat=True
        )
    } - {""}
    with_history(apps, "PlaceOfCustody", [Place(name=name) for name in sorted(texts)])
    places = dict(Place.objects.values_list("name", "pk"))
    stays, facts = [], []
    columns = ("pk", "date", "date_precision", "release_date", "custody_place", "whereabouts_known")
    for pk, date, precision, release, text, known in (
        Detention.objects.order_by("pk").values_list(*columns).iterator(chunk_size=BATCH)
    ):
        if text.strip():
            stays.append(
                Stay(
                    detention_id=pk,
                    place_id=places[text.strip()],
                    since=date,
                    since_precision=precision,
                    until=release,
                )
            )
        if not known:
            facts.append(
                Fact(
                    detention_id=pk,
                    aspect="whereabouts",
                    state="unknown",
                    since=date,
                    since_precision=precision,
                )
            )
        for rows, name in ((stays, "CustodyStay"), (facts, "CustodyFact")):
            if len(rows) >= BATCH:
                with_history(apps, name, rows)
                rows.clear()
    with_history(apps, "CustodyStay", stays)
    with_history(apps, "CustodyFact", facts)


def backward(apps, schema_editor):
    Detention = apps.get_model("incidents", "Detention")
    Stay = apps.get_model("incidents", "CustodyStay")
    Fact = apps.get_model("incidents", "CustodyFact")
    latest_place = {}
    for detention_id, name in Stay.objects.order_by("since", "id").values_list(
        "detention_id", "place__name"
    ):
        latest_place[detention_id] = name
    latest_state = {}
    for detention_id, state in Fact.objects.filter(aspect="whereabouts").order_by(
        "since", "id"
    ).values_list("detention_id", "state"):
        latest_state[detention_id] = state
    for detention_id, name in latest_place.items():
        Detention.objects.filter(pk=detention_id).update(custody_place=name[:300])
    missing = [pk for pk, state in latest_state.items() if state in MISSING]
    Detention.objects.filter(pk__in=missing).update(whereabouts_known=False)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0010_custody_stays_facts_hearings_alerts")]

    operations = [migrations.RunPython(forward, backward)]
