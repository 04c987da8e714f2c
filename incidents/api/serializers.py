"""Rows of the ``sources``, ``raids``, ``detentions`` and ``incidents`` collections.

As in ``organisations.api.serializers``: serializers document a row; the ``*_rows``
functions build rows from ``.values()`` dicts with one query per nested relation and gate
every nested record with ``visible_to``.
"""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.custody import days_between
from incidents.models import (
    Charge,
    CustodyFact,
    CustodyStay,
    Detention,
    Hearing,
    PlaceOfCustody,
    Raid,
    SeizedItem,
    Sentence,
    Source,
    SourceLink,
)
from organisations.api.serializers import (
    RECORD_FIELDS,
    RecordSerializer,
    organisation_refs,
    person_refs,
)
from organisations.models import Organisation, Person
from tracker.api.rows import RefSerializer, detail_url, group_by
from tracker.dates import DatePrecision
from tracker.places import Region

PLACE_FIELDS = ("date", "date_precision", "settlement", "region", "latitude", "longitude")
COARSE_HELP = _("Two decimals for a raid on a home and a detention made in it.")


class IncidentFieldsSerializer(RecordSerializer):
    id = serializers.IntegerField()
    date = serializers.DateField(help_text=_("First day of the period when not exact."))
    date_precision = serializers.ChoiceField(
        DatePrecision.choices, help_text=_("`month`: the whole month of `date`, and so on.")
    )
    settlement = serializers.CharField()
    region = serializers.ChoiceField(Region.choices, help_text="ISO 3166-2:BY")
    latitude = serializers.FloatField(allow_null=True, help_text=COARSE_HELP)
    longitude = serializers.FloatField(allow_null=True, help_text=COARSE_HELP)


# Five decimals of a home's coordinates point at the family's door: outside staff, a raid on
# a home, and a detention made in it, show two (about a kilometre, the settlement).
HOME_DECIMALS = 2


def coordinates(viewer, premises: str | None, latitude: Any, longitude: Any) -> dict[str, Any]:
    """``latitude`` and ``longitude`` as ``viewer`` may see them at a place of ``premises``."""
    if premises == Raid.Premises.HOME and not viewer.sees_everything:
        latitude, longitude = (
            None if value is None else round(value, HOME_DECIMALS)
            for value in (latitude, longitude)
        )
    return {"latitude": latitude, "longitude": longitude}


class SourceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    quote = serializers.CharField(help_text=_("The words of the source that support the record."))


