"""The app behind the real reverse proxy: ``partnership-health serve`` and Debian's Caddy, over HTTPS.

:func:`proxied` starts ``serve --public-url https://localhost:PORT --proxy 127.0.0.1`` on a
free port of 127.0.0.1 and Caddy on another free port, configured by the deployment guide's
own ``docs/deploy/Caddyfile`` with three changes: the site's name is ``localhost`` and its
port a free one, the upstream is the test's ``serve``, and the certificate is one made for
the test (Let's Encrypt cannot reach this machine). Both are stopped at the end.

The certificate comes from a certificate authority made for the test with ``openssl``; the
test's clients trust that authority the way a real client trusts a real one: Python's by
``ssl.create_default_context(cafile=...)``, Chromium by an NSS database in the ``HOME`` it is
started with (``certutil``, Debian's libnss3-tools), where Chromium on Linux keeps the
authorities its user trusts. Nothing is told to ignore certificate errors.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import CHROMIUM_FLAGS, REPO, tool
from .test_browser import MINI_INPUTS, Server
from .test_wheel import free_port

CADDYFILE = REPO / "docs" / "deploy" / "Caddyfile"
SITE = "health.example.org"
UPSTREAM = "127.0.0.1:8000"


@dataclass(frozen=True)
class Authority:
    """A certificate authority made for the test, a certificate it signed for ``localhost``, and who trusts it."""

    ca: Path
    cert: Path
    key: Path
    home: Path  # a HOME whose NSS database (~/.pki/nssdb) trusts ``ca``: Chromium started with it does

    def context(self) -> ssl.SSLContext:
        """A client's TLS context that trusts this authority (and checks names as usual)."""
        return ssl.create_default_context(cafile=str(self.ca))


def make_authority(folder: Path) -> Authority:
    """An authority (EC P-256, valid two days) and its certificate for localhost and 127.0.0.1."""
    openssl = tool("openssl")
    certutil = tool("certutil")
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key, request = folder / "site.pem", folder / "site.key", folder / "site.csr"
    extensions = folder / "site.ext"
    extensions.write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
    )
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    commands = [
        [openssl, "req", "-x509", *curve, "-keyout", ca_key, "-out", ca, "-days", "2"]
        + ["-subj", "/CN=Partnership Health test authority", "-addext", "basicConstraints=critical,CA:TRUE"]
        + ["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        [openssl, "req", *curve, "-keyout", key, "-out", request, "-subj", "/CN=localhost"],
        [openssl, "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial"]
        + ["-out", cert, "-days", "2", "-extfile", extensions],
    ]
    home = folder / "home"
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    commands += [
        [certutil, "-N", "-d", f"sql:{nssdb}", "--empty-password"],
        [certutil, "-A", "-d", f"sql:{nssdb}", "-n", "Partnership Health test authority", "-t", "C,,", "-i", ca],
    ]
    for command in commands:
        subprocess.run([str(part) for part in command], check=True, capture_output=True, timeout=60)
    return Authority(ca=ca, cert=cert, key=key, home=home)


def caddyfile(https_port: int, http_port: int, app_port: int, authority: Authority, storage: Path) -> str:
    """docs/deploy/Caddyfile for the test: site localhost:PORT, the test's upstream, its certificate, no admin."""
    text = CADDYFILE.read_text()
    for expected in ("{\n", f"\n{SITE} {{\n", f"reverse_proxy {UPSTREAM} {{"):
        assert text.count(expected) >= 1, f"docs/deploy/Caddyfile no longer has {expected!r}: update tests/proxied.py"
    local = f"{{\n\tadmin off\n\thttp_port {http_port}\n\thttps_port {https_port}\n\tstorage file_system {storage}\n"
    text = text.replace("{\n", local, 1)
    text = text.replace(f"\n{SITE} {{\n", f"\nlocalhost:{https_port} {{\n\ttls {authority.cert} {authority.key}\n", 1)
    return text.replace(f"reverse_proxy {UPSTREAM} {{", f"reverse_proxy 127.0.0.1:{app_port} {{", 1)


@dataclass
class Proxied:
    """``serve`` behind Caddy: ``url`` is the public HTTPS address, ``direct`` the app's own."""

    url: str
    direct: str
    server: Server
    caddy: subprocess.Popen[bytes]
    authority: Authority
    caddy_log: Path

    @property
    def db(self) -> Path:
        return self.server.db

    def open(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """GET ``path`` through the proxy: status, headers (lowercase names), body; redirects not followed."""
        return fetch(self.url + path, self.authority.context(), headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(
    url: str, context: ssl.SSLContext | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """GET ``url``: status, headers (lowercase names, repeated ones joined), body; redirects not followed."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect())
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            status, got, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, got, body = error.code, error.headers, error.read()
    named: dict[str, str] = {}
    for name, value in got.items():
        named[name.lower()] = f"{named[name.lower()]}, {value}" if name.lower() in named else value
    return status, named, body.decode("utf-8", "replace")


@contextmanager
def proxied(folder: Path, *serve_args: str, mini: bool = True) -> Iterator[Proxied]:
    """``serve`` (with ``serve_args``; the mini questionnaire unless not ``mini``) behind Caddy, HTTPS."""
    caddy = tool("caddy")
    authority = make_authority(folder / "tls")
    https_port, http_port = free_port(), free_port()
    public = f"https://localhost:{https_port}"
    inputs = MINI_INPUTS if mini else []
    server = Server(folder / "rounds.db", *inputs, "--public-url", public, "--proxy", "127.0.0.1", *serve_args)
    config = folder / "Caddyfile"
    config.write_text(caddyfile(https_port, http_port, server.port, authority, folder / "caddy-data"))
    log = folder / "caddy.log"
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "xdg"), "XDG_CONFIG_HOME": str(folder)}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )
    running = Proxied(public, server.url, server, process, authority, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                running.open("/static/app.css")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"Caddy did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        server.stop()


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[Proxied]:
    """The app behind Caddy over HTTPS, for one test."""
    with proxied(tmp_path) as running:
        yield running


def trusting_browser(playwright: object, authority: Authority) -> object:
    """Debian's Chromium, started with a HOME whose NSS database trusts the test's authority."""
    return playwright.chromium.launch(  # type: ignore[attr-defined]
        executable_path=tool("chromium"),
        args=CHROMIUM_FLAGS,
        env={**os.environ, "HOME": str(authority.home)},
    )
