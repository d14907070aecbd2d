"""Per-shop indicator values from the database, and scoring every shop."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from svc_cli.config import ModelConfig
from svc_cli.errors import UsageError
from svc_cli.queries import INDICATOR_COUNTS
from svc_cli.scoring import (
    Benchmark,
    PeerBenchmark,
    ShopInputs,
    ShopScore,
    inputs_from_counts,
    score_shop,
)
from svc_cli.window import Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine

BENCHMARKS = ("thresholds", "peers")


@dataclass
class ScoreReport:
    window: Window
    config: ModelConfig
    benchmark: Benchmark
    shops: list[ShopScore]
    inputs: dict[str, ShopInputs]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "window_days": self.window.days,
            "benchmark": self.benchmark.name,
            "config": self.config.source,
            "shops": [s.to_dict() for s in self.shops],
        }


def shop_inputs(con: Engine, window: Window) -> list[ShopInputs]:
    """Indicator values of every shop with at least one order."""
    cursor = con.execute(INDICATOR_COUNTS, window.params())
    names = [d[0] for d in cursor.description]
    return [inputs_from_counts(dict(zip(names, row, strict=False))) for row in cursor.fetchall()]


def make_benchmark(name: str, config: ModelConfig, shops: list[ShopInputs]) -> Benchmark:
    if name == "thresholds":
        return Benchmark(config)
    if name == "peers":
        return PeerBenchmark(config, shops)
    raise UsageError(f"unknown benchmark {name!r}", f"choose one of: {', '.join(BENCHMARKS)}")


def select_shops(shops: list[ShopInputs], shop_ids: list[str] | None) -> list[ShopInputs]:
    if not shop_ids:
        return shops
    known = {s.shop_id for s in shops}
    unknown = [s for s in shop_ids if s not in known]
    if unknown:
        listed = ", ".join(sorted(known)[:20])
        raise UsageError(
            f"unknown shop id(s): {', '.join(unknown)}",
            f"shops with orders: {listed}" if known else "no orders are loaded",
        )
    return [s for s in shops if s.shop_id in shop_ids]


def score_shops(
    con: Engine,
    config: ModelConfig,
    window: Window,
    *,
    benchmark: str = "thresholds",
    shop_ids: list[str] | None = None,
) -> ScoreReport:
    """Score every shop (or the selected ones) at ``window``."""
    everyone = shop_inputs(con, window)
    bench = make_benchmark(benchmark, config, everyone)
    chosen = select_shops(everyone, shop_ids)
    scores = [score_shop(s, config, bench, window.start, window.as_of) for s in chosen]
    warnings = bench.warnings({s.industry for s in chosen})
    for s in scores:
        warnings += [f"shop {s.shop_id}: {n}" for n in s.notes if "does not count" in n]
    return ScoreReport(window, config, bench, scores, {s.shop_id: s for s in chosen}, warnings)
