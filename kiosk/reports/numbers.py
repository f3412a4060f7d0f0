"""Numbers of the reports: the Vietnamese way (1.500 lượt; 70,6 %) or the English one.

Vietnamese administrative documents write thousands with "." and decimals with ",". The draft
(.docx, printable page) is always Vietnamese, whatever the screen's language: it uses
vn_number. The screens and the other files follow the language: local_number.
"""
from decimal import Decimal

from flask_babel import get_locale


def vn_number(value: int | float | Decimal, decimals: int = 1, fixed: bool = False) -> str:
    """Format a number the Vietnamese way: 1.500, 70,6 (rounded to `decimals`).

    A whole float reads as a whole number (12,0 → 12) unless `fixed`, which a table's column
    of shares uses so that its figures line up (26,0 above 14,8).
    """
    if not isinstance(value, int):
        value = round(float(value), decimals)
        if fixed or not value.is_integer():
            whole, _dot, fraction = f"{value:,.{decimals}f}".partition(".")
            return whole.replace(",", ".") + "," + fraction
        value = int(value)
    return f"{value:,}".replace(",", ".")


def en_number(value: int | float | Decimal, decimals: int = 1, fixed: bool = False) -> str:
    """Format a number the English way: 1,500, 70.6 (rounded to `decimals`, as vn_number)."""
    if not isinstance(value, int):
        value = round(float(value), decimals)
        if fixed or not value.is_integer():
            return f"{value:,.{decimals}f}"
        value = int(value)
    return f"{value:,}"


def local_number(value, decimals: int = 1, fixed: bool = False) -> str:
    """Format a number in the current language (Vietnamese unless English): the one formatter
    of every report screen and file; None reads "–"."""
    if value is None:
        return "–"
    locale = get_locale()
    english = locale is not None and locale.language == "en"
    return (en_number if english else vn_number)(value, decimals, fixed)


def decimal_format(decimals: int = 1) -> str:
    """Return the Excel number format of a figure with `decimals` decimals and grouped thousands
    (Excel shows the separators of the reader's own settings: 70,6 on a Vietnamese Windows)."""
    return "#,##0." + "0" * decimals if decimals else "#,##0"
