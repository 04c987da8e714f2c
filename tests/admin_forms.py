"""What a browser would post from a rendered admin change form."""

import datetime
from decimal import Decimal


def form_data(response) -> dict:
    """The POST body the rendered change form would send, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, datetime.date | Decimal | int):
                value = str(value)
            data[form[name].html_name] = value
    return data
