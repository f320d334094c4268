"""The De Jong Gierveld loneliness scale, 11-item and 6-item versions: items, scoring, bands.

Pure Python, no database. A measurement is a dict of item number to answer ("nee",
"min of meer", "ja", or None when the question was not answered); `score` turns it into a
`ScaleResult` and `change` compares an intake measurement with a follow-up. Wording, scoring, the
missing-item rule and the bands, with their sources, are in docs/measurement.md.

The item texts and the answers are the instrument's own Dutch wording, kept as Dutch constants
and deliberately NOT marked for translation: the scale is validated in exactly these words, and a
reworded or translated item is a different instrument whose scores and cut-off points are not
known. Labels around the instrument (bands, subscales, explanations) are translated as usual.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The answers, as the manual's three-category version offers them (official Dutch wording).
NEE = "nee"
MIN_OF_MEER = "min of meer"
JA = "ja"
ANSWERS = (NEE, MIN_OF_MEER, JA)


class ScaleVersion(models.IntegerChoices):
    ELEVEN = 11, _("De Jong Gierveld loneliness scale, 11 items")
    SIX = 6, _("De Jong Gierveld loneliness scale, 6 items")


class Subscale(models.TextChoices):
    EMOTIONAL = "emotional", _("emotional loneliness")
    SOCIAL = "social", _("social loneliness")


class Band(models.TextChoices):
    """The GGD bands, from least to most lonely (the order matters: see `Band.rank`)."""

    NOT_LONELY = "not_lonely", _("not lonely")
    MODERATELY_LONELY = "moderately_lonely", _("moderately lonely")
    SEVERELY_LONELY = "severely_lonely", _("severely lonely")
    VERY_SEVERELY_LONELY = "very_severely_lonely", _("very severely lonely")

    @property
    def rank(self):
        return list(Band).index(self)


class Polarity(StrEnum):
    # Negatively worded items state a lack ("Ik mis ..."): agreeing is lonely.
    NEGATIVE = "negative"
    # Positively worded items state that support is there: disagreeing is lonely.
    POSITIVE = "positive"


class Direction(StrEnum):
    LESS_LONELY = "less_lonely"
    UNCHANGED = "unchanged"
    MORE_LONELY = "more_lonely"


# Which answers score 1 ("lonely"). "min of meer" is lonely for both polarities.
LONELY_ANSWERS = {
    Polarity.NEGATIVE: frozenset({JA, MIN_OF_MEER}),
    Polarity.POSITIVE: frozenset({NEE, MIN_OF_MEER}),
}


@dataclass(frozen=True)
class Item:
    number: int  # position in this version's questionnaire, 1-based
    text: str  # official Dutch wording, not translated (see the module docstring)
    polarity: Polarity
    subscale: Subscale
    source_number: int  # the same item's number in the 11-item scale


@dataclass(frozen=True)
class Scale:
    version: ScaleVersion
    items: tuple[Item, ...]
    # (highest total in the band, band), ascending.
    bands: tuple[tuple[int, Band], ...]
    # The manual's missing-item rule: at most this many unanswered items for a total score, and
    # for each subscale score. Unanswered items within the limit count as not lonely (0).
    max_missing_total: int
    max_missing_subscale: int

    @property
    def max_total(self):
        return len(self.items)

    def item(self, number):
        return self.items[number - 1]

    def subscale_items(self, subscale):
        return tuple(item for item in self.items if item.subscale == subscale)

    def subscale_max(self, subscale):
        return len(self.subscale_items(subscale))


_N, _P = Polarity.NEGATIVE, Polarity.POSITIVE
_E, _S = Subscale.EMOTIONAL, Subscale.SOCIAL

# De Jong Gierveld & Kamphuis (1985); Dutch wording as in De Jong Gierveld & Van Tilburg's
# manual ("om mij heen"; some surveys print "om me heen"). Positively worded items are the
# social subscale, negatively worded ones the emotional subscale.
_ELEVEN_ITEMS = (
    (1, "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes "
        "terecht kan", _P, _S),
    (2, "Ik mis een echt goede vriend of vriendin", _N, _E),
    (3, "Ik ervaar een leegte om mij heen", _N, _E),
    (4, "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen", _P, _S),
    (5, "Ik mis gezelligheid om mij heen", _N, _E),
    (6, "Ik vind mijn kring van kennissen te beperkt", _N, _E),
    (7, "Ik heb veel mensen op wie ik volledig kan vertrouwen", _P, _S),
    (8, "Er zijn voldoende mensen met wie ik me nauw verbonden voel", _P, _S),
    (9, "Ik mis mensen om mij heen", _N, _E),
    (10, "Vaak voel ik me in de steek gelaten", _N, _E),
    (11, "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht", _P, _S),
)

ELEVEN_ITEM_SCALE = Scale(
    version=ScaleVersion.ELEVEN,
    items=tuple(
        Item(number, text, polarity, subscale, source_number=number)
        for number, text, polarity, subscale in _ELEVEN_ITEMS
    ),
    bands=(
        (2, Band.NOT_LONELY),
        (8, Band.MODERATELY_LONELY),
        (10, Band.SEVERELY_LONELY),
        (11, Band.VERY_SEVERELY_LONELY),
    ),
    # Not verified against the manual's text: see "Missing items" in docs/measurement.md.
    max_missing_total=2,
    max_missing_subscale=1,
)

# De Jong Gierveld & Van Tilburg (2006): six of the eleven items, in the manual's order
# (11-item numbers 3, 4, 7, 9, 8, 10). The Dutch short scale reuses the 11-item Dutch texts;
# the differently worded English items of the short scale are translations of these.
SIX_ITEM_SCALE = Scale(
    version=ScaleVersion.SIX,
    items=tuple(
        Item(number, ELEVEN_ITEM_SCALE.item(source).text, ELEVEN_ITEM_SCALE.item(source).polarity,
             ELEVEN_ITEM_SCALE.item(source).subscale, source_number=source)
        for number, source in enumerate((3, 4, 7, 9, 8, 10), start=1)
    ),
    bands=(
        (1, Band.NOT_LONELY),
        (4, Band.MODERATELY_LONELY),
        (6, Band.SEVERELY_LONELY),
    ),
    # The manual's SPSS syntax for the short scale: total missing if more than one item is
    # missing, each 3-item subscale missing if any of its items is.
    max_missing_total=1,
    max_missing_subscale=0,
)

SCALES = {ScaleVersion.ELEVEN: ELEVEN_ITEM_SCALE, ScaleVersion.SIX: SIX_ITEM_SCALE}


def get_scale(version):
    """The `Scale` for version 11 or 6 (an int or a `ScaleVersion`)."""
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or version not in ScaleVersion.values
    ):
        raise ValueError(
            f"Onbekende versie van de eenzaamheidsschaal: {version!r}. Kies 11 of 6."
        )
    return SCALES[ScaleVersion(version)]


def band_for_total(version, total):
    scale = get_scale(version)
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= scale.max_total:
        raise ValueError(
            f"Ongeldige score {total!r}: de schaal met {scale.max_total} vragen loopt van 0 "
            f"tot en met {scale.max_total}."
        )
    for highest, band in scale.bands:
        if total <= highest:
            return band
    raise AssertionError("unreachable: the bands cover 0 to max_total")  # pragma: no cover


@dataclass(frozen=True)
class ScaleResult:
    version: ScaleVersion
    total: int | None  # None when too many items are missing
    emotional: int | None  # None when too many of the emotional items are missing
    social: int | None  # None when too many of the social items are missing
    band: Band | None  # None when there is no total
    missing_items: tuple[int, ...]  # unanswered item numbers; counted as not lonely
    valid: bool  # True when there is a total
    reason: str | Promise  # why there is no (sub)score, or that items were missing; "" if none

    @property
    def max_total(self):
        return get_scale(self.version).max_total


def _check_answers(scale, answers):
    for number, answer in answers.items():
        if isinstance(number, bool) or not isinstance(number, int) or not (
            1 <= number <= scale.max_total
        ):
            raise ValueError(
                f"Onbekend vraagnummer {number!r}: de schaal met {scale.max_total} vragen kent "
                f"de nummers 1 tot en met {scale.max_total}."
            )
        if answer is not None and answer not in ANSWERS:
            raise ValueError(
                f"Onbekend antwoord {answer!r} bij vraag {number}: kies 'nee', 'min of meer' of "
                f"'ja', of laat de vraag leeg."
            )


def _join(parts):
    if not parts:
        return ""
    return format_lazy(" ".join("{}" for _part in parts), *parts)


def score(version, answers):
    """Score one measurement. `answers` maps item numbers (1-based, in the version's order) to
    "nee", "min of meer", "ja" or None; an item left out of the dict is unanswered too.

    Raises ValueError (with a Dutch message) for an unknown version, item number or answer.
    """
    scale = get_scale(version)
    _check_answers(scale, answers)
    answered = {number: answer for number, answer in answers.items() if answer is not None}
    missing = tuple(item.number for item in scale.items if item.number not in answered)

    def lonely(item):
        return int(answered.get(item.number) in LONELY_ANSWERS[item.polarity])

    def subscale_score(subscale):
        items = scale.subscale_items(subscale)
        if sum(item.number in missing for item in items) > scale.max_missing_subscale:
            return None
        return sum(lonely(item) for item in items)

    emotional = subscale_score(Subscale.EMOTIONAL)
    social = subscale_score(Subscale.SOCIAL)
    valid = len(missing) <= scale.max_missing_total
    total = sum(lonely(item) for item in scale.items) if valid else None

    reasons = []
    if not valid:
        reasons.append(format_lazy(
            _("{missing} of {count} questions unanswered; at most {allowed} may be missing, so "
              "there is no total score."),
            missing=len(missing), count=scale.max_total, allowed=scale.max_missing_total,
        ))
    elif missing:
        reasons.append(format_lazy(
            _("{missing} of {count} questions unanswered; they count as not lonely, as the "
              "scale's manual prescribes."),
            missing=len(missing), count=scale.max_total,
        ))
    for subscale, value in ((Subscale.EMOTIONAL, emotional), (Subscale.SOCIAL, social)):
        if value is None:
            reasons.append(format_lazy(
                _("No score for {subscale}: too many of its questions are unanswered."),
                subscale=subscale.label,
            ))
    return ScaleResult(
        version=scale.version,
        total=total,
        emotional=emotional,
        social=social,
        band=band_for_total(scale.version, total) if valid else None,
        missing_items=missing,
        valid=valid,
        reason=_join(reasons),
    )


@dataclass(frozen=True)
class ScaleChange:
    """The difference between two measurements (intake and follow-up) for the case page.
    Positive points mean more lonely at the later measurement."""

    version: ScaleVersion | None  # None when the two versions differ
    comparable: bool  # both valid and of the same version
    points: int | None  # after.total - before.total
    emotional_points: int | None
    social_points: int | None
    band_before: Band | None
    band_after: Band | None
    band_steps: int | None  # bands moved; positive is towards more lonely
    direction: Direction | None
    description: str | Promise


def _difference(before, after):
    if before is None or after is None:
        return None
    return after - before


def change(before, after):
    """Compare two `ScaleResult`s of the same person, `before` taken first."""
    same_version = before.version == after.version
    emotional_points = _difference(before.emotional, after.emotional) if same_version else None
    social_points = _difference(before.social, after.social) if same_version else None
    if not same_version:
        return ScaleChange(
            version=None, comparable=False, points=None, emotional_points=None,
            social_points=None, band_before=before.band, band_after=after.band, band_steps=None,
            direction=None,
            description=_("The two measurements use different versions of the scale and "
                          "cannot be compared."),
        )
    if not (before.valid and after.valid):
        return ScaleChange(
            version=before.version, comparable=False, points=None,
            emotional_points=emotional_points, social_points=social_points,
            band_before=before.band, band_after=after.band, band_steps=None, direction=None,
            description=_("At least one of the two measurements has no total score."),
        )
    points = after.total - before.total
    if points < 0:
        direction = Direction.LESS_LONELY
        score_text = format_lazy(
            _("Score fell from {before} to {after} (less lonely)."),
            before=before.total, after=after.total,
        )
    elif points > 0:
        direction = Direction.MORE_LONELY
        score_text = format_lazy(
            _("Score rose from {before} to {after} (more lonely)."),
            before=before.total, after=after.total,
        )
    else:
        direction = Direction.UNCHANGED
        score_text = format_lazy(_("Score unchanged at {score}."), score=before.total)
    if before.band == after.band:
        band_text = format_lazy(_("Still {band}."), band=after.band.label)
    else:
        band_text = format_lazy(
            _("From {before} to {after}."), before=before.band.label, after=after.band.label,
        )
    return ScaleChange(
        version=before.version,
        comparable=True,
        points=points,
        emotional_points=emotional_points,
        social_points=social_points,
        band_before=before.band,
        band_after=after.band,
        band_steps=after.band.rank - before.band.rank,
        direction=direction,
        description=_join([score_text, band_text]),
    )
