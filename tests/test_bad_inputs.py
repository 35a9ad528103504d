"""Bad input of every kind, through the real command line: one located line per problem.

Each row of ``CASES`` writes a small tree of files into an empty folder (the mini
questionnaire, rule base and answers, with the row's files laid over them), runs
``partnership-health`` there with the row's arguments and checks what a user sees:
the exit code, exactly the expected problem lines (``file:line:col: ...`` where the
problem has a line), no traceback, and the folder exactly as it was (no report, no
temporary file, every file unchanged), all within the row's time limit.

To add a row, append a ``Case``; ``lines`` are regular expressions, one per problem,
in the order they are printed (sorted by file, line and column).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from partnership_health import InputError, RuleEngineError, write_report
from partnership_health.cli import main
from partnership_health.core import reader
from partnership_health.core.reader import MAX_FILE_MB_VARIABLE

from .conftest import MINI, REPO, missing


@dataclass(frozen=True)
class Fifo:
    """A named pipe: reading it would block forever."""


@dataclass(frozen=True)
class Device:
    """A character device node (the same as /dev/null), made with mknod."""


@dataclass(frozen=True)
class Folder:
    """An empty folder where a file is expected."""


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``to`` (relative to the case folder)."""

    to: str


@dataclass(frozen=True)
class HardLink:
    """A second name for the file ``to``."""

    to: str


Content = str | bytes | Fifo | Device | Folder | Link | HardLink

RULES = ("--rules", "rules", "--questionnaire", "questionnaire.yaml")
ASSESS = ("assess", "answers.yaml", *RULES)
RULES_OF_MINI = ("--rules", str(MINI / "rules"), "--questionnaire", str(MINI / "questionnaire.yaml"))


@dataclass(frozen=True)
class Case:
    """One bad input: the files laid over the mini tree, the command, and what the user must see."""

    id: str
    argv: tuple[str, ...]
    lines: tuple[str, ...]  # one regular expression per problem line, in printed order
    files: dict[str, Content] = field(default_factory=dict)
    code: int = 1
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 20  # seconds; the acceptance cases must finish within 5
    stdin: bytes | None = None  # what `assess -` reads


ANSWERS = (MINI / "answers.yaml").read_text(encoding="utf-8")
QUESTIONNAIRE = (MINI / "questionnaire.yaml").read_text(encoding="utf-8")
CORE = (MINI / "rules" / "core.yaml").read_text(encoding="utf-8")
REMEDIES = (MINI / "rules" / "remedies.yaml").read_text(encoding="utf-8")
GUIDES = (MINI / "rules" / "guides.yaml").read_text(encoding="utf-8")
RULEBASE = (MINI / "rules" / "rulebase.yaml").read_text(encoding="utf-8")
RULE_IDS = re.findall(r"^  - id: (\S+)", CORE, re.M)
# A feature file with a scenario that fires each mini rule and one that does not, so lint is clean.
GOOD_FEATURE = "Feature: mini\n" + "".join(
    f'  Then the finding "{rule}" is reported\n  Then the finding "{rule}" is not reported\n' for rule in RULE_IDS
)
LINT = ("rules", "lint", "rules", "--questionnaire", "questionnaire.yaml", "--features", "features")


def alias_bomb(levels: int = 10) -> str:
    """The 'billion laughs': each level a list of ten aliases to the level below."""
    lines = ['partnership: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def answers_with(old: str, new: str) -> str:
    assert old in ANSWERS
    return ANSWERS.replace(old, new, 1)


DEEP_FLOW = "partnership: " + "[" * 10_000 + "]" * 10_000 + "\n"
DEEP_BLOCK = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(150)) + "  " * 150 + "end: 1\n"
DEEP_JSON = '{"partnership": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "}\n"
ANSWERS_JSON = """{
  "partnership": "Mini partnership",
  "assessed_on": "2026-10-01",
  "questionnaire": {"id": "mini", "version": "1"},
  "respondents": [
    {"id": "lead", "organisation": "Library", "role": "lead",
     "answers": {"authority.decisions_shard": 4}}
  ]
}
"""

_FIVE = 5.0  # the acceptance cases: exit 1 with one located line within 5 seconds
_LOC = r"(:\d+:\d+)"  # a line and a column

