"""The core JSON API: areas, organisations and (for administrators) the audit log.

Reads are public except the audit log. Changes to organisations are for staff, through the same
form, service and permissions as the staff pages.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import AfterValidator, ConfigDict, WithJsonSchema

from omzien.api import (
    Id,
    Input,
    InvalidInput,
    Page,
    PageSize,
    Problem,
    Text,
    page_of,
    paginate,
    require_staff_perm,
)

from . import queries, services
from .forms import OrganisationForm
from .models import Area, AuditEvent, Organisation, area_kind_for_code
from .permissions import Perm

router = Router()

AREA_CODE_REGEX = r"^(GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|BU[0-9]{4}[0-9A-Z]{4})$"


def _check_area_code(value):
    try:
        area_kind_for_code(value)
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from None
    return value


AreaCode = Annotated[
    str,
    AfterValidator(_check_area_code),
    WithJsonSchema({
        "type": "string", "pattern": AREA_CODE_REGEX, "examples": ["GM0363", "BU03630000"],
        "description": "A CBS area code: GM (gemeente), WK (wijk) or BU (buurt) and digits.",
    }),
]
AreaKind = Literal["municipality", "district", "neighbourhood"]
Sector = Literal[tuple(Organisation.Sector.values)]


# --- Areas -------------------------------------------------------------------------------------

class AreaOut(Schema):
    code: str = Field(examples=["BU03630000"])
    kind: AreaKind
    name: str
    parent_code: str | None = Field(description="The code of the wijk or gemeente it is part of.")
    population: int | None
    population_65_plus: int | None
    households_single: int | None
    boundary: dict[str, Any] | None = Field(
        None, description="GeoJSON geometry (WGS84); only with ?include=boundary."
    )


class Point(Input):
    """A location in WGS84, the coordinates of GPS and web maps."""

    lon: float = Field(ge=-180, le=180, allow_inf_nan=False, description="Longitude (WGS84).")
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, description="Latitude (WGS84).")


Include = Annotated[
    Literal["boundary"], Query(None, description="include=boundary adds the GeoJSON boundary.")
]


def area_to_dict(area, with_boundary=False):
    data = {
        "code": area.code,
        "kind": area.kind,
        "name": area.name,
        "parent_code": area.parent.code if area.parent_id else None,
        "population": area.population,
        "population_65_plus": area.population_65_plus,
        "households_single": area.households_single,
    }
    if with_boundary:
        data["boundary"] = area.boundary
    return data


def _areas(include):
    areas = Area.objects.select_related("parent").order_by("code")
    return areas if include == "boundary" else areas.defer("boundary", "parent__boundary")


@router.get("/areas", response=page_of(AreaOut), exclude_unset=True, tags=["areas"])
def list_areas(
    request,
    kind: Annotated[AreaKind, Query(None)],
    parent: Annotated[AreaCode, Query(None, description="Only areas within this one.")],
    include: Include,
    page: Page,
    page_size: PageSize,
):
    """Gemeenten, wijken and buurten, by code; filter by kind and by the code of the parent."""
    areas = _areas(include)
    if kind:
        areas = areas.filter(kind=kind)
    if parent:
        areas = areas.filter(parent__code=parent)
    return paginate(areas, page, page_size, lambda a: area_to_dict(a, include == "boundary"))


# Before /areas/{code}, which would otherwise match /areas/locate first.
@router.post(
    "/areas/locate", response={200: AreaOut, 404: Problem}, exclude_unset=True, tags=["areas"]
)
def locate_area(request, point: Point, include: Include):
    """The buurt that contains a point. A POST, so that a resident's location never ends up in
    a URL or an access log."""
    area = queries.area_for_point(point.lon, point.lat, kind=Area.Kind.NEIGHBOURHOOD)
    if area is None:
        raise HttpError(404, _("There is no neighbourhood in Omzien at this location."))
    return area_to_dict(get_object_or_404(_areas(include), pk=area.pk), include == "boundary")


@router.get("/areas/{code}", response=AreaOut, exclude_unset=True, tags=["areas"])
def get_area(request, code: Annotated[AreaCode, Path()], include: Include):
    """One area by its CBS code."""
    return area_to_dict(get_object_or_404(_areas(include), code=code), include == "boundary")


# --- Organisations -----------------------------------------------------------------------------

class OrganisationOut(Schema):
    id: int
    name: str
    sector: Sector
    description: str
    email: str
    phone: str
    website: str
    street_address: str
    postcode: str
    city: str
    area_codes: list[str] = Field(description="Codes of the areas it works in.")
    is_active: bool


class OrganisationIn(Input):
    """An organisation's own details; never those of its staff."""

    name: Annotated[Text, Field(min_length=1, max_length=200)]
    sector: Sector
    description: Text = ""
    email: Annotated[Text, Field(max_length=254)] = ""
    phone: Annotated[Text, Field(max_length=30)] = ""
    website: Annotated[Text, Field(max_length=200)] = ""
    street_address: Annotated[Text, Field(max_length=200)] = ""
    postcode: Annotated[Text, Field(max_length=7)] = ""
    city: Annotated[Text, Field(max_length=100)] = ""
    area_codes: list[AreaCode] = Field(default=[], description="Codes of the areas it works in.")
    is_active: bool = True


