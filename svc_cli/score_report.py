"""The score report: per-shop indicator values from the database, and every shop scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from svc_cli.config import ModelConfig
from svc_cli.coverage import provided_by_shop
from svc_cli.errors import UsageError
from svc_cli.i18n import Message, Verbatim
from svc_cli.queries import INDICATOR_COUNTS, ORDER_SPAN
from svc_cli.scoring import (
    Benchmark,
    PeerBenchmark,
    ShopInputs,
    ShopScore,
    inputs_from_counts,
    score_shop,
)
from svc_cli.shop_ids import check_known
from svc_cli.shops import shop_names
from svc_cli.store import records
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
    notes: list[str] = field(default_factory=list)  # about the whole report (JSON "notes")
    names: dict[str, str] = field(default_factory=dict)  # shop id -> name, for display

    def shop_warnings(self, shop_id: str) -> list[str]:
        """The warnings about one shop of the report (those `svc score --shop SHOP_ID`
        gives), and the notes about the whole report."""
        shop = [s for s in self.shops if s.shop_id == shop_id]
        return _warnings(self.benchmark, [self.inputs[shop_id]], shop) + self.notes

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "window_days": self.window.days,
            "benchmark": self.benchmark.name,
            "config": self.config.source,
            "notes": list(self.notes),
            "shops": [s.to_dict() for s in self.shops],
        }


def shop_inputs(con: Engine, window: Window) -> list[ShopInputs]:
    """Indicator values of every shop with at least one order, from the inputs provided
    for it (spec §10)."""
    provided = provided_by_shop(con)
    rows = records(con, INDICATOR_COUNTS, window.params())
    return [inputs_from_counts(r, provided.get(r["shop_id"], frozenset())) for r in rows]


def make_benchmark(name: str, config: ModelConfig, shops: list[ShopInputs]) -> Benchmark:
    if name == "thresholds":
        return Benchmark(config)
    if name == "peers":
        return PeerBenchmark(config, shops)
    raise UsageError(
        Message("error.unknown_benchmark", name=Verbatim(repr(name))),
        Message("hint.choose_one_of", choices=[Verbatim(b) for b in BENCHMARKS]),
    )


def select_shops(shops: list[ShopInputs], shop_ids: list[str] | None) -> list[ShopInputs]:
    if not shop_ids:
        return shops
    check_known(shop_ids, (s.shop_id for s in shops))
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
    warnings = _warnings(bench, chosen, scores)
    notes = _empty_window_notes(con, window, scores)
    inputs = {s.shop_id: s for s in chosen}
    return ScoreReport(
        window, config, bench, scores, inputs, warnings + notes, notes, shop_names(con)
    )


def _warnings(bench: Benchmark, chosen: list[ShopInputs], scores: list[ShopScore]) -> list[str]:
    """What a report of these shops warns about: the benchmark for their industries, and
    per shop the services ignored and the indicators its inputs leave unassessed."""
    warnings = bench.warnings({s.industry for s in chosen})
    for s in scores:
        warnings += [
            Message("shop_message", shop=s.shop_id, message=n)
            for n in s.notes
            if isinstance(n, Message) and n.key == "service_ignored"
        ]
        partial = s.coverage_warning()
        if partial:
            warnings.append(Message("shop_message", shop=s.shop_id, message=partial))
    for shop in chosen:
        # a refund never shipped counts as a late pickup unless its request was within
        # 48 h (spec §9): without the request times that cannot be told
        late = shop.counts.get("late_unshipped_refunds", 0)
        pickup_scored = shop.values.get("pickup_48h_rate") is not None
        if late and pickup_scored and "refund_requested_at" not in shop.provided:
            warnings.append(Message("pickup_refunds_unknown", shop=shop.shop_id, count=str(late)))
    return warnings


def _empty_window_notes(con: Engine, window: Window, scores: list[ShopScore]) -> list[str]:
    """When the window holds no valid order (an --as-of past or before the data), say so
    and where the orders are: per shop in its notes, and for the report when no shop has
    any (every shop would otherwise just read as growth stage)."""
    empty = [s for s in scores if s.valid_orders == 0]
    if not empty:
        return []
    span = {r[0]: (r[1], r[2]) for r in con.execute(ORDER_SPAN).fetchall()}
    ts = "%Y-%m-%d %H:%M:%S"
    where = f"({window.start:{ts}}, {window.as_of:{ts}}]"

    def located(first: datetime | None, last: datetime | None) -> Message:
        if last is None or first is None:
            return Message("orders.none_loaded")
        if last <= window.start:
            return Message("orders.past_the_data", at=f"{last:{ts}}")
        return Message("orders.before_the_data", at=f"{first:{ts}}")

    if len(empty) < len(scores):
        for shop in empty:
            first, last = span.get(shop.shop_id, (None, None))
            shop.notes.append(
                Message("window.no_orders_shop", window=where, where=located(first, last))
            )
        return []
    spans = [span[s.shop_id] for s in scores if s.shop_id in span]
    first = min((f for f, _ in spans), default=None)
    last = max((la for _, la in spans), default=None)
    return [Message("window.no_orders_any_shop", window=where, where=located(first, last))]
