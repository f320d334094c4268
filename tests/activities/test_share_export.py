"""De wijkgids op papier (pdf), de pagina met de wijken, en de CSV-export in de kolommen van
het importsjabloon."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from pypdf import PdfReader

from omzien.activities.importers import csv as csv_import
from omzien.activities.importers.common import ImportedItem
from omzien.activities.models import Activity
from tests.activities.factories import make_activity, make_area, make_location, next_weekday_at
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def wijk():
    municipality = make_area("GM0344", "Omzienstad")
    noord = make_area("WK034401", "Noord", parent=municipality)
    zuid = make_area("WK034402", "Zuid", parent=municipality)
    return {
        "noord": noord, "zuid": zuid,
        "vogelbuurt": make_area("BU03440101", "Vogelbuurt", parent=noord),
        "havenbuurt": make_area("BU03440201", "Havenbuurt", parent=zuid),
    }


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


MUNICIPALITY = {
    "name": "Gemeente Omzienstad", "phone": "14 0344", "email": "omzien@omzienstad.example",
    "address": "Stadhuisplein 1, 9999 ZZ Omzienstad", "website": "https://omzienstad.example",
    "logo_url": "", "primary_color": "#1a4e8a", "primary_text_color": "#ffffff",
    "accent_color": "#b3261e",
}


@override_settings(OMZIEN_MUNICIPALITY=MUNICIPALITY)
def test_wijkgids_per_weekdag_met_adres_telefoon_en_kosten(client, wijk):
    organisation = make_organisation(name="Welzijn Noord", phone="030 111 22 33")
    kroon = make_location(organisation, area=wijk["vogelbuurt"], name="Buurthuis De Kroon",
                          street_address="Kerkstraat 5", postcode="1234 AB")
    tuesday = next_weekday_at(1, 10)
    make_activity(organisation, title="Koffieochtend De Kroon", locations=[kroon],
                  starts_at=tuesday, contact_phone="06 1234 5678", cost=Decimal("1.50"))
    make_activity(organisation, title="Samen eten op vrijdag", locations=[kroon],
                  starts_at=next_weekday_at(4, 17, 30), recurrence="FREQ=WEEKLY")
    make_activity(organisation, title="Buddy aan huis", locations=[kroon],
                  schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)
    make_activity(title="Niet in deze wijk",
                  locations=[make_location(area=wijk["havenbuurt"])])
    make_activity(organisation, title="Nog niet goedgekeurd", locations=[kroon],
                  review_state=Activity.ReviewState.PENDING)

    response = client.get("/activiteiten/wijken/WK034401/gids.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Gemeente Omzienstad" in text and "14 0344" in text
    assert "Wat is er te doen in Noord" in text
    assert "Koffieochtend De Kroon" in text
    assert "Kerkstraat 5, 1234 AB Omzienstad" in text
    assert "06 1234 5678" in text  # the activity's own number
    assert "030 111 22 33" in text  # the organisation's, where the activity has none
    assert "€ 1,50" in text and "Gratis" in text
    assert "10:00 – 11:30" in text and "17:30" in text
    # Tuesday comes before Friday, and "by appointment" has its own section at the end.
    assert text.index("Dinsdag") < text.index("Koffieochtend") < text.index("Vrijdag") \
        < text.index("Samen eten op vrijdag") < text.index("Op afspraak") \
        < text.index("Buddy aan huis")
    assert "Niet in deze wijk" not in text
    assert "Nog niet goedgekeurd" not in text


def test_wijkgids_gebruikt_grote_letters(client, wijk):
    make_activity(title="Koffie", locations=[make_location(area=wijk["vogelbuurt"])])

    response = client.get("/activiteiten/wijken/WK034401/gids.pdf")

    reader = PdfReader(io.BytesIO(response.content))
    sizes = []

    def remember_size(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append(font_size * tm[0])

    for page in reader.pages:
        page.extract_text(visitor_text=remember_size)
    body = [size for size in sizes if size < 18]
    assert body and min(body) >= 12  # the page number; everything else is 14pt or larger
    assert sorted(body)[len(body) // 2] >= 14


def test_wijkgids_van_een_onbekende_wijk_bestaat_niet(client):
    assert client.get("/activiteiten/wijken/WK999999/gids.pdf").status_code == 404
    assert client.get("/activiteiten/wijken/onzin/gids.pdf").status_code == 404


def test_pagina_met_wijken_linkt_naar_gids_en_agenda(client, wijk):
    make_activity(title="Koffie", locations=[make_location(area=wijk["vogelbuurt"])])
    make_activity(title="Eten", locations=[make_location(area=wijk["vogelbuurt"])])
    make_activity(title="Weg", status=Activity.Status.ENDED,
                  locations=[make_location(area=wijk["havenbuurt"])])

    response = client.get("/activiteiten/wijken/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Noord" in page and "2 activiteiten" in page
    assert "/activiteiten/wijken/WK034401/gids.pdf" in page
    assert "/activiteiten/wijken/WK034401/agenda.ics" in page
    assert "Zuid" not in page  # only ended activities there
    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    assert " style=" not in page


def test_pagina_met_wijken_zonder_activiteiten(client):
    response = client.get("/activiteiten/wijken/")

    assert response.status_code == 200
    assert "nog geen activiteiten per wijk" in response.content.decode()


# --- CSV ----------------------------------------------------------------------------------------


def export_rows(client, query=""):
    response = client.get(f"/activiteiten/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    return response.content, list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_export_in_de_kolommen_van_het_importsjabloon(client, wijk):
    organisation = make_organisation(name="Welzijn Noord", phone="030 111 22 33")
    place = make_location(organisation, area=wijk["vogelbuurt"], name="De Kroon",
                          street_address="Kerkstraat 5", postcode="1234 AB")
    activity = make_activity(
        organisation, title="Wandelgroep", term_codes=["exercise", "age_75_plus"],
        locations=[place], cost=Decimal("2.50"), cost_note="per keer",
        recurrence="FREQ=WEEKLY;BYDAY=TU", excluded_dates=["2026-12-29T10:00"],
        referral_notes="GEHEIME-VERWIJSNOTITIE", access=Activity.Access.REFERRAL,
    )
    make_activity(title="Nog niet goedgekeurd", review_state=Activity.ReviewState.PENDING)

    content, rows = export_rows(client)

    assert b"GEHEIME-VERWIJSNOTITIE" not in content
    [row] = rows
    assert list(row) == [aliases[0] for aliases in csv_import.COLUMNS.values()]
    assert row["titel"] == "Wandelgroep"
    assert row["organisatie"] == "Welzijn Noord"
    assert (row["adres"], row["postcode"], row["plaats"]) == ("Kerkstraat 5", "1234 AB",
                                                              "Omzienstad")
    assert row["kosten"] == "2,50"
    assert row["toegang"] == "verwijzing"
    assert row["wanneer"] == "herhalend"
    assert row["url"] == f"http://127.0.0.1/activiteiten/{activity.pk}/"

    # What we export, the importer reads back as the same activity.
    [item] = csv_import.read(content)
    assert isinstance(item, ImportedItem), item
    assert item.title == "Wandelgroep"
    assert item.schedule.kind == "recurring"
    assert item.schedule.recurrence == "FREQ=WEEKLY;BYDAY=TU"
    assert item.schedule.starts_at == activity.starts_at.astimezone(
        next_weekday_at(1, 10).tzinfo).strftime("%Y-%m-%dT%H:%M")
    assert item.schedule.excluded_dates == ["2026-12-29T10:00"]
    assert item.cost == "2.50" and item.access == "referral"
    assert set(item.terms) == {("kind", "exercise"), ("target_group", "age_75_plus")}
    assert item.locations[0].latitude == 52.1


def test_csv_export_maakt_formules_onschadelijk(client):
    make_activity(title="=HYPERLINK(\"http://kwaad.example\",\"klik\")",
                  description="<p>@SUM(1+1)</p>", contact_phone="+31 6 1234 5678",
                  cost_note="-10% korting")

    _content, [row] = export_rows(client)

    assert row["titel"].startswith("'=HYPERLINK")
    assert row["omschrijving"] == "'@SUM(1+1)"
    assert row["telefoon"] == "'+31 6 1234 5678"
    assert row["kosten_toelichting"] == "'-10% korting"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@"))


def test_csv_export_volgt_de_zoekfilters(client, wijk):
    make_activity(title="Wandelgroep", locations=[make_location(area=wijk["vogelbuurt"])])
    make_activity(title="Samen eten", locations=[make_location(area=wijk["havenbuurt"])])
    make_activity(title="Gratis wandelen", cost=Decimal("0"),
                  starts_at=next_weekday_at(2, 14), ends_at=next_weekday_at(2, 15))

    def titles(query):
        return sorted(row["titel"] for row in export_rows(client, query)[1])

    assert titles("") == ["Gratis wandelen", "Samen eten", "Wandelgroep"]
    assert titles("?q=wandelen") == ["Gratis wandelen", "Wandelgroep"]
    assert titles(f"?area={wijk['noord'].pk}") == ["Wandelgroep"]
    assert titles("?days=2") == ["Gratis wandelen"]


def test_csv_export_met_verkeerde_filters_geeft_een_400(client):
    response = client.get("/activiteiten/export.csv?area=999999&days=9")

    assert response.status_code == 400
    assert "zoekfilters kloppen niet" in response.content.decode()


def test_csv_export_van_eenmalige_activiteit(client):
    first = next_weekday_at(3, 19, 30)
    make_activity(title="Lezing", schedule_kind=Activity.ScheduleKind.ONE_OFF, recurrence="",
                  starts_at=first, ends_at=first + timedelta(hours=1),
                  extra_dates=["2027-02-03T19:30"])

    content, [row] = export_rows(client)

    assert row["wanneer"] == "eenmalig"
    assert row["start"] == first.strftime("%Y-%m-%d 19:30")
    assert row["extra_data"] == "2027-02-03 19:30"
    [item] = csv_import.read(content)
    assert item.schedule.extra_dates == ["2027-02-03T19:30"]


@pytest.mark.parametrize("code", ["%00", "WK%00", "x" * 300, "GM9901"])
@pytest.mark.parametrize("page", ["gids.pdf", "agenda.ics"])
def test_a_guide_or_feed_of_something_that_is_no_wijk_is_not_found(client, code, page):
    assert client.get(f"/activiteiten/wijken/{code}/{page}").status_code == 404
