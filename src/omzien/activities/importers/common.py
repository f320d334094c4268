"""What every importer produces: a list of `ImportedItem`s (one activity each, normalised) and
`RejectedItem`s (with a Dutch reason), or an `ImportFailure` when the whole input is unreadable.
Times are naive wall-clock times in Europe/Amsterdam, as ISO strings, the way schedule.py stores
extra and skipped dates."""

import codecs
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from ..schedule import format_local, local_zone
from ..taxonomy import TERMS

# Limits of the model fields, so that a long value is cut instead of failing the insert.
MAX_TITLE = 200
MAX_NAME = 200
MAX_NOTE = 200
MAX_URL = 500
MAX_KEY = 250
MAX_PHONE = 30
MAX_CITY = 100
MAX_DATES = 366
MAX_RECURRENCE = 500


class ImportFailure(Exception):
    """Nothing could be read; the message (Dutch) says why."""


@dataclass
class ImportedOrganisation:
    name: str
    website: str = ""
    email: str = ""
    phone: str = ""
    description: str = ""


@dataclass
class ImportedLocation:
    name: str = ""
    street_address: str = ""
    postcode: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def is_empty(self):
        return not (self.name or self.street_address or self.postcode or self.city)


@dataclass
class ImportedSchedule:
    kind: str = "one_off"  # Activity.ScheduleKind value
    starts_at: str = ""  # naive local ISO, "2026-12-01T10:00"
    ends_at: str = ""
    recurrence: str = ""
    extra_dates: list[str] = field(default_factory=list)
    excluded_dates: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ImportedItem:
    key: str
    title: str
    description: str = ""
    organisation: ImportedOrganisation | None = None
    locations: list[ImportedLocation] = field(default_factory=list)
    schedule: ImportedSchedule = field(default_factory=ImportedSchedule)
    cost: str = "0"  # a decimal as text, so the item stays JSON-serialisable
    cost_note: str = ""
    access: str = "open"
    referral_notes: str = ""
    terms: list[tuple[str, str]] = field(default_factory=list)  # (taxonomy, code)
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    join_url: str = ""
    source_url: str = ""
    languages: list[str] = field(default_factory=list)
    wheelchair_accessible: bool = False

    def as_dict(self):
        return asdict(self)


@dataclass
class RejectedItem:
    label: str  # how the source names the item (title or key), for the report
    reason: str
    key: str = ""  # its key in the source, when known: a rejected item is still listed there


# --- decoding ----------------------------------------------------------------------------------

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def decode(data, declared=None):
    """Text from bytes: a byte order mark wins, then the declared charset (HTTP header or
    <meta>), then UTF-8, then Windows-1252 (what Dutch office software writes)."""
    if isinstance(data, str):
        return data
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ImportFailure(_("The file could not be read as text.")) from error
    candidates = [declared] if declared else []
    match = DECLARED_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    # cp1252 leaves five bytes undefined; latin-1 maps every byte.
    return data.decode("latin-1")


# --- cleaning values ---------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value, limit=None):
    """A single-line plain text: tags removed, whitespace collapsed, cut to `limit`."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(part) for part in value if part is not None)
    value = strip_tags(CONTROL.sub("", str(value)))
    value = " ".join(value.split())
    return value[:limit] if limit else value


def html(value):
    """Description text: kept as markup (sanitised when stored), control characters removed."""
    if value is None:
        return ""
    return CONTROL.sub("", str(value)).strip()


def web_url(value, base=None):
    """An http(s) address, or "" for anything else (javascript:, data:, garbage)."""
    value = text(value)
    if not value:
        return ""
    if base and value.startswith("/") and not value.startswith("//"):
        parts = urlsplit(base)
        value = f"{parts.scheme}://{parts.netloc}{value}"
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(value) > MAX_URL:
        return ""
    return value


def email(value):
    value = text(value, 254).removeprefix("mailto:")
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def phone(value):
    value = text(value).removeprefix("tel:").strip('"')
    return value if re.fullmatch(r"[0-9+() .\-/]{6,30}", value) else ""


POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Z]{2})\b")


def postcode(value):
    """A Dutch postcode as "1234 AB", or the value cut to the field's length."""
    value = text(value).upper()
    match = POSTCODE.search(value)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    return value[:7]


def coordinate(value, limit):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or abs(number) > limit:  # NaN or out of range
        return None
    return round(number, 7)


def amount(value):
    """A cost in euros as text ("0", "2.50"), or None when it is not a sensible amount."""
    if value in (None, ""):
        return "0"
    raw = text(value).replace("€", "").replace("EUR", "").strip()
    if raw.lower() in {"gratis", "free", "geen", "nvt", "n.v.t."}:
        return "0"
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("100000"):
        return None
    return str(number)


