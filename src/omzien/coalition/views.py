"""Coalition pages. Staff views are protected by omzien.core.access.staff_view."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from omzien.core.access import staff_view
from omzien.core.forms import is_plain_id
from omzien.core.models import Organisation
from omzien.core.pages import render_form
from omzien.core.permissions import Perm, can_edit_partner, has_perm, is_partner_contact
from omzien.core.spreadsheets import defused

from . import health_charts, queries, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AssessmentForm,
    CampaignForm,
    ChapterForm,
    CriterionForm,
    DecisionForm,
    ExperimentFindingsForm,
    ExperimentStageForm,
    GoalForm,
    GrantApplicationForm,
    MeetingForm,
    PartnerForm,
    RoadmapActionForm,
    SurveyResponseForm,
    SurveyRoundForm,
    WorkingGroupForm,
)
from .models import (
    Action,
    Campaign,
    Chapter,
    Criterion,
    Experiment,
    Goal,
    GrantApplication,
    Meeting,
    Partner,
    SurveyResponse,
    SurveyRound,
    WorkingGroup,
)

# --- partners, working groups, meetings, action items (network) ---


def public_partner_list(request):
    sector = request.GET.get("sector", "")
    if sector not in Organisation.Sector.values:
        sector = ""
    return render(request, "coalition/network_public_partners.html", {
        "groups": queries.public_partners_by_sector(sector),
        "sectors": queries.public_partner_sectors(),
        "sector": sector,
        "total": Partner.objects.current().count(),
    })


@staff_view(Perm.VIEW_COALITION)
def partner_list(request):
    archived = request.GET.get("show") == "archived"
    return render(request, "coalition/network_partner_list.html", {
        "partners": queries.staff_partners(archived=archived),
        "archived": archived,
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
        "show_contacts": has_perm(request.user, Perm.VIEW_PARTNER_CONTACTS),
    })


@staff_view(Perm.VIEW_COALITION)
def partner_detail(request, pk):
    partner = get_object_or_404(
        Partner.objects.select_related("organisation", "contact_user"), pk=pk
    )
    return render(request, "coalition/network_partner_detail.html", {
        "partner": partner,
        "working_groups": partner.working_groups.all(),
        "open_actions": partner.actions.filter(status__in=queries.OPEN_ACTION_STATUSES),
        "can_edit": can_edit_partner(request.user, partner),
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
        "show_contacts": has_perm(request.user, Perm.VIEW_PARTNER_CONTACTS),
        "today": timezone.localdate(),
    })


@staff_view(Perm.MANAGE_COALITION)
def partner_create(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = services.save_partner(request.user, form)
        messages.success(request, _("%(name)s is now a partner of the coalition.")
                         % {"name": partner.organisation.name})
        return redirect("coalition_staff:partner_detail", pk=partner.pk)
    return render_form(request, "coalition/network_partner_form.html", {}, form)


@staff_view(Perm.VIEW_COALITION)
def partner_edit(request, pk):
    partner = get_object_or_404(Partner.objects.select_related("organisation"), pk=pk)
    if not can_edit_partner(request.user, partner):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, instance=partner,
                       may_choose_contact=has_perm(request.user, Perm.MANAGE_COALITION))
    if request.method == "POST" and form.is_valid():
        services.save_partner(request.user, form)
        messages.success(request, _("The partner record has been saved."))
        return redirect("coalition_staff:partner_detail", pk=partner.pk)
    return render_form(request, "coalition/network_partner_form.html",
                        {"partner": partner}, form)


@staff_view(Perm.MANAGE_COALITION)
@require_POST
def partner_archive(request, pk):
    partner = services.set_partner_archived(request.user, get_object_or_404(Partner, pk=pk), True)
    messages.success(request, _("%(name)s has been archived. Its history is kept.")
                     % {"name": partner.organisation.name})
    return redirect("coalition_staff:partner_detail", pk=partner.pk)


@staff_view(Perm.MANAGE_COALITION)
@require_POST
def partner_unarchive(request, pk):
    partner = services.set_partner_archived(request.user, get_object_or_404(Partner, pk=pk),
                                            False)
    messages.success(request, _("%(name)s is a current partner again.")
                     % {"name": partner.organisation.name})
    return redirect("coalition_staff:partner_detail", pk=partner.pk)


@staff_view(Perm.VIEW_COALITION)
def working_group_list(request):
    return render(request, "coalition/network_group_list.html", {
        "groups": WorkingGroup.objects.prefetch_related("members__organisation"),
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
    })


@staff_view(Perm.VIEW_COALITION)
def working_group_detail(request, pk):
    group = get_object_or_404(WorkingGroup, pk=pk)
    return render(request, "coalition/network_group_detail.html", {
        "group": group,
        "members": group.members.select_related("organisation"),
        "meetings": group.meetings.all(),
        "open_actions": group.actions.filter(status__in=queries.OPEN_ACTION_STATUSES)
        .select_related("owner__organisation"),
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
        "today": timezone.localdate(),
    })


@staff_view(Perm.MANAGE_COALITION)
def working_group_create(request):
    return _working_group_form(request, WorkingGroup())


@staff_view(Perm.MANAGE_COALITION)
def working_group_edit(request, pk):
    return _working_group_form(request, get_object_or_404(WorkingGroup, pk=pk))


def _working_group_form(request, group):
    form = WorkingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        group = services.save_working_group(request.user, form)
        messages.success(request, _("The working group has been saved."))
        return redirect("coalition_staff:working_group_detail", pk=group.pk)
    return render_form(request, "coalition/network_group_form.html", {"group": group}, form)


@staff_view(Perm.VIEW_COALITION)
def meeting_list(request):
    upcoming, past = queries.meetings_split()
    return render(request, "coalition/network_meeting_list.html", {
        "upcoming": upcoming,
        "past": Paginator(past, 25).get_page(request.GET.get("page")),
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
    })


def _meeting_context(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("working_group"), pk=pk)
    return {
        "meeting": meeting,
        "invited": meeting.invited.select_related("organisation"),
        "attended": meeting.attended.select_related("organisation"),
        "decisions": meeting.decisions.all(),
        "actions": meeting.actions.select_related("owner__organisation"),
        "today": timezone.localdate(),
    }


@staff_view(Perm.VIEW_COALITION)
def meeting_detail(request, pk):
    context = _meeting_context(request, pk)
    return render(request, "coalition/network_meeting_detail.html", {
        **context, "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
    })


@staff_view(Perm.VIEW_COALITION)
def meeting_print(request, pk):
    return render(request, "coalition/network_meeting_print.html", _meeting_context(request, pk))


@staff_view(Perm.MANAGE_COALITION)
def meeting_create(request):
    initial = {}
    group_id = request.GET.get("werkgroep", "")
    group = WorkingGroup.objects.filter(pk=group_id).first() if is_plain_id(group_id) else None
    if group is not None:
        initial = {"working_group": group, "invited": group.members.current()}
    return _meeting_form(request, Meeting(), initial)


@staff_view(Perm.MANAGE_COALITION)
def meeting_edit(request, pk):
    return _meeting_form(request, get_object_or_404(Meeting, pk=pk))


def _meeting_form(request, meeting, initial=None):
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(request.user, form)
        messages.success(request, _("The meeting has been saved."))
        return redirect("coalition_staff:meeting_detail", pk=meeting.pk)
    return render_form(request, "coalition/network_meeting_form.html", {"meeting": meeting},
                        form)


@staff_view(Perm.MANAGE_COALITION)
def decision_create(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_decision(request.user, meeting, form)
        messages.success(request, _("The decision has been added."))
        if "another" in request.POST:
            return redirect("coalition_staff:decision_create", pk=meeting.pk)
        return redirect("coalition_staff:meeting_detail", pk=meeting.pk)
    return render_form(request, "coalition/network_decision_form.html", {"meeting": meeting},
                        form)


@staff_view(Perm.MANAGE_COALITION)
def action_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("working_group"), pk=pk)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.save_action(request.user, form, meeting=meeting)
        messages.success(request, _("The action item has been added."))
        if "another" in request.POST:
            return redirect("coalition_staff:action_create", pk=meeting.pk)
        return redirect("coalition_staff:meeting_detail", pk=meeting.pk)
    return render_form(request, "coalition/network_action_form.html", {"meeting": meeting},
                        form)


@staff_view(Perm.VIEW_COALITION)
def action_edit(request, pk):
    """The coordinator changes everything; the owner's contact person only the status."""
    action = get_object_or_404(
        Action.objects.select_related("owner__organisation", "meeting__working_group"), pk=pk
    )
    if not can_edit_partner(request.user, action.owner):
        raise PermissionDenied
    form_class = (ActionForm if has_perm(request.user, Perm.MANAGE_COALITION)
                  else ActionStatusForm)
    form = form_class(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        services.save_action(request.user, form)
        messages.success(request, _("The action item has been saved."))
        return redirect("coalition_staff:action_list")
    return render_form(request, "coalition/network_action_form.html",
                        {"action": action, "meeting": action.meeting}, form)


def _action_filter(request):
    show = request.GET.get("show", "open")
    return show if show in queries.ACTION_FILTERS else "open"


@staff_view(Perm.VIEW_COALITION)
def action_list(request):
    show = _action_filter(request)
    page = Paginator(queries.filter_actions(request.user, show), 50).get_page(
        request.GET.get("page")
    )
    labels = {"open": _("Open"), "overdue": _("Overdue"), "mine": _("My organisation's"),
              "done": _("Done"), "all": _("All")}
    return render(request, "coalition/network_action_list.html", {
        "page": page,
        "show": show,
        "filters": [(key, labels[key]) for key in queries.ACTION_FILTERS],
        "my_overdue": queries.overdue_actions_for(request.user).count(),
        "editable_owner_ids": set(
            Partner.objects.filter(contact_user=request.user).values_list("pk", flat=True)
        ),
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
        "today": timezone.localdate(),
    })


@staff_view(Perm.VIEW_COALITION)
def action_export(request):
    show = _action_filter(request)
    actions = list(queries.filter_actions(request.user, show))
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acties-{today:%Y-%m-%d}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Action item"), _("Owner"), _("Due date"), _("Status"),
                     _("Completed on"), _("Overdue"), _("Meeting"), _("Working group"),
                     _("Explanation")])
    for action in actions:
        group = action.working_group or (action.meeting.working_group if action.meeting else None)
        writer.writerow([defused(value) for value in (
            action.title, action.owner.organisation.name, action.due_date.isoformat(),
            action.get_status_display(),
            action.completed_on.isoformat() if action.completed_on else "",
            _("yes") if action.is_overdue(today) else _("no"),
            action.meeting.title if action.meeting else "", group.name if group else "",
            action.description,
        )])
    services.record_action_export(request.user, show, len(actions))
    return response

