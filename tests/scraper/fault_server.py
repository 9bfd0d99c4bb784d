"""A real HTTP server on 127.0.0.1 that misbehaves on request: the fetcher is tested against it, not a mock.

Each route is a list of `Reply`s served in turn (the last one repeats), so "500, 500, then 200" or
"429 with Retry-After, then 200" is one line in a test. Every request is logged with its headers and
the time the server read it, so tests can assert on pacing as the server sees it, on conditional headers
and on the User-Agent. `new_connection_delay` plays a slow handshake (a far-away TLS server): the first
request on each new connection is read that long after the client sent it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One response, possibly a broken one."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_before_headers: float = 0.0  # a server that hangs before answering
    trickle_interval: float | None = None  # send the body one byte at a time
    truncate_to: int | None = None  # announce the full length, send only this many bytes, close
    chunked_without_length: bool = False  # no Content-Length: the client only sees the size as it reads
    etag: str | None = None  # answer 304 when the request's If-None-Match matches


@dataclass
class LoggedRequest:
    path: str
    headers: dict[str, str]
    at: float


class FaultServer:
    """Routes keyed by path with query (e.g. "/s/loker?before=10"); unknown paths get 404."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.hold_paths: set[str] = set()  # requests to these wait until `release()`
        self.new_connection_delay = 0.0  # seconds before the first request of a new connection is read
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self.routes[path] = list(replies)

    def requests_to(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    def release(self) -> None:
        self._release.set()

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, path: str) -> Reply | None:
        with self._lock:
            self.log.append(LoggedRequest(path, {}, time.monotonic()))
            replies = self.routes.get(path)
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in separate writes; don't wait 40 ms

            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                return

            def handle(self) -> None:
                if server.new_connection_delay:
                    time.sleep(server.new_connection_delay)  # the handshake: later requests reuse the connection
                try:
                    super().handle()
                except (ConnectionResetError, BrokenPipeError):
                    return  # the client closed a kept-alive connection it no longer needed: not a server fault

            def do_GET(self) -> None:
                reply = server._next_reply(self.path)
                with server._lock:
                    server.log[-1].headers = {k.lower(): v for k, v in self.headers.items()}
                if self.path in server.hold_paths:
                    server._release.wait(timeout=30)
                if reply is None:
                    self._send(Reply(404, b"not found"))
                    return
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.delay_before_headers:
                    time.sleep(reply.delay_before_headers)
                if reply.etag and self.headers.get("If-None-Match") == reply.etag:
                    self.send_response(304)
                    self.send_header("ETag", reply.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                if reply.etag:
                    headers["ETag"] = reply.etag
                for name, value in headers.items():
                    self.send_header(name, value)
                if reply.chunked_without_length:
                    self.send_header("Connection", "close")
                else:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                body = reply.body if reply.truncate_to is None else reply.body[: reply.truncate_to]
                try:
                    if reply.trickle_interval is not None:
                        for i in range(min(len(body), 600)):  # bounded even if nobody hangs up
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle_interval)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return
                if reply.truncate_to is not None or reply.chunked_without_length:
                    self.close_connection = True

        return Handler


@contextmanager
def running_server() -> Iterator[FaultServer]:
    server = FaultServer().start()
    try:
        yield server
    finally:
        server.stop()
