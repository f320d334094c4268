"""CSV cells that are safe to open in a spreadsheet program: every CSV export uses `defused`."""

import re

# A cell starting with one of these is a formula (or turns into one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
PLAIN_NUMBER = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")


def defused(value):
    """The cell's text; text that a spreadsheet would evaluate gets an apostrophe in front
    (shown as text, not run). A plain negative number is no formula and stays as it is."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text