def source_refs(viewer, field: str, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Visible sources linked to the records ``ids`` through ``SourceLink.<field>``."""
    links = (
        SourceLink.objects.filter(**{f"{field}_id__any_of": ids})
        .filter(source__in=Source.objects.visible_to(viewer))
        .order_by("id")
        .values_list(field, "source_id", "source__title", "quote")
    )
    return group_by(
        (
            {field: parent, "id": pk, "title": title, "quote": quote}
            for parent, pk, title, quote in links
        ),
        field,
    )


# Sources --------------------------------------------------------------------------------


class LinkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["raid", "detention", "person", "organisation"])
    id = serializers.IntegerField()
    quote = serializers.CharField()


class SourceSerializer(RecordSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(Source.Kind.choices)
    title = serializers.CharField()
    publisher = serializers.CharField()
    source_url = serializers.CharField(help_text=_("Where the source was published."))
    published_on = serializers.DateField(allow_null=True)
    reliability = serializers.ChoiceField(Source.Reliability.choices)
    sha256 = serializers.CharField(help_text=_("SHA-256 of the archived copy, if any."))
    links = LinkSerializer(many=True, help_text=_("The records this source supports."))


SOURCE_FIELDS = (
    "id", "kind", "title", "publisher", "url", "published_on", "reliability", "sha256",
    *RECORD_FIELDS,
)  # fmt: skip
LINK_TARGETS = {
    "raid": Raid,
    "detention": Detention,
    "person": Person,
    "organisation": Organisation,
}


def visible_links(viewer, source_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The links of these sources whose target ``viewer`` may see, by source id.

    The page's links first, then, per kind of target, which of their targets are visible, by
    primary key: a few index lookups whatever the size of the tables.
    """
    links = list(
        SourceLink.objects.filter(source_id__any_of=source_ids)
        .order_by("id")
        .values("source_id", "quote", *(f"{t}_id" for t in LINK_TARGETS))
    )
    visible = {  # one query per kind of target, whatever the page holds
        target: set(
            model.objects.visible_to(viewer)
            .filter(pk__any_of={link[f"{target}_id"] for link in links} - {None})
            .values_list("pk", flat=True)
        )
        for target, model in LINK_TARGETS.items()
    }
    shown = [link for link in links if any(link[f"{t}_id"] in visible[t] for t in LINK_TARGETS)]
    return group_by(shown, "source_id")


def source_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    links = visible_links(viewer, [row["id"] for row in base])
    url = detail_url("sources")
    return [
        {
            **{k: row[k] for k in ("id", "kind", "title", "publisher")},
            "source_url": row["url"],
            **{k: row[k] for k in ("published_on", "reliability", "sha256")},
            "links": [
                {"kind": t, "id": link[f"{t}_id"], "quote": link["quote"]}
                for link in links.get(row["id"], [])
                for t in LINK_TARGETS
                if link[f"{t}_id"]
            ],
            **{k: row[k] for k in RECORD_FIELDS},
            "url": url(row["id"]),
        }
        for row in base
    ]


# Raids ----------------------------------------------------------------------------------


class SeizedItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(SeizedItem.Kind.choices)
    count = serializers.IntegerField(allow_null=True, help_text=_("Empty when unknown."))
    description = serializers.CharField()


class RaidSerializer(IncidentFieldsSerializer):
    premises_type = serializers.ChoiceField(Raid.Premises.choices)
    target_organisations = RefSerializer(many=True)
    target_people = RefSerializer(many=True)
    perpetrators = RefSerializer(many=True, help_text=_("State agencies that carried it out."))
    seized_items = SeizedItemSerializer(many=True)
    case_reference = serializers.CharField()
    narrative = serializers.CharField()
    sources = SourceRefSerializer(many=True)


RAID_FIELDS = (
    "id", *PLACE_FIELDS, "premises_type", "case_reference", "narrative", *RECORD_FIELDS,
)  # fmt: skip


def raid_links(field: str, ids: list[int]) -> list[tuple[int, int]]:
    """``(raid id, target id)`` pairs of a many-to-many field of raids, in entry order."""
    target = getattr(Raid, field).field.m2m_reverse_field_name()
    through = getattr(Raid, field).through.objects.filter(raid_id__any_of=ids)
    return list(through.order_by("id").values_list("raid_id", f"{target}_id"))


def nest(pairs: list[tuple[int, int]], refs: dict[int, dict]) -> dict[int, list[dict]]:
    """The visible ``refs`` of each raid; pairs naming a hidden record are dropped."""
    grouped: dict[int, list[dict]] = {}
    for raid, target in pairs:
        if (ref := refs.get(target)) is not None:
            grouped.setdefault(raid, []).append(ref)
    return grouped


def raid_people(viewer, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    # Two index lookups (links, then people by id) beat one join, which PostgreSQL plans as
    # a scan of every person.
    pairs = raid_links("target_people", ids)
    return nest(pairs, person_refs(viewer, {person for _, person in pairs}))


def raid_organisations(viewer, ids: list[int]) -> tuple[dict, dict]:
    """Targeted organisations and perpetrators of each raid."""
    targets = raid_links("target_organisations", ids)
    perpetrators = raid_links("perpetrators", ids)
    refs = organisation_refs(viewer, {org for _, org in targets + perpetrators})
    return nest(targets, refs), nest(perpetrators, refs)


def raid_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in base]
    targets, perpetrators = raid_organisations(viewer, ids)
    people = raid_people(viewer, ids)
    items = group_by(
        SeizedItem.objects.filter(raid_id__any_of=ids)
        .order_by("id")
        .values("raid_id", "kind", "count", "description"),
        "raid_id",
    )
    sources = source_refs(viewer, "raid", ids)
    url = detail_url("raids")
    return [
        {
            **{k: row[k] for k in ("id", *PLACE_FIELDS, "premises_type")},
            **coordinates(viewer, row["premises_type"], row["latitude"], row["longitude"]),
            "target_organisations": targets.get(row["id"], []),
            "target_people": people.get(row["id"], []),
            "perpetrators": perpetrators.get(row["id"], []),
            "seized_items": items.get(row["id"], []),
            "case_reference": row["case_reference"],
            "narrative": row["narrative"],
            "sources": sources.get(row["id"], []),
            **{k: row[k] for k in RECORD_FIELDS},
            "url": url(row["id"]),
        }
        for row in base
    ]


# Detentions -----------------------------------------------------------------------------


class ChargeSerializer(serializers.Serializer):
    code_article = serializers.CharField()
    text = serializers.CharField()


class SentenceSerializer(serializers.Serializer):
    court = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    kind = serializers.ChoiceField(Sentence.Kind.choices)
    term_months = serializers.IntegerField(allow_null=True)
    term_days = serializers.IntegerField(allow_null=True)


class PlaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(PlaceOfCustody.Kind.choices)
    region = serializers.ChoiceField(Region.choices, help_text="ISO 3166-2:BY")


PLACE_HELP = _("Null when the place is confidential (staff only) or not entered.")


class StaySerializer(serializers.Serializer):
    place_id = serializers.IntegerField(allow_null=True, help_text=PLACE_HELP)
    place_name = serializers.CharField(allow_null=True)
    place_kind = serializers.ChoiceField(PlaceOfCustody.Kind.choices, allow_null=True)
    since = serializers.DateField(help_text=_("First day of the period when not exact."))
    since_precision = serializers.ChoiceField(DatePrecision.choices)
    until = serializers.DateField(allow_null=True, help_text=_("Null while held there."))
    until_precision = serializers.ChoiceField(DatePrecision.choices)


class FactSerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(CustodyFact.Aspect.choices)
    state = serializers.ChoiceField(CustodyFact.State.choices)
    since = serializers.DateField()
    since_precision = serializers.ChoiceField(DatePrecision.choices)
    source = serializers.IntegerField(allow_null=True, help_text=_("Id of a source you may see."))
    note = serializers.CharField()


class HearingSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    court = serializers.CharField()
    kind = serializers.ChoiceField(Hearing.Kind.choices)
    outcome = serializers.CharField(help_text=_("Empty until the hearing is held."))


class DetentionSerializer(IncidentFieldsSerializer):
    person = RefSerializer(allow_null=True, help_text=_("The person detained."))
    authority = RefSerializer(allow_null=True, help_text=_("The detaining authority."))
    raid = serializers.IntegerField(allow_null=True, help_text=_("The raid it happened in."))
    whereabouts_known = serializers.BooleanField(
        help_text=_("False when the latest whereabouts fact says unknown or denied.")
    )
    legal_track = serializers.ChoiceField(Detention.LegalTrack.choices)
    custody_place = PlaceRefSerializer(
        allow_null=True, help_text=_("The place of the open stay. ") + PLACE_HELP
    )
    release_date = serializers.DateField(allow_null=True)
    outcome = serializers.ChoiceField(Detention.Outcome.choices)
    in_custody = serializers.BooleanField(help_text=_("Not released yet."))
    days_in_custody = serializers.IntegerField(
        allow_null=True,
        help_text=_("From the detention to the release or today; null when unknown."),
    )
    days_in_custody_precision = serializers.ChoiceField(
        DatePrecision.choices,
        allow_null=True,
        help_text=_("`month` or `year`: at least that many days; `approximate`: about."),
    )
    stays = StaySerializer(many=True, help_text=_("Places of custody over time."))
    facts = FactSerializer(
        many=True, help_text=_("Whereabouts, lawyer, family contact, incommunicado, by date.")
    )
    hearings = HearingSerializer(many=True)
    recognised_political_prisoner = serializers.BooleanField()
    recognised_by = serializers.CharField()
    recognised_on = serializers.DateField(allow_null=True)
    charges = ChargeSerializer(many=True)
    sentence = SentenceSerializer(allow_null=True)
    sources = SourceRefSerializer(many=True)


RECOGNITION_FIELDS = ("recognised_political_prisoner", "recognised_by", "recognised_on")
DETENTION_FIELDS = (
    "id", *PLACE_FIELDS, "person_id", "authority_id", "raid_id", "legal_track",
    "release_date", "outcome", *RECOGNITION_FIELDS, *RECORD_FIELDS, "raid__premises_type",
)  # fmt: skip


def in_custody(row: dict[str, Any]) -> bool:
    """As ``Detention.objects.in_custody()``, for one row."""
    return row["release_date"] is None and row["outcome"] != Detention.Outcome.RELEASED


def place_refs(viewer, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Places among ``ids`` that ``viewer`` may see named (confidential ones: staff only)."""
    places = PlaceOfCustody.objects.filter(pk__any_of=ids)
    if not viewer.sees_everything:
        places = places.filter(is_confidential=False)
    return {row["id"]: row for row in places.values("id", "name", "kind", "region")}


def custody_rows(viewer, ids: list[int]) -> tuple[dict, dict, dict]:
    """Stays (with their places), facts and hearings of the detentions ``ids``: 4 queries."""
    stays = list(
        CustodyStay.objects.filter(detention_id__any_of=ids)
        .order_by("since", "id")
        .values("detention_id", "place_id", "since", "since_precision", "until",
                "until_precision")
    )  # fmt: skip
    places = place_refs(viewer, {stay["place_id"] for stay in stays})
    for stay in stays:
        place = places.get(stay.pop("place_id"), {})
        stay.update({f"place_{key}": place.get(key) for key in ("id", "name", "kind")})
        stay["place"] = place or None
    facts = list(
        CustodyFact.objects.filter(detention_id__any_of=ids)
        .order_by("since", "id")
        .values("detention_id", "aspect", "state", "since", "since_precision", "source_id",
                "note")
    )  # fmt: skip
    sources = set(
        Source.objects.visible_to(viewer)
        .filter(pk__any_of={f["source_id"] for f in facts} - {None})
        .values_list("pk", flat=True)
    ) if any(f["source_id"] for f in facts) else set()  # fmt: skip
    for fact in facts:
        source = fact.pop("source_id")
        fact["source"] = source if source in sources else None
    hearings = (
        Hearing.objects.filter(detention_id__any_of=ids)
        .order_by("starts_at", "id")
        .values("detention_id", "starts_at", "court", "kind", "outcome")
    )
    return (
        group_by(stays, "detention_id"),
        group_by(facts, "detention_id"),
        group_by(hearings, "detention_id"),
    )


def current_place(stays: list[dict[str, Any]], held: bool) -> dict[str, Any] | None:
    """The place of the open stay; each stay's place leaves the row with this."""
    places = [stay.pop("place") for stay in stays]
    open_stays = [place for stay, place in zip(stays, places, strict=True) if stay["until"] is None]
    return open_stays[-1] if held and open_stays else None


def whereabouts_known(facts: list[dict[str, Any]]) -> bool:
    """As the latest whereabouts fact says; with none, known (the record says nothing else)."""
    states = [f["state"] for f in facts if f["aspect"] == CustodyFact.Aspect.WHEREABOUTS]
    return not states or states[-1] not in CustodyFact.WHEREABOUTS_MISSING


def custody_days(row: dict[str, Any], today) -> tuple[int | None, str | None]:
    if row["release_date"] is None and not in_custody(row):
        return None, None
    days = days_between(row["date"], row["date_precision"], row["release_date"], today)
    return (days.days, days.precision) if days else (None, None)


def detention_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in base]
    stays, facts, hearings = custody_rows(viewer, ids)
    today = timezone.localdate()
    people = person_refs(viewer, {row["person_id"] for row in base})
    authorities = organisation_refs(viewer, {row["authority_id"] for row in base} - {None})
    raids = set(
        Raid.objects.visible_to(viewer)
        .filter(pk__any_of={row["raid_id"] for row in base} - {None})
        .values_list("pk", flat=True)
    )
    charges = group_by(
        Charge.objects.filter(detention_id__any_of=ids)
        .order_by("id")
        .values("detention_id", "code_article", "text"),
        "detention_id",
    )
    sentences = {
        s.pop("detention_id"): s
        for s in Sentence.objects.filter(detention_id__any_of=ids).values(
            "detention_id", "court", "date", "kind", "term_months", "term_days"
        )
    }
    sources = source_refs(viewer, "detention", ids)
    url = detail_url("detentions")
    return [
        {
            **{k: row[k] for k in ("id", *PLACE_FIELDS)},
            **coordinates(viewer, row["raid__premises_type"], row["latitude"], row["longitude"]),
            "person": people.get(row["person_id"]),
            "authority": authorities.get(row["authority_id"]),
            "raid": row["raid_id"] if row["raid_id"] in raids else None,
            "whereabouts_known": whereabouts_known(facts.get(row["id"], [])),
            "legal_track": row["legal_track"],
            "custody_place": current_place(stays.get(row["id"], []), in_custody(row)),
            "release_date": row["release_date"],
            "outcome": row["outcome"],
            "in_custody": in_custody(row),
            **dict(
                zip(
                    ("days_in_custody", "days_in_custody_precision"),
                    custody_days(row, today),
                    strict=True,
                )
            ),
            "stays": stays.get(row["id"], []),
            "facts": facts.get(row["id"], []),
            "hearings": hearings.get(row["id"], []),
            **{k: row[k] for k in RECOGNITION_FIELDS},
            "charges": charges.get(row["id"], []),
            "sentence": sentences.get(row["id"]),
            "sources": sources.get(row["id"], []),
            **{k: row[k] for k in RECORD_FIELDS},
            "url": url(row["id"]),
        }
        for row in base
    ]


# Political prisoners --------------------------------------------------------------------


class PoliticalPrisonerSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Id of the detention."))
    name = serializers.CharField(
        allow_null=True, help_text=_("The pseudonym when the person may not be named publicly.")
    )
    date_detained = serializers.DateField(help_text=_("First day of the period when not exact."))
    date_precision = serializers.ChoiceField(DatePrecision.choices)
    articles = serializers.ListField(child=serializers.CharField())
    sentence = serializers.CharField(allow_null=True, help_text=_('For example "14 years".'))
    sentence_kind = serializers.ChoiceField(Sentence.Kind.choices, allow_null=True)
    current_place = serializers.CharField(allow_null=True, help_text=PLACE_HELP)
    in_custody = serializers.BooleanField()
    recognised_by = serializers.CharField()
    recognised_on = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text=_("Path of the detention."))


