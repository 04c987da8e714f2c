"""Custody as it happens: where a person is held, since when, and what comes next.

Functions the admin, the dashboard, the report and the API share: days in custody over
partial dates, the stays closed by a transfer or the release, coming hearings, and the
people whose whereabouts are unknown.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from tracker.dates import DatePrecision, period

from .models import CustodyStay, Detention, Hearing, still_held_q


@dataclass(frozen=True)
class DaysInCustody:
    """A count of days and how sure it is: exact, "at least" (a partial date) or "about"."""

    days: int
    precision: str = DatePrecision.DAY

    def __str__(self) -> str:
        n = self.days
        if self.precision == DatePrecision.DAY:
            return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
        if self.precision == DatePrecision.APPROXIMATE:
            return ngettext("about %(n)d day", "about %(n)d days", n) % {"n": n}
        return ngettext("at least %(n)d day", "at least %(n)d days", n) % {"n": n}

    @property
    def is_minimum(self) -> bool:
        return self.precision in (DatePrecision.MONTH, DatePrecision.YEAR)

    def __add__(self, other: "DaysInCustody") -> "DaysInCustody":
        """A sum is "at least" if any part is, else "about" if any part is."""
        precisions = {self.precision, other.precision}
        if self.is_minimum or other.is_minimum:
            precision = DatePrecision.MONTH
        elif DatePrecision.APPROXIMATE in precisions:
            precision = DatePrecision.APPROXIMATE
        else:
            precision = DatePrecision.DAY
        return DaysInCustody(self.days + other.days, precision)


def days_between(
    date: datetime.date, precision: str, release: datetime.date | None, today: datetime.date
) -> DaysInCustody | None:
    """Days from a (partial) detention date to the release or ``today``.

    Counted from the latest day the date allows, so a partial date gives "at least N"; None
    when that day is still to come.
    """
    latest = period(date, precision)[1]
    end = release or today
    if latest > end:
        return None
    return DaysInCustody((end - latest).days, precision)


def days_in_custody(
    detention: Detention, *, today: datetime.date | None = None
) -> DaysInCustody | None:
    """Days of one detention over all its stays: from its first day to the release (or today).

    None when it cannot be told: released without a release date, or a date still to come.
    """
    today = today or timezone.localdate()
    held = detention.release_date is None and detention.outcome != Detention.Outcome.RELEASED
    if detention.release_date is None and not held:
        return None
    return days_between(detention.date, detention.date_precision, detention.release_date, today)


def days_in_custody_of(person, *, today: datetime.date | None = None) -> DaysInCustody | None:
    """Days a person spent in custody over all their detentions (each counted)."""
    total = None
    for detention in Detention.objects.filter(person=person).exclude(status="rejected"):
        days = days_in_custody(detention, today=today)
        if days is not None:
            total = days if total is None else total + days
    return total


@transaction.atomic
def settle_stays(detention: Detention) -> list[CustodyStay]:
    """Close each stay where the next begins (a transfer) and the last at the release.

    Returns the stays it changed; each is saved with a history row.
    """
    stays = list(CustodyStay.objects.select_for_update().filter(detention=detention))
    changed = []
    for index, stay in enumerate(stays):
        following = stays[index + 1] if index + 1 < len(stays) else None
        if following is not None:
            end, precision = following.since, following.since_precision
        elif detention.release_date is not None:
            end, precision = detention.release_date, DatePrecision.DAY
        else:
            continue
        if stay.until is None and end >= stay.since:
            stay.until, stay.until_precision = end, precision
            stay.save(update_fields=["until", "until_precision"])
            changed.append(stay)
    return changed


def in_custody_now() -> QuerySet:
    """Detentions of people held now (rejected records are no facts), longest held first."""
    return (
        Detention.objects.filter(still_held_q())
        .exclude(status="rejected")
        .select_related("person")
        .order_by("date", "id")
    )


def whereabouts_unknown() -> QuerySet:
    """People held whose whereabouts nobody can confirm, unknown the longest first."""
    return (
        Detention.objects.whereabouts_unknown()
        .exclude(status="rejected")
        .select_related("person")
        .order_by("whereabouts_since", "date", "id")
    )


def upcoming_hearings(days: int = 7, *, now: datetime.datetime | None = None) -> QuerySet:
    """Hearings from now to ``days`` ahead, soonest first, with their detention and person."""
    now = now or timezone.now()
    return (
        Hearing.objects.filter(
            starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=days)
        )
        .exclude(detention__status="rejected")
        .select_related("detention__person")
        .order_by("starts_at", "id")
    )
