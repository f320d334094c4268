"""Settings for the test suite: the base settings with fast password hashing. The database comes
from OMZIEN_DATABASE_URL like everywhere else, so the same suite runs on SQLite and PostgreSQL."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OMZIEN_DEMO = True
# The import tests serve their feeds from a local web server.
OMZIEN_IMPORT_PRIVATE_ADDRESSES = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_omzien.sqlite3")}


def hsds_standard_dir():
    """The Open Referral HSDS 3.0 reference files (schemas and examples) the conformance tests
    use: OMZIEN_HSDS_STANDARD_DIR, else shared/standards/hsds-3.0 beside the checkout or one of
    its parent folders. They are not copied into the repository."""
    if os.environ.get("OMZIEN_HSDS_STANDARD_DIR"):
        return Path(os.environ["OMZIEN_HSDS_STANDARD_DIR"])
    for folder in BASE_DIR.parents:
        candidate = folder / "shared" / "standards" / "hsds-3.0"
        if candidate.is_dir():
            return candidate
    return BASE_DIR.parent / "shared" / "standards" / "hsds-3.0"


OMZIEN_HSDS_STANDARD_DIR = hsds_standard_dir()
