"""Rate limits: a small in-memory fixed-window counter per client address and per key.

A limit of N in a window of S seconds lets N requests through in each S-second window
that starts at a key's first request (on the token routes, N refused ones); the next is
answered 429 with ``Retry-After`` and a
plain page saying when to try again. The counts live in the process (one server; they
start again from zero when it restarts), which is enough to turn a guessing script of
thousands of requests into one of a few dozen.

:class:`Throttle` applies the limits by client address; the sign-in page also limits each
email address (:meth:`Limiter.hit` with the key ``sign-in:EMAIL``).
"""

from __future__ import annotations

import datetime
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .middleware import client_ip


@dataclass(frozen=True)
class Rule:
    """At most ``limit`` requests in ``window`` seconds."""

    limit: int
    window: float


SIGN_IN = Rule(10, 15 * 60)
"""Sign-in attempts, per client address and per email address: 10 in 15 minutes (a lead who mistypes
their password a few times is not stopped; guessing a 12-character password is hopeless)."""
ROOM_SIGN_UP = Rule(60, 10 * 60)
"""Room sign-ups per client address: 60 in 10 minutes (a full meeting room behind one office address
signs up at once; 300 sign-ups in 11 seconds is refused after the 60th)."""
TOKEN = Rule(100, 10 * 60)
"""Refused requests to the token routes (``/r/TOKEN``, ``/lead/enter/SECRET``, ``/room/TOKEN``: a token
not found, 403 or 404) per client address: 100 in 10 minutes. Only refusals count, so respondents
with their own links (all behind one office address, or a load test on this computer) are never
slowed, while guessing a 128-bit token stops after 100 tries."""
MAX_KEYS = 100_000  # counters kept before the ended windows are swept out


@dataclass(frozen=True)
class Limits:
    """The limits an app applies (create_app's ``limits``; ``serve`` uses these defaults)."""

    sign_in: Rule = SIGN_IN
    room: Rule = ROOM_SIGN_UP
    token: Rule = TOKEN


class Limiter:
    """Fixed-window counters, one per key; thread-safe (the sign-in page counts in a worker thread)."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window start, requests in it)
        self._lock = threading.Lock()

    def hit(self, rule: Rule, key: str, *, count: bool = True) -> float | None:
        """Count a request of ``key`` under ``rule`` (only look, unless ``count``): None when allowed, else the
        seconds until it would be."""
        moment = self.clock()
        with self._lock:
            start, done = self._windows.get(key, (moment, 0))
            if moment - start >= rule.window:
                start, done = moment, 0
            if done >= rule.limit:
                return max(1.0, start + rule.window - moment)
            if count:
                if len(self._windows) >= MAX_KEYS:
                    self._sweep(moment)
                self._windows[key] = (start, done + 1)
            return None

    def _sweep(self, moment: float) -> None:
        longest = max(self.limits.sign_in.window, self.limits.room.window, self.limits.token.window)
        self._windows = {key: value for key, value in self._windows.items() if moment - value[0] < longest}


def too_many(retry_after: float) -> PlainTextResponse:
    """The 429 answer: a plain page saying when to try again, and ``Retry-After`` in seconds."""
    seconds = math.ceil(retry_after)
    when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=seconds)
    minutes = math.ceil(seconds / 60)
    text = (
        "Too many requests from here in a short time.\n"
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, after {when:%H:%M} UTC.\n"
    )
    return PlainTextResponse(text, status_code=429, headers={"retry-after": str(seconds), "cache-control": "no-store"})


TOKEN_PREFIXES = ("/r/", "/lead/enter/", "/room/", "/s/", "/join")  # /s/CODE, /join?code=: a live session
REFUSED = (403, 404)  # a token route's answer to a token that is wrong: what guessing gets


class Throttle:
    """ASGI middleware: the limits by client address on sign-in, room sign-up and every token route (there,
    refusals only)."""

    def __init__(self, app: ASGIApp, limiter: Limiter) -> None:
        self.app, self.limiter = app, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, posted = scope["path"], scope["method"] not in ("GET", "HEAD")
        address = client_ip(scope)  # behind a trusted proxy (serve --proxy), the client it names
        limits = self.limiter.limits
        checks = []
        if path == "/lead/sign-in" and posted:
            checks.append((limits.sign_in, "sign-in-from:" + address, True))
        if path.startswith("/room/") and posted:
            checks.append((limits.room, "room-from:" + address, True))
        token = path.startswith(TOKEN_PREFIXES)
        if token:
            checks.append((limits.token, "token-from:" + address, False))  # counted below when refused
        for rule, key, count in checks:
            retry = self.limiter.hit(rule, key, count=count)
            if retry is not None:
                await too_many(retry)(scope, receive, send)
                return
        if not token:
            await self.app(scope, receive, send)
            return

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in REFUSED:
                self.limiter.hit(limits.token, "token-from:" + address)
            await send(message)

        await self.app(scope, receive, counted)
