"""`manage.py import_activities` and `reimport_sources`, reading files and URLs served by a
local web server (tests never use the internet)."""

import functools
import http.server
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from omzien.activities.models import Activity, ImportSource
from omzien.activities.services import imports
from omzien.activities.services.imports import FetchError, fetch, import_source
from tests.conftest import make_organisation

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def web_server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_command(*args):
    out = StringIO()
    call_command("import_activities", *args, stdout=out)
    return out.getvalue()


def test_command_imports_a_file_and_prints_the_summary_and_reasons():
    organisation = make_organisation()
    output = run_command("--format", "csv", str(DATA / "activities.csv"),
                         "--organisation", str(organisation.pk))
    assert output.splitlines()[0] == "created 3, updated 0, unchanged 0, rejected 1, ended 0"
    assert "- Onmogelijke datum: " in output and "2027-02-31" in output
    assert set(Activity.objects.values_list("organisation", flat=True)) == {organisation.pk}
    again = run_command("--format", "csv", str(DATA / "activities.csv"),
                        "--organisation", str(organisation.pk))
    assert again.startswith("created 0, updated 0, unchanged 3, rejected 1, ended 0")


def test_command_reads_a_url(web_server):
    output = run_command("--format", "ical", f"{web_server}/welfare_agenda.ics")
    assert output.startswith("created 4, updated 0, unchanged 0, rejected 0, ended 0")


def test_command_fails_only_when_nothing_could_be_read(web_server, tmp_path):
    with pytest.raises(CommandError, match="niet bereikbaar|foutmelding 404"):
        run_command("--format", "ical", f"{web_server}/bestaat-niet.ics")
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        run_command("--format", "ical", str(tmp_path / "weg.ics"))
    with pytest.raises(CommandError, match="iCalendar"):
        run_command("--format", "ical", str(DATA / "activities.csv"))
    with pytest.raises(CommandError, match="organisatie"):
        run_command("--format", "csv", str(DATA / "activities.csv"), "--organisation", "999999")


def test_fetch_refuses_other_schemes_and_large_answers(web_server):
    with pytest.raises(FetchError, match="http"):
        fetch("file:///etc/passwd")
    with pytest.raises(FetchError, match="groter dan"):
        fetch(f"{web_server}/broken_items.ics", max_bytes=1000)


@pytest.mark.parametrize("address", [
    "http://127.0.0.1:9/agenda.ics", "http://localhost/agenda.ics", "http://10.0.0.5/a.ics",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/a.ics",
])
def test_fetch_refuses_addresses_inside_the_own_network(address, settings):
    settings.OMZIEN_IMPORT_PRIVATE_ADDRESSES = False
    with pytest.raises(FetchError, match="niet op het openbare internet"):
        fetch(address)


class RedirectToInside(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(302)
        self.send_header("Location", "http://10.0.0.5/geheim.ics")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_fetch_follows_no_redirect_into_the_own_network(monkeypatch, settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RedirectToInside)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    checked = []
    real_check = imports.check_public_web_address

    def public_first_hop_only(url):
        # The test server itself is local; pretend it is public, check every later hop.
        checked.append(url)
        if len(checked) > 1:
            real_check(url)

    monkeypatch.setattr(imports, "check_public_web_address", public_first_hop_only)
    settings.OMZIEN_IMPORT_PRIVATE_ADDRESSES = False
    try:
        with pytest.raises(FetchError, match="niet op het openbare internet"):
            fetch(f"http://127.0.0.1:{server.server_address[1]}/agenda.ics")
    finally:
        server.shutdown()
        server.server_close()
    assert checked[-1] == "http://10.0.0.5/geheim.ics"


def test_sources_are_read_again_when_due(web_server):
    organisation = make_organisation()
    due = ImportSource.objects.create(name="Agenda", format="ical", organisation=organisation,
                                      url=f"{web_server}/welfare_agenda.ics", interval_hours=24,
                                      last_run_at=timezone.now() - timedelta(hours=25))
    ImportSource.objects.create(name="Net gelezen", format="ical", url=due.url,
                                last_run_at=timezone.now() - timedelta(hours=1))
    ImportSource.objects.create(name="Uit", format="ical", url=due.url, is_active=False)
    out = StringIO()
    call_command("reimport_sources", stdout=out)
    assert out.getvalue().startswith("1 ")
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [due.pk]
    run = import_source(due)
    assert run.created == 4
    due.refresh_from_db()
    assert due.last_run_at >= run.started_at
