"""Fictional demo records of the coalition, built on the demo region of omzien.core.demo.
Deterministic: the same seed gives the same records; running it again changes nothing."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from omzien.core.demo import DEMO_REFERENCE_DATE
from omzien.core.models import Organisation, User

from .models import (
    Action,
    Campaign,
    Chapter,
    Contribution,
    Criterion,
    CriterionScore,
    Decision,
    Experiment,
    ExperimentStageChange,
    Goal,
    GrantApplication,
    Meeting,
    Partner,
    SurveyResponse,
    SurveyRound,
    WorkingGroup,
)

# --- partners, working groups, meetings, action items (network) ---

C = Contribution
# organisation, months before the reference date it joined (None: not signed yet), what it
# brings, its "ik doe mee" statement. Businesses, housing and schools are mostly missing, as in
# most real coalitions.
DEMO_PARTNERS = [
    ("Gemeente Omzienstad", 24, [C.FUNDING, C.PREMISES],
     "Wij brengen partijen bij elkaar, zorgen voor geld voor wat werkt en houden de regie op "
     "de aanpak."),
    ("Welzijn Omzienstad", 24, [C.ACTIVITIES, C.REFERRALS, C.EXPERTISE],
     "Onze consulenten gaan op huisbezoek en brengen mensen in contact met activiteiten in de "
     "buurt."),
    ("Welzijn Zorgdal", 22, [C.ACTIVITIES, C.REFERRALS, C.VOLUNTEERS],
     "Onze dorpsverbinders kennen iedere kern en letten op wie er alleen voor staat."),
    ("Buurthuis De Schakel", 20, [C.ACTIVITIES, C.PREMISES, C.VOLUNTEERS],
     "Ons buurthuis is elke dag open. Wie binnenloopt, krijgt koffie en een praatje."),
    ("Ouderenadvies Omzienland", 20, [C.REFERRALS, C.EXPERTISE],
     "Wij bezoeken alle 75-plussers die dat willen en vragen hoe het echt met ze gaat."),
    ("Vrijwilligerscentrale Omzienstad", 18, [C.VOLUNTEERS],
     "Wij zoeken en begeleiden vrijwilligers voor maatjes, bezoek en vervoer."),
    ("Mantelzorgsteunpunt Omzienland", 16, [C.REFERRALS, C.EXPERTISE],
     "Wij letten op mantelzorgers, die vaak zelf eenzaam raken."),
    ("Maatjesproject Samen Verder", 15, [C.ACTIVITIES, C.VOLUNTEERS, C.REFERRALS],
     "Iedereen die dat wil, krijgt binnen zes weken een vast maatje."),
    ("Huisartsenpraktijk Zorgdal-Noord", 14, [C.EXPERTISE],
     "Onze praktijkondersteuner vraagt naar eenzaamheid en verwijst door naar de buurt."),
    ("Wijkverpleging Thuisnabij", 12, [C.REFERRALS, C.EXPERTISE],
     "Onze wijkverpleegkundigen signaleren eenzaamheid en bespreken het met de cliënt."),
    ("Zorgcentrum De Linde", 12, [C.PREMISES, C.ACTIVITIES],
     "Ons restaurant is open voor de buurt; wie alleen eet, schuift bij ons aan."),
    ("Bibliotheek Omzienland", 10, [C.ACTIVITIES, C.PREMISES],
     "In het taalcafé en het digitaal spreekuur is iedereen welkom, ook om gewoon te praten."),
    ("Omnisportvereniging Zorgdal Vooruit", 8, [C.ACTIVITIES, C.VOLUNTEERS],
     "Bij ons kan iedereen meedoen, ook wie niet meer zo snel is."),
    ("Protestantse Gemeente Omzienstad", 6, [C.VOLUNTEERS, C.PREMISES],
     "Onze bezoekgroep gaat langs bij wie alleen is, kerklid of niet."),
    ("Woningcorporatie Thuisdal", 4, [C.EXPERTISE],
     "Onze huismeesters kennen hun huurders en melden het als iemand zich terugtrekt."),
    ("Bakkerij Van Dalen", None, [C.ACTIVITIES],
     "Wij kennen onze vaste klanten en letten op wie we niet meer zien."),
]
# Left the coalition: archived, not deleted.
DEMO_ARCHIVED_PARTNER = ("Rouwcafé Omzienland", 23, [C.ACTIVITIES],
                         "Wij bieden een plek voor wie een dierbare heeft verloren.")
# Demo staff who are the contact person of their organisation's partner record.
DEMO_CONTACT_USERS = {
    "Gemeente Omzienstad": "beleid",
    "Welzijn Omzienstad": "consulent",
    "Welzijn Zorgdal": "consulent-zorgdal",
    "Buurthuis De Schakel": "aanbieder",
    "Huisartsenpraktijk Zorgdal-Noord": "signaleerder",
    "Bakkerij Van Dalen": "bakker",
}
DEMO_FIRST_NAMES = [
    "Anouk", "Bram", "Carla", "Dennis", "Esther", "Frank", "Gerda", "Hasan", "Inge", "Jeroen",
    "Karin", "Lotte", "Mohamed", "Nicole", "Olaf", "Petra", "Yusuf", "Marieke", "Sem", "Wendy",
]
DEMO_LAST_NAMES = [
    "Smit", "de Vries", "Meijer", "Bos", "Kok", "Peters", "Dijkstra", "Yilmaz", "Vos", "Postma",
    "Hendriks", "Willems", "Amrani", "Brouwer", "de Graaf", "Kuipers", "Veenstra", "Bakker",
]
DEMO_WORKING_GROUPS = [
    ("Werkgroep ouderen", WorkingGroup.Focus.OLDER, "",
     "Samen zorgen dat ouderen die alleen zijn gezien en bezocht worden.",
     ["Welzijn Omzienstad", "Ouderenadvies Omzienland", "Wijkverpleging Thuisnabij",
      "Zorgcentrum De Linde", "Huisartsenpraktijk Zorgdal-Noord",
      "Protestantse Gemeente Omzienstad", "Buurthuis De Schakel"]),
    ("Werkgroep jongeren", WorkingGroup.Focus.YOUNG, "",
     "Eenzaamheid onder jongeren bespreekbaar maken, via school, sport en bibliotheek.",
     ["Welzijn Zorgdal", "Omnisportvereniging Zorgdal Vooruit", "Bibliotheek Omzienland",
      "Vrijwilligerscentrale Omzienstad", "Gemeente Omzienstad"]),
    ("Werkgroep mantelzorg", WorkingGroup.Focus.THEME, "mantelzorg",
     "Mantelzorgers eerder in beeld, zodat ze niet zelf vereenzamen.",
     ["Mantelzorgsteunpunt Omzienland", "Wijkverpleging Thuisnabij", "Welzijn Zorgdal",
      "Maatjesproject Samen Verder", "Huisartsenpraktijk Zorgdal-Noord"]),
]
# title, kind, working group (None: the whole coalition), days from the reference date, hour,
# location, agenda, minutes, decisions, action items as (title, owner, days due, days done or
# None, status).
DEMO_MEETINGS = [
    ("Startbijeenkomst coalitie Omzien", Meeting.Kind.FORMAL, None, -120, 15,
     "Stadhuis Omzienstad, raadzaal",
     "1. Welkom door de wethouder\n2. Wat weten we over eenzaamheid in onze gemeente?\n"
     "3. De ik-doe-mee-verklaring\n4. Werkgroepen vormen",
     "Ruim dertig mensen van twaalf organisaties. De wethouder opende. We herkenden veel in "
     "de cijfers van de GGD. Drie werkgroepen gaan van start.",
     ["We starten drie werkgroepen: ouderen, jongeren en mantelzorg.",
      "Elke partner tekent de ik-doe-mee-verklaring vóór 1 november."],
     [("Ik-doe-mee-verklaring naar alle partners sturen", "Gemeente Omzienstad", -100, -105,
       Action.Status.DONE),
      ("Activiteiten van partners op de sociale kaart zetten", "Bibliotheek Omzienland", -90,
       -80, Action.Status.DONE)]),
    ("Werkgroep ouderen: kennismaking", Meeting.Kind.INFORMAL, "Werkgroep ouderen", -90, 10,
     "Zorgcentrum De Linde, restaurant",
     "Kennismaken en ideeën ophalen bij de koffie.",
     "Goede sfeer. Veel ideeën over huisbezoek en samen eten.",
     ["De werkgroep komt elke zes weken bij elkaar, afwisselend bij een partner."],
     [("Koffieochtend voor de buurt in De Linde organiseren", "Zorgcentrum De Linde", -60, -62,
       Action.Status.DONE),
      ("Huisbezoeken aan 75-plussers in de Molenkamp plannen", "Ouderenadvies Omzienland", -30,
       None, Action.Status.IN_PROGRESS),
      ("Buurtmaaltijd voor alleenstaande ouderen starten", "Buurthuis De Schakel", -14, None,
       Action.Status.OPEN)]),
    ("Werkgroep mantelzorg", Meeting.Kind.FORMAL, "Werkgroep mantelzorg", -60, 19,
     "Mantelzorgsteunpunt, Zorgdal",
     "1. Hoe herken je een eenzame mantelzorger?\n2. Folder en signaleringskaart\n3. Rondvraag",
     "De huisartsen willen een korte signaleringskaart. Het steunpunt maakt een folder.",
     ["We maken één folder voor alle partners, in eenvoudige taal."],
     [("Folder voor mantelzorgers maken", "Mantelzorgsteunpunt Omzienland", -20, None,
       Action.Status.OPEN),
      ("Signaleringskaart bespreken met de praktijkondersteuners",
       "Huisartsenpraktijk Zorgdal-Noord", -10, -3, Action.Status.DONE)]),
    ("Werkgroep jongeren: wat speelt er?", Meeting.Kind.INFORMAL, "Werkgroep jongeren", -40,
     16, "Bibliotheek Omzienland",
     "Jongeren vertellen zelf wat eenzaamheid voor hen is.",
     "Vier jongeren vertelden hun verhaal. Sport en de bibliotheek zijn plekken waar ze komen.",
     ["De werkgroep nodigt bij elke bijeenkomst ook jongeren uit."],
     [("Jongerenavond in de bibliotheek organiseren", "Bibliotheek Omzienland", 20, None,
       Action.Status.OPEN),
      ("Trainers van sportclubs vragen naar jongeren die afhaken",
       "Omnisportvereniging Zorgdal Vooruit", -7, None, Action.Status.OPEN)]),
    ("Coalitieoverleg januari", Meeting.Kind.FORMAL, None, 10, 15,
     "Stadhuis Omzienstad, zaal 2",
     "1. Terugblik Week tegen Eenzaamheid\n2. Stand van de werkgroepen\n3. Routekaart: "
     "volgende stappen\n4. Nieuwe partners: ondernemers en scholen",
     "", [], []),
    ("Werkgroep ouderen: plannen voor het voorjaar", Meeting.Kind.FORMAL, "Werkgroep ouderen",
     30, 10, "Buurthuis De Schakel",
     "1. Huisbezoeken: wat leverden ze op?\n2. Buurtmaaltijd\n3. Plannen voor het voorjaar",
     "", [], []),
]


def _demo_person(rng):
    return f"{rng.choice(DEMO_FIRST_NAMES)} {rng.choice(DEMO_LAST_NAMES)}"


def _network_demo_partner(rng, spec, reference_date, users, archived=False):
    name, months, contributions, commitment = spec
    organisation = Organisation.objects.get(name=name)
    domain = organisation.email.split("@")[-1] if organisation.email else "omzien.example"
    user = users.get(DEMO_CONTACT_USERS.get(name))
    contact_name = user.get_full_name() if user else _demo_person(rng)
    contact_email = user.email if user else f"{contact_name.split()[0].lower()}@{domain}"
    joined = reference_date - timedelta(days=30 * (months or 2) + rng.randint(0, 20))
    partner, _created = Partner.objects.update_or_create(organisation=organisation, defaults={
        "joined_on": joined,
        "commitment_text": commitment,
        "commitment_signed_on": joined if months else None,
        "contact_user": user,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": f"0000-{rng.randint(100000, 999999)}",
        "attention_officer_name": _demo_person(rng),
        "attention_officer_email": f"aandacht@{domain}",
        "contributions": [value.value for value in contributions],
        "contribution_notes": "",
        "archived_at": (timezone.make_aware(datetime.combine(reference_date - timedelta(days=30),
                                                             time(12)))
                        if archived else None),
    })
    return partner


def build_network_demo(region, rng, reference_date=DEMO_REFERENCE_DATE):
    """Partners, working groups, meetings with attendance, decisions and action items: some
    done on time, some late and some overdue. Dates are relative to `reference_date`."""
    users = {user.username: user for user in
             User.objects.filter(username__in=[login.username for login in region.logins])}
    partners = {spec[0]: _network_demo_partner(rng, spec, reference_date, users)
                for spec in DEMO_PARTNERS}
    _network_demo_partner(rng, DEMO_ARCHIVED_PARTNER, reference_date, users, archived=True)

    groups = {}
    for name, focus, theme, description, members in DEMO_WORKING_GROUPS:
        group, _created = WorkingGroup.objects.update_or_create(name=name, defaults={
            "focus": focus, "theme": theme, "description": description, "archived_at": None,
        })
        group.members.set([partners[member] for member in members])
        groups[name] = group

    meetings = []
    for (title, kind, group_name, days, hour, location, agenda, minutes, decisions,
         actions) in DEMO_MEETINGS:
        day = reference_date + timedelta(days=days)
        group = groups.get(group_name)
        meeting, _created = Meeting.objects.update_or_create(title=title, defaults={
            "kind": kind, "working_group": group,
            "starts_at": timezone.make_aware(datetime.combine(day, time(hour))),
            "location": location, "agenda": agenda, "minutes": minutes,
        })
        invited = list(group.members.all()) if group else list(partners.values())
        meeting.invited.set(invited)
        # Most of the invited come; nobody has attended a meeting that is still to come.
        present = [p for p in invited if rng.random() < 0.8] if days < 0 else []
        meeting.attended.set(present)
        for text in decisions:
            Decision.objects.get_or_create(meeting=meeting, text=text)
        for action_title, owner, due_days, done_days, status in actions:
            Action.objects.update_or_create(title=action_title, meeting=meeting, defaults={
                "owner": partners[owner], "working_group": group,
                "due_date": reference_date + timedelta(days=due_days),
                "completed_on": (reference_date + timedelta(days=done_days)
                                 if done_days is not None else None),
                "status": status,
            })
        meetings.append(meeting)
    return {"partners": len(partners), "working_groups": len(groups), "meetings": len(meetings)}

# --- survey, network health, campaigns (health) ---

# title, days from the reference date it opens and closes, the base score of each factor
# (shared goal, trust, size and mix, representatives), how many partners answered (None: all).
# The last round is still open and has too few answers to show, as often happens early on.
DEMO_SURVEY_ROUNDS = [
    ("Nulmeting voorjaar 2025", -280, -250, (3, 3, 2, 3), None),
    ("Najaarsronde 2025", -100, -70, (4, 3, 2, 3), None),
    ("Winterronde 2026", -7, 45, (4, 4, 3, 4), 2),
]
DEMO_SURVEY_REMARKS = [
    "We kennen elkaar nu beter, maar ondernemers en scholen ontbreken nog.",
    "Fijn dat de werkgroepen klein zijn: daar gebeurt het echt.",
    "Meer tijd nodig om collega's in onze eigen organisatie mee te nemen.",
    "",
]
# title, days from the reference date it starts and ends, Week tegen Eenzaamheid, message,
# audience, channels, partner organisations, activities, people reached, results.
DEMO_CAMPAIGNS = [
    ("Week tegen Eenzaamheid 2025: Een praatje maakt het verschil", -102, -95, True,
     "Eenzaamheid kan iedereen overkomen. Een groet, een praatje of een kop koffie maakt vaak "
     "al het verschil. Kijk om je heen en maak contact.",
     Campaign.Audience.SURROUNDINGS,
     [Campaign.Channel.POSTER, Campaign.Channel.NEWSPAPER, Campaign.Channel.SOCIAL,
      Campaign.Channel.EVENT],
     ["Gemeente Omzienstad", "Welzijn Omzienstad", "Welzijn Zorgdal", "Bibliotheek Omzienland",
      "Buurthuis De Schakel", "Bakkerij Van Dalen"],
     "Koffie op de markt met de wethouder\nOpen huis in Buurthuis De Schakel\n"
     "Verhalenavond in de bibliotheek\nBakkerij deelt kaartjes 'Denk aan je buur' uit",
     2400,
     "Ruim 2.400 mensen bereikt via markt, krant en sociale media. 35 nieuwe bezoekers bij de "
     "koffieochtenden in de weken daarna. Twaalf mensen meldden zich als maatje."),
    ("Samen de feestdagen door", -35, -5, False,
     "Zie je op tegen de feestdagen, of ken je iemand die ze alleen doorbrengt? Er zijn "
     "maaltijden, inlopen en bezoekjes in alle wijken en kernen.",
     Campaign.Audience.LONELY,
     [Campaign.Channel.NEWSPAPER, Campaign.Channel.RADIO, Campaign.Channel.DOOR],
     ["Welzijn Omzienstad", "Ouderenadvies Omzienland", "Protestantse Gemeente Omzienstad",
      "Zorgcentrum De Linde"],
     "Kerstmaaltijd in Zorgcentrum De Linde\nBezoekjes van de bezoekgroep aan huis\n"
     "Oproep op de lokale radio",
     650,
     "80 gasten bij de kerstmaaltijd, van wie 30 voor het eerst. De bezoekgroep ging bij 45 "
     "mensen langs."),
]


def _clamp_score(value):
    return max(1, min(5, value))


def build_health_demo(rng, reference_date=DEMO_REFERENCE_DATE):
    """Two past survey rounds and one open round with answers from the demo partners, and two
    campaigns (one in the Week tegen Eenzaamheid). Needs the partners of build_network_demo.
    Dates are relative to `reference_date`; the third round is open on that day."""
    partners = list(Partner.objects.current().select_related("organisation")
                    .order_by("organisation__name"))
    by_name = {partner.organisation.name: partner for partner in partners}
    with transaction.atomic():
        for title, opens, closes, base, answering in DEMO_SURVEY_ROUNDS:
            survey_round, _created = SurveyRound.objects.update_or_create(title=title, defaults={
                "opens_on": reference_date + timedelta(days=opens),
                "closes_on": reference_date + timedelta(days=closes),
            })
            members = [p for p in partners if p.joined_on <= survey_round.closes_on]
            for partner in members[:answering]:
                scores = [_clamp_score(score + rng.choice((-1, 0, 0, 1))) for score in base]
                SurveyResponse.objects.update_or_create(
                    round=survey_round, partner=partner, defaults={
                        "shared_goal": scores[0], "trust": scores[1],
                        "size_and_diversity": scores[2], "representatives": scores[3],
                        "remark": rng.choice(DEMO_SURVEY_REMARKS),
                    })
        for (title, starts, ends, week, message, audience, channels, partner_names, activities,
             reached, results) in DEMO_CAMPAIGNS:
            campaign, _created = Campaign.objects.update_or_create(title=title, defaults={
                "starts_on": reference_date + timedelta(days=starts),
                "ends_on": reference_date + timedelta(days=ends),
                "is_week_against_loneliness": week, "message": message, "audience": audience,
                "channels": [channel.value for channel in channels], "activities": activities,
                "people_reached": reached, "results": results,
            })
            campaign.partners.set([by_name[name] for name in partner_names if name in by_name])
    return {"survey_rounds": len(DEMO_SURVEY_ROUNDS), "campaigns": len(DEMO_CAMPAIGNS)}


# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---

# chapter code: (status, notes, [(goal, days from the reference date or None, achieved)],
#                [(action, owner organisations in order of preference, days, status)])
ROADMAP_DEMO = {
    "verkenning": ("done", "De verkenning is afgerond in het voorjaar. Uitkomsten staan in de "
                   "notitie 'Eenzaamheid in Omzienstad en Zorgdal'.", [
        ("Cijfers uit de gezondheidsmonitor per wijk op een rij", -120, True),
        ("Overzicht van alle activiteiten tegen eenzaamheid op de sociale kaart", -90, True),
    ], [
        ("Bij andere afdelingen nagaan welke organisaties de gemeente al kent",
         ["Gemeente Omzienstad", "Welzijn Omzienstad"], -100, "done"),
    ]),
    "plan_van_aanpak": ("in_progress", "Eerste versie besproken in de stuurgroep.", [
        ("Plan van aanpak vastgesteld door het college", 60, False),
        ("Informatiebijeenkomst voor raadsleden gehouden", 90, False),
    ], [
        ("Concept plan van aanpak schrijven met de werkgroepen",
         ["Welzijn Omzienstad", "Gemeente Omzienstad"], 21, "in_progress"),
    ]),
    "commitment": ("in_progress", "", [
        ("25 organisaties hebben de ik-doe-mee-verklaring getekend", 120, False),
    ], [
        ("Ondernemers uitnodigen voor een ontbijtsessie over eenzaamheid",
         ["Ondernemersvereniging Omzienstad", "Bakkerij Van Dalen"], 30, "open"),
    ]),
    "sterk_netwerk": ("in_progress", "Werkgroepen per levensfase zijn gestart.", [
        ("Elke werkgroep komt minstens eens per kwartaal bij elkaar", 180, False),
        ("Woningcorporatie en scholen doen mee in de coalitie", 150, False),
    ], [
        ("Informele netwerklunch organiseren voor alle partners",
         ["Buurthuis De Schakel", "Welzijn Omzienstad"], -10, "open"),
    ]),
    "bewustwording": ("in_progress", "", [
        ("Campagne in de Week tegen Eenzaamheid bereikt 5.000 inwoners", 270, False),
    ], [
        ("Kerstkaart met informatie over het meldpunt naar alle 75-plussers",
         ["Ouderenadvies Omzienland", "Welzijn Omzienstad"], 340, "open"),
    ]),
    "signaleren": ("not_started", "", [
        ("Huismeesters, wijkagenten en winkelpersoneel getraind in signaleren", 200, False),
    ], [
        ("Training 'Zie jij het ook?' inplannen voor huismeesters",
         ["Woningcorporatie Thuisdal", "Welzijn Omzienstad"], 75, "open"),
    ]),
    "monitoren": ("not_started", "", [
        ("Elk kwartaal een korte rapportage aan de raad", None, False),
    ], []),
}

# title, applicant, summary, amount, days before the reference date, scores (in checklist
# order), outcome: "received", "assessed" or "funded".
GRANT_DEMO = [
    ("Samen aan tafel in de Molenkamp", "Stichting Warme Maaltijd",
     "Twee keer per week koken en eten buurtbewoners samen in het buurthuis. Vrijwilligers halen "
     "mensen die alleen wonen persoonlijk op, na een tip van de huisarts of de huismeester. Na "
     "een jaar zoeken we een vaste plek in het buurthuis en een vrijwilligersteam dat het "
     "zelf draagt.", "12500.00", 60, [3, 2, 3, 3, 2, 2, 2, 1], "assessed"),
    ("Maatjes voor jonge mantelzorgers", "Mantelzorgsteunpunt Omzienland",
     "Jongeren die thuis zorgen voor een ouder krijgen een maatje van hun eigen leeftijd. Ze "
     "spreken elke twee weken af om iets leuks te doen. Scholen helpen om de jongeren te "
     "vinden.", "8750.00", 45, [2, 2, 1, 2, 2, 1, 1, 2], "assessed"),
    ("Digitaal Café in de bibliotheek", "Bibliotheek Omzienland",
     "Elke week een inloop waar ouderen hulp krijgen met hun tablet en telefoon, met koffie en "
     "tijd voor een praatje. Wie niet kan komen, krijgt een vrijwilliger aan huis. We meten bij "
     "de start en na een half jaar hoe deelnemers zich voelen.", "6200.00", 300,
     [3, 2, 2, 2, 3, 3, 2, 2], "funded"),
    ("Wandelen met een praatje", "Wandelclub De Stappers",
     "Een wekelijkse korte wandeling vanaf de markt, op een rustig tempo, met na afloop koffie. "
     "Buurtgenoten nodigen iemand uit die ze al een tijd niet hebben gezien.", "2400.00", 10,
     None, "received"),
]
DEMO_FINDINGS = (
    "Na zes maanden kwamen er gemiddeld 14 deelnemers per week, van wie de helft alleen woont. "
    "Deelnemers zeggen vaker contact te hebben met (klein)kinderen via videobellen. Drie "
    "deelnemers zijn zelf vrijwilliger geworden."
)


def _demo_partner(names):
    """The first current partner among the organisations named, else any current partner."""
    partners = Partner.objects.current().select_related("organisation")
    for name in names:
        partner = partners.filter(organisation__name=name).first()
        if partner:
            return partner
    return partners.order_by("organisation__name").first()


def build_roadmap_demo(rng, reference_date=DEMO_REFERENCE_DATE):
    """Statuses, goals and actions for the roadmap, and four grant applications: two assessed,
    one funded (an experiment that has been evaluated) and one just received. The records are
    fixed texts, so `rng` is not needed for them."""
    with transaction.atomic():
        _build_roadmap(reference_date)
        _build_grants(reference_date)


def _build_roadmap(today):
    for code, (status, notes, goals, actions) in ROADMAP_DEMO.items():
        chapter = Chapter.objects.get(code=code)
        chapter.status, chapter.notes = status, notes
        chapter.save(update_fields=["status", "notes"])
        for text, days, achieved in goals:
            Goal.objects.update_or_create(chapter=chapter, text=text, defaults={
                "target_date": today + timedelta(days=days) if days is not None else None,
                "achieved": achieved,
            })
        for title, owners, days, action_status in actions:
            owner = _demo_partner(owners)
            if owner is None:  # no partners yet: the network demo has not run
                continue
            due = today + timedelta(days=days)
            action, _created = Action.objects.update_or_create(
                chapter=chapter, title=title, defaults={
                    "owner": owner, "due_date": due, "status": action_status,
                    "completed_on": due if action_status == "done" else None,
                    "working_group": owner.working_groups.filter(
                        archived_at__isnull=True).order_by("name").first(),
                },
            )
            action.partners.set(
                Partner.objects.current().exclude(pk=owner.pk).order_by("organisation__name")[:2]
            )


def _build_grants(today):
    criteria = list(Criterion.objects.filter(is_active=True))
    for title, applicant, summary, amount, days, scores, outcome in GRANT_DEMO:
        organisation = Organisation.objects.filter(name=applicant).first()
        if organisation is None:
            continue
        application, _created = GrantApplication.objects.get_or_create(title=title, defaults={
            "applicant": organisation, "summary": summary, "amount_requested": Decimal(amount),
            "received_on": today - timedelta(days=days),
        })
        if scores:
            for index, criterion in enumerate(criteria):
                score = scores[index % len(scores)]
                CriterionScore.objects.update_or_create(
                    application=application, criterion=criterion,
                    defaults={"score": score, "note": SCORE_NOTES[score]},
                )
        if outcome == "received" or application.status != "received":
            continue
        application.status = "funded" if outcome == "funded" else "assessed"
        application.save(update_fields=["status"])
        if outcome == "funded":
            experiment, created = Experiment.objects.get_or_create(
                application=application, defaults={"stage": "evaluated",
                                                   "findings": DEMO_FINDINGS})
            if created:
                ExperimentStageChange.objects.create(experiment=experiment, from_stage="",
                                                     to_stage="funded")
                ExperimentStageChange.objects.create(
                    experiment=experiment, from_stage="funded", to_stage="evaluated",
                    reason="Evaluatie na zes maanden besproken met de bibliotheek.",
                )


SCORE_NOTES = {
    0: "Staat niet in de aanvraag.",
    1: "Wordt genoemd, maar niet uitgewerkt.",
    2: "Grotendeels uitgewerkt; vraag nog om een concreet voorbeeld.",
    3: "Helder en overtuigend beschreven.",
}


def build_app_demo(region, seed, reference_date):
    """The coalition's demo records, called by load_demo. Partners come first: the survey, the
    campaigns and the roadmap's actions point at them. Records are keyed by their titles, so
    loading again on another day moves the dates instead of adding records."""
    rng = random.Random(seed)
    with transaction.atomic():
        build_network_demo(region, rng, reference_date)
        build_health_demo(rng, reference_date)
        build_roadmap_demo(rng, reference_date)
