#!/usr/bin/env python3
"""Generate the example programme: fictional partnerships, each assessed once a year.

    python examples/programme/generate.py [--partnerships N] [--years Y] [--seed S] [--out DIR]
                                          [--only N] [--jobs J] [--no-plans]

Writes, for each partnership and year, ``<slug>-<year>.json`` (an answers file for the
bundled questionnaire) and, for every year but the last, ``<slug>-<year>-plan.csv`` (the
action plan ``assess --format csv`` writes for that assessment, filled in as a partnership
would during the year). Nothing here is a real partnership, organisation or person: the
data is made by the model below, and README.md in this folder describes it.

The model: each partnership has a latent health per section, an effect per question and
planted problems (each aimed at a failure mode of the bundled rule base); each respondent
answers the latent value plus their own tendency, their organisation's view of its own
side and noise, rounded to the agreement scale, with "don't know" and blanks as people
leave them. A year later some problems are resolved, some persist and some are new.

Deterministic: one ``random.Random`` per partnership, seeded from the seed and the
partnership's number (so the first partnerships come out the same whatever N is), and
only exactly rounded arithmetic on its draws (normal draws are sums of uniforms, no
``log`` or ``cos`` whose last bit could differ by platform). No dict or set order, hash
seed or clock is read. The plans come from the engine, so a change to the rule base's
remedies changes the plans' text: regenerate then.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import partnership_health as ph
from partnership_health.models import Question

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "answers"
DEFAULT_SEED = 23  # issue 23, which asked for the programme view
FIRST_YEAR = 2024
QUESTIONNAIRE = {"id": "partnership-health", "version": "2.1"}

TYPES = ("collaborative", "coordinated", "cooperative", "secondment")
AGES = ("under_6_months", "under_1_year", "one_to_3_years", "over_3_years")
ORIGINS = ("existing_links", "bid", "required", "new_need")
STATUSES = ("done", "in progress", "not started")

_ROOT3 = math.sqrt(3.0)  # IEEE square roots are correctly rounded on every platform


# --- drawing ------------------------------------------------------------------------------


def normal(rng: random.Random, sd: float = 1.0, mean: float = 0.0) -> float:
    """A near-normal draw: the sum of four uniforms, scaled to ``sd`` (Irwin-Hall; bounded at 3.5 sd)."""
    total = rng.random() + rng.random() + rng.random() + rng.random()
    return mean + (total - 2.0) * _ROOT3 * sd


def weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    """One of ``options`` (value, weight) by weight."""
    total = sum(weight for _, weight in options)
    pick = rng.random() * total
    for value, weight in options:
        pick -= weight
        if pick < 0:
            return value
    return options[-1][0]


def clip(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def scale_answer(value: float) -> int:
    """A latent value on the agreement scale, rounded to 1..5."""
    return int(clip(math.floor(value + 0.5), 1, 5))


def age_band(years: float) -> str:
    if years < 0.5:
        return AGES[0]
    if years < 1:
        return AGES[1]
    if years < 3:
        return AGES[2]
    return AGES[3]


def letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: an organisation's letter."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


# --- the questionnaire's shape --------------------------------------------------------------

# Statements about the respondent's own organisation: its organisation's view shifts them.
OWN_SIDE = frozenset(
    {
        "roles.own_share_of_work",
        "authority.trustees_support",
        "authority.chief_exec_support",
        "authority.colleagues_back_partners",
        "authority.colleagues_back_approach",
        "authority.fits_strategy",
        "authority.fits_objects",
        "communication.tools_accessible",
        "communication.can_raise_problems",
        "delivery.core_work_diverted",
        "delivery.partnership_overload",
        "relationships.contributions_valued",
        "relationships.sustained_commitment",
        "funding.partnership_central",
        "funding.resources_running_out",
        "funding.reach_gained",
        "funding.expertise_gained",
        "funding.cost_benefit",
        "risk.reputation_threat",
    }
)
# Statements a wider partner often cannot judge: "don't know" more often.
INSIDE_KNOWLEDGE = frozenset(
    {
        "governance.data_protocol_followed",
        "governance.changes_process",
        "governance.membership_basis",
        "roles.lead_role_clear",
        "communication.subgroups_report",
        "funding.bids_shared",
        "risk.risks_named",
        "risk.mistakes_put_right",
        "evaluation.progress_tracked",
        "evaluation.outcomes_agreed",
    }
)
# Yes/no questions about something the partnership has (or did): one truth, reported by each respondent.
FACTS = {
    "governance.agreement_exists": 0.97,  # how often a respondent reports the truth
    "governance.agreement_reviewed": 0.9,
    "governance.dispute_procedure": 0.9,
    "governance.data_sharing_protocol": 0.93,
    "goals.timeline_agreed": 0.92,
    "goals.goals_reviewed": 0.92,
    "roles.responsibilities_reviewed": 0.92,
    "roles.stakeholders_mapped": 0.9,
    "communication.face_to_face": 0.92,
    "communication.channels_reviewed": 0.9,
    "delivery.joint_plan": 0.93,
    "culture.joint_training": 0.92,
    "evaluation.successes_reported": 0.9,
    "evaluation.reviewed_year": 0.92,
}
# Facts that last from one year to the next once they are true (the others are about the last 12 months).
LASTING = frozenset(
    {
        "governance.agreement_exists",
        "governance.dispute_procedure",
        "governance.data_sharing_protocol",
        "goals.timeline_agreed",
        "delivery.joint_plan",
        "communication.face_to_face",
    }
)
# Yes/no questions about an event that is unhealthy when it happened: (chance it happened, chance of a false yes).
EVENTS = {
    "relationships.partner_restructured": (0.08, 0.01),
    "funding.compete_for_funding": (0.15, 0.01),
    "risk.unapproved_publicity": (0.04, 0.003),
}


@dataclass(frozen=True)
class Shape:
    """What the generator needs of the questionnaire: its questions in order and each one's section."""

    questions: tuple[Question, ...]
    section_of: dict[str, str]
    sections: tuple[str, ...]

    @classmethod
    def of(cls, questionnaire: ph.Questionnaire) -> Shape:
        return cls(
            questions=tuple(q for s in questionnaire.sections for q in s.questions),
            section_of={q.id: s.id for s in questionnaire.sections for q in s.questions},
            sections=tuple(s.id for s in questionnaire.sections),
        )


