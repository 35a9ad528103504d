"""The benchmark's floor decides what the engine decides: the same facts, of the same types, and the same firings.

``benchmarks/floor.py`` is what ``bench_assess.py`` divides the engine's time by; a floor
that drifted from the engine (a fact left out, a statistic changed) would make the ratio
a comparison of different work. Nothing in the engine imports it.
"""

from __future__ import annotations

import partnership_health as ph
from benchmarks.bench_assess import check_same_decisions, generated
from benchmarks.floor import Floor
from partnership_health.core.assessment import prepare

from .conftest import examples
from .test_differential import QUESTIONNAIRE

RULEBASE = ph.load_rulebase(questionnaire=QUESTIONNAIRE)


def test_the_floor_fires_what_the_engine_fires_on_every_example_and_generated_partnerships() -> None:
    floor = Floor(QUESTIONNAIRE, RULEBASE, prepare(RULEBASE, QUESTIONNAIRE).compiled)
    cases = {f.name: ph.load_answers(f, QUESTIONNAIRE) for f in examples()}
    riverside = cases["riverside.yaml"]
    cases |= {
        f"{n}, seed {seed}": generated(riverside, QUESTIONNAIRE, n, seed) for seed in (1, 2, 3) for n in (1, 6, 60)
    }
    assert check_same_decisions(cases, floor) > 0
