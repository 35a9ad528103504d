"""The ``serve`` and ``round`` commands: assessment rounds kept in one SQLite file.

:mod:`.program` registers them with :func:`register`. Each command maps a
:class:`~partnership_health.store.sqlite.StoreError` to one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import errno
import functools
import ipaddress
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import control_problem
from ..links import LOOPBACK_NAMES, host_of, is_loopback, lead_link, link, origin, public_url, respondent_link
from ..store import DEFAULT_DB, ROUND_MIN_GROUP
from ..vocabulary import ROLES
from ..wording import counted
from .common import input_options, iso_date, open_store, port, positive

if TYPE_CHECKING:  # the store is imported by the commands that use it, not by the command line
    from ..store.sqlite import Store

DEFAULT_URL = "http://127.0.0.1:8000"
LINK_BASE = "link_base"
"""The setting where ``serve`` keeps the address its links are built on, for the ``round`` commands' links."""
HOSTING_GUIDE = "docs/hosting.md"
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
        default=None,
        type=plain_text,
        metavar="URL",
        help=f"where the web app is served, for links (default: the address 'serve' last gave, else {DEFAULT_URL})",
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
    command.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help="the address people reach the app at, such as https://health.example.org behind a reverse proxy: "
        "every link is built on it (default: the address it listens on); https:// also makes cookies Secure "
        f"and sends HSTS (see {HOSTING_GUIDE})",
    )
    command.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        type=_host_name,
        metavar="NAME",
        help="a further host name requests may be addressed to (repeatable); always allowed: the public URL's, "
        "this computer's loopback names and the addresses it listens on; any other gets 400",
    )
    command.add_argument(
        "--proxy",
        action="append",
        default=[],
        type=_address,
        metavar="ADDRESS",
        help="the address (or network, 10.0.0.0/8) of the reverse proxy in front (repeatable): its "
        "X-Forwarded-For and X-Forwarded-Proto are believed, anyone else's ignored; needs --public-url",
    )
    command.add_argument(
        "--request-timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="close a connection whose request (header and body) has not arrived in SECONDS (default: 15)",
    )
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


def _links_base(args: argparse.Namespace, store: Store) -> str:
    """The address the ``round`` commands build links on: --url, else what ``serve`` last gave."""
    return str(args.url or store.setting(LINK_BASE) or DEFAULT_URL)


# --- serve ---------------------------------------------------------------------------


def _public_url(text: str) -> str:
    try:
        return public_url(plain_text(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _host_name(text: str) -> str:
    """A name a request's Host may give: a DNS name or an IP address, without a scheme, port or path."""
    name = plain_text(text).strip().lower()
    try:
        return str(ipaddress.ip_address(name.strip("[]")))
    except ValueError:
        pass
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?", name):
        raise argparse.ArgumentTypeError(
            f"must be a host name such as partners.example.org, without https:// or a port (got {text!r})"
        )
    return name.rstrip(".")


def _address(text: str) -> str:
    try:
        return str(ipaddress.ip_network(text.strip(), strict=False))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an IP address or network, such as 127.0.0.1 or 10.0.0.0/8 (got {text!r})"
        ) from None


def _seconds(text: str) -> float:
    from ..surveys.values import parse_number

    value = parse_number(text)  # ASCII digits, as every number typed is read: not "nan", "1e3" or "٤"
    if value is None or not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be a number of seconds more than 0 and at most 3600 (got {text!r})")
    return float(value)


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    """Bind the port and check the database first; only then print the links and serve."""
    from ..web import create_app
    from ..web.limits import Limits
    from ..web.server import REQUEST_TIMEOUT, bind, reachable, serve

    if args.proxy and not args.public_url:
        print("error: --proxy needs --public-url (the address people reach the proxy at, for links)", file=sys.stderr)
        return 2
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"error: port {args.port} is taken (by another program, or another serve): "
                "choose a free one with --port",
                file=sys.stderr,
            )
        else:
            print(f"error: cannot listen on {args.host} port {args.port} ({error.strerror or error})", file=sys.stderr)
        return 1
    try:
        addresses = [] if is_loopback(args.host) else reachable(args.host)
        listening = origin("http", args.host if not addresses else addresses[0], args.port)
        base = args.public_url or listening
        store = _store(args, create=True)
        store.check_writable()  # a read-only, locked or full database is said now, not as a failed answer
        store.set_setting(LINK_BASE, base)  # what the round commands' links are built on; and the file is writable
        app = create_app(
            store,
            questionnaire=args.questionnaire,
            rules=args.rules,
            public_url=base,
            allowed_hosts=allowed_hosts(args, addresses),
            proxies=args.proxy,
            secure_cookies=base.startswith("https://"),
            limits=Limits(),
        )
        _announce(args, out, base, addresses, lead_link(base, store.lead_secret()))
        out.flush()
        serve(app, sock, request_timeout=args.request_timeout or REQUEST_TIMEOUT)
    finally:
        sock.close()
    return 0


