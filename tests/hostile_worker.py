"""Run ``partnership-health import`` on each file named in argv, in this one process, and report as JSON lines.

Started by tests/test_hostile_files.py under a memory limit (RLIMIT_AS) and a time limit;
prints, per file, its exit code, stdout's size, stderr, the seconds taken and the peak
resident memory so far. Anything that escapes ``main`` (a traceback) is reported as such.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time
import traceback


def _peak() -> int:
    """The process's peak resident memory in bytes (VmHWM: ru_maxrss would count the parent's, kept across exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    from partnership_health.cli import main as run

    for argument in sys.argv[1:]:
        argv = json.loads(argument)
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(argv, stdout=out, stderr=err)
        except BaseException:  # noqa: BLE001 - a traceback is what the test looks for
            code = -1
            err.write(traceback.format_exc())
        peak = _peak()
        report = {
            "code": code,
            "out": len(out.getvalue()),
            "err": err.getvalue(),
            "seconds": time.monotonic() - started,
        }
        print(json.dumps({**report, "peak": peak}), flush=True)


if __name__ == "__main__":
    main()
