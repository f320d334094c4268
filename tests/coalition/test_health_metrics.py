"""The network health numbers, on small worlds whose answers were worked out by hand."""

import math
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.coalition import queries
from omzien.coalition.models import Action, SurveyRound, WorkingGroup
from omzien.core.models import Role
from tests.coalition.health_helpers import answer, at, make_meeting, make_partner

TODAY = date(2026, 6, 15)


# --- the diversity index ---------------------------------------------------------------------

def test_one_sector_only_is_no_diversity():
    assert queries.sector_diversity_index([5]) == 0.0


def test_every_sector_equally_is_full_diversity():
    assert queries.sector_diversity_index([3] * 12) == 1.0


def test_two_sectors_equally_of_twelve():
    # H = ln 2 = 0.6931; ln 12 = 2.4849; 0.6931 / 2.4849 = 0.2789
    assert queries.sector_diversity_index([4, 4]) == 0.279


def test_uneven_spread_over_three_sectors():
    # shares 1/2, 1/4, 1/4: H = 0.5·ln 2 + 2·0.25·ln 4 = 0.3466 + 0.6931 = 1.0397;
    # 1.0397 / ln 12 (2.4849) = 0.4184
    assert queries.sector_diversity_index([2, 1, 1]) == 0.418


def test_index_with_a_shorter_sector_list():
    assert queries.sector_diversity_index([1, 1, 1, 1], number_of_sectors=4) == 1.0
    assert queries.sector_diversity_index([2, 2], number_of_sectors=4) == 0.5  # ln 2 / ln 4


def test_zero_counts_are_ignored_and_no_partners_has_no_index():
    assert queries.sector_diversity_index([2, 0, 1, 1, 0]) == 0.418
    assert queries.sector_diversity_index([]) is None
    assert queries.sector_diversity_index([0, 0]) is None


def test_the_index_never_leaves_zero_to_one():
    for counts in ([1], [1, 100], [7, 3, 1, 1], [1] * 12, [50] + [1] * 11):
        assert 0 <= queries.sector_diversity_index(counts) <= 1


# --- partners over time ------------------------------------------------------------------------

@pytest.mark.django_db
def test_partner_trend_month_by_month():
    make_partner("A", joined_on=date(2025, 1, 10))
    make_partner("B", joined_on=date(2025, 9, 5))
    make_partner("C", joined_on=date(2026, 3, 20), archived_at=at(2026, 5, 2))
    make_partner("D", joined_on=date(2025, 3, 1), archived_at=at(2025, 10, 31, hour=23))

    trend = queries.partner_trend(TODAY)

    assert trend["now"] == 2  # A and B
    assert trend["year_ago"] == 2  # on 15 June 2025: A and D
    assert trend["change"] == 0
    months = [(row.month, row.partners, row.joined, row.left) for row in trend["months"]]
    assert months == [
        (date(2025, 7, 1), 2, 0, 0),
        (date(2025, 8, 1), 2, 0, 0),
        (date(2025, 9, 1), 3, 1, 0),
        (date(2025, 10, 1), 2, 0, 1),  # D left late on 31 October
        (date(2025, 11, 1), 2, 0, 0),
        (date(2025, 12, 1), 2, 0, 0),
        (date(2026, 1, 1), 2, 0, 0),
        (date(2026, 2, 1), 2, 0, 0),
        (date(2026, 3, 1), 3, 1, 0),
        (date(2026, 4, 1), 3, 0, 0),
        (date(2026, 5, 1), 2, 0, 1),
        (date(2026, 6, 1), 2, 0, 0),
    ]


