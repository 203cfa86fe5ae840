"""Shared helpers for benchmark scripts: timing statistics and the JSON result line."""

import json
import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    samples_ms: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank

    def describe(self, label: str) -> str:
        return (
            f"{label:<44} median {self.median:8.3f} ms   p90 {self.p90:8.3f} ms   "
            f"n={len(self.samples_ms)}"
        )


def result_line(bench: str, value: float, unit: str, baseline: float, budget: float) -> str:
    """The one JSON line every bench ends with; ``ok`` compares the ratio with the budget."""
    ratio = value / baseline if baseline else float("inf")
    return json.dumps(
        {
            "bench": bench,
            "value": round(value, 4),
            "unit": unit,
            "baseline": round(baseline, 4),
            "ratio": round(ratio, 4),
            "budget": budget,
            "ok": ratio <= budget,
        }
    )
