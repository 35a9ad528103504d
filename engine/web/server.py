"""Serving the app: a socket bound before anything is printed, uvicorn on it, slow and idle clients dropped.

What uvicorn is told (``serve`` has no option for most of it; the numbers are here):

* a request's header and body must arrive within :data:`REQUEST_TIMEOUT` seconds of its first
  byte (of the connection opening, for the first request), else the connection is closed
  (:class:`TimedProtocol`; uvicorn alone waits for the rest of a header for ever);
* an idle kept-alive connection is closed after :data:`KEEP_ALIVE` seconds (uvicorn's
  ``timeout_keep_alive``; a reverse proxy in front keeps its idle connections for less,
  ``docs/deploy/Caddyfile``);
* at most :data:`MAX_CONNECTIONS` connections and requests at once: past it a request gets
  503 (``limit_concurrency``), rather than the process running out of file descriptors;
* a request's header is at most :data:`MAX_HEADER` bytes (``h11_max_incomplete_event_size``,
  h11's own default made explicit): past it, 400.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_TIMEOUT = 15.0
KEEP_ALIVE = 5
MAX_CONNECTIONS = 256
MAX_HEADER = 16 * 1024


class TimedProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request does not arrive in :attr:`timeout` seconds.

    The clock starts when the connection opens, and again at the first byte of each further
    request on it; it stops once the request's header and body have arrived (the app may take
    as long as it needs to answer). Between requests uvicorn's keep-alive timeout applies.
    """

    timeout = REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.deadline: asyncio.TimerHandle | None = None
        self.arm()

    def data_received(self, data: bytes) -> None:
        if self.deadline is None and self.conn.their_state is h11.IDLE:
            self.arm()  # the first byte of a further request
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self.disarm()  # the whole request is in (or the connection is over)

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        super().connection_lost(exc)

    def arm(self) -> None:
        self.disarm()
        self.deadline = self.loop.call_later(self.timeout, self.too_slow)

    def disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def too_slow(self) -> None:
        self.deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def bind(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``; OSError (``errno.EADDRINUSE`` when taken) if it cannot."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = sorted(found, key=lambda info: info[0] != socket.AF_INET)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def serve(app: ASGIApp, sock: socket.socket, *, request_timeout: float = REQUEST_TIMEOUT) -> None:
    """Run ``app`` on the listening ``sock`` until interrupted (proxy headers are the app's own concern)."""
    protocol = type("TimedProtocol", (TimedProtocol,), {"timeout": request_timeout})
    config = uvicorn.Config(
        app,
        http=protocol,
        log_level="warning",
        server_header=False,
        proxy_headers=False,  # create_app(proxies=...) believes them, from the given proxies only
        timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=MAX_CONNECTIONS,
        h11_max_incomplete_event_size=MAX_HEADER,
    )
    uvicorn.Server(config).run(sockets=[sock])


def reachable(host: str) -> list[str]:
    """The addresses of this computer that people on its networks can reach when it listens on ``host``.

    A wildcard (``0.0.0.0``, ``::``) is every address of this computer but loopback and
    link-local ones: found by asking the system which address it would send from (to a
    documentation address; nothing is sent) and what the computer's name resolves to.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return [host]
    if not address.is_unspecified:
        return [host]
    families = [socket.AF_INET] if address.version == 4 else [socket.AF_INET, socket.AF_INET6]
    found: list[str] = []
    for family in families:
        probe = "192.0.2.1" if family == socket.AF_INET else "2001:db8::1"
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))  # a datagram socket's connect sends nothing
                found.append(str(udp.getsockname()[0]))
        except OSError:
            pass
        try:
            infos: list[Any] = socket.getaddrinfo(socket.gethostname(), None, family, socket.SOCK_STREAM)
        except OSError:
            infos = []
        found += [str(info[4][0]) for info in infos]
    useful = []
    for each in found:
        parsed = ipaddress.ip_address(each.split("%", 1)[0])
        if not (parsed.is_loopback or parsed.is_link_local or parsed.is_unspecified) and each not in useful:
            useful.append(each)
    return useful
