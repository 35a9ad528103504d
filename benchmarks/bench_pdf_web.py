"""Respondents answering while the lead downloads PDFs, against the same without the PDFs (issue 22).

One run starts ``partnership-health serve`` (uvicorn, straight, the bundled questionnaire)
on a free port of 127.0.0.1. Each pass, a new round of ``--respondents`` partners is
answered from ``--clients`` threads exactly as ``bench_proxy.py`` does (every section's form
GET and POST, the check page, send, the thank-you page). In the passes "with PDFs" one more
client, the lead signed in with the local lead's link, downloads the PDF report of another
round in a loop, the round's state changing before each download (one answer moved
between 3 and 4 in the store), so every download is laid out afresh; in the passes
"without" nobody downloads. The two kinds take turns for ``--rounds`` rounds so a change
in the machine's load falls on both alike.

Then the PDF of an unchanged round is downloaded ``--repeats`` times: the first lays it
out, the others are the kept report. Prints requests/s (median of the rounds), p50, p95,
p99 of the respondents' requests, the PDFs downloaded and their latencies, the repeated
downloads' latencies, and the load average; ``--json`` prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_proxy, beside this file

from bench_proxy import ROLES, Pass, figures, run_pass  # noqa: E402

from partnership_health import load_questionnaire  # noqa: E402
from partnership_health.models import QuestionnaireRef  # noqa: E402
from partnership_health.store.sqlite import Store  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "partnership_health.cli", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx2.get(url + "/", timeout=1)
            return process, url
        except httpx2.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"n": len(values), "p50_ms": round(1000 * values[0], 1) if values else 0.0}
    cuts = statistics.quantiles(sorted(values), n=100, method="inclusive")
    return {
        "n": len(values),
        "p50_ms": round(1000 * cuts[49], 1),
        "p95_ms": round(1000 * cuts[94], 1),
        "max_ms": round(1000 * max(values), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100, help="respondents a pass (default: 100)")
    parser.add_argument("--clients", type=int, default=10, help="concurrent respondents' clients (default: 10)")
    parser.add_argument("--rounds", type=int, default=2, help="passes of each kind, taking turns (default: 2)")
    parser.add_argument("--repeats", type=int, default=20, help="downloads of an unchanged PDF (default: 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    questionnaire = load_questionnaire()
    ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    scales = [(section, question) for section in questionnaire.sections for question in section.questions]
    (section, question) = next((s, q) for s, q in scales if q.type == "scale")
    loads = [os.getloadavg()[0]]
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "rounds.db"
        store = Store(db)
        secret = store.lead_secret()
        server, url = serve(db)
        try:
            # the round whose PDF the lead downloads: 9 partners answered in full, through the app
            reported = store.create_round("Benchmark report", datetime.date.today(), ref)
            rows = [(f"Organisation {n}", ROLES[n % 3], None) for n in range(9)]
            invited = store.invite(reported.id, rows)
            run_pass(url, True, [(p.token, p.role) for p in invited], 3, questionnaire, {"server": server.pid})
            changing = invited[0]
            lead = httpx2.Client(base_url=url, timeout=120, follow_redirects=True)
            assert lead.get(f"/lead/enter/{secret}").status_code == 200
            report = f"/lead/rounds/{reported.id}/report.pdf"

            pdf_latencies: list[float] = []
            by_kind: dict[str, list[Pass]] = {"without": [], "with": []}
            for number in range(args.rounds):
                for kind in ("without", "with"):
                    made = store.create_round(f"Benchmark {kind} {number}", datetime.date.today(), ref)
                    rows = [(f"Organisation {n}", ROLES[n % 3], None) for n in range(args.respondents)]
                    people = [(p.token, p.role) for p in store.invite(made.id, rows)]
                    stop = threading.Event()

                    def downloads(stop: threading.Event) -> None:
                        value = 3
                        while not stop.is_set():
                            value = 7 - value  # 3, 4, 3 ...: a new round state before each download
                            store.save_section(changing.id, section.id, {question.id: value})
                            started = time.perf_counter()
                            response = lead.get(report)
                            pdf_latencies.append(time.perf_counter() - started)
                            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                                errors.append(f"PDF download: {response.status_code}")

                    downloader = threading.Thread(target=downloads, args=(stop,))
                    if kind == "with":
                        downloader.start()
                        time.sleep(1.0)  # the first download under way (and the worker started)
                    by_kind[kind].append(
                        run_pass(url, True, people, args.clients, questionnaire, {"server": server.pid})
                    )
                    stop.set()
                    if kind == "with":
                        downloader.join()
                    finished = store.status(made.id).finished
                    if finished != args.respondents:
                        errors.append(f"{kind}: {finished} of {args.respondents} finished")
                    loads.append(os.getloadavg()[0])

            store.save_section(changing.id, section.id, {question.id: 5})  # a state not laid out yet
            repeated: list[float] = []
            for _ in range(args.repeats):  # the state unchanged: the first is laid out, then kept
                started = time.perf_counter()
                response = lead.get(report)
                repeated.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(f"repeated PDF download: {response.status_code}")
            lead.close()
        finally:
            server.terminate()
            server.wait(timeout=60)
    errors += [error for passes in by_kind.values() for each in passes for error in each.errors]
    result: dict[str, Any] = {
        "respondents": args.respondents,
        "clients": args.clients,
        "rounds": args.rounds,
        **{kind: figures(passes) for kind, passes in by_kind.items()},
        "pdf_downloads_while_answering": percentiles(pdf_latencies),
        "repeated_pdf_download": {"first_ms": round(1000 * repeated[0], 1), **percentiles(repeated[1:])},
        "load_average": [round(min(loads), 2), round(max(loads), 2)],
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    result["with_over_without_requests_per_s"] = round(
        result["with"]["requests_per_s"] / result["without"]["requests_per_s"], 2
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for kind in ("without", "with"):
            row = result[kind]
            latencies = "/".join(str(row[cut]) for cut in ("p50_ms", "p95_ms", "p99_ms"))
            print(f"{kind} PDFs: {row['requests_per_s']} requests/s, p50/p95/p99 {latencies} ms")
        print("with / without requests/s:", result["with_over_without_requests_per_s"])
        print("PDF downloads while answering:", result["pdf_downloads_while_answering"])
        print("repeated PDF download:", result["repeated_pdf_download"])
        print("load average:", result["load_average"])
    for error in errors[:20]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
