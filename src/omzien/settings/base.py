"""Settings for Omzien. Every value can be set through an environment variable; the defaults
are safe for the demo and for development on one machine (embedded SQLite, mail to files)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("OMZIEN_VAR_DIR", BASE_DIR / "var"))
NODE_MODULES = Path(os.environ.get("OMZIEN_NODE_MODULES", BASE_DIR / "node_modules"))


def env_bool(name, default):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def persistent_dev_secret():
    """A random key kept in var/ so that sessions survive a restart of the demo; never in git."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


DEBUG = env_bool("OMZIEN_DEBUG", False)
SECRET_KEY = os.environ.get("OMZIEN_SECRET_KEY") or persistent_dev_secret()
ALLOWED_HOSTS = env_list("OMZIEN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("OMZIEN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "omzien.core",
    "omzien.coalition",
    "omzien.activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "omzien.urls"
WSGI_APPLICATION = "omzien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "omzien.core.context_processors.municipality",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("OMZIEN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'omzien.sqlite3'}"),
        conn_max_age=int(os.environ.get("OMZIEN_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the embedded database side by side.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: after 5 failures the account/address pair is locked for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("OMZIEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("OMZIEN_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a load balancer, set OMZIEN_PROXY_COUNT to the number of proxies in front of Omzien so
# the lock-out counts per client address, not per balancer address.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("OMZIEN_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Sessions end after 30 idle minutes and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("OMZIEN_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The map's tile server; the map falls back to the list when tiles cannot load.
OMZIEN_MAP_TILE_URL = os.environ.get(
    "OMZIEN_MAP_TILE_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)


def map_tile_origin():
    """The tile server's origin, which the content security policy must allow images from."""
    scheme, _sep, rest = OMZIEN_MAP_TILE_URL.partition("://")
    return [f"{scheme}://{rest.split('/')[0]}"] if rest else []


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *map_tile_origin()],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "omzien" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only production collects static files (see production.py); elsewhere they come from the finders.
STATIC_ROOT = os.environ.get("OMZIEN_STATIC_ROOT") or None
STATICFILES_DIRS = [
    ("vendor/utrecht/components", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/utrecht/tokens", NODE_MODULES / "@utrecht" / "design-tokens" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
]
STATICFILES_FINDERS = [
    "omzien.core.staticfiles.PackageFilesFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Background work: Django's task framework with the database-backed worker (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("OMZIEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# E-mail goes through Django's mail API; the demo writes each message as a file in var/mail.
def mailer_from_env(default="file"):
    """OMZIEN_EMAIL_BACKEND is "smtp", "file" or a backend's dotted path."""
    backend = os.environ.get("OMZIEN_EMAIL_BACKEND", default)
    if backend == "smtp":
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("OMZIEN_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("OMZIEN_EMAIL_PORT", "25")),
                "username": os.environ.get("OMZIEN_EMAIL_HOST_USER", ""),
                "password": os.environ.get("OMZIEN_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("OMZIEN_EMAIL_USE_TLS", True),
            },
        }
    if backend == "file":
        file_path = os.environ.get("OMZIEN_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": file_path},
        }
    return {"BACKEND": backend}


MAILERS = {"default": mailer_from_env()}
DEFAULT_FROM_EMAIL = os.environ.get("OMZIEN_FROM_EMAIL", "Omzien <noreply@omzien.example>")

# The municipality (or region) running this instance; shown on every page, never hard-coded.
OMZIEN_MUNICIPALITY = {
    "name": os.environ.get("OMZIEN_MUNICIPALITY_NAME", "Regio Omzienland (fictief)"),
    "logo_url": os.environ.get("OMZIEN_MUNICIPALITY_LOGO_URL", ""),
    "primary_color": os.environ.get("OMZIEN_PRIMARY_COLOR", "#1a4e8a"),
    "primary_text_color": os.environ.get("OMZIEN_PRIMARY_TEXT_COLOR", "#ffffff"),
    "accent_color": os.environ.get("OMZIEN_ACCENT_COLOR", "#b3261e"),
    "phone": os.environ.get("OMZIEN_MUNICIPALITY_PHONE", "14 0000"),
    "email": os.environ.get("OMZIEN_MUNICIPALITY_EMAIL", "omzien@gemeente.example"),
    "website": os.environ.get("OMZIEN_MUNICIPALITY_WEBSITE", "https://www.gemeente.example"),
    "address": os.environ.get("OMZIEN_MUNICIPALITY_ADDRESS", "Stadhuisplein 1, 9999 ZZ Omzienstad"),
}
# A demo instance says so on every page, so nobody mistakes fictional data for real data.
OMZIEN_DEMO = env_bool("OMZIEN_DEMO", True)

# Personal data in the database (sign-ups, signals) is encrypted with keys derived from
# SECRET_KEY (and SECRET_KEY_FALLBACKS while rotating) and this salt.
SALT_KEY = env_list("OMZIEN_ENCRYPTION_SALT", "omzien-personal-data-v1")

# The municipalities (CBS codes, GM0363,...) this instance serves: lists of wijken and buurten
# show theirs. Empty: every area in the database.
OMZIEN_MUNICIPALITY_CODES = env_list("OMZIEN_MUNICIPALITY_CODES")

# --- social map (activities) ---
OMZIEN_MAP_ATTRIBUTION = os.environ.get("OMZIEN_MAP_ATTRIBUTION", "Kaartgegevens © Kadaster")
# PDOK Locatieserver (the government's free geocoder) turns addresses into coordinates.
OMZIEN_GEOCODER_URL = os.environ.get(
    "OMZIEN_GEOCODER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
)
OMZIEN_GEOCODER_TIMEOUT = float(os.environ.get("OMZIEN_GEOCODER_TIMEOUT", "3"))
# New and changed activities from providers and imports wait for a coordinator's approval.
OMZIEN_ACTIVITY_APPROVAL_REQUIRED = env_bool("OMZIEN_ACTIVITY_APPROVAL_REQUIRED", False)
# An activity not checked for this many days is flagged, its provider reminded.
OMZIEN_ACTIVITY_STALE_DAYS = int(os.environ.get("OMZIEN_ACTIVITY_STALE_DAYS", "182"))
# Where the site is reached, for links in mails sent by the task worker (no request there).
OMZIEN_SITE_URL = os.environ.get("OMZIEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Sign-ups are anonymised this many days after the activity date they were for.
OMZIEN_SIGN_UP_RETENTION_DAYS = int(os.environ.get("OMZIEN_SIGN_UP_RETENTION_DAYS", "90"))
# Imports read only addresses on the public internet, never the municipality's own network.
OMZIEN_IMPORT_PRIVATE_ADDRESSES = env_bool("OMZIEN_IMPORT_PRIVATE_ADDRESSES", False)
# Imports never read more than this from a file or URL.
OMZIEN_IMPORT_MAX_BYTES = int(os.environ.get("OMZIEN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Roles whose members can see personal data must use two-factor authentication.
OMZIEN_TWO_FACTOR_REQUIRED = env_bool("OMZIEN_TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = OMZIEN_MUNICIPALITY["name"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OMZIEN_LOG_LEVEL", "INFO")},
}

# Serve static files straight from the finders outside production, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
