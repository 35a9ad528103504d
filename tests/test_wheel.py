"""A wheel built from the repository works in a new virtual environment outside it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import partnership_health as ph

from .conftest import REPO


def tracked_files() -> list[str]:
    """The repository's files that git tracks and that are there, relative to its root."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True)
    return [path for path in listed.stdout.split("\0") if path and (REPO / path).is_file()]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    work: Path  # a folder outside the repository

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=self.work, capture_output=True, text=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from the files git tracks (as they are now), installed in a new virtual environment.

    Built from a copy of those files, as a fresh clone would be: setuptools reuses a
    checkout's build/ folder, where a module since removed would otherwise linger.
    """
    folder = tmp_path_factory.mktemp("wheel")
    source, dist, venv, work = folder / "source", folder / "dist", folder / "venv", folder / "elsewhere"
    work.mkdir()
    for path in tracked_files():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / path, source / path)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)], check=True, capture_output=True
    )
    wheel = next(dist.glob("partnership_health-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)
    return Installed(wheel, venv, work)


def test_the_wheel_installs_partnership_health_and_no_module_called_engine(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert "partnership_health/py.typed" in names  # type checkers see the package's types
    assert "partnership_health/_bundled/rules/rulebase.yaml" in names
    assert [name for name in names if not name.startswith(("partnership_health/", "partnership_health-"))] == []
    # Every module of engine/ that git tracks (a subpackage missing from pyproject.toml's packages would show).
    engine = [path for path in tracked_files() if path.startswith("engine/") and path.endswith(".py")]
    modules = {"partnership_health/" + path.removeprefix("engine/") for path in engine}
    assert {name for name in names if name.endswith(".py")} == modules
    python = str(installed.venv / "bin" / "python")

    imported = installed.run(python, "-c", "import partnership_health as ph; print(ph.assess.__module__)")
    missing = installed.run(python, "-c", "import engine")

    assert imported.stdout.strip() == "partnership_health.core.assessment", imported.stderr
    assert missing.returncode == 1 and "No module named 'engine'" in missing.stderr


def test_a_type_checker_sees_the_package_types(installed: Installed) -> None:
    consumer = installed.work / "consumer.py"
    consumer.write_text(
        "import partnership_health as ph\n\n"
        'answers = ph.load_answers("answers.yaml")\n'
        "reveal_type(answers)\n"
        "wrong: int = ph.assess(answers)\n"
    )
    python = str(installed.venv / "bin" / "python")

    result = installed.run(
        sys.executable, "-m", "mypy", "--no-incremental", "--python-executable", python, str(consumer)
    )

    assert 'Revealed type is "partnership_health.models.inputs.Answers"' in result.stdout, result.stdout
    assert 'expression has type "Assessment", variable has type "int"' in result.stdout
    assert "missing library stubs or py.typed marker" not in result.stdout


def test_an_installed_wheel_runs_the_demo_outside_the_repository(installed: Installed) -> None:
    venv, work = installed.venv, installed.work
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
    assert version.stdout.strip() == f"partnership-health {ph.__version__}"

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
