"""The De Jong Gierveld loneliness scale: hand-worked scoring, missing items, bands and change.

Answer patterns are written as one letter per item in questionnaire order: n = "nee",
m = "min of meer", j = "ja", - = unanswered. Above each group the items' polarity is shown
(P = positively worded, social; N = negatively worded, emotional). An item scores 1 ("lonely")
for j or m on an N item and for n or m on a P item.
"""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.casework.scales import (
    ANSWERS,
    ELEVEN_ITEM_SCALE,
    JA,
    MIN_OF_MEER,
    NEE,
    SIX_ITEM_SCALE,
    Band,
    Direction,
    Polarity,
    ScaleVersion,
    Subscale,
    band_for_total,
    change,
    get_scale,
    score,
)

LETTERS = {"n": NEE, "m": MIN_OF_MEER, "j": JA, "-": None}


def pattern(letters):
    """'n m j -' -> {1: 'nee', 2: 'min of meer', 3: 'ja', 4: None}."""
    return {number: LETTERS[letter] for number, letter in enumerate(letters.split(), start=1)}


NOT_LONELY, MODERATE, SEVERE, VERY_SEVERE = (
    Band.NOT_LONELY, Band.MODERATELY_LONELY, Band.SEVERELY_LONELY, Band.VERY_SEVERELY_LONELY,
)


# --- The items -------------------------------------------------------------------------------


def test_eleven_item_wording_polarity_and_subscales():
    items = ELEVEN_ITEM_SCALE.items
    assert [item.number for item in items] == list(range(1, 12))
    assert items[0].text == (
        "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes "
        "terecht kan"
    )
    assert items[1].text == "Ik mis een echt goede vriend of vriendin"
    assert items[9].text == "Vaak voel ik me in de steek gelaten"
    positive = [item.number for item in items if item.polarity == Polarity.POSITIVE]
    assert positive == [1, 4, 7, 8, 11]
    # Positively worded = social, negatively worded = emotional, in both versions.
    for scale in (ELEVEN_ITEM_SCALE, SIX_ITEM_SCALE):
        for item in scale.items:
            expected = Subscale.SOCIAL if item.polarity == Polarity.POSITIVE else Subscale.EMOTIONAL
            assert item.subscale == expected
    assert ELEVEN_ITEM_SCALE.subscale_max(Subscale.EMOTIONAL) == 6
    assert ELEVEN_ITEM_SCALE.subscale_max(Subscale.SOCIAL) == 5


def test_six_item_scale_is_items_3_4_7_9_8_10_of_the_eleven():
    assert [item.source_number for item in SIX_ITEM_SCALE.items] == [3, 4, 7, 9, 8, 10]
    for item in SIX_ITEM_SCALE.items:
        source = ELEVEN_ITEM_SCALE.item(item.source_number)
        assert (item.text, item.polarity, item.subscale) == (
            source.text, source.polarity, source.subscale,
        )
    assert [item.polarity for item in SIX_ITEM_SCALE.items] == [
        Polarity.NEGATIVE, Polarity.POSITIVE, Polarity.POSITIVE,
        Polarity.NEGATIVE, Polarity.POSITIVE, Polarity.NEGATIVE,
    ]
    assert SIX_ITEM_SCALE.subscale_max(Subscale.EMOTIONAL) == 3
    assert SIX_ITEM_SCALE.subscale_max(Subscale.SOCIAL) == 3


def test_answers_are_the_three_dutch_categories():
    assert ANSWERS == ("nee", "min of meer", "ja")


# --- 11 items: hand-worked patterns ----------------------------------------------------------

