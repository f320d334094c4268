"""Omzien's JSON API at /api/v1/, and the conventions every app's api.py follows.

The conventions come from the Dutch API Design Rules (Logius) where they apply: JSON, plural
nouns in lowercase-hyphenated paths without a trailing slash, no personal data in URLs (a location
goes in a POST body), the API-Version header on every response, and the OpenAPI 3 document generated
from this code at /api/v1/schema/ (and /api/v1/openapi.json). Every error, whatever raised it, is an
RFC 9457 problem+json body with a title and detail in the user's language; bad input is a 4xx,
never a 500. Staff endpoints use the Django session (with CSRF) and the same permissions as the
staff pages: see require_staff_perm.
"""

import logging
from functools import wraps
from typing import Annotated

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import AfterValidator, ConfigDict, create_model

from omzien.core.permissions import has_perm, requires_two_factor

logger = logging.getLogger(__name__)

API_VERSION = "1.0.0"
PROBLEM_CONTENT_TYPE = "application/problem+json"
MAX_ID = 2**63 - 1  # the largest primary key; larger numbers would overflow the database
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


# --- Problem details (RFC 9457) -----------------------------------------------------------------

TITLES = {
    400: gettext_lazy("Your request is not correct"),
    401: gettext_lazy("You are not logged in"),
    403: gettext_lazy("You are not allowed to do this"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("This method is not allowed here"),
    413: gettext_lazy("Your request is too large"),
    500: gettext_lazy("Something went wrong on our side"),
}
DETAILS = {
    400: gettext_lazy("Check your request and try again."),
    401: gettext_lazy("Log in as a staff member to use this part of the API."),
    403: gettext_lazy("Your role does not allow this. Ask your administrator if you need it."),
    404: gettext_lazy("There is nothing at this address. Check the address and the code in it."),
    405: gettext_lazy("This address does not support this method. See the API description."),
    413: gettext_lazy("Send less data at once."),
    500: gettext_lazy("This is not your fault. Please try again later. If it keeps happening, "
                      "contact the municipality."),
}
# Messages django-ninja raises in English, and what we tell the user instead.
NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy(
        "The request body is not valid JSON. Send one JSON object."
    ),
    "CSRF check Failed": gettext_lazy(
        "The security check failed. Reload the page and try again."
    ),
}


class InvalidParam(Schema):
    name: str = Field(description="The field or parameter, as a dotted path.")
    reason: str = Field(description="What is wrong with it, in the user's language.")


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str = Field("about:blank", description="Always about:blank: the status says it all.")
    title: str = Field(description="A short summary of the problem, in the user's language.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong and what to do, in the user's language.")
    instance: str = Field(description="The path of the request.")
    invalid_params: list[InvalidParam] | None = Field(
        None, alias="invalid-params", description="For bad input: each wrong field and why."
    )


def problem_response(request, status, detail=None, title=None, invalid_params=None):
    body = {
        "type": "about:blank",
        "title": str(title or TITLES.get(status, TITLES[400 if status < 500 else 500])),
        "status": status,
        "detail": str(detail or DETAILS.get(status, DETAILS[400 if status < 500 else 500])),
        "instance": request.path,
    }
    if invalid_params:
        body["invalid-params"] = invalid_params
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


