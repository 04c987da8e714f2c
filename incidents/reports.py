"""The nightly report: what changed in one day, who is in custody, what waits for review.

Every figure is computed in SQL: aggregates for the review queue and the trends, and, for
the sections that list their rows anyway (the day's changes and events, people in
custody), a count of the rows SQL selected. Python never walks the whole table.

The report names people in custody, confidential records included, so it is for staff
only (see ``incidents.views``); confidential notes and contact details never enter it.

Making a report is idempotent per day and safe when two workers race: the row for the day
is created first (``day`` is unique), then locked with ``SELECT ... FOR UPDATE`` while the
files are written, and ``made_at`` is set in the same transaction. A worker killed before
that commit leaves a row without ``made_at``; the next run completes it.
"""

import csv
import datetime
import io
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Model, Q
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from organisations.models import Organisation, Person, public_name
from tracker.dates import DatePrecision, describe, period
from tracker.places import Region
from tracker.review import Status
from tracker.spreadsheets import safe_cell

from . import charts
from .models import (
    Charge,
    CustodyFact,
    CustodyStay,
    Detention,
    Hearing,
    NightlyReport,
    Raid,
    Sentence,
    Source,
    still_held_q,
)

logger = logging.getLogger(__name__)

TREND_MONTHS = 12
# Thresholds of the review queue, in days since the record last changed.
REVIEW_AGES = (("day", 1), ("week", 7), ("month", 30))
REVIEWED_MODELS: dict[str, type[Model]] = {
    "raids": Raid,
    "detentions": Detention,
    "people": Person,
    "organisations": Organisation,
    "sources": Source,
}
INCIDENT_MODELS: dict[str, type[Model]] = {"raids": Raid, "detentions": Detention}


@dataclass
class ReportContent:
    """Figures (stored as JSON) and the tables the HTML page and the CSV list."""

    day: datetime.date
    figures: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def day_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of ``day`` in the configured time zone."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, zone)
    return start, end


def custody_q(day: datetime.date) -> Q:
    """Detentions in custody at the end of ``day`` (rejected records are no facts)."""
    held = still_held_q() | Q(release_date__gt=day)
    return ~Q(status=Status.REJECTED) & Q(date__lte=day) & held


