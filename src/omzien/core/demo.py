"""A fictional demo region, made by a deterministic generator so that `make demo` and the tests
get the same data: two municipalities with districts and neighbourhoods, some 40 organisations
and a staff user for every role, each with a fixed authenticator key and printed backup codes.

Everything here is made up. Area codes start with 99 (no real municipality has them), postcodes
start with 9999, phone numbers with 0000 and every e-mail address and website ends in .example.
"""

import hashlib
import random
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import get_hasher, make_password
from django.db import transaction

from . import queries
from .models import Area, AuditEvent, Membership, Organisation, Role, User
from .services import issue_backup_codes, record_audit_event

DEMO_SEED = 2026
DEMO_PASSWORD = "omzien-demo-2026"  # noqa: S105 -- printed for everyone on purpose
# Demo data that needs dates (activities, cases) places them relative to this day, not to today.
DEMO_REFERENCE_DATE = date(2026, 1, 5)
BACKUP_CODES_PER_USER = 8
FICTIONAL_NOTE = "Fictieve organisatie in de demo van Omzien."

Sector = Organisation.Sector

# code, area name, town, (west, south, east, north) in WGS84: side by side in Drenthe, sharing
# the edge at 6.60 so that together they tile the region.
MUNICIPALITIES = [
    ("GM9901", "Omzienstad (fictief)", "Omzienstad", (6.48, 52.80, 6.60, 52.87)),
    ("GM9902", "Zorgdal (fictief)", "Zorgdal", (6.60, 52.80, 6.70, 52.87)),
]
# The first 3 to 5 names are used, in this order, so named wijken exist whatever the seed.
DISTRICT_NAMES = {
    "GM9901": ["Centrum", "Oude Haven", "Molenkamp", "Noorderpark", "Zuiderhout"],
    "GM9902": ["Zorgdal-Noord", "Dorpskern", "Zorgdal-Zuid", "De Esch", "Beekdal"],
}
NEIGHBOURHOOD_NAMES = [
    "Kerkbuurt", "Molenbuurt", "Vogelbuurt", "Bloemenbuurt", "Schildersbuurt", "Stationsbuurt",
    "De Akkers", "Het Hoge Veld", "Bomenbuurt", "Sluiskwartier", "De Weiden", "Havenkwartier",
    "Rozenhof", "Lindehof", "Beukenrode", "Eikenlaan", "Waterrijk", "De Maten", "Klaverveld",
    "Heidepark", "De Brink", "Esakkers", "De Kamp", "Marktkwartier", "Wilgenhoek", "Zonnewijzer",
    "Het Lange Land", "Dichtersbuurt", "Componistenbuurt", "De Horst", "Veenhoop", "Kanaaloever",
    "Boerhaar", "Oostermaten", "Westerbroek", "Zandvoort-Oost", "Het Vlier", "Meidoornhof",
    "Hazelaar", "De Dolten", "Groenewoud", "Brinkhoven", "Slingerbeek", "De Pol", "Hooiland",
    "Melkweg", "Poortwijk", "Kloosterhof", "Smedenerf", "Wevershoek", "Tuindorp", "Ganzenpoel",
]
STREETS = {
    "Omzienstad": ["Stadhuisplein", "Marktstraat", "Havenkade", "Molenweg", "Kerkstraat",
                   "Stationsweg", "Noorderlaan", "Lindenlaan", "Zuiderhoutweg", "Beukenlaan"],
    "Zorgdal": ["Dorpsstraat", "Brink", "Esweg", "Beekdalweg", "Schoolstraat", "Kerkpad",
                "Zorgdalerweg", "Noordveld", "Hoofdstraat", "Eikenhof"],
}

