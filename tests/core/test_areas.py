"""Area codes and finding the area a point lies in."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from omzien.core import queries
from omzien.core.models import AREA_CODE_PATTERNS, Area, area_kind_for_code, parent_code_for
from tests.core.test_boundary_import import (
    ALL_FEATURES,
    collection,
    feature,
    import_document,
    import_sample,
    polygon,
)

# Codes built from the CBS alphabet, so that hypothesis often comes close to a valid one.
code_like = st.text(alphabet="GMWKBU0123456789AZaz \n", max_size=12)


@given(st.text(max_size=30) | code_like | st.from_regex(r"\A(GM|WK|BU)[0-9A-Z]{2,8}\Z"))
def test_area_kind_for_code_accepts_exactly_the_cbs_patterns(text):
    matching = [kind for kind, pattern in AREA_CODE_PATTERNS.items() if pattern.fullmatch(text)]
    try:
        kind = area_kind_for_code(text)
    except ValidationError as error:
        assert matching == []
        assert error.code == "invalid_area_code"
    else:
        assert matching == [kind]


@given(st.none() | st.integers() | st.binary() | st.lists(st.text()))
def test_area_kind_for_code_refuses_anything_that_is_not_text(value):
    with pytest.raises(ValidationError):
        area_kind_for_code(value)


@pytest.mark.parametrize("code, kind", [
    ("GM0363", "municipality"), ("WK036300", "district"), ("WK0363AB", "district"),
    ("BU03630000", "neighbourhood"), ("BU0363AB01", "neighbourhood"),
])
def test_valid_codes_including_capital_letters_since_2023(code, kind):
    assert area_kind_for_code(code) == kind


@pytest.mark.parametrize("code", ["GM0363\n", "BU03630000\n", "gm0363", "WK0363ab", "BU036300"])
def test_codes_with_lowercase_letters_or_a_trailing_newline_are_invalid(code):
    with pytest.raises(ValidationError):
        area_kind_for_code(code)


def test_parent_codes_go_one_level_up():
    assert parent_code_for("BU0363AB01") == "WK0363AB"
    assert parent_code_for("WK0363AB") == "GM0363"
    assert parent_code_for("GM0363") is None


# area_for_point


@pytest.fixture
def sample_areas(db):
    queries.clear_area_geometry_cache()
    import_sample()
    yield
    queries.clear_area_geometry_cache()


@pytest.mark.parametrize("lon, lat, code", [
    (4.85, 52.32, "BU03630000"),
    (4.85, 52.37, "BU03630001"),
    (4.95, 52.32, "BU0363AB01"),
    (4.95, 52.36, "BU0363AB02"),  # the first part of the MultiPolygon
    (4.96, 52.395, "BU0363AB02"),  # the second, separate part
])
def test_point_in_a_neighbourhood_finds_it(sample_areas, lon, lat, code):
    assert queries.area_for_point(lon, lat).code == code


@pytest.mark.parametrize("lon, lat", [
    (5.12, 52.09),  # Utrecht: no area here
    (4.91, 52.395),  # inside the bounding box of BU0363AB02, but between its two parts
    (4.93, 52.385),
])
def test_point_outside_every_neighbourhood_finds_none(sample_areas, lon, lat):
    assert queries.area_for_point(lon, lat) is None


def test_point_lookup_for_districts_and_municipalities(sample_areas):
    assert queries.area_for_point(4.93, 52.385, kind=Area.Kind.DISTRICT).code == "WK0363AB"
    assert queries.area_for_point(4.85, 52.32, kind="municipality").code == "GM0363"


def test_point_on_a_shared_border_finds_one_of_the_two_areas(sample_areas):
    assert queries.area_for_point(4.90, 52.32).code in {"BU03630000", "BU0363AB01"}


@pytest.mark.django_db
def test_point_in_an_unusually_wide_neighbourhood_is_found():
    # Water buurten such as those in the Waddenzee are much wider than a town's buurten.
    wide = (3.0, 53.0, 6.5, 53.6)
    document = collection(
        feature("GM1900", "Waddenzee", polygon(*wide)), feature("WK190000", "Wad", polygon(*wide)),
        feature("BU19000000", "Wad", polygon(*wide)),
    )
    assert import_document(document).ok

    assert queries.area_for_point(6.4, 53.5).code == "BU19000000"
    assert queries.area_for_point(3.1, 53.1).code == "BU19000000"


@pytest.mark.parametrize("lon, lat", [("abc", 52.3), (None, 52.3), (float("nan"), 52.3),
                                      (4.85, float("inf"))])
def test_point_lookup_with_unusable_coordinates_finds_none(sample_areas, lon, lat):
    assert queries.area_for_point(lon, lat) is None


def test_point_lookup_follows_a_reimported_boundary(sample_areas):
    assert queries.area_for_point(4.85, 52.32).code == "BU03630000"
    moved = [
        feature("BU03630000", "Burgwallen-Oude Zijde", polygon(4.80, 52.30, 4.84, 52.35)),
        feature("BU03630001", "Burgwallen-Nieuwe Zijde", polygon(4.84, 52.30, 4.90, 52.40)),
    ]

    assert import_document(collection(*moved)).ok

    assert queries.area_for_point(4.85, 52.32).code == "BU03630001"


@pytest.mark.django_db
def test_point_lookup_with_no_areas_finds_none():
    assert queries.area_for_point(4.85, 52.32) is None


@pytest.mark.django_db
def test_point_lookup_among_many_neighbourhoods():
    # A grid of 30 x 30 buurten in one wijk: the lookup must pick the one right cell.
    cells = [
        feature(f"BU0363{row:02d}{col:02d}", f"Buurt {row}-{col}",
                polygon(4.0 + col * 0.01, 52.0 + row * 0.01, 4.01 + col * 0.01, 52.01 + row * 0.01))
        for row in range(30) for col in range(30)
    ]
    districts = [feature(f"WK0363{row:02d}", f"Wijk {row}", polygon(4.0, 52.0, 4.3, 52.3))
                 for row in range(30)]
    assert import_document(collection(ALL_FEATURES[0], *districts, *cells)).ok

    assert queries.area_for_point(4.0 + 17 * 0.01 + 0.005, 52.0 + 23 * 0.01 + 0.005).code == (
        "BU03632317")
