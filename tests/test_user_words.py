"""Errors in the user's words: YAML syntax told plainly and where it went wrong, hints, "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnership_health.cli import main
from partnership_health.core.reader import parse_yaml

from .conftest import MINI


@pytest.mark.parametrize(
    ("text", "located"),
    [
        (
            "respondents:\n  - id: a\n    role: lead\n  id: b\n",
            "f.yaml:4:3: YAML: a list item is missing its '-', or is indented differently from the list that "
            "begins on line 2",
        ),
        (
            "a: 1\nanswers: [5\nb: 2\nc: 3\n",
            "f.yaml:2:10: YAML: the list opened with '[' here is not closed with ']'",
        ),
        ("a: {x: 1\nb: 2\n", "f.yaml:1:4: YAML: the mapping opened with '{' here is not closed with '}'"),
        ("a: b: c\n", "f.yaml:1:5: YAML: a ':' where none can be: put text that holds ': ' in quotes"),
        ("a:\n\tb: 1\n", "f.yaml:2:1: YAML: a tab indents this line; YAML is indented with spaces only"),
        ('a: "abc\nb: 2\n', "f.yaml:1:4: YAML: a quote opened here is never closed"),
        ("a:\n  b: 1\n c: 2\n", "f.yaml:3:2: YAML: this line is indented differently from the lines above it"),
        ("a: @x\n", "f.yaml:1:4: YAML: '@' cannot start a value here; put the value in quotes"),
    ],
)
def test_a_yaml_syntax_error_is_told_in_plain_words_where_it_went_wrong(text: str, located: str) -> None:
    (issue,) = parse_yaml(text, "f.yaml")[2]

    assert str(issue).startswith(located)
    assert "did not find expected" not in str(issue) and "mapping values" not in str(issue)


def test_an_unclosed_bracket_is_located_on_the_line_it_opened_not_where_the_parser_noticed() -> None:
    lines = [f"key{n}: value" for n in range(25)] + ["answers: [5", "later: " + "x" * 30 + " y: z", "end: 1"]

    (issue,) = parse_yaml("\n".join(lines) + "\n", "f.yaml")[2]

    assert issue.location.line == 26 and issue.location.column == 10


def test_an_agreement_answer_written_as_a_label_gets_the_number_to_write(tmp_path: Path, capsys) -> None:
    text = (MINI / "answers.yaml").read_text(encoding="utf-8")
    path = tmp_path / "answers.yaml"
    path.write_text(text.replace("delivery.actions_have_owners: 2", "delivery.actions_have_owners: Agree", 1))
    assert path.read_text() != text

    code = main(
        ["assess", str(path), "--questionnaire", str(MINI / "questionnaire.yaml"), "--rules", str(MINI / "rules")]
    )

    err = capsys.readouterr().err
    assert code == 1
    assert "(got 'Agree'); write Agree as 4 (1 Strongly disagree ... 5 Strongly agree)" in err


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (
            ["import", "x.csv", "--strikt"],
            "partnership-health import: error: unknown option '--strikt' (did you mean '--strict'?)",
        ),
        (
            ["round", "export", "1", "--fromat", "csv"],
            "partnership-health round export: error: unknown option '--fromat' (did you mean '--format'?)",
        ),
        (
            ["assess", "x.yaml", "--fromat=md"],
            "partnership-health assess: error: unknown option '--fromat' (did you mean '--format'?)",
        ),
        (["asess", "x.yaml"], "(did you mean 'assess'?)"),
        (["round", "exprt", "1"], "(did you mean 'export'?)"),
    ],
)
def test_a_mistyped_option_or_command_gets_did_you_mean_with_its_commands_usage(
    capsys, argv: list[str], told: str
) -> None:
    code = main(argv)

    err = capsys.readouterr().err
    assert code == 2
    assert told in err
    if argv[0] in ("import", "assess", "round") and "did you mean '--" in told:
        assert err.startswith(f"usage: partnership-health {' '.join(argv[:2]) if argv[0] == 'round' else argv[0]}")
