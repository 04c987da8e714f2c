"""Admin form fields that receive what a person typed, and say what they expected instead.

A browser's ``<input type="number">`` posts an empty value for text it cannot read ("14
years", "53,68" in some locales), and the admin form is ``novalidate``: the record would be
saved without the number and without a word. Numbers are therefore typed into text inputs
(``inputmode`` still brings up the digits keyboard), the server reads the raw text, and an
error names what is expected.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

# What each number means, said the way a person would correct it; by model field name.
HINTS = {
    "term_months": _("Enter a whole number of months, e.g. 168 for 14 years."),
    "term_days": _("Enter a whole number of days, e.g. 15."),
    "count": _("Enter how many in digits, e.g. 3, or leave it empty when unknown."),
    "birth_year": _("Enter the year in four digits, e.g. 1962."),
    "latitude": _("Enter the latitude in decimal degrees, e.g. 53.9 for Minsk."),
    "longitude": _("Enter the longitude in decimal degrees, e.g. 27.56 for Minsk."),
}
WHOLE_NUMBER_HINT = _("Enter a whole number in digits, e.g. 12.")
DECIMAL_HINT = _("Enter a number in digits, e.g. 53.9.")
DATE_HINT = _("Enter the date as YYYY-MM-DD, e.g. 2021-07-14.")


class WholeNumberField(forms.IntegerField):
    widget = forms.TextInput(attrs={"inputmode": "numeric", "class": "vIntegerField"})


class DecimalNumberField(forms.DecimalField):
    """Reads a decimal comma ("53,68") as the decimal point it stands for."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": "10"})

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


def typed_input_kwargs(db_field: models.Field) -> dict[str, Any]:
    """Form field options for a model field typed as text: numbers and dates."""
    if db_field.choices:
        return {}
    if isinstance(db_field, models.IntegerField):
        hint = HINTS.get(db_field.name, WHOLE_NUMBER_HINT)
        return {
            "form_class": WholeNumberField,
            "widget": WholeNumberField.widget,
            "error_messages": {"invalid": hint},
        }
    if isinstance(db_field, models.DecimalField):
        hint = HINTS.get(db_field.name, DECIMAL_HINT)
        return {
            "form_class": DecimalNumberField,
            "widget": DecimalNumberField.widget,
            "error_messages": {"invalid": hint},
        }
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return {"error_messages": {"invalid": DATE_HINT}}
    return {}
