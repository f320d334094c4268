"""Fictional demo activities for the social map, built on the demo region of omzien.core.demo:
some 350 activities (koffieochtenden, eetpunten, wandelgroepen, maatjes, Grip en Glans, ...)
by the demo organisations, at places inside the demo buurten, with sign-ups, an iCalendar
import source and a few possible duplicates.

Deterministic: the same seed gives the same activities. Loading again replaces the demo
organisations' activities and places, so nothing is added twice. Recurring activities repeat
without an end date and one-off events lie in the coming weeks (counted from today when the
reference date has passed), so the agenda always shows what is coming.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from difflib import SequenceMatcher
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from omzien.core.demo import MUNICIPALITIES, ORGANISATIONS, STREETS
from omzien.core.models import Area, Organisation
from omzien.core.queries import area_for_point

from .models import (
    Activity,
    DuplicateCandidate,
    ImportRun,
    ImportSource,
    Location,
    SignUp,
    TaxonomyTerm,
)
from .schedule import format_local
from .services.catalogue import store_activity
from .taxonomy import Taxonomy

J = Activity.JoinMethod
WEEKDAYS = (0, 1, 2, 3, 4)
DAY_NAMES = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MONTH_NAMES = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"]
COURSE_SESSIONS = {6: "zes", 8: "acht"}

IMPORT_SOURCE_URL = "https://agenda.bibliotheek-omzienland.example/activiteiten.ics"
IMPORT_SOURCE_NAME = "Agenda Bibliotheek Omzienland (iCal)"
IMPORTED_ACTIVITIES = 10
# How many activities get each special state; the rest are active, approved and checked.
FATES = {"paused": 6, "ended": 5, "stale": 14, "pending": 7}


@dataclass(frozen=True)
class Offer:
    """A kind of activity that the demo places several times, at different places."""

    key: str
    count: int
    titles: tuple
    text: str  # HTML with {when}, {time}, {venue}, {buurt}, {wijk}, {town}, {org}
    organisers: tuple
    places: tuple  # kinds of venue, see _build_venues
    kinds: tuple
    targets: tuple
    elements: tuple
    levels: tuple
    schedules: tuple = ("weekly",)
    times: tuple = ((10, 0, 90),)  # (hour, minute, minutes)
    weekdays: tuple = WEEKDAYS
    costs: tuple = ("0",)
    cost_note: str = "per keer"
    joins: tuple = (J.WALK_IN,)
    capacity: tuple | None = None  # (fewest, most) places, for some of them
    referral_notes: str = ""
    languages: tuple = (("nl",),)
    transport: float = 0.0  # chance that transport is offered
    sessions: int = 6  # meetings of a course


def offer(key, count, titles, text, organisers, places, kinds, targets, elements, levels,
          **options):
    return Offer(key, count, tuple(titles), text, tuple(organisers), tuple(places),
                 tuple(kinds), tuple(targets), tuple(elements), tuple(levels), **options)


WELFARE = ("Welzijn Omzienstad", "Welzijn Zorgdal")

OFFERS = [
    offer(
        "coffee", 44,
        ["Koffieochtend in {venue}", "Inloopochtend met koffie in {buurt}",
         "Open koffietafel {buurt}", "Koffie en een praatje in {venue}"],
        "<p>Zin in een kopje koffie en een praatje? Kom langs bij de koffieochtend in {venue}. "
        "U bent welkom {when}, {time}.</p><p>U hoeft niets te doen of te kunnen. Gewoon "
        "binnenlopen mag. Er zijn altijd vrijwilligers die u welkom heten. Zo leert u vanzelf "
        "nieuwe mensen kennen.</p>",
        [*WELFARE, "Buurthuis De Schakel", "Buurthuis Het Anker", "Bewonersvereniging Molenkamp",
         "Wooncoöperatie Het Erf", "Zorgcentrum De Linde"],
        ["centre", "care"], ["meeting"], ["everyone", "age_55_plus"], ["meeting"],
        ["prevention", "increased_risk", "mild_moderate"],
        times=((10, 0, 90), (9, 30, 120), (10, 0, 120)), costs=("0", "0", "0", "1.00"),
    ),
    offer(
        "meal", 28,
        ["Eetpunt {venue}", "Samen eten in {buurt}", "Aanschuiftafel {venue}",
         "Buurtmaaltijd {buurt}"],
        "<p>Eet u vaak alleen? Schuif aan bij de maaltijd in {venue}. Vrijwilligers koken een "
        "verse maaltijd met soep, een hoofdgerecht en een toetje.</p><p>De maaltijd is {when}, "
        "{time}. Heeft u een dieet? Zeg het even bij het aanmelden. Aanmelden is nodig, want "
        "er is plek voor een vaste groep.</p>",
        ["Stichting Warme Maaltijd", *WELFARE, "Buurthuis De Schakel", "Buurthuis Het Anker",
         "Zorgcentrum De Linde"],
        ["centre", "care"], ["shared_meal"], ["age_75_plus", "everyone"],
        ["meeting", "meaningful_contact"], ["increased_risk", "mild_moderate"],
        schedules=("weekly", "weekly", "biweekly"),
        times=((17, 30, 120), (12, 30, 90), (17, 0, 120)),
        costs=("5.00", "6.00", "6.50", "7.50"), joins=(J.SIGN_UP, J.SIGN_UP, J.WALK_IN),
        capacity=(14, 30), transport=0.3,
    ),
    offer(
        "walk", 28,
        ["Wandelgroep {buurt}", "Samen wandelen in {buurt}", "Beweegwandeling vanaf {venue}",
         "Ommetje {buurt}"],
        "<p>Samen wandelen is gezond en gezellig. We lopen {when} een rustige route van "
        "ongeveer een uur, {time}. We verzamelen bij {venue}.</p><p>Iedereen loopt in zijn "
        "eigen tempo. Met een rollator bent u ook welkom: er is altijd een kortere route. Na "
        "afloop drinken we samen koffie.</p>",
        ["Wandelclub De Stappers", *WELFARE, "Fysiotherapie Beweegwijs",
         "Omnisportvereniging Zorgdal Vooruit"],
        ["centre", "sport"], ["exercise", "meeting"], ["everyone", "age_55_plus"],
        ["meeting", "occupation"], ["prevention", "increased_risk"],
        times=((9, 30, 90), (10, 0, 90), (14, 0, 90)), weekdays=(0, 1, 2, 3, 4, 5),
    ),
    offer(
        "buddy", 10,
        ["Een vast maatje in {wijk}", "Maatje voor een wandeling of een kop koffie",
         "Maatjesproject {town}"],
        "<p>Staat u er alleen voor en wilt u graag iemand om mee te praten, te wandelen of "
        "boodschappen mee te doen? Een vrijwilliger wordt uw vaste maatje. U spreekt samen af "
        "wanneer het u uitkomt, meestal één keer per week.</p><p>Eerst komt een coördinator bij "
        "u thuis voor een kennismaking. Daarna zoeken we een maatje dat bij u past.</p>",
        ["Maatjesproject Samen Verder", "Vrijwilligerscentrale Omzienstad", "Welzijn Zorgdal"],
        ["centre"], ["buddy"], ["everyone", "age_75_plus"],
        ["meaningful_contact", "practical_support"], ["mild_moderate", "severe"],
        schedules=("appointment",), joins=(J.EXTERNAL, J.SIGN_UP),
        referral_notes="Aanmelden kan door de inwoner zelf, maar ook door een consulent, "
                       "huisarts of wijkverpleegkundige (met toestemming). De coördinator belt "
                       "binnen een week voor een kennismaking; de koppeling volgt binnen zes "
                       "weken.",
    ),
    offer(
        "grip", 8,
        ["Cursus Grip en Glans", "Grip en Glans: zelf richting geven aan uw leven",
         "Grip en Glans in {buurt}"],
        "<p>Grip en Glans is een cursus voor mensen van 65 jaar en ouder. U leert hoe u zelf "
        "zorgt voor contact met anderen, voor dingen die u blij maken en voor een goed gevoel "
        "over uzelf.</p><p>De cursus heeft zes bijeenkomsten van twee uur: {when}, {time}. De "
        "groep is klein, zodat iedereen aan de beurt komt. Voor u begint, is er een kort "
        "kennismakingsgesprek.</p>",
        [*WELFARE, "Volksuniversiteit Omzienland"],
        ["centre", "library"], ["course"], ["age_55_plus", "age_75_plus"],
        ["social_skills", "realistic_expectations"], ["increased_risk", "mild_moderate"],
        schedules=("course",), times=((10, 0, 120), (13, 30, 120)), costs=("0", "0", "2.50"),
        joins=(J.SIGN_UP,), capacity=(8, 12),
    ),
    offer(
        "digital", 20,
        ["Digi-café {venue}", "Klik & Tik: oefenen met tablet en computer in {buurt}",
         "Digitaal spreekuur in {venue}", "Hulp bij uw smartphone in {buurt}"],
        "<p>Lukt het niet met uw telefoon, tablet of computer? In het digi-café helpen "
        "vrijwilligers u op weg. Bijvoorbeeld met DigiD, beeldbellen met de kleinkinderen of "
        "het openen van een mail.</p><p>Neem uw eigen apparaat mee, en uw wachtwoorden als u "
        "die heeft. U bent welkom {when}, {time}.</p>",
        ["Bibliotheek Omzienland", "Volksuniversiteit Omzienland", *WELFARE],
        ["library", "centre"], ["digital_skills", "course"], ["age_55_plus", "everyone"],
        ["practical_support", "occupation"], ["prevention"],
        schedules=("weekly", "biweekly"), times=((10, 0, 120), (14, 0, 120), (13, 30, 90)),
        joins=(J.WALK_IN, J.WALK_IN, J.SIGN_UP), capacity=(6, 10),
    ),
    offer(
        "chair_yoga", 14,
        ["Stoelyoga in {venue}", "Bewegen op de stoel in {buurt}",
         "Stoelyoga voor senioren {buurt}"],
        "<p>Bij stoelyoga doet u rustige oefeningen terwijl u op een stoel zit of ernaast "
        "staat. Dat is goed voor uw spieren, uw balans en uw ademhaling.</p><p>Een ervaren "
        "docent let op wat u wel en niet kunt. De les is {when}, {time}. Trek makkelijke "
        "kleding aan.</p>",
        ["Omnisportvereniging Zorgdal Vooruit", "Fysiotherapie Beweegwijs",
         "Zorgcentrum De Linde", "Welzijn Omzienstad"],
        ["sport", "centre", "care"], ["exercise"], ["age_75_plus", "disability"],
        ["occupation", "meeting"], ["prevention", "increased_risk"],
        times=((10, 30, 60), (14, 0, 60)), costs=("2.50", "3.00", "3.50", "0"),
        joins=(J.SIGN_UP, J.WALK_IN), capacity=(12, 16),
    ),
    offer(
        "grief", 9,
        ["Rouwcafé {town}", "Praatgroep rouw en verlies in {buurt}",
         "Samen verder na verlies", "Ontmoeting voor weduwen en weduwnaars in {venue}"],
        "<p>Heeft u iemand verloren die u dierbaar was? In het rouwcafé praat u met mensen die "
        "hetzelfde hebben meegemaakt. U mag ook alleen luisteren.</p><p>Een getrainde "
        "vrijwilliger leidt het gesprek. We komen bij elkaar {when}, {time}. Er is koffie en "
        "thee.</p>",
        ["Rouwcafé Omzienland", "Protestantse Gemeente Omzienstad",
         "Parochie Sint-Maarten Zorgdal", "Welzijn Zorgdal"],
        ["church", "centre", "library"], ["meaning", "meeting"], ["everyone", "age_55_plus"],
        ["meaningful_contact", "realistic_expectations"], ["mild_moderate", "severe"],
        schedules=("monthly_first",), times=((19, 30, 120), (14, 0, 120)), weekdays=(3,),
    ),
    offer(
        "carers", 9,
        ["Mantelzorgcafé {town}", "Even bijkomen: mantelzorgcafé in {venue}",
         "Lotgenotengroep mantelzorgers {wijk}"],
        "<p>Zorgt u voor uw partner, een ouder of een kind? Dan bent u mantelzorger. In het "
        "mantelzorgcafé ontmoet u andere mantelzorgers. U deelt ervaringen en tips, en u heeft "
        "even tijd voor uzelf.</p><p>Elke keer is er een onderwerp, zoals respijtzorg of omgaan "
        "met dementie. Het café is {when}, {time}. Kunt u niet weg omdat u zorgt? Vraag ons naar "
        "vervangende zorg.</p>",
        ["Mantelzorgsteunpunt Omzienland", *WELFARE],
        ["centre", "library", "care"], ["carer_support", "meeting"], ["carers"],
        ["meeting", "practical_support"], ["increased_risk", "mild_moderate"],
        schedules=("monthly_first", "monthly_last"), times=((10, 0, 120), (19, 30, 90)),
    ),
    offer(
        "language", 9,
        ["Taalcafé voor oudere migranten", "Koffie en Nederlands praten in {venue}",
         "Ontmoetingsochtend voor Turkse en Marokkaanse ouderen in {buurt}"],
        "<p>In het taalcafé oefent u Nederlands praten, in een rustig tempo. Het gaat over "
        "gewone dingen: de dokter, de buurt, uw familie. Ook als u weinig Nederlands spreekt, "
        "bent u welkom.</p><p>Vrijwilligers spreken ook Turks of Arabisch. We zien u {when}, "
        "{time}, met thee en iets lekkers.</p>",
        ["Bibliotheek Omzienland", "Moskee Omzienstad", *WELFARE],
        ["library", "mosque", "centre"], ["meeting", "course"], ["migrant_elderly"],
        ["meeting", "social_skills"], ["prevention", "increased_risk", "mild_moderate"],
        times=((10, 0, 120), (14, 0, 90)),
        languages=(("nl", "tr"), ("nl", "ar"), ("nl", "tr", "ar")),
    ),
    offer(
        "home_visit", 12,
        ["Huisbezoek door een vrijwilliger in {wijk}", "Bezoekgroep {town}",
         "Een vast bezoek aan huis in {buurt}", "Bezoek aan huis in {wijk}"],
        "<p>Krijgt u weinig bezoek? Een vrijwilliger komt graag bij u langs voor een kop koffie "
        "en een goed gesprek. Meestal eens in de twee weken, op een moment dat u uitkomt.</p>"
        "<p>Na een eerste kennismaking bij u thuis zoeken we iemand die bij u past. Ook familie "
        "of de huisarts kan u aanmelden.</p>",
        ["Zonnebloem afdeling Zorgdal", "Protestantse Gemeente Omzienstad",
         "Parochie Sint-Maarten Zorgdal", "Ouderenadvies Omzienland", "Welzijn Omzienstad",
         "Vrijwilligerscentrale Omzienstad"],
        ["centre", "church"], ["home_visit"], ["age_75_plus", "disability"],
        ["meaningful_contact"], ["mild_moderate", "severe"],
        schedules=("appointment",), joins=(J.EXTERNAL, J.SIGN_UP),
        referral_notes="Verwijzen kan met een kort telefoontje of via de meldpunt-route. "
                       "Noem wat de bewoner graag doet; dan kiezen we een vrijwilliger die past.",
    ),
    offer(
        "car_buddy", 6,
        ["Automaatje {town}", "Vrijwillige chauffeurs: samen op pad in {wijk}"],
        "<p>Kunt u zelf niet meer rijden en is het openbaar vervoer lastig? Een vrijwillige "
        "chauffeur brengt u met zijn eigen auto naar de dokter, de kapper of een verjaardag. De "
        "chauffeur wacht op u of haalt u later weer op.</p><p>Bel minstens twee werkdagen van "
        "tevoren. U betaalt een kleine vergoeding per kilometer aan de chauffeur.</p>",
        ["Vrijwilligerscentrale Omzienstad", "Welzijn Zorgdal"],
        ["centre"], ["transport"], ["age_75_plus", "disability"], ["practical_support"],
        ["increased_risk", "mild_moderate"],
        schedules=("appointment",), costs=("0.35",), cost_note="per kilometer",
        joins=(J.EXTERNAL,), transport=1.0,
    ),
    offer(
        "dial_bus", 3,
        ["Belbus {town}"],
        "<p>De belbus rijdt op werkdagen van 9.00 tot 17.00 uur door heel {town}. De bus haalt "
        "u thuis op en brengt u naar bijvoorbeeld het buurthuis, de markt of de huisarts.</p>"
        "<p>Bel de dag van tevoren voor een rit. De bus heeft een lift voor een rolstoel of "
        "scootmobiel.</p>",
        [*WELFARE], ["centre"], ["transport"], ["age_75_plus", "disability"],
        ["practical_support"], ["increased_risk"],
        schedules=("appointment",), costs=("2.00",), cost_note="per rit",
        joins=(J.EXTERNAL,), transport=1.0,
    ),
    offer(
        "repair", 8,
        ["Repair Café {buurt}", "Samen repareren in {venue}"],
        "<p>Is uw broodrooster, fiets of favoriete jas kapot? Gooi het niet weg, maar kom naar "
        "het Repair Café. Vrijwilligers repareren het samen met u.</p><p>Terwijl u wacht, "
        "drinkt u koffie met andere buurtbewoners. Het Repair Café is {when}, {time}. Een "
        "vrijwillige bijdrage is welkom.</p>",
        ["Repair Café Zorgdal", "Bewonersvereniging Molenkamp", "Wooncoöperatie Het Erf",
         "Welzijn Omzienstad"],
        ["centre"], ["practical_help", "meeting"], ["everyone"],
        ["meaningful_role", "meeting", "occupation"], ["prevention"],
        schedules=("monthly_first",), times=((10, 0, 180), (13, 0, 180)), weekdays=(5,),
    ),
    offer(
        "reading", 12,
        ["Leesclub {venue}", "Leesclub voor senioren in {buurt}", "Voorleesmiddag in {venue}",
         "Boekenkring {buurt}"],
        "<p>Houdt u van lezen en praat u er graag over? In de leesclub lezen we elke maand een "
        "boek en bespreken we het samen. De bibliotheek zorgt voor de boeken, ook in grote "
        "letters of als luisterboek.</p><p>De leesclub komt bij elkaar {when}, {time}. Er is "
        "plaats voor een kleine groep.</p>",
        ["Bibliotheek Omzienland"],
        ["library", "centre", "care"], ["culture", "meeting"], ["everyone", "age_55_plus"],
        ["meeting", "occupation"], ["prevention"],
        schedules=("monthly_first", "monthly_last"),
        times=((14, 0, 90), (19, 30, 90), (10, 30, 90)), costs=("0", "0", "2.50"),
        joins=(J.SIGN_UP,), capacity=(8, 14),
    ),
    offer(
        "church_afternoon", 14,
        ["Ontmoetingsmiddag in {venue}", "Open kerk: koffie en een praatje in {buurt}",
         "Soosmiddag voor ouderen {buurt}", "Zondagmiddagsoos in {venue}"],
        "<p>Iedereen is welkom bij de ontmoetingsmiddag, of u nu gelovig bent of niet. We "
        "drinken koffie, praten bij, doen een spelletje of luisteren naar muziek of een "
        "verhaal.</p><p>De middag is {when}, {time}. Bent u slecht ter been? Dan halen we u op. "
        "Bel wel even van tevoren.</p>",
        ["Protestantse Gemeente Omzienstad", "Parochie Sint-Maarten Zorgdal"],
        ["church"], ["meeting", "meaning"], ["age_75_plus", "everyone"],
        ["meeting", "meaningful_contact"], ["increased_risk", "mild_moderate"],
        schedules=("biweekly", "monthly_first"), times=((14, 0, 120), (14, 30, 120)),
        weekdays=(1, 2, 3, 6), transport=0.5,
    ),
    offer(
        "games", 18,
        ["Spelmiddag {venue}", "Sjoelen en klaverjassen in {buurt}",
         "Bingo en meer in {venue}", "Kaartmiddag {buurt}"],
        "<p>Houdt u van een spelletje? Kom sjoelen, rummikuppen, klaverjassen of bingo spelen. "
        "Winnen is leuk, maar de gezelligheid is het belangrijkst.</p><p>We spelen {when}, "
        "{time}. Nieuwe spelers zijn welkom. Kent u een spel nog niet? Dan leggen we het "
        "uit.</p>",
        ["Buurthuis De Schakel", "Buurthuis Het Anker", *WELFARE,
         "Bewonersvereniging Molenkamp", "Zorgcentrum De Linde"],
        ["centre", "care"], ["meeting"], ["age_55_plus", "everyone"],
        ["meeting", "occupation"], ["prevention", "increased_risk"],
        times=((14, 0, 150), (13, 30, 120), (19, 30, 120)), costs=("0", "0", "1.50", "2.00"),
    ),
    offer(
        "garden", 6,
        ["Samen tuinieren in {venue}", "Moestuinochtend {buurt}"],
        "<p>In de buurtmoestuin zaaien, wieden en oogsten we samen. U hoeft geen ervaring te "
        "hebben. Er zijn ook hoge bakken, zodat u niet hoeft te bukken.</p><p>We werken {when}, "
        "{time}. Daarna drinken we koffie in de kas en delen we de oogst.</p>",
        ["Buurtmoestuin De Groene Vinger", "Wooncoöperatie Het Erf",
         "Bewonersvereniging Molenkamp"],
        ["garden", "centre"], ["meeting", "exercise"], ["everyone"],
        ["occupation", "meaningful_role"], ["prevention"],
        times=((10, 0, 120), (9, 30, 150)), weekdays=(1, 3, 5),
    ),
    offer(
        "walking_football", 6,
        ["Walking football {town}", "Walking football voor 60-plussers in {wijk}"],
        "<p>Walking football is voetbal in wandeltempo. Rennen mag niet, dus de kans op "
        "blessures is klein. Het is goed voor uw conditie en na afloop is er koffie in de "
        "kantine.</p><p>We spelen {when}, {time}. U kunt drie keer gratis meedoen om het te "
        "proberen.</p>",
        ["Omnisportvereniging Zorgdal Vooruit"],
        ["sport"], ["exercise"], ["age_55_plus"], ["meeting", "occupation"], ["prevention"],
        times=((10, 0, 75), (19, 0, 75)), costs=("3.00", "2.50"),
    ),
    offer(
        "singing", 10,
        ["Zingen voor je plezier in {buurt}", "Ouderenkoor {town}",
         "Muziek maken met de Harmonie", "Meezingmiddag in {venue}"],
        "<p>Zingen maakt blij, ook als u denkt dat u het niet kunt. We zingen bekende liedjes "
        "van vroeger en nu, onder leiding van een dirigent.</p><p>U hoeft geen noten te kunnen "
        "lezen. We zingen {when}, {time}. Kom gerust een keer kijken.</p>",
        ["Muziekvereniging Harmonie Omzienstad", "Zorgcentrum De Linde", "Welzijn Zorgdal",
         "Buurthuis Het Anker"],
        ["centre", "care", "church"], ["culture", "meeting"], ["everyone", "age_75_plus"],
        ["meeting", "occupation"], ["prevention", "increased_risk"],
        schedules=("weekly", "biweekly"), times=((14, 0, 90), (19, 30, 120)),
        costs=("0", "0", "2.00"),
    ),
    offer(
        "creative", 12,
        ["Schilderen en tekenen in {venue}", "Creatieve ochtend {buurt}",
         "Handwerkclub: breien en haken in {buurt}", "Schilderen voor beginners in {venue}"],
        "<p>Wilt u iets maken met uw handen? In deze groep schilderen, tekenen of handwerken we "
        "samen. Er is altijd iemand die u op weg helpt.</p><p>We zijn er {when}, {time}. "
        "Materiaal is aanwezig. U kunt ook uw eigen werk meenemen.</p>",
        ["Kunstcentrum De Kwast", "Welzijn Omzienstad", "Buurthuis De Schakel",
         "Volksuniversiteit Omzienland", "Buurthuis Het Anker"],
        ["atelier", "centre", "library"], ["culture"], ["everyone", "age_55_plus"],
        ["occupation", "meeting"], ["prevention"],
        schedules=("weekly", "biweekly"), times=((10, 0, 120), (14, 0, 120)),
        costs=("0", "2.50", "5.00"), joins=(J.WALK_IN, J.SIGN_UP), capacity=(8, 12),
    ),
    offer(
        "advice", 12,
        ["Spreekuur ouderenadviseur in {venue}", "Inloopspreekuur wonen, zorg en welzijn "
         "{buurt}", "Vraag het de ouderenadviseur in {venue}"],
        "<p>Heeft u een vraag over wonen, zorg, geld of eenzaamheid? Loop binnen bij het "
        "spreekuur van de ouderenadviseur. U krijgt een persoonlijk gesprek en advies over wat "
        "er in de buurt te doen is.</p><p>Het spreekuur is {when}, {time}. Een afspraak maken "
        "hoeft niet. Praat u liever thuis? Dan komt de ouderenadviseur bij u langs.</p>",
        ["Ouderenadvies Omzienland", *WELFARE, "Mantelzorgsteunpunt Omzienland"],
        ["centre", "library", "care"], ["information"], ["age_55_plus", "age_75_plus", "carers"],
        ["practical_support"], ["prevention", "increased_risk", "mild_moderate", "severe"],
        schedules=("weekly", "biweekly"), times=((9, 30, 120), (13, 30, 90)),
    ),
    offer(
        "day_care", 4,
        ["Dagbesteding bij {venue}", "Ontmoetingsgroep voor mensen met geheugenproblemen in "
         "{venue}"],
        "<p>Op de dagbesteding heeft u een zinvolle dag tussen andere mensen. U helpt mee met "
        "de dieren of in de tuin, u kookt samen of doet een spel. Er is altijd begeleiding.</p>"
        "<p>De groep is {when}, {time}, met lunch. Vervoer van en naar huis kan geregeld "
        "worden.</p>",
        ["Dagbesteding De Boomgaard", "Zorgcentrum De Linde"],
        ["farm", "care"], ["meeting"], ["age_75_plus", "disability"],
        ["occupation", "meaningful_role"], ["mild_moderate", "severe"],
        times=((9, 30, 360),), joins=(J.EXTERNAL,), transport=1.0,
        referral_notes="Dagbesteding valt onder de Wmo: de inwoner heeft een beschikking van de "
                       "gemeente nodig. Meld aan via het Wmo-loket; wij plannen binnen twee "
                       "weken een kennismaking. Vragen? Bel de zorgcoördinator.",
    ),
    offer(
        "bakery", 2,
        ["Koffie en een praatje bij de bakker", "Buurtkoffie aan de leestafel"],
        "<p>Bij {venue} staat de koffie klaar. Aan de grote tafel in de winkel kunt u even "
        "zitten, de krant lezen en een praatje maken met buren.</p><p>De koffie is gratis, "
        "{when}, {time}. U hoeft niets te kopen.</p>",
        ["Bakkerij Van Dalen"], ["bakery"], ["meeting"], ["everyone"], ["meeting"],
        ["prevention"], times=((9, 0, 120),), weekdays=(1, 5),
    ),
    offer(
        "shop_corner", 1,
        ["Koffiehoek in de supermarkt"],
        "<p>In de koffiehoek van {venue} kunt u na het boodschappen doen even gaan zitten. Er "
        "is koffie en thee, en vaak een buurtgenoot om mee te praten.</p><p>Een vrijwilliger "
        "van de buurt is er {when}, {time}. Wilt u uw boodschappen laten bezorgen? Vraag het "
        "aan de kassa.</p>",
        ["Buurtsuper De Hoek"], ["shop"], ["meeting"], ["everyone"], ["meeting"],
        ["prevention"], times=((10, 0, 120),),
    ),
    offer(
        "young", 4,
        ["Jongerenavond in {venue}", "Inloop voor jongeren: even praten in {buurt}"],
        "<p>Voel je je soms alleen of wil je nieuwe mensen leren kennen? Op de jongerenavond "
        "kun je chillen, gamen, koken of gewoon praten. Jongerenwerkers zijn er om naar je te "
        "luisteren.</p><p>Je bent welkom {when}, {time}. Neem gerust een vriend of vriendin "
        "mee.</p>",
        [*WELFARE, "Omnisportvereniging Zorgdal Vooruit"],
        ["centre", "sport"], ["meeting"], ["young_people"], ["meeting", "social_skills"],
        ["prevention", "increased_risk"], times=((19, 0, 150),), weekdays=(2, 4),
    ),
    offer(
        "single_parents", 4,
        ["Koffieochtend voor alleenstaande ouders in {buurt}",
         "Ouders samen: ontmoeting voor alleenstaande ouders"],
        "<p>Sta je er als ouder alleen voor? Op deze ochtend ontmoet je andere alleenstaande "
        "ouders. We praten over wat je bezighoudt en helpen elkaar met tips.</p><p>We zijn er "
        "{when}, {time}. Kleine kinderen mogen mee: er is speelgoed en een vrijwilliger die "
        "oppast.</p>",
        [*WELFARE], ["centre", "library"], ["meeting"], ["single_parents"],
        ["meeting", "realistic_expectations"], ["increased_risk", "mild_moderate"],
        schedules=("biweekly",), times=((9, 30, 120),),
    ),
    offer(
        "recovery", 3,
        ["Herstelgroep: weer grip op je dag"],
        "<p>In de herstelgroep werk je samen met anderen aan een dag die weer structuur en "
        "betekenis heeft. Je leert van elkaars ervaringen, onder begeleiding van een "
        "herstelcoach.</p><p>De groep heeft acht bijeenkomsten: {when}, {time}.</p>",
        ["GGZ Omzienland"], ["centre", "library"], ["course", "meaning"], ["everyone"],
        ["social_skills", "realistic_expectations"], ["mild_moderate", "severe"],
        schedules=("course",), sessions=8, times=((13, 30, 120),), joins=(J.EXTERNAL,),
        capacity=(8, 10),
        referral_notes="Aanmelden via de huisarts of POH-GGZ met een verwijzing. Daarna volgt "
                       "een intakegesprek met een van onze herstelcoaches.",
    ),
    offer(
        "balance", 4,
        ["Cursus In Balans: vallen voorkomen", "Valpreventie: sterk en stevig op de been"],
        "<p>Bent u bang om te vallen? In deze cursus oefent u met evenwicht, opstaan en lopen. "
        "U leert ook wat u thuis kunt doen om vallen te voorkomen.</p><p>De cursus heeft acht "
        "lessen: {when}, {time}. Een fysiotherapeut geeft de les.</p>",
        ["Fysiotherapie Beweegwijs"], ["sport", "centre"], ["exercise", "course"],
        ["age_75_plus"], ["occupation", "practical_support"], ["prevention", "increased_risk"],
        schedules=("course",), sessions=8, times=((10, 0, 75),), costs=("5.00",),
        joins=(J.SIGN_UP,), capacity=(10, 12),
    ),
    offer(
        "mosque", 3,
        ["Seniorenochtend in de moskee", "Vrouwengroep: thee en gesprek"],
        "<p>Een ochtend voor ouderen uit de buurt, met thee, een maaltijd en een gesprek over "
        "gezondheid, familie en geloof. Iedereen is welkom.</p><p>We zien u {when}, {time}. "
        "De voertaal is Nederlands, Turks of Arabisch.</p>",
        ["Moskee Omzienstad"], ["mosque"], ["meeting", "meaning"], ["migrant_elderly"],
        ["meeting", "meaningful_contact"], ["increased_risk", "mild_moderate"],
        schedules=("weekly", "biweekly"), times=((10, 0, 150),),
        languages=(("nl", "tr", "ar"),),
    ),
    offer(
        "police", 3,
        ["Koffie met de wijkagent in {venue}"],
        "<p>Heeft u een vraag over veiligheid in de buurt, of wilt u iets kwijt? Drink een kop "
        "koffie met de wijkagent. U krijgt ook tips tegen babbeltrucs en oplichting aan de "
        "deur.</p><p>De wijkagent is er {when}, {time}.</p>",
        ["Politie basisteam Omzienland"], ["centre"], ["information", "meeting"],
        ["age_55_plus", "everyone"], ["practical_support", "meeting"], ["prevention"],
        schedules=("monthly_first",), times=((10, 0, 90),),
    ),
    # One-off events, in the coming weeks.
    offer(
        "film", 4, ["Filmmiddag in {venue}"],
        "<p>We kijken samen een mooie film op het grote scherm, met koffie en iets lekkers in "
        "de pauze. Welke film het wordt, hoort u bij de deur.</p><p>De filmmiddag is {when}, "
        "{time}.</p>",
        ["Buurthuis De Schakel", "Buurthuis Het Anker", *WELFARE, "Zorgcentrum De Linde"],
        ["centre", "care"], ["culture", "meeting"], ["everyone"], ["meeting", "occupation"],
        ["prevention"], schedules=("one_off",), times=((14, 0, 150),), costs=("2.50",),
        cost_note="met koffie en thee",
    ),
    offer(
        "info_home", 3, ["Informatiemiddag: veilig en zelfstandig thuis wonen"],
        "<p>Hoe blijft u prettig en veilig thuis wonen, ook als het wat minder gaat? Een "
        "ouderenadviseur en een ergotherapeut vertellen over hulpmiddelen, aanpassingen in huis "
        "en hulp uit de buurt.</p><p>De middag is {when}, {time}. Er is ruim tijd voor "
        "vragen.</p>",
        ["Ouderenadvies Omzienland", *WELFARE], ["centre", "library"], ["information"],
        ["age_75_plus", "carers"], ["practical_support"], ["prevention"],
        schedules=("one_off",), times=((14, 0, 120),), joins=(J.SIGN_UP,), capacity=(30, 40),
    ),
    offer(
        "breakfast", 4, ["Buurtontbijt {buurt}"],
        "<p>Begin de dag samen met uw buren aan een gedekte tafel, met vers brood van de bakker. "
        "Een mooie manier om de mensen uit uw straat te leren kennen.</p><p>Het ontbijt is "
        "{when}, {time}.</p>",
        ["Bewonersvereniging Molenkamp", "Wooncoöperatie Het Erf", "Buurthuis De Schakel",
         "Buurthuis Het Anker", *WELFARE],
        ["centre"], ["shared_meal", "meeting"], ["everyone"], ["meeting"], ["prevention"],
        schedules=("one_off",), times=((9, 0, 120),), weekdays=(5,), costs=("2.00",),
        joins=(J.SIGN_UP,), capacity=(25, 35),
    ),
    offer(
        "lecture", 3, ["Lezing: {town} van vroeger"],
        "<p>Een verteller van de historische vereniging laat oude foto's zien van {town}: de "
        "markt, de school en de boerderijen van toen. Herkent u iemand? Vertel het ons!</p>"
        "<p>De lezing is {when}, {time}.</p>",
        ["Bibliotheek Omzienland"], ["library", "care"], ["culture"], ["everyone"],
        ["meeting", "occupation"], ["prevention"],
        schedules=("one_off",), times=((14, 0, 90), (19, 30, 90)), costs=("0", "2.50"),
    ),
    offer(
        "flowers", 3, ["Workshop bloemschikken in {venue}"],
        "<p>Onder leiding van een bloemist maakt u een mooi bloemstuk om mee naar huis te "
        "nemen. Ervaring is niet nodig.</p><p>De workshop is {when}, {time}. De bloemen en het "
        "materiaal zijn bij de prijs inbegrepen.</p>",
        ["Kunstcentrum De Kwast", "Buurthuis De Schakel", "Welzijn Zorgdal"],
        ["atelier", "centre"], ["culture"], ["everyone"], ["occupation", "meeting"],
        ["prevention"], schedules=("one_off",), times=((14, 0, 120),), costs=("7.50",),
        joins=(J.SIGN_UP,), capacity=(10, 12),
    ),
    offer(
        "music_afternoon", 3, ["Muziekmiddag met live muziek in {venue}"],
        "<p>Een middag vol bekende liedjes, gespeeld door muzikanten uit de buurt. Meezingen "
        "mag!</p><p>De muziekmiddag is {when}, {time}. De koffie en thee zijn gratis.</p>",
        ["Zorgcentrum De Linde", "Muziekvereniging Harmonie Omzienstad", "Buurthuis Het Anker"],
        ["care", "centre"], ["culture", "meeting"], ["age_75_plus", "everyone"],
        ["meeting"], ["prevention", "increased_risk"],
        schedules=("one_off",), times=((14, 30, 120),),
    ),
    offer(
        "info_market", 2, ["Informatiemarkt wonen, zorg en welzijn {town}"],
        "<p>Op de informatiemarkt staan organisaties uit {town} die u kunnen helpen: van "
        "welzijnswerk en mantelzorg tot vervoer en de bibliotheek. Loop binnen wanneer het u "
        "uitkomt.</p><p>De markt is {when}, {time}.</p>",
        ["Gemeente Omzienstad", "Gemeente Zorgdal"], ["library", "centre"], ["information"],
        ["everyone", "age_55_plus"], ["practical_support"], ["prevention"],
        schedules=("one_off",), times=((13, 0, 240),),
    ),
]

CENTRE_NAMES = [
    "Wijkcentrum De Ontmoeting", "Buurthuis Het Trefpunt", "Wijkgebouw De Brug",
    "Ontmoetingscentrum De Kajuit", "Buurthuis De Kroon", "Wijkcentrum Het Kompas",
    "Buurthuis De Wending", "Trefpunt De Horst", "Buurtkamer De Stek", "Wijkcentrum De Til",
    "Buurthuis Het Baken", "Dorpshuis De Spil",
]
CHURCH_NAMES = {
    "Omzienstad": ["Protestantse kerk De Ark", "Ontmoetingskerk", "Oude Kerk",
                   "Kerkelijk centrum De Bron", "Opstandingskerk"],
    "Zorgdal": ["Sint-Maartenkerk", "Dorpskerk Zorgdal", "Mariakapel", "Kerkzaal De Rank",
                "Sint-Jozefkerk"],
}
MORE_STREETS = {
    "Omzienstad": ["Merelstraat", "Tulpstraat", "Rembrandtlaan", "Vondelstraat", "Sluisweg",
                   "Wilhelminastraat", "Prinses Julianalaan", "Esdoornstraat", "Parallelweg",
                   "Kastanjelaan", "Oranjestraat", "Boterdijk"],
    "Zorgdal": ["Esakkerweg", "Brinkstraat", "Veenweg", "Molenstraat", "De Dolten", "Heidebloem",
                "Kampweg", "Oude Postweg", "Hazelaarstraat", "Meidoornlaan", "Looweg"],
}
DIRECTIONS = [
    "De bushalte ligt op twee minuten lopen. Parkeren kan voor de deur.",
    "Ingang aan de zijkant, naast de fietsenstalling. Er is een invalidenparkeerplaats.",
    "Met de belbus tot de deur. De zaal is op de begane grond.",
    "Bel aan bij de hoofdingang; een vrijwilliger doet open. Er is een lift.",
    "Parkeren op het plein achter het gebouw. Fietsen kunnen binnen.",
    "Bushalte Centrum ligt om de hoek. Volg de bordjes naar de grote zaal.",
]
CONTACT_FIRST = ["Anja", "Bert", "Corrie", "Dirk", "Els", "Frits", "Gea", "Hans", "Ineke",
                 "Jolanda", "Klaas", "Linda", "Martin", "Nel", "Otto", "Rianne", "Sietse",
                 "Tineke", "Aylin", "Said", "Marjan", "Roelie"]
CONTACT_LAST = ["Jansen", "Hoekstra", "Wiersma", "Bouma", "Mulder", "Dekker", "Koster",
                "Hofman", "Kramer", "Boer", "Kaya", "Benali", "Veenstra", "Zijlstra"]
RESIDENT_FIRST = ["Gerrit", "Truus", "Annie", "Jan", "Riet", "Henk", "Mien", "Klaas", "Joke",
                  "Wim", "Ans", "Bep", "Kees", "Tiny", "Hennie", "Ahmed", "Fatma", "Mustafa",
                  "Aaltje", "Roelof", "Geesje", "Harm", "Lies", "Jaap"]
RESIDENT_LAST = ["de Jong", "van der Veen", "Smit", "Huisman", "Prins", "Nijboer", "Brink",
                 "Yıldız", "El Amrani", "Oosting", "Lubbers", "Kuiper", "Wolters", "Hulst"]
SIGN_UP_REMARKS = ["Ik kom met de rollator.", "Ik eet geen varkensvlees.",
                   "Mijn buurvrouw komt ook mee.", "Ik ben slechthorend, graag vooraan.",
                   "Kan ik worden opgehaald?"]
ACCESS_CHANCES = {  # venue kind: (wheelchair accessible, hearing loop)
    "centre": (0.9, 0.4), "church": (0.7, 0.8), "library": (1.0, 1.0), "care": (1.0, 1.0),
    "sport": (0.8, 0.2), "farm": (0.6, 0.0), "bakery": (0.5, 0.0), "shop": (1.0, 0.0),
    "garden": (0.5, 0.0), "mosque": (0.6, 0.3), "atelier": (0.7, 0.2),
}


@dataclass
class Venue:
    key: str
    kind: str
    name: str
    buurt: Area
    wijk: Area
    town: str
    street_address: str
    postcode: str
    latitude: float
    longitude: float
    wheelchair: bool
    hearing_loop: bool
    directions: str
    locations: dict = field(default_factory=dict)  # organisation id -> Location


@dataclass
class DemoContext:
    rng: random.Random
    reference_date: date
    upcoming_from: date
    organisations: dict
    coverage: dict  # organisation name -> ids of the buurten it works in
    terms: dict
    import_run: ImportRun
    source: ImportSource
    made: list = field(default_factory=list)  # (Activity, Venue)
    titles: set = field(default_factory=set)


def build_app_demo(region, seed, reference_date):
    """The social map's demo activities, called by load_demo after the demo region exists."""
    with transaction.atomic():
        return _build(region, seed, reference_date)


