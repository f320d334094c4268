"""Readers that turn a feed, page or file into `ImportedItem`s (see common.py). They never
touch the database; services/imports.py stores what they read."""

from . import csv, hsds, ical, webpage
from .common import ImportedItem, ImportFailure, RejectedItem

READERS = {
    "ical": ical.read,
    "jsonld": webpage.read,
    "hsds": hsds.read,
    "csv": csv.read,
}


def read_items(format, data, organisation_name=None, base_url=None):
    """The items in `data` (bytes), or ImportFailure when nothing can be read."""
    reader = READERS.get(format)
    if reader is None:
        raise ImportFailure(f"Unknown format: {format}")
    if format == "jsonld":
        return reader(data, base_url=base_url, organisation_name=organisation_name)
    return reader(data, organisation_name=organisation_name)


__all__ = ["READERS", "ImportFailure", "ImportedItem", "RejectedItem", "read_items"]