ELEVEN_COMPLETE = [
    #                     P N N P N N P P N N P    emo soc total band
    pytest.param("j n n j n n j j n n j", 0, 0, 0, NOT_LONELY, id="all-not-lonely"),
    pytest.param("n j j n j j n n j j n", 6, 5, 11, VERY_SEVERE, id="all-lonely"),
    pytest.param("j j j j j j j j j j j", 6, 0, 6, MODERATE, id="all-ja"),
    pytest.param("n n n n n n n n n n n", 0, 5, 5, MODERATE, id="all-nee"),
    pytest.param("m m m m m m m m m m m", 6, 5, 11, VERY_SEVERE, id="all-min-of-meer"),
    # 1 j:0 2 m:1 3 n:0 4 n:1 5 j:1 6 n:0 7 j:0 8 m:1 9 n:0 10 j:1 11 m:1
    pytest.param("j m n n j n j m n j m", 3, 3, 6, MODERATE, id="mixed"),
    pytest.param("m j n j n n j j n n j", 1, 1, 2, NOT_LONELY, id="mom-positive-1"),
    pytest.param("j m n j n n j j n n j", 1, 0, 1, NOT_LONELY, id="mom-negative-2"),
    pytest.param("m m n j n n j j n n j", 1, 1, 2, NOT_LONELY, id="boundary-2"),
    pytest.param("m m j j n n j j n n j", 2, 1, 3, MODERATE, id="boundary-3"),
    # 1 n:1 2 j:1 3 j:1 4 m:1 5 m:1 6 j:1 7 j:0 8 j:0 9 j:1 10 m:1 11 j:0
    pytest.param("n j j m m j j j j m j", 6, 2, 8, MODERATE, id="boundary-8"),
    pytest.param("n j j m m j n j j m j", 6, 3, 9, SEVERE, id="boundary-9"),
    # 10 n on a negative item is the only non-lonely answer
    pytest.param("n j j m m j n n j n m", 5, 5, 10, SEVERE, id="boundary-10"),
    pytest.param("n j j n j j n n j j n", 6, 5, 11, VERY_SEVERE, id="boundary-11"),
]


@pytest.mark.parametrize(("letters", "emotional", "social", "total", "band"), ELEVEN_COMPLETE)
def test_eleven_items_complete(letters, emotional, social, total, band):
    result = score(11, pattern(letters))
    assert (result.emotional, result.social, result.total, result.band) == (
        emotional, social, total, band,
    )
    assert result.valid
    assert result.missing_items == ()
    assert result.reason == ""
    assert result.version == ScaleVersion.ELEVEN


def test_min_of_meer_counts_as_lonely_on_both_polarities():
    base = pattern("j n n j n n j j n n j")
    assert score(11, {**base, 1: MIN_OF_MEER}).social == 1  # positive item
    assert score(11, {**base, 2: MIN_OF_MEER}).emotional == 1  # negative item
    assert score(11, {**base, 1: JA}).total == 0  # "ja" on a positive item is not lonely
    assert score(11, {**base, 2: NEE}).total == 0  # "nee" on a negative item is not lonely


# --- 11 items: missing items (at most 2 for the total, at most 1 per subscale) ---------------

ELEVEN_MISSING = [
    #                    P N N P N N P P N N P    emo   soc   total band     missing valid
    pytest.param("- j j n j j n n j j n", 6, 4, 10, SEVERE, (1,), True, id="one-social"),
    pytest.param("n - j n j j n n j j n", 5, 5, 10, SEVERE, (2,), True, id="one-emotional"),
    pytest.param("- - j n j j n n j j n", 5, 4, 9, SEVERE, (1, 2), True, id="two-split"),
    pytest.param("n - - n j j n n j j n", None, 5, 9, SEVERE, (2, 3), True,
                 id="two-emotional"),
    pytest.param("- j j - j j n n j j n", 6, None, 9, SEVERE, (1, 4), True, id="two-social"),
    # 9 and 10 are emotional (2 missing: no emotional score), 11 is social (1 missing: kept)
    pytest.param("j n n j n n j j - - -", None, 0, None, None, (9, 10, 11), False,
                 id="three-missing"),
    pytest.param("- - - n j j n n j j n", None, 4, None, None, (1, 2, 3), False,
                 id="three-split"),
    pytest.param("- - - - - - - - - - -", None, None, None, None, tuple(range(1, 12)), False,
                 id="all-missing"),
]


@pytest.mark.parametrize(
    ("letters", "emotional", "social", "total", "band", "missing", "valid"), ELEVEN_MISSING
)
def test_eleven_items_missing(letters, emotional, social, total, band, missing, valid):
    result = score(11, pattern(letters))
    assert result.missing_items == missing
    assert result.valid is valid
    assert result.emotional == emotional
    assert result.social == social
    if valid:
        assert (result.total, result.band) == (total, band)
    else:
        assert (result.total, result.band) == (None, None)
    assert result.reason != ""