def _build(region, seed, reference_date):
    rng = random.Random(f"omzien-demo/{seed}/activities")
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[s[0] for s in ORGANISATIONS])
    }
    _remove_earlier_demo(organisations)
    buurten = list(
        Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD,
                            parent__parent__code__in=region.municipality_codes)
        .select_related("parent__parent").order_by("code")
    )
    source, run = _import_source(organisations["Bibliotheek Omzienland"])
    context = DemoContext(
        rng=rng, reference_date=reference_date,
        # Upcoming dates count from today when the reference date has passed.
        upcoming_from=max(reference_date, timezone.localdate()),
        organisations=organisations, coverage=_coverage(organisations.values(), buurten),
        terms={(t.taxonomy, t.code): t for t in TaxonomyTerm.objects.all()},
        import_run=run, source=source,
    )
    venues = _build_venues(rng, buurten, organisations)
    plan = _plan(rng, venues)
    fates = _fates(rng, len(plan))
    for (item, venue), fate in zip(plan, fates, strict=True):
        _make_activity(context, item, venue, fate)
    _mark_duplicates(context)
    _finish_import_run(context)
    _add_sign_ups(context)
    return len(context.made)


def _remove_earlier_demo(organisations):
    """Loading again starts from a clean slate for the demo organisations."""
    ids = [o.pk for o in organisations.values()]
    Activity.objects.filter(organisation_id__in=ids).delete()
    Location.objects.filter(organisation_id__in=ids).delete()
    ImportRun.objects.filter(source__url=IMPORT_SOURCE_URL).delete()
    ImportSource.objects.filter(url=IMPORT_SOURCE_URL).delete()


