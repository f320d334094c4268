"""Operations that change the coalition's records. Each runs in one transaction and records an
audit event through omzien.core.services.record_audit_event."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.core.models import AuditEvent
from omzien.core.services import record_audit_event, save_form_with_audit

from . import queries
from .models import (
    SCORE_MAX,
    Action,
    Criterion,
    CriterionScore,
    Experiment,
    ExperimentStageChange,
    GrantApplication,
    Partner,
    SurveyResponse,
)

# --- partners, working groups, meetings, action items (network) ---


def _created_or_updated(is_new):
    return AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE


@transaction.atomic
def save_partner(user, form):
    """Create or update a partner record from a valid PartnerForm."""
    return save_form_with_audit(user, form)


@transaction.atomic
def set_partner_archived(user, partner, archived):
    """Archive a partner that leaves the coalition, or bring it back. Partners are never deleted:
    meetings, action items and survey answers keep pointing at them."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if archived == (partner.archived_at is not None):
        return partner
    partner.archived_at = timezone.now() if archived else None
    partner.save(update_fields=["archived_at"])
    record_audit_event(user, AuditEvent.Action.UPDATE, partner, detail={"archived": archived})
    return partner


@transaction.atomic
def save_working_group(user, form):
    return save_form_with_audit(user, form)


@transaction.atomic
def save_meeting(user, form):
    return save_form_with_audit(user, form)


@transaction.atomic
def add_decision(user, meeting, form):
    decision = form.save(commit=False)
    decision.meeting = meeting
    decision.save()
    record_audit_event(user, AuditEvent.Action.CREATE, decision, detail={"meeting": meeting.pk})
    return decision


@transaction.atomic
def save_action(user, form, meeting=None):
    """Create or update an action item. Done means done on a date: completed_on is set when the
    status becomes done (today, unless the coordinator filled in the real date) and cleared when
    the item is reopened."""
    is_new = form.instance.pk is None
    action = form.save(commit=False)
    if meeting is not None:
        action.meeting = meeting
        action.working_group = meeting.working_group
    if action.status == Action.Status.DONE:
        action.completed_on = action.completed_on or timezone.localdate()
    else:
        action.completed_on = None
    action.save()
    form.save_m2m()
    record_audit_event(user, _created_or_updated(is_new), action,
                       detail={"fields": sorted(form.changed_data), "status": action.status})
    return action


def record_action_export(user, show, count):
    record_audit_event(user, AuditEvent.Action.EXPORT, object_type="coalition.Action",
                       detail={"filter": show, "rows": count})

# --- survey, network health, campaigns (health) ---


@transaction.atomic
def save_survey_round(user, form):
    """Open (or correct) a round of the success-factor survey."""
    return save_form_with_audit(user, form)


class SurveyClosed(Exception):
    """The round is not open (any more), or the partner has left the coalition."""


@transaction.atomic
def answer_survey(user, survey_round, partner, scores, remark="", today=None):
    """Save one partner's answers to a round; answering again replaces the earlier answers.
    The caller has checked is_partner_contact(user, partner)."""
    today = today or timezone.localdate()
    if not queries.survey_round_is_open(survey_round, today) or partner.archived_at:
        raise SurveyClosed
    response, created = SurveyResponse.objects.update_or_create(
        round=survey_round, partner=partner, defaults={**scores, "remark": remark},
    )
    record_audit_event(user, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                       response, detail={"round": survey_round.pk, "partner": partner.pk})
    return response


@transaction.atomic
def save_campaign(user, form):
    return save_form_with_audit(user, form)


# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---


class RoadmapRuleError(Exception):
    """A change the rules of the roadmap, the checklist or the experiments do not allow. The
    message is meant for the user."""


# Grant applications: received → assessed (every active criterion scored) → funded or rejected.
GRANT_TRANSITIONS = {
    GrantApplication.Status.RECEIVED: {GrantApplication.Status.ASSESSED},
    GrantApplication.Status.ASSESSED: {GrantApplication.Status.FUNDED,
                                       GrantApplication.Status.REJECTED},
    GrantApplication.Status.FUNDED: set(),
    GrantApplication.Status.REJECTED: set(),
}

# Experiments move one step forward at a time, or stop at any stage before structural.
Stage = Experiment.Stage  # short name for the table below
STAGE_TRANSITIONS = {
    Stage.FUNDED: {Stage.EVALUATED, Stage.STOPPED},
    Stage.EVALUATED: {Stage.PROMISING, Stage.STOPPED},
    Stage.PROMISING: {Stage.STRUCTURAL, Stage.STOPPED},
    Stage.STRUCTURAL: set(),
    Stage.STOPPED: set(),
}


@transaction.atomic
def save_chapter(user, form):
    """Save a chapter's status and notes."""
    return save_form_with_audit(user, form)


@transaction.atomic
def save_goal(user, form):
    return save_form_with_audit(user, form)


@transaction.atomic
def set_goal_achieved(user, goal, achieved=True):
    goal.achieved = achieved
    goal.save(update_fields=["achieved"])
    record_audit_event(user, AuditEvent.Action.UPDATE, goal, detail={"achieved": achieved})
    return goal


@transaction.atomic
def save_roadmap_action(user, form):
    """Save an action of a roadmap chapter; a finished action gets its completion date."""
    action = form.instance
    if action.status == Action.Status.DONE and not action.completed_on:
        action.completed_on = timezone.localdate()
    elif action.status != Action.Status.DONE:
        action.completed_on = None
    return save_form_with_audit(user, form)