def test_left_out_items_count_as_unanswered():
    answers = pattern("- j j n j j n n j j n")
    assert score(11, {k: v for k, v in answers.items() if v is not None}) == score(11, answers)
    assert score(11, {}).missing_items == tuple(range(1, 12))


def test_reasons_explain_missing_items():
    with translation.override("en"):
        assert str(score(11, pattern("- j j n j j n n j j n")).reason) == (
            "1 of 11 questions unanswered; they count as not lonely, as the scale's manual "
            "prescribes."
        )
        assert str(score(11, pattern("- - - n j j n n j j n")).reason) == (
            "3 of 11 questions unanswered; at most 2 may be missing, so there is no total "
            "score. No score for emotional loneliness: too many of its questions are unanswered."
        )


# --- 6 items: hand-worked patterns -----------------------------------------------------------

SIX_COMPLETE = [
    #                    N P P N P N    emo soc total band
    pytest.param("n j j n j n", 0, 0, 0, NOT_LONELY, id="all-not-lonely"),
    pytest.param("j n n j n j", 3, 3, 6, SEVERE, id="all-lonely"),
    pytest.param("j j j j j j", 3, 0, 3, MODERATE, id="all-ja"),
    pytest.param("n n n n n n", 0, 3, 3, MODERATE, id="all-nee"),
    pytest.param("m m m m m m", 3, 3, 6, SEVERE, id="all-min-of-meer"),
    # 1 n:0 2 m:1 3 j:0 4 j:1 5 n:1 6 n:0
    pytest.param("n m j j n n", 1, 2, 3, MODERATE, id="mixed"),
    pytest.param("m j j n j n", 1, 0, 1, NOT_LONELY, id="boundary-1-mom-negative"),
    pytest.param("n m j n j n", 0, 1, 1, NOT_LONELY, id="mom-positive"),
    pytest.param("m m j n j n", 1, 1, 2, MODERATE, id="boundary-2"),
    # 1 j:1 2 m:1 3 n:1 4 j:1 5 j:0 6 n:0
    pytest.param("j m n j j n", 2, 2, 4, MODERATE, id="boundary-4"),
    pytest.param("j m n j j m", 3, 2, 5, SEVERE, id="boundary-5"),
    pytest.param("j n n j n j", 3, 3, 6, SEVERE, id="boundary-6"),
]


@pytest.mark.parametrize(("letters", "emotional", "social", "total", "band"), SIX_COMPLETE)
def test_six_items_complete(letters, emotional, social, total, band):
    result = score(6, pattern(letters))
    assert (result.emotional, result.social, result.total, result.band) == (
        emotional, social, total, band,
    )
    assert result.valid
    assert result.version == ScaleVersion.SIX


# --- 6 items: missing items (at most 1 for the total, none per subscale) ---------------------

SIX_MISSING = [
    #                    N P P N P N    emo   soc   total band        missing valid
    pytest.param("j - n j n j", 3, None, 5, SEVERE, (2,), True, id="one-social"),
    pytest.param("n j j n j -", None, 0, 0, NOT_LONELY, (6,), True, id="one-emotional"),
    # 1 -:0 2 m:1 3 j:0 4 n:0 5 n:1 6 n:0
    pytest.param("- m j n n n", None, 2, 2, MODERATE, (1,), True, id="one-at-boundary"),
    pytest.param("j - n j n -", None, None, None, None, (2, 6), False, id="two-split"),
    pytest.param("- j j - j n", None, 0, None, None, (1, 4), False, id="two-emotional"),
    pytest.param("- - - - - -", None, None, None, None, tuple(range(1, 7)), False,
                 id="all-missing"),
]


@pytest.mark.parametrize(
    ("letters", "emotional", "social", "total", "band", "missing", "valid"), SIX_MISSING
)
def test_six_items_missing(letters, emotional, social, total, band, missing, valid):
    result = score(6, pattern(letters))
    assert (result.emotional, result.social, result.total, result.band) == (
        emotional, social, total, band,
    )
    assert result.missing_items == missing
    assert result.valid is valid