def _coverage(organisations, buurten):
    coverage = {}
    for organisation in organisations:
        codes = set(organisation.areas.values_list("code", flat=True))
        coverage[organisation.name] = {
            b.pk for b in buurten
            if {b.code, b.parent.code, b.parent.parent.code} & codes
        }
    return coverage


# --- places ---

def _town(buurt):
    code = buurt.parent.parent.code
    return next(town for c, _name, town, _bbox in MUNICIPALITIES if c == code)


def _postcode(rng):
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRTVWXZ") for _i in range(2))
    return f"9999 {letters}"


def _point_inside(rng, buurt):
    """A point well inside the buurt (its boundary is a rectangle in the demo), checked with
    the same lookup the map uses."""
    for _attempt in range(20):
        lon = rng.uniform(buurt.min_lon, buurt.max_lon)
        lat = rng.uniform(buurt.min_lat, buurt.max_lat)
        margin_lon = (buurt.max_lon - buurt.min_lon) * 0.12
        margin_lat = (buurt.max_lat - buurt.min_lat) * 0.12
        lon = min(max(lon, buurt.min_lon + margin_lon), buurt.max_lon - margin_lon)
        lat = min(max(lat, buurt.min_lat + margin_lat), buurt.max_lat - margin_lat)
        found = area_for_point(lon, lat)
        if found is not None and found.pk == buurt.pk:
            return round(lat, 6), round(lon, 6)
    raise ValueError(f"No point found inside {buurt.code}")


