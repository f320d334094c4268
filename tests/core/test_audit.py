"""The audit log records who viewed or changed what, and can never be rewritten."""

import pytest
from django.urls import reverse

from omzien.core.models import AuditEvent, Organisation, Role
from omzien.core.services import record_audit_event
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_removed():
    event = record_audit_event(None, AuditEvent.Action.VIEW, make_organisation())
    event.object_repr = "something else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).object_repr != "something else"


def test_entry_keeps_who_it_was_after_the_user_is_removed():
    user = make_staff(Role.ADMINISTRATOR)
    organisation = make_organisation(name="Buurthuis De Schakel")
    record_audit_event(user, AuditEvent.Action.UPDATE, organisation)
    username = user.username
    user.delete()
    event = AuditEvent.objects.get(object_id=str(organisation.pk))
    assert event.username == username
    assert event.object_type == "core.Organisation"
    assert event.object_repr == "Buurthuis De Schakel"


def test_editing_an_organisation_is_logged_with_the_changed_fields(client):
    organisation = make_organisation(name="Oud")
    user = make_staff(Role.COORDINATOR, organisation)
    login_verified(client, user)
    response = client.post(
        reverse("staff:organisation_edit", kwargs={"pk": organisation.pk}),
        {"name": "Nieuw", "sector": "welzijn", "is_active": "on"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, user=user)
    assert event.object_id == str(organisation.pk)
    assert "name" in event.detail["fields"]


def test_administrator_reads_the_log(client):
    admin = make_staff(Role.ADMINISTRATOR)
    record_audit_event(admin, AuditEvent.Action.EXPORT, make_organisation(name="Zonnebloem"))
    login_verified(client, admin)
    response = client.get(reverse("staff:audit_log"))
    assert response.status_code == 200
    assert b"Zonnebloem" in response.content
    assert Organisation.objects.count() >= 1