PRISONER_FIELDS = (
    "id", "person_id", "date", "date_precision", "release_date", "outcome", "recognised_by",
    "recognised_on",
)  # fmt: skip


def political_prisoner_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in base]
    people = person_refs(viewer, {row["person_id"] for row in base})
    articles = group_by(
        Charge.objects.filter(detention_id__any_of=ids)
        .order_by("id")
        .values("detention_id", "code_article"),
        "detention_id",
    )
    sentences = {
        s["detention_id"]: s
        for s in Sentence.objects.filter(detention_id__any_of=ids).values(
            "detention_id", "kind", "term_months", "term_days"
        )
    }
    open_stays = (
        CustodyStay.objects.filter(detention_id__any_of=ids, until=None)
        .order_by("since", "id")
        .values_list("detention_id", "place_id")
    )
    current = dict(open_stays)
    places = place_refs(viewer, set(current.values()))
    url = detail_url("detentions")
    rows = []
    for row in base:
        sentence = sentences.get(row["id"])
        held = in_custody(row)
        place = places.get(current.get(row["id"])) if held else None
        rows.append(
            {
                "id": row["id"],
                "name": (people.get(row["person_id"]) or {}).get("name"),
                "date_detained": row["date"],
                "date_precision": row["date_precision"],
                "articles": [a["code_article"] for a in articles.get(row["id"], [])],
                "sentence": Sentence(**sentence).term_display if sentence else None,
                "sentence_kind": sentence["kind"] if sentence else None,
                "current_place": place["name"] if place else None,
                "in_custody": held,
                "recognised_by": row["recognised_by"],
                "recognised_on": row["recognised_on"],
                "url": url(row["id"]),
            }
        )
    return rows