def _venue(rng, kind, name, buurt):
    town = _town(buurt)
    latitude, longitude = _point_inside(rng, buurt)
    wheelchair, loop = ACCESS_CHANCES[kind]
    street = rng.choice(STREETS[town] + MORE_STREETS[town])
    return Venue(
        key=f"{kind}:{name}:{buurt.code}", kind=kind, name=name, buurt=buurt, wijk=buurt.parent,
        town=town, street_address=f"{street} {rng.randint(1, 140)}", postcode=_postcode(rng),
        latitude=latitude, longitude=longitude, wheelchair=rng.random() < wheelchair,
        hearing_loop=rng.random() < loop, directions=rng.choice(DIRECTIONS),
    )


def _build_venues(rng, buurten, organisations):
    """Every buurt has a community centre; every wijk a church and a sports hall; each town a
    library and care homes; and a few places of one organisation (bakery, farm, garden)."""
    venues = []
    centre_names = list(CENTRE_NAMES)
    wijken = {}
    for buurt in buurten:
        wijken.setdefault(buurt.parent, []).append(buurt)
    church_names = {town: list(names) for town, names in CHURCH_NAMES.items()}
    for wijk, wijk_buurten in wijken.items():
        town = _town(wijk_buurten[0])
        for index, buurt in enumerate(wijk_buurten):
            name = {("Centrum", 0): "Buurthuis De Schakel",
                    ("Dorpskern", 0): "Buurthuis Het Anker"}.get((wijk.name, index))
            if name is None:
                name = centre_names.pop(0) if centre_names else f"Buurthuis {buurt.name}"
            venues.append(_venue(rng, "centre", name, buurt))
        church = church_names[town].pop(0) if church_names[town] else f"Kerk {wijk.name}"
        venues.append(_venue(rng, "church", church, rng.choice(wijk_buurten)))
        sport = ("Sportpark Zorgdal Vooruit" if wijk.name == "Dorpskern"
                 else f"Sporthal {wijk.name}")
        venues.append(_venue(rng, "sport", sport, rng.choice(wijk_buurten)))
        if wijk.name in ("Centrum", "Dorpskern"):
            venues.append(_venue(rng, "library", f"Bibliotheek {town}", wijk_buurten[-1]))
    by_town = {}
    for buurt in buurten:
        by_town.setdefault(_town(buurt), []).append(buurt)
    for name, town in [("Zorgcentrum De Linde", "Omzienstad"),
                       ("Woonzorgcentrum Het Hofje", "Omzienstad"),
                       ("Woonzorgcentrum De Esborg", "Zorgdal")]:
        venues.append(_venue(rng, "care", name, rng.choice(by_town[town])))
    venues.append(_venue(rng, "mosque", "Moskee Omzienstad", rng.choice(by_town["Omzienstad"])))
    venues.append(_venue(rng, "atelier", "Atelier De Kwast", rng.choice(by_town["Zorgdal"])))
    for kind, name, organisation in [
        ("bakery", "Bakkerij Van Dalen", "Bakkerij Van Dalen"),
        ("shop", "Buurtsuper De Hoek", "Buurtsuper De Hoek"),
        ("garden", "Buurtmoestuin De Groene Vinger", "Buurtmoestuin De Groene Vinger"),
        ("farm", "Zorgboerderij De Boomgaard", "Dagbesteding De Boomgaard"),
    ]:
        venues.append(_venue(rng, kind, name, _home_buurt(organisations[organisation], buurten)))
    return venues


