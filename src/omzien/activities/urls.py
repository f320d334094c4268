"""URLs of the social map. Public pages are mounted at /activiteiten/, staff pages at
/werkplek/aanbod/. Each part has its own list; edit only your part's list."""

from django.urls import path  # noqa: F401

# --- search and activity pages (views/search.py) ---
search_public = []
search_staff = []

# --- sign-ups (views/signups.py) ---
signups_public = []
signups_staff = []

# --- providers' listings, approval, staleness, claims (views/listings.py) ---
listings_staff = []

# --- imports and duplicates (views/imports.py) ---
imports_staff = []

# --- feeds, exports, printed guide (views/share.py) ---
share_public = []
share_staff = []

public_patterns = ([*search_public, *signups_public, *share_public], "activities")
staff_patterns = (
    [*search_staff, *signups_staff, *listings_staff, *imports_staff, *share_staff],
    "activities_staff",
)
