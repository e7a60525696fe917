"""The README's example sessions, run for real and compared with what the README shows.

A session is a ```console block with a ``termbank`` command among its commands (lines starting
with ``$ ``). Each session runs in a fresh sandbox: a temporary folder holding copies of
glossary/, datasette/, docs/ and tests/data/, the real glossary built into ``termbank.db`` (the
default bank) and the fixture glossary built into ``fixture.db``. The commands of one block run
in order through bash in that folder, so a block can build on what its earlier commands did.

A block whose commands talk to ``http://127.0.0.1:8001`` (README's ``curl`` examples) is a
session too: ``termbank serve`` runs on a free port in its folder while it runs, and curl is
pointed there. Other blocks, and lines without a ``$``, are shown as written.

What a command prints (stdout and stderr, as a terminal shows them) is compared line by line
with the lines shown after it. A line holding only ``...`` (at any indentation) stands for one
or more lines left out, as many times as needed. Regeneration keeps shown output that still
matches as it is; stale output is replaced by the printed lines, keeping as many lines before
the first elision and after the last as the README showed.

    python scripts/sessions.py            # rewrite README.md's sessions from real runs
    python scripts/sessions.py --check    # exit 1, with a diff, when a session is stale
    python scripts/sessions.py [--check] PATH   # the same for another Markdown file
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COPIED = ("glossary", "datasette", "docs", "tests/data")
ELISION = "..."
PROMPT = "$ "
TIMEOUT = 120                      # seconds one command may take
SERVED = "127.0.0.1:8001"          # the address of `termbank serve` in README's curl examples
FENCE = re.compile(r"^```console\s*$")


@dataclass
class Command:
    """One ``$`` command of a session and the output the README shows for it."""

    line: int                      # 1-based line of the ``$`` in the README
    source: list[str]              # the command's lines as shown, continuation lines included
    shown: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The command as bash reads it (the prompt taken off)."""
        return "\n".join(self.source)[len(PROMPT):]

    @property
    def program(self) -> str:
        return self.text.split(maxsplit=1)[0] if self.text.strip() else ""


@dataclass
class Session:
    """A ```console block: where its body starts and ends in the README, and its commands."""

    start: int                     # 0-based index of the first line inside the fence
    end: int                       # 0-based index of the closing fence
    commands: list[Command]

    @property
    def serves(self) -> bool:
        """Whether a command talks to the local server, which the sandbox then runs."""
        return any(SERVED in command.text for command in self.commands)

    @property
    def runs(self) -> bool:
        """A block with a termbank command is run whole (``cat`` of an example file, say), and
        so is one that talks to the local server; other blocks are shown as written."""
        return self.serves or any(command.program == "termbank" for command in self.commands)


def parse(lines: list[str], name: str = "README.md") -> list[Session]:
    """Every ```console block that holds ``$`` commands, with each command's shown output."""
    sessions, index = [], 0
    while index < len(lines):
        if not FENCE.match(lines[index]):
            index += 1
            continue
        start = index + 1
        end = next((i for i in range(start, len(lines)) if lines[i].startswith("```")), None)
        if end is None:
            raise ValueError(f"{name}:{index + 1}: a console block is never closed")
        commands = _commands(lines, start, end)
        if commands:
            sessions.append(Session(start, end, commands))
        index = end + 1
    return sessions


def _commands(lines: list[str], start: int, end: int) -> list[Command]:
    commands: list[Command] = []
    index = start
    while index < end:
        line = lines[index]
        if line.startswith(PROMPT):
            source = [line]
            while source[-1].endswith("\\") and index + 1 < end:
                index += 1
                source.append(lines[index])
            commands.append(Command(index + 2 - len(source), source))
        elif commands:
            commands[-1].shown.append(line)
        index += 1
    for command in commands:
        while command.shown and not command.shown[-1].strip():
            command.shown.pop()
    return commands


class Sandbox:
    """Fresh copies of the repository's data with both banks built, one per session.

    The template is built once; each session gets a copy of it, so sessions cannot see what
    another session wrote. Outputs are remembered by the commands that led to them, so a
    second check of the same commands (a stale copy of the README) does not run them again.
    """

    def __init__(self, root: Path = ROOT):
        self.root = root
        self._folder = tempfile.TemporaryDirectory(prefix="termbank-sessions-")
        self.template = Path(self._folder.name) / "template"
        self._count = 0
        self._outputs: dict[tuple[str, ...], list[list[str]]] = {}
        self._prepare()

    def _prepare(self) -> None:
        for name in COPIED:
            shutil.copytree(self.root / name, self.template / name)
        for glossary, bank in (("glossary", "termbank.db"), ("tests/data/glossary", "fixture.db")):
            done = subprocess.run([*self._termbank(), "build", "--quiet", "--glossary", glossary,
                                   "--db", bank], cwd=self.template, env=self.environment(),
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"building {glossary} for the sessions failed:\n{done.stderr}")

    @staticmethod
    def _termbank() -> list[str]:
        installed = Path(sys.executable).parent / "termbank"
        if not installed.exists():
            raise SystemExit(f"{installed} is missing: run this with the .venv's python "
                             "after `pip install -e .`")
        return [str(installed)]

    @staticmethod
    def environment() -> dict[str, str]:
        """The user's environment without termbank's own settings, in a fixed locale."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TERMBANK_", "DATASETTE_"))}
        env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
                   LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1",
                   COLUMNS="100", TZ="UTC")
        return env

    def run(self, session: Session) -> list[list[str]]:
        """What each command of the session prints, run in order in a fresh copy."""
        key = tuple(command.text for command in session.commands)
        if key not in self._outputs:
            self._count += 1
            folder = Path(self._folder.name) / f"session-{self._count}"
            shutil.copytree(self.template, folder)
            with self._server(session, folder) as env:
                self._outputs[key] = [self._printed(command, folder, env)
                                      for command in session.commands]
        return self._outputs[key]

    @contextmanager
    def _server(self, session: Session, folder: Path) -> Iterator[dict[str, str]]:
        """``termbank serve`` on a free port in the session's folder, for as long as the
        session runs; curl is pointed at it through a .curlrc (``connect-to``), so the
        commands run as shown, with the README's address, and shows no progress meter,
        as in a terminal."""
        env = self.environment()
        if not session.serves:
            yield env
            return
        port = _free_port()
        (folder / ".curlrc").write_text(f'connect-to = "{SERVED}:127.0.0.1:{port}"\n'
                                        "no-progress-meter\n", encoding="utf-8")
        env["CURL_HOME"] = str(folder)
        log = folder / "serve.log"
        with log.open("w", encoding="utf-8") as output:
            server = subprocess.Popen([*self._termbank(), "serve", "--port", str(port)],
                                      cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                      stdout=output, stderr=subprocess.STDOUT)
            try:
                _wait_until_listening(port, server, log)
                yield env
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

    def _printed(self, command: Command, folder: Path, env: dict[str, str]) -> list[str]:
        """Stdout and stderr as one stream, in the order a terminal shows them; stdin is empty,
        so a prompt ends the command instead of waiting."""
        try:
            done = subprocess.run(["bash", "-c", command.text], cwd=folder,
                                  env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return [f"(still running after {TIMEOUT} s: a session's commands must end by themselves)"]
        return _lines(done.stdout)

    def close(self) -> None:
        self._folder.cleanup()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, server: subprocess.Popen, log: Path) -> None:
    """Until the port takes connections; a server that exits or never listens is an error."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"termbank serve exited for a session:\n{log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"termbank serve did not listen on port {port} within {TIMEOUT} s")


