"""`termbank reviewer ...` and `termbank proposals ...` from a shell."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from termbank import reviewers
from termbank.cli import cli
from termbank.proposals import ProposalStore


@pytest.fixture
def run(tmp_path, bank_path):
    proposals = tmp_path / "proposals.db"

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, [*args, "--proposals", str(proposals), "--db", str(bank_path)],
                                  input=input)

    invoke.proposals = proposals
    return invoke


def test_reviewer_accounts(run):
    added = run("reviewer", "add", "ana", "--languages", "es, es_MX", "--name", "Ana Pérez",
                input="a long password\na long password\n")
    assert added.exit_code == 0, added.output
    assert "Reviewer ana added for es, es-MX." in added.output
    listed = run("reviewer", "list")
    assert "ana" in listed.output and "es, es-MX" in listed.output and "Ana Pérez" in listed.output
    store = ProposalStore(run.proposals)
    stored = store.db.execute("SELECT password_hash FROM reviewers").fetchone()[0]
    assert stored.startswith("pbkdf2_sha256$480000$") and "a long password" not in stored
    assert reviewers.authenticate(store, "ana", "a long password").languages == ("es", "es-MX")
    assert reviewers.authenticate(store, "ana", "wrong") is None
    again = run("reviewer", "add", "ana", "--languages", "fr", input="another one\nanother one\n")
    assert again.exit_code == 1 and "exists already" in again.output
    short = run("reviewer", "add", "bob", "--languages", "fr", input="short\nshort\n")
    assert short.exit_code == 1 and "too short" in short.output
    bad_tag = run("reviewer", "add", "bob", "--languages", "xx-QQ", input="long enough\nlong enough\n")
    assert bad_tag.exit_code == 1 and "xx-QQ" in bad_tag.output
    assert run("reviewer", "password", "ana", input="new password\nnew password\n").exit_code == 0
    assert reviewers.authenticate(store, "ana", "new password") is not None
    assert run("reviewer", "remove", "ana").exit_code == 0
    assert run("reviewer", "list").output == ""


def test_password_hashes_use_the_django_pbkdf2_format():
    """The string datasette-auth-passwords (and Django) give for this password and salt, so an
    account can move between them."""
    expected = "pbkdf2_sha256$480000$salt1234$sjD7W1k+40mugourzFz01Zl3EDbEr3er7txVlt12g7Y="
    assert reviewers.hash_password("secret words", "salt1234") == expected
    assert reviewers.verify_password("secret words", expected)
    assert not reviewers.verify_password("secret word", expected)
    assert not reviewers.verify_password("secret words", "md5$1$x$y")


def test_list_show_approve_reject(run, bank_path):
    store = ProposalStore(run.proposals)
    reviewers.add(store, "marie", "long enough", ("fr",), "Marie Curie")
    from termbank import Bank

    with Bank(bank_path) as bank:
        one = store.submit(concept="camera", tag="fr-CA", term="caméra", bank=bank)
        two = store.submit(concept="camera", tag="es", term="cámara web", bank=bank)
    listed = run("proposals", "list", "--state", "pending")
    assert f"{one.id:>5}  pending   camera  fr-CA  caméra" in listed.output
    refused = run("proposals", "approve", str(two.id), "--reviewer", "marie")
    assert refused.exit_code == 1 and "marie reviews fr, not es" in refused.output
    unknown = run("proposals", "approve", str(one.id), "--reviewer", "nobody")
    assert unknown.exit_code == 1 and "no reviewer 'nobody'" in unknown.output
    approved = run("proposals", "approve", str(one.id), "--reviewer", "marie", "--comment", "Oui.")
    assert approved.exit_code == 0 and "approved" in approved.output
    assert run("proposals", "approve", str(one.id), "--reviewer", "marie").exit_code == 1
    shown = json.loads(run("proposals", "show", str(one.id), "--json").output)
    assert shown["state"] == "approved" and shown["decided_by"] == "marie"
    assert [e["kind"] for e in shown["history"]] == ["submitted", "approved"]
    missing = run("proposals", "show", "99")
    assert missing.exit_code == 1 and "no proposal 99" in missing.output


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command(bank_path, tmp_path, port: int) -> list[str]:
    import sys

    return [sys.executable, "-m", "termbank", "serve", "--db", str(bank_path),
            "--proposals", str(tmp_path / "proposals.db"), "--port", str(port)]


def test_serve_on_a_busy_port_is_one_line_naming_it(bank_path, tmp_path):
    import socket
    import subprocess

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(serve_command(bank_path, tmp_path, port), capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: port {port} on 127.0.0.1 is already in use; serve on another with --port "
        f"(e.g. --port {port + 1})"]
    assert "Serving" not in result.stderr


def test_serve_prints_its_address_only_once_it_listens(bank_path, tmp_path):
    import http.client
    import socket
    import subprocess

    port = free_port()
    server = subprocess.Popen(serve_command(bank_path, tmp_path, port), stderr=subprocess.PIPE,
                              text=True)
    try:
        line = server.stderr.readline()
        assert line == f"Serving {bank_path} at http://127.0.0.1:{port}/-/lookup\n"
        # connecting right after the line must not be refused: the port is bound and listening
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/-/lookup.json?q=pixel&to=es-AR")
        response = connection.getresponse()
        assert response.status == 200 and b'"concept": "pixel"' in response.read()
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


@pytest.mark.parametrize("args", [["proposals", "list"], ["reviewer", "list"]])
def test_an_unopenable_proposals_database_is_one_line(bank_path, args):
    result = CliRunner().invoke(cli, [*args, "--proposals", "/proc/nope/proposals.db",
                                      "--db", str(bank_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: /proc/nope/proposals.db: cannot open the proposals database "
        "(unable to open database file)"]