def first_month(day: datetime.date) -> datetime.date:
    month = day.year * 12 + day.month - 1 - (TREND_MONTHS - 1)
    return datetime.date(month // 12, month % 12 + 1, 1)


def _name_columns(row: dict[str, Any]) -> dict[str, Any]:
    """The staff name and the public name of the person in ``row`` (from ``.values()``)."""
    row["name"] = row.pop("person__name")
    row["public_name"] = public_name(
        name=row["name"],
        pseudonym=row.pop("person__pseudonym"),
        may_be_named=row.pop("person__may_be_named"),
    )
    return row


PERSON_COLUMNS = ("person__name", "person__may_be_named", "person__pseudonym")


def _raid_names(rows: list[dict[str, Any]]) -> None:
    """Name each raid row by its targets and premises, in staff and public names.

    Two queries for any number of raids: "Viasna Human Rights Centre office".
    """
    ids = [row["id"] for row in rows]
    targets: dict[int, list[tuple[str, str]]] = defaultdict(list)
    organisations = Raid.target_organisations.through.objects.filter(raid_id__in=ids)
    for raid_id, name in organisations.order_by("organisation__name").values_list(
        "raid_id", "organisation__name"
    ):
        targets[raid_id].append((name, name))
    people = Raid.target_people.through.objects.filter(raid_id__in=ids).order_by("person__name")
    for raid_id, *person in people.values_list("raid_id", *PERSON_COLUMNS):
        name, may_be_named, pseudonym = person
        public = public_name(name=name, pseudonym=pseudonym, may_be_named=may_be_named)
        targets[raid_id].append((name, public))
    premises = dict(Raid.Premises.choices)
    for row in rows:
        kind = premises[row.pop("premises_type")]
        named = targets[row["id"]]
        for key, index in (("name", 0), ("public_name", 1)):
            if named:
                who = ", ".join(t[index] for t in named)
                row[key] = str(_("%(targets)s %(premises)s") % {"targets": who, "premises": kind})
            else:
                row[key] = str(capfirst(_("%(premises)s raid") % {"premises": kind}))


def _incident_rows(model: type[Model], condition: Q) -> list[dict[str, Any]]:
    """Raids or detentions as report rows: when, where, who (named for staff and public)."""
    columns = ["id", "date", "date_precision", "settlement", "region", "status"]
    columns += ["visibility", "created_at"]
    columns += PERSON_COLUMNS if model is Detention else ["premises_type"]
    rows = list(model.objects.filter(condition).order_by("date", "id").values(*columns))
    for row in rows:
        row["when"] = describe(row["date"], row["date_precision"])
        if model is Detention:
            _name_columns(row)
    if model is Raid:
        _raid_names(rows)
    return rows


def _changes(start: datetime.datetime, end: datetime.datetime) -> tuple[dict, list]:
    """Raids and detentions entered or changed in the window (counted from the listed rows)."""
    figures, rows = {}, []
    for key, model in INCIDENT_MODELS.items():
        created = Q(created_at__gte=start, created_at__lt=end)
        updated = Q(updated_at__gte=start, updated_at__lt=end, created_at__lt=start)
        figures[key] = {"new": 0, "updated": 0}
        for row in _incident_rows(model, created | updated):
            row["kind"] = key
            row["change"] = "new" if row.pop("created_at") >= start else "updated"
            figures[key][row["change"]] += 1
            rows.append(row)
    return figures, rows


def _on_the_day(day: datetime.date, end: datetime.datetime) -> tuple[dict, list]:
    """Raids and detentions that happened on the day, whenever they were entered.

    Incidents are often entered days or years later: a report made for a past day lists
    them, marked "entered later" (rejected records are no facts).
    """
    figures: dict[str, int] = {"entered_later": 0}
    rows = []
    happened = ~Q(status=Status.REJECTED) & Q(date=day, date_precision=DatePrecision.DAY)
    for key, model in INCIDENT_MODELS.items():
        found = _incident_rows(model, happened)
        figures[key] = len(found)
        for row in found:
            row["kind"] = key
            row["change"] = "later" if row.pop("created_at") >= end else "same_day"
            figures["entered_later"] += row["change"] == "later"
            rows.append(row)
    return figures, rows


def _custody(day: datetime.date) -> tuple[dict, list]:
    """Everyone in custody, urgent first, then whereabouts unknown, then longest held.

    Whereabouts and place are those known at the end of ``day``. Urgent: the whereabouts
    have been unknown (or denied by the authorities) for more than 24 hours, counted from
    the latest day the fact's date allows.
    """
    held = Detention.objects.filter(custody_q(day))
    charges = defaultdict(list)
    for detention_id, article, text in Charge.objects.filter(detention__in=held).values_list(
        "detention_id", "code_article", "text"
    ):
        charges[detention_id].append(f"{article} {text}".strip())
    rows = []
    columns = ("id", "date", "date_precision", "region", "settlement", *PERSON_COLUMNS)
    for row in held.values(*columns):
        rows.append(_name_columns(row))
    ids = [row["id"] for row in rows]
    whereabouts, places = _whereabouts_on(day, ids), _places_on(day, ids)
    for row in rows:
        # Counted from the latest day the date allows: a guessed day makes nobody urgent.
        latest = period(row["date"], row["date_precision"])[1]
        row["when"] = describe(row["date"], row["date_precision"])
        state, since, precision = whereabouts.get(row["id"], (None, None, None))
        row["whereabouts_known"] = state not in CustodyFact.WHEREABOUTS_MISSING
        row["urgent"] = not row["whereabouts_known"] and period(since, precision)[1] < day
        row["custody_place"] = places.get(row["id"], "")
        row["days_in_custody"] = days_held(row, (day - latest).days if latest <= day else None)
        row["charges"] = "; ".join(charges[row["id"]])
    rows.sort(key=lambda r: (not r["urgent"], r["whereabouts_known"], r["date"], r["id"]))
    figures = {
        "in_custody": len(rows),
        "whereabouts_unknown": sum(not r["whereabouts_known"] for r in rows),
        "urgent": sum(r["urgent"] for r in rows),
    }
    return figures, rows


def _whereabouts_on(day: datetime.date, ids: list[int]) -> dict[int, tuple]:
    """The latest whereabouts fact (state, since, precision) of each detention by ``day``."""
    facts = CustodyFact.objects.filter(
        detention_id__any_of=ids, aspect=CustodyFact.Aspect.WHEREABOUTS, since__lte=day
    ).order_by("since", "id")
    latest = {}
    for detention_id, *fact in facts.values_list("detention_id", "state", "since",
                                                 "since_precision"):  # fmt: skip
        latest[detention_id] = tuple(fact)
    return latest


def _places_on(day: datetime.date, ids: list[int]) -> dict[int, str]:
    """The place of each detention's stay at the end of ``day``."""
    stays = CustodyStay.objects.filter(
        Q(until=None) | Q(until__gt=day), detention_id__any_of=ids, since__lte=day
    ).order_by("since", "id")
    return dict(stays.values_list("detention_id", "place__name"))


HEARING_DAYS = 7


def _hearings(day: datetime.date) -> list[dict[str, Any]]:
    """Hearings in the ``HEARING_DAYS`` days after ``day`` (rejected records are no facts)."""
    start = day_window(day)[1]
    end = start + datetime.timedelta(days=HEARING_DAYS)
    found = (
        Hearing.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(detention__status=Status.REJECTED)
        .order_by("starts_at", "id")
        .values("starts_at", "court", "kind", "detention_id",
                *(f"detention__{column}" for column in PERSON_COLUMNS))
    )  # fmt: skip
    kinds = dict(Hearing.Kind.choices)
    rows = []
    for row in found:
        row = {key.removeprefix("detention__"): value for key, value in row.items()}
        row["id"] = row.pop("detention_id")
        row["at"] = timezone.localtime(row.pop("starts_at")).strftime("%Y-%m-%d %H:%M")
        row["kind"] = str(kinds[row["kind"]])
        rows.append(_name_columns(row))
    return rows


def days_held(row: dict[str, Any], days: int | None) -> int | str:
    """Days in custody as far as the date tells: 392, "at least 14 days", or why unknown."""
    if days is None:
        return _("detained %(when)s, day unknown") % {"when": row["when"]}
    if row["date_precision"] == DatePrecision.DAY:
        return days
    if row["date_precision"] == DatePrecision.APPROXIMATE:
        return ngettext("about %(n)d day", "about %(n)d days", days) % {"n": days}
    return ngettext("at least %(n)d day", "at least %(n)d days", days) % {"n": days}


def _events(day: datetime.date) -> tuple[dict, dict[str, list]]:
    """Recognitions, releases and sentences dated on the day, in one pass over detentions."""
    recognised = Q(recognised_political_prisoner=True, recognised_on=day)
    released = Q(release_date=day)
    sentenced = Q(sentence__date=day)
    found = (
        Detention.objects.exclude(status=Status.REJECTED)
        .filter(recognised | released | sentenced)
        .order_by("id")
        .values(
            "id",
            "date",
            "date_precision",
            "recognised_by",
            *PERSON_COLUMNS,
            is_recognised=ExpressionWrapper(recognised, output_field=BooleanField()),
            is_released=ExpressionWrapper(released, output_field=BooleanField()),
            sentence_date=F("sentence__date"),
            court=F("sentence__court"),
            kind=F("sentence__kind"),
            term_months=F("sentence__term_months"),
            term_days=F("sentence__term_days"),
        )
    )
    tables: dict[str, list] = {"recognised": [], "released": [], "sentenced": []}
    for row in found:
        row = _name_columns(row)
        row["when"] = describe(row["date"], row["date_precision"])
        if row["is_recognised"]:
            tables["recognised"].append(row)
        if row["is_released"]:
            tables["released"].append(row)
        if row["sentence_date"] == day:
            term = Sentence(term_months=row["term_months"], term_days=row["term_days"])
            tables["sentenced"].append(
                {**row, "term": term.term_display, "kind": Sentence.Kind(row["kind"]).label}
            )
    return {name: len(rows) for name, rows in tables.items()}, tables


def _review(end: datetime.datetime) -> dict[str, dict[str, int]]:
    figures = {}
    for key, model in REVIEWED_MODELS.items():
        buckets, newer = {}, Q()
        for name, days in REVIEW_AGES:
            since = Q(updated_at__gte=end - datetime.timedelta(days=days))
            buckets[name] = Count("pk", filter=since & ~newer)
            newer |= since
        buckets["older"] = Count("pk", filter=~newer)
        figures[key] = model.objects.filter(status=Status.IN_REVIEW).aggregate(**buckets)
    return figures


def _trends(day: datetime.date) -> tuple[list, list]:
    months = []
    month = first_month(day)
    while month <= day:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    by_month = {m: {"month": m.strftime("%Y-%m")} for m in months}
    by_region: dict[str, dict[str, Any]] = {}
    for key, model in INCIDENT_MODELS.items():
        period = model.objects.exclude(status=Status.REJECTED).filter(
            date__gte=months[0], date__lte=day
        )
        counts = dict(
            period.annotate(month=TruncMonth("date"))
            .values("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
            .order_by()
        )
        for m, row in by_month.items():
            row[key] = counts.get(m, 0)
        per_region = period.values("region").annotate(n=Count("pk")).order_by()
        for region, n in per_region.values_list("region", "n"):
            by_region.setdefault(region, {"region": region, "raids": 0, "detentions": 0})
            by_region[region][key] = n
    order = list(Region.values)
    regions = sorted(by_region.values(), key=lambda r: order.index(r["region"]))
    return list(by_month.values()), regions


def gather(*, day: datetime.date) -> ReportContent:
    """Compute every figure and table of the report for ``day`` (reads only)."""
    start, end = day_window(day)
    changes, change_rows = _changes(start, end)
    on_the_day, day_rows = _on_the_day(day, end)
    custody, custody_rows = _custody(day)
    events, event_tables = _events(day)
    hearings = _hearings(day)
    by_month, by_region = _trends(day)
    figures = {
        "day": day.isoformat(),
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "changes": changes,
        "on_the_day": on_the_day,
        "custody": custody,
        "hearings": len(hearings),
        "events": events,
        "review": _review(end),
        "by_month": by_month,
        "by_region": by_region,
    }
    tables = {
        "changes": change_rows,
        "on_the_day": day_rows,
        "custody": custody_rows,
        "hearings": hearings,
        **event_tables,
    }
    return ReportContent(day=day, figures=figures, tables=tables)


# Section names and column headers of the CSV: the same keys in English, words when
# translated (the context tells translators they are spreadsheet headers).
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "changes": ("kind", "change", "id", "when", "name", "settlement", "region", "status"),
    "on_the_day": ("kind", "change", "id", "when", "name", "settlement", "region", "status"),
    "custody": (
        "urgent",
        "id",
        "name",
        "when",
        "days_in_custody",
        "whereabouts_known",
        "custody_place",
        "charges",
    ),
    "hearings": ("at", "kind", "court", "id", "name"),
    "recognised": ("id", "name", "recognised_by"),
    "released": ("id", "name", "when"),
    "sentenced": ("id", "name", "court", "kind", "term"),
}
CSV_HEADERS = {
    "changes": pgettext_lazy("report CSV", "changes"),
    "on_the_day": pgettext_lazy("report CSV", "on_the_day"),
    "custody": pgettext_lazy("report CSV", "custody"),
    "hearings": pgettext_lazy("report CSV", "hearings"),
    "at": pgettext_lazy("report CSV", "at"),
    "recognised": pgettext_lazy("report CSV", "recognised"),
    "released": pgettext_lazy("report CSV", "released"),
    "sentenced": pgettext_lazy("report CSV", "sentenced"),
    "by_month": pgettext_lazy("report CSV", "by_month"),
    "by_region": pgettext_lazy("report CSV", "by_region"),
    "kind": pgettext_lazy("report CSV", "kind"),
    "change": pgettext_lazy("report CSV", "change"),
    "id": pgettext_lazy("report CSV", "id"),
    "when": pgettext_lazy("report CSV", "when"),
    "name": pgettext_lazy("report CSV", "name"),
    "settlement": pgettext_lazy("report CSV", "settlement"),
    "region": pgettext_lazy("report CSV", "region"),
    "status": pgettext_lazy("report CSV", "status"),
    "urgent": pgettext_lazy("report CSV", "urgent"),
    "days_in_custody": pgettext_lazy("report CSV", "days_in_custody"),
    "whereabouts_known": pgettext_lazy("report CSV", "whereabouts_known"),
    "custody_place": pgettext_lazy("report CSV", "custody_place"),
    "charges": pgettext_lazy("report CSV", "charges"),
    "recognised_by": pgettext_lazy("report CSV", "recognised_by"),
    "court": pgettext_lazy("report CSV", "court"),
    "term": pgettext_lazy("report CSV", "term"),
    "month": pgettext_lazy("report CSV", "month"),
    "raids": pgettext_lazy("report CSV", "raids"),
    "detentions": pgettext_lazy("report CSV", "detentions"),
}


def _headers(*keys: str) -> list[str]:
    return [str(CSV_HEADERS[key]) for key in keys]


def render_csv(content: ReportContent) -> str:
    """Every table of the report, one after the other, each under its name and header."""
    out = io.StringIO()
    writer = csv.writer(out)
    for name, columns in CSV_COLUMNS.items():
        writer.writerow(_headers(name))
        writer.writerow(_headers(*columns))
        for row in content.tables[name]:
            writer.writerow([safe_cell(row.get(c, "")) for c in columns])
        writer.writerow([])
    writer.writerow(_headers("by_month"))
    writer.writerow(_headers("month", *INCIDENT_MODELS))
    for row in content.figures["by_month"]:
        writer.writerow([row["month"], *(row[k] for k in INCIDENT_MODELS)])
    writer.writerow([])
    writer.writerow(_headers("by_region"))
    writer.writerow(_headers("region", *INCIDENT_MODELS))
    for row in content.figures["by_region"]:
        writer.writerow([safe_cell(row["region"]), *(row[k] for k in INCIDENT_MODELS)])
    return out.getvalue()


def _detained(row: dict[str, Any]) -> str:
    """When and where: "July 2021, Orsha"."""
    return ", ".join(filter(None, [row["when"], row["settlement"]]))


def custody_rows(rows: list[dict[str, Any]], name_key: str) -> str:
    """The custody table's rows, built in Python: it is the one long table of the page."""
    # Translations looked up once, not once a row.
    urgent = format_html('<span class="urgent-mark">{}</span>', _("URGENT"))
    missing, unknown = str(_("whereabouts unknown")), str(_("unknown"))
    return format_html_join(
        "\n",
        '<tr class="{}"><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (
                "urgent" if row["urgent"] else "",
                urgent if row["urgent"] else ("" if row["whereabouts_known"] else missing),
                row[name_key],
                _detained(row),
                row["days_in_custody"],
                (row["custody_place"] or "—") if row["whereabouts_known"] else unknown,
                row["charges"] or "—",
            )
            for row in rows
        ),
    )


