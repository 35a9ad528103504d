"""assess-many: many answers files, a report each and a summary CSV; a bad file is reported and skipped."""

from __future__ import annotations

import csv
import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

from partnership_health.cli import main
from partnership_health.core.reader import bundled_path

from .conftest import REPO

EXAMPLES = bundled_path("examples")


def answers_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    for name in ("riverside.yaml", "healthy.yaml", "power-imbalance.yaml"):
        shutil.copy(EXAMPLES / name, folder / name)
    broken = (EXAMPLES / "riverside.yaml").read_text().replace("goals.purpose_clear: 5", "goals.purpose_clear: 9", 1)
    (folder / "broken.yaml").write_text(broken)
    (folder / "notes.txt").write_text("not an answers file")
    return folder


def test_every_good_file_gets_a_report_and_a_summary_row_and_a_bad_one_is_skipped(tmp_path, capsys) -> None:
    folder = answers_folder(tmp_path)

    code = main(["assess-many", str(folder), "--output-dir", str(tmp_path / "out"), "--jobs", "1"])

    out, err = capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "healthy.md",
        "power-imbalance.md",
        "riverside.md",
        "summary.csv",
    ]
    assert "3 of 4 partnerships assessed" in out and "1 skipped" in out
    assert f"{folder / 'broken.yaml'}:" in err and "goals.purpose_clear" in err and "(got 9)" in err
    with (tmp_path / "out" / "summary.csv").open() as summary:
        rows = {Path(row["file"]).name: row for row in csv.DictReader(summary)}
    assert set(rows) == {"broken.yaml", "healthy.yaml", "power-imbalance.yaml", "riverside.yaml"}
    riverside = rows["riverside.yaml"]
    assert riverside["partnership"] == "Riverside Youth Partnership"
    assert riverside["assessed_on"] == "2026-10-05"
    assert riverside["overall_score"].isdigit() and riverside["overall_level"] in ("strength", "watch", "concern")
    assert int(riverside["findings"]) == sum(int(riverside[s]) for s in ("critical", "high", "medium", "low")) > 0
    assert rows["healthy.yaml"]["findings"] == "0" and rows["healthy.yaml"]["error"] == ""
    assert rows["broken.yaml"]["error"].startswith(f"{folder / 'broken.yaml'}:") and rows["broken.yaml"]["report"] == ""
    report = (tmp_path / "out" / "riverside.md").read_text()
    main(["assess", str(EXAMPLES / "riverside.yaml"), "--format", "md"])
    assert report == capsys.readouterr().out


def test_two_processes_write_what_one_writes(tmp_path, capsys) -> None:
    folder = answers_folder(tmp_path)
    (folder / "broken.yaml").unlink()
    files = [str(p) for p in sorted(folder.glob("*.yaml"))]

    assert main(["assess-many", *files, "--output-dir", str(tmp_path / "one"), "--jobs", "1", "--format", "json"]) == 0
    assert main(["assess-many", *files, "--output-dir", str(tmp_path / "two"), "--jobs", "2", "--format", "json"]) == 0

    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two and len(one) == 4


def test_files_with_the_same_name_get_reports_of_their_own(tmp_path, capsys) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(EXAMPLES / "healthy.yaml", tmp_path / sub / "answers.yaml")

    code = main(["assess-many", str(tmp_path / "a"), str(tmp_path / "b"), "--output-dir", str(tmp_path / "out")])

    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["answers-2.md", "answers.md", "summary.csv"]


def test_a_progress_bar_is_drawn_on_a_terminal_only(tmp_path) -> None:
    folder = answers_folder(tmp_path)
    (folder / "broken.yaml").unlink()
    command = [
        sys.executable,
        "-m",
        "partnership_health.cli",
        "assess-many",
        str(folder),
        "--jobs",
        "2",
        "--output-dir",
    ]

    piped = subprocess.run([*command, str(tmp_path / "piped")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""

    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm"}
    run = subprocess.run(
        [*command, str(tmp_path / "tty")], cwd=REPO, stdout=subprocess.PIPE, stderr=child, env=env, timeout=300
    )
    os.close(child)
    drawn = b""
    try:
        while chunk := os.read(parent, 4096):
            drawn += chunk
    except OSError:  # the terminal closed
        pass
    os.close(parent)
    assert run.returncode == 0
    assert b"assessing" in drawn and b"3/3" in drawn


def test_on_two_processes_a_bad_file_is_skipped_and_the_rows_keep_the_order_given(tmp_path, capsys) -> None:
    folder = answers_folder(tmp_path)
    files = [str(p) for p in sorted(folder.glob("*.yaml"), reverse=True)]

    code = main(["assess-many", *files, "--output-dir", str(tmp_path / "out"), "--jobs", "2"])

    out, err = capsys.readouterr()
    assert code == 1 and "3 of 4 partnerships assessed" in out and "goals.purpose_clear" in err
    with (tmp_path / "out" / "summary.csv").open() as summary:
        rows = list(csv.DictReader(summary))
    assert [row["file"] for row in rows] == files
    assert [bool(row["error"]) for row in rows] == [Path(f).name == "broken.yaml" for f in files]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == [
        "healthy.md",
        "power-imbalance.md",
        "riverside.md",
    ]


def test_reports_are_not_written_among_the_answers_they_would_be_read_with_next_time(tmp_path, capsys) -> None:
    folder = answers_folder(tmp_path)
    before = sorted(path.name for path in folder.iterdir())

    code = main(["assess-many", str(folder), "--output-dir", str(folder), "--format", "json"])

    assert code == 1
    assert "--output-dir" in capsys.readouterr().err
    assert sorted(path.name for path in folder.iterdir()) == before


def test_a_folder_without_answers_files_is_named(tmp_path, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    code = main(["assess-many", str(empty), "--output-dir", str(tmp_path / "out")])

    assert code == 1
    assert capsys.readouterr().err == f"assess-many: no answers files (*.yaml, *.yml, *.json) found in {empty}\n"


def test_an_output_dir_that_is_a_file_is_refused_and_left_as_it_was(tmp_path, capsys) -> None:
    taken = tmp_path / "taken.yaml"
    taken.write_text("mine", encoding="utf-8")

    code = main(["assess-many", str(EXAMPLES / "healthy.yaml"), "--output-dir", str(taken)])

    assert code == 1
    assert capsys.readouterr().err == f"assess-many: --output-dir {taken} is a file, not a folder; name a folder\n"
    assert taken.read_text(encoding="utf-8") == "mine"