# name, sector, town, where it works ("region", "gemeente", "wijk", "buurt" or "wijk:<name>"),
# what it does (Dutch, as the organisation itself would write it).
ORGANISATIONS = [
    ("Welzijn Omzienstad", Sector.WELFARE, "Omzienstad", "gemeente",
     "Welzijnswerk, ouderenadvies en ondersteuning bij eenzaamheid in heel Omzienstad."),
    ("Welzijn Zorgdal", Sector.WELFARE, "Zorgdal", "gemeente",
     "Welzijnswerk en dorpsverbinders voor alle kernen van Zorgdal."),
    ("Buurthuis De Schakel", Sector.WELFARE, "Omzienstad", "wijk:Centrum",
     "Ontmoeting, koffieochtenden en samen eten in het centrum."),
    ("Buurthuis Het Anker", Sector.WELFARE, "Zorgdal", "wijk:Dorpskern",
     "Huiskamer van het dorp: open inloop, spelmiddagen en een wekelijkse maaltijd."),
    ("Ouderenadvies Omzienland", Sector.WELFARE, "Omzienstad", "region",
     "Ouderenadviseurs die thuis langskomen voor een gesprek."),
    ("Vrijwilligerscentrale Omzienstad", Sector.WELFARE, "Omzienstad", "gemeente",
     "Koppelt vrijwilligers aan mensen en organisaties die hulp zoeken."),
    ("Mantelzorgsteunpunt Omzienland", Sector.WELFARE, "Zorgdal", "region",
     "Advies, respijtzorg en lotgenotencontact voor mantelzorgers."),
    ("Maatjesproject Samen Verder", Sector.WELFARE, "Omzienstad", "gemeente",
     "Een vast maatje voor wie er alleen voor staat."),
    ("Zonnebloem afdeling Zorgdal", Sector.WELFARE, "Zorgdal", "gemeente",
     "Huisbezoek en uitstapjes voor mensen met een lichamelijke beperking."),
    ("Stichting Warme Maaltijd", Sector.WELFARE, "Omzienstad", "wijk",
     "Samen koken en eten, twee keer per week."),
    ("Rouwcafé Omzienland", Sector.WELFARE, "Omzienstad", "region",
     "Maandelijkse bijeenkomst voor wie een dierbare heeft verloren."),
    ("Huisartsenpraktijk Zorgdal-Noord", Sector.CARE, "Zorgdal", "wijk:Zorgdal-Noord",
     "Huisartsenzorg met een praktijkondersteuner ouderenzorg."),
    ("Huisartsenpraktijk Omzienstad-Centrum", Sector.CARE, "Omzienstad", "wijk:Centrum",
     "Huisartsenzorg in het centrum van Omzienstad."),
    ("Wijkverpleging Thuisnabij", Sector.CARE, "Omzienstad", "region",
     "Wijkverpleegkundigen voor zorg thuis."),
    ("Zorgcentrum De Linde", Sector.CARE, "Omzienstad", "wijk",
     "Wonen met zorg, dagbesteding en een open restaurant voor de buurt."),
    ("GGZ Omzienland", Sector.CARE, "Omzienstad", "region",
     "Ondersteuning bij psychische klachten, ook in de wijk."),
    ("Apotheek De Vijzel", Sector.CARE, "Zorgdal", "gemeente",
     "Apotheek met medicijnservice aan huis."),
    ("Fysiotherapie Beweegwijs", Sector.CARE, "Omzienstad", "wijk",
     "Fysiotherapie en beweeggroepen voor ouderen."),
    ("Dagbesteding De Boomgaard", Sector.CARE, "Zorgdal", "buurt",
     "Zinvolle dagbesteding op een kleinschalige zorgboerderij."),
    ("Woningcorporatie Thuisdal", Sector.HOUSING, "Omzienstad", "region",
     "Sociale huurwoningen in Omzienstad en Zorgdal; huismeesters kennen hun huurders."),
    ("Wooncoöperatie Het Erf", Sector.HOUSING, "Zorgdal", "buurt",
     "Bewoners van alle leeftijden die naar elkaar omzien."),
    ("Volksuniversiteit Omzienland", Sector.EDUCATION, "Omzienstad", "region",
     "Cursussen voor volwassenen, van taal tot tablet."),
    ("Basisschool De Regenboog", Sector.EDUCATION, "Zorgdal", "wijk",
     "Basisschool met een project waarin kinderen ouderen in de buurt bezoeken."),
    ("Omnisportvereniging Zorgdal Vooruit", Sector.SPORT, "Zorgdal", "gemeente",
     "Sporten voor alle leeftijden, ook walking football en stoelyoga."),
    ("Wandelclub De Stappers", Sector.SPORT, "Omzienstad", "gemeente",
     "Elke week samen wandelen, met koffie na afloop."),
    ("Bibliotheek Omzienland", Sector.CULTURE, "Omzienstad", "region",
     "Lezen, leren en ontmoeten; digitaal spreekuur en taalcafé."),
    ("Muziekvereniging Harmonie Omzienstad", Sector.CULTURE, "Omzienstad", "gemeente",
     "Samen muziek maken; nieuwe leden van elke leeftijd welkom."),
    ("Kunstcentrum De Kwast", Sector.CULTURE, "Zorgdal", "gemeente",
     "Schilderen en tekenen in kleine groepen."),
    ("Bakkerij Van Dalen", Sector.BUSINESS, "Omzienstad", "buurt",
     "Bakker op de hoek die zijn vaste klanten kent."),
    ("Buurtsuper De Hoek", Sector.BUSINESS, "Zorgdal", "wijk",
     "Supermarkt met bezorgservice en een koffiehoek."),
    ("Kapsalon Knip & Praat", Sector.BUSINESS, "Omzienstad", "buurt",
     "Kapper, ook aan huis."),
    ("Ondernemersvereniging Omzienstad", Sector.BUSINESS, "Omzienstad", "gemeente",
     "Lokale ondernemers die meedoen met Omzien."),
    ("Protestantse Gemeente Omzienstad", Sector.FAITH, "Omzienstad", "gemeente",
     "Kerk met een bezoekgroep en open koffieochtenden."),
    ("Parochie Sint-Maarten Zorgdal", Sector.FAITH, "Zorgdal", "gemeente",
     "Parochie met een werkgroep voor ouderen en alleengaanden."),
    ("Moskee Omzienstad", Sector.FAITH, "Omzienstad", "wijk",
     "Moskee met een vrouwengroep en een seniorenochtend."),
    ("Bewonersvereniging Molenkamp", Sector.RESIDENTS, "Omzienstad", "wijk:Molenkamp",
     "Buren die samen activiteiten organiseren in de Molenkamp."),
    ("Repair Café Zorgdal", Sector.RESIDENTS, "Zorgdal", "gemeente",
     "Samen spullen repareren, elke eerste zaterdag van de maand."),
    ("Buurtmoestuin De Groene Vinger", Sector.RESIDENTS, "Omzienstad", "buurt",
     "Samen tuinieren en oogsten."),
    ("Gemeente Omzienstad", Sector.MUNICIPALITY, "Omzienstad", "gemeente",
     "De gemeente Omzienstad, afdeling Sociaal Domein."),
    ("Gemeente Zorgdal", Sector.MUNICIPALITY, "Zorgdal", "gemeente",
     "De gemeente Zorgdal, team Welzijn en Zorg."),
    ("Politie basisteam Omzienland", Sector.SAFETY, "Omzienstad", "region",
     "Wijkagenten die ook letten op bewoners die vereenzamen."),
    ("Buurtpreventie Zorgdal-Zuid", Sector.SAFETY, "Zorgdal", "wijk:Zorgdal-Zuid",
     "Bewoners die samen een oogje in het zeil houden."),
    ("Fonds Omzienland", Sector.OTHER, "Omzienstad", "region",
     "Lokaal fonds dat kleine initiatieven tegen eenzaamheid steunt."),
]