# --- survey, network health, campaigns (health) ---


@staff_view(Perm.VIEW_NETWORK_HEALTH)
def network_health(request):
    today = timezone.localdate()
    year_ago = queries.months_back(today, 12)
    trend = queries.partner_trend(today)
    rounds = queries.survey_trend()
    factor_labels = queries.survey_factor_labels()
    shown_rounds = [survey_round for survey_round in rounds if survey_round.enough_responses]
    pairs = queries.collaboration_network(since=year_ago)
    attendance = queries.meeting_attendance(today)
    return render(request, "coalition/health_network.html", {
        "today": today,
        "since": year_ago,
        "trend": trend,
        "trend_chart": health_charts.bar_chart([row.partners for row in trend["months"]],
                                               [row.month for row in trend["months"]]),
        "sectors": queries.sector_overview(),
        "attendance": attendance,
        "actions": queries.action_punctuality(today),
        "rounds": rounds,
        "factor_labels": factor_labels,
        "survey_chart": health_charts.line_chart(
            [survey_round.averages for survey_round in shown_rounds],
            [survey_round.opens_on for survey_round in shown_rounds], factor_labels),
        "shown_rounds": shown_rounds,
        "min_responses": queries.MIN_RESPONSES_FOR_AVERAGE,
        "pairs": pairs,
        "network": health_charts.network_picture(attendance, pairs),
    })


