"""How the questionnaire behaves: alpha, item-rest r, agreement and ICCs on pooled answers.

Each figure is checked against a computation made here independently (the variance
formula, a published example), and the rules that decide what is shown: the minimums,
reverse scoring, "don't know", the statements listed as behaving badly, degenerate data.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
from collections.abc import Sequence

import pytest
from markdown_it import MarkdownIt
from pydantic import ValidationError

from partnership_health.models import DONT_KNOW, Minimums, Questionnaire, QuestionnaireProperties
from partnership_health.programme.properties import compute_properties
from partnership_health.reporting.environment import environment

from .conftest import REPO

SOURCE = {"guide": "Participate", "section": "a) All talk no action"}
FEW = Minimums(complete_respondents=2, partnerships=3, agreement_respondents=3, icc_partnerships=3)
"""Minimums low enough for the small matrices worked by hand."""


def questionnaire_of(sections: dict[str, Sequence[str]]) -> Questionnaire:
    """A questionnaire whose sections hold agreement statements; an id ending in '-' is reverse-scored."""
    return Questionnaire.model_validate(
        {
            "id": "test",
            "version": "1",
            "title": "Test",
            "sections": [
                {
                    "id": section,
                    "title": section.title(),
                    "questions": [
                        {
                            "id": f"{section}.{name.rstrip('-')}",
                            "text": f"Statement {name.rstrip('-')}.",
                            "type": "scale",
                            "reverse": name.endswith("-"),
                            "source": SOURCE,
                        }
                        for name in names
                    ],
                }
                for section, names in sections.items()
            ],
        }
    )


def answers(section: str, names: Sequence[str], rows: Sequence[Sequence[int | str | None]]) -> list[dict[str, object]]:
    """Respondents' answers from rows of values (None: left unanswered)."""
    return [
        {f"{section}.{name}": value for name, value in zip(names, row, strict=True) if value is not None}
        for row in rows
    ]


def made_up(seed: int, partnerships: int, size: int, items: int, noise: float = 0.8) -> list[list[list[int]]]:
    """Answers driven by one level per partnership and per person, plus noise on each statement."""
    rng = random.Random(seed)
    made = []
    for _ in range(partnerships):
        level = rng.gauss(3, 0.8)
        people = []
        for _ in range(size):
            person = level + rng.gauss(0, 0.5)
            people.append([min(5, max(1, round(person + rng.gauss(0, noise)))) for _ in range(items)])
        made.append(people)
    return made


def hand_alpha(columns: Sequence[Sequence[int]]) -> float:
    """Cronbach (1951): k / (k - 1) * (1 - sum of the items' variances / variance of the totals)."""
    k = len(columns)
    totals = [sum(row) for row in zip(*columns, strict=True)]
    return k / (k - 1) * (1 - sum(statistics.variance(c) for c in columns) / statistics.variance(totals))


# --- the figures against an independent computation ---------------------------------------


def test_alpha_item_rest_and_alpha_without_an_item_match_the_formulas_worked_by_hand() -> None:
    names = ["a", "b", "c", "d"]
    rows = [
        [4, 5, 4, 3],
        [2, 2, 3, 2],
        [5, 4, 5, 4],
        [3, 3, 2, 3],
        [1, 2, 2, 1],
        [4, 4, 5, 5],
        [3, 2, 3, 4],
        [5, 5, 4, 4],
        [2, 3, 1, 2],
    ]
    partnerships = [answers("s", names, rows[i : i + 3]) for i in (0, 3, 6)]
    section = compute_properties(questionnaire_of({"s": names}), partnerships, minimums=FEW).sections[0]
    columns = [[row[i] for row in rows] for i in range(4)]

    assert section.complete == 9 and section.complete_partnerships == 3
    assert section.alpha.status == "shown" and section.alpha.n == 9
    assert section.alpha.value == pytest.approx(hand_alpha(columns), abs=1e-12)
    for i, item in enumerate(section.item_list):
        others = [c for j, c in enumerate(columns) if j != i]
        rest = [sum(values) for values in zip(*others, strict=True)]
        assert item.item_rest.value == pytest.approx(statistics.correlation(columns[i], rest), abs=1e-12)
        assert item.alpha_if_deleted.value == pytest.approx(hand_alpha(others), abs=1e-12)


