"""Respondents answering through the reverse proxy, against the same answering straight to uvicorn.

One run starts ``partnership-health serve`` behind Debian's Caddy over HTTPS (the test
harness, ``tests/proxied.py``: the deployment guide's Caddyfile, a certificate authority
made for the run), with the bundled questionnaire. Two rounds of ``--respondents`` partners
each (lead, core and wider partners in turn) are answered from ``--clients`` threads, each
with its own httpx client (keep-alive, certificate checked): every respondent opens the
start page, then for each of their sections GETs the form and POSTs it answered in full,
opens the check page, sends, and opens the thank-you page. The first round is answered
through ``https://localhost:PORT`` (Caddy), the second straight to ``http://127.0.0.1:PORT``
(uvicorn), the two taking turns in ``--rounds`` rounds (so a change in the machine's load
falls on both alike). An error is any response that is not the page or the redirect a
browser would get; the run fails (exit 1) on any.

Prints requests/s (all requests of a pass over the wall time of the pass) and the
latencies' p50, p95 and p99 of each way, as a table and with ``--json`` as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import queue
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for tests.proxied

from partnership_health import load_questionnaire  # noqa: E402
from partnership_health.models import Question, Questionnaire, QuestionnaireRef  # noqa: E402
from partnership_health.store.sqlite import Store  # noqa: E402
from partnership_health.web.forms import sections_for  # noqa: E402
from tests.proxied import proxied  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ROLES = ("lead", "core", "wider")


def answer(question: Question) -> str:
    """A valid answer to ``question`` as a form sends it."""
    if question.type == "scale":
        return "4"
    if question.type == "yesno":
        return "yes"
    if question.type == "number":
        return str(int(question.min or 0) + 1)
    if question.type == "choice":
        return question.choices[0].id
    return "We meet, decide and do."


@dataclass
class Pass:
    """One way's pass over a round: each request's latency, the errors, the wall time."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of the pass: server, caddy, client


def respond(client: httpx2.Client, token: str, role: str, questionnaire: Questionnaire, into: Pass) -> None:
    """One respondent answering every section of theirs, as a browser without JavaScript does."""

    def call(method: str, path: str, expected: int, data: dict[str, str] | None = None) -> str:
        started = time.perf_counter()
        try:
            response = client.request(method, path, data=data)
            text, status = response.text, response.status_code
        except httpx2.HTTPError as error:
            text, status = "", -1
            into.errors.append(f"{method} {path}: {error!r}")
        into.latencies.append(time.perf_counter() - started)
        if status != expected and status != -1:
            into.errors.append(f"{method} {path}: {status}, expected {expected}")
        return text

    def token_of(page: str) -> dict[str, str]:
        found = CSRF.search(page)
        return {"csrf": found[1] if found else ""}

    call("GET", f"/r/{token}", 200)
    for number, section in enumerate(sections_for(questionnaire, role), 1):
        page = call("GET", f"/r/{token}/section/{number}", 200)
        fields = {question.id: answer(question) for question in section.questions}
        call("POST", f"/r/{token}/section/{number}", 303, {**token_of(page), **fields})
    page = call("GET", f"/r/{token}/check", 200)
    call("POST", f"/r/{token}/send", 303, token_of(page))
    call("GET", f"/r/{token}/thanks", 200)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) process ``pid`` has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_pass(
    base: str,
    verify: Any,
    people: list[tuple[str, str]],
    clients: int,
    questionnaire: Questionnaire,
    processes: dict[str, int],
) -> Pass:
    """``people`` (token, role) answering at ``base`` from ``clients`` threads; ``processes``' CPU time counted."""
    result = Pass()
    work: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
    for person in people:
        work.put(person)
    lock = threading.Lock()

    def worker() -> None:
        mine = Pass()
        # TCP_NODELAY, as browsers set it: else a POST's body waits on the server's delayed ACK.
        transport = httpx2.HTTPTransport(verify=verify, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx2.Client(base_url=base, transport=transport, timeout=60, follow_redirects=False) as client:
            while True:
                try:
                    token, role = work.get_nowait()
                except queue.Empty:
                    break
                respond(client, token, role, questionnaire, mine)
        with lock:
            result.latencies += mine.latencies
            result.errors += mine.errors

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    client_before = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - started
    result.cpu = {name: cpu_seconds(pid) - before[name] for name, pid in processes.items()}
    result.cpu["client"] = time.process_time() - client_before
    return result


def figures(passes: list[Pass]) -> dict[str, Any]:
    latencies = sorted(latency for each in passes for latency in each.latencies)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    rates = [len(each.latencies) / each.wall for each in passes]
    return {
        "requests": len(latencies),
        "errors": sum(len(each.errors) for each in passes),
        "requests_per_s": round(statistics.median(rates), 1),
        "requests_per_s_each_round": [round(rate, 1) for rate in rates],
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "cpu_ms_per_request": {
            name: round(1000 * sum(each.cpu[name] for each in passes) / len(latencies), 2) for name in passes[0].cpu
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=200, help="respondents a round (default: 200)")
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (default: 10)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of each way, taking turns (default: 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    os.environ.setdefault("PARTNERSHIP_HEALTH_REQUIRE_TOOLS", "1")  # a missing caddy is an error, not a skip
    questionnaire = load_questionnaire()
    with tempfile.TemporaryDirectory() as folder, proxied(Path(folder), mini=False) as app:
        store = Store(app.db)
        by_way: dict[str, list[Pass]] = {"proxy": [], "direct": []}
        for _ in range(args.rounds):
            for way, base, verify in (
                ("proxy", app.url, app.authority.context()),
                ("direct", app.direct, True),
            ):
                ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
                made = store.create_round(f"Benchmark {way}", datetime.date.today(), ref)
                rows = [(f"Organisation {n}", ROLES[n % 3], None) for n in range(args.respondents)]
                people = [(person.token, person.role) for person in store.invite(made.id, rows)]
                processes = {"server": app.server.process.pid, "caddy": app.caddy.pid}
                by_way[way].append(run_pass(base, verify, people, args.clients, questionnaire, processes))
                finished = store.status(made.id).finished
                if finished != args.respondents:
                    by_way[way][-1].errors.append(f"{finished} of {args.respondents} finished")
    report = {
        "respondents": args.respondents,
        "clients": args.clients,
        "rounds": args.rounds,
        **{way: figures(passes) for way, passes in by_way.items()},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
    }
    report["proxy_over_direct_p50"] = round(report["proxy"]["p50_ms"] / report["direct"]["p50_ms"], 2)
    errors = [error for passes in by_way.values() for each in passes for error in each.errors]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{'way':<8}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for way in ("proxy", "direct"):
            row = report[way]
            print(
                f"{way:<8}{row['requests']:>10}{row['errors']:>8}{row['requests_per_s']:>9}"
                f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
            )
    for error in errors[:20]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
