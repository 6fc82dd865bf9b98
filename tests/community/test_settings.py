"""Each production piece is switched on by the environment alone; settings load in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "CONFER_ENV": "production",
    "SECRET_KEY": "kP3v9-not-a-real-key-but-long-and-random-enough-xQ7mZt2LwR8sYb4nHc6jFd",
    "ALLOWED_HOSTS": "confer.example.org",
}


def load_settings(tmp_path, names, **env):
    """Import intranet.settings in a new interpreter with only the given environment."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("CONFER_", "DJANGO_"))}
    for key in (
        "DATABASE_URL",
        "REDIS_URL",
        "SEARCH_BACKEND",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_HOST",
        "EMAIL_FILE_PATH",
        "EMAIL_BACKEND",
        "OIDC_RP_CLIENT_ID",
        "TASKS_BACKEND",
    ):
        clean.pop(key, None)
    clean.update({"DJANGO_SETTINGS_MODULE": "intranet.settings", "CONFER_VAR_DIR": str(tmp_path), **env})
    code = (
        "import json, django; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_it_defaults_to_sqlite_in_wal_mode_under_var(tmp_path):
    loaded = load_settings(tmp_path, ["DATABASES", "CACHES", "EMAIL_BACKEND", "DEBUG", "TASKS"])

    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "confer.sqlite3")
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert loaded["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert loaded["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert loaded["DEBUG"] is False
    assert loaded["TASKS"]["default"]["BACKEND"].endswith("ImmediateBackend")


def test_it_switches_to_postgresql_with_database_url(tmp_path):
    loaded = load_settings(tmp_path, ["DATABASES"], DATABASE_URL="postgres://confer:pw@db.internal:5433/confer")

    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"], database["USER"]) == (
        "db.internal", 5433, "confer", "confer",
    )  # fmt: skip


def test_it_switches_cache_and_rate_limits_to_redis_with_redis_url(tmp_path):
    loaded = load_settings(tmp_path, ["CACHES", "RATELIMIT_USE_CACHE"], REDIS_URL="redis://cache.internal:6379/2")

    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert loaded["RATELIMIT_USE_CACHE"] == "default"


def test_it_chooses_the_search_backend_by_configuration(tmp_path):
    default = load_settings(tmp_path, ["WAGTAILSEARCH_BACKENDS"])["WAGTAILSEARCH_BACKENDS"]["default"]
    assert default == {"BACKEND": "community.search.backend", "PATH": str(tmp_path / "search")}

    loaded = load_settings(tmp_path, ["WAGTAILSEARCH_BACKENDS"], SEARCH_BACKEND="database")
    assert loaded["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "community.search.database"

    opensearch = load_settings(
        tmp_path, ["WAGTAILSEARCH_BACKENDS"], SEARCH_BACKEND="opensearch", SEARCH_URL="https://search.internal:9200"
    )["WAGTAILSEARCH_BACKENDS"]["default"]
    assert opensearch["BACKEND"] == "modelsearch.backends.opensearch2"
    assert opensearch["URLS"] == ["https://search.internal:9200"]
    assert "SEARCH_BACKEND must be one of" in load_settings(tmp_path, ["DEBUG"], SEARCH_BACKEND="solr")


def test_it_sends_email_over_smtp_when_a_host_is_given(tmp_path):
    loaded = load_settings(
        tmp_path, ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS"],
        EMAIL_HOST="smtp.internal", EMAIL_PORT="587", EMAIL_USE_TLS="true",
    )  # fmt: skip

    assert loaded == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.internal",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
    }


def test_it_reads_debug_hosts_and_secret_from_the_environment(tmp_path):
    loaded = load_settings(
        tmp_path, ["DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"], DEBUG="1", ALLOWED_HOSTS="a.example, b.example",
        SECRET_KEY="from-the-environment",
    )  # fmt: skip

    assert loaded == {"DEBUG": True, "ALLOWED_HOSTS": ["a.example", "b.example"], "SECRET_KEY": "from-the-environment"}


def test_it_keeps_one_generated_secret_key_per_checkout(tmp_path):
    first = load_settings(tmp_path, ["SECRET_KEY"])["SECRET_KEY"]
    second = load_settings(tmp_path, ["SECRET_KEY"])["SECRET_KEY"]

    assert first == second
    assert len(first) >= 50


def test_it_refuses_to_start_production_without_a_secret_key(tmp_path):
    error = load_settings(tmp_path, ["DEBUG"], CONFER_ENV="production", ALLOWED_HOSTS="confer.example.org")

    assert "SECRET_KEY must be set when CONFER_ENV=production" in error


def test_it_explains_a_misconfigured_value(tmp_path):
    assert "DEBUG must be true or false" in load_settings(tmp_path, ["DEBUG"], DEBUG="maybe")
    assert "OpenID Connect is switched on but" in load_settings(tmp_path, ["DEBUG"], OIDC_RP_CLIENT_ID="confer")


def test_it_passes_the_deployment_checklist_in_production_mode(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CONFER_", "DJANGO_"))}
    env.pop("DEBUG", None)
    env.update(PRODUCTION_ENV, CONFER_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="intranet.settings")

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("setting", ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"])
def test_it_hardens_https_in_production_mode(tmp_path, setting):
    assert load_settings(tmp_path, [setting], **PRODUCTION_ENV)[setting] is True
