"""Production settings: everything from base, hardened. Requires OMZIEN_SECRET_KEY and
OMZIEN_ALLOWED_HOSTS, and expects TLS to end at the load balancer."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, mailer_from_env

if not os.environ.get("OMZIEN_SECRET_KEY"):
    raise ImproperlyConfigured("Set OMZIEN_SECRET_KEY to a long random value in production.")

DEBUG = False
OMZIEN_DEMO = env_bool("OMZIEN_DEMO", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("OMZIEN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("OMZIEN_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = Path(os.environ.get("OMZIEN_STATIC_ROOT", VAR_DIR / "static"))
MAILERS = {"default": mailer_from_env(default="smtp")}
