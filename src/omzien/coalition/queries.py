"""Reads of the coalition's records that are more than a one-liner."""

import math
from calendar import monthrange
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from omzien.core.models import Organisation, Role, User
from omzien.core.permissions import Perm, has_perm

from . import roadmap_texts
from .models import (
    SCORE_MAX,
    Action,
    Campaign,
    Chapter,
    Criterion,
    CriterionScore,
    Experiment,
    GrantApplication,
    Meeting,
    Partner,
    SurveyResponse,
    SurveyRound,
    WorkingGroup,
)

# --- partners, working groups, meetings, action items (network) ---

OPEN_ACTION_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)
# The filters of the action list page, in the order they are offered.
ACTION_FILTERS = ("open", "overdue", "mine", "done", "all")


def staff_partners(archived=False):
    """Current partners, or the archived ones, for the staff list."""
    return (Partner.objects.filter(archived_at__isnull=not archived)
            .select_related("organisation", "contact_user"))


def public_partners_by_sector(sector=""):
    """The current partners for the public page, grouped by sector in the order of the sector
    list: [(sector value, label, [partners])]."""
    partners = Partner.objects.current().select_related("organisation")
    if sector:
        partners = partners.filter(organisation__sector=sector)
    groups = {}
    for partner in partners:
        groups.setdefault(partner.organisation.sector, []).append(partner)
    return [(value, label, groups[value])
            for value, label in Organisation.Sector.choices if value in groups]


def public_partner_sectors():
    """The sectors that have at least one current partner, for the filter on the public page."""
    present = set(Partner.objects.current().values_list("organisation__sector", flat=True))
    return [(value, label) for value, label in Organisation.Sector.choices if value in present]


def organisations_without_partner():
    return Organisation.objects.filter(partner__isnull=True, is_active=True)


def partner_choices(*already_linked):
    """Current partners, plus archived ones that are already linked to the record being edited,
    so editing an old record never silently drops them."""
    linked = {partner.pk for group in already_linked for partner in group}
    return (Partner.objects.filter(Q(archived_at__isnull=True) | Q(pk__in=linked))
            .select_related("organisation"))


def _actions():
    return Action.objects.select_related(
        "owner__organisation", "meeting", "working_group", "meeting__working_group"
    )


def overdue(actions, today=None):
    return actions.filter(status__in=OPEN_ACTION_STATUSES,
                          due_date__lt=today or timezone.localdate())


def owned_by_contact(partners, user):
    """The partners `user` is the contact person of (see permissions.is_partner_contact)."""
    return partners.filter(
        contact_user_id=user.pk,
        organisation_id__in=user.memberships.values("organisation_id"),
    )


def owned_by_my_partners(actions, user):
    """Actions of the partners `user` is the contact person of."""
    return actions.filter(owner__in=owned_by_contact(Partner.objects.all(), user))


def overdue_actions_for(user, today=None):
    """The overdue action items `user` should act on: all of them for a coordinator; for anyone
    else those owned by the partners they are the contact person of."""
    if not user.is_authenticated:
        return Action.objects.none()
    actions = _actions()
    if not has_perm(user, Perm.MANAGE_COALITION):
        actions = owned_by_my_partners(actions, user)
    return overdue(actions, today)


def filter_actions(user, show="open", today=None):
    """The action items for the action list: `show` is one of ACTION_FILTERS."""
    actions = _actions()
    if show == "overdue":
        return overdue(actions, today)
    if show == "mine":
        return owned_by_my_partners(actions, user).filter(status__in=OPEN_ACTION_STATUSES)
    if show == "done":
        return actions.filter(status=Action.Status.DONE).order_by("-completed_on", "-pk")
    if show == "all":
        return actions
    return actions.filter(status__in=OPEN_ACTION_STATUSES)


def meetings_split(now=None):
    """(upcoming meetings, soonest first; past meetings, latest first)."""
    now = now or timezone.now()
    meetings = Meeting.objects.select_related("working_group")
    return (meetings.filter(starts_at__gte=now).order_by("starts_at"),
            meetings.filter(starts_at__lt=now).order_by("-starts_at"))


def coordinator_emails():
    return sorted(set(
        User.objects.filter(is_active=True, memberships__role=Role.COORDINATOR)
        .exclude(email="").values_list("email", flat=True)
    ))


def action_reminders_due(today=None):
    """Overdue action items not yet reminded about today."""
    today = today or timezone.localdate()
    # Partners that left the coalition are not mailed any more.
    return (overdue(_actions().filter(owner__archived_at__isnull=True), today)
            .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
            .select_related("owner__contact_user"))

