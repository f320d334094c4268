"""URLs of the social map. Public pages are mounted at /activiteiten/, staff pages at
/werkplek/aanbod/. Each part has its own list; edit only your part's list."""

from django.urls import path  # noqa: F401

# --- search and activity pages (views/search.py) ---
from .views import search as search_views  # noqa: E402

search_public = [
    path("", search_views.search, name="search"),
    path("<int:pk>/", search_views.activity_detail, name="detail"),
]
search_staff = [
    path("zoeken/", search_views.staff_search, name="search"),
]

# --- sign-ups (views/signups.py) ---
from .views import signups as signup_views  # noqa: E402

signups_public = [
    path("<int:pk>/aanmelden/", signup_views.sign_up, name="sign_up"),
    path("<int:pk>/aangemeld/", signup_views.signed_up, name="signed_up"),
    path("afmelden/<slug:token>/", signup_views.cancel_sign_up, name="cancel_sign_up"),
]
signups_staff = [
    path("aanmeldingen/", signup_views.sign_up_overview, name="sign_up_overview"),
    path("activiteiten/<int:pk>/aanmeldingen/", signup_views.sign_up_list, name="sign_ups"),
    path("activiteiten/<int:pk>/aanmeldingen/export.csv", signup_views.sign_up_export,
         name="sign_ups_export"),
    path("activiteiten/<int:pk>/aanmeldingen/<int:sign_up_pk>/gekomen/",
         signup_views.mark_attendance, name="mark_attendance"),
    path("activiteiten/<int:pk>/aanmeldingen/<int:sign_up_pk>/afmelden/",
         signup_views.cancel_by_organiser, name="cancel_sign_up"),
]

# --- providers' listings, approval, staleness, claims (views/listings.py) ---
from .views import listings as listing_views  # noqa: E402

listings_staff = [
    path("mijn-aanbod/", listing_views.my_activities, name="my_activities"),
    path("mijn-aanbod/nieuw/", listing_views.activity_create, name="activity_create"),
    path("mijn-aanbod/<int:pk>/bewerken/", listing_views.activity_edit, name="activity_edit"),
    path("mijn-aanbod/<int:pk>/pauzeren/", listing_views.activity_pause, name="activity_pause"),
    path("mijn-aanbod/<int:pk>/hervatten/", listing_views.activity_resume,
         name="activity_resume"),
    path("mijn-aanbod/<int:pk>/beeindigen/", listing_views.activity_end, name="activity_end"),
    path("mijn-aanbod/<int:pk>/klopt-nog/", listing_views.activity_verify,
         name="activity_verify"),
    path("locaties/", listing_views.location_list, name="location_list"),
    path("locaties/nieuw/", listing_views.location_create, name="location_create"),
    path("locaties/<int:pk>/bewerken/", listing_views.location_edit, name="location_edit"),
    path("beoordelen/", listing_views.review_list, name="review_list"),
    path("beoordelen/<int:pk>/", listing_views.review_detail, name="review_detail"),
    path("beoordelen/<int:pk>/goedkeuren/", listing_views.review_approve,
         name="review_approve"),
    path("beoordelen/<int:pk>/afwijzen/", listing_views.review_reject, name="review_reject"),
    path("overnemen/", listing_views.claimable_list, name="claimable_list"),
    path("overnemen/<int:pk>/", listing_views.activity_claim, name="activity_claim"),
    path("overnameverzoeken/", listing_views.claim_review_list, name="claim_review_list"),
    path("overnameverzoeken/<int:pk>/toekennen/", listing_views.claim_grant,
         name="claim_grant"),
    path("overnameverzoeken/<int:pk>/weigeren/", listing_views.claim_refuse,
         name="claim_refuse"),
]

# --- imports and duplicates (views/imports.py) ---
from .views import imports as import_views  # noqa: E402

imports_staff = [
    path("import/", import_views.upload, name="import_upload"),
    path("import/runs/", import_views.run_list, name="import_runs"),
    path("import/runs/<int:pk>/", import_views.run_detail, name="import_run"),
    path("import/bronnen/", import_views.source_list, name="import_sources"),
    path("import/bronnen/nieuw/", import_views.source_create, name="import_source_create"),
    path("import/bronnen/<int:pk>/", import_views.source_edit, name="import_source_edit"),
    path("import/bronnen/<int:pk>/nu-lezen/", import_views.source_read_now,
         name="import_source_read"),
    path("import/dubbelingen/", import_views.duplicate_list, name="duplicates"),
    path("import/dubbelingen/<int:pk>/", import_views.duplicate_decide, name="duplicate_decide"),
]

# --- feeds, exports, printed guide (views/share.py) ---
from .views import share as share_views  # noqa: E402

share_public = [
    path("<int:pk>/agenda.ics", share_views.activity_feed, name="activity_feed"),
    path("organisaties/<int:pk>/agenda.ics", share_views.organisation_feed,
         name="organisation_feed"),
    path("wijken/", share_views.area_list, name="areas"),
    path("wijken/<str:code>/agenda.ics", share_views.area_feed, name="area_feed"),
    path("wijken/<str:code>/gids.pdf", share_views.area_guide_pdf, name="area_guide"),
    path("export.csv", share_views.export_csv, name="export_csv"),
]
share_staff = []

public_patterns = ([*search_public, *signups_public, *share_public], "activities")
staff_patterns = (
    [*search_staff, *signups_staff, *listings_staff, *imports_staff, *share_staff],
    "activities_staff",
)
