"""Where the web app is reached, and every link built on that address.

One place builds the links a lead sends (printed by ``serve`` and the ``round`` commands,
shown on the lead's pages): :func:`link` joins a path to the address people reach the app
at (``serve --public-url``, else the address it listens on), never to a request's ``Host``
header, which whoever sends the request chooses. Only the standard library: the command
line imports this without the web app.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
"""The names of this computer that a request's ``Host`` may always give."""


def origin(scheme: str, host: str, port: int | None) -> str:
    """``scheme://host:port``, an IPv6 address in brackets and a scheme's default port left out."""
    shown = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{shown}" if port is None or port == default else f"{scheme}://{shown}:{port}"


def public_url(text: str) -> str:
    """A ``--public-url`` checked and normalised (``https://health.example.org``); ValueError saying why not.

    Only an origin: the app's pages sit at the root of the address (``/r/...``, ``/lead``).
    """
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as error:
        raise ValueError(f"'{text}' is not a web address ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http:// or https:// address such as https://health.example.org (got '{text}')")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path not in ("", "/"):
        raise ValueError(
            f"must be the address alone, such as https://health.example.org, with no path, user or query "
            f"(got '{text}'): the app's pages are served at the root of the address"
        )
    return origin(parts.scheme, parts.hostname.lower(), port)


def host_of(url: str) -> str:
    """The host name (or address, without brackets) of ``url``."""
    return (urlsplit(url).hostname or "").lower()


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this computer only."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def link(base: str, path: str) -> str:
    """The link to ``path`` (``/r/TOKEN``) at ``base``, the address people reach the app at."""
    return base.rstrip("/") + path


def lead_link(base: str, secret: str, round_id: int | None = None) -> str:
    """The lead's private link (optionally straight to a round's page)."""
    return link(base, f"/lead/enter/{secret}" + (f"?round={round_id}" if round_id is not None else ""))


def respondent_link(base: str, token: str) -> str:
    """A respondent's private link."""
    return link(base, f"/r/{token}")


def room_link(base: str, token: str) -> str:
    """A round's room link, which lets people in the room add themselves."""
    return link(base, f"/room/{token}")