# --- survey, network health, campaigns (health) ---

# The sectors a local coalition most often lacks (002): businesses, housing and schools.
USUAL_GAPS = (Organisation.Sector.BUSINESS, Organisation.Sector.HOUSING,
              Organisation.Sector.EDUCATION)
# Survey averages are shown only from this many answering partners on, so that nobody can read
# one partner's scores off the page.
MIN_RESPONSES_FOR_AVERAGE = 3
SURVEY_FACTORS = ("shared_goal", "trust", "size_and_diversity", "representatives")


def months_back(day, months):
    """The same day `months` months earlier (the last day of that month if it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


NUMBER_OF_SECTORS = len(Organisation.Sector)


def sector_diversity_index(counts, number_of_sectors=NUMBER_OF_SECTORS):
    """How evenly the partners are spread over all sectors: a number from 0 to 1.

    It is Shannon's diversity H = −Σ pᵢ·ln(pᵢ), where pᵢ is the share of partners in sector i,
    divided by its highest possible value ln(number_of_sectors), reached when every sector has
    the same number of partners. In plain words: 0 means all partners come from one sector;
    1 means every sector of the list is present with equally many partners. A coalition of
    welfare organisations only scores 0; adding shops, schools and housing raises it.
    `counts` is the number of partners per sector (zeros may be left out). None without
    partners.
    """
    counts = [count for count in counts if count > 0]
    total = sum(counts)
    if total == 0:
        return None
    if number_of_sectors < 2:
        return 0.0
    entropy = -sum(count / total * math.log(count / total) for count in counts)
    return round(entropy / math.log(number_of_sectors), 3)


@dataclass
class MonthRow:
    month: date  # the first day of the month
    partners: int  # current at the end of the month (today for this month)
    joined: int
    left: int


def partner_trend(today, months=12):
    """The number of current partners at the end of each of the last `months` months (this
    month included), and how many joined and left in each; one query."""
    firsts = [months_back(today.replace(day=1), back) for back in range(months - 1, -1, -1)]
    aggregates = {}
    for index, first in enumerate(firsts):
        next_first = months_back(first, -1)
        end = min(next_first - timedelta(days=1), today)
        # A partner counts at the end of a month when it had joined and was not yet archived.
        aggregates[f"at_{index}"] = Count("pk", filter=Q(joined_on__lte=end) & (
            Q(archived_at__isnull=True) | Q(archived_at__gte=_start_of_day(end + timedelta(1)))))
        aggregates[f"joined_{index}"] = Count(
            "pk", filter=Q(joined_on__gte=first, joined_on__lte=end))
        aggregates[f"left_{index}"] = Count("pk", filter=Q(
            archived_at__gte=_start_of_day(first), archived_at__lt=_start_of_day(next_first)))
    year_ago = months_back(today, months)
    aggregates["year_ago"] = Count("pk", filter=Q(joined_on__lte=year_ago) & (
        Q(archived_at__isnull=True) | Q(archived_at__gte=_start_of_day(year_ago + timedelta(1)))))
    aggregates["now"] = Count("pk", filter=Q(archived_at__isnull=True))
    values = Partner.objects.aggregate(**aggregates)
    rows = [MonthRow(first, values[f"at_{i}"], values[f"joined_{i}"], values[f"left_{i}"])
            for i, first in enumerate(firsts)]
    return {"now": values["now"], "year_ago": values["year_ago"],
            "change": values["now"] - values["year_ago"], "months": rows}


def sector_overview():
    """Current partners per sector of the foundation's list, which sectors are missing, and
    the diversity index; one query."""
    counts = dict(
        Partner.objects.current().order_by().values("organisation__sector")
        .annotate(count=Count("pk")).values_list("organisation__sector", "count")
    )
    sectors = [
        {"value": value, "label": label, "count": counts.get(value, 0),
         "usual_gap": value in USUAL_GAPS}
        for value, label in Organisation.Sector.choices
    ]
    return {
        "present": [sector for sector in sectors if sector["count"]],
        "missing": [sector for sector in sectors if not sector["count"]],
        "missing_usual_gaps": [s for s in sectors if not s["count"] and s["usual_gap"]],
        "diversity_index": sector_diversity_index(counts.values()),
        "number_of_sectors": len(sectors),
    }


def meeting_attendance(today, months=12):
    """Per current partner: meetings it was invited to in the last `months` months (up to
    now), how many of those it attended, and the share; one query."""
    period = (_start_of_day(months_back(today, months)), _start_of_day(today + timedelta(1)))
    invited = (
        Meeting.invited.through.objects
        .filter(partner_id=OuterRef("pk"), meeting__starts_at__range=period)
        .values("partner_id").annotate(n=Count("pk")).values("n")
    )
    attended = (
        Meeting.attended.through.objects
        .filter(partner_id=OuterRef("pk"), meeting__starts_at__range=period,
                meeting__invited=OuterRef("pk"))
        .values("partner_id").annotate(n=Count("pk")).values("n")
    )
    partners = Partner.objects.current().select_related("organisation").annotate(
        invited_count=Coalesce(Subquery(invited), 0),
        attended_count=Coalesce(Subquery(attended), 0),
    )
    for partner in partners:
        partner.attendance_rate = (
            partner.attended_count / partner.invited_count if partner.invited_count else None
        )
    return list(partners)


def action_punctuality(today, months=12):
    """Action items due in the last `months` months (dropped ones left out), how many of them
    were done on or before their due date, and how many open ones are overdue now; one query."""
    since = months_back(today, months)
    # An open item due today is not late yet: it counts from tomorrow, or when it is done.
    due = (
        Q(due_date__gte=since, due_date__lt=today) | Q(due_date=today, status=Action.Status.DONE)
    ) & ~Q(status=Action.Status.DROPPED)
    values = Action.objects.aggregate(
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & Q(status=Action.Status.DONE,
                                           completed_on__lte=F("due_date"))),
        overdue=Count("pk", filter=Q(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
                                     due_date__lt=today)),
    )
    values["on_time_rate"] = values["on_time"] / values["due"] if values["due"] else None
    return values


def survey_round_is_open(survey_round, today):
    return survey_round.opens_on <= today <= survey_round.closes_on


def survey_trend():
    """Per survey round, oldest first: the number of responses and the average of each factor,
    or None for every average when fewer than MIN_RESPONSES_FOR_AVERAGE partners answered;
    one query."""
    rounds = SurveyRound.objects.order_by("opens_on", "pk").annotate(
        response_count=Count("responses"),
        **{f"avg_{factor}": Avg(f"responses__{factor}") for factor in SURVEY_FACTORS},
    )
    result = []
    for survey_round in rounds:
        shown = survey_round.response_count >= MIN_RESPONSES_FOR_AVERAGE
        survey_round.averages = [
            round(getattr(survey_round, f"avg_{factor}"), 1) if shown else None
            for factor in SURVEY_FACTORS
        ]
        survey_round.enough_responses = shown
        result.append(survey_round)
    return result


def survey_factor_labels():
    return [SurveyResponse._meta.get_field(factor).verbose_name for factor in SURVEY_FACTORS]


def survey_rounds_overview(user, today):
    """The survey rounds with their number of responses, newest first, and for each open round
    the current partners this user answers for: those they are the contact person of. Not even
    the coordinator answers for a partner, so no one can read one partner's scores."""
    rounds = list(SurveyRound.objects.annotate(response_count=Count("responses")))
    partners = list(
        owned_by_contact(Partner.objects.current(), user).select_related("organisation")
    )
    answered = set(
        SurveyResponse.objects.filter(round__in=rounds, partner__in=partners)
        .values_list("round_id", "partner_id")
    )
    for survey_round in rounds:
        survey_round.is_open = survey_round_is_open(survey_round, today)
        survey_round.my_partners = [
            {"partner": partner, "answered": (survey_round.pk, partner.pk) in answered}
            for partner in partners
        ] if survey_round.is_open else []
    return rounds