# --- Bands -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (11, [NOT_LONELY] * 3 + [MODERATE] * 6 + [SEVERE] * 2 + [VERY_SEVERE]),
        (6, [NOT_LONELY] * 2 + [MODERATE] * 3 + [SEVERE] * 2),
    ],
)
def test_band_for_every_total(version, expected):
    assert [band_for_total(version, total) for total in range(len(expected))] == expected


def test_band_labels():
    with translation.override("en"):
        assert [str(band.label) for band in Band] == [
            "not lonely", "moderately lonely", "severely lonely", "very severely lonely",
        ]
    assert [band.value for band in Band] == [
        "not_lonely", "moderately_lonely", "severely_lonely", "very_severely_lonely",
    ]


# --- Refusing what is not part of the scale --------------------------------------------------


@pytest.mark.parametrize("version", [7, 0, "11", 11.0, True, None])
def test_unknown_version_is_refused(version):
    with pytest.raises(ValueError, match="Onbekende versie"):
        score(version, {})


@pytest.mark.parametrize(("version", "number"), [(11, 0), (11, 12), (6, 7), (11, "1"), (6, True)])
def test_unknown_item_number_is_refused(version, number):
    with pytest.raises(ValueError, match="Onbekend vraagnummer"):
        score(version, {number: JA})


@pytest.mark.parametrize("answer", ["Ja", "misschien", "yes", "", 1, 0])
def test_unknown_answer_is_refused(answer):
    with pytest.raises(ValueError, match="Onbekend antwoord .* bij vraag 2"):
        score(11, {1: JA, 2: answer})


@pytest.mark.parametrize("total", [-1, 12, None, "3"])
def test_band_for_impossible_total_is_refused(total):
    with pytest.raises(ValueError, match="Ongeldige score"):
        band_for_total(11, total)


# --- Change between intake and follow-up -----------------------------------------------------


def test_change_less_lonely_across_a_band():
    intake = score(11, pattern("n j j m m j n j j m j"))  # 9: emo 6, soc 3
    follow_up = score(11, pattern("m m j j n n j j n n j"))  # 3: emo 2, soc 1
    result = change(intake, follow_up)
    assert result.comparable
    assert result.points == -6
    assert (result.emotional_points, result.social_points) == (-4, -2)
    assert (result.band_before, result.band_after, result.band_steps) == (SEVERE, MODERATE, -1)
    assert result.direction == Direction.LESS_LONELY
    with translation.override("en"):
        assert str(result.description) == (
            "Score fell from 9 to 3 (less lonely). From severely lonely to moderately lonely."
        )


def test_change_more_lonely_within_a_band():
    intake = score(6, pattern("m m j n j n"))  # 2
    follow_up = score(6, pattern("j m n j j n"))  # 4
    result = change(intake, follow_up)
    assert (result.points, result.band_steps, result.direction) == (2, 0, Direction.MORE_LONELY)
    with translation.override("en"):
        assert str(result.description) == (
            "Score rose from 2 to 4 (more lonely). Still moderately lonely."
        )


def test_change_unchanged_total_with_shifted_subscales():
    intake = score(11, pattern("j j j j j j j j j j j"))  # 6: emo 6, soc 0
    follow_up = score(11, pattern("n j n n n n n n n n n"))  # 6: emo 1, soc 5
    result = change(intake, follow_up)
    assert (result.points, result.emotional_points, result.social_points) == (0, -5, 5)
    assert result.direction == Direction.UNCHANGED
    with translation.override("en"):
        assert str(result.description) == "Score unchanged at 6. Still moderately lonely."


def test_change_from_lowest_to_highest_band():
    intake = score(11, pattern("j n n j n n j j n n j"))
    follow_up = score(11, dict.fromkeys(range(1, 12), MIN_OF_MEER))
    result = change(intake, follow_up)
    assert (result.points, result.band_steps) == (11, 3)


def test_change_needs_two_valid_totals():
    valid = score(11, pattern("j n n j n n j j n n j"))
    invalid = score(11, pattern("- - - n j j n n j j n"))
    for before, after in ((valid, invalid), (invalid, valid)):
        result = change(before, after)
        assert not result.comparable
        assert (result.points, result.direction, result.band_steps) == (None, None, None)
    # Subscales that are there are still compared.
    assert change(valid, invalid).social_points == 4
    assert change(valid, invalid).emotional_points is None