# Incidents ------------------------------------------------------------------------------


class InvolvedOrganisationSerializer(RefSerializer):
    role = serializers.ChoiceField(
        ["target", "perpetrator"],
        help_text=_("`target` of a raid, or `perpetrator`: the agency that raided or detained."),
    )


class IncidentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["raid", "detention"])
    id = serializers.IntegerField(help_text=_("Id of the raid or detention."))
    date = serializers.DateField(help_text=_("First day of the period when not exact."))
    date_precision = serializers.ChoiceField(DatePrecision.choices)
    settlement = serializers.CharField()
    region = serializers.ChoiceField(Region.choices, help_text="ISO 3166-2:BY")
    latitude = serializers.FloatField(allow_null=True, help_text=COARSE_HELP)
    longitude = serializers.FloatField(allow_null=True, help_text=COARSE_HELP)
    people = RefSerializer(many=True, help_text=_("People targeted or detained."))
    organisations = InvolvedOrganisationSerializer(many=True)
    source_count = serializers.IntegerField(help_text=_("Sources you may see."))
    updated_at = serializers.DateTimeField()
    url = serializers.CharField(help_text=_("Path of the raid or detention."))


# Coordinates come as floats (``lat``, ``lon``), cast in SQL: converting Decimals row by row
# was a tenth of the export's time.
INCIDENT_FIELDS = ("id", "date", "date_precision", "settlement", "region", "updated_at")


