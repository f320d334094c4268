"""Property-based check of the public API against its own OpenAPI document: whatever a client
sends (valid or not), the answer is never a 5xx and always matches the document."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from omzien.core.models import Area
from tests.conftest import make_organisation

app = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
schema.config.generation.update(max_examples=25, deterministic=True)
# The staff endpoints are covered by test_api.py; here every endpoint anyone can call.
public = schema.exclude(func=lambda ctx: bool(ctx.operation.definition.raw.get("security")))


@pytest.fixture
def api_data(db):
    gemeente = Area.objects.create(code="GM0999", kind="municipality", name="Omzienstad")
    Area.objects.create(code="WK099901", kind="district", name="Centrum", parent=gemeente,
                        min_lon=4.9, min_lat=51.9, max_lon=5.1, max_lat=52.1,
                        boundary={"type": "Polygon", "coordinates": [[
                            [4.9, 51.9], [5.1, 51.9], [5.1, 52.1], [4.9, 52.1], [4.9, 51.9]]]})
    organisation = make_organisation(name="De Brug", city="Omzienstad")
    organisation.areas.set([gemeente])


@pytest.fixture
def in_test_transaction():
    """Django closes the database connection after each request, which would end the test's
    transaction; its test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@public.parametrize()
@settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)
def test_public_api_matches_its_openapi_document(case, api_data, in_test_transaction):
    case.call_and_validate()
