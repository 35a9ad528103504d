"""The real server under load: answers confirmed to respondents survive the server being killed.

All traffic goes to the server this test starts on 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import datetime
import http.client
import re
import signal
import threading
import time
from pathlib import Path

from partnership_health.models import QuestionnaireRef
from partnership_health.store.sqlite import Store

from .test_browser import MINI_INPUTS, Server

RESPONDENTS = 120
THREADS = 4


def post_answer(port: int, token: str, value: int) -> bool:
    """Fetch the respondent's first page, post one answer; True when the server confirmed it (303)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", f"/r/{token}/section/1")
        page = connection.getresponse().read().decode()
        token_field = re.search(r'name="csrf" value="([^"]+)"', page)
        if not token_field:
            return False
        body = f"csrf={token_field[1]}&delivery.actions_have_owners={value}"
        connection.request("POST", f"/r/{token}/section/1", body, {"content-type": "application/x-www-form-urlencoded"})
        return connection.getresponse().status == 303
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def test_every_answer_confirmed_before_a_sigkill_is_there_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "rounds.db"
    store = Store(db)
    made = store.create_round("Mini partnership", datetime.date(2026, 11, 30), QuestionnaireRef(id="mini", version="1"))
    people = store.invite(made.id, [(f"Organisation {n}", "core", None) for n in range(RESPONDENTS)])
    server = Server(db, *MINI_INPUTS)
    confirmed: dict[int, int] = {}  # respondent id -> the answer the server confirmed
    lock = threading.Lock()

    def submit(share: list[tuple[int, object]]) -> None:
        for number, person in share:
            value = 1 + number % 5
            if post_answer(server.port, person.token, value):  # type: ignore[attr-defined]
                with lock:
                    confirmed[person.id] = value  # type: ignore[attr-defined]

    numbered = list(enumerate(people))
    workers = [threading.Thread(target=submit, args=(numbered[i::THREADS],)) for i in range(THREADS)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60
    while len(confirmed) < RESPONDENTS // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop(signal.SIGKILL)  # mid-burst: the workers are still posting
    for worker in workers:
        worker.join(timeout=60)

    assert RESPONDENTS // 3 <= len(confirmed) < RESPONDENTS, "the kill did not land during the burst"
    restarted = Server(db, *MINI_INPUTS)
    try:
        after = Store(db)
        for person in people:
            if person.id in confirmed:
                assert after.answers_of(person.id) == {"delivery.actions_have_owners": confirmed[person.id]}
        # The restarted server shows them too.
        sample = next(person for person in people if person.id in confirmed)
        connection = http.client.HTTPConnection("127.0.0.1", restarted.port, timeout=10)
        connection.request("GET", f"/r/{sample.token}/section/1")
        page = connection.getresponse().read().decode()
        connection.close()
        assert f'value="{confirmed[sample.id]}" checked' in page
    finally:
        restarted.stop()