# --- planted problems ------------------------------------------------------------------------
# Each failure mode has recipes; a recipe is a list of pushes on the partnership's latent
# answers. ("low", q, target): the partnership's latent healthy-direction value of
# statement q (reverse statements are answered 6 minus it); ("org", q, target): the same for
# one organisation's respondents only; ("role", q, role, target); ("section", s, target)
# for every statement of section s; ("fact", q, truth) for a
# yes/no fact; ("event", q) for an unhealthy event; ("number", q, low, high) for the
# partnership's true figure; ("org_number", q, low, high); special pushes by name.
# A recipe may name the types it does not work for (the rules' not_type) and whether it
# waits while the partnership is young (the rules' not_age).


@dataclass(frozen=True)
class Recipe:
    pushes: tuple[tuple[Any, ...], ...]
    not_type: tuple[str, ...] = ()
    not_young: bool = False


R = Recipe
RECIPES: dict[str, tuple[Recipe, ...]] = {
    "all_talk_no_action": (
        R((("low", "delivery.actions_have_owners", 1.9), ("low", "delivery.decisions_to_action", 2.0))),
        R((("low", "delivery.decisions_to_action", 1.9), ("fact", "delivery.joint_plan", False))),
        R((("low", "funding.resources_agreed", 1.9), ("low", "delivery.fits_mainstream", 2.0)), ("cooperative",)),
    ),
    "lack_of_shared_vision": (
        R((("low", "goals.top_goal_agreed", 1.9),)),
        R((("low", "relationships.separate_agendas", 2.0), ("low", "goals.purpose_clear", 2.1))),
        R((("special", "split", "goals.purpose_clear"),)),
    ),
    "unclear_targets": (
        R((("low", "goals.targets_set", 1.9), ("low", "evaluation.outcomes_agreed", 2.1))),
        R((("low", "goals.benefit_all", 1.9),)),
    ),
    "bureaucracy_overload": (
        R((("number", "goals.priority_count", 8, 12),)),
        R((("org", "delivery.partnership_overload", 1.4),)),
        R((("org_number", "delivery.meeting_hours_month", 16, 28), ("org", "delivery.core_work_diverted", 1.5))),
        R((("number", "communication.core_meeting_weeks", 1, 1), ("low", "delivery.core_work_diverted", 1.9))),
    ),
    "culture_clash": (
        R((("low", "culture.friction", 1.9),), not_young=True),
        R((("low", "culture.jargon", 1.9),)),
        R(
            (("low", "culture.understand_each_other", 2.0), ("fact", "culture.joint_training", False)),
            not_young=True,
        ),
    ),
    "time_pressures": (
        R((("low", "delivery.quick_decisions", 1.9),)),
        R((("low", "goals.timeline_realistic", 1.9),)),
        R((("fact", "goals.timeline_agreed", False), ("low", "delivery.time_to_build", 2.0)), ("cooperative",)),
        R((("fact", "communication.face_to_face", False), ("low", "delivery.quick_decisions", 2.0)), ("cooperative",)),
    ),
    "lack_of_authority": (
        R((("low", "authority.reps_can_decide", 1.9),)),
        R((("low", "authority.decisions_deferred", 1.8), ("low", "delivery.quick_decisions", 2.8))),
    ),
    "funding_driven_motives": (
        R((("low", "funding.motive_money", 1.8),), ("secondment",)),
        R((("low", "funding.motive_requirement", 1.8),)),
    ),
    "power_imbalance": (
        R(
            (("role", "authority.decisions_shared", "lead", 4.6), ("role", "authority.decisions_shared", "core", 1.7)),
        ),
        R((("low", "authority.decisions_shared", 1.9),), ("secondment", "cooperative")),
        R(
            (("role", "funding.cost_benefit", "lead", 4.6), ("role", "funding.cost_benefit", "core", 1.9)),
            ("secondment",),
        ),
    ),
    "poor_communication": (
        R((("low", "communication.short_notice_cancellations", 1.8),)),
        R((("low", "communication.who_communicates_clear", 1.9), ("low", "communication.subgroups_report", 2.1))),
        R((("number", "communication.core_meeting_weeks", 10, 16),), ("cooperative",)),
        R(
            (
                ("low", "communication.meetings_have_purpose", 1.9),
                ("number", "communication.wider_meeting_weeks", 20, 30),
            )
        ),
        R((("low", "communication.frank_and_honest", 1.9), ("org", "communication.can_raise_problems", 1.5))),
        R((("section", "communication", 1.9),)),
    ),
    "poor_evaluation": (
        R((("low", "evaluation.progress_tracked", 1.9),)),
        R(
            (("fact", "evaluation.reviewed_year", False), ("low", "evaluation.successes_celebrated", 2.0)),
            not_young=True,
        ),
        R((("section", "evaluation", 1.7), ("fact", "evaluation.reviewed_year", False)), not_young=True),
    ),
    "partnership_type_mismatch": (
        R((("special", "type_split"),)),
        R((("special", "type_drift"),)),
        R((("low", "governance.type_suits_work", 1.8),)),
    ),
    "unclear_roles": (
        R((("low", "roles.roles_clear", 1.9),)),
        R((("low", "roles.partner_roles_known", 1.9),)),
        R((("low", "governance.running_in_place", 1.9),)),
    ),
    "unbalanced_workload": (
        R((("low", "roles.workload_fair", 1.9),), ("secondment",)),
        R((("org", "roles.own_share_of_work", 1.3, "core"),), ("secondment",)),
    ),
    "decisions_outside_meetings": (
        R((("low", "authority.decisions_outside", 1.8),)),
        R((("low", "governance.final_decisions_clear", 1.9), ("low", "governance.day_to_day_clear", 2.2))),
    ),
    "leadership_competition": (
        R((("low", "authority.competition_leadership", 1.8),)),
        R((("low", "roles.lead_role_clear", 1.9),)),
    ),
    "unclear_funds_and_ip": (
        R((("low", "funding.distribution_clear", 1.9), ("low", "funding.ip_clear", 2.2)), ("cooperative",)),
        R((("event", "funding.compete_for_funding"), ("low", "funding.bids_shared", 1.9))),
        R((("low", "funding.running_costs_agreed", 1.9),), ("cooperative",)),
    ),
    "unmanaged_risk": (
        R((("low", "risk.risks_named", 1.9), ("low", "risk.risks_managed", 2.0)), ("cooperative",)),
        R((("low", "risk.risk_shared_fairly", 1.9),), ("secondment", "cooperative")),
    ),
    "diversion_from_core_activity": (
        R((("low", "delivery.core_work_diverted", 1.9),)),
        R((("org", "funding.cost_benefit", 1.4),)),
        R((("org", "authority.fits_strategy", 1.4),)),
        R(
            (
                ("low", "funding.reach_gained", 1.9),
                ("low", "funding.expertise_gained", 1.9),
                ("low", "funding.less_duplication", 1.9),
            ),
            not_young=True,
        ),
    ),
    "mistakes_and_reputation": (
        R((("event", "risk.unapproved_publicity"),)),
        R((("low", "risk.mistakes_put_right", 1.9),)),
        R((("org", "risk.reputation_threat", 1.4),)),
    ),
    "no_partnership_agreement": (
        R(
            (("fact", "governance.agreement_exists", False), ("fact", "governance.dispute_procedure", False)),
            ("cooperative",),
        ),
        R((("low", "governance.ground_rules", 1.9),)),
        R(
            (("fact", "governance.agreement_exists", True), ("fact", "governance.agreement_reviewed", False)),
            not_young=True,
        ),
    ),
    "low_trust_and_respect": (
        R((("low", "relationships.trust", 1.9),)),
        R((("org", "relationships.contributions_valued", 1.4),)),
    ),
    "uneven_commitment": (
        R((("low", "relationships.commitment_even", 1.9),)),
        R((("low", "relationships.attendance", 1.9),)),
        R((("special", "withdrawing"),)),
    ),
    "no_data_sharing_protocol": (
        R((("fact", "governance.data_sharing_protocol", False),)),
        R((("fact", "governance.data_sharing_protocol", True), ("low", "governance.data_protocol_followed", 1.9))),
    ),
    "inflexibility": (
        R((("low", "culture.adapts_to_partners", 1.9),)),
        R((("role", "culture.adapts_to_partners", "wider", 1.6),)),
    ),
    "no_internal_buy_in": (
        R((("low", "authority.colleagues_back_approach", 1.9),)),
        R((("org", "authority.trustees_support", 1.4),)),
    ),
    "missing_stakeholders": (
        R((("low", "roles.key_organisations_missing", 1.9),)),
        R((("fact", "roles.stakeholders_mapped", False), ("low", "roles.key_organisations_missing", 2.9))),
    ),
    "unresolved_disputes": (
        R((("low", "relationships.long_running_dispute", 1.8),)),
        R((("org", "relationships.long_running_dispute", 1.2),)),
    ),
    "partner_turnover": (
        R((("low", "roles.newcomers_briefed", 1.9),)),
        R((("low", "relationships.representatives_change", 1.8),)),
        R((("number", "relationships.partners_departed", 1, 2), ("low", "governance.changes_process", 2.0))),
        R((("special", "new_representatives"),), not_young=True),
        R((("org", "funding.resources_running_out", 1.3),)),
        R((("number", "relationships.partners_departed", 1, 2), ("low", "roles.workload_fair", 1.9))),
    ),
    "ending_the_partnership": (
        R(
            (
                ("low", "goals.shared_values", 1.5),
                ("low", "relationships.trust", 1.7),
                ("low", "relationships.long_running_dispute", 1.5),
                ("org", "relationships.sustained_commitment", 1.2),
            )
        ),
    ),
}
FAILURE_MODES = tuple(sorted(RECIPES))
# How often each is planted, relative to the rest: the common ones of a real programme more often.
WEIGHTS = {
    "poor_communication": 2.0,
    "unclear_roles": 1.5,
    "poor_evaluation": 1.5,
    "unclear_targets": 1.4,
    "time_pressures": 1.3,
    "all_talk_no_action": 1.3,
    "no_partnership_agreement": 1.2,
    "power_imbalance": 1.2,
    "lack_of_authority": 1.4,
    "culture_clash": 1.2,
    "unmanaged_risk": 1.3,
    "inflexibility": 1.2,
    "unbalanced_workload": 1.2,
    "ending_the_partnership": 0.5,
}


