"""
Confer's one settings module.

A checkout runs as it is: SQLite in ``var/`` (WAL, immediate transactions), the search index on
local disk, background tasks in-process and email to the console. Each production piece is
switched on by an environment variable, never by a code change; README.md lists them all.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR / "intranet"


# --- small typed helpers for the environment --------------------------------------------------


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# --- mode ---------------------------------------------------------------------------------------

# "production" turns on the HTTPS hardening that `manage.py check --deploy` asks for and refuses to
# start without a real SECRET_KEY. Anything else is the embedded single-machine default.
PRODUCTION = env_str("CONFER_ENV", "development").lower() == "production"
# DEBUG is off unless asked for, so `make run` shows what staff will see (styled 404 and 500).
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when CONFER_ENV=production")

VAR_DIR = Path(env_str("CONFER_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when CONFER_ENV=production")
    # Keep one generated key per checkout, so sessions survive a restart of `make run`.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL


# --- applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "community",
    "qa",
    "ideas",
    "skills",
    "insight",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_htmx",
    "axes",
    "mozilla_django_oidc",
    "django_comments_xtd",
    "django_comments",
    "django_tasks_db",  # the task queue a worker reads (TASKS_BACKEND=django_tasks_db.DatabaseBackend)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.forms",  # lets the GOV.UK form renderer override Django's widget templates
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Text that is not UTF-8 is refused with a 400, rather than saved with U+FFFD in it.
    "community.middleware.RefuseUndecodableInputMiddleware",
    # A write that waited too long for another writer's lock: a 503 "busy, try again" page that
    # shows back what was typed, not a server error.
    "community.middleware.DatabaseBusyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Everything is behind login; the few public views say so with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Both answer only a 404; editors' redirects (Wagtail's) get the first say.
    "community.workshops.old_addresses.OldAddressesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "intranet.urls"
WSGI_APPLICATION = "intranet.wsgi.application"
ASGI_APPLICATION = "intranet.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.confer",
            ],
        },
    },
]
FORM_RENDERER = "community.forms.GovukFormRenderer"


# --- database -----------------------------------------------------------------------------------


def sqlite_database(name) -> dict:
    """The embedded database: SQLite in WAL mode, with connections kept between requests.

    A kept connection runs its pragmas once, when it opens, instead of once per request (about 5 ms
    each, measured in docs/scaling.md). Django closes a kept connection that errored or is older
    than CONN_MAX_AGE at the end of a request, and outside transactions a WAL reader holds no
    snapshot between requests, so a kept connection sees every other process's writes.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # Measured (docs/traps.md): DEFERRED transactions under WAL lose 57 of 64
            # concurrent writers to "database is locked"; IMMEDIATE loses none.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;",
        },
    }


DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # As SQLite's busy timeout: a write waits up to 20 s for another writer's lock, then gives
        # up with LockNotAvailable, which Confer answers with a "busy, try again" page (503).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=20000"
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "confer.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- cache, rate limits, background tasks -------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "confer",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "community.views.rate_limited"

# ``make run`` runs tasks in the request (ImmediateBackend); ``make serve`` sets
# TASKS_BACKEND=django_tasks_db.DatabaseBackend, so requests only enqueue and ``manage.py db_worker``
# sends the email.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Periodic jobs, enqueued at these local times by ``manage.py run_scheduler`` (``make serve`` starts
# one; run exactly one per site). "at" is "HH:MM" for a daily job and ":MM" for an hourly one.
PERIODIC_TASKS = [
    {"task": "community.listening.tasks.send_digests", "at": env_str("DIGEST_TIME", "07:00")},
    {"task": "community.workshops.announcements.send_workshop_reminders", "at": ":00"},
    {"task": "skills.tasks.send_buddy_reminders", "at": ":05"},
    {"task": "skills.tasks.route_unanswered_questions", "at": ":10"},
    {"task": "skills.tasks.refresh_topic_scores", "at": "03:30"},
    {"task": "qa.tasks.send_review_reminders", "at": "06:30"},
    {"task": "community.listeningpost.tasks.fetch_sources", "at": ":20"},
    {"task": "community.listeningpost.tasks.purge_old_items", "at": "04:10"},
]

