"""Errors that reach a user: each names where the problem is and what to do."""

from __future__ import annotations

from dataclasses import dataclass


class TermbankError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SourceError(TermbankError):
    """An input file (glossary YAML, an import) is wrong; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, line: int | None, field: str | None, message: str) -> SourceError:
        return cls(Problem(str(path), line, field, message))


class DatabaseError(TermbankError):
    """The bank's database is missing, unreadable or from another schema."""


class LanguageTagError(TermbankError, ValueError):
    """A language tag is malformed or unknown to CLDR."""
