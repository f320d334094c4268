"""The import pages: who may use them (role × page), uploading (also bad input), sources, and
reviewing possible duplicates (detected after an import, merged or dismissed)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from omzien.activities.models import (
    Activity,
    DuplicateCandidate,
    ImportRun,
    ImportSource,
    SignUp,
)
from omzien.activities.services.imports import find_duplicates, run_import
from omzien.activities.urls import imports_staff
from omzien.core.models import AuditEvent, Role
from tests.activities.factories import make_activity, make_area, make_location
from tests.conftest import login_verified, make_organisation, make_staff

DATA = Path(__file__).parent / "data"
A, C = Role.ADMINISTRATOR, Role.COORDINATOR
pytestmark = pytest.mark.django_db

EXPECTED_GET = {
    "import_upload": {A, C},
    "import_runs": {A, C},
    "import_run": {A, C},
    "import_sources": {A, C},
    "import_source_create": {A, C},
    "import_source_edit": {A, C},
    "duplicates": {A, C},
}
EXPECTED_POST_ONLY = {"import_source_read": {A, C}, "duplicate_decide": {A, C}}


@pytest.fixture
def world(db):
    organisation = make_organisation()
    source = ImportSource.objects.create(name="Agenda", format="ical",
                                         url="https://agenda.example/a.ics")
    run = ImportRun.objects.create(format="csv", source_label="a.csv")
    place = make_location(organisation)
    first = make_activity(organisation, title="Koffieochtend De Til", locations=[place])
    second = make_activity(organisation, title="Koffie-ochtend De Til", locations=[place])
    candidate = DuplicateCandidate.objects.create(activity=second, duplicate_of=first,
                                                  similarity=0.95)
    return {"source": source, "run": run, "candidate": candidate}


def url_for(name, world):
    args = {"import_run": [world["run"].pk], "import_source_edit": [world["source"].pk],
            "import_source_read": [world["source"].pk],
            "duplicate_decide": [world["candidate"].pk]}.get(name, [])
    return reverse(f"activities_staff:{name}", args=args)


def test_every_import_page_is_in_the_matrix():
    names = {pattern.name for pattern in imports_staff}
    assert names == set(EXPECTED_GET) | set(EXPECTED_POST_ONLY), "add new pages to the matrix"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED_GET))
def test_role_against_import_page(client, world, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.get(url_for(name, world))
    assert response.status_code == (200 if role in EXPECTED_GET[name] else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(EXPECTED_POST_ONLY))
def test_role_against_import_action(client, world, role, name):
    login_verified(client, make_staff(role, make_organisation()))
    response = client.post(url_for(name, world), {"decision": "dismiss"})
    assert response.status_code == (302 if role in EXPECTED_POST_ONLY[name] else 403)


@pytest.mark.parametrize("name", sorted(EXPECTED_GET | EXPECTED_POST_ONLY))
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(url_for(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def upload(client, content, name="aanbod.csv", format="csv", **extra):
    return client.post(reverse("activities_staff:import_upload"), {
        "format": format, "file": SimpleUploadedFile(name, content), **extra,
    })


def test_upload_shows_the_report_with_each_rejection(staff_client):
    client, user = staff_client(C)
    organisation = make_organisation(name="Vrouwen van Nu")
    response = upload(client, (DATA / "activities.csv").read_bytes(),
                      organisation=organisation.pk)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities_staff:import_run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Onmogelijke datum" in page and "2027-02-31" in page
    assert run.started_by == user and run.created == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, user=user).exists()
    assert "aanbod.csv" in client.get(reverse("activities_staff:import_runs")).content.decode()


@pytest.mark.parametrize("data", [
    {"format": "csv"},  # no file
    {"format": "rss", "file": b"x"},
    {"format": "csv", "file": b""},
    {"format": "ical", "file": b"dit is geen agenda"},
    {"format": "csv", "file": b"titel\nx", "organisation": "99999999999999999999999"},
    {"format": "csv", "file": b"titel\nx", "organisation": "<script>"},
])
def test_upload_refuses_bad_input_with_400(staff_client, data):
    client, _user = staff_client(C)
    payload = {key: SimpleUploadedFile("f.txt", value) if key == "file" else value
               for key, value in data.items()}
    response = client.post(reverse("activities_staff:import_upload"), payload)
    assert response.status_code == 400
    assert Activity.objects.count() == 0


@override_settings(OMZIEN_IMPORT_MAX_BYTES=100)
def test_upload_refuses_a_file_above_the_limit(staff_client):
    client, _user = staff_client(C)
    response = upload(client, b"titel\n" + b"x" * 500)
    assert response.status_code == 400
    assert "groter dan" in response.content.decode()


def test_sources_can_be_added_edited_switched_off_and_read_now(staff_client):
    client, _user = staff_client(C)
    bad = client.post(reverse("activities_staff:import_source_create"), {
        "name": "Agenda", "format": "ical", "url": "ftp://agenda.example/a.ics",
        "interval_hours": 24, "is_active": "on"})
    assert bad.status_code == 400
    response = client.post(reverse("activities_staff:import_source_create"), {
        "name": "Agenda welzijn", "format": "ical", "url": "https://agenda.example/a.ics",
        "interval_hours": 12, "is_active": "on"})
    assert response.status_code == 302
    source = ImportSource.objects.get()
    read = client.post(reverse("activities_staff:import_source_read", args=[source.pk]))
    assert read.status_code == 302
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
    client.post(reverse("activities_staff:import_source_edit", args=[source.pk]), {
        "name": "Agenda welzijn", "format": "ical", "url": "https://agenda.example/a.ics",
        "interval_hours": 12})
    source.refresh_from_db()
    assert not source.is_active
    assert client.get(reverse("activities_staff:import_source_read",
                              args=[source.pk])).status_code == 405


def test_import_detects_duplicates_in_the_same_place_or_buurt():
    organisation = make_organisation()
    buurt = make_area("BU03630001")
    place = make_location(organisation, area=buurt, name="Buurthuis De Til",
                          street_address="Tilstraat 12", postcode="1234 AB", city="Omzienstad")
    existing = make_activity(organisation, title="Koffieochtend in De Til", locations=[place])
    make_activity(organisation, title="Les 1 breien", locations=[place])
    feed = (DATA / "welfare_agenda.ics").read_bytes()
    run_import("ical", feed, "a.ics", organisation=organisation)
    imported = Activity.objects.get(source_key="ical:koffie-dinsdag@welzijn-omzienstad.nl")
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.activity_id, candidate.duplicate_of_id} == {existing.pk, imported.pk}
    assert candidate.similarity >= 0.85
    # Numbered titles are different meetings, not duplicates.
    other = make_activity(organisation, title="Les 2 breien", locations=[place])
    assert find_duplicates([other.pk]) == 0
    # Running the import again finds nothing new.
    run_import("ical", feed, "a.ics", organisation=organisation)
    assert DuplicateCandidate.objects.count() == 1


def test_merging_keeps_one_moves_sign_ups_and_places_and_ends_the_other(staff_client):
    client, user = staff_client(C)
    organisation = make_organisation()
    buurt = make_area("BU03630002")
    hall = make_location(organisation, area=buurt, name="Wijkcentrum")
    church = make_location(organisation, area=buurt, name="Kerkzaal")
    keep = make_activity(organisation, title="Samen eten", locations=[hall],
                         term_codes=["shared_meal"], join_method=Activity.JoinMethod.SIGN_UP)
    drop = make_activity(organisation, title="Samen eten!", locations=[church],
                         term_codes=["age_75_plus"])
    SignUp.objects.create(activity=drop, name="Truus", consent_at=timezone.now())
    assert find_duplicates([drop.pk]) == 1
    candidate = DuplicateCandidate.objects.get()
    page = client.get(reverse("activities_staff:duplicates")).content.decode()
    assert "Samen eten!" in page and "Kerkzaal" in page
    keep_side = "keep_activity" if candidate.activity_id == keep.pk else "keep_duplicate_of"
    response = client.post(reverse("activities_staff:duplicate_decide", args=[candidate.pk]),
                           {"decision": keep_side})
    assert response.status_code == 302
    drop.refresh_from_db()
    assert drop.status == Activity.Status.ENDED
    assert keep.sign_ups.get().name == "Truus"
    assert set(keep.locations.all()) == {hall, church}
    assert {term.code for term in keep.terms.all()} == {"shared_meal", "age_75_plus"}
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.MERGED and candidate.decided_by == user
    assert AuditEvent.objects.filter(object_id=str(keep.pk),
                                     detail__merged_duplicate=drop.pk).exists()
    assert "Samen eten!" not in client.get(reverse("activities_staff:duplicates")).content.decode()


def test_a_merge_that_would_strand_signed_up_residents_is_refused(staff_client):
    client, _user = staff_client(C)
    organisation = make_organisation()
    hall = make_location(organisation, area=make_area("BU03630002"), name="Wijkcentrum")
    walk_in = make_activity(organisation, title="Samen eten", locations=[hall])
    full = make_activity(organisation, title="Samen eten!", locations=[hall], capacity=1,
                         join_method=Activity.JoinMethod.SIGN_UP)
    SignUp.objects.create(activity=full, name="Truus", party_size=1, consent_at=timezone.now())
    find_duplicates([full.pk])
    candidate = DuplicateCandidate.objects.get()
    keep_walk_in = "keep_activity" if candidate.activity_id == walk_in.pk else "keep_duplicate_of"
    response = client.post(reverse("activities_staff:duplicate_decide", args=[candidate.pk]),
                           {"decision": keep_walk_in}, follow=True)
    assert "kan hen niet opnemen" in response.content.decode()
    full.refresh_from_db()
    assert full.status == Activity.Status.ACTIVE and full.sign_ups.count() == 1
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.OPEN


def test_dismissing_and_bad_decisions(staff_client, world):
    client, _user = staff_client(C)
    candidate = world["candidate"]
    url = reverse("activities_staff:duplicate_decide", args=[candidate.pk])
    assert client.post(url, {"decision": "delete_everything"}).status_code == 400
    assert client.post(url, {"decision": "dismiss"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == DuplicateCandidate.State.DISMISSED
    assert client.post(url, {"decision": "dismiss"}).status_code == 404
    assert Activity.objects.filter(status=Activity.Status.ENDED).count() == 0
