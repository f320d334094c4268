"""Zoeken in het aanbod: woorden (met Nederlandse stamvormen), wijk en buurt, afstand, dagen,
dagdelen, soort, doelgroep, gratis, zonder verwijzing, rolstoel, en de volgorde."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from omzien.activities.models import Activity
from omzien.activities.queries import (
    Near,
    SearchCriteria,
    is_stale,
    search_activities,
    with_staleness,
)
from tests.activities.factories import make_activity, make_area, make_location, next_weekday_at

pytestmark = pytest.mark.django_db


def titles(criteria, include_referral=True):
    return [activity.title for activity in search_activities(criteria, include_referral)]


@pytest.fixture
def areas():
    municipality = make_area("GM0344", "Omzienstad")
    noord = make_area("WK034401", "Noord", parent=municipality)
    zuid = make_area("WK034402", "Zuid", parent=municipality)
    return {
        "noord": noord, "zuid": zuid,
        "vogelbuurt": make_area("BU03440101", "Vogelbuurt", parent=noord),
        "bloemenbuurt": make_area("BU03440102", "Bloemenbuurt", parent=noord),
        "havenbuurt": make_area("BU03440201", "Havenbuurt", parent=zuid),
    }


@pytest.mark.parametrize(("query", "title"), [
    ("wandelen", "Wandelgroep De Stappers"),
    ("eten", "Samen eten in de buurt"),
    ("Wandel", "Wandelgroep De Stappers"),
    ("SAMEN ETEN", "Samen eten in de buurt"),
    ("café", "Cafe Ontmoeting"),
])
def test_een_woord_vindt_ook_andere_vormen_van_dat_woord(query, title):
    make_activity(title="Wandelgroep De Stappers", description="<p>Elke week een uur.</p>")
    make_activity(title="Samen eten in de buurt", description="<p>Drie gangen.</p>")
    make_activity(title="Cafe Ontmoeting", description="<p>Koffie.</p>")

    assert titles(SearchCriteria(text=query)) == [title]


def test_alle_woorden_moeten_passen():
    make_activity(title="Samen wandelen", description="")
    make_activity(title="Samen eten", description="")

    assert titles(SearchCriteria(text="samen wandelen")) == ["Samen wandelen"]
    assert titles(SearchCriteria(text="samen fietsen")) == []


def test_zonder_woorden_of_met_alleen_stopwoorden_komt_alles():
    make_activity(title="Breiclub")
    make_activity(title="Zingen")

    assert len(titles(SearchCriteria(text=""))) == 2
    assert len(titles(SearchCriteria(text="de het een"))) == 2


def test_alleen_gepubliceerde_activiteiten():
    make_activity(title="Loopt")
    make_activity(title="Gepauzeerd", status=Activity.Status.PAUSED)
    make_activity(title="Gestopt", status=Activity.Status.ENDED)
    make_activity(title="Nog niet goedgekeurd", review_state=Activity.ReviewState.PENDING)

    assert sorted(titles(SearchCriteria())) == ["Gepauzeerd", "Loopt"]


def test_een_wijk_vindt_de_activiteiten_in_al_haar_buurten(areas):
    make_activity(title="In de Vogelbuurt", locations=[make_location(area=areas["vogelbuurt"])])
    make_activity(title="In de Bloemenbuurt",
                  locations=[make_location(area=areas["bloemenbuurt"])])
    make_activity(title="In de Havenbuurt", locations=[make_location(area=areas["havenbuurt"])])

    assert titles(SearchCriteria(area=areas["noord"])) == ["In de Bloemenbuurt",
                                                          "In de Vogelbuurt"]
    assert titles(SearchCriteria(area=areas["vogelbuurt"])) == ["In de Vogelbuurt"]
    assert titles(SearchCriteria(area=areas["zuid"])) == ["In de Havenbuurt"]


def test_een_activiteit_op_twee_plekken_komt_een_keer(areas):
    make_activity(title="Op twee plekken", locations=[
        make_location(area=areas["vogelbuurt"]), make_location(area=areas["bloemenbuurt"]),
    ])

    assert titles(SearchCriteria(area=areas["noord"])) == ["Op twee plekken"]


def test_dagen_en_dagdelen():
    make_activity(title="Dinsdagochtend", starts_at=next_weekday_at(1, 10))
    make_activity(title="Donderdagavond", starts_at=next_weekday_at(3, 19))
    make_activity(title="Zaterdagmiddag", starts_at=next_weekday_at(5, 14))

    assert titles(SearchCriteria(weekdays={1})) == ["Dinsdagochtend"]
    assert titles(SearchCriteria(weekdays={1, 3})) == ["Dinsdagochtend", "Donderdagavond"]
    assert titles(SearchCriteria(day_parts={"evening"})) == ["Donderdagavond"]
    assert titles(SearchCriteria(day_parts={"morning", "afternoon"})) == [
        "Dinsdagochtend", "Zaterdagmiddag"]
    assert titles(SearchCriteria(weekdays={3}, day_parts={"morning"})) == []


def test_soort_en_doelgroep():
    make_activity(title="Maaltijd voor 75-plussers",
                  term_codes=["shared_meal", "age_75_plus"])
    make_activity(title="Maaltijd voor iedereen", term_codes=["shared_meal", "everyone"])
    make_activity(title="Gym voor 75-plussers", term_codes=["exercise", "age_75_plus"])

    assert titles(SearchCriteria(kinds={"shared_meal"})) == [
        "Maaltijd voor 75-plussers", "Maaltijd voor iedereen"]
    assert titles(SearchCriteria(kinds={"shared_meal"}, target_groups={"age_75_plus"})) == [
        "Maaltijd voor 75-plussers"]
    assert titles(SearchCriteria(kinds={"shared_meal", "exercise"},
                                 target_groups={"age_75_plus"})) == [
        "Gym voor 75-plussers", "Maaltijd voor 75-plussers"]


def test_gratis_zonder_verwijzing_en_rolstoel():
    make_activity(title="Gratis", cost=0)
    make_activity(title="Kost geld", cost=5)
    make_activity(title="Met verwijzing", access=Activity.Access.REFERRAL)
    make_activity(title="Rolstoel", wheelchair_accessible=True, cost=2)

    assert titles(SearchCriteria(free_only=True)) == ["Gratis", "Met verwijzing"]
    assert "Met verwijzing" not in titles(SearchCriteria(open_access_only=True))
    assert titles(SearchCriteria(accessible_only=True)) == ["Rolstoel"]
    assert titles(SearchCriteria(free_only=True, open_access_only=True)) == ["Gratis"]


def test_zonder_include_referral_blijven_activiteiten_met_verwijzing_weg():
    make_activity(title="Open")
    make_activity(title="Met verwijzing", access=Activity.Access.REFERRAL)

    assert titles(SearchCriteria(), include_referral=False) == ["Open"]
    assert titles(SearchCriteria(), include_referral=True) == ["Met verwijzing", "Open"]


def test_alle_filters_samen(areas):
    wanted = make_activity(
        title="Wandelgroep Noord", cost=0, wheelchair_accessible=True,
        term_codes=["exercise", "age_75_plus"], starts_at=next_weekday_at(1, 10),
        locations=[make_location(area=areas["vogelbuurt"])],
    )
    make_activity(title="Wandelgroep Zuid", cost=0, wheelchair_accessible=True,
                  term_codes=["exercise", "age_75_plus"],
                  locations=[make_location(area=areas["havenbuurt"])])
    make_activity(title="Wandelgroep Noord, kost geld", cost=3, wheelchair_accessible=True,
                  term_codes=["exercise"], locations=[make_location(area=areas["vogelbuurt"])])

    criteria = SearchCriteria(
        text="wandelen", area=areas["noord"], weekdays={1}, day_parts={"morning"},
        kinds={"exercise"}, target_groups={"age_75_plus"}, free_only=True,
        open_access_only=True, accessible_only=True,
    )
    assert list(search_activities(criteria)) == [wanted]


def test_in_de_buurt_dichtstbijzijnde_eerst_en_niet_te_ver():
    # Around Utrecht Centraal; 0.01 degree of latitude is about 1.1 km.
    make_activity(title="Twee km", locations=[make_location(latitude=52.108, longitude=5.11)])
    make_activity(title="Naast de deur",
                  locations=[make_location(latitude=52.0901, longitude=5.11)])
    make_activity(title="Eén km", locations=[make_location(latitude=52.099, longitude=5.11)])
    make_activity(title="Ver weg", locations=[make_location(latitude=52.5, longitude=5.11)])
    make_activity(title="Hoek van het vierkant, buiten de cirkel",
                  locations=[make_location(latitude=52.109, longitude=5.132)])

    found = list(search_activities(SearchCriteria(near=Near(52.09, 5.11, 2.5))))

    assert [activity.title for activity in found] == ["Naast de deur", "Eén km", "Twee km"]
    assert found[1].distance_sq == pytest.approx(1.0, rel=0.05)


def test_in_de_buurt_telt_de_dichtstbijzijnde_plek():
    make_activity(title="Twee plekken", locations=[
        make_location(latitude=52.3, longitude=5.11),
        make_location(latitude=52.0905, longitude=5.11),
    ])
    make_activity(title="Eén plek", locations=[make_location(latitude=52.095, longitude=5.11)])

    assert titles(SearchCriteria(near=(52.09, 5.11, 5))) == ["Twee plekken", "Eén plek"]


def test_verouderde_informatie_zakt_naar_beneden(settings):
    settings.OMZIEN_ACTIVITY_STALE_DAYS = 100
    soon = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    old = make_activity(title="Lang niet nagekeken, maar het eerst", starts_at=soon)
    Activity.objects.filter(pk=old.pk).update(verified_at=timezone.now() - timedelta(days=101))
    make_activity(title="Overmorgen", starts_at=soon + timedelta(days=2))
    make_activity(title="Morgen", starts_at=soon + timedelta(days=1))
    make_activity(title="Op afspraak", schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)
    old.refresh_from_db()

    assert titles(SearchCriteria()) == [
        "Morgen", "Overmorgen", "Op afspraak", "Lang niet nagekeken, maar het eerst"]
    assert is_stale(old)
    assert with_staleness(Activity.objects.filter(pk=old.pk)).get().is_stale


def test_volgende_datum_bepaalt_de_volgorde():
    make_activity(title="Vrijdag", starts_at=next_weekday_at(4, 9))
    make_activity(title="Maandag", starts_at=next_weekday_at(0, 9))
    make_activity(title="Op afspraak", schedule_kind=Activity.ScheduleKind.BY_APPOINTMENT)

    found = titles(SearchCriteria())

    monday_first = next_weekday_at(0, 9) < next_weekday_at(4, 9)
    assert found[:2] == (["Maandag", "Vrijdag"] if monday_first else ["Vrijdag", "Maandag"])
    assert found[2] == "Op afspraak"


def test_geen_distinct_nodig_en_een_enkele_query(areas):
    make_activity(title="Wandelen", locations=[make_location(area=areas["vogelbuurt"])])
    criteria = SearchCriteria(text="wandelen", area=areas["noord"], free_only=True,
                              weekdays={1})

    with CaptureQueriesContext(connection) as queries:
        found = list(search_activities(criteria))

    assert len(found) == 1
    sql = queries.captured_queries[-1]["sql"].upper()
    assert "DISTINCT" not in sql
