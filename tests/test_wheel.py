"""A wheel built from the repository works in a new virtual environment outside it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import engine

from .conftest import REPO


def test_an_installed_wheel_runs_the_demo_outside_the_repository(tmp_path: Path) -> None:
    dist, venv, work = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    work.mkdir()
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], check=True, capture_output=True
    )
    wheel = next(dist.glob("partnership_health-*.whl"))
    assert "engine/py.typed" in zipfile.ZipFile(wheel).namelist()  # type checkers see the package's types
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)

    result = subprocess.run(
        [str(venv / "bin" / "partnership-health"), "demo", "--output", "report.html"],
        cwd=work,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "<svg" in (work / "report.html").read_text()
    version = subprocess.run(
        [str(venv / "bin" / "partnership-health"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"partnership-health {engine.__version__}"

    # The web app's templates and static files ship in the wheel too.
    port = free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "partnership-health"), "serve", "--port", str(port), "--db", "rounds.db"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        home = wait_for(f"http://127.0.0.1:{port}/")
        style = wait_for(f"http://127.0.0.1:{port}/static/app.css")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    assert "Partnership Health" in home and ".error-summary" in style, out + err
    assert "The lead's pages (keep this link private): http://127.0.0.1:" in out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> str:
    """The page at ``url`` once the server answers (polled on 127.0.0.1 for at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