def collaboration_links(since=None):
    """Every link between two current partners in the coalition's own records, as
    (partner_a, partner_b, kind) with partner_a.pk < partner_b.pk; once per shared working group
    (kind "working_group") and per meeting both attended since `since` (kind "meeting").

    Extend here: referrals between organisations (kind "referral") come from the meldpunt once it
    exists. Three queries, whatever the size of the network.
    """
    partners = Partner.objects.current().select_related("organisation").in_bulk()
    memberships = WorkingGroup.members.through.objects.filter(partner_id__in=partners)
    attendances = Meeting.attended.through.objects.filter(partner_id__in=partners)
    if since is not None:
        attendances = attendances.filter(meeting__starts_at__gte=_start_of_day(since))
    sources = [
        ("working_group", memberships.values_list("workinggroup_id", "partner_id")),
        ("meeting", attendances.values_list("meeting_id", "partner_id")),
    ]
    for kind, rows in sources:
        by_group = defaultdict(set)
        for group_id, partner_id in rows:
            by_group[group_id].add(partner_id)
        for partner_ids in by_group.values():
            for a, b in combinations(sorted(partner_ids), 2):
                yield partners[a], partners[b], kind


@dataclass
class CollaborationPair:
    partner_a: Partner
    partner_b: Partner
    kinds: Counter

    @property
    def weight(self):
        return sum(self.kinds.values())