def source_count(viewer, field: str) -> Subquery:
    """The number of sources ``viewer`` may see linked to the outer raid or detention."""
    links = SourceLink.objects.filter(
        **{field: OuterRef("pk")}, source__in=Source.objects.visible_to(viewer)
    )
    counted = links.order_by().values(field).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def incident_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raid_ids = [row["id"] for row in base if row["kind"] == "raid"]
    targeted = raid_people(viewer, raid_ids)
    by_role = raid_organisations(viewer, raid_ids)
    involved = dict(zip(("target", "perpetrator"), by_role, strict=True))
    urls = {"raid": detail_url("raids"), "detention": detail_url("detentions")}
    rows = []
    for row in base:
        key = row["id"]
        if row["kind"] == "raid":
            people = targeted.get(key, [])
            organisations = [
                {**org, "role": role}
                for role, orgs in involved.items()
                for org in orgs.get(key, [])
            ]
        else:
            person, authority = row["involved_person"], row["involved_authority"]
            people = [{"id": person, "name": row["involved_person_name"]}] if person else []
            organisations = (
                [{"id": authority, "name": row["involved_authority_name"], "role": "perpetrator"}]
                if authority
                else []
            )
        rows.append(
            {
                "kind": row["kind"],
                "id": key,
                "date": row["date"],
                "date_precision": row["date_precision"],
                "settlement": row["settlement"],
                "region": row["region"],
                **coordinates(viewer, row["premises"], row["lat"], row["lon"]),
                "people": people,
                "organisations": organisations,
                "source_count": row["source_count"],
                "updated_at": row["updated_at"],
                "url": urls[row["kind"]](key),
            }
        )
    return rows
