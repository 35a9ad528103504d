"""The checks around the app on every request: body size, the origin of POSTs, security headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class Guard:
    """ASGI middleware: request bodies limited in size, POSTs only from this origin, security headers."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        length = headers.get("content-length", "")
        size = whole_number(length)  # ASCII digits only: "²" or "٤" is no length
        if length and (size is None or size > self.max_body):
            await _plain(send, 413, "The request is too large.")
            return
        if scope["method"] not in ("GET", "HEAD") and not _same_origin(headers):
            await _plain(send, 403, "Forms are accepted only from this app's own pages.")
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
                    await _plain(send, 413, "The request is too large.")
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
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, secured)


def _same_origin(headers: Mapping[str, str]) -> bool:
    """A POST carrying an Origin header must come from the host it is sent to."""
    origin = headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1] == headers.get("host", "")


async def _plain(send: Callable[[Message], Awaitable[None]], status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
            + SECURITY_HEADERS,
        }
    )
    await send({"type": "http.response.body", "body": body})
