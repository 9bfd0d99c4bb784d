"""One error shape for every error the API answers, and the handlers that give it.

Whatever refuses a request (an HTTPException, request validation, a domain `DeskError`, the body-size limit,
an id the store cannot hold, routing's 404/405), the answer is an `ErrorOut`: `detail`, one line saying what
went wrong and what to do; `type`, a stable code for scripts; `errors`, each problem with where it is
(`loc`), filled for invalid requests. The OpenAPI document names this schema for every error status
(`service.api.openapi_doc`), so the document and the answers cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import DeskError

# A stable machine-readable code per status; scripts branch on it rather than on the wording of `detail`.
ERROR_TYPES: dict[int, str] = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "body_too_large", 422: "invalid_request", 429: "too_many_requests",
    503: "unavailable",
}


class ErrorItem(BaseModel):
    """One problem with the request."""

    loc: list[str | int] = Field(description='Where: e.g. ["query", "until"] or ["body", "ad_ids", 0].')
    msg: str = Field(description="What is wrong there.")
    type: str = Field(description="The validator's code for the problem, e.g. datetime_parsing.")


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    detail: str = Field(description="What went wrong and what to do, in one line.")
    type: str = Field(description="A stable code: " + ", ".join(sorted(set(ERROR_TYPES.values()))) + ".")
    errors: list[ErrorItem] = Field(description="Each problem of an invalid request (empty for other errors).")


def error_type(status: int) -> str:
    return ERROR_TYPES.get(status, "client_error" if status < 500 else "server_error")


def error_body(status: int, detail: str, errors: Iterable[ErrorItem] = ()) -> dict[str, Any]:
    return ErrorOut(detail=detail, type=error_type(status), errors=list(errors)).model_dump(mode="json")


def error_bytes(status: int, detail: str) -> bytes:
    """The body of an error answered below FastAPI (in plain ASGI middleware)."""
    return json.dumps(error_body(status, detail)).encode()


def error_response(status: int, detail: str, errors: Iterable[ErrorItem] = (),
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, detail, errors), status_code=status, headers=dict(headers or {}))


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """HTTPException from routes and dependencies (401, 403, 404, 429, ...) and routing's own 404 and 405."""
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path; the resource allows every route's methods.
        headers["Allow"] = ", ".join(allowed_methods(request))
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
    if detail == _phrase(exc.status_code):
        detail = _plain_detail(request, exc.status_code, headers)
    return error_response(exc.status_code, detail, headers=headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with every problem listed, and the first ones said in `detail`."""
    assert isinstance(exc, RequestValidationError)
    items = [ErrorItem(loc=[part for part in error.get("loc", ()) if isinstance(part, str | int)],
                       msg=str(error.get("msg", "invalid value")), type=str(error.get("type", "value_error")))
             for error in exc.errors()]
    said = "; ".join(f"{'.'.join(str(part) for part in item.loc) or 'request'}: {item.msg}" for item in items[:3])
    more = f" (and {len(items) - 3} more)" if len(items) > 3 else ""
    return error_response(422, f"invalid request: {said}{more}", items)


async def desk_error(request: Request, exc: Exception) -> JSONResponse:
    """Domain errors become their 4xx with the message that says what to do; the session rolls back."""
    status = exc.http_status if isinstance(exc, DeskError) else 400
    return error_response(status, str(exc))


async def out_of_range(request: Request, exc: Exception) -> JSONResponse:
    """A number or value the store cannot hold (e.g. an id past 64 bits) is the caller's error, not a 500."""
    return error_response(422, "a value in the request is out of range for the store")


def install_error_handlers(app: FastAPI) -> None:
    """Install before anything that wraps the HTTPException handler (the desk keeps its pages for browsers)."""
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DeskError, desk_error)
    app.add_exception_handler(OverflowError, out_of_range)
    app.add_exception_handler(DataError, out_of_range)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this request's path."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        route_methods = getattr(route, "methods", None)
        path_regex = getattr(route, "path_regex", None)
        if route_methods and path_regex is not None and path_regex.match(request.url.path):
            methods.update(route_methods)
    return sorted(methods)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _plain_detail(request: Request, status: int, headers: Mapping[str, str]) -> str:
    """Starlette's bare phrases ("Not Found") said so a caller knows what to change."""
    if status == 404:
        return f"no such resource: {request.url.path}"
    if status == 405:
        return f"{request.method} is not allowed on {request.url.path}; allowed: {headers.get('Allow', 'none')}"
    return _phrase(status) or f"HTTP {status}"
