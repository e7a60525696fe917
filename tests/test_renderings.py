"""The set-based reads of the bank for exports give what the model gives.

Every export of a bank reads it set-based (``termbank.renderings``, the CSV writer's query,
the MO writer's first answers); a glossary in memory goes through the model. Both must
write the same bytes, on the fixture glossary, on the real one, and with approved
proposals attached (which the set-based reads leave to the model).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from termbank import Bank, build, reviewers
from termbank.build import write_bank
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS
from termbank.model import Concept, Glossary, Provenance, Term
from termbank.proposals import ProposalStore
from termbank.renderings import by_source_term, catalogued, first_answers, renderings

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "tests" / "data" / "exports" / "glossary"
WRITERS = [name for name, fmt in FORMATS.items() if fmt.write is not None]

# (targets, source, min_reliability, concepts): regional and general targets, a regional
# source, terms left out by reliability, a narrowed selection
CHOICES = [
    (("es-MX",), "en", 1, None),
    (("es-AR",), "en", 2, None),
    (("fr-CA",), "en-US", 1, None),
    (("pt-PT",), "en", 3, None),
    (("es",), "en", 1, frozenset({"pixel", "objective-lens", "joins", "napari"})),
]


REVIEWED = Provenance("human", "reviewed", ("Ana", "Luis"), "2026-05-04")


def edge_cases() -> list[Concept]:
    """What the set-based reads must order as the rule does: an admitted term recorded
    before the preferred one, a tag with admitted terms only (the general ones join), the
    same text on two tags, homonyms (gettext contexts), a do-not-translate name with no
    term of its own, a concept with no English term, a definition in a tag with no term,
    formula-like text, reviewed terms."""
    def c(cid: str, *terms: Term, **rest) -> Concept:
        return Concept(cid, "optics", terms, **rest)

    return [
        c("admitted-first", Term("lente", "es-MX", "admitted"), Term("objetivo", "es-MX",
          "preferred", provenance=REVIEWED), Term("objective", "en", "preferred"),
          Term("objectif", "fr", "preferred"), definitions={"en": "A lens.", "de": "Linse."}),
        c("joins", Term("fichero", "es-ES", "admitted"), Term("archivo", "es", "preferred"),
          Term("file", "en", "preferred"), Term("=file", "en", "admitted"),
          Term("fichero", "es", "admitted"), Term("documento", "es", "deprecated",
          status_reason="calque"), Term("+file", "en", "admitted", note="@see 'file"),
          Term("'file", "en", "deprecated", note="A\tfile, not -file")),
        c("homonym-a", Term("stage", "en", "preferred"), Term("platina", "es", "preferred")),
        c("homonym-b", Term("stage", "en", "preferred"), Term("etapa", "es", "preferred",
          source="ISO 123")),
        c("napari", Term("napari", "en", "preferred"), do_not_translate=True),
        c("no-english", Term("rejilla", "es", "preferred"), notes={"es": "Nota."}),
        c("regional-source", Term("color", "en-US", "preferred"),
          Term("colour", "en", "preferred"), Term("couleur", "fr-CA", "admitted"),
          Term("teinte", "fr", "preferred"), related=("joins",), sources=("-ISO", "Book")),
    ]


@pytest.fixture(scope="module", params=["exports", "real", "edges"])
def bank_path(request, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp(request.param) / "termbank.db"
    if request.param == "edges":
        write_bank(edge_cases(), path)
    else:
        build(EXPORTS if request.param == "exports" else ROOT / "glossary", path)
    return path


@pytest.fixture(scope="module")
def overlaid(tmp_path_factory) -> Path:
    """The real bank with "pixel" approved for es-AR in a proposals database beside it."""
    folder = tmp_path_factory.mktemp("overlay")
    path = folder / "termbank.db"
    build(ROOT / "glossary", path)
    store = ProposalStore(folder / "proposals.db")
    reviewers.add(store, "ana", "long enough", ("es",), "Ana")
    with Bank(path) as bank:
        proposal = store.submit(concept="pixel", tag="es-AR", term="pixel", bank=bank)
    store.decide(proposal.id, "approved", "ana")
    store.close()
    return path


def in_memory(bank: Bank) -> Glossary:
    """The bank's concepts held as models: exports of it take the model path."""
    snapshot = bank.glossary()
    return Glossary(Glossary.of(list(snapshot)).concepts, snapshot.tags, snapshot.count)


