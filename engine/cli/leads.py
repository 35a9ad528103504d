"""The ``lead`` command: the operator makes, lists, removes lead accounts and resets their passwords.

``lead add --operator`` or ``lead operator EMAIL --on`` lets a lead see the operator's page
(``/programme``: the assessments every lead has shared with the programme); ``--off`` takes it back.
The local lead (the private link ``serve`` prints) is the operator of a local set-up.

A lead signs in to the web app at ``/lead/sign-in`` with their email address and the
password given here (hashed with argon2id; the web app's :mod:`~partnership_health.web.views.account`
does the hashing). ``lead rotate-secret`` ends the local lead's private links and prints a new one.
:mod:`.program` registers the command with :func:`register`.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from ..links import lead_link
from .rounds import DEFAULT_URL, _guarded, _links_base, _store, database_option, plain_text

LOCAL_OPERATOR = "The local lead (the private link 'serve' prints) is an operator too: /programme is theirs to see."


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``lead`` to the command line's subcommands."""
    database = database_option()
    password = argparse.ArgumentParser(add_help=False)
    password.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts) instead of asking twice",
    )
    leads = commands.add_parser("lead", help="lead accounts: add, list, remove, reset a password; rotate the link")
    actions = leads.add_subparsers(dest="action", required=True, metavar="ACTION")

    action = actions.add_parser(
        "add", parents=[database, password], help="make a lead account (asks for its password twice)"
    )
    action.add_argument(
        "email", metavar="EMAIL", type=plain_text, help="the lead's email address: they sign in with it"
    )
    action.add_argument("--name", type=plain_text, metavar="NAME", help="the lead's name")
    action.add_argument(
        "--operator",
        action="store_true",
        help="the lead also sees the operator's page, /programme: what every lead has shared with the programme",
    )
    action.set_defaults(run=_guarded(_add))

    action = actions.add_parser("list", parents=[database], help="list the lead accounts (and who is an operator)")
    action.set_defaults(run=_guarded(_list))

    action = actions.add_parser(
        "operator",
        parents=[database],
        help="grant (--on) or revoke (--off) a lead's operator's page, /programme",
    )
    action.add_argument("email", metavar="EMAIL", type=plain_text)
    switch = action.add_mutually_exclusive_group(required=True)
    switch.add_argument("--on", dest="operator", action="store_true", help="the lead sees the operator's page")
    switch.add_argument("--off", dest="operator", action="store_false", help="the lead no longer sees it")
    action.set_defaults(run=_guarded(_operator))

    action = actions.add_parser(
        "remove", parents=[database], help="remove a lead account; its rounds pass to the local lead"
    )
    action.add_argument("email", metavar="EMAIL", type=plain_text)
    action.set_defaults(run=_guarded(_remove))

    action = actions.add_parser(
        "password", parents=[database, password], help="set a new password for a lead (signs them out everywhere)"
    )
    action.add_argument("email", metavar="EMAIL", type=plain_text)
    action.set_defaults(run=_guarded(_password))

    action = actions.add_parser(
        "rotate-secret",
        parents=[database],
        help="end the local lead's private links (and sessions) and print a new link",
    )
    action.add_argument(
        "--url",
        default=None,
        type=plain_text,
        metavar="URL",
        help=f"where the web app is served (default: the address 'serve' last gave, else {DEFAULT_URL})",
    )
    action.set_defaults(run=_guarded(_rotate))


def _read_password(args: argparse.Namespace) -> str | None:
    """The new password, checked; None (with a line on stderr) when it cannot be one."""
    from ..web.views.account import password_problem

    if args.password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = getpass.getpass("Password: ")
        if password_problem(password) is None and getpass.getpass("The same password again: ") != password:
            print("error: the two passwords differ; nothing was changed", file=sys.stderr)
            return None
    problem = password_problem(password)
    if problem:
        print(f"error: {problem}; nothing was changed", file=sys.stderr)
        return None
    return password


def _add(args: argparse.Namespace, out: TextIO) -> int:
    from ..web.views.account import email_problem, hash_password

    problem = email_problem(args.email)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    store = _store(args, create=True)
    if store.find_lead(args.email):
        print(f"error: there is already a lead {args.email.strip()!r}", file=sys.stderr)
        return 1
    password = _read_password(args)
    if password is None:
        return 1
    lead = store.add_lead(
        args.email, (args.name or "").strip() or None, hash_password(password), operator=args.operator
    )
    print(f"Lead {lead.email} added: they sign in at /lead/sign-in with this email address and password.", file=out)
    if lead.operator:
        print(
            f"{lead.email} is an operator: they also see /programme, what the leads share with the programme.", file=out
        )
    return 0


def _list(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    for lead in store.leads():
        rounds = len(store.rounds(lead.id))
        operator = "  operator" if lead.operator else ""
        print(f"{lead.email}  {lead.name or '-'}  {rounds} round{'' if rounds == 1 else 's'}{operator}", file=out)
    print(LOCAL_OPERATOR, file=out)
    return 0


def _operator(args: argparse.Namespace, out: TextIO) -> int:
    lead = _store(args).set_operator(args.email, args.operator)
    if lead.operator:
        print(f"{lead.email} is an operator: they see /programme, what the leads share with the programme.", file=out)
    else:
        print(
            f"{lead.email} is no longer an operator: /programme is not found for them from their next page.", file=out
        )
    return 0


def _remove(args: argparse.Namespace, out: TextIO) -> int:
    lead, moved = _store(args).remove_lead(args.email)
    print(
        f"Lead {lead.email} removed and signed out; {moved} round{'' if moved == 1 else 's'} of theirs now "
        "belong to the local lead (the link 'serve' prints).",
        file=out,
    )
    return 0


def _password(args: argparse.Namespace, out: TextIO) -> int:
    from ..web.views.account import hash_password

    store = _store(args)
    lead = store.get_lead(args.email)
    password = _read_password(args)
    if password is None or lead.id is None:
        return 1
    store.set_password(lead.id, hash_password(password))
    print(f"New password set for {lead.email}; their sessions have ended.", file=out)
    return 0


def _rotate(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    secret = store.rotate_lead_secret()
    print("The local lead's earlier private links and sessions no longer work.", file=out)
    print(f"The lead's new private link (keep it private): {lead_link(_links_base(args, store), secret)}", file=out)
    return 0
