"""The human-readable lookup card printed by ``termbank lookup``."""

from __future__ import annotations

import click

from . import langtags
from .lookup import CLOSENESS, Answer, Match
from .model import ACCEPTED_STATUSES

_MARK = {"preferred": "", "admitted": " (admitted)", "deprecated": " (deprecated: avoid)",
         "forbidden": " (forbidden: do not use)"}


def _answer(answer: Answer, requested: str) -> str:
    text = click.style(answer.term, bold=answer.status == "preferred") + _MARK[answer.status]
    if answer.status_reason:
        text += f" [{answer.status_reason}]"
    if answer.use_instead:
        text += f", use “{answer.use_instead}”"
    if answer.tag != requested:
        text += click.style(f"  ← from {answer.tag}", dim=True)
    return text + click.style(f"  ({answer.review}, reliability {answer.reliability}/4)", dim=True)


def render(match: Match) -> str:
    lines = [click.style(match.english, bold=True, fg="cyan")
             + f"  [{match.subject_field}]  {match.concept}",
             f"  matched {match.matched_text!r} ({match.matched_tag}, {_how(match)})"]
    if match.do_not_translate:
        lines.append("  Do not translate: a name kept as it is in every language.")
    if match.definition:
        lines.append(click.wrap_text(match.definition, 88, "  ", "  "))
    width = max((len(t) for t in match.translations), default=2)
    for tag, answers in match.translations.items():
        if not answers:
            lines.append(f"  {tag:<{width}}  " + click.style("no term yet", dim=True))
            continue
        for i, answer in enumerate(answers):
            label = tag if i == 0 else ""
            lines.append(f"  {label:<{width}}  {_answer(answer, tag)}")
            if answer.note and answer.tag == tag:
                lines.append(f"  {'':<{width}}    " + click.style(answer.note, dim=True))
            lines += [f"  {'':<{width}}    {line}" for line in evidence_lines(answer)]
    regional = _regional(match)
    if regional:
        lines.append("  Regional variants: " + "; ".join(regional))
    if match.related:
        lines.append("  Related: " + ", ".join(r["term"] or r["concept"] for r in match.related))
    return "\n".join(lines)


def _how(match: Match) -> str:
    """The level, and for a looser one what it means and its score."""
    if match.closeness is None:
        return match.how
    return f"{match.how}: {CLOSENESS[match.closeness]}, score {match.score:.2f}"


def evidence_lines(answer: Answer, limit: int = 4) -> list[str]:
    """"used by: Firefox es-MX ×12, LibreOffice ×3" (the tag left out where it is the term's
    own), and a marker when the dialect's translators consistently use another form."""
    lines = []
    if answer.attested:
        uses = [f"{u.source}{'' if u.tag == answer.tag else ' ' + u.tag} ×{u.count}"
                for u in answer.attested[:limit]]
        more = len(answer.attested) - limit
        lines.append(click.style("used by: " + ", ".join(uses) + (f" and {more} more" if more > 0
                                                                 else ""), dim=True))
    if answer.contradicted:
        c = answer.contradicted
        lines.append(click.style(f"! contradicted: {c.tag} translators use “{c.used}” "
                                 f"({c.count} of {c.total} labels)", fg="yellow"))
    return lines


def _regional(match: Match) -> list[str]:
    """Terms of regional tags that were not asked for, so dialects show side by side."""
    shown = set(match.translations)
    out = []
    for tag, answers in match.variants.items():
        if tag not in shown and langtags.is_regional(tag):
            terms = ", ".join(a.term for a in answers if a.status in ACCEPTED_STATUSES)
            if terms:
                out.append(f"{tag} {terms}")
    return out