class InvalidInput(Exception):
    """Bad input found after parsing, e.g. by a Django form: a 400 with invalid-params.
    `errors` maps a field name to a list of messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors

    @classmethod
    def from_form(cls, form, renames=None):
        renames = renames or {}
        return cls({renames.get(field, field): list(messages)
                    for field, messages in form.errors.items()})


# Reasons for pydantic's error types; %(name)s is filled from the error's context.
REASONS = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is unknown. Leave it out."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_short": gettext_lazy("Use at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Use at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("This value does not have the right form."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_type": gettext_lazy("Enter a number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "finite_number": gettext_lazy("Enter an ordinary number."),
    "greater_than_equal": gettext_lazy("Enter a number of at least %(ge)s."),
    "greater_than": gettext_lazy("Enter a number greater than %(gt)s."),
    "less_than_equal": gettext_lazy("Enter a number of at most %(le)s."),
    "less_than": gettext_lazy("Enter a number smaller than %(lt)s."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "literal_error": gettext_lazy("Choose one of these values: %(expected)s."),
    "enum": gettext_lazy("Choose one of these values: %(expected)s."),
    "list_type": gettext_lazy("Enter a list."),
    "too_long": gettext_lazy("Give at most %(max_length)s items."),
    "model_type": gettext_lazy("Send a JSON object."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
}


def _reason(error):
    context = dict(error.get("ctx") or {})
    if error["type"] == "value_error" and "error" in context:
        return str(context["error"])  # our own validators raise translated messages
    if "expected" in context:  # pydantic lists choices as "'a', 'b' or 'c'"
        context["expected"] = str(context["expected"]).replace(" or ", ", ")
    message = str(REASONS.get(error["type"], gettext_lazy("This value is not correct.")))
    try:
        return message % context
    except (KeyError, TypeError, ValueError):
        return message


def _param_name(loc):
    # ninja's loc is (source, [body parameter,] field, ...); clients know only the field path.
    parts = list(loc[2:] if loc and loc[0] == "body" else loc[1:])
    return ".".join(str(part) for part in parts) or "body"


def _validation_problem(request, exc):
    return problem_response(
        request, 400,
        detail=_("Some values are not correct. The list invalid-params says what to change."),
        invalid_params=[{"name": _param_name(e["loc"]), "reason": _reason(e)} for e in exc.errors],
    )


def _invalid_input_problem(request, exc):
    return problem_response(
        request, 400,
        detail=_("Some values are not correct. The list invalid-params says what to change."),
        invalid_params=[{"name": name, "reason": str(message)}
                        for name, messages in exc.errors.items() for message in messages],
    )


def _http_error_problem(request, exc):
    message = str(exc.message)
    for english, translated in NINJA_MESSAGES.items():
        if message.startswith(english):
            return problem_response(request, exc.status_code, detail=translated)
    if isinstance(exc, AuthenticationError) or message in {"Unauthorized", "Forbidden"}:
        return problem_response(request, exc.status_code)
    return problem_response(request, exc.status_code, detail=message)


def _django_validation_problem(request, exc):
    return problem_response(request, 400, detail=" ".join(exc.messages))


def _unexpected_problem(request, exc):
    logger.exception("Unexpected error in API request %s %s", request.method, request.path)
    return problem_response(request, 500)


# --- Input types every app uses -----------------------------------------------------------------

def _check_text(value):
    # PostgreSQL refuses NUL characters and lone surrogates: answer with a 400, not a 500.
    if "\x00" in value:
        raise ValueError(_("Remove the invisible control character (NUL)."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("This text contains characters that are not allowed.")) from None
    return value


class _NoNulPattern:
    """Says in the OpenAPI document what _check_text refuses (a Field() here would make every
    parameter of this type required)."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        return {**handler(core_schema), "pattern": "^[^\\x00]*$"}


# A string that the database can store.
Text = Annotated[str, AfterValidator(_check_text), _NoNulPattern]
# A primary key in the path, e.g. /organisations/{id}.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class Input(Schema):
    """The base of request bodies: unknown fields and loosely typed values ("5" for 5, 0 for
    false) are refused, so a client's mistake never passes unnoticed."""

    model_config = ConfigDict(extra="forbid", strict=True)


# --- Pagination --------------------------------------------------------------------------------

class PageBase(Schema):
    count: int = Field(description="How many results there are on all pages together.")
    page: int = Field(description="The number of this page, from 1.")
    page_size: int = Field(description="The most results a page holds.")


def page_of(item_schema):
    """The response schema of a page of `item_schema`s."""
    return create_model(
        f"{item_schema.__name__}Page", __base__=PageBase, results=(list[item_schema], ...)
    )


# Query parameters. Their defaults go inside Query(): django-ninja ignores a Python default when
# the Annotated type holds more than one extra (as Text and AreaCode do), so do it always.
Page = Annotated[int, Query(1, ge=1, le=MAX_PAGE, description="Which page, from 1.")]
PageSize = Annotated[
    int, Query(25, ge=1, le=MAX_PAGE_SIZE, description="How many results per page (at most 100).")
]


def paginate(queryset, page, page_size, to_dict):
    """One page of `queryset` as a page_of() body; a page after the last one is empty."""
    start = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "results": [to_dict(obj) for obj in queryset[start:start + page_size]],
    }


