"""Storing what the importers read: each item becomes a new activity, updates the one it came
from earlier, or stays as it is; broken items are rejected with a reason. With a source, what
the source no longer lists is ended. Afterwards possible duplicates are looked for.

Every item is stored in its own savepoint: a broken item never stops the others and never
leaves half an activity behind."""

import hashlib
import ipaddress
import json
import logging
import re
import socket
import unicodedata
import urllib.error
import urllib.request
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.core.models import AuditEvent, Organisation
from omzien.core.queries import area_for_point
from omzien.core.services import record_audit_event

from ..importers import ImportFailure, RejectedItem, read_items
from ..models import (
    Activity,
    DuplicateCandidate,
    ImportRun,
    ImportSource,
    Location,
    SearchTerm,
    SignUp,
    TaxonomyTerm,
)
from ..schedule import local_zone
from .catalogue import prepare, search_terms_for, store_activity

logger = logging.getLogger(__name__)

DUPLICATE_RATIO = 0.85
# Above this many activities in one place, titles are only compared with their neighbours in
# alphabetical order, so one big feed cannot make duplicate detection quadratic.
FULL_COMPARISON_LIMIT = 60
NEIGHBOURS = 8
NUMBER = re.compile(r"[0-9]+")
MAX_NEW_CANDIDATES = 1000
FETCH_TIMEOUT = 20
CHUNK = 500
# The fields an import sets; the rest (capacity, sign-up settings, ...) stays as people set it.
IMPORTED_FIELDS = [
    "title", "description", "cost", "cost_note", "access", "referral_notes",
    "wheelchair_accessible", "languages", "schedule_kind", "starts_at", "ends_at", "recurrence",
    "extra_dates", "excluded_dates", "schedule_note", "join_method", "join_url", "contact_name",
    "contact_phone", "contact_email",
]


class FetchError(Exception):
    """A URL could not be read; the message (Dutch) says why."""


# --- reading -----------------------------------------------------------------------------------


def too_large_message():
    return _("The file is larger than %(size)s MB; split it into smaller files.") % {
        "size": settings.OMZIEN_IMPORT_MAX_BYTES // (1024 * 1024) or 1
    }


