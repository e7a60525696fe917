"""Language detection is repeatable without touching langdetect's process-wide seed."""

from __future__ import annotations

from langdetect import DetectorFactory

from termbank.detection import detect


def test_the_same_verdict_every_time_and_the_global_seed_left_alone():
    before = DetectorFactory.seed
    verdicts = {detect("imagen de fluorescencia", ("es", "pt", "fr", "en")) for _ in range(5)}
    assert len(verdicts) == 1
    assert DetectorFactory.seed == before
