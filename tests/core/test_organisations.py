"""Staff manage organisations: the list, the detail page and the form, including bad input."""

import pytest
from django.urls import reverse

from omzien.core.models import Organisation, Role
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db


def test_coordinator_adds_an_organisation(client):
    login_verified(client, make_staff(Role.COORDINATOR))
    response = client.post(reverse("staff:organisation_create"), {
        "name": "Bakkerij Van Dalen", "sector": "ondernemers", "postcode": "9999zz",
        "city": "Omzienstad", "email": "info@bakkerij.example", "is_active": "on",
    })
    organisation = Organisation.objects.get(name="Bakkerij Van Dalen")
    detail_url = reverse("staff:organisation_detail", kwargs={"pk": organisation.pk})
    assert response["Location"] == detail_url
    assert organisation.postcode == "9999 ZZ"


@pytest.mark.parametrize("field, value", [
    ("postcode", "12345"),
    ("email", "geen-adres"),
    ("sector", "piraten"),
    ("website", "javascript:alert(1)"),
    ("name", ""),
    ("areas", "999999"),
    ("areas", "99999999999999999999999"),
    ("areas", "²"),
])
def test_bad_input_is_refused_and_nothing_changes(client, field, value):
    organisation = make_organisation(name="Welzijn Zorgdal")
    login_verified(client, make_staff(Role.COORDINATOR, organisation))
    data = {"name": "Gewijzigd", "sector": "welzijn", "is_active": "on", field: value}
    response = client.post(reverse("staff:organisation_edit", kwargs={"pk": organisation.pk}), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert b"omzien-error" in response.content
    organisation.refresh_from_db()
    assert organisation.name == "Welzijn Zorgdal"


def test_markup_in_names_is_shown_as_text(client):
    organisation = make_organisation(name='<script>alert("x")</script>Buurthuis')
    login_verified(client, make_staff(Role.SIGNALLER))
    response = client.get(reverse("staff:organisation_detail", kwargs={"pk": organisation.pk}))
    assert b'<script>alert("x")' not in response.content
    assert b"&lt;script&gt;" in response.content


def test_list_filters_by_sector_and_text(client):
    make_organisation(name="Sportclub Vitaal", sector="sport", city="Zorgdal")
    make_organisation(name="Bibliotheek Omzienland", sector="cultuur", city="Omzienstad")
    login_verified(client, make_staff(Role.CONSULTANT))
    response = client.get(reverse("staff:organisation_list"), {"sector": "sport"})
    names = [o.name for o in response.context["page"]]
    assert "Sportclub Vitaal" in names and "Bibliotheek Omzienland" not in names
    response = client.get(reverse("staff:organisation_list"), {"q": "omzienstad"})
    names = [o.name for o in response.context["page"]]
    assert names == ["Bibliotheek Omzienland"]
    # An unknown sector or page number does not break the list.
    response = client.get(reverse("staff:organisation_list"), {"sector": "x", "page": "abc"})
    assert response.status_code == 200
