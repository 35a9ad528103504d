"""Command-line parts for year on year: ``assess --compare``/``--save`` and the ``history`` commands.

``assess ANSWERS --compare FILE.json`` compares with an earlier JSON report; with
``--compare previous`` or ``--compare ID`` the earlier assessment comes from the SQLite
file (``--db``), and so do the reports of the years before it (the trend) and the action
plan attached to it (``--actions PLAN.csv`` gives the plan instead). ``assess ANSWERS
--save`` keeps the assessment there.

The store is imported only inside the functions that use it: an ``assess`` that neither
saves nor compares with a stored assessment never opens SQLite.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from ..errors import InputError, Issue, SourceLocation
from ..store import DEFAULT_DB
from .common import deliver, input_options, open_store, options_of, report_options

if TYPE_CHECKING:
    from ..models import Answers, Assessment
    from ..store.sqlite import Store, StoredAssessment

# The history command's actions; `history PARTNERSHIP` (no action) lists.
ACTIONS = ("list", "show", "export", "import", "delete", "actions", "share")


def add_options(command: argparse.ArgumentParser, *, save: bool = True, db: bool = True) -> None:
    """The assess command's options: --compare, --save and --db."""
    command.add_argument(
        "--compare",
        metavar="previous|ID|FILE.json",
        help="add a 'since last time' part (new, resolved and persisting findings, score changes): 'previous' "
        "compares with the latest saved assessment of the partnership dated before this one, ID with a saved "
        "assessment (see history), FILE.json with an earlier JSON report (assess --format json)",
    )
    command.add_argument(
        "--actions",
        metavar="PLAN.csv",
        help="with --compare: the action plan of that earlier assessment, filled in (owner, due date, status); "
        "the report says which actions were done and sets each persisting problem beside them (with --compare "
        "previous|ID, the plan attached to the saved assessment is used unless this is given)",
    )
    if save:
        command.add_argument(
            "--save", action="store_true", help="keep the assessment in the database (history lists them)"
        )
    if db:
        command.add_argument(
            "--db",
            metavar="FILE",
            default=DEFAULT_DB,
            help=f"the SQLite file of saved assessments, for --save and --compare previous|ID (default: {DEFAULT_DB})",
        )


def since(args: argparse.Namespace, assessment: Assessment) -> dict[str, Any] | None:
    """The 'since last time' part as JSON data, or None without --compare."""
    if not getattr(args, "compare", None):
        if getattr(args, "actions", None):
            message = "goes with --compare (the report it was the plan of)"
            raise InputError([Issue(SourceLocation(args.actions), "--actions", message)])
        return None
    if args.compare == "previous" or args.compare.isdigit():
        return _stored_since(args, assessment)
    from ..store.history import compare, plan_remedies
    from ..surveys.plans import read_plan

    path = Path(args.compare)
    previous = read_report(path)
    actions = read_plan(args.actions, plan_remedies(previous)) if getattr(args, "actions", None) else None
    return compare(previous, assessment, previous_id=path.name, actions=actions).model_dump(mode="json")


def _stored_since(args: argparse.Namespace, assessment: Assessment) -> dict[str, Any]:
    """Compare with a saved assessment, the reports saved before it (the trend) and its action plan."""
    from ..store.history import compare_saved, plan_remedies
    from ..surveys.plans import read_plan

    store = open_store(args.db)
    if args.compare == "previous":
        previous = store.previous_assessment(assessment.partnership, assessment.assessed_on)
        if previous is None:
            raise _store_error(
                f"{args.db}: no saved assessment of “{assessment.partnership}” dated before "
                f"{assessment.assessed_on.isoformat()} to compare with (history lists the saved ones)"
            )
    else:
        previous = store.get_assessment(args.compare)
    actions = (
        read_plan(args.actions, plan_remedies(previous.report or {}))
        if getattr(args, "actions", None)
        else store.actions_of(previous.id)
    )
    saved = store.assessments(previous.partnership, full=True)
    return compare_saved(saved, previous, assessment, actions).model_dump(mode="json")