def test_the_iccs_match_shrout_and_fleiss_1979_one_way_example() -> None:
    # Shrout and Fleiss (1979), Psychological Bulletin 86, 420-428, Table 2: four ratings each of six
    # targets; the one-way random model gives ICC(1,1) = .17 and ICC(1,4) = .44, which Bliese (2000)
    # calls ICC(1) and ICC(2). Each rating x (1-10) is made a respondent whose nine answers sum to
    # 4x + 5, so their section mean is (4x + 5) / 9: a straight line of x, which leaves ICCs as they are.
    table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    names = [f"q{i}" for i in range(9)]

    def nine_answers(x: int) -> list[int | str | None]:
        extra = 4 * x - 4  # above the nine 1s
        row: list[int | str | None] = []
        for _ in names:
            step = min(4, extra)
            row.append(1 + step)
            extra -= step
        return row

    partnerships = [answers("s", names, [nine_answers(x) for x in ratings]) for ratings in table]
    section = compute_properties(questionnaire_of({"s": names}), partnerships, minimums=FEW).sections[0]

    assert section.icc1.status == section.icc2.status == "shown"
    assert (section.icc1.n, section.icc1.unit, section.mean_group_size) == (6, "partnerships", 4.0)
    assert round(section.icc1.value or 0, 2) == 0.17
    assert round(section.icc2.value or 0, 2) == 0.44
    # and to three places, from the paper's mean squares (between targets 11.24, within 6.26)
    assert section.icc1.value == pytest.approx((11.24 - 6.26) / (11.24 + 3 * 6.26), abs=1e-3)
    assert section.icc2.value == pytest.approx((11.24 - 6.26) / 11.24, abs=1e-3)


def test_agreement_is_the_reports_rwg_of_section_means_averaged_over_partnerships() -> None:
    names = ["a", "b"]
    groups = [[[5, 5], [4, 5], [5, 4]], [[1, 3], [2, 2], [5, 5]], [[3, 3], [3, 3], [3, 3], [4, 2]], [[2, 2], [4, 4]]]
    partnerships = [answers("s", names, rows) for rows in groups]
    section = compute_properties(questionnaire_of({"s": names}), partnerships, minimums=FEW).sections[0]

    # rwg = 1 - s^2 / 2 of each respondent's mean (James, Demaree and Wolf 1984), below 0 as 0; the
    # last partnership has two respondents, fewer than three, and does not count.
    def rwg(means: list[float]) -> float:
        return max(0.0, 1 - statistics.variance(means) / 2)

    expected = [rwg([sum(r) / 2 for r in rows]) for rows in groups[:3]]
    # 3 of the 4: the exact n would tell that one partnership lacks the figure, so it is said in words.
    assert (section.agreement.n, section.agreement.unit) == (None, "partnerships")
    assert section.agreement.n_words == "all but fewer than 3 of the 4"
    assert section.agreement.value == pytest.approx(sum(expected) / 3, abs=1e-12)


# --- what enters ---------------------------------------------------------------------------


def test_a_reverse_scored_statement_is_turned_round_before_anything_is_computed() -> None:
    made = made_up(seed=7, partnerships=25, size=4, items=4, noise=0.6)
    as_written = [[[*row[:3], 6 - row[3]] for row in people] for people in made]  # agreeing with d is unhealthy
    partnerships = [answers("s", ["a", "b", "c", "d"], people) for people in as_written]

    recoded = compute_properties(questionnaire_of({"s": ["a", "b", "c", "d-"]}), partnerships).sections[0]
    not_recoded = compute_properties(questionnaire_of({"s": ["a", "b", "c", "d"]}), partnerships).sections[0]

    assert (recoded.item_list[3].item_rest.value or 0) > 0.5
    assert not [f for f in recoded.flagged if f.question == "s.d"]
    assert (not_recoded.item_list[3].item_rest.value or 0) < 0
    assert [f.reasons[0].split(":")[0] for f in not_recoded.flagged if f.question == "s.d"] == [
        f"its item-rest r is negative ({not_recoded.item_list[3].item_rest.value:.2f})"
    ]