CASES: list[Case] = [
    # --- answers files: what kind of file, how big, which encoding ----------------------
    Case("answers missing", ("assess", "nope.yaml", *RULES), (r"^nope\.yaml: file: no such file$",)),
    Case(
        "answers is a folder", ASSESS, (r"^answers\.yaml: file: is a folder, not a file$",), {"answers.yaml": Folder()}
    ),
    Case(
        "answers is a FIFO",
        ASSESS,
        (r"^answers\.yaml: file: is a FIFO \(named pipe\), not a file$",),
        {"answers.yaml": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "answers is a device",
        ASSESS,
        (r"^answers\.yaml: file: is a character device, not a file$",),
        {"answers.yaml": Device()},
        timeout=_FIVE,
    ),
    Case("answers is /dev/zero", ("assess", "/dev/zero", *RULES), (r"^/dev/zero: file: is a character device",)),
    Case(
        "answers larger than the cap",
        ASSESS,
        (rf"^answers\.yaml: file: is larger than 0\.01 MB \(set {MAX_FILE_MB_VARIABLE} to allow more\)$",),
        {"answers.yaml": ANSWERS + "# padding\n" * 1_000},
        env={MAX_FILE_MB_VARIABLE: "0.01"},
    ),
    Case(
        "a cap that is not a number",
        ASSESS,
        (rf"^questionnaire\.yaml: file: not read: {MAX_FILE_MB_VARIABLE} must be a number of megabytes",),
        env={MAX_FILE_MB_VARIABLE: "lots"},
    ),
    Case(
        "answers in Latin-1",
        ASSESS,
        (r"^answers\.yaml:1:22: file: is not UTF-8 text \(byte 0xe9\); save it as UTF-8$",),
        {"answers.yaml": answers_with("Mini partnership", "Mini café").encode("latin-1")},
    ),
    Case(
        "answers in UTF-16",
        ASSESS,
        (r"^answers\.yaml:1:1: file: is not UTF-8 text \(byte 0xff\)",),
        {"answers.yaml": ANSWERS.encode("utf-16")},
    ),
    Case(
        "a NUL byte",
        ASSESS,
        (r"^answers\.yaml:1:30: file: control character U\+0000 \(NUL\) is not allowed; remove it$",),
        {"answers.yaml": answers_with("Mini partnership", "Mini partnership\x00")},
        timeout=_FIVE,
    ),
    Case(
        "a BEL",
        ASSESS,
        (r"^answers\.yaml:6:20: file: control character U\+0007 \(BEL\)",),
        {"answers.yaml": answers_with("Alex Lead", "Alex Lead\x07")},
    ),
    Case(
        "an ESC and a DEL on two lines",
        ASSESS,
        (r"^answers\.yaml:6:15: file: control character U\+001B \(ESC\)", r"^answers\.yaml:7:26: .*U\+007F \(DEL\)"),
        {"answers.yaml": answers_with("Alex Lead", "Alex\x1b[31mLead").replace("Library", "Library\x7f", 1)},
    ),
    Case(
        "a C1 control character",
        ASSESS,
        (r"^answers\.yaml:1:18: file: control character U\+009B is not allowed",),
        {"answers.yaml": answers_with("Mini partnership", "Mini\x9bpartnership")},
    ),
    Case(
        "a 10-level alias bomb",
        ASSESS,
        (r"^answers\.yaml:5:\d+: YAML: aliases stand for more than 100,000 values \(an alias bomb\?\)$",),
        {"answers.yaml": alias_bomb()},
        timeout=_FIVE,
    ),
    Case(
        "an alias inside the value it names",
        ASSESS,
        (r"^answers\.yaml:1:18: YAML: an alias may not refer to a value that holds it$",),
        {"answers.yaml": "partnership: &a [*a]\n"},
    ),
    Case(
        "an undefined alias",
        ASSESS,
        (r"^answers\.yaml:1:14: YAML: the alias 'nothing' refers to no '&' anchor above it$",),
        {"answers.yaml": "partnership: *nothing\n"},
    ),
    Case(
        "10,000 levels of nesting",
        ASSESS,
        (r"^answers\.yaml:1:\d+: YAML: nested deeper than 100 levels$",),
        {"answers.yaml": DEEP_FLOW},
        timeout=_FIVE,
    ),
    Case(
        "150 levels of indented nesting",
        ASSESS,
        (r"^answers\.yaml:100:\d+: YAML: nested deeper than 100 levels$",),
        {"answers.yaml": DEEP_BLOCK},
        timeout=_FIVE,
    ),
    # --- answers files: YAML and what it says ---------------------------------------------
    Case(
        "a YAML syntax error",
        ASSESS,
        (rf"^answers\.yaml{_LOC}: YAML: ",),
        {"answers.yaml": answers_with("  - id: core1\n", "  - id: core1\n   oops: [\n")},
    ),
    Case(
        "a key given twice",
        ASSESS,
        (r"^answers\.yaml:12:7: authority\.decisions_shared: appears twice in the same mapping$",),
        {"answers.yaml": answers_with("      authority.agreement: no\n", "      authority.decisions_shared: 4\n")},
    ),
    Case(
        "a misspelt question",
        ASSESS,
        (
            r"^answers\.yaml:10:7: respondent 'lead': delivery\.actions_have_ownrs: unknown question "
            r"\(did you mean 'delivery\.actions_have_owners'\?\)$",
        ),
        {"answers.yaml": answers_with("delivery.actions_have_owners: 2", "delivery.actions_have_ownrs: 2")},
    ),
    Case(
        "a scale answer out of range",
        ASSESS,
        (r"^answers\.yaml:11:35: respondent 'lead': authority\.decisions_shared: must be from 1 to 5 \(got 7\)$",),
        {"answers.yaml": answers_with("authority.decisions_shared: 5", "authority.decisions_shared: 7")},
    ),
    Case(
        "a long wrong value is shortened",
        ASSESS,
        (r"^answers\.yaml:13:23: respondent 'lead': authority\.type: must be one of .* \(got 'xxxxx+…\)$",),
        {"answers.yaml": answers_with("authority.type: collaborative", "authority.type: " + "x" * 5_000)},
    ),
    Case(
        "a free-text answer that is too long",
        ASSESS,
        (
            r"^answers\.yaml:14:27: respondent 'lead': authority\.comments: is 10,001 characters long; "
            r"a free-text answer may have at most 10,000$",
        ),
        {"answers.yaml": answers_with('"<script>alert(1)</script>"', "y" * 10_001)},
    ),
    Case(
        "an impossible date",
        ASSESS,
        (r"^answers\.yaml:2:14: assessed_on: .*\(got '2026-13-01'\)$",),
        {"answers.yaml": answers_with("2026-10-01", "2026-13-01")},
    ),
    Case(
        "an unknown role",
        ASSESS,
        (r"^answers\.yaml:24:11: respondent 'core2': role: .*'partner'",),
        {
            "answers.yaml": ANSWERS.replace(
                "role: core\n    answers:\n      authority.decisions_shared: 2",
                "role: partner\n    answers:\n      authority.decisions_shared: 2",
            )
        },
    ),
    Case("an empty answers file", ASSESS, (r"^answers\.yaml: file: is empty$",), {"answers.yaml": ""}),
    Case(
        "a list instead of a mapping",
        ASSESS,
        (r"^answers\.yaml:1:1: file: ",),
        {"answers.yaml": "- one\n- two\n"},
    ),
    Case(
        "two YAML documents in one file",
        ASSESS,
        (r"^answers\.yaml:\d+:\d+: YAML: but found another document$",),
        {"answers.yaml": ANSWERS + "---\n" + ANSWERS},
    ),
    # --- answers as people write them: one clear line each ----------------------------------
    Case(
        "a date written day first",
        ASSESS,
        (
            r"^answers\.yaml:2:14: assessed_on: must be a date written YYYY-MM-DD "
            r"\(did you mean 2026-10-14\?\) \(got '14/10/2026'\)$",
        ),
        {"answers.yaml": answers_with("2026-10-01", "14/10/2026")},
    ),
    Case(
        "a date written in words",
        ASSESS,
        (
            r"^answers\.yaml:2:14: assessed_on: must be a date written YYYY-MM-DD "
            r"\(did you mean 2026-10-01\?\) \(got 'October 1 2026'\)$",
        ),
        {"answers.yaml": answers_with("2026-10-01", "October 1 2026")},
    ),
    Case(
        "a date written as a number",
        ASSESS,
        (r"^answers\.yaml:2:14: assessed_on: must be a date written YYYY-MM-DD \(got 20261001\)$",),
        {"answers.yaml": answers_with("2026-10-01", "20261001")},
    ),
    Case(
        "an empty answer is one line, not one per answer type",
        ASSESS,
        (
            r"^answers\.yaml:20:34: respondent 'core1': authority\.decisions_shared: has no answer "
            r"\(write one, or leave the question out\)$",
        ),
        {"answers.yaml": answers_with("authority.decisions_shared: 1\n", "authority.decisions_shared:\n")},
    ),
    Case(
        "a list as an answer",
        ASSESS,
        (r"^answers\.yaml:27:27: respondent 'core2': delivery\.talk_only: must be a single value, not a list$",),
        {"answers.yaml": answers_with("delivery.talk_only: 5", "delivery.talk_only: [4, 5]")},
    ),
    Case(
        "an empty organisation",
        ASSESS,
        (r"^answers\.yaml:23:18: respondent 'core2': organisation: has no value ",),
        {"answers.yaml": answers_with("organisation: School", "organisation:")},
    ),
    Case(
        "a partnership name that is a mapping",
        ASSESS,
        (r"^answers\.yaml:1:14: partnership: must be a single value, not a mapping$",),
        {"answers.yaml": answers_with("partnership: Mini partnership", "partnership: {name: Mini}")},
    ),
    Case(
        "a version written as a number is read as written",
        ASSESS,
        (r"^answers\.yaml:3:16: questionnaire: answers are for questionnaire 1\.0, this is 1",),
        {"answers.yaml": answers_with('version: "1"', "version: 1.0")},
    ),
    Case(
        "a yes/no answer that is neither",
        ASSESS,
        (
            r"^answers\.yaml:12:28: respondent 'lead': authority\.agreement: "
            r"must be yes, no or dont_know \(got 'maybe'\)$",
        ),
        {"answers.yaml": answers_with("authority.agreement: no", "authority.agreement: maybe")},
    ),
    Case(
        "one person twice is named by respondent id, never by name",
        ASSESS,
        (
            r"^answers\.yaml:16:11: respondent 'core1': has the same name and organisation as respondent 'lead': "
            r"one person answers twice$",
        ),
        {"answers.yaml": answers_with("organisation: Youth Trust", "name: alex  lead\n    organisation: library")},
    ),
    Case(
        "a bad date on standard input is located in <stdin>",
        ("assess", "-", *RULES),
        (r"^<stdin>:2:14: assessed_on: must be a date written YYYY-MM-DD \(did you mean 2026-10-14\?\)",),
        stdin=answers_with("2026-10-01", "14/10/2026").encode(),
    ),
    # --- answers in JSON -----------------------------------------------------------------
    Case(
        "a JSON syntax error is labelled JSON",
        ("assess", "answers.json", *RULES),
        (r"^answers\.json:7:49: JSON: Expecting ',' delimiter$",),
        {
            "answers.json": ANSWERS_JSON.replace(
                '"authority.decisions_shard": 4}', '"authority.decisions_shard": 4 "x": 1}'
            )
        },
    ),
    Case(
        "a JSON trailing comma",
        ("assess", "answers.json", *RULES),
        (rf"^answers\.json{_LOC}: JSON: ",),
        {"answers.json": ANSWERS_JSON.replace('"version": "1"}', '"version": "1",}')},
    ),
    Case(
        "a NUL byte in JSON",
        ("assess", "answers.json", *RULES),
        (r"^answers\.json:2:35: file: control character U\+0000 \(NUL\)",),
        {"answers.json": ANSWERS_JSON.replace("Mini partnership", "Mini partnership\x00")},
        timeout=_FIVE,
    ),
    Case(
        "10,000 levels of JSON",
        ("assess", "answers.json", *RULES),
        (r"^answers\.json:1:\d+: JSON: nested deeper than 100 levels$",),
        {"answers.json": DEEP_JSON},
        timeout=_FIVE,
    ),
    Case(
        "JSON in Latin-1",
        ("assess", "answers.json", *RULES),
        (r"^answers\.json:2:27: file: is not UTF-8 text \(byte 0xe9\)",),
        {"answers.json": ANSWERS_JSON.replace("Mini partnership", "Mini café").encode("latin-1")},
    ),
    Case(
        "a misspelt question in JSON",
        ("assess", "answers.json", *RULES),
        (r"^answers\.json:7:18: respondent 'lead': authority\.decisions_shard: unknown question \(did you mean",),
        {"answers.json": ANSWERS_JSON},
    ),
    # --- answers on standard input (`assess -`) ---------------------------------------------
    Case(
        "standard input in Latin-1",
        ("assess", "-", *RULES),
        (r"^<stdin>:1:22: file: is not UTF-8 text \(byte 0xe9\)",),
        stdin=answers_with("Mini partnership", "Mini café").encode("latin-1"),
    ),
    Case(
        "a NUL byte on standard input",
        ("assess", "-", *RULES),
        (r"^<stdin>:1:30: file: control character U\+0000 \(NUL\)",),
        stdin=answers_with("Mini partnership", "Mini partnership\x00").encode(),
        timeout=_FIVE,
    ),
    Case(
        "standard input larger than the cap",
        ("assess", "-", *RULES),
        (rf"^<stdin>: file: is larger than 0\.01 MB \(set {MAX_FILE_MB_VARIABLE} to allow more\)$",),
        env={MAX_FILE_MB_VARIABLE: "0.01"},
        stdin=(ANSWERS + "# padding\n" * 1_000).encode(),
    ),
    Case(
        "an alias bomb on standard input",
        ("assess", "-", *RULES),
        (r"^<stdin>:5:\d+: YAML: aliases stand for more than",),
        stdin=alias_bomb().encode(),
        timeout=_FIVE,
    ),
    # --- survey exports ----------------------------------------------------------------
    Case(
        "a survey export that is a FIFO",
        ("assess", "export.csv", *RULES),
        (r"^export\.csv: file: is a FIFO \(named pipe\), not a file$",),
        {"export.csv": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "a survey export larger than the cap",
        ("assess", "export.csv", *RULES),
        (rf"^export\.csv: file: is larger than 0\.01 MB \(set {MAX_FILE_MB_VARIABLE} to allow more\)$",),
        {"export.csv": "organisation,role\n" + "Library,lead\n" * 2_000},
        env={MAX_FILE_MB_VARIABLE: "0.01"},
    ),
    # --- the questionnaire -----------------------------------------------------------------
    Case(
        "questionnaire missing",
        ("assess", "answers.yaml", "--rules", "rules", "--questionnaire", "nope.yaml"),
        (r"^nope\.yaml: file: no such file$",),
    ),
    Case(
        "questionnaire is a FIFO",
        ASSESS,
        (r"^questionnaire\.yaml: file: is a FIFO",),
        {"questionnaire.yaml": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "questionnaire with an ESC",
        ASSESS,
        (r"^questionnaire\.yaml:3:13: file: control character U\+001B \(ESC\)",),
        {"questionnaire.yaml": QUESTIONNAIRE.replace("Mini health", "Mini \x1bhealth")},
    ),
    Case(
        "questionnaire alias bomb",
        ASSESS,
        (r"^questionnaire\.yaml:5:\d+: YAML: aliases stand for more than",),
        {"questionnaire.yaml": alias_bomb()},
        timeout=_FIVE,
    ),
    Case(
        "questionnaire 10,000 levels deep",
        ASSESS,
        (r"^questionnaire\.yaml:1:\d+: YAML: nested deeper than 100 levels$",),
        {"questionnaire.yaml": DEEP_FLOW},
        timeout=_FIVE,
    ),
    Case(
        "questionnaire syntax error",
        ASSESS,
        (rf"^questionnaire\.yaml{_LOC}: YAML: ",),
        {"questionnaire.yaml": QUESTIONNAIRE.replace("title: Mini health check", "title: [Mini health check")},
    ),
    Case(
        "questionnaire without a title",
        ASSESS,
        (r"^questionnaire\.yaml:1:1: title: is required$",),
        {"questionnaire.yaml": QUESTIONNAIRE.replace("title: Mini health check\n", "")},
    ),
    # --- the rule base folder -------------------------------------------------------------
    Case(
        "rules folder missing",
        ("assess", "answers.yaml", "--rules", "nope", "--questionnaire", "questionnaire.yaml"),
        (r"^nope: rules: is not a folder$",),
    ),
    Case(
        "rules folder is a file",
        ("assess", "answers.yaml", "--rules", "answers.yaml", "--questionnaire", "questionnaire.yaml"),
        (r"^answers\.yaml: rules: is not a folder$",),
    ),
    Case(
        "a FIFO among the rule files",
        ASSESS,
        (r"^rules/extra\.yaml: file: is a FIFO \(named pipe\), not a file$",),
        {"rules/extra.yaml": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "a folder among the rule files",
        ASSESS,
        (r"^rules/extra\.yaml: file: is a folder, not a file$",),
        {"rules/extra.yaml": Folder()},
    ),
    Case(
        "a NUL byte in a rule file",
        ASSESS,
        (r"^rules/core\.yaml:3:34: file: control character U\+0000 \(NUL\)",),
        {"rules/core.yaml": CORE.replace("Actions have no owners", "Actions have no owners\x00", 1)},
        timeout=_FIVE,
    ),
    Case(
        "10,000 levels in a rule file",
        ASSESS,
        (r"^rules/extra\.yaml:1:\d+: YAML: nested deeper than 100 levels$",),
        {"rules/extra.yaml": "rules: " + "[" * 10_000 + "]" * 10_000 + "\n"},
        timeout=_FIVE,
    ),
    Case(
        "a rule file alias bomb",
        ASSESS,
        (r"^rules/extra\.yaml:5:\d+: YAML: aliases stand for more than",),
        {"rules/extra.yaml": alias_bomb()},
        timeout=_FIVE,
    ),
    Case(
        "a rule file syntax error",
        ASSESS,
        (rf"^rules/core\.yaml{_LOC}: YAML: ",),
        {"rules/core.yaml": CORE.replace("severity: high", "severity: [high", 1)},
    ),
    Case(
        "a rule on a misspelt question",
        ASSESS,
        (
            r"^rules/core\.yaml:10:11: rule 'talk\.no-owners': when\.any\[0\]: "
            r"unknown question 'delivery\.actions_have_ownrs' \(did you mean 'delivery\.actions_have_owners'\?\)$",
        ),
        {
            "rules/core.yaml": CORE.replace(
                "question: delivery.actions_have_owners", "question: delivery.actions_have_ownrs"
            )
        },
    ),
    Case(
        "rulebase.yaml missing",
        ASSESS,
        (r"^rules/rulebase\.yaml: file: is a folder, not a file$",),
        {"rules/rulebase.yaml": Folder()},
    ),
    Case(
        "rulebase.yaml in Latin-1",
        ASSESS,
        (r"^rules/rulebase\.yaml:9:19: file: is not UTF-8 text \(byte 0xe9\)",),
        {"rules/rulebase.yaml": RULEBASE.replace("Power imbalance", "Power déséquilibre").encode("latin-1")},
    ),
    # --- remedies and guides ---------------------------------------------------------------
    Case(
        "remedies with a BEL",
        ASSESS,
        (r"^rules/remedies\.yaml:3:42: file: control character U\+0007 \(BEL\)",),
        {"rules/remedies.yaml": REMEDIES.replace("every action", "every action\x07", 1)},
    ),
    Case(
        "a remedy field given twice",
        ASSESS,
        (r"^rules/remedies\.yaml:4:5: title: appears twice in the same mapping$",),
        {"rules/remedies.yaml": REMEDIES.replace("    steps:", "    title: Again\n    steps:", 1)},
    ),
    Case(
        "a rule prescribing an unknown remedy",
        ASSESS,
        (r"^rules/core\.yaml:13:16: rule 'talk\.no-owners': unknown remedy 'name-action-ownrs'",),
        {"rules/core.yaml": CORE.replace("remedies: [name-action-owners]", "remedies: [name-action-ownrs]", 1)},
    ),
    Case(
        "guides is a FIFO",
        ASSESS,
        (r"^rules/guides\.yaml: file: is a FIFO",),
        {"rules/guides.yaml": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "guides syntax error",
        ASSESS,
        (rf"^rules/guides\.yaml{_LOC}: YAML: ",),
        {"rules/guides.yaml": GUIDES.replace("sections: [", "sections: [[", 1)},
    ),
    Case(
        "a rule citing an unknown guide",
        ASSESS,
        (r"^rules/core\.yaml:6:21: rules\[0\]\.source: unknown guide 'Participat' \(did you mean 'Participate'\?\)$",),
        {"rules/core.yaml": CORE.replace("source: {guide: Participate,", "source: {guide: Participat,", 1)},
    ),
    # --- templates -------------------------------------------------------------------------
    Case(
        "a template with a syntax error",
        (*ASSESS, "--template-dir", "templates"),
        (r"^templates/report\.md\.j2:2: template: Expected an expression, got 'end of statement block'$",),
        {"templates/report.md.j2": "# {{ a.partnership }}\n{% if %}\n"},
        timeout=_FIVE,
    ),
    Case(
        "a template with an undefined name",
        (*ASSESS, "--template-dir", "templates"),
        (r"^templates/report\.md\.j2:3: template: 'no_such_name' is undefined$",),
        {"templates/report.md.j2": "# {{ a.partnership }}\n\n{{ no_such_name }}\n"},
    ),
    Case(
        "a template that includes itself",
        (*ASSESS, "--template-dir", "templates"),
        (r"^templates/report\.md\.j2:2: template: includes itself \(or nests includes too deeply\)$",),
        {"templates/report.md.j2": "x\n{% include 'report.md.j2' %}\n"},
        timeout=_FIVE,
    ),
    Case(
        "a template including a missing one",
        (*ASSESS, "--template-dir", "templates"),
        (r"^templates/report\.md\.j2:1: template: includes a template that does not exist: 'nope\.j2'$",),
        {"templates/report.md.j2": "{% include 'nope.j2' %}\n"},
    ),
    Case(
        "a broken part of the HTML report",
        (*ASSESS, "--template-dir", "templates", "--format", "html"),
        (r"^templates/parts/logo\.html\.j2:1: template: 'logo_url' is undefined$",),
        {"templates/parts/logo.html.j2": "<img src='{{ logo_url }}'>\n"},
    ),
    Case(
        "a template that is a FIFO",
        (*ASSESS, "--template-dir", "templates"),
        (r"^templates/report\.md\.j2: file: is a FIFO",),
        {"templates/report.md.j2": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "a template in Latin-1",
        (*ASSESS, "--template-dir", "templates"),
        (r"^templates/report\.md\.j2:2:4: file: is not UTF-8 text \(byte 0xe9\)",),
        {"templates/report.md.j2": "# x\ncaf\xe9\n".encode("latin-1")},
    ),
    Case(
        "--template-dir that does not exist",
        (*ASSESS, "--template-dir", "nope"),
        (r"error: --template-dir nope: no such folder$",),
        code=2,
    ),
    Case(
        "--template-dir that is a file",
        (*ASSESS, "--template-dir", "answers.yaml"),
        (r"error: --template-dir answers\.yaml: is not a folder$",),
        code=2,
    ),
    # --- feature files, for the linter -------------------------------------------------------
    Case(
        "a feature file in Latin-1",
        LINT,
        (r"^features/bad\.feature:2:12: file: is not UTF-8 text \(byte 0xe9\)",),
        {
            "features/good.feature": GOOD_FEATURE,
            "features/bad.feature": "Feature: x\n  Given caf\xe9\n".encode("latin-1"),
        },
    ),
    Case(
        "a feature file that is a FIFO",
        LINT,
        (r"^features/bad\.feature: file: is a FIFO",),
        {"features/good.feature": GOOD_FEATURE, "features/bad.feature": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "lint of a rule base with a FIFO",
        LINT,
        (r"^rules/extra\.yaml: file: is a FIFO",),
        {"features/good.feature": GOOD_FEATURE, "rules/extra.yaml": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "lint of a rule base with a NUL byte",
        LINT,
        (r"^rules/core\.yaml:3:34: file: control character U\+0000",),
        {"features/good.feature": GOOD_FEATURE, "rules/core.yaml": CORE.replace("no owners", "no owners\x00", 1)},
    ),
    # --- where the report goes ------------------------------------------------------------------
    Case(
        "--output onto a symbolic link",
        (*ASSESS, "--output", "link.md"),
        (r"^link\.md: output: is a symbolic link; not replaced",),
        {"target.md": "last year's report\n", "link.md": Link("target.md")},
    ),
    Case(
        "--output onto a link to the answers",
        (*ASSESS, "--output", "link.yaml"),
        (r"^link\.yaml: output: is a symbolic link; not replaced",),
        {"link.yaml": Link("answers.yaml")},
    ),
    Case(
        "--output onto a FIFO",
        (*ASSESS, "--output", "pipe.md"),
        (r"^pipe\.md: output: is a FIFO \(named pipe\), not a file; not replaced$",),
        {"pipe.md": Fifo()},
        timeout=_FIVE,
    ),
    Case(
        "--output onto a device node",
        (*ASSESS, "--output", "null.md"),
        (r"^null\.md: output: is a character device, not a file; not replaced$",),
        {"null.md": Device()},
    ),
    Case(
        "--output onto the answers file",
        (*ASSESS, "--output", "answers.yaml", "--format", "md"),
        (r"^answers\.yaml: output: is an input file \(answers\.yaml\); not replaced$",),
    ),
    Case(
        "--output onto a hard link to the answers file",
        (*ASSESS, "--output", "copy.md"),
        (r"^copy\.md: output: is an input file \(answers\.yaml\); not replaced$",),
        {"copy.md": HardLink("answers.yaml")},
    ),
    Case(
        "--output onto the questionnaire",
        (*ASSESS, "--output", "questionnaire.yaml", "--format", "md"),
        (r"^questionnaire\.yaml: output: is an input file",),
    ),
    Case(
        "--output onto a rule file",
        (*ASSESS, "--output", "rules/core.yaml", "--format", "md"),
        (r"^rules/core\.yaml: output: is an input file \(rules/core\.yaml\); not replaced$",),
    ),
    Case(
        "--output onto a template",
        (*ASSESS, "--template-dir", "templates", "--output", "templates/report.md.j2", "--format", "md"),
        (r"^templates/report\.md\.j2: output: is an input file",),
        {"templates/report.md.j2": "# {{ a.partnership }}\n"},
    ),
    Case(
        "--output onto a read-only file",
        (*ASSESS, "--output", "old.md"),
        (r"^old\.md: output: is read-only; not replaced$",),
        {"old.md": "last year's report\n"},
    ),
    Case(
        "--output onto a folder",
        (*ASSESS, "--output", "reports.md"),
        (r"^reports\.md: output: is a folder, not a file; not replaced$",),
        {"reports.md": Folder()},
    ),
    Case(
        "--output into a missing folder",
        (*ASSESS, "--output", "nope/report.md"),
        (r"^nope/report\.md: output: the folder nope does not exist$",),
    ),
    Case(
        "demo --output onto a symbolic link",
        ("demo", "--output", "link.html"),
        (r"^link\.html: output: is a symbolic link; not replaced",),
        {"target.html": "<p>mine</p>\n", "link.html": Link("target.html")},
    ),
    Case(
        "import --output onto the export it reads",
        ("import", "export.csv", "--questionnaire", "questionnaire.yaml", "--output", "export.csv"),
        (r"^export\.csv: output: is an input file \(export\.csv\); not replaced$",),
        {"export.csv": "organisation,role,authority.decisions_shared\nLibrary,lead,4\n"},
    ),
    Case(
        "export --output onto the questionnaire",
        ("export", "yaml-template", "--questionnaire", "questionnaire.yaml", "--output", "questionnaire.yaml"),
        (r"^questionnaire\.yaml: output: is an input file \(questionnaire\.yaml\); not replaced$",),
    ),
    Case(
        "a suffix that contradicts --format",
        (*ASSESS, "--output", "report.pdf", "--format", "md"),
        (r"error: --output report\.pdf names a pdf file but --format is md; give a name that matches",),
        code=2,
    ),
    Case("an unknown format", (*ASSESS, "--format", "docx"), (r"error: argument --format: invalid choice",), code=2),
    Case(
        "--min-group 0",
        (*ASSESS, "--min-group", "0"),
        (r"error: argument --min-group: must be a whole number",),
        code=2,
    ),
    Case("--by nobody", (*ASSESS, "--by", "nobody"), (r"error: argument --by: invalid choice",), code=2),
]

READ_ONLY = {"old.md"}


def make(folder: Path, name: str, content: Content) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()
    if isinstance(content, Fifo):
        os.mkfifo(path)
    elif isinstance(content, Device):
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except OSError as error:
            pytest.skip(f"cannot make a device node here ({error})")
    elif isinstance(content, Folder):
        path.mkdir()
    elif isinstance(content, Link):
        path.symlink_to(content.to)
    elif isinstance(content, HardLink):
        os.link(folder / content.to, path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if name in READ_ONLY:
        path.chmod(0o444)


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``folder``: its type and permissions, and for a file its content's hash."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else ""
        if stat.S_ISLNK(info.st_mode):
            digest = os.readlink(path)
        seen[str(path.relative_to(folder))] = (info.st_mode, digest)
    return seen


class Hung(BaseException):
    """The case ran past its time limit (a BaseException, so the command line cannot catch it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def hung(number: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_there_are_at_least_60_cases_with_distinct_names() -> None:
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.fixture(params=["libyaml", "python"])
def yaml_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each case is read with libyaml's parser (when PyYAML has it) and with the pure-Python one."""
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            missing("PyYAML was built without libyaml")
        assert reader.YAML_LOADER is not reader._SafeLoader
    else:
        monkeypatch.setattr(reader, "YAML_LOADER", reader._SafeLoader)
    return str(request.param)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_one_located_line_per_problem_and_changes_nothing(
    case: Case, yaml_reader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "answers.yaml").write_text(ANSWERS, encoding="utf-8")
    (tmp_path / "questionnaire.yaml").write_text(QUESTIONNAIRE, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    for rule_file in (MINI / "rules").glob("*.yaml"):
        (tmp_path / "rules" / rule_file.name).write_text(rule_file.read_text(encoding="utf-8"), encoding="utf-8")
    for name, content in case.files.items():
        make(tmp_path, name, content)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    if case.stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(case.stdin)))
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)

    with time_limit(case.timeout):
        code = main(list(case.argv))
    captured = capsys.readouterr()

    assert code == case.code, captured.err
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    lines = captured.err.splitlines()
    if case.code == 2:
        assert lines[0].startswith("usage: partnership-health"), captured.err
        lines = lines[-1:]
    elif lines and re.fullmatch(r"\d+ problems? found:", lines[0]):
        lines = lines[1:]
    else:  # only the linter lists problems without a count (it prints the count on stdout)
        assert case.argv[:2] == ("rules", "lint"), captured.err
    assert len(lines) == len(case.lines), captured.err
    for line, expected in zip(lines, case.lines, strict=True):
        assert re.search(expected, line), f"{line!r} does not match {expected!r}"
    assert snapshot(tmp_path) == before, "the folder changed: a report or a temporary file was left behind"


# --- what only a separate process shows: signals, pipes, a full disk --------------------------


def cli(*argv: str) -> list[str]:
    return [sys.executable, "-c", "from partnership_health.cli import entry_point; entry_point()", *argv]


@pytest.mark.parametrize(
    ("sent", "code", "said"), [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")]
)
def test_a_run_stopped_while_it_writes_a_pdf_leaves_nothing_behind(
    sent: signal.Signals, code: int, said: str, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    (tmp_path / "report.pdf").write_bytes(b"last year's report")
    process = subprocess.Popen(
        cli("assess", str(REPO / "examples" / "riverside.yaml"), "--output", "report.pdf"),
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(6000):  # the temporary file appears when the PDF starts; stop it then
            if any(tmp_path.glob(".report.pdf.*")) or process.poll() is not None:
                break
            time.sleep(0.01)
        assert process.poll() is None, "finished before the temporary file could be seen"
        process.send_signal(sent)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()

    assert process.returncode == code
    assert err == f"partnership-health: {said}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.pdf"]
    assert (tmp_path / "report.pdf").read_bytes() == b"last year's report"


def test_an_interrupt_while_a_chart_is_drawn_into_the_pdf_still_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint catches every exception around drawing an SVG image and only logs it: a
    # Ctrl-C (or the command line's SIGTERM) landing there was lost and the PDF written anyway.
    weasyprint_svg = pytest.importorskip("weasyprint.svg")
    from partnership_health.reporting.pdf import html_to_pdf

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(weasyprint_svg.SVG, "draw", interrupted)
    chart = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="20" height="10"/></svg>'

    with pytest.raises(KeyboardInterrupt):
        html_to_pdf(f"<p>Scores</p>{chart}")


def test_a_reader_that_stops_reading_gets_no_broken_pipe_message() -> None:
    # Like `partnership-health questionnaire | head -1`, with a reader that has gone before the first write.
    process = subprocess.run(
        f'{shlex.join(cli("questionnaire"))} | (exec 0<&-; sleep 1); echo "status ${{PIPESTATUS[0]}}"',
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
        timeout=60,
    )

    assert process.stderr == ""
    assert process.stdout == "status 1\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_that_cannot_be_written_exits_1_with_one_line() -> None:
    with open("/dev/full", "w") as full:
        process = subprocess.run(cli("rules"), stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)

    assert process.returncode == 1
    assert process.stderr == "partnership-health: cannot write to standard output (No space left on device)\n"


def test_a_failure_inside_the_rule_engine_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import partnership_health.core.assessment

    def fails(*args: object, **kwargs: object) -> None:
        raise RuleEngineError("rule 'talk.no-owners' raised ZeroDivisionError")

    monkeypatch.setattr(partnership_health.core.assessment, "assess", fails)  # as the command imports it

    code = main(["assess", str(MINI / "answers.yaml"), *RULES_OF_MINI])

    assert code == 1
    assert capsys.readouterr().err == (
        "partnership-health: the rule engine failed: rule 'talk.no-owners' raised ZeroDivisionError\n"
    )


def test_the_library_refuses_to_write_a_report_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "target.md").write_text("mine\n")
    (tmp_path / "link.md").symlink_to("target.md")

    with pytest.raises(InputError) as error:
        write_report("# report\n", tmp_path / "link.md")

    assert str(error.value.issues[0]).endswith(
        "link.md: output: is a symbolic link; not replaced (name the file itself, or a new file)"
    )
    assert (tmp_path / "target.md").read_text() == "mine\n"
    assert (tmp_path / "link.md").is_symlink()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.md", "target.md"]


def test_a_json_answers_file_with_a_byte_order_mark_is_read(tmp_path: Path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_bytes(b"\xef\xbb\xbf" + ANSWERS_JSON.replace("decisions_shard", "decisions_shared").encode())

    code = main(["assess", str(answers), *RULES_OF_MINI, "--format", "json"])

    assert code == 0, capsys.readouterr().err


# --- the format follows the output's name --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [("report.json", b"{"), ("report.html", b"<!doctype html>"), ("report.md", b"# "), ("report.csv", b"\xef\xbb\xbf")],
)
def test_without_format_the_output_suffix_picks_the_format(name: str, starts: bytes, tmp_path: Path) -> None:
    code = main(["assess", str(MINI / "answers.yaml"), *RULES_OF_MINI, "--output", str(tmp_path / name)])

    assert code == 0
    assert (tmp_path / name).read_bytes().startswith(starts)
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


def test_an_output_named_pdf_gets_a_pdf(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")

    code = main(["assess", str(MINI / "answers.yaml"), *RULES_OF_MINI, "--output", str(tmp_path / "report.pdf")])

    assert code == 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_the_demo_as_pdf_is_named_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("weasyprint")
    monkeypatch.chdir(tmp_path)

    code = main(["demo", "--format", "pdf"])

    assert code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["partnership-health-report.pdf"]
    assert (tmp_path / "partnership-health-report.pdf").read_bytes().startswith(b"%PDF-")
