"""Which language a text looks like, with honest confidence.

langdetect is unreliable on one or two words (NOTES.md: 26 % right at ten
characters or fewer) and random unless seeded, so it is seeded, restricted
to the languages the caller allows, and a verdict on short text is marked
advisory: it may warn, never decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

DECISIVE_LENGTH = 40  # characters from which a verdict may be acted on


@dataclass(frozen=True)
class Verdict:
    language: str | None
    probability: float
    decisive: bool

    def disagrees_with(self, claimed: str) -> bool:
        return self.language is not None and self.language != claimed

    def to_json(self) -> dict:
        return {"language": self.language, "probability": round(self.probability, 3),
                "decisive": self.decisive}


@lru_cache(maxsize=1)
def _factory():
    """langdetect's shared profiles, loaded once (each detector is seeded on its own, so the
    library's class-wide seed, which other users of langdetect may rely on, is left alone)."""
    from langdetect.detector_factory import init_factory

    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def detect(text: str, languages: tuple[str, ...] | None = None) -> Verdict:
    """The most likely language of ``text`` among ``languages`` (primary subtags)."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    detector = factory.create()
    detector.seed = 0  # the same verdict on every call
    if languages:
        known = [lang for lang in languages if lang in factory.langlist]
        if known:
            detector.set_prior_map({lang: 1.0 for lang in known})
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return Verdict(None, 0.0, False)
    return Verdict(best.lang, best.prob, len(text.strip()) >= DECISIVE_LENGTH)
