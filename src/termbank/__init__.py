"""termbank: an open terminology bank for microscopy and bioimage analysis.

The public API::

    from termbank import Bank, build
    build(Path("glossary"), Path("termbank.db"))
    with Bank("termbank.db") as bank:
        for match in bank.lookup("PSF", targets=["es-MX", "es-ES"]):
            print(match.to_json())
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .bank import Bank
    from .build import build, write_bank
    from .errors import DatabaseError, LanguageTagError, Problem, SourceError, TermbankError
    from .model import Concept, Glossary, Provenance, Term
    from .source import read_concept, read_glossary

__version__ = "0.1.0"
# Each public name and its module, imported on first use: a command-line lookup must not pay
# for the build, the YAML reader or sqlite-utils.
_HOMES = {"Bank": "bank", "build": "build", "write_bank": "build", "DatabaseError": "errors",
          "LanguageTagError": "errors", "Problem": "errors", "SourceError": "errors",
          "TermbankError": "errors", "Concept": "model", "Glossary": "model",
          "Provenance": "model", "Term": "model", "read_concept": "source",
          "read_glossary": "source"}


class _Package(ModuleType):
    """The package, whose ``build`` stays the function: importing the submodule of the same
    name (which the import system then sets as an attribute here) must not hide it."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "build" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'termbank' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
__all__ = [
    "Bank", "Concept", "DatabaseError", "Glossary", "LanguageTagError", "Problem", "Provenance",
    "SourceError", "Term", "TermbankError", "build", "read_concept", "read_glossary", "write_bank",
]
