"""The checks around the app on every request: the host, body size, the origin of POSTs, security headers.

Also :func:`client_ip`, the address a request came from: a trusted proxy's client (``serve
--proxy``), else the connection's peer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, cast

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from ..surveys.values import whole_number

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
        b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
"""The policy of a self-contained report shown in the browser: its inline styles and pictures, and no script at
all (a report has none), no form, no request to anywhere."""
HSTS = (b"strict-transport-security", b"max-age=31536000")
"""Sent when the app is served over HTTPS: browsers then refuse plain HTTP to it for a year."""


def client_ip(request: Request | Scope) -> str:
    """The address of whoever sent ``request`` (or an ASGI scope): a trusted proxy's client, else the peer.

    uvicorn's ProxyHeadersMiddleware (:func:`behind_proxies`, outermost in :func:`.app.create_app`)
    has replaced the peer by the ``X-Forwarded-For`` client only when the peer is one of the
    proxies; from anyone else the header is ignored.
    """
    client = request.get("client")
    return str(client[0]) if client else "unknown"


def behind_proxies(app: ASGIApp, proxies: Collection[str]) -> ASGIApp:
    """``app`` believing the ``X-Forwarded-For`` and ``X-Forwarded-Proto`` of ``proxies`` (addresses, networks) only.

    uvicorn's ProxyHeadersMiddleware: a request from one of them gets the client and scheme the
    headers give (the right-most address that is not a proxy); from anyone else they are ignored.
    """
    if not proxies:
        return app
    return cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=list(proxies)))


def host_name(header: str) -> str:
    """The host of a ``Host`` header, lowercase, without its port or brackets (``[::1]:8000`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else header
    return (header.rsplit(":", 1)[0] if header.count(":") == 1 else header).rstrip(".")


class Guard:
    """ASGI middleware: allowed hosts, bodies limited in size, POSTs only from this origin, security headers.

    ``hsts``: the app is served over HTTPS, and says so (:data:`HSTS`). ``hosts``: the names a
    request's ``Host`` header may give; a request naming another gets 400 (a page reached through a
    name the server does not answer to, as in DNS rebinding, is refused). None lets any through.
    """

    def __init__(
        self, app: ASGIApp, max_body: int, *, hosts: Collection[str] | None = None, hsts: bool = False
    ) -> None:
        self.app, self.max_body = app, max_body
        self.hosts = None if hosts is None else frozenset(host_name(host) for host in hosts)
        self.headers = SECURITY_HEADERS + ([HSTS] if hsts else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        if self.hosts is not None and host_name(headers.get("host", "")) not in self.hosts:
            await self.plain(send, 400, "This server does not answer to the address in the request's Host header.")
            return
        length = headers.get("content-length", "")
        size = whole_number(length)  # ASCII digits only: "²" or "٤" is no length
        if length and (size is None or size > self.max_body):
            await self.plain(send, 413, "The request is too large.")
            return
        if scope["method"] not in ("GET", "HEAD") and not _same_origin(headers):
            await self.plain(send, 403, "Forms are accepted only from this app's own pages.")
            return
        if scope["method"] not in ("GET", "HEAD"):
            # Read the whole body first (it is small), refusing it once past the limit.
            body = b""
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.max_body:
                    await self.plain(send, 413, "The request is too large.")
                    return
            replayed = False

            async def buffered() -> Message:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}

            receive = buffered

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", []))
                # A response with a policy of its own (a report shown in the browser) keeps it instead.
                has_policy = any(key.lower() == SECURITY_HEADERS[0][0] for key, _ in own)
                message["headers"] = own + [h for h in self.headers if not (has_policy and h is SECURITY_HEADERS[0])]
            await send(message)

        await self.app(scope, receive, secured)

    async def plain(self, send: Callable[[Message], Awaitable[None]], status: int, text: str) -> None:
        body = text.encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ]
                + self.headers,
            }
        )
        await send({"type": "http.response.body", "body": body})


def _same_origin(headers: Mapping[str, str]) -> bool:
    """A POST carrying an Origin header must come from the host it is sent to."""
    origin = headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1] == headers.get("host", "")
