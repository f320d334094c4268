"""Real-browser tests: headless Chromium (Debian's package) driven by Playwright, against
pytest-django's live server, with the task worker running as its own process."""

import email
import email.policy
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import sync_playwright

from tests.conftest import TEST_PASSWORD, current_totp, login_verified

CHROMIUM = os.environ.get("OMZIEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE_FILE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
# axe is served from the site's own origin (by Playwright, not Django), so the page's real
# Content-Security-Policy stays switched on while axe runs.
AXE_URL_PATH = "/__test-only__/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NAVIGATION_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    """Browser tests run last: while the browser is open (below), the whole process allows
    Django's async-unsafe calls, and no other test should run under that."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; run `make browser-deps`.")
    # Playwright's sync API keeps an event loop running in this thread; without this Django
    # refuses to touch the database from the tests ("You cannot call this from an async context").
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _open_context(browser, live_server, javascript=True):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, locale="nl-NL"
    )
    context.set_default_timeout(NAVIGATION_TIMEOUT_MS)
    context.route(f"**{AXE_URL_PATH}", lambda route: route.fulfill(
        path=AXE_FILE, content_type="application/javascript"
    ))
    return context


def _page_with_csp_watch(context):
    """A page that remembers Content-Security-Policy violations: a blocked style or script
    means the user sees a broken page, so every test fails on one."""
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page


@pytest.fixture
def new_page(browser, live_server):
    """new_page(javascript=True) -> a page in a fresh browser context (its own cookies)."""
    contexts = []

    def open_page(javascript=True):
        context = _open_context(browser, live_server, javascript)
        contexts.append(context)
        return _page_with_csp_watch(context)

    yield open_page
    violations = [text for context in contexts for page in context.pages
                  for text in page.csp_violations]
    for context in contexts:
        context.close()
    assert not violations, "The Content-Security-Policy blocked:\n" + "\n".join(violations)


@pytest.fixture
def page(new_page):
    return new_page()


def axe_check(page):
    """Run axe-core's WCAG 2.1 A and AA rules on the current page; fail listing each violation."""
    page.add_script_tag(url=AXE_URL_PATH)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    problems = [
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    at {node['target']}: {' '.join(node['failureSummary'].split())}"
            for node in violation["nodes"]
        )
        for violation in result["violations"]
    ]
    assert not problems, f"Accessibility problems on {page.url}:\n" + "\n".join(problems)


def log_in(page, user, password=TEST_PASSWORD, next_path=""):
    """Log in through the real form, and pass the code step when the user has a device."""
    page.goto(f"/inloggen/{'?next=' + quote(next_path) if next_path else ''}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/inloggen/code/" in page.url:
        page.locator("#id_token").fill(current_totp(user))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    return page


def log_in_with_cookie(page, live_server, user, client):
    """Skip the form: give the browser the session of a test client that is logged in and
    verified. For tests about the pages themselves, not about logging in."""
    login_verified(client, user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    return page


def _database_url_for_worker():
    """The URL of the database the tests are using right now (the test_ database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    configured = urlsplit(os.environ["OMZIEN_DATABASE_URL"])
    return configured._replace(path="/" + quote(db["NAME"])).geturl()


class Worker:
    def __init__(self, process, mail_dir, log_file):
        self.process = process
        self.mail_dir = mail_dir
        self.log_file = log_file

    def log(self):
        return self.log_file.read_text(errors="replace")

    def messages(self):
        """Every e-mail the worker has written, as email.message.EmailMessage objects."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            # The file backend appends messages to one file per connection, with a line of dashes.
            for chunk in re.split(rb"\n-{79}\n", path.read_bytes()):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def wait_for_mail(self, to, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages():
                if to in message["To"]:
                    return message
            assert self.process.poll() is None, f"The worker stopped:\n{self.log()}"
            time.sleep(0.2)
        raise AssertionError(f"No mail to {to} after {timeout}s. Worker log:\n{self.log()}")


@pytest.fixture
def worker(transactional_db, live_server, tmp_path):
    """`manage.py db_worker` as a real process on the test database, mailing into files."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_file = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "omzien.settings.test",
        "OMZIEN_DATABASE_URL": _database_url_for_worker(),
        "OMZIEN_EMAIL_BACKEND": "file",
        "OMZIEN_EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        yield Worker(process, mail_dir, log_file)
    finally:
        # Stop it before the test database is flushed or dropped under it.
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