def collaboration_network(since=None):
    """The partners and the weighted pairs of who works with whom (weight = shared working
    groups + meetings attended together), heaviest pairs first."""
    pairs = {}
    for partner_a, partner_b, kind in collaboration_links(since):
        pair = pairs.setdefault((partner_a.pk, partner_b.pk),
                                CollaborationPair(partner_a, partner_b, Counter()))
        pair.kinds[kind] += 1
    return sorted(pairs.values(), key=lambda pair: (-pair.weight, str(pair.partner_a),
                                                     str(pair.partner_b)))


def campaign_list():
    return Campaign.objects.annotate(partner_count=Count("partners")).order_by("-starts_on", "pk")


def campaigns_with_partners():
    return Campaign.objects.prefetch_related("partners__organisation")


# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---


def roadmap_chapters():
    """The nine chapters in order, each with its explanation, goals and actions."""
    actions = Action.objects.select_related("owner__organisation", "working_group") \
        .prefetch_related("partners__organisation")
    chapters = list(Chapter.objects.prefetch_related("goals", Prefetch("actions", actions)))
    for chapter in chapters:
        chapter.explanation = roadmap_texts.explanation(chapter.code)
    return chapters


def roadmap_parts(chapters):
    """The chapters grouped in the roadmap's two parts: how to organise it, what you can do."""
    return [
        (label, [chapter for chapter in chapters if chapter.part == part])
        for part, label in Chapter.Part.choices
    ]


def plan_of_approach():
    """Everything the printed plan of approach shows."""
    partners = Partner.objects.current().select_related("organisation")
    sector_labels = dict(Organisation.Sector.choices)
    counts = Counter(partner.organisation.sector for partner in partners)
    return {
        "parts": roadmap_parts(roadmap_chapters()),
        "partner_count": sum(counts.values()),
        "sectors": sorted(
            ((sector_labels.get(sector, sector), count) for sector, count in counts.items()),
            key=lambda item: (-item[1], str(item[0])),
        ),
    }


def is_fully_scored(application):
    """True when every question in use on the checklist has a score for this application."""
    active = Criterion.objects.filter(is_active=True)
    return active.exists() and not active.exclude(scores__application=application).exists()


@dataclass
class Assessment:
    """An application's scores on the checklist questions in use, with the total."""

    application: GrantApplication
    scores: dict  # criterion pk -> CriterionScore
    criteria_count: int

    @property
    def total(self):
        return sum(score.score for score in self.scores.values())

    @property
    def maximum(self):
        return self.criteria_count * SCORE_MAX

    @property
    def percentage(self):
        return round(100 * self.total / self.maximum) if self.maximum else None

    @property
    def scored_count(self):
        return len(self.scores)

    @property
    def is_complete(self):
        return self.criteria_count > 0 and self.scored_count == self.criteria_count


def assessments(applications, criteria=None):
    """An Assessment per application, counting only the questions in use (so that totals stay
    comparable when the checklist changes)."""
    criteria = list(Criterion.objects.filter(is_active=True)) if criteria is None else criteria
    ids = {criterion.pk for criterion in criteria}
    applications = list(applications)
    found = {application.pk: {} for application in applications}
    for score in CriterionScore.objects.filter(
        application__in=applications, criterion_id__in=ids
    ).select_related("assessed_by"):
        found[score.application_id][score.criterion_id] = score
    return [Assessment(application, found[application.pk], len(ids))
            for application in applications]


def grant_comparison(applications, highest_first=True):
    """Applications side by side, criterion by criterion, ordered by their total."""
    criteria = list(Criterion.objects.filter(is_active=True))
    columns = sorted(
        assessments(applications, criteria),
        key=lambda item: (item.total, item.application.title), reverse=highest_first,
    )
    rows = [
        (criterion, [column.scores.get(criterion.pk) for column in columns])
        for criterion in criteria
    ]
    return {"criteria": criteria, "columns": columns, "rows": rows}


def experiments_by_stage():
    """Every experiment grouped by stage, in the order of the pipeline."""
    experiments = Experiment.objects.select_related("application__applicant") \
        .order_by("application__title")
    grouped = {stage: [] for stage in Experiment.Stage.values}
    for experiment in experiments:
        grouped[experiment.stage].append(experiment)
    return [(stage, label, grouped[stage]) for stage, label in Experiment.Stage.choices]
