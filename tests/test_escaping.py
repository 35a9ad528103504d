"""Hostile names and texts cannot change the structure of any report format."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser

import pytest
import yaml
from markdown_it import MarkdownIt

import partnership_health as ph
from partnership_health.reporting.environment import md_text
from partnership_health.reporting.render import plan_csv

from .conftest import MINI

HOSTILE = [
    "<script>alert(1)</script>",
    "<!-- hide the rest",
    "fine\n# All is well\n\nreally",
    "[click me](javascript:alert(1))",
    "```\n# fenced heading\n```",
    "`code` and ``more``",
    "> quoted\n>> deeper",
    "line\n===",
    "1. first\n- item\n* star\n+ plus",
    "1) first\n2)\n(see [the plan](http://example.com))",
    "<img src=x onerror=alert(1)>",
    "&lt;b&gt; and &amp;",
    "| a | b |\n|---|---|",
    "    indented code",
    "**bold** _em_ ~~strike~~ \\",
    "![img](http://example.com/x.png)",
    "<https://example.com>",
    "=cmd|' /C calc'!A0",
]


def hostile_answers(text: str, name: str) -> ph.Answers:
    data = yaml.safe_load((MINI / "answers.yaml").read_text())
    data["partnership"] = name
    for n, respondent in enumerate(data["respondents"]):
        respondent["organisation"] = f"{name} {n}"
        respondent["id"] = f"{name} id {n}"
        respondent["name"] = f"{name} person {n}"
    data["respondents"][0]["answers"]["authority.comments"] = text
    data["respondents"][1]["answers"]["authority.comments"] = text
    return ph.Answers.model_validate(data)


def rendered(fmt: str, text: str, name: str, mini_questionnaire, mini_rulebase) -> str:
    """The report with ``text`` as two free-text answers and ``name`` in every name, organisation and id."""
    assessment = ph.assess(
        # Two people wrote the text: shown as the lead chose to show every answer.
        hostile_answers(text, name),
        mini_questionnaire,
        mini_rulebase,
        ph.AssessOptions(show_respondents=True, min_group=1),
    )
    report = ph.render(assessment, mini_questionnaire, fmt)
    assert isinstance(report, str)
    return report


def markdown_structure(markdown: str) -> list[tuple[str, str]]:
    """The kinds of block and inline element a CommonMark reader sees, without their text.

    Inside a block quote (a free-text answer) only paragraphs are allowed, and are not listed:
    an answer may have paragraphs of its own.
    """
    kinds = []
    depth = 0
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "blockquote_close":
            depth -= 1
        if depth:
            assert token.type in ("paragraph_open", "paragraph_close", "inline"), token
        elif token.type.endswith("_open") or token.type in ("fence", "code_block", "html_block", "hr"):
            kinds.append((token.type, token.tag))
        for child in token.children or []:
            if child.type not in ("text", "softbreak", "hardbreak", "code_inline", "strong_open", "strong_close"):
                kinds.append((child.type, child.tag))
        if token.type == "blockquote_open":
            depth += 1
    return kinds


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_and_names_leave_the_markdown_report_structure_unchanged(
    text, mini_questionnaire, mini_rulebase
) -> None:
    plain = rendered("md", "A plain comment", "Plain name", mini_questionnaire, mini_rulebase)
    hostile = rendered("md", text, text, mini_questionnaire, mini_rulebase)

    assert markdown_structure(hostile) == markdown_structure(plain)
    html = MarkdownIt("commonmark").enable("table").render(hostile)
    assert "<script" not in html and "<!--" not in html and "<img" not in html and "<a " not in html
    tokens = MarkdownIt("commonmark").parse(hostile)
    headings = [tokens[n + 1].content for n, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings[1:] if "All is well" in h or "fenced heading" in h]


def test_the_hostile_text_is_still_readable_in_the_markdown(mini_questionnaire, mini_rulebase) -> None:
    text = "Meetings run <late> & [often] # overrun\nSecond line"
    html = MarkdownIt("commonmark").render(rendered("md", text, "Riverside", mini_questionnaire, mini_rulebase))

    assert "Meetings run &lt;late&gt; &amp; [often] # overrun" in html
    assert "Second line" in html


def test_names_and_versions_read_as_typed_in_the_markdown_source() -> None:
    # a lead reads the .md file as text too: no backslash where Markdown would see no markup
    assert md_text("Alex Morgan (Riverside Library)") == "Alex Morgan (Riverside Library)"
    assert md_text("2.0") == "2.0" and md_text("2026.10") == "2026.10"
    # what would start a numbered list is still escaped
    assert md_text("1. first") == "1\\. first" and md_text("1) first") == "1\\) first" and md_text("7.") == "7\\."


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_comment(self, data) -> None:
        self.tags.append("<!--")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_and_names_leave_the_html_report_structure_unchanged(
    text, mini_questionnaire, mini_rulebase
) -> None:
    plain, hostile = _Structure(), _Structure()
    plain.feed(rendered("html", "A plain comment", "Plain name", mini_questionnaire, mini_rulebase))
    hostile.feed(rendered("html", text, text, mini_questionnaire, mini_rulebase))

    assert hostile.tags == plain.tags


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_and_names_survive_the_json_report_intact(text, mini_questionnaire, mini_rulebase) -> None:
    report = json.loads(rendered("json", text, text, mini_questionnaire, mini_rulebase))

    assert report["partnership"] == text
    assert report["aggregates"]["answers"]["authority.comments"]["texts"] == [text, text]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_cannot_start_a_formula(prefix, tmp_path, mini_questionnaire) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI / "rules", rules)
    remedies = rules / "remedies.yaml"
    text = remedies.read_text()
    titles = re.findall(r"title: (.+)", text)
    for title in titles:
        text = text.replace(f"title: {title}", f"title: {json.dumps(prefix + 'SUM(A1:A9)')}", 1)
    remedies.write_text(text)
    if prefix == "\r":  # a control character, even written as an escape, is refused at the door now
        with pytest.raises(ph.InputError, match="U\\+000D \\(carriage return\\), written as an escape"):
            ph.load_rulebase(rules, mini_questionnaire)
        return
    rulebase = ph.load_rulebase(rules, mini_questionnaire)
    answers = ph.load_answers(MINI / "answers.yaml", mini_questionnaire)
    assessment = ph.assess(answers, mini_questionnaire, rulebase)

    rows = list(csv.reader(io.StringIO(plan_csv(assessment).lstrip("\ufeff"))))

    assert len(rows) > 1
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert f"'{prefix}SUM(A1:A9)" in cells