def change_rows(rows: list[dict[str, Any]], name_key: str) -> str:
    """The rows of the changes table, each linking to its record in the admin."""
    regions = {code: str(label) for code, label in Region.choices}
    statuses = {code: str(label) for code, label in Status.choices}
    links = {
        "raids": ("admin:incidents_raid_change", str(_("raid"))),
        "detentions": ("admin:incidents_detention_change", str(_("detention"))),
    }
    changes = {
        "new": str(_("new")),
        "updated": str(_("updated")),
        "same_day": str(_("entered the same day")),
        "later": str(_("entered later")),
    }
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{} #{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (
                reverse(links[row["kind"]][0], args=[row["id"]]),
                links[row["kind"]][1],
                row["id"],
                changes[row["change"]],
                row["when"],
                row.get(name_key, ""),
                ", ".join(filter(None, [row["settlement"], regions[row["region"]]])),
                statuses[row["status"]],
            )
            for row in rows
        ),
    )


def render_html(content: ReportContent, svgs: dict[str, str], *, public_names: bool) -> str:
    """The report page; ``public_names`` puts pseudonyms in for mail leaving the admin."""
    regions = dict(Region.choices)
    name_key = "public_name" if public_names else "name"
    return render_to_string(
        "incidents/nightly_report.html",
        {
            "day": content.day,
            "LANGUAGE_CODE": translation.get_language(),
            "start": datetime.datetime.fromisoformat(content.figures["window"]["start"]),
            "end": datetime.datetime.fromisoformat(content.figures["window"]["end"]),
            "zone": settings.TIME_ZONE,
            "figures": content.figures,
            "tables": content.tables,
            "custody_rows": custody_rows(content.tables["custody"], name_key),
            "change_rows": change_rows(content.tables["changes"], name_key),
            "day_rows": change_rows(content.tables.get("on_the_day", []), name_key),
            "name_key": name_key,
            "regions": regions,
            "review_labels": {k: m._meta.verbose_name_plural for k, m in REVIEWED_MODELS.items()},
            "charts": {k: mark_safe(v) for k, v in svgs.items()},  # noqa: S308 (our own SVG)
        },
    )


