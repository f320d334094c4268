"""The status rules of grant applications and the stages of experiments."""

import itertools

import pytest
from django.urls import reverse

from omzien.coalition import services
from omzien.coalition.models import (
    Criterion,
    CriterionScore,
    Experiment,
    ExperimentStageChange,
    GrantApplication,
)
from omzien.core.models import AuditEvent, Role
from tests.conftest import login_verified, make_organisation, make_staff

pytestmark = pytest.mark.django_db

Stage = Experiment.Stage
Status = GrantApplication.Status

# Written out by hand: the pipeline of 'funded → evaluated → promising → made structural', and
# 'stopped' from any stage before structural.
EXPECTED_STAGES = {
    ("funded", "evaluated"), ("evaluated", "promising"), ("promising", "structural"),
    ("funded", "stopped"), ("evaluated", "stopped"), ("promising", "stopped"),
}
EXPECTED_STATUSES = {("received", "assessed"), ("assessed", "funded"), ("assessed", "rejected")}


def make_application(**fields):
    defaults = {"title": "Samen eten", "applicant": make_organisation(),
                "summary": "Samen koken en eten.", "amount_requested": 1000}
    return GrantApplication.objects.create(**{**defaults, **fields})


def make_experiment(stage):
    application = make_application(status=Status.FUNDED)
    return Experiment.objects.create(application=application, stage=stage)


def score_all(application, value=2):
    for criterion in Criterion.objects.filter(is_active=True):
        CriterionScore.objects.create(application=application, criterion=criterion, score=value)


def test_the_stage_table_is_the_pipeline():
    allowed = {(a, b) for a, targets in services.STAGE_TRANSITIONS.items() for b in targets}
    assert allowed == EXPECTED_STAGES
    assert set(services.STAGE_TRANSITIONS) == set(Stage.values)


def test_the_status_table_is_received_assessed_decided():
    allowed = {(a, b) for a, targets in services.GRANT_TRANSITIONS.items() for b in targets}
    assert allowed == EXPECTED_STATUSES


@pytest.mark.parametrize(("current", "target"), list(itertools.permutations(Stage.values, 2)))
def test_each_stage_change_follows_the_table(current, target):
    user = make_staff(Role.POLICY_OFFICER)
    experiment = make_experiment(current)
    if (current, target) in EXPECTED_STAGES:
        services.change_experiment_stage(user, experiment, target, reason="Besproken in overleg")
        experiment.refresh_from_db()
        assert experiment.stage == target
        change = ExperimentStageChange.objects.get(experiment=experiment)
        assert (change.from_stage, change.to_stage, change.changed_by) == (current, target, user)
        assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE,
                                         object_id=str(experiment.pk)).exists()
    else:
        with pytest.raises(services.RoadmapRuleError):
            services.change_experiment_stage(user, experiment, target, reason="Toch maar")
        experiment.refresh_from_db()
        assert experiment.stage == current
        assert not ExperimentStageChange.objects.filter(experiment=experiment).exists()


def test_stopping_needs_a_reason():
    user = make_staff(Role.POLICY_OFFICER)
    experiment = make_experiment(Stage.EVALUATED)
    with pytest.raises(services.RoadmapRuleError, match="waarom"):
        services.change_experiment_stage(user, experiment, Stage.STOPPED, reason="   ")
    experiment.refresh_from_db()
    assert experiment.stage == Stage.EVALUATED
    services.change_experiment_stage(user, experiment, Stage.STOPPED,
                                     reason="Bereikt vooral mensen die al kwamen.")
    assert experiment.history.get().reason == "Bereikt vooral mensen die al kwamen."


def test_an_application_becomes_assessed_only_when_every_active_question_is_scored():
    user = make_staff(Role.POLICY_OFFICER)
    application = make_application()
    criteria = list(Criterion.objects.filter(is_active=True))
    assert len(criteria) == 8  # the checklist from the migration
    services.save_assessment(user, application, dict.fromkeys(criteria[:-1], (2, "")))
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    services.save_assessment(user, application, {criteria[-1]: (0, "Niets over")})
    application.refresh_from_db()
    assert application.status == Status.ASSESSED


def test_funding_an_assessed_application_starts_an_experiment():
    user = make_staff(Role.POLICY_OFFICER)
    application = make_application(status=Status.ASSESSED)
    score_all(application)
    services.decide_grant_application(user, application, Status.FUNDED)
    experiment = Experiment.objects.get(application=application)
    assert experiment.stage == Stage.FUNDED
    assert list(experiment.history.values_list("from_stage", "to_stage")) == [("", "funded")]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE,
                                     object_type="coalition.Experiment").exists()


@pytest.mark.parametrize("status", [Status.FUNDED, Status.REJECTED])
def test_a_received_application_cannot_be_decided_yet(status):
    user = make_staff(Role.POLICY_OFFICER)
    application = make_application()
    score_all(application)  # scored, but not moved on: the rule is the status
    with pytest.raises(services.RoadmapRuleError):
        services.decide_grant_application(user, application, status)
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert not Experiment.objects.exists()


def test_a_decided_application_keeps_its_scores():
    user = make_staff(Role.POLICY_OFFICER)
    application = make_application(status=Status.REJECTED)
    score_all(application, 1)
    criterion = Criterion.objects.filter(is_active=True).first()
    with pytest.raises(services.RoadmapRuleError):
        services.save_assessment(user, application, {criterion: (3, "")})
    assert CriterionScore.objects.get(application=application, criterion=criterion).score == 1


def test_rejecting_does_not_start_an_experiment():
    user = make_staff(Role.POLICY_OFFICER)
    application = make_application(status=Status.ASSESSED)
    score_all(application)
    services.decide_grant_application(user, application, Status.REJECTED)
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert not Experiment.objects.exists()


def test_the_history_shows_changes_whose_author_is_gone(client):
    experiment = make_experiment(Stage.EVALUATED)
    ExperimentStageChange.objects.create(experiment=experiment, from_stage=Stage.FUNDED,
                                         to_stage=Stage.EVALUATED, changed_by=None)
    login_verified(client, make_staff(Role.POLICY_OFFICER))
    response = client.get(reverse("coalition_staff:experiment_detail", args=[experiment.pk]))
    assert response.status_code == 200
    assert "—" in response.text