def test_change_between_versions_is_not_comparable():
    result = change(score(11, pattern("j n n j n n j j n n j")), score(6, pattern("n j j n j n")))
    assert not result.comparable
    assert result.version is None
    assert (result.points, result.emotional_points, result.social_points) == (None, None, None)
    with translation.override("en"):
        assert "different versions" in str(result.description)


# --- Properties ------------------------------------------------------------------------------

answer_values = st.sampled_from((*ANSWERS, None))


@st.composite
def measurements(draw, complete=False):
    version = draw(st.sampled_from([11, 6]))
    values = st.sampled_from(ANSWERS) if complete else answer_values
    answers = {
        number: draw(values) for number in range(1, get_scale(version).max_total + 1)
    }
    return version, answers


@settings(database=None)
@given(measurements())
def test_scores_stay_in_range_and_add_up(measurement):
    version, answers = measurement
    scale = get_scale(version)
    result = score(version, answers)
    assert result.valid == (result.total is not None) == (result.band is not None)
    if result.valid:
        assert 0 <= result.total <= scale.max_total
        assert result.band == band_for_total(version, result.total)
    if result.emotional is not None:
        assert 0 <= result.emotional <= scale.subscale_max(Subscale.EMOTIONAL)
    if result.social is not None:
        assert 0 <= result.social <= scale.subscale_max(Subscale.SOCIAL)
    if None not in (result.total, result.emotional, result.social):
        assert result.total == result.emotional + result.social
    assert result.missing_items == tuple(n for n, answer in answers.items() if answer is None)


@settings(database=None)
@given(measurements(complete=True))
def test_complete_answers_are_always_valid(measurement):
    version, answers = measurement
    result = score(version, answers)
    assert result.valid
    assert result.total == result.emotional + result.social


@settings(database=None)
@given(st.sampled_from([11, 6]), st.data())
def test_band_is_monotone_in_total(version, data):
    maximum = get_scale(version).max_total
    low = data.draw(st.integers(0, maximum))
    high = data.draw(st.integers(low, maximum))
    assert band_for_total(version, low).rank <= band_for_total(version, high).rank


REVERSED = {JA: NEE, NEE: JA, MIN_OF_MEER: MIN_OF_MEER, None: None}


@settings(database=None)
@given(measurements(), st.data())
def test_reversing_one_answer_moves_the_total_by_at_most_one(measurement, data):
    version, answers = measurement
    number = data.draw(st.sampled_from(sorted(answers)))
    before = score(version, answers)
    after = score(version, {**answers, number: REVERSED[answers[number]]})
    assert before.valid == after.valid
    if before.valid:
        assert abs(after.total - before.total) <= 1
        if answers[number] in (JA, NEE):
            assert abs(after.total - before.total) == 1


@settings(database=None)
@given(measurements(), st.data())
def test_answering_a_missing_item_never_lowers_the_total(measurement, data):
    version, answers = measurement
    missing = [number for number, answer in answers.items() if answer is None]
    before = score(version, answers)
    if not before.valid or not missing:
        return
    number = data.draw(st.sampled_from(missing))
    after = score(version, {**answers, number: data.draw(st.sampled_from(ANSWERS))})
    assert after.total in (before.total, before.total + 1)


NOT_LONELY_ANSWER = {Polarity.NEGATIVE: NEE, Polarity.POSITIVE: JA}


@settings(database=None)
@given(st.lists(st.sampled_from(ANSWERS), min_size=6, max_size=6))
def test_six_item_score_equals_the_same_answers_in_the_eleven(values):
    six = dict(enumerate(values, start=1))
    # The five items only in the long scale get their not-lonely answer.
    eleven = {item.number: NOT_LONELY_ANSWER[item.polarity] for item in ELEVEN_ITEM_SCALE.items}
    eleven.update({item.source_number: six[item.number] for item in SIX_ITEM_SCALE.items})
    short, long = score(6, six), score(11, eleven)
    assert (short.total, short.emotional, short.social) == (
        long.total, long.emotional, long.social,
    )