def _lines(output: str) -> list[str]:
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _segments(shown: list[str]) -> list[list[str]]:
    """The shown lines between elisions (``...`` alone on a line, at any indentation)."""
    segments: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == ELISION:
            segments.append([])
        else:
            segments[-1].append(line.rstrip())
    return segments


def _find(printed: list[str], segment: list[str], start: int, stop: int) -> int | None:
    """The first place at or after ``start`` where ``segment`` lies whole before ``stop``."""
    for at in range(start, stop - len(segment) + 1):
        if printed[at:at + len(segment)] == segment:
            return at
    return None


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the shown output is the printed one, each elision standing for 1+ lines.

    The lines between elisions must appear in order; placing each as early as it fits is
    enough to find a match when there is one."""
    segments = _segments(shown)
    if len(segments) == 1:
        return segments[0] == printed
    first, *middle, last = segments
    if printed[:len(first)] != first:
        return False
    position, end = len(first), len(printed) - len(last)
    for segment in middle:
        found = _find(printed, segment, position + 1, end - 1)
        if found is None:
            return False
        position = found + len(segment)
    return end >= position + 1 and printed[end:] == last


def rendered(shown: list[str], printed: list[str]) -> list[str]:
    """The printed output as the README should show it: the shown lines when they still match
    (the author's choice of what to leave out stands), else the printed lines with the first
    and last shown stretches kept around one elision."""
    if matches(shown, printed):
        return [line.rstrip() for line in shown]
    segments = _segments(shown)
    head, tail = len(segments[0]), len(segments[-1])
    if len(segments) == 1 or len(printed) <= head + tail:
        return printed
    marker = next(line.rstrip() for line in shown if line.strip() == ELISION)
    return [*printed[:head], marker, *printed[len(printed) - tail:]]


def problems(text: str, sandbox: Sandbox, name: str = "README.md") -> list[str]:
    """One message with a diff for every command whose shown output is not what it prints."""
    found = []
    for session in parse(text.splitlines(), name):
        if not session.runs:
            continue
        for command, printed in zip(session.commands, sandbox.run(session), strict=True):
            if not matches(command.shown, printed):
                diff = difflib.unified_diff(command.shown, rendered(command.shown, printed),
                                            "shown", "printed", lineterm="")
                found.append(f"{name}:{command.line}: {command.text.splitlines()[0]}: the shown "
                             "output is not what the command prints\n" + "\n".join(diff))
    return found


def regenerated(text: str, sandbox: Sandbox, name: str = "README.md") -> str:
    """The text with every session's output replaced by what its commands print now."""
    lines = text.splitlines()
    for session in reversed(parse(lines, name)):
        if not session.runs:
            continue
        body: list[str] = []
        for command, printed in zip(session.commands, sandbox.run(session), strict=True):
            body += [*command.source, *rendered(command.shown, printed)]
        lines[session.start:session.end] = body
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a temporary file beside the target, then a rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main(arguments: list[str], sandbox: Sandbox | None = None) -> int:
    """Regenerate (or with --check, verify) README.md, or the Markdown file named; a sandbox
    given by the caller (the tests) is used and left open."""
    check = "--check" in arguments
    named = [argument for argument in arguments if argument != "--check"]
    path = Path(named[0]) if named else README
    own = sandbox is None
    sandbox = sandbox or Sandbox()
    try:
        return _check(path, sandbox) if check else _regenerate(path, sandbox)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        if own:
            sandbox.close()


def _check(path: Path, sandbox: Sandbox) -> int:
    found = problems(path.read_text(encoding="utf-8"), sandbox, path.name)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"{len(found)} stale session output(s): run scripts/docs", file=sys.stderr)
    return 1 if found else 0


def _regenerate(path: Path, sandbox: Sandbox) -> int:
    text = path.read_text(encoding="utf-8")
    new = regenerated(text, sandbox, path.name)
    if new != text:
        _write(path, new)
        print(f"{path.name}: sessions regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