# --- one partnership ---------------------------------------------------------------------------


@dataclass
class Person:
    org: str
    role: str
    number: int
    bias: float
    sections: dict[str, float]
    tenure: float  # years representing the organisation at the first assessment

    @property
    def key(self) -> str:
        return f"{self.org}-{self.number}"


@dataclass
class Problem:
    mode: str
    recipe: Recipe
    org: str  # the organisation an "org" push or a special is about


@dataclass
class Partnership:
    index: int
    kind: str
    age: float  # years at the first assessment
    origin: str
    partner_count: int
    named: bool
    health: float
    sections: dict[str, float]
    effects: dict[str, float]
    noise: float  # person noise: larger in a partnership whose members disagree
    month_day: tuple[int, int]
    orgs: dict[str, str]  # letter -> role of the organisation
    org_effects: dict[str, float]
    signed_up: dict[str, str]  # letter -> the type it signed up for
    difficulty: dict[str, float]  # statement -> how easy it is to agree with, in every partnership
    people: list[Person] = field(default_factory=list)
    facts: dict[str, bool] = field(default_factory=dict)  # last year's lasting facts (an agreement, a protocol)
    held: frozenset[str] = frozenset()  # the facts a problem held false last year
    topic: str = ""
    issued: dict[str, int] = field(default_factory=dict)  # organisation -> people numbered so far

    @property
    def number(self) -> str:
        return f"{self.index:03d}"

    @property
    def slug(self) -> str:
        return f"partnership-{self.number}"

    @property
    def name(self) -> str:
        return f"Generated partnership {self.number}"

    def organisation(self, letter: str) -> str:
        return f"Organisation {self.number}-{letter}"


