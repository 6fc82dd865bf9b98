"""Browser tests: Playwright's Python package drives Debian's Chromium against a live server.

Without /usr/bin/chromium they are skipped locally; with CI=true a missing browser fails the run.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from community.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test body are
# still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def static_files_by_their_own_names(settings):
    """The live server serves /static/ from the finders (Django's StaticFilesHandler), which know
    nothing of the hashed names in the manifest a `collectstatic` leaves behind (`make run` runs
    one): link the files by their own names, or every page would lose its CSS and JavaScript."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def save_screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page, label: str):
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    summary = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])} node(s)" for v in bad)
    assert not bad, f"axe found serious or critical violations on {label}:\n{summary}"


@pytest.fixture
def screenshot(page):
    return lambda name: save_screenshot(page, name)


@pytest.fixture
def check_accessibility(page):
    return lambda label: assert_accessible(page, label)


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def demo():
    """The demo content, as `make run` loads it."""
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def as_user(browser, live_server):
    """A signed-in page per demo login, each in its own browser context (its own cookies)."""
    contexts = []

    def open_as(username):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, username, DEMO_PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()