def options(targets, source, least, concepts) -> ExportOptions:
    return ExportOptions(targets=targets, source=source, min_reliability=least,
                         concepts=concepts)


@pytest.mark.parametrize("choice", CHOICES)
def test_renderings_from_the_bank_are_the_models(bank_path, choice):
    chosen = options(*choice)
    with Bank(bank_path) as bank:
        streamed = bank.glossary()
        assert streamed.bank is bank
        targets = (*choice[0], "fr", "pt-BR")
        from_bank = list(renderings(streamed, chosen, targets))
        from_model = list(renderings(in_memory(bank), chosen, targets))
    assert from_bank == from_model


@pytest.mark.parametrize("choice", CHOICES)
def test_first_answers_in_sql_are_the_dialect_rules(bank_path, choice):
    chosen = options(*choice)
    target = choice[0][0]
    with Bank(bank_path) as bank:
        sql = list(first_answers(bank, chosen, target))
        rule = [(r.id, r.named.text if r.named else None,
                 r.answers[0][0][0].text if r.answers[0][0] else None,
                 r.answers[0][0][0].reviewed_on if r.answers[0][0] else None)
                for r in renderings(in_memory(bank), chosen, (target,))]
    assert sql == rule


@pytest.mark.parametrize("choice", CHOICES)
def test_renderings_in_source_term_order_are_the_models_sorted(bank_path, choice):
    chosen = options(*choice)
    target = choice[0][0]
    with Bank(bank_path) as bank:
        sql = list(by_source_term(bank, chosen, target))
        model = [catalogued(r) for r in renderings(in_memory(bank), chosen, (target,))]

    def order(r):   # no source term first, by id; then the term folded, as written, the id
        if r.source is None:
            return (0, "", r.id)
        return (1, f"{r.source.casefold()}\x1e{r.source}", r.id)

    assert sql == sorted(model, key=order)
    if choice[3] is None:   # the whole bank: its id order is not its term order
        assert [r.id for r in sql] != [r.id for r in model]


def export(name: str, glossary: Glossary, chosen: ExportOptions) -> bytes:
    buffer = io.BytesIO()
    FORMATS[name].write(buffer, glossary, chosen)
    return buffer.getvalue()


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize("choice", CHOICES[:4])
def test_every_format_writes_the_same_bytes_from_bank_and_model(bank_path, name, choice):
    targets, source, least, concepts = choice
    if not FORMATS[name].bilingual and name not in ("tmx", "google-sets", "aws"):
        targets = (*targets, "fr")   # several tags, where the format holds them
    if name in ("aws", "google-sets"):
        targets = ()
    chosen = options(targets, source, least, concepts)
    with Bank(bank_path) as bank:
        assert export(name, bank.glossary(), chosen) == export(name, in_memory(bank), chosen)


@pytest.mark.parametrize("name", ["po", "mo"])
def test_gettext_notices_are_the_same_from_bank_and_model(tmp_path, name):
    """A concept with no English term is left out with one notice, in concept order, on
    both paths (the bank's PO path meets it before the sorted entries)."""
    path = tmp_path / "termbank.db"
    write_bank(edge_cases(), path)
    notices: dict[str, list[str]] = {"bank": [], "model": []}
    with Bank(path) as bank:
        for side, glossary in (("bank", bank.glossary()), ("model", in_memory(bank))):
            chosen = ExportOptions(targets=("es-MX",), notice=notices[side].append)
            export(name, glossary, chosen)
    assert notices["bank"] == notices["model"] == ["no-english: no en term; left out"]


@pytest.mark.parametrize("name", ["po", "mo", "csv", "tsv", "tmx", "deepl"])
def test_approved_proposals_reach_every_path(overlaid, name):
    chosen = ExportOptions(targets=("es-AR",))
    with Bank(overlaid) as bank:
        assert bank.overlay
        data = export(name, bank.glossary(), chosen)
        assert data == export(name, in_memory(bank), chosen)
    with Bank(overlaid, proposals=False) as bare:
        assert data != export(name, bare.glossary(), chosen), "the approval shows"