TOPICS = (
    "young people's wellbeing",
    "advice on money and debt",
    "support for carers",
    "help for people in crisis",
    "older people's services",
    "routes into work",
    "family support",
    "housing advice",
)
PURPOSES = (
    "To join up local {topic} so people get help in one place.",
    "We work together on {topic} in the area.",
    "Sharing resources and referrals for {topic}.",
    "To improve {topic} by planning it together.",
)
COMMENTS = (
    "Meetings could be shorter.",
    "More notice of changes would help.",
    "Good progress this year.",
    "We need clearer next steps.",
    "Funding remains the main worry.",
    "Thanks to the lead for organising.",
)


def rare_secondment(index: int) -> bool:
    """Secondment is the rare type: about one partnership in 150 (2 of the first 200)."""
    return (index - 41) % 150 == 0


def new_partnership(index: int, shape: Shape, rng: random.Random, easy: dict[str, float]) -> Partnership:
    kind = (
        "secondment"
        if rare_secondment(index)
        else weighted(rng, (("collaborative", 0.37), ("coordinated", 0.35), ("cooperative", 0.28)))
    )
    low, high = weighted(rng, (((2, 4), 0.22), ((5, 9), 0.42), ((10, 19), 0.28), ((20, 30), 0.08)))
    if kind == "secondment":
        low, high = 2, 3
    partner_count = rng.randint(low, high)
    age_low, age_high = weighted(rng, (((0.1, 0.5), 0.1), ((0.5, 1.0), 0.15), ((1.0, 3.0), 0.4), ((3.0, 8.0), 0.35)))
    age = age_low + (age_high - age_low) * rng.random()
    health = clip(normal(rng, 0.22, 3.85), 2.9, 4.5)
    sections = {s: normal(rng, 0.15) for s in shape.sections}
    effects = {q.id: normal(rng, 0.25) for q in shape.questions if q.type in ("scale", "yesno")}
    noise = 0.95 if rng.random() < 0.12 else 0.48
    month_day = (rng.randint(9, 11), rng.randint(1, 28))
    core = {"secondment": 1}.get(kind, 0) or rng.randint(2, 6 if kind == "cooperative" else 5)
    core = min(core, partner_count - 1)
    orgs = {letters(i): "lead" if i == 0 else "core" if i <= core else "wider" for i in range(partner_count)}
    org_effects = {letter: normal(rng, 0.15) for letter in orgs}
    signed_up = {}
    for letter in orgs:
        signed_up[letter] = kind if rng.random() < 0.985 else rng.choice([t for t in TYPES if t != kind])
    partnership = Partnership(
        index=index,
        kind=kind,
        age=age,
        origin=weighted(rng, (("existing_links", 0.4), ("bid", 0.3), ("required", 0.15), ("new_need", 0.15))),
        partner_count=partner_count,
        named=rng.random() < 1 / 3,
        health=health,
        sections=sections,
        effects=effects,
        noise=noise,
        month_day=month_day,
        orgs=orgs,
        org_effects=org_effects,
        signed_up=signed_up,
        difficulty=easy,
        topic=rng.choice(TOPICS),
    )
    partnership.people = first_people(partnership, shape, rng)
    return partnership


def new_person(p: Partnership, shape: Shape, rng: random.Random, org: str, number: int, tenure: float) -> Person:
    return Person(
        org=org,
        role=p.orgs[org],
        number=number,
        bias=normal(rng, 0.42),
        sections={s: normal(rng, 0.18) for s in shape.sections},
        tenure=tenure,
    )