def fetch(url, max_bytes=None):
    """The bytes at an http(s) URL on the public internet, read with a time limit and a size
    limit. Addresses inside the municipality's own network are refused, also after a
    redirect, so a source cannot be used to look at internal systems."""
    max_bytes = max_bytes or settings.OMZIEN_IMPORT_MAX_BYTES
    check_public_web_address(url)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": "Omzien-import/1.0", "Accept": "*/*"}
    )
    opener = urllib.request.build_opener(PublicRedirectHandler)
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(_("The address answered with error %(code)s.")
                         % {"code": error.code}) from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(_("The address could not be reached: %(reason)s")
                         % {"reason": str(reason)[:200]}) from error
    if len(data) > max_bytes:
        raise FetchError(too_large_message())
    return data


def check_public_web_address(url):
    """FetchError unless `url` is http(s) and its host is on the public internet (or the
    setting allows private addresses, as the tests' local server needs)."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(_("Only web addresses that start with http:// or https:// can be read."))
    if settings.OMZIEN_IMPORT_PRIVATE_ADDRESSES:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80)}
    except (OSError, UnicodeError, ValueError) as error:
        raise FetchError(_("The address could not be reached: %(reason)s")
                         % {"reason": str(error)[:200]}) from error
    if not all(ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses):
        raise FetchError(_("This address is not on the public internet, so it is not read."))


class PublicRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another public http(s) address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_public_web_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read(format, data, organisation, source):
    if len(data) > settings.OMZIEN_IMPORT_MAX_BYTES:
        raise ImportFailure(too_large_message())
    if not data.strip():
        raise ImportFailure(_("The file is empty."))
    try:
        return read_items(
            format, data, organisation_name=organisation.name if organisation else None,
            base_url=source.url if source else None,
        )
    except ImportFailure:
        raise
    except RecursionError as error:
        raise ImportFailure(_("The file is nested too deeply to be read.")) from error
    except Exception as error:  # a reader must never turn a bad file into a server error
        logger.exception("Import reader %s failed", format)
        raise ImportFailure(_("The file could not be read.")) from error


# --- storing -----------------------------------------------------------------------------------


def run_import(format, data: bytes, source_label, organisation=None, source=None, user=None):
    """Read `data` and store its items. Returns the finished ImportRun with its counts and the
    reason for each rejected item (or `failure` when nothing could be read)."""
    started_by = user if user is not None and user.is_authenticated else None
    run = ImportRun.objects.create(
        format=format, source_label=str(source_label)[:500], source=source, started_by=started_by,
    )
    organisation = organisation or (source.organisation if source else None)
    try:
        items = _read(format, data, organisation, source)
    except ImportFailure as failure:
        run.failure = str(failure)
        _finish(run, source)
        return run
    store = ItemStore(run, organisation, source, started_by)
    store.store_all(items)
    # A source that suddenly lists nothing (an error page, a cookie wall) ends nothing.
    if source is not None and store.seen_ids:
        run.ended = end_vanished(source, store.seen_ids)
        mark_verified(store.seen_ids)
    _finish(run, source)
    try:
        find_duplicates(store.touched_ids)
    except DatabaseError:
        logger.exception("Duplicate detection after import run %s failed", run.pk)
    return run


def _finish(run, source):
    run.finished_at = timezone.now()
    run.save()
    if source is not None:
        ImportSource.objects.filter(pk=source.pk).update(last_run_at=run.finished_at)
        source.last_run_at = run.finished_at


def end_vanished(source, seen_ids):
    """End the source's activities this run did not see; returns how many."""
    vanished = list(
        Activity.objects.filter(source=source).exclude(status=Activity.Status.ENDED)
        .exclude(pk__in=seen_ids).values_list("pk", flat=True)
    )
    for start in range(0, len(vanished), CHUNK):
        Activity.objects.filter(pk__in=vanished[start:start + CHUNK]).update(
            status=Activity.Status.ENDED, ended_by_import=True, updated_at=timezone.now()
        )
    return len(vanished)


def mark_verified(activity_ids):
    """The source still lists these activities as they are: checked today, so they do not go
    stale (and their unreachable imported organisation is not reminded)."""
    ids = list(activity_ids)
    for start in range(0, len(ids), CHUNK):
        Activity.objects.filter(pk__in=ids[start:start + CHUNK]).update(verified_at=timezone.now())


class ItemProblem(Exception):
    """The item cannot be stored; the message (Dutch) says why."""


@dataclass(frozen=True)
class Known:
    """What the import needs to know of an activity an earlier run made."""

    pk: int
    fingerprint: str
    status: str


def fingerprint(item, organisation):
    """A hash of everything the source said about the item: equal means nothing changed."""
    content = json.dumps([item, organisation.pk], sort_keys=True, default=_plain)
    return hashlib.sha256(content.encode()).hexdigest()


def _plain(value):
    return value.__dict__ if hasattr(value, "__dict__") else str(value)


def fold(value):
    decomposed = unicodedata.normalize("NFKD", (value or "").casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass
class ItemStore:
    run: ImportRun
    organisation: Organisation | None
    source: ImportSource | None
    user: object = None
    seen_ids: set = field(default_factory=set)
    touched_ids: list = field(default_factory=list)
    _organisations: dict = field(default_factory=dict)
    _locations: dict = field(default_factory=dict)
    _locations_loaded: set = field(default_factory=set)
    _existing: dict = field(default_factory=dict)
    _keys_seen: set = field(default_factory=set)

    def __post_init__(self):
        self._pending = []
        self._terms = {(term.taxonomy, term.code): term for term in TaxonomyTerm.objects.all()}
        self._approval = settings.OMZIEN_ACTIVITY_APPROVAL_REQUIRED

    def store_all(self, items):
        for start in range(0, len(items), CHUNK):
            chunk = items[start:start + CHUNK]
            # One transaction per chunk, so each item's atomic block is a cheap savepoint.
            with transaction.atomic():
                self._load_existing(chunk)
                for item in chunk:
                    self.store(item)
                self._flush()
        self.run.rejections = self.run.rejections[:5000]

    def _flush(self):
        """Insert the new activities checked so far in bulk (rows, terms, places, search
        terms). Should the batch fail, each is stored on its own, so one bad row costs only
        itself."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            with transaction.atomic():
                insert_new_activities(pending)
        except DatabaseError as error:
            logger.warning("Bulk insert of imported activities failed, one by one: %s", error)
            for activity, terms, places, title, lookup in pending:
                activity.pk = None
                activity._state.adding = True
                try:
                    with transaction.atomic():
                        store_activity(activity, terms=terms, locations=places)
                except DatabaseError as single_error:
                    self.run.created -= 1
                    self.reject(title, _("The item could not be stored: %(error)s")
                                % {"error": str(single_error)[:200]})
                    self._existing.pop(lookup, None)
                    continue
                self._record_new(activity)
            return
        for activity, *_rest in pending:
            self._record_new(activity)

    def _record_new(self, activity):
        self.seen_ids.add(activity.pk)
        self.touched_ids.append(activity.pk)

    def reject(self, label, reason):
        self.run.rejected += 1
        self.run.rejections.append({"item": str(label)[:200], "reason": str(reason)[:500]})

    def source_key(self, item):
        key = f"{self.run.format}:{item.key}"
        if len(key) > 300:
            key = f"{self.run.format}:sha256:{hashlib.sha256(item.key.encode()).hexdigest()}"
        return key

    def _load_existing(self, items):
        """The activities earlier runs made of these items, in one query per chunk."""
        keys = [self.source_key(item) for item in items
                if not isinstance(item, RejectedItem) or item.key]
        found = Activity.objects.filter(source_key__in=keys)
        found = found.filter(source=self.source) if self.source else found.filter(source=None)
        for pk, key, stamp, status, organisation_id in found.values_list(
            "pk", "source_key", "source_fingerprint", "status", "organisation_id"
        ):
            owner = None if self.source else organisation_id
            self._existing[(owner, key)] = Known(pk, stamp, status)

    def store(self, item):
        if isinstance(item, RejectedItem):
            if item.key:
                self._still_listed(self.source_key(item))
            self.reject(item.label, item.reason)
            return
        key = self.source_key(item)
        if key in self._keys_seen:
            self.reject(item.title, _("Another item in this file has the same key (%(key)s).")
                        % {"key": item.key[:100]})
            return
        self._keys_seen.add(key)
        created_here = []
        savepoint = transaction.atomic() if self._may_write(item, key) else nullcontext()
        try:
            with savepoint:
                outcome, activity = self._store(item, key, created_here)
        except (ItemProblem, ValidationError) as problem:
            self._forget(created_here)
            self._still_listed(key)
            self.reject(item.title, _message(problem))
            return
        except (DatabaseError, ValueError, TypeError, ArithmeticError) as error:
            logger.warning("Import item %r failed: %s", item.key, error)
            self._forget(created_here)
            self._still_listed(key)
            self.reject(item.title, _("The item could not be stored: %(error)s")
                        % {"error": str(error)[:200]})
            return
        setattr(self.run, outcome, getattr(self.run, outcome) + 1)
        if outcome == "created":
            return  # recorded when the batch is inserted (_flush)
        self.seen_ids.add(activity.pk)
        if outcome != "unchanged":
            self.touched_ids.append(activity.pk)

    def _may_write(self, item, key):
        """Whether storing the item may write to the database (a new organisation or place, an
        update), so it needs a savepoint of its own to roll back. A new item whose organisation
        and places are already known only joins the batch: no savepoint, no round trips."""
        organisation = self.organisation
        if organisation is None:
            if item.organisation is None or not item.organisation.name:
                return True
            organisation = self._organisations.get(fold(item.organisation.name))
            if organisation is None:
                return True
        if organisation.pk not in self._locations_loaded or any(
            _place_key(organisation.pk, place) not in self._locations
            for place in item.locations[:20]
        ):
            return True
        owner = None if self.source else organisation.pk
        return (owner, key) in self._existing

    def _still_listed(self, key):
        """A rejected item that an earlier run of this source stored is still listed: its
        activity keeps its last good version instead of being ended as vanished."""
        known = self._existing.get((None, key)) if self.source is not None else None
        if known is not None and known.pk is not None:
            self.seen_ids.add(known.pk)

    def _forget(self, created_here):
        """Rows made for an item that was rolled back no longer exist: drop them from caches."""
        for cache, key in created_here:
            cache.pop(key, None)

    def _store(self, item, key, created_here):
        organisation = self._organisation_for(item, created_here)
        places = [self._location_for(organisation, place, created_here)
                  for place in item.locations[:20]]
        terms = [self._terms[term] for term in item.terms if term in self._terms]
        owner = None if self.source else organisation.pk
        existing = self._existing.get((owner, key))
        stamp = fingerprint(item, organisation)
        if existing is None:
            activity = self._new_activity(item, organisation, key, stamp)
            self._pending.append((activity, terms, places, item.title, (owner, key)))
            self._existing[(owner, key)] = Known(None, stamp, Activity.Status.ACTIVE)
            return "created", activity
        if existing.fingerprint == stamp and existing.status != Activity.Status.ENDED:
            return "unchanged", existing
        activity = Activity.objects.get(pk=existing.pk)
        if activity.status == Activity.Status.ENDED and not activity.ended_by_import:
            return "unchanged", activity  # a person ended it (or merged it away): it stays so
        self._update(activity, item, organisation, stamp, terms, places)
        self._existing[(owner, key)] = Known(activity.pk, stamp, activity.status)
        return "updated", activity

    def _new_activity(self, item, organisation, key, stamp):
        activity = Activity(
            organisation=organisation, source=self.source, source_key=key,
            source_url=item.source_url, source_fingerprint=stamp, last_import_run=self.run,
            review_state=(Activity.ReviewState.PENDING if self._approval
                          else Activity.ReviewState.APPROVED),
        )
        for name, value in _field_values(item).items():
            setattr(activity, name, value)
        prepare(activity)
        _check_lengths(activity)
        return activity

    def _update(self, activity, item, organisation, stamp, terms, places):
        values = _field_values(item)
        if activity.join_method == Activity.JoinMethod.SIGN_UP:
            # The organiser takes sign-ups in Omzien: the feed does not switch that off.
            values.pop("join_method", None)
        if organisation.pk != activity.organisation_id and activity.sign_ups.exists():
            # Residents signed up with this organiser; another must not see their details.
            raise ItemProblem(_("The item now names another organisation, but residents have "
                                "signed up with the current one. Change it by hand."))
        # Back in the source: an activity the import ended comes back; a paused one stays so.
        revived = activity.status == Activity.Status.ENDED
        bookkeeping = {
            "source_fingerprint": stamp, "source_url": item.source_url,
            "last_import_run": self.run, "verified_at": timezone.now(),
            "status": Activity.Status.ACTIVE if revived else activity.status,
            "ended_by_import": False,
        }
        if self._approval and activity.review_state == Activity.ReviewState.APPROVED:
            from .listings import propose_changes

            probe = Activity(**{name: values[name] for name in values})
            _validate(probe)
            propose_changes(activity, values, terms=terms, locations=places, actor=self.user)
            for name, value in bookkeeping.items():
                setattr(activity, name, value)
            activity.save(update_fields=[*bookkeeping, "updated_at"])
            return
        for name, value in {**values, **bookkeeping}.items():
            setattr(activity, name, value)
        activity.organisation = organisation
        _validate(activity)
        store_activity(activity, terms=terms, locations=places)

    def _organisation_for(self, item, created_here):
        if self.organisation is not None:
            return self.organisation
        if item.organisation is None or not item.organisation.name:
            raise ItemProblem(_("The item does not say which organisation offers it. Choose an "
                                "organisation when importing, or name it in the file."))
        wanted = item.organisation
        key = fold(wanted.name)
        if key not in self._organisations:
            found = Organisation.objects.filter(name__iexact=wanted.name).order_by("pk").first()
            if found is None:
                # Imported organisations get no accounts; someone can claim the listings later.
                found = Organisation(
                    name=wanted.name, sector=Organisation.Sector.OTHER, website=wanted.website,
                    email=wanted.email, phone=wanted.phone, description=wanted.description,
                )
                found.full_clean(exclude=["areas"])
                found.save()
                created_here.append((self._organisations, key))
            self._organisations[key] = found
        return self._organisations[key]

    def _location_for(self, organisation, place, created_here):
        if organisation.pk not in self._locations_loaded:
            for location in Location.objects.filter(organisation=organisation):
                self._locations.setdefault(_place_key(organisation.pk, location), location)
            self._locations_loaded.add(organisation.pk)
        key = _place_key(organisation.pk, place)
        if key not in self._locations:
            location = Location(
                organisation=organisation, name=place.name, street_address=place.street_address,
                postcode=place.postcode, city=place.city, latitude=place.latitude,
                longitude=place.longitude,
            )
            if place.latitude is not None and place.longitude is not None:
                location.area = area_for_point(place.longitude, place.latitude)
            location.full_clean(exclude=["organisation", "area"])
            location.save()
            self._locations[key] = location
            created_here.append((self._locations, key))
        return self._locations[key]


def insert_new_activities(pending):
    """Bulk version of store_activity for new activities prepared with catalogue.prepare:
    rows, their terms and places, and their search terms, in a handful of queries."""
    activities = [activity for activity, *_rest in pending]
    Activity.objects.bulk_create(activities, batch_size=CHUNK)
    term_links, place_links, search_terms = [], [], []
    for activity, terms, places, *_rest in pending:
        term_links += [(activity.pk, term_id) for term_id in {term.pk for term in terms}]
        place_links += [(activity.pk, place_id) for place_id in {place.pk for place in places}]
        # What reindex() reads from the database, given from memory.
        activity._prefetched_objects_cache = {"terms": list(terms), "locations": list(places)}
        search_terms += [(activity.pk, term) for term in search_terms_for(activity, terms)]
    # Plain executemany: model instances for ~20 search terms per activity cost more than the
    # insert itself.
    _insert_rows(Activity.terms.through, ["activity_id", "taxonomyterm_id"], term_links)
    _insert_rows(Activity.locations.through, ["activity_id", "location_id"], place_links)
    _insert_rows(SearchTerm, ["activity_id", "term"], search_terms)


def _insert_rows(model, columns, rows):
    if not rows:
        return
    quote = connection.ops.quote_name
    # Table and column names come from the models, values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's own bulk path, many times faster than row-by-row INSERTs
            # for the ~40 search terms of every imported activity.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)


def _place_key(organisation_id, place):
    return (organisation_id, fold(place.name), fold(place.street_address),
            fold(place.postcode).replace(" ", ""), fold(place.city))


def _aware(value):
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=local_zone())


def _field_values(item):
    schedule = item.schedule
    return {
        "title": item.title,
        "description": item.description,
        "cost": Decimal(item.cost or "0"),
        "cost_note": item.cost_note,
        "access": item.access,
        "referral_notes": item.referral_notes,
        "wheelchair_accessible": item.wheelchair_accessible,
        "languages": item.languages,
        "schedule_kind": schedule.kind,
        "starts_at": _aware(schedule.starts_at),
        "ends_at": _aware(schedule.ends_at),
        "recurrence": schedule.recurrence,
        "extra_dates": schedule.extra_dates,
        "excluded_dates": schedule.excluded_dates,
        "schedule_note": schedule.note,
        "join_method": (Activity.JoinMethod.EXTERNAL if item.join_url
                        else Activity.JoinMethod.WALK_IN),
        "join_url": item.join_url,
        "contact_name": item.contact_name,
        "contact_phone": item.contact_phone,
        "contact_email": item.contact_email,
    }


CHAR_FIELDS = [
    field for field in Activity._meta.concrete_fields
    if getattr(field, "max_length", None) and field.get_internal_type() == "CharField"
]


def _check_lengths(activity):
    """The readers cut and check every value; this guards the one thing a bulk insert cannot
    survive on PostgreSQL (a value too long for its column) without a full_clean per row."""
    for model_field in CHAR_FIELDS:
        value = getattr(activity, model_field.attname)
        if isinstance(value, str) and len(value) > model_field.max_length:
            raise ItemProblem(_("%(field)s is too long (at most %(max)s characters).")
                              % {"field": model_field.verbose_name, "max": model_field.max_length})


def _validate(activity):
    activity.full_clean(
        exclude=["organisation", "source", "last_import_run", "terms", "locations"],
        validate_unique=False, validate_constraints=False,
    )


def _message(problem):
    if isinstance(problem, ValidationError):
        if hasattr(problem, "error_dict"):
            return "; ".join(
                f"{Activity._meta.get_field(name).verbose_name if name != '__all__' else ''}: "
                f"{' '.join(messages)}".lstrip(": ")
                for name, messages in problem.message_dict.items()
            )
        return " ".join(problem.messages)
    return str(problem)


# --- duplicates --------------------------------------------------------------------------------


def similarity(first, second):
    return SequenceMatcher(None, fold(first), fold(second)).ratio()


def find_duplicates(activity_ids):
    """Store a DuplicateCandidate for every pair of activities of one organisation, in the same
    place or the same buurt, whose titles are nearly the same. Returns how many were new."""
    if not activity_ids:
        return 0
    organisation_ids = set(
        Activity.objects.filter(pk__in=activity_ids[:CHUNK * 40]).values_list(
            "organisation_id", flat=True)
    )
    touched = set(activity_ids)
    buckets = {}
    rows = (
        Activity.objects.filter(organisation_id__in=organisation_ids)
        .exclude(status=Activity.Status.ENDED)
        .values_list("pk", "organisation_id", "title", "locations", "locations__area")
    )
    titles = {}
    for pk, organisation_id, title, location_id, area_id in rows.iterator(chunk_size=2000):
        if location_id is None:
            continue
        titles[pk] = fold(title)
        buckets.setdefault((organisation_id, "place", location_id), set()).add(pk)
        if area_id is not None:
            buckets.setdefault((organisation_id, "area", area_id), set()).add(pk)
    pairs = {}
    matchers = {}  # one per title compared against: SequenceMatcher caches its second text
    for members in buckets.values():
        if len(members) < 2 or not members & touched:
            continue
        for first, second in _comparable_pairs(sorted(members, key=titles.get), touched):
            if (first, second) in pairs or _numbers(titles[first]) != _numbers(titles[second]):
                continue
            if _length_ratio(titles[first], titles[second]) < DUPLICATE_RATIO:
                continue
            matcher = matchers.get(second)
            if matcher is None:
                matcher = matchers[second] = SequenceMatcher(None, b=titles[second])
            matcher.set_seq1(titles[first])
            if matcher.quick_ratio() < DUPLICATE_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= DUPLICATE_RATIO:
                pairs[(first, second)] = ratio
            if len(pairs) >= MAX_NEW_CANDIDATES:
                break
        if len(pairs) >= MAX_NEW_CANDIDATES:
            break
    before = DuplicateCandidate.objects.count()
    DuplicateCandidate.objects.bulk_create(
        [DuplicateCandidate(activity_id=newer, duplicate_of_id=older, similarity=round(ratio, 3))
         for (older, newer), ratio in pairs.items()],
        ignore_conflicts=True, batch_size=CHUNK,
    )
    return DuplicateCandidate.objects.count() - before


def _length_ratio(first, second):
    """The highest similarity two texts of these lengths can have (SequenceMatcher's
    real_quick_ratio, without building a matcher)."""
    total = len(first) + len(second)
    return 2 * min(len(first), len(second)) / total if total else 1.0


def _numbers(title):
    """"Les 1" and "Les 2" are different meetings of a course, not duplicates."""
    return NUMBER.findall(title)


def _comparable_pairs(members, touched):
    """(older, newer) pairs to compare, at least one of them touched by this run."""
    if len(members) <= FULL_COMPARISON_LIMIT:
        candidates = (
            (members[i], members[j]) for i in range(len(members))
            for j in range(i + 1, len(members))
        )
    else:
        candidates = (
            (members[i], members[j]) for i in range(len(members))
            for j in range(i + 1, min(i + 1 + NEIGHBOURS, len(members)))
        )
    for first, second in candidates:
        if first in touched or second in touched:
            yield (min(first, second), max(first, second))


def open_candidates():
    """Candidates a coordinator still has to decide on (both activities still on offer)."""
    return (
        DuplicateCandidate.objects.filter(state=DuplicateCandidate.State.OPEN)
        .exclude(activity__status=Activity.Status.ENDED)
        .exclude(duplicate_of__status=Activity.Status.ENDED)
        .select_related("activity__organisation", "duplicate_of__organisation")
        .prefetch_related("activity__locations", "duplicate_of__locations",
                          "activity__terms", "duplicate_of__terms")
    )


@transaction.atomic
def merge_duplicate(user, candidate, keep):
    """Keep `keep` (one of the pair): move the other's sign-ups, claims, terms and places onto
    it, end the other, and write it in the audit log."""
    if keep.pk == candidate.activity_id:
        other = candidate.duplicate_of
    elif keep.pk == candidate.duplicate_of_id:
        other = candidate.activity
    else:
        raise ValueError("keep must be one of the pair")
    keep = Activity.objects.select_for_update().get(pk=keep.pk)
    other = Activity.objects.select_for_update().get(pk=other.pk)
    _check_room_for_sign_ups(keep, other)
    moved = other.sign_ups.update(activity=keep)
    other.claims.filter(state="open").update(activity=keep)
    terms = {*keep.terms.all(), *other.terms.all()}
    places = {*keep.locations.all(), *other.locations.all()}
    store_activity(keep, terms=list(terms), locations=list(places))
    Activity.objects.filter(pk=other.pk).update(
        status=Activity.Status.ENDED, updated_at=timezone.now()
    )
    candidate.state = DuplicateCandidate.State.MERGED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save()
    record_audit_event(user, AuditEvent.Action.UPDATE, keep, detail={
        "merged_duplicate": other.pk, "moved_sign_ups": moved,
    })
    return keep


class MergeRefused(Exception):
    """The merge would strand residents; the message (Dutch) says what to do instead."""


def _check_room_for_sign_ups(keep, other):
    """Residents signed up for the activity that ends must keep their place or their turn on
    the activity that stays: it must take sign-ups and have room for those with a place."""
    from .signups import accepts_sign_ups, availability

    moving = other.sign_ups.filter(
        status__in=[SignUp.Status.CONFIRMED, SignUp.Status.WAITING]
    )
    if not moving.exists():
        return
    with_place = sum(moving.filter(status=SignUp.Status.CONFIRMED)
                     .values_list("party_size", flat=True))
    room = availability(keep).free
    if not accepts_sign_ups(keep) or (room is not None and room < with_place):
        raise MergeRefused(_(
            "Residents signed up for the activity that would end, and the one you keep cannot "
            "take them. Keep the other one, or first handle the sign-ups."
        ))


def dismiss_duplicate(user, candidate):
    candidate.state = DuplicateCandidate.State.DISMISSED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save()
    record_audit_event(user, AuditEvent.Action.UPDATE, candidate.activity,
                       detail={"not_a_duplicate_of": candidate.duplicate_of_id})


# --- sources -----------------------------------------------------------------------------------


def import_source(source, user=None):
    """Read a source's URL now and import it. A fetch error becomes the run's failure."""
    try:
        data = fetch(source.url)
    except FetchError as error:
        run = ImportRun.objects.create(
            format=source.format, source_label=source.url[:500], source=source,
            started_by=user if user is not None and user.is_authenticated else None,
            failure=str(error), finished_at=timezone.now(),
        )
        ImportSource.objects.filter(pk=source.pk).update(last_run_at=run.finished_at)
        return run
    return run_import(source.format, data, source.url, source=source, user=user)


def sources_due(now=None):
    now = now or timezone.now()
    due = []
    for source in ImportSource.objects.filter(is_active=True):
        if source.last_run_at is None or (
            source.last_run_at + timedelta(hours=source.interval_hours) <= now
        ):
            due.append(source)
    return due