def _home_buurt(organisation, buurten):
    """The first buurt the organisation works in (they all work in at least one)."""
    codes = set(organisation.areas.values_list("code", flat=True))
    return next(b for b in buurten if {b.code, b.parent.code, b.parent.parent.code} & codes)


def _plan(rng, venues):
    """(offer, venue) pairs: each offer goes round its kinds of place in a shuffled order, so
    it spreads over the buurten."""
    plan = []
    for item in OFFERS:
        candidates = [v for v in venues if v.kind in item.places]
        rng.shuffle(candidates)
        plan.extend((item, candidates[i % len(candidates)]) for i in range(item.count))
    return plan


def _fates(rng, count):
    fates = [fate for fate, number in FATES.items() for _i in range(number)]
    fates += ["normal"] * (count - len(fates))
    rng.shuffle(fates)
    return fates


# --- activities ---

def _local(day, hour=0, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=ZoneInfo(settings.TIME_ZONE))


def _on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday_of_month(year, month, weekday, last=False):
    if last:
        following = date(year + month // 12, month % 12 + 1, 1)
        day = following - timedelta(days=1)
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    return _on_or_after(date(year, month, 1), weekday)


def _day_part(hour):
    return "ochtend" if hour < 12 else "middag" if hour < 18 else "avond"


def _clock(moment):
    return f"{moment.hour}.{moment.minute:02d}"


def _date_text(day):
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def _schedule(context, item):
    """Schedule fields of one activity and how to say when it is, in Dutch."""
    rng = context.rng
    kind = rng.choice(item.schedules)
    weekday = rng.choice(item.weekdays)
    hour, minute, minutes = rng.choice(item.times)
    day_name, part = DAY_NAMES[weekday], _day_part(hour)
    byday = RRULE_DAYS[weekday]
    fields = {"schedule_kind": Activity.ScheduleKind.RECURRING}
    if kind == "appointment":
        return {"schedule_kind": Activity.ScheduleKind.BY_APPOINTMENT, "starts_at": None,
                "ends_at": None, "recurrence": "",
                "schedule_note": "Op afspraak, op een moment dat u uitkomt."}, "op afspraak"
    if kind in ("weekly", "biweekly"):
        first = _on_or_after(context.reference_date - timedelta(weeks=rng.randint(4, 40)),
                             weekday)
        interval = ";INTERVAL=2" if kind == "biweekly" else ""
        fields["recurrence"] = f"FREQ=WEEKLY{interval};BYDAY={byday}"
        when = (f"elke {day_name}{part}" if kind == "weekly"
                else f"om de week op {day_name}{part}")
    elif kind in ("monthly_first", "monthly_last"):
        months_back = rng.randint(2, 10)
        year, month = divmod(context.reference_date.month - 1 - months_back, 12)
        last = kind == "monthly_last"
        first = _nth_weekday_of_month(context.reference_date.year + year, month + 1, weekday,
                                      last)
        fields["recurrence"] = f"FREQ=MONTHLY;BYDAY={'-1' if last else '1'}{byday}"
        when = f"elke {'laatste' if last else 'eerste'} {day_name} van de maand"
    elif kind == "course":
        first = _on_or_after(context.upcoming_from + timedelta(days=rng.randint(7, 35)),
                             weekday)
        fields["recurrence"] = f"FREQ=WEEKLY;COUNT={item.sessions};BYDAY={byday}"
        when = (f"{COURSE_SESSIONS[item.sessions]} keer op {day_name}{part}, "
                f"vanaf {_date_text(first)}")
    else:  # one_off
        first = _on_or_after(context.upcoming_from + timedelta(days=rng.randint(3, 45)),
                             weekday)
        fields.update(schedule_kind=Activity.ScheduleKind.ONE_OFF, recurrence="")
        when = f"op {_date_text(first)}"
    starts_at = _local(first, hour, minute)
    fields.update(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes))
    if kind in ("weekly", "biweekly") and rng.random() < 0.15:
        fields["schedule_note"] = "Niet in de schoolvakanties."
    elif kind == "weekly" and rng.random() < 0.1:
        # One coming time is skipped, as happens on a public holiday or when the hall is busy.
        skipped = _on_or_after(context.upcoming_from + timedelta(days=8), weekday)
        fields["excluded_dates"] = [format_local(_local(skipped, hour, minute).replace(
            tzinfo=None))]
        fields["schedule_note"] = f"Op {_date_text(skipped)} gaat het niet door."
    return fields, when