def make_report(*, day: datetime.date) -> NightlyReport:
    """Make the report for ``day`` once; later calls return the same report unchanged.

    Only a day that is over can be reported on: a report of a day still running would be
    kept half-empty for good.
    """
    if day >= timezone.localdate():
        raise ValueError(f"{day} is not over yet: only past days can be reported on.")
    with translation.override(settings.REPORT_LANGUAGE):
        return _make_report(day)


def _make_report(day: datetime.date) -> NightlyReport:
    report, _created = NightlyReport.objects.get_or_create(day=day)
    if report.is_complete:
        return report
    with transaction.atomic():
        report = NightlyReport.objects.select_for_update().get(pk=report.pk)
        if report.is_complete:
            return report
        content = gather(day=day)
        svgs = {
            "chart_by_month": charts.by_month(content.figures["by_month"]),
            "chart_by_region": charts.by_region(content.figures["by_region"]),
        }
        files = {
            "html": ("report.html", render_html(content, svgs, public_names=False)),
            "csv": ("report.csv", render_csv(content)),
            "chart_by_month": ("by-month.svg", svgs["chart_by_month"]),
            "chart_by_region": ("by-region.svg", svgs["chart_by_region"]),
        }
        for name, (filename, text) in files.items():
            _write(report, name, filename, text)
        report.figures = content.figures
        report.made_at = timezone.now()
        report.save()
        if settings.REPORT_EMAILS:
            html = render_html(content, svgs, public_names=True)
            transaction.on_commit(lambda: send_report(report, html))
    return report


