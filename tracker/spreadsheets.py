"""The one rule for every CSV the project writes: no cell may start a spreadsheet formula."""

from typing import Any

# A cell starting with one of these is run by Excel, LibreOffice or Google Sheets
# (``=HYPERLINK(...)`` sends the sheet's data away); tab and carriage return hide them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that could start a formula gets a leading ``'``; anything else is left alone.

    Only strings change: a number such as a longitude of -0.12 is a value, not a formula,
    and stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