def _organiser(context, item, venue):
    covering = [n for n in item.organisers if venue.buurt.pk in context.coverage.get(n, ())]
    same_town = [n for n in item.organisers if context.organisations[n].city == venue.town]
    return context.organisations[context.rng.choice(covering or same_town or item.organisers)]


def _location(organisation, venue):
    location = venue.locations.get(organisation.pk)
    if location is None:
        location = Location.objects.create(
            organisation=organisation, name=venue.name, street_address=venue.street_address,
            postcode=venue.postcode, city=venue.town, latitude=venue.latitude,
            longitude=venue.longitude, area=venue.buurt, directions=venue.directions,
        )
        venue.locations[organisation.pk] = location
    return location


def _time_text(fields):
    if fields["starts_at"] is None:
        return "wanneer het u uitkomt"
    zone = ZoneInfo(settings.TIME_ZONE)
    starts, ends = fields["starts_at"].astimezone(zone), fields["ends_at"].astimezone(zone)
    return f"van {_clock(starts)} tot {_clock(ends)} uur"


def _contact(rng, organisation):
    first, last = rng.choice(CONTACT_FIRST), rng.choice(CONTACT_LAST)
    domain = organisation.email.partition("@")[2] or "omzien.example"
    return {"contact_name": f"{first} {last}",
            "contact_phone": organisation.phone or f"0000-{rng.randint(100000, 999999)}",
            "contact_email": f"{first.lower()}@{domain}"}