@staff_view(Perm.VIEW_COALITION)
def survey_list(request):
    return render(request, "coalition/health_survey_list.html", {
        "rounds": queries.survey_rounds_overview(request.user, timezone.localdate()),
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
        "can_view_results": has_perm(request.user, Perm.VIEW_NETWORK_HEALTH),
    })


@staff_view(Perm.MANAGE_COALITION)
def survey_round_create(request):
    return _survey_round_form(request, SurveyRound())


@staff_view(Perm.MANAGE_COALITION)
def survey_round_edit(request, pk):
    return _survey_round_form(request, get_object_or_404(SurveyRound, pk=pk))


def _survey_round_form(request, survey_round):
    form = SurveyRoundForm(request.POST or None, instance=survey_round)
    if request.method == "POST" and form.is_valid():
        services.save_survey_round(request.user, form)
        messages.success(request, _("The survey round has been saved."))
        return redirect("coalition_staff:survey_list")
    return render_form(request, "coalition/health_survey_round_form.html", {}, form)


@staff_view(Perm.VIEW_COALITION)
def survey_answer(request, pk, partner_pk):
    survey_round = get_object_or_404(SurveyRound, pk=pk)
    partner = get_object_or_404(Partner.objects.select_related("organisation"), pk=partner_pk)
    if not is_partner_contact(request.user, partner):
        raise PermissionDenied  # only the partner itself answers, so its scores stay private
    today = timezone.localdate()
    context = {"survey_round": survey_round, "partner": partner}
    if partner.archived_at or not queries.survey_round_is_open(survey_round, today):
        context["closed_reason"] = (
            _("This partner is no longer part of the coalition, so it cannot answer.")
            if partner.archived_at else
            _("This survey round is closed. You can answer from %(opens)s to %(closes)s.") % {
                "opens": date_format(survey_round.opens_on), "closes":
                date_format(survey_round.closes_on)})
        return render(request, "coalition/health_survey_closed.html", context, status=400)
    existing = SurveyResponse.objects.filter(round=survey_round, partner=partner).first()
    form = SurveyResponseForm(request.POST or None, instance=existing or SurveyResponse())
    context["answered_before"] = existing is not None
    if request.method == "POST" and form.is_valid():
        scores = {name: form.cleaned_data[name] for name in queries.SURVEY_FACTORS}
        services.answer_survey(request.user, survey_round, partner, scores,
                               form.cleaned_data["remark"], today=today)
        messages.success(request, _("Thank you. Your answers have been saved."))
        return redirect("coalition_staff:survey_list")
    return render_form(request, "coalition/health_survey_form.html", context, form)