REPORT_FILES = ("html", "csv", "chart_by_month", "chart_by_region")


def discard_reports(*, made_since: datetime.datetime) -> set[tuple[Storage, str]]:
    """Delete the reports made since then; return their files, to delete after commit.

    A purged record may be named in any report made while it existed. Reports are derived,
    so the next scheduled run remakes the recent days (``REPORT_CATCH_UP_DAYS``) without it.
    """
    doomed = NightlyReport.objects.filter(Q(made_at__gte=made_since) | Q(made_at=None))
    files = {
        (getattr(report, name).storage, getattr(report, name).name)
        for report in doomed
        for name in REPORT_FILES
        if getattr(report, name)
    }
    doomed.delete()
    return files


def discard_reports_naming(sender, record, **kwargs) -> set[tuple[Storage, str]]:
    """Receiver of ``tracker.workflow.purging``: the reports made while the record existed."""
    return discard_reports(made_since=record.created_at)


def _write(report: NightlyReport, name: str, filename: str, text: str) -> None:
    """Write one file under its fixed name, replacing what an interrupted run left there."""
    file = getattr(report, name)
    path = file.field.generate_filename(report, filename)
    file.storage.delete(path)
    file.save(filename, ContentFile(text.encode()), save=False)


def send_report(report: NightlyReport, html: str) -> None:
    """Mail the page (pseudonyms for people who may not be named) to ``REPORT_EMAILS``."""
    with translation.override(settings.REPORT_LANGUAGE):
        subject = str(_("Nightly report for %(day)s") % {"day": report.day.isoformat()})
        text = str(_("The nightly report is in the HTML part of this message, and in the admin."))
    message = EmailMultiAlternatives(subject, text, to=settings.REPORT_EMAILS)
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:
        logger.exception("Could not mail the report for %s", report.day)


def due_days(*, today: datetime.date) -> list[datetime.date]:
    """Days the scheduled job should report on: yesterday and missed or unfinished days."""
    days = [today - datetime.timedelta(days=n) for n in range(settings.REPORT_CATCH_UP_DAYS, 0, -1)]
    done = set(
        NightlyReport.objects.filter(day__in=days, made_at__isnull=False).values_list(
            "day", flat=True
        )
    )
    return [d for d in days if d not in done]