def _pick_terms(context, item):
    rng, terms = context.rng, context.terms
    chosen = [terms[(Taxonomy.KIND, code)] for code in item.kinds]
    chosen += [terms[(Taxonomy.TARGET_GROUP, code)]
               for code in rng.sample(item.targets, rng.randint(1, len(item.targets)))]
    chosen += [terms[(Taxonomy.ACTIVE_ELEMENT, code)] for code in item.elements]
    chosen += [terms[(Taxonomy.LONELINESS_LEVEL, code)]
               for code in rng.sample(item.levels, min(2, len(item.levels)))]
    return chosen


def _make_activity(context, item, venue, fate):
    rng = context.rng
    organisation = _organiser(context, item, venue)
    schedule, when = _schedule(context, item)
    words = {"venue": venue.name, "buurt": venue.buurt.name, "wijk": venue.wijk.name,
             "town": venue.town, "org": organisation.name, "when": when,
             "time": _time_text(schedule)}
    at_home = schedule["schedule_kind"] == Activity.ScheduleKind.BY_APPOINTMENT
    join = rng.choice(item.joins)
    activity = Activity(
        organisation=organisation, title=_title(context, item, words),
        description=item.text.format(**words), cost=Decimal(rng.choice(item.costs)),
        access=Activity.Access.OPEN, wheelchair_accessible=venue.wheelchair and not at_home,
        hearing_loop=venue.hearing_loop and not at_home,
        transport_offered=rng.random() < item.transport,
        languages=list(rng.choice(item.languages)), join_method=join,
        **schedule, **_contact(rng, organisation),
    )
    if activity.cost:
        activity.cost_note = item.cost_note
    if item.referral_notes and (item.key == "day_care" or item.key == "recovery"
                                or rng.random() < 0.4):
        activity.access = Activity.Access.REFERRAL
        activity.referral_notes = item.referral_notes
    if join == J.EXTERNAL:
        activity.join_url = f"{organisation.website}aanmelden/"
    if item.capacity and (join == J.SIGN_UP or rng.random() < 0.3):
        activity.capacity = rng.randint(*item.capacity)
        activity.waiting_list = rng.random() < 0.8
    _apply_fate(context, activity, fate)
    if (fate == "normal" and organisation.name == "Bibliotheek Omzienland"
            and len(_imported(context)) < IMPORTED_ACTIVITIES and not at_home):
        _mark_imported(context, activity)
    store_activity(activity, terms=_pick_terms(context, item),
                   locations=[_location(organisation, venue)])
    context.made.append((activity, venue))