# The listening post (docs/listening-post.md): how outside feeds are fetched, and how long items
# nobody shared are kept. ALLOW_PRIVATE_ADDRESSES lets sources on the local network be fetched:
# leave it off unless every address the server can reach is safe to fetch.
LISTENING_POST = {
    "ALLOW_PRIVATE_ADDRESSES": env_bool("LISTENING_ALLOW_PRIVATE_ADDRESSES", False),
    "RETENTION_DAYS": int(env_str("LISTENING_RETENTION_DAYS", "90")),
    "MAX_BYTES": 5 * 1024 * 1024,
    "CONNECT_TIMEOUT": 5,
    "READ_TIMEOUT": 10,
    "TOTAL_TIMEOUT": 30,
}


# --- search -------------------------------------------------------------------------------------

SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
# One setting picks the backend; models, views and templates stay the same.
_SEARCH_BACKENDS = {
    # Whoosh files on local disk: the embedded default (community/search/).
    "whoosh": {"BACKEND": "community.search.backend", "PATH": SEARCH_INDEX_DIR},
    # Wagtail's database backend: SQLite FTS5, or PostgreSQL full-text search with DATABASE_URL
    # (community/search/database.py: its rebuild made to finish at an organisation's size).
    "database": {"BACKEND": "community.search.database"},
    # OpenSearch 2 for several app servers (pip install opensearch-py; SEARCH_URL=https://…).
    "opensearch": {
        "BACKEND": "modelsearch.backends.opensearch2",
        "URLS": env_list("SEARCH_URL", "http://localhost:9200"),
        "INDEX_PREFIX": "confer_",
    },
}
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "whoosh")
if SEARCH_BACKEND not in _SEARCH_BACKENDS:
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be one of {', '.join(sorted(_SEARCH_BACKENDS))}, not {SEARCH_BACKEND!r}"
    )
WAGTAILSEARCH_BACKENDS = {"default": _SEARCH_BACKENDS[SEARCH_BACKEND]}
# Semantic ranking (docs/search.md): a sentence-embedding model run on the CPU in this process,
# shipped in a package (requirements-model.txt). SEMANTIC_SEARCH=false keeps search lexical.
CONFER_SEMANTIC_SEARCH = {
    "ENABLED": env_bool("SEMANTIC_SEARCH", True),
    "ENCODER": "community.sitesearch.encoder.default_encoder",
}


# --- authentication -----------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Private pages and documents: anyone not signed in goes to Confer's sign-in page, not Wagtail's bare
# one; a colleague outside the page's groups gets a styled 403 (community/wagtail_hooks.py).
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "registration/password_required.html"
WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE = "registration/password_required.html"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any backend checks them.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Repeated failed logins are throttled per username *and* client address, so a colleague cannot
# lock someone else out from another machine, and a whole office behind one proxy is not locked
# out by one person.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Renders registration/locked_out.html with the wait in words ("15 minutes", not "0:15:00").
AXES_LOCKOUT_CALLABLE = "community.profiles.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "community.profiles.auth.client_ip"
AXES_VERBOSE = False
# X-Forwarded-For is believed only when this many trusted proxies sit in front of Confer.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Optional single sign-on with OpenID Connect: set the three OIDC_* endpoints and the client.
OIDC_ENABLED = bool(env_str("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("community.profiles.auth.ConferOIDCBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation's single sign-on")
    missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
        if not globals()[name]
    ]
    if OIDC_RP_SIGN_ALGO.startswith("RS") and not OIDC_OP_JWKS_ENDPOINT:
        missing.append("OIDC_OP_JWKS_ENDPOINT")
    if missing:
        raise ImproperlyConfigured(f"OpenID Connect is switched on but {', '.join(missing)} not set")


# --- email --------------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
if EMAIL_HOST:
    _default_email_backend = "django.core.mail.backends.smtp.EmailBackend"
elif EMAIL_FILE_PATH:
    _default_email_backend = "django.core.mail.backends.filebased.EmailBackend"
else:
    _default_email_backend = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", _default_email_backend)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Confer <confer@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL


# --- static and uploaded files ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    # Served straight from the npm packages `make install` puts in node_modules/.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "intranet.storage.StaticFilesStorage"},
}
# Before `collectstatic` has run (a first checkout, the tests) WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").exists()
WHITENOISE_AUTOREFRESH = DEBUG


