"""Template helpers of the nightly report page."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str) -> Any:
    """``mapping[key]``: Django templates cannot look up a key held in a variable."""
    return mapping.get(key, "")