@staff_view(Perm.VIEW_COALITION)
def campaign_list(request):
    page = Paginator(queries.campaign_list(), 25).get_page(request.GET.get("page"))
    return render(request, "coalition/health_campaign_list.html", {
        "page": page, "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
    })


@staff_view(Perm.VIEW_COALITION)
def campaign_detail(request, pk):
    campaign = get_object_or_404(queries.campaigns_with_partners(), pk=pk)
    channel_labels = dict(Campaign.Channel.choices)
    return render(request, "coalition/health_campaign_detail.html", {
        "campaign": campaign,
        "channels": [channel_labels[value] for value in campaign.channels
                     if value in channel_labels],
        "activities": [line.strip() for line in campaign.activities.splitlines() if line.strip()],
        "can_manage": has_perm(request.user, Perm.MANAGE_COALITION),
    })


@staff_view(Perm.MANAGE_COALITION)
def campaign_create(request):
    return _campaign_form(request, Campaign())


@staff_view(Perm.MANAGE_COALITION)
def campaign_edit(request, pk):
    return _campaign_form(request, get_object_or_404(Campaign, pk=pk))


def _campaign_form(request, campaign):
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = services.save_campaign(request.user, form)
        messages.success(request, _("The campaign has been saved."))
        return redirect("coalition_staff:campaign_detail", pk=campaign.pk)
    return render_form(request, "coalition/health_campaign_form.html", {}, form)


# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---


def _roadmap_chapter_or_404(code):
    return get_object_or_404(Chapter, code=code)


def _roadmap_action(pk):
    # Only actions of the roadmap: meeting actions have their own pages.
    return get_object_or_404(Action, pk=pk, chapter__isnull=False)


@staff_view(Perm.VIEW_ROADMAP)
def roadmap(request):
    return render(request, "coalition/roadmap_overview.html", {
        "parts": queries.roadmap_parts(queries.roadmap_chapters()),
        "can_manage": has_perm(request.user, Perm.MANAGE_ROADMAP),
    })