def test_dont_know_counts_as_no_answer_and_is_counted_apart() -> None:
    made = made_up(seed=3, partnerships=10, size=4, items=3)
    names = ["a", "b", "c"]
    with_dont_know = [answers("s", names, people) for people in made]
    with_dont_know[0][0]["s.b"] = DONT_KNOW
    left_out = [answers("s", names, people) for people in made]
    del left_out[0][0]["s.b"]
    q = questionnaire_of({"s": names})

    said = compute_properties(q, with_dont_know, minimums=FEW).sections[0]
    unanswered = compute_properties(q, left_out, minimums=FEW).sections[0]

    assert said.complete == unanswered.complete == 39
    assert said.alpha == unanswered.alpha and said.icc1 == unanswered.icc1 and said.agreement == unanswered.agreement
    assert (said.item_list[1].answered, said.item_list[1].dont_know) == (39, 1)
    assert (unanswered.item_list[1].answered, unanswered.item_list[1].dont_know) == (39, 0)


def test_answers_to_other_questions_are_ignored_and_a_bad_answer_is_named() -> None:
    q = questionnaire_of({"s": ["a", "b"]})
    good = [[{"s.a": 4, "s.b": 5, "other.number": 7.5}] for _ in range(3)]
    assert compute_properties(q, good).respondents == 3

    with pytest.raises(ValueError, match=r"partnership 2, respondent 1: 's\.b' .* 1-5 or 'dont_know' \(got 7\)"):
        compute_properties(q, [[{"s.a": 4}], [{"s.b": 7}]])
    with pytest.raises(ValueError, match=r"\(got True\)"):
        compute_properties(q, [[{"s.a": True}]])


# --- what is shown, and what is not ---------------------------------------------------------


def test_alpha_needs_a_hundred_complete_respondents_from_three_partnerships() -> None:
    q = questionnaire_of({"s": ["a", "b", "c"]})
    made = made_up(seed=11, partnerships=25, size=4, items=3)
    hundred = [answers("s", ["a", "b", "c"], people) for people in made]
    ninety_nine = [list(people) for people in hundred]
    ninety_nine[0][0] = {"s.a": 3}  # answered one statement of three: not complete

    assert compute_properties(q, hundred).sections[0].alpha.status == "shown"
    alpha = compute_properties(q, ninety_nine).sections[0].alpha
    assert (alpha.status, alpha.value, alpha.n) == ("not enough data", None, 99)
    assert "99 respondents answered every statement" in (alpha.reason or "")
    assert "need 100" in (alpha.reason or "")
    for item in compute_properties(q, ninety_nine).sections[0].item_list:
        assert item.item_rest.status == item.alpha_if_deleted.status == "not enough data"

    two_partnerships = [answers("s", ["a", "b", "c"], [row for people in made[:13] for row in people])] * 2
    alpha = compute_properties(q, two_partnerships).sections[0].alpha
    assert (alpha.status, alpha.n) == ("not enough data", 104)
    assert "come from 2 partnerships; a figure needs 3" in (alpha.reason or "")


