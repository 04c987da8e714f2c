"""Filter fields that refuse what they cannot read, and the base filter set of records."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tracker import access
from tracker.api.pagination import MAX_ID


class IdFilter(django_filters.Filter):
    """A record id: a whole number (0 or a hidden record's id matches nothing, like a missing
    one)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID - 1)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or 1/0); anything else is an error rather than "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if str(value).lower() not in self.VALUES:
            raise forms.ValidationError(_("Enter true or false."), code="invalid")
        return self.VALUES[str(value).lower()]

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601, turned to UTC: PostgreSQL refuses odd offsets such as +20:54."""

    default_error_messages = {
        "invalid": _("Enter a date and time in ISO 8601, e.g. 2026-02-01T09:55:00Z.")
    }

    def to_python(self, value: Any) -> datetime.datetime | None:
        try:
            moment = super().to_python(value)
            return None if moment is None else moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class RecordFilterSet(django_filters.FilterSet):
    updated_since = DateTimeFilter(
        method="filter_updated_since",
        help_text=_(
            "ISO 8601 date and time: rows changed since then (edited, or showing a nested "
            "record that changed). For incremental sync; pair with /deletions/."
        ),
    )

    @property
    def viewer(self) -> access.Viewer:
        return access.viewer(self.request)

    def filter_updated_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.changed_since(value)


def accepted_values(field: django_filters.Filter) -> str | None:
    """What a filter accepts, for an error answer: its choices, or the form of its values."""
    if isinstance(field, django_filters.ChoiceFilter):
        return ", ".join(str(value) for value, _label in field.extra["choices"])
    if isinstance(field, IdFilter):
        return f"{field.extra['min_value']}-{field.extra['max_value']}"
    if isinstance(field, django_filters.IsoDateTimeFilter):
        return "ISO 8601 (2026-02-01T09:55:00Z)"
    if isinstance(field, django_filters.DateFilter):
        return "YYYY-MM-DD"
    if isinstance(field, django_filters.BooleanFilter):
        return ", ".join(StrictBooleanField.VALUES)
    return None


EMPTY_VALUE = _("Give a value, or leave the parameter out.")


def refuse_empty(filterset: django_filters.FilterSet, params) -> dict[str, list[str]]:
    """An empty parameter (``updated_since=``) is an error, not "no filter"."""
    return {
        name: [str(EMPTY_VALUE)]
        for name in filterset.filters
        if name in params and params[name] == ""
    }
