"""The ``serve`` and ``round`` commands: assessment rounds kept in one SQLite file.

:mod:`.program` registers them with :func:`register`. Each command maps a
:class:`~partnership_health.store.sqlite.StoreError` to one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import functools
import ipaddress
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import yaml

from ..core.assessment import assess
from ..core.loading import load_questionnaire, load_rulebase
from ..errors import control_problem
from ..models import ROLES, QuestionnaireRef
from ..reporting.files import write_report
from ..reporting.render import contract
from ..store import DEFAULT_DB, ROUND_MIN_GROUP
from ..wording import counted
from .common import input_options, iso_date, open_store, port, positive

if TYPE_CHECKING:  # the store is imported by the commands that use it, not by the command line
    from ..store.sqlite import Store

DEFAULT_URL = "http://127.0.0.1:8000"
Command = Callable[[argparse.Namespace, TextIO], int]


def plain_text(text: str) -> str:
    """An argument that is printed later (a name, a link): no control character (ESC, BEL, CSI ...)."""
    problem = control_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def database_option() -> argparse.ArgumentParser:
    """The parent parser of the commands on the file of rounds: --db."""
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db", metavar="FILE", default=DEFAULT_DB, help=f"the SQLite file of rounds (default: {DEFAULT_DB})"
    )
    return database


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``serve`` and ``round`` to the command line's subcommands."""
    inputs = input_options()
    database = database_option()
    links = argparse.ArgumentParser(add_help=False)
    links.add_argument(
        "--url",
        default=DEFAULT_URL,
        type=plain_text,
        metavar="URL",
        help=f"where the web app is served, for links (default: {DEFAULT_URL})",
    )

    command = commands.add_parser(
        "serve",
        parents=[inputs, database],
        help="run the web app for assessment rounds (respondents' forms, the lead's pages, the facilitator's screen)",
    )
    command.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    command.add_argument("--port", type=port, default=8000, help="port to listen on (default: 8000)")
    command.set_defaults(run=_guarded(_serve))

    rounds = commands.add_parser("round", help="create a round, invite respondents, follow it, export and close it")
    actions = rounds.add_subparsers(dest="action", required=True, metavar="ACTION")

    action = actions.add_parser(
        "create", parents=[inputs, database, links], help="start a round; prints its id, then the lead's private link"
    )
    action.add_argument("--partnership", required=True, type=plain_text, metavar="NAME", help="the partnership's name")
    action.add_argument(
        "--date", type=iso_date, default=None, metavar="YYYY-MM-DD", help="the round's date (default: today)"
    )
    action.add_argument(
        "--min-group",
        type=positive,
        default=ROUND_MIN_GROUP,
        metavar="N",
        help="in the round's reports and on the facilitator's screen, merge roles and organisations with fewer "
        f"than N respondents into 'others', and show no figures until N have answered (default: {ROUND_MIN_GROUP}); "
        "respondents are told before they answer",
    )
    action.add_argument(
        "--show-names",
        action="store_true",
        help="the round's reports may list respondents by name (never what each answered); respondents are told",
    )
    action.add_argument(
        "--lead", type=plain_text, metavar="EMAIL", help="the lead account that owns it (default: the local lead)"
    )
    action.set_defaults(run=_guarded(_create))

    action = actions.add_parser(
        "invite", parents=[database, links], help="add respondents; prints each one's private link"
    )
    action.add_argument("round", metavar="ROUND", help="the round's id")
    action.add_argument("--organisation", type=plain_text, metavar="ORG")
    action.add_argument("--role", choices=ROLES)
    action.add_argument(
        "--name", type=plain_text, metavar="NAME", help="shown only to the lead, never in reports unless asked"
    )
    action.add_argument(
        "--from",
        dest="from_csv",
        metavar="CSV",
        help="a CSV (or XLSX) with the columns organisation, role (lead, core, wider or their labels) and "
        "optionally name; prints it back with a link column",
    )
    action.set_defaults(run=_guarded(_invite))

    action = actions.add_parser("status", parents=[database], help="who has answered, by role and organisation")
    action.add_argument("round", metavar="ROUND", help="the round's id")
    action.set_defaults(run=_guarded(_status))

    action = actions.add_parser(
        "export",
        parents=[database],
        help="write the round's answers: an answers file (yaml), or the raw responses as a spreadsheet (csv, xlsx)",
    )
    action.add_argument("round", metavar="ROUND", help="the round's id")
    action.add_argument(
        "--format",
        choices=("yaml", "csv", "xlsx"),
        help="yaml: the answers file assess reads; csv, xlsx: one row per respondent, one column per question, "
        "no cell a formula (default: the --output name's suffix, else yaml)",
    )
    action.add_argument("--questionnaire", metavar="FILE", help="the round's questionnaire, for the columns' order")
    action.add_argument("--output", metavar="FILE", help="the file to write (default: stdout; xlsx needs a file)")
    action.set_defaults(run=_guarded(_export))

    action = actions.add_parser(
        "close",
        parents=[inputs, database],
        help="stop further answers and keep the round's assessment (for history and next year's comparison)",
        description="Closes the round, then saves its assessment in the same file, once: closing again saves "
        "it only if it was not saved yet. Give the questionnaire and rules the round is answered with.",
    )
    action.add_argument("round", metavar="ROUND", help="the round's id")
    action.set_defaults(run=_guarded(_close))

    action = actions.add_parser("list", parents=[database], help="list the rounds")
    action.set_defaults(run=_guarded(_list))