# username, role, organisation, first name, last name.
DEMO_USERS = [
    ("signaleerder", Role.SIGNALLER, "Huisartsenpraktijk Zorgdal-Noord", "Fatima", "El Idrissi"),
    ("bakker", Role.SIGNALLER, "Bakkerij Van Dalen", "Henk", "van Dalen"),
    ("consulent", Role.CONSULTANT, "Welzijn Omzienstad", "Sanne", "de Boer"),
    ("consulent-zorgdal", Role.CONSULTANT, "Welzijn Zorgdal", "Ruud", "Mulder"),
    ("aanbieder", Role.PROVIDER, "Buurthuis De Schakel", "Kees", "Hoekstra"),
    ("coordinator", Role.COORDINATOR, "Welzijn Omzienstad", "Noor", "Bakker"),
    ("beleid", Role.POLICY_OFFICER, "Gemeente Omzienstad", "Pieter", "Jansen"),
    ("beheerder", Role.ADMINISTRATOR, "Gemeente Omzienstad", "Ilse", "Visser"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    password: str
    totp_key: str  # base32, as an authenticator app asks for it
    backup_codes: tuple[str, ...]

    @property
    def role_label(self):
        return Role(self.role).label


@dataclass(frozen=True)
class DemoRegion:
    seed: int
    municipality_codes: tuple[str, ...]
    area_count: int
    organisation_count: int
    logins: tuple[DemoLogin, ...]


@transaction.atomic
def build_demo_region(seed=DEMO_SEED):
    """Create or update the fictional demo region. The same seed always gives the same data,
    and running it again resets the demo users' passwords, keys and backup codes."""
    rng = random.Random(seed)
    neighbourhood_names = rng.sample(NEIGHBOURHOOD_NAMES, len(NEIGHBOURHOOD_NAMES))
    areas = {}
    for code, name, _town, bbox in MUNICIPALITIES:
        _build_municipality(rng, code, name, bbox, neighbourhood_names, areas)
    organisations = {
        spec[0]: _build_organisation(rng, spec, areas) for spec in ORGANISATIONS
    }
    password_hash = _demo_password_hash()
    logins = tuple(
        _build_user(seed, spec, organisations, password_hash) for spec in DEMO_USERS
    )
    _clear_login_lockouts([spec[0] for spec in DEMO_USERS])
    # Boundaries may have changed (another seed), so area lookups must not use cached shapes.
    transaction.on_commit(queries.clear_area_geometry_cache)
    region = DemoRegion(
        seed=seed,
        municipality_codes=tuple(code for code, *_rest in MUNICIPALITIES),
        area_count=len(areas),
        organisation_count=len(organisations),
        logins=logins,
    )
    record_audit_event(None, AuditEvent.Action.IMPORT, object_type="demo", detail={
        "seed": seed, "areas": region.area_count, "organisations": region.organisation_count,
        "users": [login.username for login in logins],
    })
    return region


def _cuts(rng, low, high, parts):
    """`parts + 1` edges from low to high with uneven gaps; shared by neighbours, so exact."""
    weights = [rng.uniform(0.7, 1.3) for _i in range(parts)]
    total, edges, running = sum(weights), [low], 0.0
    for weight in weights[:-1]:
        running += weight
        edges.append(round(low + (high - low) * running / total, 6))
    return edges + [high]


def _rectangle(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _save_area(code, kind, name, parent, bbox, population):
    west, south, east, north = bbox
    area, _created = Area.objects.update_or_create(code=code, defaults={
        "kind": kind, "name": name, "parent": parent,
        "boundary": _rectangle(*bbox),
        "min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north,
        "population": population[0], "population_65_plus": population[1],
        "households_single": population[2],
    })
    return area


def _neighbourhood_population(rng, town_factor):
    people = round(rng.randint(300, 2600) * town_factor)
    aged = round(people * rng.uniform(0.14, 0.34))
    households = people / rng.uniform(1.9, 2.4)
    return (people, aged, round(households * rng.uniform(0.28, 0.52)))


def _total(populations):
    return tuple(sum(column) for column in zip(*populations, strict=True))


def _build_municipality(rng, code, name, bbox, neighbourhood_names, areas):
    """The municipality is cut into vertical strips (wijken), each strip into horizontal ones
    (buurten), so the buurten tile their wijk and the wijken their gemeente exactly. Children
    are computed first, because a parent's figures are the sum of its children's."""
    west, south, east, north = bbox
    town_factor = 1.0 if code == "GM9901" else 0.6  # Zorgdal is the smaller, rural one
    district_count = rng.randint(3, 5)
    xs = _cuts(rng, west, east, district_count)
    districts = []
    for i in range(district_count):
        district_code = f"WK{code[2:]}{i + 1:02d}"
        buurt_count = rng.randint(2, 5)
        ys = _cuts(rng, south, north, buurt_count)
        buurten = []
        for j in range(buurt_count):
            suffix = f"{j + 1:02d}"
            if district_code == "WK990101" and j == buurt_count - 1:
                suffix = "A1"  # CBS allows capital letters in new codes since 2023
            buurten.append((
                f"BU{district_code[2:]}{suffix}", neighbourhood_names.pop(),
                (xs[i], ys[j], xs[i + 1], ys[j + 1]), _neighbourhood_population(rng, town_factor),
            ))
        districts.append((district_code, DISTRICT_NAMES[code][i], (xs[i], south, xs[i + 1], north),
                          buurten))

    everything = [b[3] for *_d, buurten in districts for b in buurten]
    municipality = _save_area(code, Area.Kind.MUNICIPALITY, name, None, bbox, _total(everything))
    areas[code] = municipality
    for district_code, district_name, district_bbox, buurten in districts:
        district = _save_area(district_code, Area.Kind.DISTRICT, district_name, municipality,
                              district_bbox, _total([b[3] for b in buurten]))
        areas[district_code] = district
        for buurt_code, buurt_name, buurt_bbox, population in buurten:
            areas[buurt_code] = _save_area(buurt_code, Area.Kind.NEIGHBOURHOOD, buurt_name,
                                           district, buurt_bbox, population)


def _slug(name):
    plain = name.lower().replace("ö", "o").replace("&", "en")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _postcode(rng):
    # Real postcodes never end in SA, SD or SS; these follow the same rule.
    while (letters := "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _i in range(2))) in {
        "SA", "SD", "SS"
    }:
        pass
    return f"9999 {letters}"


def _organisation_areas(rng, town, scope, areas):
    gemeente = next(code for code, _n, t, _b in MUNICIPALITIES if t == town)
    if scope == "region":
        return [areas[code] for code, *_rest in MUNICIPALITIES]
    if scope == "gemeente":
        return [areas[gemeente]]
    districts = [a for a in areas.values() if a.parent_id == areas[gemeente].pk]
    if scope.startswith("wijk:"):
        return [next(a for a in districts if a.name == scope[5:])]
    district = rng.choice(districts)
    if scope == "wijk":
        return [district]
    return [rng.choice([a for a in areas.values() if a.parent_id == district.pk])]


def _build_organisation(rng, spec, areas):
    name, sector, town, scope, description = spec
    domain = f"{_slug(name)}.example"
    organisation, _created = Organisation.objects.update_or_create(name=name, defaults={
        "sector": sector,
        "description": f"{description} {FICTIONAL_NOTE}",
        "email": f"info@{domain}",
        "phone": f"0000-{rng.randint(100000, 999999)}",
        "website": f"https://www.{domain}/",
        "street_address": f"{rng.choice(STREETS[town])} {rng.randint(1, 180)}",
        "postcode": _postcode(rng),
        "city": town,
        "is_active": True,
    })
    organisation.areas.set(_organisation_areas(rng, town, scope, areas))
    return organisation


def _demo_totp_key(seed, username):
    """A fixed 20-byte key (hex, as TOTPDevice stores it), so the printed key keeps working."""
    return hashlib.sha256(f"omzien-demo/{seed}/{username}/totp".encode()).hexdigest()[:40]


def _demo_backup_codes(seed, username):
    # A string seed hashes the same in every process, unlike hash().
    rng = random.Random(f"omzien-demo/{seed}/{username}/backup")
    return tuple(str(code) for code in rng.sample(range(10_000_000, 100_000_000),
                                                  BACKUP_CODES_PER_USER))


def _demo_password_hash():
    """One hash shared by the demo users. Slow hashing protects nothing when the password is
    printed for everyone, so PBKDF2 runs with few rounds here; Django upgrades the hash to the
    full number of rounds at the first login."""
    hasher = get_hasher()
    if hasattr(hasher, "iterations"):
        return hasher.encode(DEMO_PASSWORD, hasher.salt(), iterations=1000)
    return make_password(DEMO_PASSWORD)


def _clear_login_lockouts(usernames):
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username__in=usernames).delete()


def _build_user(seed, spec, organisations, password_hash):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    username, role, organisation_name, first_name, last_name = spec
    user, _created = User.objects.update_or_create(username=username, defaults={
        "first_name": first_name, "last_name": last_name,
        "email": f"{username}@omzien.example", "is_active": True,
        "password": password_hash,
    })
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisations[organisation_name], role=role
    )
    # Back to exactly the printed role, whatever was changed while clicking through the demo.
    user.memberships.exclude(pk=membership.pk).delete()

    key = _demo_totp_key(seed, username)
    TOTPDevice.objects.update_or_create(user=user, name="demo", defaults={
        "key": key, "confirmed": True, "step": 30, "t0": 0, "digits": 6, "tolerance": 1,
        "drift": 0, "last_t": -1,
        "throttling_failure_count": 0, "throttling_failure_timestamp": None,
    })
    codes = _demo_backup_codes(seed, username)
    issue_backup_codes(user, codes=codes)
    StaticDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return DemoLogin(
        username=username, role=role.value, organisation=organisation_name,
        password=DEMO_PASSWORD, totp_key=b32encode(bytes.fromhex(key)).decode(),
        backup_codes=codes,
    )