def allowed_hosts(args: argparse.Namespace, addresses: list[str]) -> list[str]:
    """The names a request's Host may give: the public URL's, loopback, the addresses listened on, --allowed-host."""
    hosts = [*LOOPBACK_NAMES, *addresses, *args.allowed_host]
    if args.public_url:
        hosts.append(host_of(args.public_url))
    if not is_loopback(args.host) and not ipaddress_unspecified(args.host):
        hosts.append(args.host)
    return hosts


def ipaddress_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _announce(args: argparse.Namespace, out: TextIO, base: str, addresses: list[str], lead: str) -> None:
    """Where the app is, the lead's link, who can reach it and what that exposes."""
    print(f"Serving {Path(args.db).resolve()} at {base}", file=out)
    if args.public_url:
        behind = f", behind the proxy at {' and '.join(args.proxy)}" if args.proxy else ""
        print(f"(listening on {origin('http', args.host, args.port)}{behind})", file=out)
    elif len(addresses) > 1:
        others = ", ".join(origin("http", each, args.port) for each in addresses[1:])
        print(f"People on this computer's other networks reach it at {others}", file=out)
    print(f"The lead's pages (keep this link private): {lead}", file=out)
    print(f"Leads with an account ('partnership-health lead add') sign in at {link(base, '/lead/sign-in')}", file=out)
    print(who_can_reach(args.host, public=args.public_url), file=out)


def who_can_reach(host: str, public: str | None = None) -> str:
    """What listening on ``host`` exposes, to whom (``public``: the address people are given, if any)."""
    if is_loopback(host):
        if public:
            return f"Only this computer can reach it directly; people reach it through {public}."
        return "Only this computer can reach it (give --host to let others on your network in)."
    everywhere = host in ("0.0.0.0", "::")
    where = "every network this computer is on" if everywhere else f"the network of {host}"
    told = (
        f"Anyone who can reach this computer on {where} can reach it: respondents' pages open only with their "
        "private links and the lead's pages only with the lead's link, but the traffic is not encrypted "
        "(plain HTTP): anyone on the network between a partner and this computer can read their answers and "
        "private links. "
    )
    if public and public.startswith("https://"):
        return (
            f"Warning: {told}Behind a proxy on this computer, listen on 127.0.0.1 (the default) so that "
            f"nobody goes around {public}."
        )
    return (
        f"Warning: {told}Enough for a room on a network you trust; for partners in other organisations, "
        f"serve it behind HTTPS ({HOSTING_GUIDE})."
    )


# --- round ---------------------------------------------------------------------------


def _create(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.loading import load_questionnaire
    from ..models import QuestionnaireRef

    questionnaire = load_questionnaire(args.questionnaire)
    store = _store(args, create=True)
    ref = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    owner = store.get_lead(args.lead).id if args.lead else None
    created = store.create_round(
        args.partnership, args.date or datetime.date.today(), ref, args.min_group, args.show_names, owner
    )
    print(created.id, file=out)
    base = _links_base(args, store)
    if owner is None:
        print(f"The lead's private link: {lead_link(base, store.lead_secret(), created.id)}", file=out)
    else:
        print(f"{args.lead.strip()} finds it at {link(base, f'/lead/rounds/{created.id}')} once signed in.", file=out)
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
        rows = [(args.organisation, args.role, args.name, None)]
    store = _store(args)
    found = store.get_round(args.round)
    invited = store.invite(found.id, rows)
    base = _links_base(args, store)
    if not args.from_csv:
        print(respondent_link(base, invited[0].token), file=out)
        return 0
    from ..surveys.sheets import safe_cell

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["organisation", "role", "name", "link"])
    for person in invited:
        row = [person.organisation, person.role, person.name or "", respondent_link(base, person.token)]
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
    import yaml

    from ..core.loading import load_questionnaire
    from ..models import QuestionnaireRef
    from ..reporting.files import write_report

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
    from ..core.assessment import assess
    from ..core.loading import load_questionnaire, load_rulebase
    from ..models import QuestionnaireRef
    from ..reporting.render import contract

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
    if not store.rounds():
        print("No rounds yet: start one with 'partnership-health round create' or on the lead's pages.", file=out)
    for each in store.rounds():
        status = store.status(each.id)
        print(
            f"{each.id}  {each.assessed_on.isoformat()}  {each.status:<6}  {status.finished}/{status.invited} finished"
            f"  {each.partnership}",
            file=out,
        )
    return 0
