"""Addresses to coordinates and a buurt, through PDOK Locatieserver (placeholder: the search
part replaces this with the real client)."""


def geocode(query):
    """A match for a Dutch address or postcode (`query` is free text), or None when there is
    none or the geocoder cannot be reached."""
    return None
