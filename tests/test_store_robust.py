"""The SQLite file of saved assessments under stress: processes saving at once, and kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from partnership_health.core.reader import bundled_path
from partnership_health.store.sqlite import Store

WORKER = Path(__file__).resolve().parent / "store_worker.py"
RIVERSIDE = str(bundled_path("examples") / "riverside.yaml")


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as raw:
        result = raw.execute("PRAGMA integrity_check").fetchone()[0]
    raw.close()
    return str(result)


def test_two_assess_save_commands_at_once_on_a_new_file_both_land(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    command = [
        sys.executable,
        "-m",
        "partnership_health.cli",
        "assess",
        RIVERSIDE,
        "--save",
        "--db",
        str(db),
        "--format",
        "json",
    ]
    both = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    said = [process.communicate(timeout=120)[1] for process in both]

    assert [process.returncode for process in both] == [0, 0], said
    ids = sorted(int(line.split()[3]) for text in said for line in text.splitlines() if line.startswith("Saved as"))
    assert ids == [1, 2]
    assert [a.id for a in Store(db).assessments()] == [1, 2]


def test_two_processes_opening_a_new_file_and_saving_many_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    command = [sys.executable, str(WORKER), str(db), "25", "--wait"]
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    workers = [subprocess.Popen(command, **pipes) for _ in range(2)]  # type: ignore[call-overload]
    for worker in workers:
        assert worker.stdout.readline() == "ready\n"
    for worker in workers:  # both create the schema at once, then save
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=300) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], [err for _, err in results]
    reported = [int(line) for out, _ in results for line in out.split()]
    assert len(reported) == len(set(reported)) == 50
    assert sorted(a.id for a in Store(db).assessments()) == sorted(reported)
    assert integrity(db) == "ok"


def test_kill_9_in_the_middle_of_saving_loses_nothing_committed_and_corrupts_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    reported = []
    with subprocess.Popen(
        [sys.executable, str(WORKER), str(db), "100000"], stdout=subprocess.PIPE, text=True
    ) as worker:
        assert worker.stdout is not None
        for line in worker.stdout:
            reported.append(int(line))
            if len(reported) == 40:
                os.kill(worker.pid, signal.SIGKILL)  # while it saves the next one
                break
        reported += [int(line) for line in worker.stdout]  # any it printed before the kill landed
        worker.wait(timeout=60)

    assert worker.returncode == -signal.SIGKILL
    assert integrity(db) == "ok"
    store = Store(db)
    stored = {a.id for a in store.assessments()}
    assert set(reported) <= stored
    assert len(stored) - len(reported) <= 1  # at most the one whose commit came just before the kill, unsaid
    last = store.get_assessment(max(stored))
    assert last.answers is not None and last.report is not None  # whole, not half-written
    assert store.save_assessment(last.answers, last.report, rulebase_version="2.0") == max(stored) + 1