# --- Staff access ------------------------------------------------------------------------------

def require_staff_perm(request, perm, organisation=None):
    """The API's version of access.staff_view: two-factor verified where the role needs it, and
    holding `perm` (for scoped roles: on `organisation`). Authentication itself is the
    operation's `auth=django_auth`, which answers 401."""
    user = request.user
    if requires_two_factor(user) and not user.is_verified():
        raise HttpError(403, _("Log in with two-factor authentication first, then try again."))
    if not has_perm(user, perm, organisation):
        raise PermissionDenied


# --- The API and its OpenAPI document ----------------------------------------------------------

def _problem_schema_components():
    schema = Problem.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    components = schema.pop("$defs", {})
    components["Problem"] = schema
    return components


def _problem_response_doc(description):
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


API_VERSION_HEADER_DOC = {
    "description": "The full version of the API (Dutch API Design Rules, API-57).",
    "schema": {"type": "string", "example": API_VERSION},
}


class OmzienAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        # Module paths are an implementation detail; view names are unique across the API.
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(
            _problem_schema_components()
        )
        for route, item in schema["paths"].items():
            for operation in item.values():
                responses = operation["responses"]
                errors = {400: "The request is not correct; see invalid-params."}
                if operation.get("security"):
                    errors[401] = "Not logged in."
                    errors[403] = "Logged in, but not allowed (or not past two-factor)."
                if "{" in route:
                    errors[404] = "There is nothing with this code or number."
                for status, description in errors.items():
                    responses.setdefault(status, _problem_response_doc(description))
                for status, response in responses.items():
                    if int(status) >= 400:  # declared in the code as response={404: Problem}
                        response["content"] = _problem_response_doc("")["content"]
                for response in responses.values():
                    response.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER_DOC
        return schema


api = OmzienAPI(
    title="Omzien API",
    version=API_VERSION,
    description=(
        "The public JSON API of Omzien: areas (gemeenten, wijken, buurten), organisations, and "
        "for staff the audit log. Errors are RFC 9457 problem details "
        "(application/problem+json) in the language of Accept-Language (Dutch by default). "
        "Staff endpoints use the session of the staff pages and need its CSRF token."
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url=None,  # no Swagger UI: it needs scripts from a CDN, which the CSP forbids
)

api.add_exception_handler(ValidationError, _validation_problem)
api.add_exception_handler(InvalidInput, _invalid_input_problem)
api.add_exception_handler(HttpError, _http_error_problem)
api.add_exception_handler(Http404, lambda request, exc: problem_response(request, 404))
api.add_exception_handler(ObjectDoesNotExist, lambda request, exc: problem_response(request, 404))
api.add_exception_handler(PermissionDenied, lambda request, exc: problem_response(request, 403))
api.add_exception_handler(DjangoValidationError, _django_validation_problem)
api.add_exception_handler(RequestDataTooBig, lambda request, exc: problem_response(request, 413))
api.add_exception_handler(SuspiciousOperation, lambda request, exc: problem_response(request, 400))
api.add_exception_handler(Exception, _unexpected_problem)


def _register_routers():
    from omzien.core.api import router as core_router

    api.add_router("/", core_router)


_register_routers()


# --- URLs --------------------------------------------------------------------------------------

def _with_conventions(view):
    """Around every API URL: the API-Version header, and problem+json for the errors that
    django-ninja answers outside its exception handlers (405, the root URL's 404)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = problem_response(request, 404)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            allow = response.get("Allow", "")
            response = problem_response(request, 405)
            response["Allow"] = allow
        response["API-Version"] = API_VERSION
        return response

    return wrapped


def unknown_path(request, *args, **kwargs):
    return problem_response(request, 404)


def _urls():
    patterns, app_name, namespace = api.urls
    schema_view = None
    for pattern in patterns:
        pattern.callback = _with_conventions(pattern.callback)
        if pattern.name == "openapi-json":
            schema_view = pattern.callback
    patterns += [
        path("openapi.json", schema_view, name="openapi"),  # the standard place (API-51)
        re_path(r"", _with_conventions(unknown_path), name="unknown"),
    ]
    return patterns, app_name, namespace


# Included by omzien/urls.py at api/v1/.
api_urls = _urls()
