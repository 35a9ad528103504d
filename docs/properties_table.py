"""Print the figures table of docs/questionnaire-properties.md from folders of answers files.

    .venv/bin/python docs/properties_table.py examples/programme
    .venv/bin/python docs/properties_table.py --influence

Reads every answers file (``*.yaml``, ``*.yml``, ``*.json``) in the folders named and
their subfolders with the package's own loader, against the bundled questionnaire; keeps
the latest assessment of each partnership (by its ``partnership`` name and
``assessed_on`` date), as the programme view does; and prints, in Markdown, the figures
of :func:`partnership_health.programme.properties.compute_properties` per section. A file
that is not a valid answers file is named on stderr with its first problem and left out.

``--influence`` prints instead the simulation behind alpha's minimum of respondents: how
far the one most influential respondent moves alpha, by the number of respondents.
"""

from __future__ import annotations

import random
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

import partnership_health as ph
from partnership_health.models import Figure
from partnership_health.programme.properties import compute_properties

SUFFIXES = (".yaml", ".yml", ".json")


def latest(paths: Sequence[Path], questionnaire: ph.Questionnaire) -> list[ph.Answers]:
    """The latest assessment of each partnership in the answers files under ``paths``."""
    kept: dict[str, ph.Answers] = {}
    for path in paths:
        for file in sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
            try:
                answers = ph.load_answers(file, questionnaire)
            except ph.InputError as error:
                print(f"left out: {error.issues[0]}", file=sys.stderr)
                continue
            before = kept.get(answers.partnership)
            if before is None or answers.assessed_on > before.assessed_on:
                kept[answers.partnership] = answers
    return [kept[name] for name in sorted(kept)]


def cell(figure: Figure) -> str:
    n = figure.n if figure.n is not None else figure.n_words
    if figure.value is not None:
        return f"{figure.value:.2f} (n = {n})"
    return f"{figure.status} (n = {n})"


def table(paths: Sequence[Path]) -> str:
    """The figures table, in Markdown, for the answers files under ``paths``."""
    questionnaire = ph.load_questionnaire()
    kept = latest(paths, questionnaire)
    result = compute_properties(questionnaire, [[r.answers for r in a.respondents] for a in kept])
    lines = [
        f"{result.respondents} respondents in {result.partnerships} partnerships (the latest assessment of each), "
        f"questionnaire {result.questionnaire} version {result.version}. Alpha's n: respondents who answered "
        "every statement of the section; the others' n: partnerships.",
        "",
        "| Section | Statements | Cronbach's alpha | Mean rwg | ICC(1) | ICC(2) | Mean size | Statements listed |",
        "|---|---:|---|---|---|---|---:|---:|",
    ]
    for s in result.sections:
        size = "–" if s.mean_group_size is None else f"{s.mean_group_size:.1f}"
        lines.append(
            f"| {s.title} | {s.items} | {cell(s.alpha)} | {cell(s.agreement)} | {cell(s.icc1)} | {cell(s.icc2)} "
            f"| {size} | {len(s.flagged)} |"
        )
    return "\n".join(lines) + "\n"


def alpha(rows: Sequence[Sequence[int]]) -> float:
    """Cronbach's alpha by its variance formula."""
    k = len(rows[0])
    item_variances = sum(statistics.variance(column) for column in zip(*rows, strict=True))
    return k / (k - 1) * (1 - item_variances / statistics.variance([sum(row) for row in rows]))


def influence(sizes: Sequence[int] = (30, 50, 100), samples: int = 200, items: int = 6) -> str:
    """How far one respondent moves alpha: in ``samples`` simulated sections of ``items`` statements
    (each respondent a level drawn from N(3, 0.7), each answer that level plus N(0, 0.8) noise,
    rounded and kept to 1-5), the largest change of alpha from leaving out any one respondent, by the
    number of respondents."""
    rng = random.Random(4)
    lines = [
        "| Respondents | Median alpha | Median largest change | Samples where it is 0.02 or more |",
        "|---:|---:|---:|---:|",
    ]
    for n in sizes:
        changes, alphas = [], []
        for _ in range(samples):
            levels = [rng.gauss(3, 0.7) for _ in range(n)]
            rows = [[min(5, max(1, round(level + rng.gauss(0, 0.8)))) for _ in range(items)] for level in levels]
            whole = alpha(rows)
            alphas.append(whole)
            changes.append(max(abs(alpha(rows[:i] + rows[i + 1 :]) - whole) for i in range(n)))
        share = sum(change >= 0.02 for change in changes) / samples
        lines.append(f"| {n} | {statistics.median(alphas):.2f} | {statistics.median(changes):.3f} | {share:.0%} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: properties_table.py FOLDER... | --influence", file=sys.stderr)
        return 2
    if list(argv) == ["--influence"]:
        sys.stdout.write(influence())
        return 0
    sys.stdout.write(table([Path(a) for a in argv]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