def save(args: argparse.Namespace, answers: Answers, assessment: Assessment, part: dict[str, Any] | None) -> str:
    """Keep the assessment in --db (with what it was compared with, ``part``); returns what to tell the user."""
    from ..reporting.render import contract

    store = open_store(args.db, create=True)
    options: dict[str, Any] = options_of(args).changed()  # the report options it is re-rendered with
    if part:  # history show compares with it again
        previous = part["previous"]
        stored = args.compare == "previous" or args.compare.isdigit()
        options["compared_with"] = {
            "id" if stored else "file": int(previous["id"]) if stored else previous["id"],
            "assessed_on": previous["assessed_on"],
        }
    same = store.same_assessment(answers)
    saved = store.save_assessment(
        answers, contract(assessment), rulebase_version=assessment.rulebase_version, options=options
    )
    note = f" (the same answers are saved as assessment {same} too)" if same is not None else ""
    return f"Saved as assessment {saved} in {args.db}{note}."


def read_report(path: Path) -> dict[str, Any]:
    """An earlier JSON report, checked just enough to compare with; a problem is a located error."""
    from ..core.reader import read_text

    name = str(path)
    text, issues = read_text(path)  # no such file, a folder, too large, not UTF-8: located like any input's
    if text is None:
        raise InputError(issues)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [Issue(SourceLocation(name, error.lineno, error.colno), "--compare", f"is not valid JSON: {error.msg}")]
        ) from None
    where = SourceLocation(name, 1, 1)
    if not isinstance(data, dict):
        raise InputError([Issue(where, "--compare", "must be a JSON report (an object; got something else)")])
    problems = [
        Issue(where, "--compare: " + subject_of_keys(keys), f"{message}; give a report written by assess --format json")
        for keys, message in report_problems(data)
    ]
    if problems:
        raise InputError(problems)
    return data


