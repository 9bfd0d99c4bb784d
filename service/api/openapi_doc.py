"""The OpenAPI document tells the truth about errors: every status a route can answer, each as an `ErrorOut`.

FastAPI documents only a 422 (in a shape the API no longer answers) and what a route names itself. The
statuses that follow from how a route is built are added here, from the route itself, so a new route is
documented the moment it exists: its role policy (401, 403), its inputs (422), its body (400, 413), its
path parameters (404). Statuses a route declares (`responses=`) keep their description and get the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from service.api.errors import ErrorOut
from service.auth.dependencies import Endpoint, route_policy
from service.auth.roles import ALL_ROLES

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_DESCRIPTIONS = {
    "400": "Bad request: a body the API cannot read (not UTF-8 text, a broken form)",
    "401": "Not authenticated: no bearer token, or one that is invalid, expired or revoked",
    "403": "Forbidden: the caller's role may not do this",
    "404": "Not found",
    "413": "Request body larger than LOKERWATCH_MAX_BODY_BYTES",
    "422": "Invalid request: each problem is listed in `errors`",
}
_UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError")


def install_openapi(app: FastAPI) -> None:
    """Wrap the app's document builder so the document carries the error statuses."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            document_errors(document, app)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise the document


def document_errors(document: dict[str, Any], app: FastAPI) -> None:
    """Add the error statuses of every operation of `document` served by `app`, all as `ErrorOut`."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorOut"] = error_schema
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        operations = document.get("paths", {}).get(getattr(route, "path", ""), {})
        if not isinstance(dependant, Dependant):
            continue
        for method in getattr(route, "methods", None) or ():
            operation = operations.get(method.lower())
            if operation is not None:
                _document_operation(operation, Endpoint(method, str(route.path), dependant))
    for name in _UNUSED_SCHEMAS:
        schemas.pop(name, None)


def _document_operation(operation: dict[str, Any], endpoint: Endpoint) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in _error_statuses(operation, endpoint):
        declared = responses.get(status, {})
        description = declared.get("description")
        if status == "422" and description and description != "Validation Error":
            description = f"{_DESCRIPTIONS['422']}; or {description}"
        elif not description or description == "Validation Error":
            description = _DESCRIPTIONS.get(status, "Error")
        responses[status] = {**declared, "description": description,
                             "content": {"application/json": {"schema": ERROR_REF}}}


def _error_statuses(operation: dict[str, Any], endpoint: Endpoint) -> list[str]:
    statuses = {status for status in operation.get("responses", {}) if status.startswith(("4", "5"))}
    policy = route_policy(endpoint)
    if policy != "public":
        statuses.add("401")
        if policy is None or policy != ALL_ROLES:
            statuses.add("403")
    parameters = operation.get("parameters", [])
    if parameters or "requestBody" in operation:
        statuses.add("422")
    if "requestBody" in operation:
        # FastAPI answers 400 for a body it cannot read at all (bytes that are not UTF-8, a broken form);
        # JSON that reads but does not parse is a 422.
        statuses.update({"400", "413"})
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.add("404")
    return sorted(statuses)
