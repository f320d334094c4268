"""Settings for the test suite: the base settings with fast password hashing. The database comes
from OMZIEN_DATABASE_URL like everywhere else, so the same suite runs on SQLite and PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OMZIEN_DEMO = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_omzien.sqlite3")}