# --- security -----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
# Wagtail's preview views set SAMEORIGIN for themselves; everything else refuses framing.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers ask /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): only Confer's own scripts, styles, images and fonts; the one
# inline script (base_shell.html) carries the per-response nonce. Inline style *attributes* are
# allowed because sanitised Markdown keeps exactly one property (table text-align) and nothing else
# (community/markdown.py). The Wagtail admin, trusted and full of inline scripts, keeps its own rules.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}


# --- locale -------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True


# --- insight (docs/insight.md) ------------------------------------------------------------------

# Search page views are kept this many days, then `manage.py purge_search_events` deletes them.
INSIGHT_SEARCH_RETENTION_DAYS = env_int("INSIGHT_SEARCH_RETENTION_DAYS", 365)
# Of the people who found an accepted or verified answer through search and did not say it solved
# their problem, the share assumed to have avoided a helpdesk call (shown on the dashboard).
INSIGHT_CALL_SHARE = float(env_str("INSIGHT_CALL_SHARE", "0.5"))
# A search query is listed only when at least this many different people made it.
INSIGHT_QUERY_MIN_PEOPLE = env_int("INSIGHT_QUERY_MIN_PEOPLE", 2)


# --- Wagtail, tags, comments ------------------------------------------------------------------

# The name the Wagtail admin and page titles carry: the organisation's intranet, not "localhost".
WAGTAIL_SITE_NAME = env_str("CONFER_SITE_NAME", "Confer")
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_ENABLE_UPDATE_CHECK = False

TAGGIT_CASE_INSENSITIVE = True

COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 3
COMMENTS_XTD_CONFIRM_EMAIL = False
# Send follow-up emails in-process (background tasks take over when a worker is configured);
# the library's default starts a thread per email.
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {"allow_flagging": False, "allow_feedback": False, "show_feedback": False, "who_can_post": "users"}
}
QA_POST_RATE = env_str("QA_POST_RATE", "10/h")
# Pictures added to posts, per person (community/uploads.py); @-mention look-ups while typing, per person.
CONFER_UPLOAD_RATE = env_str("CONFER_UPLOAD_RATE", "30/h")
CONFER_MENTION_LOOKUP_RATE = env_str("CONFER_MENTION_LOOKUP_RATE", "300/h")
QA_VOTE_RATE = env_str("QA_VOTE_RATE", "60/h")  # votes and withdrawals on questions and answers, per person
QA_FLAG_RATE = env_str("QA_FLAG_RATE", "20/h")  # flags raised, per person
IDEAS_POST_RATE = env_str("IDEAS_POST_RATE", "10/h")  # ideas and comments on ideas, per person
LISTENING_COMMENT_RATE = env_str("LISTENING_COMMENT_RATE", "30/h")  # comments on listening post items, per person
IDEAS_VOTE_RATE = env_str("IDEAS_VOTE_RATE", "60/h")  # votes and withdrawals on ideas, per person
# Buddy requests: days before a silent volunteer is reminded (and as long again before the next match).
SKILLS_BUDDY_REMINDER_DAYS = env_int("SKILLS_BUDDY_REMINDER_DAYS", 3)
SKILLS_ROUTE_AFTER_HOURS = env_int("SKILLS_ROUTE_AFTER_HOURS", 24)  # unanswered questions go to volunteers
# "Forgotten your password?": reset emails asked for from one network address, and for one email address.
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "10/h")
PASSWORD_RESET_EMAIL_RATE = env_str("PASSWORD_RESET_EMAIL_RATE", "3/h")
SKILLS_REQUEST_RATE = env_str("SKILLS_REQUEST_RATE", "5/h")  # buddy requests one person may make
# Everything else a person can repeat (follows, workshop places, "did this solve it?", accepting, edits,
# buddy replies, benefits, profile and settings changes): per person and per kind of action.
ACTION_RATE = env_str("ACTION_RATE", "60/h")


# --- logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