def _guarded(command: Command) -> Command:
    @functools.wraps(command)
    def run(args: argparse.Namespace, out: TextIO) -> int:
        from ..store.sqlite import StoreError

        try:
            return command(args, out)
        except StoreError as error:
            print(f"error: {error.message}", file=sys.stderr)
            return 1

    return run


def _store(args: argparse.Namespace, *, create: bool = False) -> Store:
    return open_store(args.db, create=create, hint="create a round first")


def lead_link(base: str, secret: str, round_id: int | None = None) -> str:
    return f"{base.rstrip('/')}/lead/enter/{secret}" + (f"?round={round_id}" if round_id is not None else "")


def respondent_link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/r/{token}"


# --- serve ---------------------------------------------------------------------------


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn

    from ..web import create_app
    from ..web.limits import Limits

    store = _store(args, create=True)
    store.check_writable()  # a read-only, locked or full database is said now, not as a failed answer
    app = create_app(store, questionnaire=args.questionnaire, rules=args.rules, limits=Limits())
    shown = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{shown}:{args.port}"
    print(f"Serving {Path(args.db).resolve()} at {base}", file=out)
    print(f"The lead's pages (keep this link private): {lead_link(base, store.lead_secret())}", file=out)
    print(who_can_reach(args.host), file=out)
    out.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return 0


