"""Every cited guide section can be found in the guide's own text."""

from __future__ import annotations

import re

import pytest

import partnership_health as ph

from .conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"


def normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").casefold()
    return re.sub(r"\s+", " ", text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the guides' texts live in ../shared/seeds (beside the clone in CI)")
def test_every_listed_section_heading_appears_in_its_guide(rulebase: ph.RuleBase) -> None:
    missing = []
    for guide in rulebase.guides:
        text = normal((SEEDS / guide.file).read_text(encoding="utf-8"))
        for section in guide.sections:
            # nested headings are written "outer: inner"; each part is in the text
            for part in section.split(": "):
                if normal(part) not in text:
                    missing.append(f"{guide.name}: {section!r} ({part!r})")
    assert not missing, missing


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", normal(text))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the guides' texts live in ../shared/seeds (beside the clone in CI)")
def test_no_remedy_step_copies_a_run_of_eight_words_from_the_guides(rulebase: ph.RuleBase) -> None:
    guides = " ".join(" ".join(words((SEEDS / guide.file).read_text(encoding="utf-8"))) for guide in rulebase.guides)
    copied = []
    for remedy in rulebase.remedies:
        for step in remedy.steps:
            said = words(step.text)
            runs = [" ".join(said[n : n + 8]) for n in range(len(said) - 7)]
            copied += [f"{remedy.id}: {run!r}" for run in runs if f" {run} " in f" {guides} "]
    assert not copied, copied


def test_one_to_one_conversations_are_prescribed_only_where_the_guides_use_them(rulebase: ph.RuleBase) -> None:
    # Help through Crisis uses one-to-one meetings as part of communication between
    # partners, and to gather ideas for improvement that people would not raise in a
    # meeting (Manchester Mind); no guide uses them for trust, values, disputes or roles.
    prescribing = {rule.id for rule in rulebase.rules if "hold-one-to-one-partner-conversations" in rule.remedies}

    assert prescribing == {"comms.problems-not-raised", "comms.not-frank"}
