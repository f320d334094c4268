"""Grant applications through the pages: add, score, compare, decide; the checklist; the
experiments. Bad input answers 400 with a clear message and saves nothing."""

import pytest
from django.urls import reverse

from omzien.coalition.models import (
    Criterion,
    CriterionScore,
    Experiment,
    ExperimentStageChange,
    GrantApplication,
)
from omzien.core.models import AuditEvent, Role
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer(staff_client):
    client, user = staff_client(Role.POLICY_OFFICER)
    return client


def url(name, *args):
    return reverse(f"coalition_staff:{name}", args=args)


def make_application(title="Samen eten", **fields):
    defaults = {"applicant": make_organisation(), "summary": "Samen koken en eten.",
                "amount_requested": 1000}
    return GrantApplication.objects.create(title=title, **{**defaults, **fields})


def active_criteria():
    return list(Criterion.objects.filter(is_active=True))


def scores_post(values, notes=None):
    data = {}
    for criterion, value in zip(active_criteria(), values, strict=False):
        data[f"score_{criterion.pk}"] = str(value)
        data[f"note_{criterion.pk}"] = (notes or {}).get(criterion.pk, "")
    return data


def test_policy_officer_adds_an_application(officer):
    applicant = make_organisation(name="Bibliotheek Omzienland")
    response = officer.post(url("grant_create"), {
        "title": "Digitaal Café", "applicant": applicant.pk, "summary": "Hulp met de tablet.",
        "amount_requested": "6200.50", "received_on": "2025-03-01",
    })
    application = GrantApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("grant_detail", application.pk)
    assert application.status == GrantApplication.Status.RECEIVED
    assert str(application.amount_requested) == "6200.50"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE,
                                     object_type="coalition.GrantApplication").exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount_requested", "-5", "The amount cannot be negative."),
    ("amount_requested", "veel", "Enter a number."),
    ("received_on", "2999-01-01", "The date of receipt cannot be in the future."),
    ("title", "", "This field is required."),
])
def test_bad_application_input_is_refused(officer, field, value, message):
    data = {"title": "Digitaal Café", "applicant": make_organisation().pk,
            "summary": "Hulp met de tablet.", "amount_requested": "100",
            "received_on": "2025-03-01", field: value}
    response = officer.post(url("grant_create"), data, **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GrantApplication.objects.exists()


def test_scoring_every_question_gives_total_percentage_and_assessed(officer):
    application = make_application()
    values = [3, 2, 3, 1, 2, 0, 2, 3]  # 16 of 24
    first = active_criteria()[0]
    response = officer.post(url("grant_assess", application.pk),
                            scores_post(values, {first.pk: "Expliciet doel in de aanvraag"}))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.ASSESSED
    assert CriterionScore.objects.get(criterion=first).note == "Expliciet doel in de aanvraag"
    page = officer.get(url("grant_detail", application.pk)).content.decode()
    assert "16 / 24 (67%)" in page
    listing = officer.get(url("grant_list")).content.decode()
    assert "16 / 24 (67%)" in listing


def test_partial_scores_are_kept_and_the_application_stays_received(officer):
    application = make_application()
    response = officer.post(url("grant_assess", application.pk), scores_post([3, 3]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.RECEIVED
    assert "2 of 8 scored" in officer.get(url("grant_list"), **EN).content.decode()


def test_the_form_shows_the_four_labelled_choices(officer):
    application = make_application()
    page = officer.get(url("grant_assess", application.pk), **EN).content.decode()
    for label in ["0 — not at all", "1 — a little", "2 — mostly", "3 — fully"]:
        assert label in page
    assert page.count('type="radio"') == 4 * len(active_criteria())


@pytest.mark.parametrize("bad", ["4", "-1", "drie"])
def test_a_score_out_of_range_is_refused_and_nothing_is_saved(officer, bad):
    application = make_application()
    data = scores_post([2, 2, 2, 2, 2, 2, 2, 2])
    data[f"score_{active_criteria()[3].pk}"] = bad
    response = officer.post(url("grant_assess", application.pk), data, **EN)
    assert response.status_code == 400
    assert "Choose a score from 0 to 3." in response.content.decode()
    assert not CriterionScore.objects.exists()


def test_a_score_for_an_unknown_or_switched_off_question_is_refused(officer):
    application = make_application()
    switched_off = active_criteria()[0]
    switched_off.is_active = False
    switched_off.save()
    for key in [f"score_{switched_off.pk}", "score_99999"]:
        data = {**scores_post([1] * 7), key: "3"}
        response = officer.post(url("grant_assess", application.pk), data, **EN)
        assert response.status_code == 400
        assert "not on the checklist" in response.content.decode()
    assert not CriterionScore.objects.exists()


def test_a_note_without_a_score_is_refused(officer):
    application = make_application()
    first = active_criteria()[0]
    response = officer.post(url("grant_assess", application.pk),
                            {f"note_{first.pk}": "Mooi plan"}, **EN)
    assert response.status_code == 400
    assert "Give a score with your note." in response.content.decode()


def test_totals_count_only_the_questions_in_use(officer):
    application = make_application()
    officer.post(url("grant_assess", application.pk), scores_post([3] * 8))
    criterion = active_criteria()[0]
    criterion.is_active = False
    criterion.save()
    page = officer.get(url("grant_detail", application.pk)).content.decode()
    assert "21 / 21 (100%)" in page
    assert CriterionScore.objects.filter(criterion=criterion).exists()  # the old score is kept


def test_comparison_shows_both_totals_highest_first_and_can_turn_around(officer):
    strong, weak = make_application("Sterk plan"), make_application("Zwak plan")
    make_application("Niet gekozen")
    officer.post(url("grant_assess", strong.pk), scores_post([3] * 8))
    officer.post(url("grant_assess", weak.pk), scores_post([1] * 8))
    query = f"?application={weak.pk}&application={strong.pk}"
    page = officer.get(url("grant_compare") + query).content.decode()
    assert "24 / 24" in page and "8 / 24" in page
    assert page.index("Sterk plan") < page.index("Zwak plan")
    assert "Niet gekozen" not in page
    turned = officer.get(url("grant_compare") + query + "&sort=total").content.decode()
    assert turned.index("Zwak plan") < turned.index("Sterk plan")
    everything = officer.get(url("grant_compare")).content.decode()
    assert "Niet gekozen" in everything


def test_comparison_with_a_bad_choice_is_refused(officer):
    response = officer.get(url("grant_compare") + "?application=x", **EN)
    assert response.status_code == 400
    assert "Choose the applications to compare" in response.content.decode()


def test_funding_through_the_page_starts_an_experiment(officer):
    application = make_application()
    officer.post(url("grant_assess", application.pk), scores_post([2] * 8))
    response = officer.post(url("grant_decide", application.pk), {"status": "funded"})
    assert response.status_code == 302
    experiment = Experiment.objects.get(application=application)
    assert experiment.stage == Experiment.Stage.FUNDED
    page = officer.get(url("experiment_list")).content.decode()
    assert application.title in page


@pytest.mark.parametrize("status", ["funded", "assessed", "received", "onbekend"])
def test_deciding_on_a_received_application_is_refused(officer, status):
    application = make_application()
    response = officer.post(url("grant_decide", application.pk), {"status": status}, **EN)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.RECEIVED


def test_stage_change_through_the_page_needs_a_reason_to_stop(officer):
    application = make_application(status=GrantApplication.Status.FUNDED)
    experiment = Experiment.objects.create(application=application)
    response = officer.post(url("experiment_stage", experiment.pk), {"stage": "stopped"}, **EN)
    assert response.status_code == 400
    assert "Write down why the experiment stops." in response.content.decode()
    response = officer.post(url("experiment_stage", experiment.pk), {"stage": "structural"},
                            **EN)
    assert response.status_code == 400
    assert "Choose one of the stages." in response.content.decode()
    assert not ExperimentStageChange.objects.exists()
    response = officer.post(url("experiment_stage", experiment.pk), {"stage": "evaluated"})
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.stage == Experiment.Stage.EVALUATED
    page = officer.get(url("experiment_detail", experiment.pk), **EN).content.decode()
    assert "evaluated" in page


def test_findings_are_editable(officer):
    experiment = Experiment.objects.create(
        application=make_application(status=GrantApplication.Status.FUNDED))
    response = officer.post(url("experiment_findings", experiment.pk),
                            {"findings": "Veertien deelnemers per week."})
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.findings == "Veertien deelnemers per week."
    assert "Veertien deelnemers" in officer.get(url("experiment_detail",
                                                    experiment.pk)).content.decode()


def test_experiment_overview_counts_per_stage(officer):
    for index, stage in enumerate(["funded", "promising", "promising", "structural"]):
        Experiment.objects.create(stage=stage, application=make_application(
            f"Experiment {index}", status=GrantApplication.Status.FUNDED))
    page = officer.get(url("experiment_list")).content.decode()
    assert 'data-stage="promising">2<' in page
    assert 'data-stage="structural">1<' in page
    assert 'data-stage="stopped">0<' in page


def test_checklist_question_is_added_at_the_end_and_can_move(officer):
    response = officer.post(url("criterion_create"), {
        "question": "Past het bij de wijk?", "guidance": "", "is_active": "on",
    })
    assert response.status_code == 302
    new = Criterion.objects.get(question="Past het bij de wijk?")
    assert list(Criterion.objects.all())[-1] == new
    officer.post(url("criterion_move", new.pk), {"direction": "up"})
    assert list(Criterion.objects.all())[-2] == new
    first = Criterion.objects.first()
    response = officer.post(url("criterion_move", first.pk), {"direction": "up"}, **EN)
    assert response.status_code == 400
    assert "cannot move further" in response.content.decode()


def test_checklist_question_can_be_switched_off(officer):
    criterion = active_criteria()[0]
    officer.post(url("criterion_edit", criterion.pk),
                 {"question": criterion.question, "guidance": ""})
    criterion.refresh_from_db()
    assert not criterion.is_active
    application = make_application()
    page = officer.get(url("grant_assess", application.pk)).content.decode()
    assert f'name="score_{criterion.pk}"' not in page


def test_a_question_with_scores_is_never_removed(officer):
    application = make_application()
    officer.post(url("grant_assess", application.pk), scores_post([1]))
    scored = active_criteria()[0]
    response = officer.post(url("criterion_delete", scored.pk), **EN)
    assert response.status_code == 400
    assert "Switch it off instead" in response.content.decode()
    assert Criterion.objects.filter(pk=scored.pk).exists()
    unscored = active_criteria()[1]
    assert officer.post(url("criterion_delete", unscored.pk)).status_code == 302
    assert not Criterion.objects.filter(pk=unscored.pk).exists()
