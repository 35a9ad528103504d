"""Numbers that durable-rules used to misread (written with an exponent) give steady results.

durable-rules' C parser aborted, segfaulted or silently changed findings, varying with
``PYTHONHASHSEED``, on numbers Python writes with an exponent (``1e-05``, ``5e-05``,
``1e+16``). The runner never hands it such a number; these tests hold it to that under
several hash seeds, each in a process of its own, and check that files carrying numbers
durable cannot take (inf, nan) are refused with a located error.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import partnership_health as ph
from partnership_health.core import compiler
from partnership_health.core.reader import bundled_path
from partnership_health.core.runner import _Ranks

from .conftest import EVERY_ANSWER, MINI, REPO

SEEDS = ["0", "1", "2", "3", "4242"]
IN_RANGE = ["0.00001", "1.0e-05", "5.0e-05", "0.000015"]  # as written in YAML
OUT_OF_RANGE = "1.0e+16"

RUN_ALL = """
import io, json, sys
from partnership_health.cli import main
results = {}
for path in sys.argv[1:]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["assess", path, "--format", "json"], stdout=out, stderr=err)
    findings = [f["id"] for f in json.loads(out.getvalue())["findings"]] if code == 0 else None
    results[path] = [code, findings, err.getvalue()]
print(json.dumps(results))
"""


def with_every_number(value: str, tmp_path: Path) -> tuple[Path, int]:
    """The demo's answers with ``value`` for every number question whose range takes it, by everyone asked.

    A value too large for every range (1e+16) goes into every number question. Returns
    the file and how many answers were set.
    """
    questionnaire = ph.load_questionnaire()
    numbers = [question for question in questionnaire.questions.values() if question.type == "number"]
    fits = [q for q in numbers if q.min is not None and q.max is not None and q.min <= float(value) <= q.max]
    data = yaml.safe_load((bundled_path("examples") / "riverside.yaml").read_text())
    count = 0
    for respondent in data["respondents"]:
        asked = [question.id for question in (fits or numbers) if question.asks(respondent["role"])]
        respondent["answers"].update(dict.fromkeys(asked, "NUMBER"))
        count += len(asked)
    path = tmp_path / f"numbers-{value}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False).replace("NUMBER", value))
    return path, count


def test_numbers_written_with_an_exponent_give_the_same_findings_under_five_hash_seeds(tmp_path) -> None:
    written = [with_every_number(value, tmp_path) for value in [*IN_RANGE, OUT_OF_RANGE]]
    files = [str(path) for path, _ in written]
    assert all(count >= 10 for _, count in written)
    runs = {
        seed: subprocess.Popen(
            [sys.executable, "-c", RUN_ALL, *files],
            cwd=REPO,
            env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in SEEDS
    }
    seen = []
    for seed, process in runs.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"PYTHONHASHSEED={seed}: exit {process.returncode}\n{err[-2000:]}"
        seen.append(json.loads(out))

    for value, path in zip(IN_RANGE, files, strict=False):
        codes = {run[path][0] for run in seen}
        assert codes == {0}, (value, [run[path][2] for run in seen])
        assert len({json.dumps(run[path][1]) for run in seen}) == 1, (value, [run[path][1] for run in seen])
    # 0.00001 and 1.0e-05 are one number: one diagnosis
    assert seen[0][files[0]][1] == seen[0][files[1]][1]
    too_big = seen[0][files[-1]]
    assert too_big[0] == 1
    lines = too_big[2].splitlines()[1:]
    assert len(lines) == written[-1][1] and all(
        line.startswith(files[-1] + ":") and "must be from " in line and "(got 1e+16)" in line for line in lines
    ), lines


def test_the_ranks_durable_sees_compare_exactly_as_the_numbers_do() -> None:
    thresholds = [1e-05, 5e-05, 2.5, 3, 1e16]
    ranks = _Ranks(
        {"b": compiler.Branch("r", tuple(compiler.Test("k", op, t) for t in thresholds for op in ("<", "==")), ())}
    )
    values = [0, 5e-324, 1e-05, math.nextafter(1e-05, 0), math.nextafter(1e-05, 1), 2.5, 3.0, 3, 1e16, 1e300]
    values += [-1e300, 2.4999999999999996, 1e16 + 2]
    for value in values:
        for threshold in thresholds:
            for name, compare in {"<": float.__lt__, "==": float.__eq__, ">": float.__gt__}.items():
                expected = compare(float(value), float(threshold)) if value != 1e16 + 2 else compare(value, threshold)
                got = compare(float(ranks.rank("k", value)), float(ranks.rank("k", threshold)))
                assert got == expected, (value, name, threshold)
    assert all(type(ranks.rank("k", v)) is int for v in values)
    assert ranks.rank("k", "a choice") == "a choice"
    assert ranks.rank("k", True) == ranks.rank("k", 1) and ranks.rank("k", False) == ranks.rank("k", 0.0)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_a_rule_value_that_is_not_finite_is_a_located_error(tmp_path, mini_questionnaire, value) -> None:
    rules = Path(shutil.copytree(MINI / "rules", tmp_path / "rules"))
    core = rules / "core.yaml"
    core.write_text(core.read_text().replace('op: "<=", value: 2.5}', f'op: "<=", value: {value}}}', 1))

    with pytest.raises(ph.InputError) as error:
        ph.load_rulebase(rules, mini_questionnaire)

    assert [str(issue) for issue in error.value.issues] == [
        f"{core}:10:69: rules[0].when.any[0].value: must be a finite number (got {value.strip('.').replace('.', '')})"
    ]


def test_a_tiny_rule_value_written_with_an_exponent_passes_lint_and_assesses(tmp_path, mini_questionnaire) -> None:
    rules = Path(shutil.copytree(MINI / "rules", tmp_path / "rules"))
    core = rules / "core.yaml"
    core.write_text(
        core.read_text().replace(
            '{question: delivery.talk_only, op: ">=", value: 4}',
            '{question: authority.meeting_weeks, op: "<", value: 1.0e-5}',
        )
    )
    rulebase = ph.load_rulebase(rules, mini_questionnaire)
    answers = ph.load_answers(MINI / "answers.yaml", mini_questionnaire)
    lead = answers.respondents[0]

    def weeks(value: float) -> ph.Answers:
        answered = lead.model_copy(update={"answers": {"authority.meeting_weeks": value}})
        return answers.model_copy(update={"respondents": [answered]})

    fired = [
        "talk.no-owners" in {f.id for f in ph.assess(weeks(v), mini_questionnaire, rulebase, EVERY_ANSWER).findings}
        for v in (0.0, 5e-06, math.nextafter(1e-05, 0), 1e-05, 5e-05)
    ]
    assert fired == [True, True, True, False, False]


@pytest.mark.parametrize("value", [".inf", ".nan"])
def test_answers_and_questionnaires_that_are_not_finite_are_located_errors(write, value) -> None:
    text = (MINI / "questionnaire.yaml").read_text()
    path = write({"q.yaml": text.replace("max: 52", f"max: {value}")}) / "q.yaml"
    with pytest.raises(ph.InputError, match=r"q\.yaml:\d+:\d+: sections\[1\]\.questions\[1\]\.max: .*finite"):
        ph.load_questionnaire(path)

    answers = (MINI / "answers.yaml").read_text()
    weeks = f"authority.decisions_shared: 1\n      authority.meeting_weeks: {value}"
    path = write({"a.yaml": answers.replace("authority.decisions_shared: 1", weeks)}) / "a.yaml"
    with pytest.raises(ph.InputError) as error:
        ph.load_answers(path, ph.load_questionnaire(MINI / "questionnaire.yaml"))
    assert [str(issue) for issue in error.value.issues] == [
        f"{path}:21:32: respondent 'core1': authority.meeting_weeks: must be a finite number (got {value[1:]})"
    ]