def test_the_iccs_need_ten_partnerships_with_two_respondents_and_agreement_three() -> None:
    q = questionnaire_of({"s": ["a", "b", "c"]})
    made = made_up(seed=5, partnerships=10, size=3, items=3)
    ten = [answers("s", ["a", "b", "c"], people) for people in made]
    nine = ten[:9] + [ten[9][:1]]  # the tenth has one respondent left

    shown = compute_properties(q, ten).sections[0]
    assert shown.icc1.status == shown.icc2.status == "shown"
    held = compute_properties(q, nine).sections[0]
    # 9 of the 10: the exact n would tell that one partnership lacks the figure, so it is said in words.
    assert (held.icc1.status, held.icc1.n, held.icc1.value) == ("not enough data", None, None)
    assert "all but fewer than 3 of the 10 partnerships have two or more respondents" in (held.icc1.reason or "")
    assert "9 partnerships" not in (held.icc1.reason or "")
    assert held.icc2 == held.icc1

    two = compute_properties(q, [ten[0], ten[1], ten[2][:2]]).sections[0]  # the third has two respondents
    assert (two.agreement.status, two.agreement.n) == ("not enough data", None)
    assert "the average needs 3" in (two.agreement.reason or "")


def test_the_minimum_of_partnerships_is_never_below_three() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 3"):
        Minimums(partnerships=2)


def test_a_statement_that_behaves_badly_is_listed_with_its_reasons() -> None:
    rng = random.Random(2)
    made = made_up(seed=13, partnerships=45, size=4, items=3, noise=0.5)
    names = ["a", "b", "c", "noise", "same", "unknown"]
    rows = [
        [[*row, rng.randint(1, 5), 4, DONT_KNOW if rng.random() < 0.4 else row[0]] for row in people] for people in made
    ]
    q = questionnaire_of({"s": names})
    section = compute_properties(q, [answers("s", names, people) for people in rows]).sections[0]
    reasons = {f.question: f.reasons for f in section.flagged}

    assert section.alpha.status == "shown"
    noise = section.item_list[3].item_rest.value or 0
    assert noise < 0.30
    if noise < 0:
        assert reasons["s.noise"][0].startswith(f"its item-rest r is negative ({noise:.2f})")
    else:
        assert reasons["s.noise"][0] == f"its item-rest r ({noise:.2f}) is below 0.30"
    same = section.item_list[4].item_rest
    assert (same.status, same.value) == ("not computable", None)
    assert same.reason == f"all {section.complete} respondents gave it the same answer"
    everyone = f"all {section.complete} respondents who answered the whole section gave it the same answer"
    assert everyone in reasons["s.same"]
    unknown = section.item_list[5]
    assert unknown.dont_know and unknown.answered
    share = round(100 * unknown.dont_know / (unknown.dont_know + unknown.answered))
    assert reasons["s.unknown"] == (f"“don't know” is {share}% of its answers ({unknown.dont_know} of 180)",)
    assert set(reasons) == {"s.noise", "s.same", "s.unknown"}


# --- degenerate data -------------------------------------------------------------------------


def test_degenerate_data_is_not_computable_with_a_reason_never_a_nan() -> None:
    q = questionnaire_of({"one": ["a"], "two": ["a", "b"], "none": ["a", "b"]})
    same = [[{"one.a": 3, "two.a": 4, "two.b": 4} for _ in range(4)] for _ in range(25)]
    result = compute_properties(q, same)
    one, two, none = result.sections

    assert (one.alpha.status, one.alpha.reason) == ("not computable", "alpha needs two or more statements; one is left")
    assert one.item_list[0].item_rest.reason == "the section has no other statement to correlate with"
    assert two.alpha.status == "not computable"
    assert two.alpha.reason == "every one of the 100 respondents has the same total"
    assert two.icc1.status == two.icc2.status == "not computable"
    assert two.icc1.reason == "all 100 respondents have the same section mean"
    assert two.agreement.value == 1.0  # everyone agrees: rwg is 1, not a division by zero
    assert (none.respondents, none.alpha.status, none.alpha.n) == (0, "not computable", 0)
    assert none.icc1.reason == "no partnership has two respondents with a section mean"
    assert none.agreement.reason == "no partnership has 3 respondents with a section mean"
    assert "NaN" not in result.model_dump_json() and "Infinity" not in result.model_dump_json()

    nobody = compute_properties(q, [])
    assert (nobody.partnerships, nobody.respondents) == (0, 0)
    assert all(s.alpha.status != "shown" for s in nobody.sections)


