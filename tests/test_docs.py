"""The docs say what the code does: every command has help and a README entry, README's
sessions print what they show (scripts/sessions.py), docs/cli.md is the commands' own help
(scripts/cli_reference.py), and the licence, citation and changelog files agree with each other."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from termbank.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def script(name: str):
    """A module of scripts/, loaded from its file (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module               # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


sessions = script("sessions")
cli_reference = script("cli_reference")


def commands(group, prefix=""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize("name, command", list(commands(cli)))
def test_command_is_documented_with_help(name, command):
    assert command.help and command.help.strip(), f"termbank {name} has no help"
    assert f"termbank {name}" in README, f"termbank {name} is missing from README.md"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


# README's sessions ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sandbox():
    box = sessions.Sandbox()
    yield box
    box.close()


def test_readme_sessions_show_what_the_commands_print(sandbox):
    found = sessions.problems(README, sandbox)
    assert not found, "\n\n".join(found) + "\n\nRun scripts/docs to regenerate."


def test_the_sessions_cover_both_banks_the_server_and_every_block():
    """Not a vacuous check: every console block with a termbank command or a call to the
    local server is a session, and they use the real bank, the fixture bank and the server."""
    run = [s for s in sessions.parse(README.splitlines()) if s.runs]
    shown = [c.text for s in run for c in s.commands]
    assert len(run) >= 9 and sum(c.startswith("termbank ") for c in shown) >= 15
    assert any("--db fixture.db" in c for c in shown)
    assert any("--db" not in c and c.startswith("termbank lookup") for c in shown)
    assert sum(c.startswith("curl ") for c in shown) >= 4 and all(
        s.serves for s in run if any(c.program == "curl" for c in s.commands))
    blocks = re.findall(r"^```console\n(.*?)^```", README, flags=re.M | re.S)
    sessions_shown = [b for b in blocks if re.search(r"^\$ (termbank |curl )", b, flags=re.M)]
    assert len(sessions_shown) == len(run)


def test_every_shown_prompt_is_in_a_checked_session():
    """A `$ termbank` line outside a console block (```sh, say) would escape the check."""
    checked = {c.line for s in sessions.parse(README.splitlines()) if s.runs for c in s.commands}
    prompts = {number for number, line in enumerate(README.splitlines(), 1)
               if line.lstrip().startswith(("$ termbank", "$ curl"))}
    assert prompts and prompts <= checked, f"README.md lines {sorted(prompts - checked)}"


def first_command(serving: bool):
    """The first command of the first session run without (or with) the server."""
    run = [s for s in sessions.parse(README.splitlines()) if s.runs and s.serves == serving]
    return run[0].commands[0]


def stale_copy(command, change) -> str:
    """README with the second output line of ``command`` changed by ``change``."""
    lines = README.splitlines()
    at = command.line + len(command.source)      # 0-based index of its second output line
    lines[at] = change(lines[at])
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("serving", [False, True], ids=["cli", "web"])
@pytest.mark.parametrize("change", [
    lambda line: line + " (stale)",
    lambda line: line.replace("matched", "found").replace("{", "["),
    lambda line: "",
])
def test_a_stale_output_is_caught_and_regenerated(sandbox, tmp_path, change, serving):
    command = first_command(serving)
    copy = tmp_path / "README.md"
    copy.write_text(stale_copy(command, change), encoding="utf-8")
    stale = copy.read_text(encoding="utf-8")
    assert stale != README
    found = sessions.problems(stale, sandbox)
    assert len(found) == 1 and found[0].startswith(f"README.md:{command.line}: ")
    mended = sessions.regenerated(stale, sandbox)
    assert sessions.problems(mended, sandbox) == []
    if not serving:     # the web examples' several elisions come back as one, to re-trim
        assert mended == README


def test_a_changed_line_before_an_elision_is_caught(sandbox):
    lines = README.splitlines()
    elided = next(c for s in sessions.parse(lines) if s.runs for c in s.commands
                  if sessions.ELISION in c.shown)
    at = elided.line + len(elided.source) - 1     # 0-based index of its first output line
    lines[at] = lines[at].replace("1", "2", 1) if "1" in lines[at] else lines[at] + "!"
    found = sessions.problems("\n".join(lines) + "\n", sandbox)
    assert [f.split(": ")[0] for f in found] == [f"README.md:{elided.line}"]


def test_the_script_checks_and_regenerates_a_copy(sandbox, tmp_path, capsys):
    """The script's own entry point, on a copy holding one short session."""
    copy = tmp_path / "notes.md"
    copy.write_text("Tags:\n\n```console\n$ termbank tag es-AR\nes-AR: old output\n```\n",
                    encoding="utf-8")
    assert sessions.main(["--check", str(copy)], sandbox) == 1
    errors = capsys.readouterr().err
    assert "notes.md:4: termbank tag es-AR" in errors and "-es-AR: old output" in errors
    assert sessions.main([str(copy)], sandbox) == 0
    assert "es-AR → es-419 → es" in copy.read_text(encoding="utf-8")
    assert sessions.main(["--check", str(copy)], sandbox) == 0


def test_elisions_keep_what_still_matches_and_trim_what_does_not(sandbox, tmp_path):
    copy = tmp_path / "notes.md"
    kept = "```console\n$ termbank tag es-AR\n...\nfallback: es-AR → es-419 → es\n```\n"
    copy.write_text(kept, encoding="utf-8")
    assert sessions.main(["--check", str(copy)], sandbox) == 0
    assert sessions.main([str(copy)], sandbox) == 0 and copy.read_text(encoding="utf-8") == kept
    copy.write_text(kept.replace("es-419", "es-XX"), encoding="utf-8")
    assert sessions.main(["--check", str(copy)], sandbox) == 1
    assert sessions.main([str(copy)], sandbox) == 0
    assert copy.read_text(encoding="utf-8") == kept


def test_a_command_that_does_not_end_is_reported_not_waited_for(sandbox, monkeypatch):
    monkeypatch.setattr(sessions, "TIMEOUT", 1)
    found = sessions.problems("```console\n$ termbank tag es\n$ sleep 30\n```\n", sandbox)
    assert len(found) == 2 and "still running after 1 s" in found[1]


@pytest.mark.parametrize("shown, printed, expected", [
    (["a", "b"], ["a", "b"], True),
    (["a", "b"], ["a", "b", "c"], False),
    (["a", "..."], ["a", "b", "c"], True),
    (["...", "c"], ["a", "b", "c"], True),
    (["a", "...", "c"], ["a", "b", "c"], True),
    (["a", "...", "c"], ["a", "c"], False),            # an elision stands for one line or more
    (["a", "...", "c"], ["x", "b", "c"], False),
    (["a", "...", "c"], ["a", "b", "x"], False),
    (["a", "...", "c", "...", "e"], ["a", "b", "c", "d", "e"], True),
    (["a", "...", "c", "...", "e"], ["a", "c", "d", "e"], False),
    (["a", "...", "c", "...", "e"], ["a", "b", "c", "e"], False),
    (["a", "...", "c", "...", "e"], ["a", "b", "x", "d", "e"], False),
    (["a", "...", "c", "...", "e"], ["a", "b", "c", "x", "c", "d", "e"], True),
    (["a", "...", "...", "d"], ["a", "b", "c", "d"], True),
    (["a", "...", "...", "d"], ["a", "b", "d"], False),
    (["{", "    ...", "}"], ["{", '    "a": 1', "}"], True),  # at any indentation
    (["{", "    ... more", "}"], ["{", '    "a": 1', "}"], False),  # only on a line of its own
    (["a  "], ["a"], True),                                        # trailing blanks ignored
])
def test_elision_matching(shown, printed, expected):
    assert sessions.matches(shown, printed) is expected


@pytest.mark.parametrize("shown, printed, expected", [
    (["a", "...", "z"], ["a", "b", "c", "z2"], ["a", "...", "z2"]),
    (["a", "...", "z"], ["a", "z"], ["a", "z"]),      # nothing left to elide
    (["old"], ["new", "lines"], ["new", "lines"]),
    (["a", "  ...", "c", "...", "e"], ["a", "b", "c", "d", "e"], ["a", "  ...", "c", "...", "e"]),
    (["a", "  ...", "c", "...", "e"], ["a", "b", "x", "d", "e"], ["a", "  ...", "e"]),
])
def test_regeneration_keeps_the_elision_shape(shown, printed, expected):
    assert sessions.rendered(shown, printed) == expected


def test_continuation_lines_and_trailing_blank_lines_are_read():
    lines = ["```console", "$ termbank export po \\", "    --out x.po", "note: one", "", "```"]
    (session,) = sessions.parse(lines)
    (command,) = session.commands
    assert command.line == 2 and command.text == "termbank export po \\\n    --out x.po"
    assert command.shown == ["note: one"]


@pytest.mark.parametrize("command, runs", [
    ("$ curl http://127.0.0.1:8001/-/lookup.json", True),
    ("$ curl https://terms.example.org/-/lookup.json", False),
    ("$ datasette publish cloudrun termbank.db", False),
])
def test_which_blocks_run(command, runs):
    (session,) = sessions.parse(["```console", command, "[]", "```"])
    assert session.runs is runs and session.serves is runs


# docs/cli.md ----------------------------------------------------------------------------------

def test_cli_reference_is_current():
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == cli_reference.page(), "docs/cli.md is stale: run scripts/docs"


@pytest.mark.parametrize("name, command", list(commands(cli)))
def test_cli_reference_has_every_command_and_option(name, command):
    page = cli_reference.page()
    section = page.split(f"\n## termbank {name}\n", 1)[1].split("\n## ", 1)[0]
    assert f"Usage: termbank {name}" in section
    options = [o for p in command.params if isinstance(p, click.Option) and not p.hidden
               for o in p.opts] + ["--help"]
    for option in options:
        assert option in section, f"{option} of termbank {name} missing from docs/cli.md"


def test_cli_reference_check_fails_on_a_stale_copy(tmp_path):
    copy = tmp_path / "cli.md"
    copy.write_text(cli_reference.page().replace("Show this message", "Show a message", 1),
                    encoding="utf-8")
    assert cli_reference.main(["--check", str(copy)]) == 1
    assert cli_reference.main([str(copy)]) == 0
    assert cli_reference.main(["--check", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == cli_reference.page()


# Licence, citation, changelog -----------------------------------------------------------------

def licence_section() -> str:
    return README.split("\n## Licence\n", 1)[1].split("\n## ", 1)[0]


def test_code_licence_is_apache_2_everywhere():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.lstrip().startswith("Apache License\n") and "Version 2.0, January 2004" in licence
    assert "END OF TERMS AND CONDITIONS" in licence
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert "Apache-2.0" in licence_section() and "[LICENSE](LICENSE)" in licence_section()


def test_content_licence_in_the_web_metadata_is_the_readme_one():
    metadata = yaml.safe_load((ROOT / "datasette" / "metadata.yml").read_text(encoding="utf-8"))
    section = licence_section()
    name = re.search(r"\*\*(CC BY [0-9.]+)\*\*", section).group(1)
    url = re.search(r"\((https://creativecommons\.org/licenses/[^)]+)\)", section).group(1)
    assert metadata["license"].startswith(name) and metadata["license_url"] == url


CFF_KEYS = {  # the top-level keys of the Citation File Format 1.2.0 schema
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
    "identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
    "references", "repository", "repository-artifact", "repository-code", "title", "type",
    "url", "version"}


def test_citation_is_cff_1_2_0_with_the_package_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert {"cff-version", "message", "title", "authors"} <= set(citation)
    assert citation["cff-version"] == "1.2.0"
    assert isinstance(citation["message"], str) and citation["message"].strip()
    assert citation["authors"] and all(
        isinstance(a, dict) and ("name" in a or "family-names" in a) for a in citation["authors"])
    assert citation["version"] == PYPROJECT["project"]["version"]
    assert citation["license"] == PYPROJECT["project"]["license"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))
    assert citation["type"] == "software"
    assert set(citation) <= CFF_KEYS, f"not CFF 1.2.0 keys: {set(citation) - CFF_KEYS}"


def test_changelog_has_unreleased_and_the_package_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.M)
    assert releases[0] == "Unreleased"
    assert PYPROJECT["project"]["version"] in releases
