"""Background work of the social map, run by the task worker. Each part has its own section."""

from django.tasks import task  # noqa: F401

# --- sign-ups: mails to organisers and residents, anonymising old sign-ups ---

# --- listings: daily schedule refresh, stale-entry reminders ---

# --- imports: scheduled re-import of sources ---