def _title(context, item, words):
    """A title not used before, so every entry in the demo's lists can be told apart."""
    options = [title.format(**words) for title in item.titles]
    context.rng.shuffle(options)
    title = next((option for option in options if option not in context.titles), None)
    if title is None:
        title = f"{options[0]} in {words['buurt']}"
        if title in context.titles:
            title = f"{options[0]} bij {words['venue']}"
    context.titles.add(title)
    return title


def _apply_fate(context, activity, fate):
    rng, reference = context.rng, _local(context.reference_date, 9)
    activity.verified_at = reference - timedelta(days=rng.randint(3, 150))
    if fate == "stale":  # not checked for more than six months
        activity.verified_at = reference - timedelta(days=rng.randint(200, 420))
    elif fate == "paused":
        activity.status = Activity.Status.PAUSED
        activity.schedule_note = "Tijdelijk gestopt: we zoeken een nieuwe vrijwilliger."
    elif fate == "ended":
        activity.status = Activity.Status.ENDED
        activity.schedule_note = "Gestopt."
    elif fate == "pending":  # new, entered by a provider and not yet approved
        activity.review_state = Activity.ReviewState.PENDING
        activity.verified_at = reference - timedelta(days=rng.randint(0, 6))


# --- import source and duplicates ---

def _import_source(library):
    now = timezone.now()
    source = ImportSource.objects.create(
        name=IMPORT_SOURCE_NAME, format=ImportSource.Format.ICAL, url=IMPORT_SOURCE_URL,
        organisation=library, interval_hours=24, last_run_at=now - timedelta(hours=3),
    )
    run = ImportRun.objects.create(
        source=source, format=ImportSource.Format.ICAL, source_label=IMPORT_SOURCE_URL,
        started_at=now - timedelta(hours=3), finished_at=now - timedelta(hours=3, seconds=-4),
    )
    return source, run


def _imported(context):
    return [a for a, _venue in context.made if a.source_id == context.source.pk]


def _mark_imported(context, activity):
    number = len(_imported(context)) + 1
    activity.source = context.source
    activity.source_key = f"agenda-{number:03d}@bibliotheek-omzienland.example"
    activity.source_url = f"https://agenda.bibliotheek-omzienland.example/activiteit/{number}"
    activity.last_import_run = context.import_run


def _mark_duplicates(context):
    """Two imported library activities were also entered by hand, with a slightly different
    title: the pairs a coordinator finds under possible duplicates."""
    imported = _imported(context)
    for original in imported[:2]:
        venue = next(v for a, v in context.made if a.pk == original.pk)
        twin = Activity(
            organisation=original.organisation, title=_retitled(original.title),
            description=original.description, cost=original.cost, cost_note=original.cost_note,
            schedule_kind=original.schedule_kind, starts_at=original.starts_at,
            ends_at=original.ends_at, recurrence=original.recurrence,
            join_method=original.join_method, capacity=original.capacity,
            wheelchair_accessible=original.wheelchair_accessible, languages=original.languages,
            contact_name=original.contact_name, contact_phone=original.contact_phone,
            contact_email=original.contact_email,
            verified_at=_local(context.reference_date, 9) - timedelta(days=20),
        )
        store_activity(twin, terms=list(original.terms.all()),
                       locations=[_location(original.organisation, venue)])
        context.made.append((twin, venue))
        similarity = SequenceMatcher(None, original.title.lower(), twin.title.lower()).ratio()
        DuplicateCandidate.objects.create(activity=original, duplicate_of=twin,
                                          similarity=round(similarity, 2))


def _retitled(title):
    for old, new in [("Leesclub", "Leeskring"), ("Digi-café", "Digicafé"),
                     ("Taalcafé", "Taal café"), ("Klik & Tik", "Klik en Tik"),
                     ("Lezing:", "Lezing over"), (" in ", " - ")]:
        if old in title:
            return title.replace(old, new, 1)
    return f"{title} (bibliotheek)"


def _finish_import_run(context):
    imported = _imported(context)
    context.import_run.created = 2
    context.import_run.unchanged = len(imported) - 2
    context.import_run.rejected = 1
    context.import_run.rejections = [{
        "item": "Boekenmarkt (UID boekenmarkt@bibliotheek-omzienland.example)",
        "reason": "Deze activiteit heeft geen begintijd.",
    }]
    context.import_run.save()


# --- sign-ups ---

def _add_sign_ups(context):
    """Fictional residents signed up for most activities with places; some are full and have
    a waiting list."""
    rng, now = context.rng, timezone.now()
    sign_ups = []
    for activity, _venue in context.made:
        if activity.join_method != J.SIGN_UP or not activity.capacity:
            continue
        if activity.status != Activity.Status.ACTIVE:
            continue
        wanted = round(activity.capacity * rng.choice([0.3, 0.5, 0.8, 1.0, 1.2]))
        taken = 0
        for _i in range(wanted):
            party = 2 if rng.random() < 0.15 else 1
            if taken + party <= activity.capacity:
                status, taken = SignUp.Status.CONFIRMED, taken + party
            elif activity.waiting_list:
                status = SignUp.Status.WAITING
            else:
                break
            sign_ups.append(_sign_up(rng, activity, party, status, now))
    SignUp.objects.bulk_create(sign_ups, batch_size=200)


def _sign_up(rng, activity, party, status, now):
    first, last = rng.choice(RESIDENT_FIRST), rng.choice(RESIDENT_LAST)
    at = now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
    with_email = rng.random() < 0.6
    cancelled = status == SignUp.Status.CONFIRMED and rng.random() < 0.05
    local_part = f"{first}.{last}".lower().replace(" ", "").replace("ı", "i")
    return SignUp(
        activity=activity, name=f"{first} {last}",
        email=f"{local_part}@mail.example" if with_email else None,
        phone=None if with_email and rng.random() < 0.5 else f"0000-{rng.randint(100000, 999999)}",
        party_size=party,
        remark=rng.choice(SIGN_UP_REMARKS) if rng.random() < 0.2 else None,
        consent_at=at, created_at=at,
        status=SignUp.Status.CANCELLED if cancelled else status,
        cancelled_at=at + timedelta(days=1) if cancelled else None,
    )