def _no_null_defaults(schema):
    for field in schema.get("properties", {}).values():
        if field.get("default", "") is None:
            del field["default"]


class OrganisationPatch(Input):
    """Only the fields you send change."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    # Absent means "keep"; null is not allowed (the defaults below are never validated).
    name: Annotated[Text, Field(min_length=1, max_length=200)] = None
    sector: Sector = None
    description: Text = None
    email: Annotated[Text, Field(max_length=254)] = None
    phone: Annotated[Text, Field(max_length=30)] = None
    website: Annotated[Text, Field(max_length=200)] = None
    street_address: Annotated[Text, Field(max_length=200)] = None
    postcode: Annotated[Text, Field(max_length=7)] = None
    city: Annotated[Text, Field(max_length=100)] = None
    area_codes: list[AreaCode] = Field(None, description="Codes of the areas it works in.")
    is_active: bool = None


def organisation_to_dict(organisation):
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "sector": organisation.sector,
        "description": organisation.description,
        "email": organisation.email,
        "phone": organisation.phone,
        "website": organisation.website,
        "street_address": organisation.street_address,
        "postcode": organisation.postcode,
        "city": organisation.city,
        "area_codes": [area.code for area in organisation.areas.all()],
        "is_active": organisation.is_active,
    }


def _organisations():
    return Organisation.objects.prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("code").order_by("code"))
    )


@router.get("/organisations", response=page_of(OrganisationOut), tags=["organisations"])
def list_organisations(
    request,
    q: Annotated[Text, Query("", max_length=100, description="Words in the name or town.")],
    sector: Annotated[Sector, Query(None)],
    area: Annotated[AreaCode, Query(None, description="Only organisations working here.")],
    page: Page,
    page_size: PageSize,
):
    """Active organisations of the social map, by name."""
    organisations = queries.search_organisations(text=q, sector=sector or "").filter(
        is_active=True
    )
    if area:
        organisations = organisations.filter(areas__code=area)
    organisations = organisations.prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("code").order_by("code"))
    ).order_by("name", "pk")
    return paginate(organisations, page, page_size, organisation_to_dict)


@router.get("/organisations/{id}", response=OrganisationOut, tags=["organisations"])
def get_organisation(request, id: Id):
    """One active organisation."""
    return organisation_to_dict(get_object_or_404(_organisations(), pk=id, is_active=True))


def _save(request, organisation, data):
    """Validate with the staff pages' form (the same rules and messages) and save."""
    data = dict(data)
    if "area_codes" in data:
        codes = data.pop("area_codes")
        areas = dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in areas]
        if unknown:
            raise InvalidInput({"area_codes": [
                _("There is no area with code %(code)s.") % {"code": code} for code in unknown
            ]})
        data["areas"] = [areas[code] for code in codes]
    form = OrganisationForm(data=data, instance=organisation)
    if not form.is_valid():
        raise InvalidInput.from_form(form, renames={"areas": "area_codes"})
    saved = services.save_organisation(request.user, form)
    return organisation_to_dict(_organisations().get(pk=saved.pk))


@router.post(
    "/organisations", response={201: OrganisationOut}, auth=django_auth, tags=["organisations"]
)
def create_organisation(request, response: HttpResponse, organisation: OrganisationIn):
    """Add an organisation (coordinators and administrators)."""
    require_staff_perm(request, Perm.CREATE_ORGANISATION)
    data = _save(request, Organisation(), organisation.model_dump())
    response["Location"] = reverse("api:get_organisation", kwargs={"id": data["id"]})
    return Status(201, data)


@router.patch(
    "/organisations/{id}", response=OrganisationOut, auth=django_auth, tags=["organisations"]
)
def update_organisation(request, id: Id, changes: OrganisationPatch):
    """Change an organisation (providers only their own)."""
    organisation = get_object_or_404(Organisation, pk=id)
    require_staff_perm(request, Perm.EDIT_ORGANISATION, organisation)
    current = model_to_dict(organisation, fields=OrganisationForm._meta.fields)
    current["areas"] = [area.pk for area in current["areas"]]
    return _save(request, organisation, {**current, **changes.model_dump(exclude_unset=True)})


# --- Audit log ---------------------------------------------------------------------------------

class AuditEventOut(Schema):
    id: int
    timestamp: datetime
    username: str
    action: Literal[tuple(AuditEvent.Action.values)]
    object_type: str
    object_id: str
    object_repr: str
    detail: dict[str, Any]


def audit_event_to_dict(event):
    return {
        "id": event.pk,
        "timestamp": event.timestamp,
        "username": event.username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "detail": event.detail if isinstance(event.detail, dict) else {"value": event.detail},
    }


@router.get(
    "/audit-events", response=page_of(AuditEventOut), auth=django_auth, tags=["audit-events"]
)
def list_audit_events(
    request,
    object_type: Annotated[Text, Query(
        "", max_length=100, description="Only events about one type, e.g. core.Organisation."
    )],
    page: Page,
    page_size: PageSize,
):
    """The audit log, newest first (administrators)."""
    require_staff_perm(request, Perm.VIEW_AUDIT_LOG)
    events = AuditEvent.objects.all()
    if object_type:
        events = events.filter(object_type=object_type)
    return paginate(events, page, page_size, audit_event_to_dict)