def test_partnerships_that_differ_only_between_themselves_give_icc2_not_computable() -> None:
    # Within each partnership answers vary; every partnership's mean is the same: ICC(2) = (MSB - MSW) / MSB
    # would divide by zero.
    q = questionnaire_of({"s": ["a", "b"]})
    partnerships = [answers("s", ["a", "b"], [[2, 2], [4, 4]]) for _ in range(10)]
    section = compute_properties(q, partnerships).sections[0]

    assert section.icc1.status == "shown" and (section.icc1.value or 0) < 0
    assert (section.icc2.status, section.icc2.reason) == ("not computable", "all 10 partnerships have the same mean")


# --- the report partials ---------------------------------------------------------------------


def rendered(kind: str, properties: QuestionnaireProperties) -> str:
    template = environment().from_string(
        f'{{% import "parts/properties.{kind}.j2" as props %}}{{{{ props.properties(p) }}}}'
    )
    return template.render(p=properties)


def test_the_report_partials_show_each_figure_with_its_n_or_why_it_is_missing() -> None:
    q = questionnaire_of({"shown": ["a", "b", "c"], "short": ["a", "b"]})
    made = made_up(seed=17, partnerships=34, size=3, items=3, noise=0.3)
    partnerships = [answers("shown", ["a", "b", "c"], people) + [{"short.a": 4, "short.b": 5}] for people in made]
    result = compute_properties(q, partnerships)
    alpha = result.sections[0].alpha.value or 0

    html = rendered("html", result)
    assert f'{alpha:.2f}<br><span class="note">n = 102 respondents</span>' in html
    assert "Not enough data: 34 respondents answered every statement of the section; these figures need 100" in html
    assert "<caption>Consistency and agreement by section</caption>" in html

    md = rendered("md", result)
    assert f"| Shown | 3 | {alpha:.2f} (n = 102 respondents) |" in md
    assert "| Short | 2 | Not enough data: 34 respondents answered every statement" in md
    # read as CommonMark with tables: the sections' table and one of statements per section
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert [t.type for t in tokens].count("table_open") == 3
    assert [t.type for t in tokens].count("tr_open") == (1 + 2) + (1 + 3) + (1 + 2)


def test_the_html_partial_escapes_the_questionnaires_words() -> None:
    q = questionnaire_of({"s": ["a", "b"]})
    q = q.model_copy(update={"sections": [q.sections[0].model_copy(update={"title": "<b>Goals</b>"})]})
    html = rendered("html", compute_properties(q, [answers("s", ["a", "b"], [[4, 5]])]))
    assert "&lt;b&gt;Goals&lt;/b&gt;" in html and "<b>Goals" not in html


def test_the_properties_are_plain_data_that_round_trip_through_json() -> None:
    made = made_up(seed=19, partnerships=12, size=3, items=3)
    partnerships = [answers("s", ["a", "b", "c"], people) for people in made]
    result = compute_properties(questionnaire_of({"s": ["a", "b", "c"]}), partnerships)
    assert QuestionnaireProperties.model_validate(json.loads(result.model_dump_json())) == result


# --- the figures in docs/questionnaire-properties.md --------------------------------------------

DOC = REPO / "docs" / "questionnaire-properties.md"
SCRIPT = REPO / "docs" / "properties_table.py"
PROGRAMME = REPO / "examples" / "programme"


def script(*args: str) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_docs_simulation_of_alphas_minimum_is_what_the_script_prints() -> None:
    assert script("--influence") in DOC.read_text(encoding="utf-8")


def test_the_docs_figures_table_is_what_the_script_prints_on_the_shipped_programme() -> None:
    doc = DOC.read_text(encoding="utf-8")
    table = doc.split("<!-- properties-table -->\n", 1)[1].split("<!-- /properties-table -->", 1)[0]
    assert table == script(str(PROGRAMME))
