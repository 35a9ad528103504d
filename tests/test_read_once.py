"""A ``.json`` answers file is parsed once, by ``json``; what that reading gives is what the YAML reading gave.

The node tree (for locating problems, and for answers read as written) is composed
only when one is wanted. These tests read the same files both ways (the quick reading
switched off for the second) and compare the answers, the errors and their locations.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import partnership_health as ph
from partnership_health.core import reader

from .conftest import examples
from .test_differential import QUESTIONNAIRE


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """What loading ``path`` gives (answers, or the error's text) read quickly, then as before."""

    def load() -> object:
        try:
            return ph.load_answers(path, QUESTIONNAIRE).model_dump()
        except ph.InputError as error:
            return str(error)

    quick = load()
    with monkeypatch.context() as patched:
        patched.setattr(reader, "_json_data", lambda text: None)
        slow = load()
    return quick, slow


@pytest.mark.parametrize("ascii_only", [True, False])
def test_every_example_as_json_reads_the_same_as_before(tmp_path, monkeypatch, ascii_only) -> None:
    for example in examples():
        data = yaml.safe_load(example.read_text())
        path = tmp_path / f"{example.stem}.json"
        path.write_text(json.dumps(data, indent=2, default=str, ensure_ascii=ascii_only))
        quick, slow = both_ways(path, monkeypatch)
        assert quick == slow, example.name


def first_answers(data: dict) -> dict:
    return data["respondents"][0]["answers"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # written as people write them: the text as written comes from the node tree, composed when needed
        (lambda text: text.replace('"Riverside', '"Rive\\u0072side'), None),
        (lambda text: text.replace("{", '{"x": 1, "x": 2, ', 1), "twice"),  # a key twice: located as before
        (lambda text: text.replace('"partnership"', '"partnership\\u001b"', 1), "control character"),
        (lambda text: text.replace('"Riverside', '"\\ud83d\\ude00', 1), None),  # YAML refuses surrogate halves
        (lambda text: text.rstrip().removesuffix("}") + ', "extra": NaN}', None),
        (lambda text: "[" * 150 + "]" * 150, "deeper"),
        (lambda text: text.replace('"core"', '"cor"', 1), "role"),  # a wrong answer: located through the tree
    ],
)
def test_odd_json_reads_and_fails_as_before(tmp_path, monkeypatch, change, expected) -> None:
    source = next(e for e in examples() if e.name == "riverside.yaml")
    text = json.dumps(yaml.safe_load(source.read_text()), indent=1, default=str)
    path = tmp_path / "answers.json"
    path.write_text(change(text))
    quick, slow = both_ways(path, monkeypatch)
    assert quick == slow
    if expected:
        assert isinstance(quick, str) and expected in quick


def test_a_free_text_or_choice_answer_written_as_a_number_keeps_its_text(tmp_path, monkeypatch) -> None:
    source = next(e for e in examples() if e.name == "riverside.yaml")
    data = yaml.safe_load(source.read_text())
    text_question = next(q.id for q in QUESTIONNAIRE.questions.values() if q.type == "text")
    respondent = data["respondents"][0]
    respondent["role"] = "lead"
    first_answers(data)[text_question] = 1.5
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, default=str).replace("1.5", "1.50"))
    quick, slow = both_ways(path, monkeypatch)
    assert quick == slow
    assert isinstance(quick, dict) and first_answers(quick)[text_question] == "1.50"  # as written, not 1.5


def loaded_both_ways(data: dict, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    """Loading ``data``: quickly, then through the full reading as written and checks; and whether quick was quick."""
    from partnership_health.core import loading

    def load() -> object:
        try:
            return ph.load_answers(json.loads(json.dumps(data)), QUESTIONNAIRE).model_dump()
        except ph.InputError as error:
            return str(error)

    read: list[bool] = []
    quick_reading = loading.read_as_written

    def counted(*args: object) -> object:
        read.append(True)
        return quick_reading(*args)  # type: ignore[arg-type]

    with monkeypatch.context() as spied:
        spied.setattr(loading, "read_as_written", counted)
        quick = load()
    with monkeypatch.context() as full:
        full.setattr(loading, "answers_fit", lambda *args: False)
        slow = load()
    return quick, slow, not read


def test_answers_already_in_their_type_skip_the_reading_as_written_and_load_the_same(monkeypatch) -> None:
    data = yaml.safe_load((examples()[0]).read_text(encoding="utf-8"))
    typed = json.loads(json.dumps(ph.load_answers(data, QUESTIONNAIRE).model_dump(mode="json")))
    quick, slow, skipped = loaded_both_ways(typed, monkeypatch)
    assert skipped and quick == slow
    # Written as people write them ("Yes", "3.0", "don't know"), or wrong: read in full, as before.
    first = typed["respondents"][0]["answers"]
    scale = next(q for q in first if QUESTIONNAIRE.questions[q].type == "scale")
    yesno = next(q for r in typed["respondents"] for q in r["answers"] if QUESTIONNAIRE.questions[q].type == "yesno")
    for loose in ({scale: "3.0"}, {scale: "don't know"}, {scale: 9}, {yesno: "Yes"}, {"no.such_question": 1}):
        changed = json.loads(json.dumps(typed))
        for respondent in changed["respondents"]:
            for qid, value in loose.items():
                if qid in respondent["answers"] or qid == "no.such_question":
                    respondent["answers"][qid] = value
        quick, slow, skipped = loaded_both_ways(changed, monkeypatch)
        assert not skipped and quick == slow, loose
