"""``termbank serve``, ``termbank reviewer ...`` and ``termbank proposals ...``.

The web side of the bank from the command line: serve it through Datasette,
manage reviewer accounts, and read, decide and apply proposals. Proposals
live in their own database (default: ``proposals.db`` beside the bank, or
``$TERMBANK_PROPOSALS``), so rebuilding the bank never loses one.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from .cli import DB_OPTION, GLOSSARY_DIR

PROPOSALS_OPTION = click.option(
    "--proposals", "proposals_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The proposals database (default: $TERMBANK_PROPOSALS, else proposals.db beside the bank).")


def proposals_at(proposals_path: Path | None, db_path: Path | None) -> Path:
    from .bank import default_db_path
    from .proposals import default_path

    return proposals_path or default_path(db_path or default_db_path())


def open_store(proposals_path: Path | None, db_path: Path | None):
    """The proposals database; one that cannot be opened (a folder that does not exist,
    a file that is no database) is a one-line error naming it."""
    import sqlite3

    from .errors import TermbankError
    from .proposals import ProposalStore

    path = proposals_at(proposals_path, db_path)
    try:
        return ProposalStore(path)
    except sqlite3.DatabaseError as exc:
        raise TermbankError(f"{path}: cannot open the proposals database ({exc})") from None


@click.command()
@DB_OPTION
@PROPOSALS_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--metadata", "metadata_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Datasette metadata (default: the datasette/metadata.yml "
                                  "installed with termbank).")
@click.option("--writer", metavar="URL", default=None,
              help="Serve as a read-only replica: proposals and reviews go to the writer at URL.")
@click.option("--setting", "settings", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="A Datasette setting, repeatable (e.g. --setting num_sql_threads 4).")
def serve(db_path: Path | None, proposals_path: Path | None, host: str, port: int,
          metadata_path: Path | None, writer: str | None, settings: tuple) -> None:
    """Serve the bank on the web through Datasette: lookup pages, proposals and review.

    The bank is served immutable; proposals go to their own database beside it.
    Set DATASETTE_SECRET to keep reviewers signed in across restarts and replicas.

    Example: termbank serve --port 8001   (then open http://127.0.0.1:8001/-/lookup)
    """
    import asyncio

    import uvicorn

    from .bank import Bank, default_db_path
    from .web.site import make_datasette

    bank = db_path or default_db_path()
    Bank(bank).close()  # a missing or outdated bank fails here, with the remedy
    ds = make_datasette(bank, None if writer else proposals_at(proposals_path, db_path),
                        metadata_path, writer=writer, settings=dict(settings))
    sock = listening_socket(host, port)
    # Start up before serving, as `datasette serve` does: Datasette 0.65 runs startup hooks
    # on the first request otherwise, and concurrent first requests would race them.
    asyncio.run(ds.invoke_startup())
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {bank} at http://{shown}:{port}/-/lookup", err=True)
    server = uvicorn.Server(uvicorn.Config(ds.app(), log_level="warning", lifespan="on"))
    asyncio.run(server.serve(sockets=[sock]))


def listening_socket(host: str, port: int):
    """A socket already bound and listening, so that "Serving ... at URL" is true when it
    is printed and a busy port is one clear line instead of a server's log."""
    import errno
    import socket

    from .errors import TermbankError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise TermbankError(f"--host {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise TermbankError(f"port {port} on {host} is already in use; serve on another "
                                f"with --port (e.g. --port {port + 1 if port < 65535 else 8001})"
                                ) from None
        raise TermbankError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


@click.group()
def reviewer() -> None:
    """Reviewer accounts: who may approve proposals, in which languages.

    Example: termbank reviewer add ana --languages es,es-MX --name "Ana Pérez"
    """


@reviewer.command("add")
@click.argument("account")
@click.option("--languages", required=True, metavar="TAGS",
              help="Comma-separated tags the reviewer decides (es covers es-MX); '*' for all.")
@click.option("--name", "full_name", default=None,
              help="The name written into glossary files as reviewer (default: ACCOUNT).")
@click.password_option(help="Asked for when not given (hidden, typed twice).")
@PROPOSALS_OPTION
@DB_OPTION
def reviewer_add(account: str, languages: str, full_name: str | None, password: str,
                 proposals_path: Path | None, db_path: Path | None) -> None:
    """Create a reviewer account; the password is stored as a salted PBKDF2 hash.

    Example: termbank reviewer add ana --languages es,es-MX --name "Ana Pérez"
    """
    from . import reviewers

    tags = reviewers.parse_languages(languages)
    with_store(proposals_path, db_path,
               lambda store: reviewers.add(store, account, password, tags, full_name))
    click.echo(f"Reviewer {account} added for {', '.join(tags)}.")


@reviewer.command("list")
@PROPOSALS_OPTION
@DB_OPTION
def reviewer_list(proposals_path: Path | None, db_path: Path | None) -> None:
    """List reviewer accounts and their languages.

    Example: termbank reviewer list
    """
    from . import reviewers

    for r in with_store(proposals_path, db_path, reviewers.everyone):
        click.echo(f"{r.id:<20} {', '.join(r.languages):<24} {r.name}")


@reviewer.command("password")
@click.argument("account")
@click.password_option(help="Asked for when not given (hidden, typed twice).")
@PROPOSALS_OPTION
@DB_OPTION
def reviewer_password(account: str, password: str, proposals_path: Path | None,
                      db_path: Path | None) -> None:
    """Set a new password for a reviewer account.

    Example: termbank reviewer password ana
    """
    from . import reviewers

    with_store(proposals_path, db_path, lambda store: reviewers.set_password(store, account, password))
    click.echo(f"Password of {account} changed.")


@reviewer.command("remove")
@click.argument("account")
@PROPOSALS_OPTION
@DB_OPTION
def reviewer_remove(account: str, proposals_path: Path | None, db_path: Path | None) -> None:
    """Close a reviewer account (its past decisions stay in the history).

    Example: termbank reviewer remove ana
    """
    from . import reviewers

    with_store(proposals_path, db_path, lambda store: reviewers.remove(store, account))
    click.echo(f"Reviewer {account} removed.")


def with_store(proposals_path: Path | None, db_path: Path | None, work):
    store = open_store(proposals_path, db_path)
    try:
        return work(store)
    finally:
        store.close()


@click.group()
def proposals() -> None:
    """Proposals made on the web: list, show, approve, reject, apply to glossary/.

    Example: termbank proposals list --state pending
    """


@proposals.command("list")
@click.option("--state", type=click.Choice(["pending", "approved", "rejected"]), default=None)
@click.option("--concept", default=None, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@PROPOSALS_OPTION
@DB_OPTION
def proposals_list(state: str | None, concept: str | None, as_json: bool,
                   proposals_path: Path | None, db_path: Path | None) -> None:
    """List proposals, oldest first, with their state.

    Example: termbank proposals list --state pending
    """
    found = with_store(proposals_path, db_path, lambda s: s.list(state=state, concept=concept))
    if as_json:
        click.echo(json.dumps([asdict(p) for p in found], ensure_ascii=False, indent=2))
        return
    for p in found:
        flags = " (language?)" if p.language_warning else ""
        flags += f" (duplicate of {p.duplicate_of!r})" if p.duplicate_of else ""
        click.echo(f"{p.id:>5}  {p.state:<8}  {p.concept_id}  {p.tag}  {p.term}{flags}")


@proposals.command("show")
@click.argument("proposal_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@PROPOSALS_OPTION
@DB_OPTION
def proposals_show(proposal_id: int, as_json: bool, proposals_path: Path | None,
                   db_path: Path | None) -> None:
    """Show one proposal and its history (submission, decision).

    Example: termbank proposals show 12
    """
    proposal, history = with_store(proposals_path, db_path,
                                   lambda s: (s.get(proposal_id), s.history(proposal_id)))
    if as_json:
        click.echo(json.dumps({**asdict(proposal), "history": history}, ensure_ascii=False,
                              indent=2))
        return
    for key, value in asdict(proposal).items():
        if value not in (None, False, ""):
            click.echo(f"{key:<18} {value}")
    for event in history:
        comment = f": {event['comment']}" if event["comment"] else ""
        click.echo(f"  {event['created_at']}  {event['kind']}  {event['actor_id'] or ''}{comment}")


DECISION_OPTIONS = (
    click.argument("proposal_id", type=int),
    click.option("--reviewer", "account", required=True, help="The reviewer account deciding."),
    click.option("--comment", default=None, help="Why (shown with the proposal)."),
    PROPOSALS_OPTION, DB_OPTION)


def decision_options(command):
    for option in reversed(DECISION_OPTIONS):
        command = option(command)
    return command


@proposals.command("approve")
@decision_options
def proposals_approve(proposal_id: int, account: str, comment: str | None,
                      proposals_path: Path | None, db_path: Path | None) -> None:
    """Approve a proposal as a reviewer: it shows in lookups at once.

    Example: termbank proposals approve 12 --reviewer ana
    """
    decide(proposal_id, "approved", account, comment, proposals_path, db_path)


@proposals.command("reject")
@decision_options
def proposals_reject(proposal_id: int, account: str, comment: str | None,
                     proposals_path: Path | None, db_path: Path | None) -> None:
    """Reject a proposal as a reviewer, preferably saying why.

    Example: termbank proposals reject 12 --reviewer ana --comment "a calque"
    """
    decide(proposal_id, "rejected", account, comment, proposals_path, db_path)


@proposals.command("confirm")
@decision_options
def proposals_confirm(proposal_id: int, account: str, comment: str | None,
                      proposals_path: Path | None, db_path: Path | None) -> None:
    """Confirm an approved proposal as a second reviewer of its dialect (a vote).

    With two reviewers the term counts as very reliable (4 on IATE's scale).

    Example: termbank proposals confirm 12 --reviewer luis
    """
    decide(proposal_id, "confirmed", account, comment, proposals_path, db_path)


def decide(proposal_id: int, decision: str, account: str, comment: str | None,
           proposals_path: Path | None, db_path: Path | None) -> None:
    """The web's checks from a shell: the account must exist and review the proposal's tag."""
    from . import reviewers

    done = with_store(proposals_path, db_path, lambda store: reviewers.decide(
        store, proposal_id, decision, account, comment))
    click.echo(f"Proposal {done.id} ({done.concept_id} {done.tag} {done.term!r}) {done.state}.")


@proposals.command("apply")
@click.option("--glossary", type=click.Path(file_okay=False, path_type=Path),
              default=GLOSSARY_DIR, show_default=True)
@click.option("--dry-run", is_flag=True, help="Say what would be written; change nothing.")
@PROPOSALS_OPTION
@DB_OPTION
def proposals_apply(glossary: Path, dry_run: bool, proposals_path: Path | None,
                    db_path: Path | None) -> None:
    """Write approved proposals into glossary/ as reviewed terms (safe to run again).

    Then review the diff, commit, and rebuild with `termbank build`.

    Example: termbank proposals apply && git diff glossary/
    """
    from .apply import apply

    outcomes = with_store(proposals_path, db_path, lambda s: apply(s, glossary, dry_run))
    for outcome in outcomes:
        click.echo(str(outcome))
    written = sum(o.changes for o in outcomes)
    rest = len(outcomes) - written
    if dry_run:
        click.echo(f"Dry run: {written} term(s) would be written; {rest} already there or "
                   "skipped; nothing changed.", err=True)
    else:
        click.echo(f"wrote {written} term(s); {rest} already there or skipped.", err=True)


def register(cli: click.Group) -> None:
    for command in (serve, reviewer, proposals):
        cli.add_command(command)
