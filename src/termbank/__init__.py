"""termbank: an open terminology bank for microscopy and bioimage analysis.

The public API::

    from termbank import Bank, build
    build(Path("glossary"), Path("termbank.db"))
    with Bank("termbank.db") as bank:
        for match in bank.lookup("PSF", targets=["es-MX", "es-ES"]):
            print(match.to_json())
"""

from .bank import Bank
from .build import build, write_bank
from .errors import DatabaseError, LanguageTagError, Problem, SourceError, TermbankError
from .model import Concept, Glossary, Provenance, Term
from .source import read_concept, read_glossary

__version__ = "0.1.0"
__all__ = [
    "Bank", "Concept", "DatabaseError", "Glossary", "LanguageTagError", "Problem", "Provenance",
    "SourceError", "Term", "TermbankError", "build", "read_concept", "read_glossary", "write_bank",
]
