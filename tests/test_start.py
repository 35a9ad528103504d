"""Fast start: libyaml reads what the pure-Python reader reads, and a command imports only what it uses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import partnership_health as ph
from partnership_health.cli import cache
from partnership_health.core import reader
from partnership_health.core.reader import bundled_path, parse_yaml

from .conftest import MINI, missing

# The generated programme's 600 answers files (examples/programme) are JSON that json.dumps wrote;
# tests/test_programme_example.py loads them, so they would only add 600 slow cases here.
BUNDLED = sorted(
    path
    for folder in ("rules", "questionnaires", "examples")
    for path in bundled_path(folder).rglob("*")
    if path.suffix in (".yaml", ".json") and "programme" not in path.relative_to(bundled_path(folder)).parts
)


def shape(node: yaml.Node | None) -> object:
    """A node tree as plain data: tag, value as written, and where each node starts and ends."""
    if node is None:
        return None
    where = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, bool(node.style), *where)
    if isinstance(node, yaml.MappingNode):
        return (node.tag, [(shape(k), shape(v)) for k, v in node.value], *where)
    return (node.tag, [shape(child) for child in node.value], *where)


@pytest.mark.parametrize(
    "path", [*BUNDLED, *sorted(MINI.rglob("*.yaml"))], ids=lambda p: str(p.relative_to(p.parents[1]))
)
def test_libyaml_and_the_pure_python_reader_read_every_bundled_file_alike(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not yaml.__with_libyaml__:
        missing("PyYAML was built without libyaml")
    text = path.read_text(encoding="utf-8")
    data, node, issues = parse_yaml(text, str(path))
    monkeypatch.setattr(reader, "YAML_LOADER", reader._SafeLoader)
    slow_data, slow_node, slow_issues = parse_yaml(text, str(path))
    assert node is not None and not issues
    assert (data, issues) == (slow_data, slow_issues)
    assert shape(node) == shape(slow_node)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [1, 2, {c: 3}]\nd: &x {e: 2026-13-01, f: 1e-05, g: yes, h: ~}\ni: *x\n",
        "- 'one'\n- \"two\"\n- |\n  three\n  lines\n- >\n  folded\n  text\n",
        "a: 1\na: 2\nb:\n  c: 1\n  c: 2\n",  # repeated keys, each reported
        "a: [1, 2\nb: 3\n",  # a syntax error
        "a: *missing\n",
        "a: &a [*a]\n",
        "---\na: 1\n---\nb: 2\n",
        "a: " + "[" * 2_000 + "\n",  # beyond libyaml's own limit of 1,000 levels
        "- " * 150 + "x\n",
        "- " * 99 + "x\n",  # 100 levels: allowed
        "- " * 100 + "x\n",  # 101 levels: refused
        "a: &a [" + "1, " * 998 + "1]\nb: [" + "*a, " * 99 + "*a]\n",  # aliases stand for 100,000 values: allowed
        "a: &a [" + "1, " * 998 + "1]\nb: [" + "*a, " * 100 + "*a]\n",  # 101,000: refused
        "a: &a [1, &b [2, *b]]\n",
    ],
)
def test_both_readers_give_the_same_data_and_problems(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not yaml.__with_libyaml__:
        missing("PyYAML was built without libyaml")
    fast = parse_yaml(text, "x.yaml")
    monkeypatch.setattr(reader, "YAML_LOADER", reader._SafeLoader)
    slow = parse_yaml(text, "x.yaml")
    assert fast[0] == slow[0]
    assert shape(fast[1]) == shape(slow[1])
    # The same problems on the same lines (libyaml words its syntax errors its own way).
    assert [(i.location.path, i.location.line, i.subject) for i in fast[2]] == [
        (i.location.path, i.location.line, i.subject) for i in slow[2]
    ]
    assert [i.message for i in fast[2] if "nested" in i.message or "alias" in i.message or "twice" in i.message] == [
        i.message for i in slow[2] if "nested" in i.message or "alias" in i.message or "twice" in i.message
    ]


# Modules that `demo --format md` has no use for: the web app, the store, survey import and
# export, PDF, the progress bar and process pool of assess-many, migration.
NOT_FOR_A_MARKDOWN_REPORT = [
    "partnership_health.store.sqlite",
    "partnership_health.web",
    "partnership_health.cli.batch",
    "partnership_health.core.migrate",
    "partnership_health.surveys.importing",
    "partnership_health.surveys.xlsform",
    "sqlite3",
    "starlette",
    "uvicorn",
    "weasyprint",
    "openpyxl",
    "pyxform",
    "tqdm",
    "concurrent.futures",
    "multiprocessing",
]


def imported_by(*argv: str) -> set[str]:
    """The modules a fresh process has imported after running the command line with ``argv``."""
    code = (
        "import sys, json\n"
        "from partnership_health.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_a_markdown_report_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    imported = imported_by("demo", "--format", "md", "--output", str(tmp_path / "demo.md"))
    assert (tmp_path / "demo.md").read_text().startswith("# ")
    assert {"partnership_health.core.runner", "yaml", "jinja2"} <= imported  # what it does use
    assert sorted(imported & set(NOT_FOR_A_MARKDOWN_REPORT)) == []


def test_every_command_that_keeps_something_uses_one_default_database() -> None:
    from partnership_health.cli.program import _parser
    from partnership_health.store import DEFAULT_DB

    commands = [["serve"], ["round", "list"], ["history", "list"], ["assess", "a.yaml", "--save"]]
    assert {_parser().parse_args(argv).db for argv in commands} == {DEFAULT_DB}


def test_a_changed_template_is_used_by_the_next_run_and_never_a_stale_compiled_one(tmp_path: Path) -> None:
    """Compiled templates are kept between runs; a template whose text changed is compiled afresh."""
    riverside = bundled_path("examples") / "riverside.yaml"
    template = tmp_path / "templates" / "report.md.j2"
    template.parent.mkdir()
    command = [
        sys.executable,
        "-m",
        "partnership_health.cli",
        "assess",
        str(riverside),
        "--template-dir",
        str(template.parent),
    ]
    seen = []
    for text in ("First: {{ a.partnership }}\n", "Again: {{ a.partnership }}\n", "First: {{ a.partnership }}\n"):
        template.write_text(text)
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        seen.append(result.stdout)
    assert seen == [
        "First: Riverside Youth Partnership\n",
        "Again: Riverside Youth Partnership\n",
        "First: Riverside Youth Partnership\n",
    ]


def test_every_model_can_validate_in_a_fresh_process() -> None:
    """The models' validators are built on first use; none may fail to build when a rare command first needs it."""
    code = (
        "import importlib, pkgutil, partnership_health as ph\n"
        "from partnership_health.models import Model\n"
        "for module in pkgutil.walk_packages(ph.__path__, 'partnership_health.'):\n"
        "    if not module.name.endswith('__main__'): importlib.import_module(module.name)\n"
        "def every(cls):\n"
        "    for sub in cls.__subclasses__():\n"
        "        yield sub\n"
        "        yield from every(sub)\n"
        "names = {m.__module__ + '.' + m.__qualname__ for m in every(Model) if m.model_rebuild() is not False}\n"
        "print(len(names))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 60  # every model of the package, the command line's and the survey import's too


def test_a_template_of_ones_own_is_still_given_the_json_contract(
    tmp_path: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    """The bundled Markdown report does without the JSON contract; a template of the user's may still show it."""
    from partnership_health.reporting.render import render

    (tmp_path / "report.md.j2").write_text("{{ contract.rulebase.version }}: {{ contract.findings | length }}\n")
    answers = ph.load_answers(bundled_path("examples") / "riverside.yaml", questionnaire)
    assessment = ph.assess(answers, questionnaire, rulebase)
    text = render(assessment, questionnaire, "md", template_dir=tmp_path)
    assert text == f"{assessment.rulebase_version}: {len(assessment.findings)}\n"


def test_the_action_plan_as_csv_and_the_questionnaire_need_no_template_engine(tmp_path: Path) -> None:
    riverside = bundled_path("examples") / "riverside.yaml"
    imported = imported_by("assess", str(riverside), "--format", "csv", "--output", str(tmp_path / "plan.csv"))
    assert "partnership_health.core.runner" in imported and "jinja2" not in imported
    assert "jinja2" not in imported_by("questionnaire")


# --- the checked questionnaire and rule base, kept between runs ---------------------------


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the mini rule base, and a cache folder of this test's own (tmp_path / 'cache')."""
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    shutil.copytree(MINI / "rules", tmp_path / "rules")
    return tmp_path / "rules"


def test_the_inputs_come_back_from_the_cache_and_a_changed_rule_file_is_read_afresh(
    rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    questionnaire = MINI / "questionnaire.yaml"
    first = cache.load_inputs(questionnaire, rules)
    assert first == (ph.load_questionnaire(questionnaire), ph.load_rulebase(rules, first[0]))

    def unread(*args: object) -> None:
        raise AssertionError("read again instead of from the cache")

    with monkeypatch.context() as reading:
        reading.setattr(cache, "load_questionnaire", unread)
        reading.setattr(cache, "load_rulebase", unread)
        assert cache.load_inputs(questionnaire, rules) == first

    core = rules / "core.yaml"
    title = first[1].rules[0].title
    core.write_text(core.read_text(encoding="utf-8").replace(title, "A title changed since", 1), encoding="utf-8")
    assert cache.load_inputs(questionnaire, rules)[1].rules[0].title == "A title changed since"


def test_a_rule_base_with_a_problem_is_reported_every_time_and_never_kept(rules: Path, tmp_path: Path) -> None:
    core = rules / "core.yaml"
    core.write_text(core.read_text(encoding="utf-8").replace("severity: high", "severity: huge", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ph.InputError, match="severity"):
            cache.load_inputs(MINI / "questionnaire.yaml", rules)
    assert list((tmp_path / "cache").iterdir()) == []


def test_there_is_no_cache_when_it_is_off_or_others_could_write_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_VARIABLE, "off")
    assert cache.cache_folder() is None
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(shared))
    assert cache.cache_folder() is None
    cache.load_inputs(MINI / "questionnaire.yaml", MINI / "rules")
    assert list(shared.iterdir()) == []
