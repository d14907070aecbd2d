"""Intervals for rates of 0/1 outcomes (Wilson score) and for their ratios (a seeded
percentile bootstrap).

Resampling n customers with replacement from a group where k repeated gives a number of
repeaters that is Binomial(n, k/n): each resample draws that count by inverting the
binomial CDF, so 1000 resamples cost O(n + 1000 log n), not 1000 × n draws. No numpy.
The generator is seeded with the configured seed and a key naming the interval, so the
same data, seed and key always give the same interval, whatever else is computed.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist

from svc_cli.config import BootstrapConfig


def _binomial_cdf(n: int, p: float) -> tuple[int, list[float]]:
    """(first value, cumulative probabilities) of Binomial(n, p) over the range holding
    all but a negligible mass (12 standard deviations either side of the mean)."""
    if p <= 0.0 or p >= 1.0 or n == 0:
        value = n if p >= 1.0 else 0
        return value, [1.0]
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    lo, hi = max(0, math.floor(mean - 12 * sd - 1)), min(n, math.ceil(mean + 12 * sd + 1))
    log_p, log_q, log_n = math.log(p), math.log1p(-p), math.lgamma(n + 1)
    total, cdf = 0.0, []
    for i in range(lo, hi + 1):
        total += math.exp(
            log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q
        )
        cdf.append(total)
    return lo, [c / total for c in cdf]


def _sampler(successes: int, trials: int, rng: random.Random) -> Callable[[], int]:
    lo, cdf = _binomial_cdf(trials, successes / trials)
    last = len(cdf) - 1
    return lambda: lo + min(bisect.bisect_left(cdf, rng.random()), last)


def _percentiles(values: list[float], confidence: float) -> tuple[float, float]:
    values.sort()
    alpha = (1 - confidence) / 2
    b = len(values)
    return values[math.floor(alpha * b)], values[max(0, math.ceil((1 - alpha) * b) - 1)]


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def _rng(config: BootstrapConfig, key: str) -> random.Random:
    return random.Random(f"{config.seed}/{key}")


def rate_interval(successes: int, trials: int, confidence: float) -> Interval | None:
    """Wilson score interval of ``successes / trials`` (None with no trials). Unlike a
    percentile bootstrap, it does not collapse to a point when every or no customer
    repeated (1 of 1 is 21%–100% at 95%, not 100%–100%), and needs no resampling."""
    if trials == 0:
        return None
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    rate, z2 = successes / trials, z * z / trials
    centre = (rate + z2 / 2) / (1 + z2)
    half = z * math.sqrt(rate * (1 - rate) / trials + z2 / (4 * trials)) / (1 + z2)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return Interval(low, high)


def ratio_interval(
    top: tuple[int, int], bottom: tuple[int, int], config: BootstrapConfig, key: str
) -> Interval | None:
    """Interval of the ratio of two independent rates (successes, trials), each group
    resampled on its own. None when a group is empty, or when the bottom rate is 0 in
    more resamples than the interval's tail can absorb (the ratio is unbounded)."""
    (k1, n1), (k2, n2) = top, bottom
    if n1 == 0 or n2 == 0:
        return None
    rng = _rng(config, key)
    draw_top, draw_bottom = _sampler(k1, n1, rng), _sampler(k2, n2, rng)
    ratios = []
    for _ in range(config.resamples):
        t, b = draw_top() / n1, draw_bottom() / n2
        ratios.append(t / b if b else math.inf)
    low, high = _percentiles(ratios, config.confidence)
    if math.isinf(high):
        return None
    return Interval(low, high)