def who_can_reach(host: str) -> str:
    """One sentence saying who can open the app when it listens on ``host``."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return "Only this computer can reach it (give --host to let others on your network in)."
    everywhere = host in ("0.0.0.0", "::")
    where = "every network this computer is on" if everywhere else f"the network of {host}"
    return (
        f"Anyone who can reach this computer on {where} can reach it: respondents' pages open only with their "
        "private links and the lead's pages only with the lead's link, but the traffic is not encrypted."
    )


# --- round ---------------------------------------------------------------------------


def _create(args: argparse.Namespace, out: TextIO) -> int:
    questionnaire = load_questionnaire(args.questionnaire)
    store = _store(args, create=True)
    ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    owner = store.get_lead(args.lead).id if args.lead else None
    created = store.create_round(
        args.partnership, args.date or datetime.date.today(), ref, args.min_group, args.show_names, owner
    )
    print(created.id, file=out)
    if owner is None:
        print(f"The lead's private link: {lead_link(args.url, store.lead_secret(), created.id)}", file=out)
    else:
        print(
            f"{args.lead.strip()} finds it at {args.url.rstrip('/')}/lead/rounds/{created.id} once signed in.", file=out
        )
    return 0


def _invite(args: argparse.Namespace, out: TextIO) -> int:
    if bool(args.from_csv) == bool(args.organisation or args.role):
        print("error: give --organisation and --role, or --from CSV", file=sys.stderr)
        return 2
    if args.from_csv:
        from ..surveys.invitees import read_invitees

        rows = read_invitees(args.from_csv)
    elif not (args.organisation and args.role):
        print("error: give both --organisation and --role", file=sys.stderr)
        return 2
    else:
        rows = [(args.organisation, args.role, args.name)]
    store = _store(args)
    found = store.get_round(args.round)
    invited = store.invite(found.id, rows)
    if not args.from_csv:
        print(respondent_link(args.url, invited[0].token), file=out)
        return 0
    from ..surveys.sheets import safe_cell

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["organisation", "role", "name", "link"])
    for person in invited:
        row = [person.organisation, person.role, person.name or "", respondent_link(args.url, person.token)]
        writer.writerow([safe_cell(cell) for cell in row])  # '=HYPERLINK(' stays text in a spreadsheet
    return 0


def _status(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    found = store.get_round(args.round)
    status = store.status(found.id)
    print(f"Round {found.id}: {found.partnership} ({found.assessed_on.isoformat()}), {found.status}", file=out)
    print(f"{status.invited} invited, {status.started} started, {status.finished} finished", file=out)
    for title, table in (("By role", status.by_role), ("By organisation", status.by_organisation)):
        if table:
            print(f"{title}:", file=out)
            width = max(len(name) for name in table)
            for name, (invited, started, finished) in table.items():
                print(f"  {name:<{width}}  {invited} invited, {started} started, {finished} finished", file=out)
    return 0


def _export(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    found = store.get_round(args.round)
    answers = store.round_answers(found.id)
    if answers is None:
        from ..store.sqlite import StoreError

        raise StoreError(f"round {found.id} has no answers yet")
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    fmt = args.format or (suffix if suffix in ("csv", "xlsx") else "yaml")
    content: str | bytes
    if fmt == "yaml":
        content = yaml.safe_dump(answers.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    else:
        from ..surveys.sheets import response_rows, rows_csv, rows_xlsx

        questionnaire = load_questionnaire(args.questionnaire)
        mine = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
        rows = response_rows(answers, questionnaire if mine == found.questionnaire else None)
        content = rows_csv(rows) if fmt == "csv" else rows_xlsx(rows)
    if not args.output:
        if isinstance(content, bytes):
            print("error: an xlsx export needs --output FILE.xlsx", file=sys.stderr)
            return 2
        out.write(content)
        return 0
    write_report(content, args.output, inputs=(args.db,))  # never over the database itself
    if fmt != "yaml":
        print(f"The responses of {counted(len(answers.respondents), 'respondent')} written to {args.output}.", file=out)
        return 0
    print(
        f"The answers of {counted(len(answers.respondents), 'respondent')} written to {args.output}; "
        f"'partnership-health assess {args.output} --min-group {found.min_group}' gives the report the web app shows.",
        file=out,
    )
    return 0


def _close(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    found = store.get_round(args.round)
    questionnaire = load_questionnaire(args.questionnaire)
    mine = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    if found.questionnaire != mine:
        from ..store.sqlite import StoreError

        raise StoreError(
            f"round {found.id} is answered with questionnaire '{found.questionnaire.id}' version "
            f"{found.questionnaire.version}, not '{mine.id}' version {mine.version}: give its file with "
            "--questionnaire (and its rules with --rules) to close it and keep its assessment"
        )
    rulebase = load_rulebase(args.rules, questionnaire)
    closed = store.close_round(found.id)
    print(f"Round {closed.id} is closed: no further answers.", file=out)
    answers = store.round_answers(closed.id)
    if answers is None:
        print("Nobody answered it, so no assessment is kept.", file=out)
        return 0
    result = assess(answers, questionnaire, rulebase, closed.options)
    kept, saved = store.keep_round_assessment(
        closed.id,
        answers,
        contract(result),
        rulebase_version=result.rulebase_version,
        options=closed.options.changed(),
    )
    if saved:
        print(f"Its assessment is kept as assessment {kept} in {args.db}.", file=out)
    else:
        print(f"Its assessment was kept before, as assessment {kept}.", file=out)
    return 0


def _list(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    for each in store.rounds():
        status = store.status(each.id)
        print(
            f"{each.id}  {each.assessed_on.isoformat()}  {each.status:<6}  {status.finished}/{status.invited} finished"
            f"  {each.partnership}",
            file=out,
        )
    return 0