def first_people(p: Partnership, shape: Shape, rng: random.Random) -> list[Person]:
    wanted = weighted(
        rng,
        (
            (3, 0.22),
            (4, 0.28),
            (5, 0.19),
            (6, 0.11),
            (7, 0.07),
            (8, 0.05),
            (9, 0.03),
            (10, 0.02),
            (11, 0.02),
            (12, 0.01),
        ),
    )
    slots = ["A"] * (2 if rng.random() < 0.08 else 1)
    core = [letter for letter, role in p.orgs.items() if role == "core"]
    wider = [letter for letter, role in p.orgs.items() if role == "wider"]
    rng.shuffle(core)
    rng.shuffle(wider)
    for letter in core[: max(1, wanted - len(slots) - (1 if wider else 0))]:  # most core partners answer
        slots += [letter] * (2 if rng.random() < 0.1 else 1)
    slots += wider[: max(0, wanted - len(slots))]
    while len(slots) < 3:  # a very small partnership: a second person from a core organisation
        slots.append(rng.choice(core or ["A"]))
    counted: dict[str, int] = {}
    people = []
    for org in sorted(slots, key=lambda letter: (len(letter), letter)):
        counted[org] = counted.get(org, 0) + 1
        people.append(new_person(p, shape, rng, org, counted[org], p.age * rng.random()))
    p.issued = {letter: counted.get(letter, 0) for letter in p.orgs}
    return people


def next_people(p: Partnership, shape: Shape, rng: random.Random, new_reps: bool) -> list[Person]:
    """A year on: most people answer again, some are replaced by a colleague new in post."""
    people = []
    for person in p.people:
        stays = 0.9 if person.role == "lead" else 0.82
        if new_reps and person.role != "lead":
            stays = 0.2
        if rng.random() < stays:
            person.tenure += 1
            people.append(person)
        else:
            p.issued[person.org] += 1
            number = p.issued[person.org]
            fresh = new_person(
                p, shape, rng, person.org, number, 0.1 + 0.35 * rng.random() if new_reps else rng.random()
            )
            people.append(fresh)
    return people


def eligible(recipe: Recipe, p: Partnership, young: bool) -> bool:
    if p.kind in recipe.not_type or (young and recipe.not_young):
        return False
    needs_orgs = any(
        push[0] in ("org", "org_number") or push[:2] == ("special", "withdrawing") for push in recipe.pushes
    )
    non_lead = [letter for letter, role in p.orgs.items() if role != "lead"]
    if needs_orgs and not non_lead:
        return False
    if any(push[:2] == ("role", "culture.adapts_to_partners") for push in recipe.pushes):
        return sum(person.role == "wider" for person in p.people) >= 2
    if any(push[:2] == ("special", "withdrawing") for push in recipe.pushes):
        return len({person.org for person in p.people}) >= 4
    if any(push[:2] == ("special", "type_split") for push in recipe.pushes):
        return len({person.org for person in p.people if person.role == "core"}) >= 1
    return True


def plant(p: Partnership, rng: random.Random, young: bool, taken: set[str]) -> Problem | None:
    modes = [(mode, WEIGHTS.get(mode, 1.0)) for mode in FAILURE_MODES if mode not in taken]
    mode = weighted(rng, modes)
    recipes = [recipe for recipe in RECIPES[mode] if eligible(recipe, p, young)]
    if not recipes:
        return None
    recipe = rng.choice(recipes)
    answering = sorted({person.org for person in p.people if person.role != "lead"}, key=lambda x: (len(x), x))
    role_wanted = next((push[3] for push in recipe.pushes if push[0] == "org" and len(push) > 3), None)
    if role_wanted:
        answering = [letter for letter in answering if p.orgs[letter] == role_wanted] or answering
    org = rng.choice(answering) if answering else "A"
    return Problem(mode, recipe, org)


def problems_for_year(
    p: Partnership, rng: random.Random, year: int, young: bool, before: list[Problem]
) -> list[Problem]:
    """This year's problems: last year's that persist, and new ones (more in a less healthy partnership)."""
    kept = [problem for problem in before if rng.random() < (0.62 if problem.mode == "ending_the_partnership" else 0.5)]
    kept = [problem for problem in kept if eligible(problem.recipe, p, young)]
    expected = clip((4.35 - p.health) * 3.2, 0.15, 5.5) if year == 0 else clip((4.3 - p.health) * 1.1, 0.1, 2.5)
    count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
    taken = {problem.mode for problem in kept}
    for _ in range(count):
        found = plant(p, rng, young, taken)
        if found is not None and found.mode not in taken:
            kept.append(found)
            taken.add(found.mode)
    return kept


# --- the answers of one year ------------------------------------------------------------------


@dataclass
class Year:
    """The pushes of one year's problems, gathered by what they move."""

    low: dict[str, float] = field(default_factory=dict)
    section_low: dict[str, float] = field(default_factory=dict)
    org_low: dict[tuple[str, str], float] = field(default_factory=dict)
    role_low: dict[tuple[str, str], float] = field(default_factory=dict)
    facts: dict[str, bool] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)
    numbers: dict[str, tuple[int, int]] = field(default_factory=dict)
    org_numbers: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    split: set[str] = field(default_factory=set)
    type_split: str = ""  # the core organisation that sees another type
    drift: str = ""  # the organisation that signed up for another type
    withdrawing: str = ""
    new_reps: bool = False