@staff_view(Perm.VIEW_ROADMAP)
def roadmap_chapter(request, code):
    chapter = next((c for c in queries.roadmap_chapters() if c.code == code), None)
    if chapter is None:
        raise Http404
    return render(request, "coalition/roadmap_chapter.html", {
        "chapter": chapter,
        "can_manage": has_perm(request.user, Perm.MANAGE_ROADMAP),
        "today": timezone.localdate(),
    })


@staff_view(Perm.MANAGE_ROADMAP)
def roadmap_chapter_edit(request, code):
    chapter = _roadmap_chapter_or_404(code)
    form = ChapterForm(request.POST or None, instance=chapter)
    context = {"chapter": chapter, "title": _("Status and notes")}
    if request.method == "POST" and form.is_valid():
        services.save_chapter(request.user, form)
        messages.success(request, _("The chapter has been saved."))
        return redirect("coalition_staff:roadmap_chapter", code=chapter.code)
    return render_form(request, "coalition/roadmap_form.html", context, form)


@staff_view(Perm.MANAGE_ROADMAP)
def roadmap_goal_create(request, code):
    chapter = _roadmap_chapter_or_404(code)
    return _roadmap_goal_form(request, chapter, Goal(chapter=chapter), _("Add a goal"))


@staff_view(Perm.MANAGE_ROADMAP)
def roadmap_goal_edit(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("chapter"), pk=pk)
    return _roadmap_goal_form(request, goal.chapter, goal, _("Edit goal"))


def _roadmap_goal_form(request, chapter, goal, title):
    form = GoalForm(request.POST or None, instance=goal)
    context = {"chapter": chapter, "title": title}
    if request.method == "POST" and form.is_valid():
        services.save_goal(request.user, form)
        messages.success(request, _("The goal has been saved."))
        return redirect("coalition_staff:roadmap_chapter", code=chapter.code)
    return render_form(request, "coalition/roadmap_form.html", context, form)


@staff_view(Perm.MANAGE_ROADMAP)
@require_POST
def roadmap_goal_achieved(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("chapter"), pk=pk)
    achieved = request.POST.get("achieved", "1") != "0"
    services.set_goal_achieved(request.user, goal, achieved)
    messages.success(request, _("The goal has been marked as achieved.") if achieved
                     else _("The goal has been marked as not achieved yet."))
    return redirect("coalition_staff:roadmap_chapter", code=goal.chapter.code)


@staff_view(Perm.MANAGE_ROADMAP)
def roadmap_action_create(request, code):
    chapter = _roadmap_chapter_or_404(code)
    return _roadmap_action_form(request, chapter, Action(chapter=chapter), _("Add an action"))


@staff_view(Perm.MANAGE_ROADMAP)
def roadmap_action_edit(request, pk):
    action = _roadmap_action(pk)
    return _roadmap_action_form(request, action.chapter, action, _("Edit action"))


def _roadmap_action_form(request, chapter, action, title):
    form = RoadmapActionForm(request.POST or None, instance=action)
    context = {"chapter": chapter, "title": title}
    if request.method == "POST" and form.is_valid():
        services.save_roadmap_action(request.user, form)
        messages.success(request, _("The action has been saved."))
        return redirect("coalition_staff:roadmap_chapter", code=chapter.code)
    return render_form(request, "coalition/roadmap_form.html", context, form)