def report_problems(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """What keeps ``data`` from being compared as a JSON report: (where in it, what) each."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for key, kind in (("findings", list), ("scores", dict), ("assessed_on", str)):
        if not isinstance(data.get(key), kind):
            what = "missing" if key not in data else f"a {type(data[key]).__name__}"
            problems.append(((key,), f"'{key}' must be a {kind.__name__} (got {what})"))
    findings = data.get("findings")
    for index, finding in enumerate(findings if isinstance(findings, list) else []):
        if not isinstance(finding, dict) or not isinstance(finding.get("failure_mode"), str):
            problems.append((("findings", index), "must have a 'failure_mode'"))
    return problems


def subject_of_keys(keys: Sequence[str | int]) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else k) for i, k in enumerate(keys))


# --- the history command ---------------------------------------------------------------


def normalise(argv: list[str]) -> list[str]:
    """``history [--db FILE] [PARTNERSHIP]`` is ``history list ...``: put the action in when it is left out."""
    if not argv or argv[0] != "history":
        return argv
    rest = argv[1:]
    index = 0
    while index < len(rest):
        word = rest[index]
        if word == "--db":
            index += 2
        elif word.startswith("--db="):
            index += 1
        elif word in ACTIONS or word in ("-h", "--help") or word.startswith("-"):
            return argv
        else:
            break
    return ["history", "list", *rest]


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``history`` (list, show, export, import, delete, actions, share) to the command line's subcommands."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        metavar="FILE",
        default=argparse.SUPPRESS,  # given here or before the action: `history --db F show 3`
        help=f"the SQLite file of saved assessments (default: {DEFAULT_DB})",
    )
    history = commands.add_parser(
        "history",
        help="list, show, export, import or delete saved assessments, attach an action plan to one or share it "
        "with the programme view (assess --save keeps them)",
        description="Saved assessments: 'history [PARTNERSHIP]' lists them, oldest first.",
    )
    history.add_argument(
        "--db", metavar="FILE", default=DEFAULT_DB, help=f"the SQLite file of saved assessments (default: {DEFAULT_DB})"
    )
    actions = history.add_subparsers(dest="action", required=True, metavar="ACTION")

    action = actions.add_parser("list", parents=[database], help="list the saved assessments (the default)")
    action.add_argument("partnership", nargs="?", metavar="PARTNERSHIP", help="only this partnership's")
    action.set_defaults(run=_list)

    action = actions.add_parser(
        "show",
        parents=[input_options(), report_options("md"), database],
        help="re-render a saved assessment as a report",
        description="Re-assesses the saved answers with the current rule base and the report options it was "
        "saved with (an option given here wins). An assessment answered to another questionnaire than the "
        "current one is re-assessed with that questionnaire given as --questionnaire; without it, only "
        "--format json works, giving the JSON report as it was saved.",
    )
    action.add_argument("id", metavar="ID", help="the saved assessment's id (history lists them)")
    add_options(action, save=False, db=False)
    action.set_defaults(run=_show)

    action = actions.add_parser(
        "export", parents=[database], help="write saved assessments (with their action plans) to a JSON file"
    )
    action.add_argument("partnership", nargs="?", metavar="PARTNERSHIP", help="only this partnership's")
    action.add_argument("--output", metavar="FILE.json", help="the file to write (default: standard output)")
    action.set_defaults(run=_export)

    action = actions.add_parser(
        "import",
        parents=[database],
        help="add the assessments of a file history export wrote (those already saved are not added twice)",
    )
    action.add_argument("file", metavar="FILE.json")
    action.set_defaults(run=_import)

    action = actions.add_parser("delete", parents=[database], help="remove a saved assessment and its action plan")
    action.add_argument("id", metavar="ID")
    action.set_defaults(run=_delete)

    action = actions.add_parser(
        "actions",
        parents=[database],
        help="attach the filled-in action plan of a saved assessment (replacing any attached before)",
        description="The plan is the CSV assess --format csv wrote, with owner, due date and status filled in "
        "(done, in progress, not started, dropped). A later assessment compared with this one "
        "(--compare previous|ID) says which actions were done beside each problem that persists.",
    )
    action.add_argument("id", metavar="ID")
    action.add_argument("plan", metavar="PLAN.csv", help="the filled-in action plan (CSV or XLSX)")
    action.set_defaults(run=_actions)

    action = actions.add_parser(
        "share",
        parents=[database],
        help="share a saved assessment with the programme view (partnership-health programme), or take it back",
        description="A programme view of this database counts only the assessments shared with it, and names a "
        "partnership only where its lead agreed. It never shows anyone's answers or a figure resting on fewer "
        "than 3 partnerships.",
    )
    action.add_argument("id", metavar="ID")
    choice = action.add_mutually_exclusive_group()
    choice.add_argument("--named", action="store_true", help="the programme view may also name the partnership")
    choice.add_argument("--off", action="store_true", help="no longer shared (nor named)")
    action.set_defaults(run=_share)


def _store_error(message: str) -> Exception:
    from ..store.sqlite import StoreError

    return StoreError(message)


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from ..store.history import overall_of

    store = open_store(args.db)
    found = store.assessments(args.partnership, full=True)
    if not found:
        names = sorted({a.partnership for a in store.assessments()})
        if args.partnership and names:
            print(f"No saved assessment of “{args.partnership}” in {args.db} (saved: {', '.join(names)}).", file=out)
        else:
            print(f"No saved assessment in {args.db} yet (assess ANSWERS --save keeps one).", file=out)
        return 0
    rows = [
        ("id", "partnership", "date", "questionnaire", "rule base", "findings", "overall", "action plan", "programme")
    ]
    for each in found:
        report = each.report or {}
        score = overall_of(report)
        rows.append(
            (
                str(each.id),
                each.partnership,
                each.assessed_on.isoformat(),
                each.questionnaire_version,
                each.rulebase_version,
                str(len(report.get("findings") or ())),
                "-" if score is None else str(score),
                "attached" if each.has_actions else "",
                _sharing(each),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(), file=out)
    return 0


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.assessment import assess
    from ..core.loading import load_answers, load_questionnaire, load_rulebase
    from ..reporting.render import render

    store = open_store(args.db)
    stored = store.get_assessment(args.id)
    assert stored.answers is not None and stored.report is not None
    questionnaire = load_questionnaire(args.questionnaire)
    asked = (stored.questionnaire_id, stored.questionnaire_version)
    inputs = [args.db, args.questionnaire, args.rules, args.template_dir, args.actions]
    if asked != (questionnaire.id, questionnaire.version):
        if args.format != "json" or args.compare:
            raise _store_error(
                f"{args.db}: assessment {stored.id} was answered to questionnaire {' '.join(asked)}, not "
                f"{questionnaire.id} {questionnaire.version}: give that questionnaire with --questionnaire to "
                "re-render it, or --format json for its report as saved"
            )
        print(
            f"Assessment {stored.id} was answered to questionnaire {' '.join(asked)}: its JSON report as saved.",
            file=sys.stderr,
        )
        deliver(out, args.output, inputs, lambda: json.dumps(stored.report, indent=2, ensure_ascii=False))
        return 0
    answers = load_answers(
        stored.answers.model_dump(mode="json"), questionnaire, name=f"{args.db}: assessment {stored.id}"
    )
    rulebase = load_rulebase(args.rules, questionnaire)
    assessment = assess(answers, questionnaire, rulebase, options_of(args, saved=stored.options))
    if not args.compare and stored.options.get("compared_with"):
        args.compare = _compared_again(store, stored, args.db)
    if assessment.rulebase_version != stored.rulebase_version:
        print(
            f"Assessment {stored.id} was saved with rule base {stored.rulebase_version}; "
            f"re-assessed with rule base {assessment.rulebase_version}.",
            file=sys.stderr,
        )
    part = since(args, assessment)
    deliver(
        out,
        args.output,
        inputs,
        lambda: render(
            assessment,
            questionnaire,
            args.format,
            template_dir=args.template_dir,
            since=part,
            agreed=store.actions_of(stored.id),  # the plan filled in for it, or agreed in a live session
        ),
    )
    return 0


def _compared_again(store: Store, stored: StoredAssessment, db: str) -> str | None:
    """The id of the saved assessment ``stored`` was compared with when it was saved, as ``--compare`` takes it.

    Matched by id and date, else by date alone (ids change when assessments are imported
    elsewhere). None, with a line on standard error, when it cannot be found again.
    """
    was = stored.options["compared_with"]
    on = str(was.get("assessed_on"))
    if "file" in was:
        print(
            f"Assessment {stored.id} was compared with {was['file']} ({on}) when it was saved; "
            f"give --compare {was['file']} to show that part again.",
            file=sys.stderr,
        )
        return None
    dated = [each for each in store.assessments(stored.partnership) if str(each.assessed_on) == on]
    same = [each for each in dated if each.id == was.get("id")] or dated[-1:]
    if not same:
        print(
            f"Assessment {stored.id} was compared with the assessment of {on} when it was saved, "
            f"which is no longer in {db}: shown without the 'since last time' part.",
            file=sys.stderr,
        )
        return None
    return str(same[0].id)


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from ..models import EXPORT_FORMAT, EXPORT_VERSION
    from ..reporting.files import write_report
    from ..store.sqlite import now

    store = open_store(args.db)
    found = store.assessments(args.partnership, full=True)
    if not found:
        of = f" of “{args.partnership}”" if args.partnership else ""
        raise _store_error(f"{args.db}: no saved assessment{of} to export")
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now(),
        "assessments": [
            {
                "id": each.id,
                "saved_at": each.saved_at,
                "rulebase_version": each.rulebase_version,
                "options": each.options,
                # The lead's choice to be named, as it is now (it may have changed since the answers came in).
                "answers": each.answers.model_copy(update={"named_in_programme": each.named_in_programme}).model_dump(
                    mode="json"
                )
                if each.answers
                else None,
                "report": each.report,
                "action_plan": store.actions_of(each.id),
                "shared_with_programme": each.shared_with_programme,
            }
            for each in found
        ],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if not args.output:
        out.write(text)
        return 0
    write_report(text, args.output, inputs=(args.db,))
    plans = sum(each.has_actions for each in found)
    print(
        f"{_count(len(found), 'assessment')} ({_count(plans, 'action plan')}) written to {args.output}; "
        f"'partnership-health history import {args.output}' adds them to another database.",
        file=out,
    )
    return 0


def read_export(path: str) -> list[StoredAssessment]:
    """The assessments of a file ``history export`` wrote; every problem in it, located, at once."""
    from ..core.reader import Document, read_yaml, validate
    from ..models import EXPORT_FORMAT, EXPORT_VERSION, ExportFile
    from ..store.sqlite import StoredAssessment

    data, node, issues = read_yaml(path)
    if node is None:
        raise InputError(issues or [Issue(SourceLocation(path), "file", "is empty")])
    where = SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        message = f"is not a file of saved assessments (history export writes one, with format '{EXPORT_FORMAT}')"
        raise InputError([Issue(where, "file", message)])
    if isinstance(data.get("version"), int) and data["version"] > EXPORT_VERSION:
        message = (
            f"was written by a newer version of partnership-health (version {data['version']}; this version reads "
            f"{EXPORT_VERSION}). Upgrade partnership-health to import it."
        )
        raise InputError([Issue(where, "version", message)])
    exported, problems = validate(ExportFile, data, node, path)
    issues += problems
    document = Document(path, cast(Any, data), node)  # to locate what the checks below find
    listed = data.get("assessments") if isinstance(data, dict) else None
    for index, each in enumerate(listed if isinstance(listed, list) else []):
        report = each.get("report") if isinstance(each, dict) else None
        for keys, message in report_problems(report) if isinstance(report, dict) else []:
            keys = ("assessments", index, "report", *keys)
            issues.append(document.issue(keys, subject_of_keys(keys), message))
    if issues or exported is None:
        raise InputError(issues)
    return [
        StoredAssessment(
            id=0,
            partnership=each.answers.partnership,
            assessed_on=each.answers.assessed_on,
            questionnaire_id=each.answers.questionnaire.id,
            questionnaire_version=each.answers.questionnaire.version,
            rulebase_version=each.rulebase_version,
            saved_at=each.saved_at,
            options=each.options.model_dump(mode="json", exclude_defaults=True),
            answers=each.answers,
            report=each.report,
            actions=each.action_plan,
            shared_with_programme=each.shared_with_programme,
            named_in_programme=each.answers.named_in_programme,
        )
        for each in exported.assessments
    ]


def _import(args: argparse.Namespace, out: TextIO) -> int:
    items = read_export(args.file)  # the whole file is checked before the database is opened
    store = open_store(args.db, create=True)
    imported = store.import_assessments(items)
    added = [f"{i.id} ({_what(item)})" for i, item in zip(imported, items, strict=True) if not i.duplicate]
    there = [f"{i.id} ({_what(item)})" for i, item in zip(imported, items, strict=True) if i.duplicate]
    print(
        f"{_count(len(added), 'assessment')} imported into {args.db}" + (": " + ", ".join(added) if added else "."),
        file=out,
    )
    if there:
        print(f"Already saved, not imported again: {', '.join(there)}.", file=out)
    return 0


def _delete(args: argparse.Namespace, out: TextIO) -> int:
    store = open_store(args.db)
    deleted = store.delete_assessment(args.id)
    people = len(deleted.answers.respondents) if deleted.answers else 0
    plan = " and its action plan" if deleted.has_actions else ""
    print(
        f"Deleted assessment {deleted.id} ({_what(deleted)}): the answers of {_count(people, 'respondent')}, "
        f"its report{plan}, from {args.db}.",
        file=out,
    )
    return 0


def _actions(args: argparse.Namespace, out: TextIO) -> int:
    from ..store.history import plan_remedies
    from ..surveys.plans import read_plan

    store = open_store(args.db)
    found = store.get_assessment(args.id)
    # every problem in the plan, located, before the database is written to
    rows = read_plan(args.plan, plan_remedies(found.report) if found.report is not None else None)
    store.attach_actions(found.id, rows)
    replaced = " (replacing the one attached before)" if found.has_actions else ""
    print(
        f"An action plan of {_count(len(rows), 'action')} attached to assessment {found.id} "
        f"({_what(found)}){replaced}; a later assessment compared with it follows it up.",
        file=out,
    )
    return 0


def _share(args: argparse.Namespace, out: TextIO) -> int:
    store = open_store(args.db)
    found = store.get_assessment(args.id)
    now = store.set_programme_consent(found.id, shared=not args.off, named=args.named)
    if not now.shared_with_programme:
        said = "is not shared with the programme view, which leaves it out"
    elif now.named_in_programme:
        said = "is shared with the programme view, which may name the partnership"
    else:
        said = "is shared with the programme view, which counts it without naming the partnership"
    print(f"Assessment {now.id} ({_what(now)}) {said}.", file=out)
    return 0


def _sharing(each: StoredAssessment) -> str:
    """Whether the lead shares it with the programme view (history share ID), and lets it name the partnership."""
    if not each.shared_with_programme:
        return "not shared"
    return "shared, named" if each.named_in_programme else "shared"


def _what(each: StoredAssessment) -> str:
    return f"{each.partnership}, {each.assessed_on.isoformat()}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