def test_months_back_keeps_the_day_where_it_can():
    assert queries.months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert queries.months_back(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert queries.months_back(date(2026, 1, 1), -1) == date(2026, 2, 1)


# --- sectors -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_sector_overview_names_present_and_missing_sectors():
    make_partner("Welzijn 1", "welzijn")
    make_partner("Welzijn 2", "welzijn")
    make_partner("Huisarts", "zorg")
    make_partner("Corporatie", "wonen")
    make_partner("Oude bakker", "ondernemers", archived_at=at(2026, 1, 1))

    overview = queries.sector_overview()

    assert {s["value"]: s["count"] for s in overview["present"]} == {
        "welzijn": 2, "zorg": 1, "wonen": 1}
    assert len(overview["missing"]) == 9
    # The archived bakery does not count: businesses are missing, like schools.
    assert [s["value"] for s in overview["missing_usual_gaps"]] == ["onderwijs", "ondernemers"]
    assert overview["diversity_index"] == 0.418


# --- meetings and action items -------------------------------------------------------------------

@pytest.mark.django_db
def test_meeting_attendance_counts_invited_meetings_of_the_last_year():
    a, b, c = make_partner("A"), make_partner("B"), make_partner("C")
    make_meeting("Januari", at(2026, 1, 10), invited=[a, b], attended=[a])
    make_meeting("Maart", at(2026, 3, 10), invited=[a, b], attended=[a, b])
    make_meeting("Te lang geleden", at(2025, 5, 1), invited=[a], attended=[a])
    make_meeting("Nog niet geweest", at(2026, 7, 1), invited=[a])
    make_meeting("Inloop", at(2026, 4, 1), attended=[c])  # C came without an invitation

    rows = {str(p): (p.invited_count, p.attended_count, p.attendance_rate)
            for p in queries.meeting_attendance(TODAY)}

    assert rows == {"A": (2, 2, 1.0), "B": (2, 1, 0.5), "C": (0, 0, None)}


@pytest.mark.django_db
def test_action_items_done_on_time_and_overdue():
    owner = make_partner("Eigenaar")
    done, open_, dropped = Action.Status.DONE, Action.Status.OPEN, Action.Status.DROPPED
    for title, due, status, completed in [
        ("op tijd", date(2026, 1, 1), done, date(2025, 12, 20)),
        ("te laat", date(2026, 2, 1), done, date(2026, 2, 5)),
        ("nog open, verlopen", date(2026, 3, 1), open_, None),
        ("geschrapt", date(2026, 4, 1), dropped, None),
        ("nog niet aan de beurt", date(2026, 7, 1), open_, None),
        ("lang geleden op tijd", date(2025, 1, 1), done, date(2025, 1, 1)),
        ("lang geleden, nog bezig", date(2025, 1, 1), Action.Status.IN_PROGRESS, None),
        ("vandaag klaar", TODAY, done, TODAY),
        ("vandaag, nog open", TODAY, open_, None),
    ]:
        Action.objects.create(title=title, owner=owner, due_date=due, status=status,
                              completed_on=completed)

    result = queries.action_punctuality(TODAY)

    # Due in the last year, not dropped: op tijd, te laat, nog open, vandaag klaar.
    assert result == {"due": 4, "on_time": 2, "overdue": 2, "on_time_rate": 0.5}


# --- the survey --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_survey_trend_averages_only_from_three_answers():
    a, b, c = make_partner("A"), make_partner("B"), make_partner("C")
    early = SurveyRound.objects.create(title="Voorjaar", opens_on=date(2025, 3, 1),
                                       closes_on=date(2025, 3, 31))
    later = SurveyRound.objects.create(title="Najaar", opens_on=date(2025, 10, 1),
                                       closes_on=date(2025, 10, 31))
    answer(early, a, 5, 5, 5, 5)
    answer(early, b, 1, 1, 1, 1)
    answer(later, a, 4, 2, 5, 1)
    answer(later, b, 5, 3, 5, 2)
    answer(later, c, 3, 3, 5, 4)

    first, second = queries.survey_trend()

    assert (first.title, first.response_count, first.enough_responses) == ("Voorjaar", 2, False)
    assert first.averages == [None, None, None, None]
    # 12/3 = 4.0; 8/3 = 2.67; 15/3 = 5.0; 7/3 = 2.33
    assert (second.title, second.response_count) == ("Najaar", 3)
    assert second.averages == [4.0, 2.7, 5.0, 2.3]


# --- who works with whom -----------------------------------------------------------------------

@pytest.mark.django_db
def test_collaboration_weights_from_groups_and_meetings():
    a, b, c = make_partner("A"), make_partner("B"), make_partner("C")
    gone = make_partner("Vertrokken", archived_at=at(2026, 1, 1))
    everyone = WorkingGroup.objects.create(name="Ouderen", focus="ouderen")
    everyone.members.set([a, b, c, gone])
    WorkingGroup.objects.create(name="Jongeren", focus="jongeren").members.set([a, b])
    make_meeting("Recent", at(2026, 2, 1), attended=[a, b])
    make_meeting("Oud", at(2025, 1, 1), attended=[b, c])

    def weights(pairs):
        return {(str(p.partner_a), str(p.partner_b)): (p.kinds["working_group"],
                                                       p.kinds["meeting"], p.weight)
                for p in pairs}

    assert weights(queries.collaboration_network(since=date(2025, 6, 15))) == {
        ("A", "B"): (2, 1, 3), ("A", "C"): (1, 0, 1), ("B", "C"): (1, 0, 1)}
    assert weights(queries.collaboration_network()) == {
        ("A", "B"): (2, 1, 3), ("A", "C"): (1, 0, 1), ("B", "C"): (1, 1, 2)}
    kinds = {kind for _a, _b, kind in queries.collaboration_links()}
    assert kinds == {"working_group", "meeting"}


# --- the page ----------------------------------------------------------------------------------

def _grow_network(count, offset=0):
    partners = [make_partner(f"Partner {offset + n}", sector=sector)
                for n, sector in zip(range(count), ["welzijn", "zorg", "wonen", "sport"] * 9,
                                     strict=False)]
    group = WorkingGroup.objects.create(name=f"Groep {offset}", focus="thema")
    group.members.set(partners)
    make_meeting(f"Overleg {offset}", at(2026, 1, 10 + offset % 10), invited=partners,
                 attended=partners[:2])
    Action.objects.create(title=f"Actie {offset}", owner=partners[0], due_date=date(2026, 1, 1))
    survey_round = SurveyRound.objects.create(title=f"Ronde {offset}", opens_on=date(2026, 1, 1),
                                              closes_on=date(2026, 1, 31))
    for partner in partners[:3]:
        answer(survey_round, partner, 4, 4, 3, 5)


@pytest.mark.django_db
def test_the_page_needs_the_same_number_of_queries_for_a_bigger_network(staff_client):
    client, _user = staff_client(Role.COORDINATOR)
    url = reverse("coalition_staff:network_health")
    _grow_network(4)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_network(12, offset=100)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert response.status_code == 200
    assert "Partner 111" in response.text
    assert len(big) == len(small)


@pytest.mark.django_db
def test_page_shows_numbers_and_hides_small_rounds(staff_client):
    client, _user = staff_client(Role.POLICY_OFFICER)
    a, b, c = make_partner("Alfa", "welzijn"), make_partner("Beta", "zorg"), make_partner(
        "Gamma", "wonen")
    small = SurveyRound.objects.create(title="Kleine ronde", opens_on=date(2025, 3, 1),
                                       closes_on=date(2025, 3, 31))
    answer(small, a, 2, 2, 2, 2)
    answer(small, b, 4, 4, 4, 4)
    full = SurveyRound.objects.create(title="Volle ronde", opens_on=date(2025, 10, 1),
                                      closes_on=date(2025, 10, 31))
    for partner, score in ((a, 1), (b, 2), (c, 5)):
        answer(full, partner, score, score, score, score)

    response = client.get(reverse("coalition_staff:network_health"))

    assert response.status_code == 200
    text = response.text
    row_small = text[text.index("Kleine ronde"):text.index("Volle ronde")]
    assert "3,0" not in row_small  # the average of 2 and 4 is not on the page
    assert "2,7" in text  # (1 + 2 + 5) / 3
    # three sectors of twelve, evenly: ln 3 / ln 12 = 1.0986 / 2.4849 = 0.44
    assert "0,44" in text
    assert 'role="img"' in text
    # Chart coordinates are plain numbers, not written the Dutch way with a comma.
    assert not re.search(r' (x|y|x1|y1|cx|cy|width|height|points)="-?[0-9]+,[0-9]', text)
    assert math.isclose(queries.sector_diversity_index([1, 1, 1]), 0.442)
