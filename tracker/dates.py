"""Partial dates: a date plus how precisely it is known.

"July 2021" is stored as 2021-07-01 with ``month`` precision; filters treat it as the whole
month.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# The month names of Django's "F" format (YEAR_MONTH_FORMAT: "July 2021"). Django's
# Belarusian catalogue gives them in the genitive ("ліпеня"), right after a day but wrong on
# their own, and Russian ones capitalised: the project's catalogue, which wins over
# Django's, translates them standing alone ("ліпень 2021", "июль 2021 г."). Listed here so
# that makemessages keeps them.
STANDALONE_MONTHS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)


class DatePrecision(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    APPROXIMATE = "approximate", _("approximate")


def period(value: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """First and last day covered by a partial date."""
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    return value, value


def describe(value: datetime.date, precision: str) -> str:
    """The date as far as it is known: "2021-07-14", "July 2021", "2021", "about July 2021".

    A partial date is stored as its first day; showing that day would claim a fact nobody
    knows.
    """
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.APPROXIMATE:
        return _("about %(month)s") % {"month": formats.date_format(value, "YEAR_MONTH_FORMAT")}
    return value.isoformat()


# Month names as staff type them in a search: English, Belarusian and Russian, in the
# nominative and the genitive ("ліпень 2021", "14 ліпеня 2021", "июля 2021").
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            "january jan студзень студзеня январь января янв",
            "february feb люты лютага февраль февраля фев",
            "march mar сакавік сакавіка март марта",
            "april apr красавік красавіка апрель апреля апр",
            "may травень траўня мая май",
            "june jun чэрвень чэрвеня июнь июня",
            "july jul ліпень ліпеня июль июля",
            "august aug жнівень жніўня август августа авг",
            "september sep sept верасень верасня сентябрь сентября сен",
            "october oct кастрычнік кастрычніка октябрь октября окт",
            "november nov лістапад лістапада ноябрь ноября ноя",
            "december dec снежань снежня декабрь декабря дек",
        ),
        start=1,
    )
    for name in names.split()
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def searched_period(term: str) -> tuple[datetime.date, datetime.date] | None:
    """The days a search term names: "2021-07-14", "14.07.2021", "14 July 2021" (one day);
    "2021-07", "July 2021", "ліпень 2021", "июля 2021" (a month); "2021" (a year)."""
    text = term.strip().lower().rstrip(".")
    try:
        if _YEAR_MONTH.match(text):
            year, month = map(int, text.split("-"))
            return period(datetime.date(year, month, 1), DatePrecision.MONTH)
        if match := _DAY_MONTH_YEAR.match(text):
            day, month, year = map(int, match.groups())
            return (datetime.date(year, month, day),) * 2
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.date.fromisoformat(text)
            return day, day
        if re.fullmatch(r"\d{4}", text):
            return period(datetime.date(int(text), 1, 1), DatePrecision.YEAR)
        # "июль 2021 г.", "14 июля 2021 года": the Russian word for "year" is left out.
        words = [w for w in text.replace(",", " ").split() if w not in ("г", "г.", "года")]
        if len(words) == 2 and words[0] in MONTH_NAMES and words[1].isdigit():
            first = datetime.date(int(words[1]), MONTH_NAMES[words[0]], 1)
            return period(first, DatePrecision.MONTH)
        if len(words) == 3 and words[1] in MONTH_NAMES and words[0].isdigit():
            day = datetime.date(int(words[2]), MONTH_NAMES[words[1]], int(words[0]))
            return day, day
    except ValueError:  # no such day (2021-02-30), or a year out of range
        return None
    return None


def in_words(value: datetime.date, precision: str) -> str:
    """Like ``describe``, with a known day written out for labels: "14 July 2021"."""
    if precision == DatePrecision.DAY:
        return formats.date_format(value, "j E Y")
    return describe(value, precision)


def partial_date_errors(
    value: datetime.date | None, precision: str, field: str
) -> dict[str, ValidationError]:
    """Errors of one partial date, keyed by the field that holds it."""
    if value is None:
        return {}
    if value > timezone.localdate():
        return {field: ValidationError(_("This date is in the future."), code="future")}
    if precision == DatePrecision.MONTH and value.day != 1:
        return {
            field: ValidationError(
                _("A date known only to the month is stored as the 1st of that month."),
                code="month_precision",
            )
        }
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        return {
            field: ValidationError(
                _("A date known only to the year is stored as 1 January of that year."),
                code="year_precision",
            )
        }
    return {}