def export_plan_of_approach(user):
    """The plan of approach as a PDF for the council and the alderman; the export is logged."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        """Rendered from its own HTML and CSS only: nothing is fetched from outside."""

        def fetch(self, url, headers=None):
            raise ValueError(f"Not fetched while rendering the plan: {url}")

    context = {
        **queries.plan_of_approach(),
        "municipality": settings.OMZIEN_MUNICIPALITY,
        "today": timezone.localdate(),
    }
    html = render_to_string("coalition/roadmap_plan_pdf.html", context)
    pdf = HTML(string=html, url_fetcher=NoFetching()).write_pdf()
    record_audit_event(user, AuditEvent.Action.EXPORT, object_type="coalition.Chapter",
                       detail={"document": "plan of approach"})
    return pdf


@transaction.atomic
def save_criterion(user, form):
    criterion = form.instance
    if criterion.pk is None:
        last = Criterion.objects.aggregate(last=Max("position"))["last"] or 0
        criterion.position = last + 1
    return save_form_with_audit(user, form)


@transaction.atomic
def move_criterion(user, criterion, direction):
    """Swap a criterion with its neighbour above ("up") or below ("down") in the checklist."""
    ordered = list(Criterion.objects.select_for_update().order_by("position", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == criterion.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(ordered):
        raise RoadmapRuleError(_("This question cannot move further."))
    ordered[index], ordered[other] = ordered[other], ordered[index]
    # Renumber all, so equal positions (from older data) cannot keep the order ambiguous.
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    record_audit_event(user, AuditEvent.Action.UPDATE, criterion, detail={"moved": direction})


@transaction.atomic
def delete_criterion(user, criterion):
    """Only a question no application was scored on may go; otherwise switch it off."""
    if criterion.scores.exists():
        raise RoadmapRuleError(_(
            "Applications have been scored on this question, so it cannot be removed. "
            "Switch it off instead: it then no longer counts for new assessments."
        ))
    record_audit_event(user, AuditEvent.Action.DELETE, criterion)
    criterion.delete()


@transaction.atomic
def save_grant_application(user, form):
    if form.instance.status in {GrantApplication.Status.FUNDED, GrantApplication.Status.REJECTED}:
        raise RoadmapRuleError(_("A decision has been made on this application; it can no "
                                 "longer be changed."))
    return save_form_with_audit(user, form)


@transaction.atomic
def save_assessment(user, application, scores):
    """Store the scores {criterion: (score, note)} of an application. When every active
    criterion has a score, a received application becomes assessed."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in {GrantApplication.Status.RECEIVED,
                                   GrantApplication.Status.ASSESSED}:
        raise RoadmapRuleError(_("A decision has been made on this application; the scores can "
                                 "no longer be changed."))
    for criterion, (score, note) in scores.items():
        if not criterion.is_active:
            raise RoadmapRuleError(_("This question is not on the checklist."))
        if not 0 <= score <= SCORE_MAX:
            raise RoadmapRuleError(_("Choose a score from 0 to 3."))
        CriterionScore.objects.update_or_create(
            application=application, criterion=criterion,
            defaults={"score": score, "note": note, "assessed_by": user},
        )
    record_audit_event(user, AuditEvent.Action.UPDATE, application, detail={
        "scored": sorted(criterion.pk for criterion in scores),
    })
    if application.status == GrantApplication.Status.RECEIVED and queries.is_fully_scored(
        application
    ):
        _set_grant_status(user, application, GrantApplication.Status.ASSESSED)
    return application


def _set_grant_status(user, application, status):
    if status not in GRANT_TRANSITIONS[application.status]:
        raise RoadmapRuleError(_("An application that is %(current)s cannot become %(new)s.") % {
            "current": application.get_status_display(),
            "new": GrantApplication.Status(status).label,
        })
    previous = application.status
    application.status = status
    application.save(update_fields=["status"])
    record_audit_event(user, AuditEvent.Action.UPDATE, application,
                       detail={"status": [previous, status]})


@transaction.atomic
def decide_grant_application(user, application, status):
    """Fund or reject an assessed application. A funded one becomes an experiment."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if status == GrantApplication.Status.FUNDED and not queries.is_fully_scored(application):
        raise RoadmapRuleError(_("Score every question of the checklist before you decide."))
    _set_grant_status(user, application, status)
    if status == GrantApplication.Status.FUNDED:
        experiment = Experiment.objects.create(application=application, stage=Stage.FUNDED)
        ExperimentStageChange.objects.create(experiment=experiment, from_stage="",
                                             to_stage=Stage.FUNDED, changed_by=user)
        record_audit_event(user, AuditEvent.Action.CREATE, experiment)
    return application


@transaction.atomic
def change_experiment_stage(user, experiment, to_stage, reason=""):
    """Move an experiment to its next stage, following STAGE_TRANSITIONS; stopping needs a
    reason. Every change is kept in the experiment's history."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    reason = reason.strip()
    if to_stage not in STAGE_TRANSITIONS[experiment.stage]:
        raise RoadmapRuleError(
            _("An experiment that is %(current)s cannot become %(new)s.") % {
                "current": experiment.get_stage_display(),
                "new": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    if to_stage == Stage.STOPPED and not reason:
        raise RoadmapRuleError(_("Write down why the experiment stops."))
    change = ExperimentStageChange.objects.create(
        experiment=experiment, from_stage=experiment.stage, to_stage=to_stage, reason=reason,
        changed_by=user,
    )
    experiment.stage = to_stage
    experiment.save(update_fields=["stage"])
    record_audit_event(user, AuditEvent.Action.UPDATE, experiment,
                       detail={"stage": [change.from_stage, to_stage], "reason": reason})
    return experiment


@transaction.atomic
def save_experiment_findings(user, form):
    return save_form_with_audit(user, form)
