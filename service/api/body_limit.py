"""Reject request bodies over the configured size with 413: uvicorn sets no limit of its own."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import error_bytes

log = logging.getLogger("lokerwatch.api")


class BodySizeLimitMiddleware:
    """Counts body bytes as they arrive, so a chunked upload cannot slip past a Content-Length check.

    When a body without a declared length grows past the limit, the 413 is sent at once and the app is told
    the client went away: whatever it answers to that (FastAPI: a 400 for a body it could not read) is
    dropped, so the caller always sees the 413.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._reject(send)
            return
        received = 0
        response_started = False
        rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    rejected = True
                    if not response_started:
                        await self._reject(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if rejected:
                return  # the 413 has been answered; the app's reply to the "disconnect" goes nowhere
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not rejected:
                raise
            log.debug("the app failed on a body cut off at the limit; the 413 was answered", exc_info=True)

    async def _reject(self, send: Send) -> None:
        body = error_bytes(413, f"request body is larger than the limit of {self.max_body_bytes} bytes "
                                "(LOKERWATCH_MAX_BODY_BYTES); send a smaller file or split it")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
