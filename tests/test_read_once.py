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
