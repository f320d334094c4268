"""Importing area boundaries from GeoJSON: the importer, the service, the command, the web page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.core import services
from omzien.core.importers import boundaries
from omzien.core.management.commands.import_areas import Command
from omzien.core.models import Area, AuditEvent


def box(min_lon, min_lat, max_lon, max_lat):
    return [[[min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat],
             [min_lon, min_lat]]]


def polygon(*bounds):
    return {"type": "Polygon", "coordinates": box(*bounds)}


def feature(code, name, geometry, **properties):
    return {"type": "Feature", "properties": {"statcode": code, "statnaam": name, **properties},
            "geometry": geometry}


def collection(*features, **members):
    return {"type": "FeatureCollection", **members, "features": list(features)}


# Shaped like the CBS wijk- en buurtkaart: a municipality, two districts, four neighbourhoods, one
# of them in two parts, and codes with capital letters as used since 2023.
MUNICIPALITY = feature("GM0363", "Amsterdam", polygon(4.80, 52.30, 5.00, 52.40),
                       aantal_inwoners=931298)
DISTRICTS = [
    feature("WK036300", "Centrum", polygon(4.80, 52.30, 4.90, 52.40)),
    feature("WK0363AB", "Noord-West", polygon(4.90, 52.30, 5.00, 52.40), AANT_INW=-99999997),
]
NEIGHBOURHOODS = [
    feature("BU03630000", "Burgwallen-Oude Zijde", polygon(4.80, 52.30, 4.90, 52.35),
            aantal_inwoners=4360),
    feature("BU03630001", "Burgwallen-Nieuwe Zijde", polygon(4.80, 52.35, 4.90, 52.40),
            aantal_inwoners=-99999997),
    feature("BU0363AB01", "Volewijck", polygon(4.90, 52.30, 5.00, 52.35), AANT_INW=12000),
    feature("BU0363AB02", "IJplein en Vogelbuurt", {
        "type": "MultiPolygon",
        "coordinates": [box(4.90, 52.35, 5.00, 52.38), box(4.95, 52.39, 4.98, 52.40)],
    }),
]
ALL_FEATURES = [MUNICIPALITY, *DISTRICTS, *NEIGHBOURHOODS]


def geojson_bytes(document):
    return json.dumps(document).encode()


def import_document(document, user=None):
    return services.import_boundaries(user, geojson_bytes(document))


def import_sample():
    result = import_document(collection(*ALL_FEATURES))
    assert result.ok, result.error
    return result


def problem_texts(result):
    return [str(problem) for problem in result.errors]


@pytest.fixture(autouse=True)
def english():
    # The messages are checked by their English text; the Dutch translation is separate work.
    with translation.override("en"):
        yield


@pytest.fixture
def write_file(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else geojson_bytes(content))
        return path

    return write


# The importer and the service


@pytest.mark.django_db
def test_import_creates_every_area_linked_to_its_parent():
    result = import_sample()

    assert (result.created, result.updated) == (7, 0)
    assert "7" in result.summary()
    areas = {area.code: area for area in Area.objects.select_related("parent")}
    assert set(areas) == {f["properties"]["statcode"] for f in ALL_FEATURES}
    assert areas["GM0363"].kind == Area.Kind.MUNICIPALITY and areas["GM0363"].parent is None
    assert areas["WK0363AB"].kind == Area.Kind.DISTRICT
    assert areas["WK0363AB"].parent.code == "GM0363"
    assert areas["BU0363AB01"].kind == Area.Kind.NEIGHBOURHOOD
    assert areas["BU0363AB01"].parent.code == "WK0363AB"
    assert areas["BU03630000"].parent.code == "WK036300"
    assert areas["BU03630000"].name == "Burgwallen-Oude Zijde"


@pytest.mark.django_db
def test_import_stores_boundary_bbox_and_believable_population_only():
    import_sample()

    two_parts = Area.objects.get(code="BU0363AB02")
    assert two_parts.boundary["type"] == "MultiPolygon"
    assert (two_parts.min_lon, two_parts.min_lat, two_parts.max_lon, two_parts.max_lat) == (
        4.90, 52.35, 5.00, 52.40)
    assert Area.objects.get(code="GM0363").population == 931298
    assert Area.objects.get(code="BU0363AB01").population == 12000  # old property name
    # CBS marks secret figures with -99999997; they are not a population.
    assert Area.objects.get(code="BU03630001").population is None
    assert Area.objects.get(code="WK0363AB").population is None


@pytest.mark.django_db
def test_import_is_recorded_in_the_audit_log(staff_client):
    _client, admin = staff_client("administrator")
    result = import_document(collection(*ALL_FEATURES), user=admin)

    assert result.ok
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.user == admin
    assert event.object_type == "core.Area"
    assert event.detail["created"] == 7 and event.detail["updated"] == 0


@pytest.mark.django_db
def test_reimport_updates_existing_areas_instead_of_adding_them():
    import_sample()
    renamed = feature("BU03630000", "Oude Zijde", polygon(4.80, 52.30, 4.85, 52.34),
                      aantal_inwoners=5000)

    result = import_document(collection(renamed))

    assert (result.created, result.updated) == (0, 1)
    assert Area.objects.count() == 7
    area = Area.objects.get(code="BU03630000")
    assert area.name == "Oude Zijde"
    assert area.population == 5000
    assert (area.max_lon, area.max_lat) == (4.85, 52.34)
    assert area.boundary["coordinates"] == box(4.80, 52.30, 4.85, 52.34)
    assert area.parent.code == "WK036300"


@pytest.mark.django_db
def test_reimport_without_population_keeps_the_known_population():
    import_sample()
    without_figures = feature("GM0363", "Amsterdam", polygon(4.80, 52.30, 5.00, 52.40))

    assert import_document(collection(without_figures)).ok
    assert Area.objects.get(code="GM0363").population == 931298


@pytest.mark.django_db
def test_parents_may_already_be_in_the_database():
    assert import_document(collection(MUNICIPALITY)).ok
    assert import_document(collection(*DISTRICTS)).ok

    result = import_document(collection(*NEIGHBOURHOODS))

    assert (result.created, result.updated) == (4, 0)
    assert Area.objects.get(code="BU0363AB02").parent.code == "WK0363AB"


@pytest.mark.django_db
def test_missing_parent_is_refused_by_name_and_no_placeholder_is_made():
    assert import_document(collection(MUNICIPALITY)).ok

    result = import_document(collection(DISTRICTS[0], *NEIGHBOURHOODS))

    assert not result.ok
    texts = problem_texts(result)
    # Both buurten of the missing wijk are named, each with the missing code.
    assert len(texts) == 2
    assert all("WK0363AB" in text for text in texts)
    assert any("BU0363AB01" in text for text in texts)
    assert "WK0363AB" in result.error
    assert list(Area.objects.values_list("code", flat=True)) == ["GM0363"]


@pytest.mark.django_db
def test_district_without_its_municipality_is_refused():
    result = import_document(collection(*DISTRICTS))

    assert not result.ok
    assert all("GM0363" in text for text in problem_texts(result))
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_one_bad_feature_means_nothing_is_imported_and_every_problem_is_listed():
    point = feature("BU03630001", "Burgwallen-Nieuwe Zijde",
                    {"type": "Point", "coordinates": [4.85, 52.37]})
    no_name = feature("BU0363AB01", "", polygon(4.90, 52.30, 5.00, 52.35))
    document = collection(MUNICIPALITY, *DISTRICTS, NEIGHBOURHOODS[0], point, no_name)

    result = import_document(document)

    assert not result.ok
    assert result.created == 0
    assert not Area.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    texts = problem_texts(result)
    assert len(texts) == 2
    assert "BU03630001" in texts[0] and "Point" in texts[0]
    assert "BU0363AB01" in texts[1] and "statnaam" in texts[1]
    assert [p.number for p in result.errors] == [5, 6]
    assert "BU03630001" in result.error and "BU0363AB01" in result.error


@pytest.mark.django_db
def test_a_bad_feature_does_not_change_areas_that_exist_already():
    import_sample()
    renamed = feature("GM0363", "Mokum", polygon(4.80, 52.30, 5.00, 52.40))
    broken = feature("WK036300", "Centrum", {"type": "Polygon", "coordinates": "here"})

    result = import_document(collection(renamed, broken))

    assert not result.ok
    assert Area.objects.get(code="GM0363").name == "Amsterdam"


@pytest.mark.django_db
def test_missing_statcode_and_statnaam_are_both_reported():
    nameless = {"type": "Feature", "properties": {"AANT_INW": 10},
                "geometry": polygon(4.80, 52.30, 5.00, 52.40)}
    no_properties = {"type": "Feature", "geometry": polygon(4.80, 52.30, 5.00, 52.40)}

    result = import_document(collection(nameless, no_properties, MUNICIPALITY))

    assert not result.ok
    messages = [(p.number, p.message) for p in result.errors]
    assert len(messages) == 4
    assert sum("statcode" in m for _n, m in messages) == 2
    assert sum("statnaam" in m for _n, m in messages) == 2
    assert {n for n, _m in messages} == {1, 2}
    assert not Area.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("code", [
    "BU123", "bu03630000", "XX03630000", "BU03630000X", "WK0363a0", "GM036", "GM0363\n0",
    "BU0363 000", "GM０３６３",
])
def test_malformed_codes_are_refused_with_the_code_in_the_message(code):
    result = import_document(collection(feature(code, "Ergens", polygon(4.8, 52.3, 5.0, 52.4))))

    assert not result.ok
    assert code.strip()[:10] in result.error
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_codes_are_read_without_surrounding_spaces():
    result = import_document(collection(feature(" GM0363 ", "Amsterdam",
                                                polygon(4.8, 52.3, 5.0, 52.4))))

    assert result.ok
    assert Area.objects.get().code == "GM0363"


@pytest.mark.django_db
def test_a_code_twice_in_the_file_is_refused():
    twice = feature("GM0363", "Amsterdam (2)", polygon(4.8, 52.3, 5.0, 52.4))

    result = import_document(collection(MUNICIPALITY, twice))

    assert not result.ok
    assert result.errors[0].number == 2 and "1" in result.errors[0].message
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_the_water_part_of_an_area_with_the_same_code_is_left_out():
    water = feature("GM0363", "Amsterdam", polygon(5.0, 52.3, 5.1, 52.4), water="JA")
    land = feature("GM0363", "Amsterdam", polygon(4.8, 52.3, 5.0, 52.4), water="NEE")

    assert import_document(collection(water, land)).ok
    assert Area.objects.get().max_lon == 5.0


@pytest.mark.django_db
def test_a_self_intersecting_boundary_is_repaired():
    bow_tie = {"type": "Polygon",
               "coordinates": [[[4.8, 52.3], [5.0, 52.4], [5.0, 52.3], [4.8, 52.4], [4.8, 52.3]]]}

    result = import_document(collection(feature("GM0363", "Amsterdam", bow_tie)))

    assert result.ok, result.error
    area = Area.objects.get()
    assert area.boundary["type"] == "MultiPolygon"
    assert (area.min_lon, area.max_lon) == (4.8, 5.0)


@pytest.mark.django_db
@pytest.mark.parametrize("geometry, words", [
    (None, "geometry"),
    ({"type": "LineString", "coordinates": [[4.8, 52.3], [5.0, 52.4]]}, "LineString"),
    ({"type": "Polygon", "coordinates": []}, "empty"),
    ({"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], [1, 2]]]}, "GeoJSON"),
    ({"type": "Polygon", "coordinates": [[[4.8, 52.3], [5.0, 52.3], [4.9, 52.3], [4.8, 52.3]]]},
     "area"),
])
def test_unusable_shapes_are_refused(geometry, words):
    result = import_document(collection(feature("GM0363", "Amsterdam", geometry)))

    assert not result.ok
    assert words in result.error
    assert not Area.objects.exists()


# Coordinate systems


@pytest.mark.django_db
def test_a_file_in_dutch_rd_coordinates_is_refused_with_a_clear_message():
    rd = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    rd_feature = feature("GM0363", "Amsterdam", polygon(110000, 477000, 135000, 494000))

    result = import_document(collection(rd_feature, crs=rd))

    assert not result.ok
    assert "28992" in result.error and "WGS84" in result.error
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_rd_coordinates_without_a_crs_member_are_refused_too():
    rd_feature = feature("GM0363", "Amsterdam", polygon(110000, 477000, 135000, 494000))

    result = import_document(collection(rd_feature))

    assert not result.ok
    assert "WGS84" in result.error
    assert not Area.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"])
def test_a_crs_member_naming_wgs84_is_accepted(name):
    crs = {"type": "name", "properties": {"name": name}}

    assert import_document(collection(MUNICIPALITY, crs=crs)).ok


# Files that are not what they should be


@pytest.mark.django_db
@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"statcode;statnaam\nGM0363;Amsterdam\n", "JSON"),
    (b'{"type": "FeatureCollection", "features": [', "JSON"),
    (b"[1, 2, 3]", "FeatureCollection"),
    (b'{"statcode": "GM0363"}', "FeatureCollection"),
    (b'{"type": "Feature", "properties": {}, "geometry": null}', "FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": {}}', "features"),
    (b'{"type": "FeatureCollection", "features": []}', "no areas"),
    (b'{"type": "FeatureCollection", "features": [NaN]}', "JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ("Amsterdam é".encode("latin-1"), "UTF-8"),
    (json.dumps(collection(MUNICIPALITY)).encode("utf-16"), "UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "UTF-8"),
])
def test_files_that_are_not_usable_geojson_give_a_clear_error(content, words):
    result = services.import_boundaries(None, content)

    assert not result.ok
    assert len(result.errors) == 1
    assert words in result.error
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_utf8_with_byte_order_mark_and_accents_is_read():
    content = b"\xef\xbb\xbf" + json.dumps(
        collection(feature("GM1234", "Súdwest-Fryslân", polygon(5.3, 52.9, 5.7, 53.2))),
        ensure_ascii=False,
    ).encode()

    assert services.import_boundaries(None, content).ok
    assert Area.objects.get().name == "Súdwest-Fryslân"


@pytest.mark.django_db
def test_a_file_above_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(boundaries, "MAX_BOUNDARY_FILE_BYTES", 100)

    result = import_document(collection(*ALL_FEATURES))

    assert not result.ok
    assert "too large" in result.error
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_a_long_list_of_problems_is_cut_short_on_screen_but_complete_in_the_result():
    bad = [feature(f"XX{n:04d}", "Fout", polygon(4.8, 52.3, 5.0, 52.4)) for n in range(30)]

    result = import_document(collection(*bad))

    assert len(result.errors) == 30
    assert "XX0019" in result.error and "XX0020" not in result.error
    assert result.error.endswith("And 10 more problems.")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    geometry=json_values | st.fixed_dictionaries(
        {"type": st.sampled_from(["Polygon", "MultiPolygon"]), "coordinates": json_values}),
    properties=json_values | st.fixed_dictionaries(
        {"statcode": json_values | st.just("GM0363"), "statnaam": json_values}),
)
def test_any_json_in_a_feature_gives_a_result_not_an_exception(geometry, properties):
    document = {"type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": properties, "geometry": geometry}]}

    result = services.import_boundaries(None, json.dumps(document).encode())

    assert result.ok or result.error
    assert result.ok == Area.objects.exists()
    Area.objects.all().delete()


# The command


@pytest.mark.django_db
def test_command_imports_several_files_in_any_order(write_file, capsys):
    buurten = write_file("buurten.geojson", collection(*NEIGHBOURHOODS))
    wijken = write_file("wijken.geojson", collection(*DISTRICTS))
    gemeenten = write_file("gemeenten.geojson", collection(MUNICIPALITY))

    call_command("import_areas", str(buurten), str(wijken), str(gemeenten))

    assert "7" in capsys.readouterr().out
    assert Area.objects.count() == 7
    assert Area.objects.get(code="BU03630000").parent.parent.code == "GM0363"


@pytest.mark.django_db
def test_command_prints_every_problem_and_exits_non_zero(write_file, capsys, monkeypatch):
    # run_from_argv is what manage.py calls; it closes the connections the test still needs.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    good = write_file("gemeenten.geojson", collection(MUNICIPALITY))
    bad = write_file("wijken.geojson", collection(
        feature("WK03630", "Centrum", polygon(4.8, 52.3, 4.9, 52.4)),
        feature("WK036301", "", polygon(4.9, 52.3, 5.0, 52.4)),
    ))

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "import_areas", str(good), str(bad)])

    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "wijken.geojson" in err and "WK03630" in err and "WK036301" in err
    assert "Traceback" not in err
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_file_that_does_not_exist(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_areas", str(tmp_path / "nothing.geojson"))

    assert "nothing.geojson" in capsys.readouterr().err


# The web page


@pytest.mark.django_db
def test_administrator_uploads_a_good_file_and_sees_the_areas(staff_client):
    client, _admin = staff_client("administrator")
    upload = SimpleUploadedFile("wijkbuurtkaart.geojson", geojson_bytes(collection(*ALL_FEATURES)),
                                content_type="application/geo+json")

    response = client.post(reverse("staff:area_import"), {"file": upload}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("staff:area_list")
    assert Area.objects.count() == 7
    page = response.content.decode()
    assert "Amsterdam" in page
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "7" in messages[0]
    assert messages[0].startswith("Import klaar")  # the page speaks Dutch


@pytest.mark.django_db
@pytest.mark.parametrize("content", [
    b"this is not json",
    geojson_bytes(collection(MUNICIPALITY, feature("WK0363", "Centrum", None))),
])
def test_administrator_uploads_a_bad_file_and_gets_the_reason(staff_client, content):
    client, _admin = staff_client("administrator")
    upload = SimpleUploadedFile("kaart.geojson", content, content_type="application/json")

    response = client.post(reverse("staff:area_import"), {"file": upload})

    assert response.status_code == 400
    error = response.context["form"].errors["file"][0]
    assert error
    assert error in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert error.startswith("Er is niets geïmporteerd")  # the page speaks Dutch
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_only_administrators_may_import(staff_client):
    client, _user = staff_client("coordinator")
    upload = SimpleUploadedFile("kaart.geojson", geojson_bytes(collection(MUNICIPALITY)))

    response = client.post(reverse("staff:area_import"), {"file": upload})

    assert response.status_code == 403
    assert not Area.objects.exists()