def local_iso(moment):
    """Naive Europe/Amsterdam wall time as stored in extra/excluded dates, from a date, a naive
    (floating) or aware datetime."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(local_zone()).replace(tzinfo=None)
        return format_local(moment)
    if isinstance(moment, date):
        return format_local(datetime.combine(moment, time(0, 0)))
    raise TypeError(moment)


def parse_datetime_text(value):
    """A naive local datetime from ISO 8601 text (with or without offset), or None."""
    value = text(value)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), time(0, 0))
        except ValueError:
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(local_zone()).replace(tzinfo=None)
    return parsed


def parse_time_text(value):
    value = text(value)
    for pattern in ("%H:%M:%S", "%H:%M", "%H.%M", "%H%M"):
        try:
            return datetime.strptime(value[:8], pattern).time()
        except ValueError:
            continue
    return None


# --- classification ----------------------------------------------------------------------------

def _folded(value):
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Words organisations use in categories and keywords, to the taxonomy (Dutch and English).
KEYWORDS = {
    ("kind", "meeting"): ["ontmoet", "inloop", "koffie", "soos", "meeting", "social", "buurtkamer"],
    ("kind", "shared_meal"): ["eten", "maaltijd", "diner", "lunch", "kook", "meal", "dinner"],
    ("kind", "buddy"): ["maatje", "buddy", "vriendschap"],
    ("kind", "course"): ["cursus", "training", "workshop", "les", "course", "class"],
    ("kind", "exercise"): ["beweg", "sport", "wandel", "gym", "yoga", "fiets", "dans", "exercise",
                           "walking", "fitness", "zwem"],
    ("kind", "culture"): ["cultuur", "muziek", "zang", "koor", "creatief", "schilder", "theater",
                          "museum", "film", "handwerk", "culture", "music", "art"],
    ("kind", "meaning"): ["zingeving", "rouw", "verlies", "levensvragen", "grief"],
    ("kind", "digital_skills"): ["digitaal", "computer", "tablet", "smartphone", "internet",
                                 "digital"],
    ("kind", "transport"): ["vervoer", "belbus", "rijdend", "transport"],
    ("kind", "practical_help"): ["klus", "boodschap", "administrat", "formulier", "practical"],
    ("kind", "carer_support"): ["mantelzorg", "respijt", "carer"],
    ("kind", "home_visit"): ["huisbezoek", "bezoek aan huis", "home visit"],
    ("kind", "information"): ["informatie", "advies", "spreekuur", "voorlichting", "information",
                              "advice"],
    ("target_group", "age_75_plus"): ["75+", "hoogbejaard"],
    ("target_group", "age_55_plus"): ["55+", "senior", "ouderen", "older"],
    ("target_group", "carers"): ["mantelzorg", "carers"],
    ("target_group", "migrant_elderly"): ["migrant"],
    ("target_group", "single_parents"): ["alleenstaande ouder", "single parent"],
    ("target_group", "young_people"): ["jongeren", "youth", "young"],
    ("target_group", "disability"): ["beperking", "disability"],
    ("target_group", "everyone"): ["iedereen", "everyone"],
}
KNOWN_CODES = {
    (str(taxonomy), code) for taxonomy, terms in TERMS.items() for code, _label in terms
}
KIND_CODES = {code for taxonomy, code in KNOWN_CODES if taxonomy == "kind"}


def classify(words):
    """(taxonomy, code) pairs for category names, keywords or codes an organisation gave.
    A bare code ("meeting") or "taxonomy:code" is taken as is; other words are matched."""
    found = []
    for word in words:
        found += _classify_word(text(word).strip()[:200])
    return sorted(set(found))


@lru_cache(maxsize=4096)
def _classify_word(value):
    found = []
    if value:
        taxonomy, _sep, code = value.partition(":")
        if (taxonomy.strip(), code.strip()) in KNOWN_CODES:
            return ((taxonomy.strip(), code.strip()),)
        if value in KIND_CODES:
            return (("kind", value),)
        folded = _folded(value)
        found = [term for term, stems in KEYWORDS.items() if any(s in folded for s in stems)]
    return tuple(found)


def split_words(value):
    """Category lists come as a list, or one text separated by commas or semicolons."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        words = []
        for part in value:
            words += split_words(part)
        return words
    if isinstance(value, dict):
        return split_words(value.get("name") or value.get("code") or value.get("term"))
    return [part for part in re.split(r"[,;|]", str(value)) if part.strip()]


def item_key(value, fallback):
    """The item's key in its source, short enough for the database."""
    key = text(value) or fallback
    return key[:MAX_KEY]


STREET = re.compile(r"^\D+\s\d+\s?[a-zA-Z]?(\s?[-/]\s?\w+)?$")
POSTCODE_AND_TOWN = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})\b\s*(.*)$")


def location_from_text(value):
    """A place from one line as calendars write it: "Buurthuis De Til, Dorpsstraat 1,
    1234 AB Omzienstad". Parts that are neither street nor postcode make up the name."""
    parts = [part.strip() for part in text(value).split(",") if part.strip()]
    place = ImportedLocation()
    names = []
    for part in parts:
        postcode_match = POSTCODE_AND_TOWN.match(part)
        if postcode_match and not place.postcode:
            place.postcode = f"{postcode_match.group(1)} {postcode_match.group(2).upper()}"
            place.city = postcode_match.group(3)[:MAX_CITY]
        elif STREET.match(part) and not place.street_address:
            place.street_address = part[:MAX_NAME]
        elif place.postcode and not place.city:
            place.city = part[:MAX_CITY]
        else:
            names.append(part)
    place.name = ", ".join(names)[:MAX_NAME]
    return place


def description_from_text(value):
    """Plain text with line breaks as simple HTML; text that already is HTML stays HTML (it is
    sanitised when stored)."""
    value = html(value)
    if re.search(r"<[a-zA-Z/][^>]*>", value):
        return value
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", value) if part.strip()]
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in part.splitlines()) + "</p>"
        for part in paragraphs
    )
