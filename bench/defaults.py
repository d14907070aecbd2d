"""The default model numbers (spec §3–§5), written out by hand for the baselines, and the
per-shop scoring step in plain Python (used by the polars baseline, whose row work ends in
one small table of counts per shop).

Deliberately not imported from svc_cli: a baseline must not share svc's code, so a bug in
svc's scoring shows up as a mismatch in bench/run.py's equality check.
"""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal

ANCHORS = {
    "neg_feedback_rate": [(0.003, 5.0), (0.01, 4.5), (0.02, 4.0), (0.05, 3.0)],
    "good_review_rate": [(0.99, 5.0), (0.97, 4.5), (0.95, 4.0), (0.85, 3.0)],
    "pickup_48h_rate": [(0.995, 5.0), (0.98, 4.5), (0.95, 4.0), (0.85, 3.0)],
    "delivery_hours": [(48, 5.0), (60, 4.5), (72, 4.0), (120, 3.0)],
    "refund_hours": [(6, 5.0), (12, 4.5), (24, 4.0), (72, 3.0)],
    "help_rate": [(0.001, 5.0), (0.003, 4.5), (0.006, 4.0), (0.015, 3.0)],
    "response_3min_rate": [(0.97, 5.0), (0.92, 4.5), (0.85, 4.0), (0.70, 3.0)],
    "satisfaction_rate": [(0.95, 5.0), (0.90, 4.5), (0.85, 4.0), (0.70, 3.0)],
}
# dimension -> (weight, {indicator: weight within the dimension})
DIMENSIONS = {
    "goods": (0.25, {"neg_feedback_rate": 0.70, "good_review_rate": 0.30}),
    "logistics": (0.25, {"pickup_48h_rate": 0.70, "delivery_hours": 0.30}),
    "service": (
        0.50,
        {
            "refund_hours": 0.25,
            "help_rate": 0.25,
            "response_3min_rate": 0.30,
            "satisfaction_rate": 0.20,
        },
    ),
}
INDICATORS = [name for _, members in DIMENSIONS.values() for name in members]
# service id -> (industry it counts for, points)
CATALOG = {
    "delivery_install": ("home_furnishing", "0.10"),
    "old_item_removal": ("home_furnishing", "0.05"),
    "refund_if_pet_refuses": ("pets", "0.10"),
    "free_size_exchange": ("mother_baby", "0.10"),
    "damaged_item_reship": ("electronics_accessories", "0.05"),
    "breakage_compensation": ("any", "0.05"),
    "extended_warranty": ("any", "0.05"),
    "return_shipping_insurance": ("any", "0.05"),
}
GROWTH_MIN_ORDERS = 30
ADDON_CAP = Decimal("0.30")
DELIVERY_POINTS = ()  # same/next-day delivery points: off by default since spec v1.3
TIER_HIGH, TIER_ORDINARY, BADGE_MIN = 4.80, 4.50, 4.80


def interpolate(x: float, anchors: list[tuple[float, float]]) -> float:
    pts = sorted(anchors)
    if x <= pts[0][0]:
        return pts[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if x <= x1:
            return y0 + (x - x0) * (y1 - y0) / (x1 - x0)
    return pts[-1][1]


def score_shop(
    shop_id: str,
    valid_orders: int,
    values: dict[str, float | None],
    industry: str,
    services: list[str],
    delivery_share: float | None,
) -> dict[str, object]:
    """One output row, the same fields as baseline.score_sql()."""
    row: dict[str, object] = {"shop_id": shop_id, "valid_orders": valid_orders}
    dims: dict[str, float] = {}
    for dim, (_, members) in DIMENSIONS.items():
        assessed = {n: w for n, w in members.items() if values.get(n) is not None}
        if assessed:
            total = sum(assessed.values())
            num = sum(interpolate(values[n], ANCHORS[n]) * w for n, w in assessed.items())  # type: ignore[arg-type]
            dims[dim] = num / total
    base = None
    if valid_orders >= GROWTH_MIN_ORDERS and dims:
        total = sum(DIMENSIONS[d][0] for d in dims)
        base = sum(score * DIMENSIONS[d][0] for d, score in dims.items()) / total
    counting = [s for s in services if s in CATALOG and CATALOG[s][0] in (industry, "any")]
    points = sum((Decimal(CATALOG[s][1]) for s in counting), Decimal(0))
    if delivery_share is not None:
        points += next((p for t, p in DELIVERY_POINTS if delivery_share >= t), Decimal(0))
    addon = min(ADDON_CAP, points)
    score = None
    if base is not None:
        raw = Decimal(min(5.0, base + float(addon))).quantize(Decimal("1e-10"))
        score = float(raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    row["status"] = "growth_stage" if score is None else "scored"
    row["score"] = score
    row["base_score"] = base
    row["tier"] = (
        None
        if score is None
        else "high"
        if score >= TIER_HIGH
        else "ordinary"
        if score >= TIER_ORDINARY
        else "low"
    )
    row["stars"] = None if score is None else int(score * 2) / 2
    row["badge_eligible"] = score is not None and score > BADGE_MIN and bool(counting)
    row.update({n: values.get(n) for n in INDICATORS})
    return row
