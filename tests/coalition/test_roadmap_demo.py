"""The roadmap demo: realistic records on the demo region, the same when run twice."""

import random

import pytest

from omzien.coalition.demo import build_roadmap_demo
from omzien.coalition.models import (
    Action,
    Chapter,
    CriterionScore,
    Experiment,
    ExperimentStageChange,
    Goal,
    GrantApplication,
    Partner,
)
from omzien.core.demo import build_demo_region
from omzien.core.models import Organisation

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "chapters": list(Chapter.objects.values_list("code", "status", "notes")),
        "goals": list(Goal.objects.order_by("pk").values_list("chapter__code", "text",
                                                              "achieved")),
        "actions": list(Action.objects.order_by("pk").values_list(
            "chapter__code", "title", "owner__organisation__name", "due_date", "status")),
        "applications": list(GrantApplication.objects.order_by("title").values_list(
            "title", "applicant__name", "status", "amount_requested")),
        "scores": CriterionScore.objects.count(),
        "history": list(ExperimentStageChange.objects.values_list("from_stage", "to_stage")),
    }


def test_demo_builds_roadmap_and_grants_once():
    build_demo_region()
    # The network demo makes the partners; here a few are made by hand.
    for name in ["Welzijn Omzienstad", "Gemeente Omzienstad", "Woningcorporatie Thuisdal"]:
        Partner.objects.create(organisation=Organisation.objects.get(name=name))
    build_roadmap_demo(random.Random(1))
    first = snapshot()
    build_roadmap_demo(random.Random(1))
    assert snapshot() == first

    assert Chapter.objects.exclude(status="not_started").count() >= 4
    assert Goal.objects.count() >= 8
    owners = set(Action.objects.values_list("owner__organisation__name", flat=True))
    assert "Woningcorporatie Thuisdal" in owners and "Welzijn Omzienstad" in owners
    statuses = sorted(GrantApplication.objects.values_list("status", flat=True))
    assert statuses == ["assessed", "assessed", "funded", "received"]
    experiment = Experiment.objects.get()
    assert experiment.stage == Experiment.Stage.EVALUATED and experiment.findings
    assert experiment.application.status == GrantApplication.Status.FUNDED
    received = GrantApplication.objects.get(status="received")
    assert not received.scores.exists()


def test_demo_without_partners_still_builds_goals_and_grants():
    build_demo_region()
    build_roadmap_demo(random.Random(1))
    assert not Action.objects.exists()
    assert Goal.objects.exists() and GrantApplication.objects.count() == 4