def gather(problems: list[Problem]) -> Year:
    year = Year()
    for problem in problems:
        for push in problem.recipe.pushes:
            kind = push[0]
            if kind == "low":
                year.low[push[1]] = min(year.low.get(push[1], 5.0), push[2])
            elif kind == "section":
                year.section_low[push[1]] = push[2]
            elif kind == "org":
                year.org_low[(problem.org, push[1])] = push[2]
            elif kind == "role":
                year.role_low[(push[2], push[1])] = push[3]
            elif kind == "fact":
                year.facts[push[1]] = push[2]
            elif kind == "event":
                year.events.add(push[1])
            elif kind == "number":
                year.numbers[push[1]] = (push[2], push[3])
            elif kind == "org_number":
                year.org_numbers[(problem.org, push[1])] = (push[2], push[3])
            elif push[1] == "split":
                year.split.add(push[2])
            elif push[1] == "type_split":
                year.type_split = problem.org
            elif push[1] == "type_drift":
                year.drift = problem.org
            elif push[1] == "withdrawing":
                year.withdrawing = problem.org
            elif push[1] == "new_representatives":
                year.new_reps = True
    return year


def truths(p: Partnership, shape: Shape, rng: random.Random, year: Year, y: int) -> dict[str, Any]:
    """The partnership's true figures and facts this year (what a respondent who knows would say)."""
    found: dict[str, Any] = {}
    for q in shape.questions:
        if q.id in FACTS:
            level = p.health + p.sections[shape.section_of[q.id]] + p.effects[q.id]
            chance = clip(0.55 + 0.45 * (level - 3.2), 0.06, 0.97)
            if q.id in LASTING and q.id in p.facts:  # kept; one missing is put in place by some, and when fixed
                chance = 1 if p.facts[q.id] or q.id in p.held else 0.3
            found[q.id] = year.facts.get(q.id, rng.random() < chance)
        elif q.id in EVENTS:
            found[q.id] = q.id in year.events or rng.random() < EVENTS[q.id][0]
    # Facts hang together: a review needs something to review.
    if not found["governance.agreement_exists"]:
        found["governance.agreement_reviewed"] = False
    if p.kind == "cooperative" and "governance.agreement_exists" not in year.facts and rng.random() < 0.5:
        found["governance.agreement_exists"] = False
    rhythm = {"cooperative": (4, 10), "secondment": (2, 6)}.get(p.kind, (3, 7))
    found["communication.core_meeting_weeks"] = rng.randint(
        *year.numbers.get("communication.core_meeting_weeks", rhythm)
    )
    found["communication.wider_meeting_weeks"] = rng.randint(
        *year.numbers.get("communication.wider_meeting_weeks", (8, 14))
    )
    found["goals.priority_count"] = rng.randint(*year.numbers.get("goals.priority_count", (2, 6)))
    departed = year.numbers.get("relationships.partners_departed")
    found["relationships.partners_departed"] = (
        rng.randint(*departed) if departed else (1 if y > 0 and rng.random() < 0.06 else 0)
    )
    answering = len({person.org for person in p.people})
    p.partner_count = max(2, answering, p.partner_count - found["relationships.partners_departed"])
    if y and rng.random() < 0.12:  # a new member joins
        p.partner_count += 1
    p.facts = {qid: found[qid] for qid in sorted(LASTING)}
    p.held = frozenset(qid for qid in year.facts if not year.facts[qid])
    return found


def latent(p: Partnership, shape: Shape, year: Year, person: Person, qid: str) -> float:
    """A person's healthy-direction value of a statement before their noise."""
    section = shape.section_of[qid]
    value = p.health + p.sections[section] + p.effects[qid] + p.difficulty[qid]
    if qid in year.low:
        value = min(value, year.low[qid] + 0.5 * p.effects[qid])
    if section in year.section_low:
        value = min(value, year.section_low[section] + 0.5 * p.effects[qid])
    if (person.role, qid) in year.role_low:
        value = year.role_low[(person.role, qid)] + 0.3 * p.effects[qid]
    elif qid in year.split:
        value = 1.6 if person.org in ("A", "B") or person.number % 2 == 0 else 4.5
    if qid in OWN_SIDE:
        value += p.org_effects[person.org]
    if (person.org, qid) in year.org_low:
        value = year.org_low[(person.org, qid)]
    if person.org == year.withdrawing:
        value -= 1.6
        if qid in WITHDRAWING:
            value = min(value, 1.3)
    value += person.bias + person.sections[section]
    if person.role == "lead":
        value += 0.15
    return value


WITHDRAWING = frozenset(
    {
        "authority.trustees_support",
        "authority.chief_exec_support",
        "relationships.sustained_commitment",
        "funding.partnership_central",
    }
)
_DIFFICULTY: dict[int, dict[str, float]] = {}


def difficulty(seed: int, shape: Shape) -> dict[str, float]:
    """How easy each statement is to agree with, the same in every partnership (drawn once from the seed)."""
    if seed not in _DIFFICULTY:
        rng = random.Random(f"{seed}:statements")
        _DIFFICULTY[seed] = {q.id: normal(rng, 0.22) for q in shape.questions if q.type == "scale"}
    return _DIFFICULTY[seed]