@staff_view(Perm.VIEW_ROADMAP)
@require_GET
def roadmap_plan_pdf(request):
    pdf = services.export_plan_of_approach(request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"plan-van-aanpak-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _roadmap_rule_error(request, error, template, context, status=400):
    """Show a RoadmapRuleError on the page it came from, with a 400."""
    return render(request, f"coalition/{template}", {**context, "rule_error": str(error)},
                  status=status)


@staff_view(Perm.VIEW_GRANTS)
def grant_list(request):
    applications = GrantApplication.objects.select_related("applicant")
    status = request.GET.get("status", "")
    if status in GrantApplication.Status.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    return render(request, "coalition/grants_list.html", {
        "page": page,
        "assessments": queries.assessments(page.object_list),
        "statuses": GrantApplication.Status.choices,
        "can_manage": has_perm(request.user, Perm.MANAGE_GRANTS),
    })


@staff_view(Perm.MANAGE_GRANTS)
def grant_create(request):
    return _grant_form(request, GrantApplication(), _("Add a grant application"))


@staff_view(Perm.MANAGE_GRANTS)
def grant_edit(request, pk):
    application = get_object_or_404(GrantApplication, pk=pk)
    return _grant_form(request, application, _("Edit grant application"))


def _grant_form(request, application, title):
    form = GrantApplicationForm(request.POST or None, instance=application)
    context = {"title": title, "back_url": reverse("coalition_staff:grant_list")}
    if request.method == "POST" and form.is_valid():
        try:
            application = services.save_grant_application(request.user, form)
        except services.RoadmapRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The grant application has been saved."))
            return redirect("coalition_staff:grant_detail", pk=application.pk)
    return render_form(request, "coalition/grants_form.html", context, form)


def _grant_detail_context(request, application):
    assessment = queries.assessments([application])[0]
    return {
        "application": application,
        "assessment": assessment,
        "rows": [(criterion, assessment.scores.get(criterion.pk))
                 for criterion in Criterion.objects.filter(is_active=True)],
        "experiment": Experiment.objects.filter(application=application).first(),
        "can_manage": has_perm(request.user, Perm.MANAGE_GRANTS),
        "decisions": [
            (status, label) for status, label in GrantApplication.Status.choices
            if status in services.GRANT_TRANSITIONS[application.status]
            and status != GrantApplication.Status.ASSESSED
        ],
    }


@staff_view(Perm.VIEW_GRANTS)
def grant_detail(request, pk):
    application = get_object_or_404(GrantApplication.objects.select_related("applicant"), pk=pk)
    return render(request, "coalition/grants_detail.html",
                  _grant_detail_context(request, application))


@staff_view(Perm.MANAGE_GRANTS)
@require_POST
def grant_decide(request, pk):
    application = get_object_or_404(GrantApplication.objects.select_related("applicant"), pk=pk)
    status = request.POST.get("status", "")
    if status not in {GrantApplication.Status.FUNDED, GrantApplication.Status.REJECTED}:
        error = _("Choose whether the application is funded or rejected.")
    else:
        try:
            services.decide_grant_application(request.user, application, status)
        except services.RoadmapRuleError as rule_error:
            error = str(rule_error)
        else:
            messages.success(request, _("The decision has been saved."))
            return redirect("coalition_staff:grant_detail", pk=application.pk)
    return _roadmap_rule_error(request, error, "grants_detail.html",
                               _grant_detail_context(request, application))


@staff_view(Perm.MANAGE_GRANTS)
def grant_assess(request, pk):
    application = get_object_or_404(GrantApplication.objects.select_related("applicant"), pk=pk)
    assessment = queries.assessments([application])[0]
    form = AssessmentForm(request.POST or None, criteria=Criterion.objects.filter(is_active=True),
                          scores=assessment.scores)
    context = {"application": application, "assessment": assessment}
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(request.user, application, form.scores())
        except services.RoadmapRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The scores have been saved."))
            return redirect("coalition_staff:grant_detail", pk=application.pk)
    return render_form(request, "coalition/grants_assess.html", context, form)


@staff_view(Perm.VIEW_GRANTS)
def grant_compare(request):
    applications = GrantApplication.objects.select_related("applicant")
    chosen = request.GET.getlist("application")
    if chosen:
        if not all(is_plain_id(value) for value in chosen):
            return render(request, "coalition/grants_compare.html", {
                "rule_error": _("Choose the applications to compare from the list."),
            }, status=400)
        applications = applications.filter(pk__in=chosen)
    highest_first = request.GET.get("sort", "-total") != "total"
    return render(request, "coalition/grants_compare.html", {
        **queries.grant_comparison(applications, highest_first=highest_first),
        "highest_first": highest_first,
        "chosen": chosen,
    })


@staff_view(Perm.VIEW_GRANTS)
def criterion_list(request):
    return render(request, "coalition/grants_criteria.html", {
        "criteria": Criterion.objects.annotate(score_count=Count("scores")),
        "can_manage": has_perm(request.user, Perm.MANAGE_GRANTS),
    })


@staff_view(Perm.MANAGE_GRANTS)
def criterion_create(request):
    return _criterion_form(request, Criterion(), _("Add a question"))


@staff_view(Perm.MANAGE_GRANTS)
def criterion_edit(request, pk):
    return _criterion_form(request, get_object_or_404(Criterion, pk=pk), _("Edit question"))


def _criterion_form(request, criterion, title):
    form = CriterionForm(request.POST or None, instance=criterion)
    context = {"title": title, "back_url": reverse("coalition_staff:criterion_list")}
    if request.method == "POST" and form.is_valid():
        services.save_criterion(request.user, form)
        messages.success(request, _("The question has been saved."))
        return redirect("coalition_staff:criterion_list")
    return render_form(request, "coalition/grants_form.html", context, form)


def _criteria_error(request, error):
    return _roadmap_rule_error(request, error, "grants_criteria.html", {
        "criteria": Criterion.objects.annotate(score_count=Count("scores")),
        "can_manage": True,
    })


@staff_view(Perm.MANAGE_GRANTS)
@require_POST
def criterion_move(request, pk):
    criterion = get_object_or_404(Criterion, pk=pk)
    try:
        services.move_criterion(request.user, criterion, request.POST.get("direction", ""))
    except services.RoadmapRuleError as error:
        return _criteria_error(request, error)
    return redirect("coalition_staff:criterion_list")


@staff_view(Perm.MANAGE_GRANTS)
@require_POST
def criterion_delete(request, pk):
    criterion = get_object_or_404(Criterion, pk=pk)
    try:
        services.delete_criterion(request.user, criterion)
    except services.RoadmapRuleError as error:
        return _criteria_error(request, error)
    messages.success(request, _("The question has been removed."))
    return redirect("coalition_staff:criterion_list")


@staff_view(Perm.VIEW_GRANTS)
def experiment_list(request):
    stages = queries.experiments_by_stage()
    return render(request, "coalition/grants_experiments.html", {
        "stages": stages,
        "total": sum(len(experiments) for _stage, _label, experiments in stages),
    })


def _experiment_context(request, experiment, stage_form=None):
    allowed = services.STAGE_TRANSITIONS[experiment.stage]
    return {
        "experiment": experiment,
        "history": experiment.history.select_related("changed_by"),
        "stage_form": stage_form or ExperimentStageForm(allowed=allowed),
        "can_manage": has_perm(request.user, Perm.MANAGE_GRANTS),
        "can_move": bool(allowed),
    }


def _experiment_or_404(pk):
    return get_object_or_404(Experiment.objects.select_related("application__applicant"), pk=pk)


@staff_view(Perm.VIEW_GRANTS)
def experiment_detail(request, pk):
    experiment = _experiment_or_404(pk)
    return render(request, "coalition/grants_experiment.html",
                  _experiment_context(request, experiment))


@staff_view(Perm.MANAGE_GRANTS)
@require_POST
def experiment_stage(request, pk):
    experiment = _experiment_or_404(pk)
    form = ExperimentStageForm(
        request.POST, allowed=services.STAGE_TRANSITIONS[experiment.stage]
    )
    if form.is_valid():
        try:
            services.change_experiment_stage(request.user, experiment, form.cleaned_data["stage"],
                                             form.cleaned_data["reason"])
        except services.RoadmapRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The stage has been changed."))
            return redirect("coalition_staff:experiment_detail", pk=experiment.pk)
    return render(request, "coalition/grants_experiment.html",
                  _experiment_context(request, experiment, stage_form=form), status=400)


@staff_view(Perm.MANAGE_GRANTS)
def experiment_findings(request, pk):
    experiment = _experiment_or_404(pk)
    form = ExperimentFindingsForm(request.POST or None, instance=experiment)
    context = {"title": _("Evaluation findings"), "subject": experiment,
               "back_url": reverse("coalition_staff:experiment_detail", args=[experiment.pk])}
    if request.method == "POST" and form.is_valid():
        services.save_experiment_findings(request.user, form)
        messages.success(request, _("The findings have been saved."))
        return redirect("coalition_staff:experiment_detail", pk=experiment.pk)
    return render_form(request, "coalition/grants_form.html", context, form)
