"""The JSON report written by orjson is, byte for byte, what ``json.dumps(indent=2, ensure_ascii=False)`` wrote."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import partnership_health as ph
from partnership_health.reporting.environment import as_json

from .conftest import examples
from .test_differential import QUESTIONNAIRE

RULEBASE = ph.load_rulebase(questionnaire=QUESTIONNAIRE)


def test_every_example_s_json_report_is_json_s_text() -> None:
    for example in examples():
        answers = ph.load_answers(example, QUESTIONNAIRE)
        for options in (ph.AssessOptions(), ph.AssessOptions(min_group=1, show_respondents=True)):
            report = ph.render(ph.assess(answers, QUESTIONNAIRE, RULEBASE, options), QUESTIONNAIRE, "json")
            assert report == json.dumps(json.loads(report), indent=2, ensure_ascii=False) + "\n", example.name


SMALL = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([1e-5, -3e-7, 1e-4, 0.0, -0.0, 1e16, 1e300])
TEXT = st.text() | st.sampled_from(["ratio: 0.00001", '"x": 1e-7', "é\u2028", "\x1f\x7f", "e-mail"])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | SMALL | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, database=None)
@given(VALUES)
def test_any_value_is_written_as_json_writes_it(value) -> None:
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False)
    except (UnicodeEncodeError, ValueError):
        return
    assert as_json(value) == expected