def respondent_answers(
    p: Partnership, shape: Shape, rng: random.Random, year: Year, truth: dict[str, Any], person: Person, age: float
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    role = person.role
    dont_know = {"lead": 0.01, "core": 0.025, "wider": 0.07}[role]
    blank = 0.02 if role == "wider" else 0.008
    for q in shape.questions:
        if not q.asks(role):
            continue
        qid = q.id
        if q.type == "text":
            if qid == "goals.purpose_in_a_sentence" and rng.random() < 0.7:
                answers[qid] = rng.choice(PURPOSES).format(topic=p.topic)
            elif qid == "general.comments" and rng.random() < 0.08:
                answers[qid] = rng.choice(COMMENTS)
            continue
        if rng.random() < blank:
            continue
        unsure = dont_know * (2.5 if role == "wider" and qid in INSIDE_KNOWLEDGE else 1)
        if q.type == "scale":
            if rng.random() < unsure:
                answers[qid] = "dont_know"
                continue
            value = latent(p, shape, year, person, qid) + normal(rng, p.noise)
            if role == "wider":
                value = 3 + 0.75 * (value - 3)
            healthy = scale_answer(value)
            answers[qid] = 6 - healthy if q.reverse else healthy
        elif q.type == "yesno":
            if rng.random() < unsure * 2:
                answers[qid] = "dont_know"
            elif qid in FACTS:
                right = FACTS[qid] - (0.08 if role == "wider" else 0)
                answers[qid] = truth[qid] if rng.random() < right else not truth[qid]
            elif qid in EVENTS:
                answers[qid] = rng.random() < (0.8 if truth[qid] else EVENTS[qid][1])
            else:  # relationships.worked_together_before: the organisation's own history
                answers[qid] = rng.random() < clip(0.55 + 0.2 * (p.age - 1), 0.3, 0.9)
        elif q.type == "number":
            answers[qid] = number_answer(p, rng, year, truth, person, qid)
        else:
            answers[qid] = choice_answer(p, rng, year, person, qid, age)
    return {key: answers[key] for key in answers if answers[key] is not None}


def number_answer(
    p: Partnership, rng: random.Random, year: Year, truth: dict[str, Any], person: Person, qid: str
) -> Any:
    role = person.role
    if qid == "governance.partner_count":
        if role == "wider" and rng.random() < 0.08:
            return "dont_know"
        right = {"lead": 0.97, "core": 0.85, "wider": 0.6}[role]
        if rng.random() < right:
            return p.partner_count
        return max(2, p.partner_count + rng.choice((-2, -1, 1, 2)))
    if qid == "delivery.meeting_hours_month":
        if (person.org, qid) in year.org_numbers:
            return rng.randint(*year.org_numbers[(person.org, qid)])
        low, high = {"lead": (4, 12), "core": (2, 8), "wider": (1, 4)}[role]
        return rng.randint(low, high)
    if qid == "relationships.partners_departed":
        if role == "wider" and rng.random() < 0.1:
            return "dont_know"
        return truth[qid] if rng.random() < 0.9 else 0
    true = int(truth[qid])
    wobble = rng.random()
    if wobble < 0.75:
        return true
    return max(0, true + (1 if wobble < 0.9 else -1))


def choice_answer(p: Partnership, rng: random.Random, year: Year, person: Person, qid: str, age: float) -> Any:
    role = person.role
    unsure = {"lead": 0.0, "core": 0.02, "wider": 0.12}[role]
    if rng.random() < unsure:
        return "dont_know"
    if qid == "governance.partnership_age":
        band = AGES.index(age_band(age))
        if rng.random() < (0.92 if role != "wider" else 0.75):
            return AGES[band]
        return AGES[int(clip(band + rng.choice((-1, 1)), 0, 3))]
    if qid == "governance.partnership_type":
        if person.org == year.type_split or (person.org == year.drift):
            return rng.choice([t for t in TYPES if t != p.kind and t != "secondment"])
        wrong = 0.01 if role != "wider" else 0.03
        return p.kind if rng.random() >= wrong else rng.choice([t for t in TYPES if t != p.kind])
    if qid == "governance.type_signed_up":
        return p.signed_up[person.org] if person.org != year.type_split else p.kind
    if qid == "roles.time_in_post":
        return age_band(min(person.tenure, age))
    # funding.origin
    return p.origin if rng.random() < 0.88 else rng.choice([o for o in ORIGINS if o != p.origin])


def answers_file(p: Partnership, y: int, people: list[Person], answers: list[dict[str, Any]]) -> dict[str, Any]:
    month, day = p.month_day
    data: dict[str, Any] = {
        "partnership": p.name,
        "assessed_on": datetime.date(FIRST_YEAR + y, month, day).isoformat(),
        "questionnaire": dict(QUESTIONNAIRE),
        "respondents": [
            {
                "id": person.key,
                "name": f"Respondent {p.number}-{person.key}",
                "organisation": p.organisation(person.org),
                "role": person.role,
                "answers": given,
            }
            for person, given in zip(people, answers, strict=True)
        ],
    }
    if p.named:
        data["named_in_programme"] = True
    return data


def dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def partnership_years(
    seed: int, index: int, years: int, shape: Shape
) -> Iterator[tuple[Partnership, int, dict[str, Any], list[Problem]]]:
    """Each year's answers of partnership ``index`` (1-based), with the problems planted in them."""
    rng = random.Random(f"{seed}:partnership:{index}")
    p = new_partnership(index, shape, rng, difficulty(seed, shape))
    problems: list[Problem] = []
    for y in range(years):
        age = p.age + y
        young = age < 1
        if y:
            p.health = clip(p.health + normal(rng, 0.1, 0.05), 2.5, 4.6)
            for section in p.sections:
                p.sections[section] += normal(rng, 0.08)
        problems = problems_for_year(p, rng, y, young, problems)
        year = gather(problems)
        if y:
            p.people = next_people(p, shape, rng, year.new_reps)
        elif year.new_reps:
            for person in p.people:
                if person.role != "lead":
                    person.tenure = 0.1 + 0.35 * rng.random()
        truth = truths(p, shape, rng, year, y)
        given = [respondent_answers(p, shape, rng, year, truth, person, age) for person in p.people]
        yield p, y, answers_file(p, y, p.people, given), problems


# --- the plans -----------------------------------------------------------------------------------

_ENGINE: dict[str, Any] = {}


def bundled_questionnaire() -> ph.Questionnaire:
    if "questionnaire" not in _ENGINE:
        _ENGINE["questionnaire"] = ph.load_questionnaire()
    questionnaire: ph.Questionnaire = _ENGINE["questionnaire"]
    return questionnaire


def assess(data: dict[str, Any]) -> ph.Assessment:
    """The assessment ``assess`` makes of these answers (its default options), with the bundled rule base."""
    questionnaire = bundled_questionnaire()
    if "rulebase" not in _ENGINE:
        _ENGINE["rulebase"] = ph.load_rulebase(questionnaire=questionnaire)
    return ph.assess(ph.load_answers(data, questionnaire), questionnaire, _ENGINE["rulebase"])


def plan(seed: int, p: Partnership, y: int, assessment: ph.Assessment, next_modes: set[str], assessed_on: str) -> bytes:
    """The action plan of this assessment as ``assess --format csv`` writes it, filled in a year on.

    An action whose findings' failure modes are gone a year later is mostly done; one whose
    problems persist is mostly in progress or not started.
    """
    rng = random.Random(f"{seed}:plan:{p.index}:{y}")
    modes: dict[str, set[str]] = {}
    for finding in assessment.findings:
        for remedy in finding.remedies:
            modes.setdefault(remedy.id, set()).add(finding.failure_mode)
    start = datetime.date.fromisoformat(assessed_on)
    owners = sorted(p.orgs, key=lambda letter: (len(letter), letter))[: max(3, len(p.orgs) // 2)]
    agreed = []
    for remedy_id in sorted(modes):
        resolved = not (modes[remedy_id] & next_modes)
        chances = (0.72, 0.22, 0.06) if resolved else (0.18, 0.45, 0.37)
        status = weighted(rng, tuple(zip(STATUSES, chances, strict=True)))
        months = start.month - 1 + rng.randint(2, 9)
        due = last_day(start.year + months // 12, months % 12 + 1)
        agreed.append(
            {
                "remedy_id": remedy_id,
                "owner": p.organisation(rng.choice(owners)),
                "due": due.isoformat(),
                "status": status,
            }
        )
    text = ph.render(assessment, bundled_questionnaire(), "csv", agreed=agreed)
    assert isinstance(text, str)
    return text.encode("utf-8")


def last_day(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def partnership_files(seed: int, index: int, years: int, plans: bool = True) -> list[tuple[str, bytes]]:
    """Every file of partnership ``index``: its answers each year and (``plans``) its plans, as (name, bytes)."""
    shape = Shape.of(bundled_questionnaire())
    files: list[tuple[str, bytes]] = []
    assessed: list[tuple[Partnership, int, dict[str, Any], ph.Assessment]] = []
    for p, y, data, _problems in partnership_years(seed, index, years, shape):
        files.append((f"{p.slug}-{FIRST_YEAR + y}.json", dumps(data)))
        if plans:
            assessed.append((p, y, data, assess(data)))
    for (p, y, data, assessment), following in zip(assessed, assessed[1:], strict=False):
        next_modes = {finding.failure_mode for finding in following[3].findings}
        files.append(
            (f"{p.slug}-{FIRST_YEAR + y}-plan.csv", plan(seed, p, y, assessment, next_modes, data["assessed_on"]))
        )
    return files


def _worker(job: tuple[int, int, int, bool]) -> list[tuple[str, bytes]]:
    return partnership_files(*job)


def generate(
    out: Path, partnerships: int = 200, years: int = 3, seed: int = DEFAULT_SEED, jobs: int = 1, plans: bool = True
) -> list[Path]:
    """Write the programme's files into ``out`` (made if missing); the paths written, in order.

    ``plans``: also the action plans, which assesses every answers file (most of the time taken).
    """
    out.mkdir(parents=True, exist_ok=True)
    work = [(seed, index, years, plans) for index in range(1, partnerships + 1)]
    written = []
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = pool.map(_worker, work, chunksize=8)
            for files in results:
                written += write(out, files)
    else:
        for job in work:
            written += write(out, _worker(job))
    return written


def write(out: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    paths = []
    for name, content in files:
        path = out / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=200, help="how many partnerships (default 200)")
    parser.add_argument("--years", type=int, default=3, help="assessments a year apart, from autumn 2024 (default 3)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"the seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the folder to write into")
    parser.add_argument(
        "--only", type=int, help="write only the first N partnerships (the same files as in a full run)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="processes to run side by side (the output is the same)")
    parser.add_argument(
        "--no-plans", action="store_true", help="write the answers files only (no assessment is run: much faster)"
    )
    args = parser.parse_args(argv)
    if args.partnerships < 1 or args.years < 1 or (args.only is not None and args.only < 1) or args.jobs < 1:
        parser.error("--partnerships, --years, --only and --jobs must be at least 1")
    count = min(args.partnerships, args.only) if args.only else args.partnerships
    started = time.perf_counter()
    written = generate(args.out, count, args.years, args.seed, args.jobs, plans=not args.no_plans)
    size = sum(path.stat().st_size for path in written)
    print(
        f"{len(written)} files, {size / 1e6:.1f} MB, for {count} partnerships x {args.years} years"
        f" in {time.perf_counter() - started:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
