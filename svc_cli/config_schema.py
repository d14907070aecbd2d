"""The schema of a model config: every key known, every number finite and in range.

``validate`` checks the merged config (defaults + ``--config FILE``) before the model is
built, so a misspelt key, a NaN weight, an inverted tier or weights that do not add up
are errors naming the key — never a silently different model. Indicators are checked
generically: whatever ``[indicators.X]`` the TOML declares needs the same keys, so a new
indicator in ``model.toml`` needs no change here.
"""

from __future__ import annotations

import difflib
import itertools
import math
import zoneinfo
from collections.abc import Iterable
from typing import Any

from svc_cli.errors import ConfigError

#: Sub-scores live in [SCORE_MIN, SCORE_MAX] (spec: interpolated anchors, clamped).
SCORE_MIN, SCORE_MAX = 3.0, 5.0
#: Weights of one group must add up to 1 within this tolerance (they are not renormalised).
WEIGHT_SUM_TOLERANCE = 1e-9


class _Config:
    def __init__(self, source: str, defaults: dict[str, Any]) -> None:
        self.source = source
        self.defaults = defaults

    def default(self, key: str) -> Any:
        """The shipped model.toml's value at the dotted ``key`` (None if it has none)."""
        value: Any = self.defaults
        for part in key.split(".") if key else []:
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value

    def error(self, key: str, problem: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"config {self.source}: {key}: {problem}", hint)

    # --- shapes ---------------------------------------------------------------------

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, "must be a table", f"write it as [{key}]")
        return value

    def keys(
        self,
        value: Any,
        key: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> dict[str, Any]:
        table = self.table(value, key)
        required = list(required)
        shipped = self.default(key)
        extra = (
            [k for k in shipped if k not in required and k not in optional]
            if isinstance(shipped, dict)
            else []
        )
        known = [*required, *optional, *extra]  # keys a newer model.toml added are known too
        for name in extra:
            if name in table:
                self.like(table[name], shipped[name], _join(key, name))
        for name in table:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = (
                    f"did you mean {_join(key, close[0])}?"
                    if close
                    else f"known keys of [{key}]: {', '.join(known)}"
                )
                raise self.error(_join(key, name), "unknown key", hint)
        for name in required:
            if name not in table:
                raise self.error(_join(key, name), "missing")
        return table

    def number(
        self,
        value: Any,
        key: str,
        low: float | None = None,
        high: float | None = None,
        *,
        above: bool = False,
        whole: bool = False,
    ) -> float:
        """A finite number in [low, high] (``above``: strictly above low)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(key, f"must be a number (got {value!r})")
        if not math.isfinite(value):
            raise self.error(key, f"must be a finite number (got {value})")
        if whole and value != int(value):
            raise self.error(key, f"must be a whole number (got {value})")
        if low is not None and (value <= low if above else value < low):
            raise self.error(
                key, f"must be {'above' if above else 'at least'} {low:g} (got {value:g})"
            )
        if high is not None and value > high:
            raise self.error(key, f"must be at most {high:g} (got {value:g})")
        return float(value)

    def like(self, value: Any, shipped: Any, key: str) -> None:
        """``value`` has the shape of the shipped model.toml's value at ``key``: the same
        keys (a table of tables may gain members with its members' keys), the same kinds
        of values, finite numbers (for sections this schema does not describe in detail)."""
        if isinstance(shipped, dict):
            table = self.table(value, key)
            members = [v for v in shipped.values() if isinstance(v, dict)]
            member_keys: dict[str, Any] = {}
            if members and len(members) == len(shipped):
                for member in members:
                    member_keys = {**member, **member_keys}
            for name, item in table.items():
                where = _join(key, name)
                if name in shipped:
                    self.like(item, shipped[name], where)
                elif not shipped:  # an empty table is an open map (e.g. costs per indicator)
                    if isinstance(item, (int, float, list)) and not isinstance(item, bool):
                        self.like(item, item if isinstance(item, list) else 0.0, where)
                elif member_keys:  # a new member of a collection (another level, …)
                    self.like(item, member_keys, where)
                else:
                    close = difflib.get_close_matches(name, list(shipped), n=1)
                    hint = (
                        f"did you mean {_join(key, close[0])}?"
                        if close
                        else f"known keys of [{key}]: {', '.join(shipped)}"
                    )
                    raise self.error(where, "unknown key", hint)
        elif isinstance(shipped, bool):
            if not isinstance(value, bool):
                raise self.error(key, f"must be true or false (got {value!r})")
        elif isinstance(shipped, (int, float)):
            self.number(value, key)
        elif isinstance(shipped, str):
            self.text(value, key)
        elif isinstance(shipped, list):
            if not isinstance(value, list):
                raise self.error(key, f"must be a list (got {value!r})")
            for i, item in enumerate(value):
                if isinstance(item, (list, float)):
                    self.like(item, item if isinstance(item, list) else 0.0, f"{key}[{i}]")

    def text(self, value: Any, key: str, choices: tuple[str, ...] = ()) -> str:
        if not isinstance(value, str):
            raise self.error(key, f"must be a string (got {value!r})")
        if choices and value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)} (got {value!r})")
        return value

    def anchors(
        self, value: Any, key: str, low: float, high: float | None, higher_is_better: bool
    ) -> None:
        """[value, sub-score] pairs: ≥ 2, values distinct in [low, high], sub-scores in
        [3, 5], and in the order the direction implies (better value, better score)."""
        if not isinstance(value, list) or len(value) < 2:
            raise self.error(key, "must be a list of at least two [value, sub-score] pairs")
        pairs = []
        for i, pair in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise self.error(where, f"must be a [value, sub-score] pair (got {pair!r})")
            x = self.number(pair[0], where, low, high)
            y = self.number(pair[1], where + " sub-score", SCORE_MIN, SCORE_MAX)
            pairs.append((x, y))
        pairs.sort()
        for (x0, y0), (x1, y1) in itertools.pairwise(pairs):
            if x0 == x1:
                raise self.error(key, f"two anchors share the value {x0:g}")
            if (y1 < y0) if higher_is_better else (y1 > y0):
                better = "higher" if higher_is_better else "lower"
                raise self.error(
                    key,
                    f"anchors out of order: {better} values must not score worse "
                    f"({x0:g} → {y0:g}, but {x1:g} → {y1:g})",
                )

    def weights(self, weights: dict[str, float], key: str) -> None:
        total = math.fsum(weights.values())
        if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
            parts = " + ".join(f"{k} {w:g}" for k, w in weights.items())
            raise self.error(
                key,
                f"weights add up to {total:.12g} ({parts}), not 1",
                "weights are used as given, not rescaled: make them add up to 1",
            )


def _join(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


TOP_KEYS = (
    "spec_version",
    "timezone",
    "window",
    "growth_stage",
    "tiers",
    "addon",
    "repurchase_projection",
    "dimensions",
    "indicators",
    "peers",
    "industries",
    "services",
)
UNITS = {"rate": (0.0, 1.0), "hours": (0.0, None)}


def validate(
    raw: dict[str, Any],
    source: str,
    known_indicators: Iterable[str],
    defaults: dict[str, Any] | None = None,
) -> None:
    """Raise ``ConfigError`` naming the first key of ``raw`` that is unknown, missing, of
    the wrong type, not finite, out of range or inconsistent with the others.
    ``defaults`` (the shipped model.toml) makes the sections this schema does not
    describe in detail known: their keys and kinds of values are checked against it."""
    c = _Config(source, defaults or {})
    c.keys(raw, "", TOP_KEYS[2:], TOP_KEYS[:2])
    if "spec_version" in raw:
        c.text(raw["spec_version"], "spec_version")
    if "timezone" in raw:
        tz = c.text(raw["timezone"], "timezone")
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise c.error("timezone", f"unknown time zone {tz!r}", "e.g. Asia/Shanghai") from exc
    window = c.keys(raw["window"], "window", ("score_days", "repurchase_days"))
    for name, value in window.items():
        c.number(value, f"window.{name}", 1, 36_600, whole=True)
    growth = c.keys(raw["growth_stage"], "growth_stage", ("min_valid_orders",))
    c.number(growth["min_valid_orders"], "growth_stage.min_valid_orders", 0, whole=True)

    addon = c.keys(raw["addon"], "addon", ("cap", "delivery_points"), ("delivery_points_enabled",))
    if "delivery_points_enabled" in addon and not isinstance(
        addon["delivery_points_enabled"], bool
    ):
        raise c.error("addon.delivery_points_enabled", "must be true or false")
    cap = c.number(addon["cap"], "addon.cap", 0, SCORE_MAX - SCORE_MIN)
    points = addon["delivery_points"]
    if not isinstance(points, list):
        raise c.error("addon.delivery_points", "must be a list of [share, points] pairs")
    shares = []
    for i, pair in enumerate(points):
        where = f"addon.delivery_points[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise c.error(where, f"must be a [share, points] pair (got {pair!r})")
        shares.append(c.number(pair[0], where, 0, 1))
        c.number(pair[1], where + " points", 0, cap)
    if len(set(shares)) != len(shares):
        raise c.error("addon.delivery_points", "two thresholds share one share")

    tiers = c.keys(raw["tiers"], "tiers", ("high", "ordinary", "badge_min_score"))
    top = SCORE_MAX + cap
    high = c.number(tiers["high"], "tiers.high", SCORE_MIN, top)
    ordinary = c.number(tiers["ordinary"], "tiers.ordinary", SCORE_MIN, top)
    c.number(tiers["badge_min_score"], "tiers.badge_min_score", SCORE_MIN, top)
    if ordinary >= high:
        raise c.error("tiers", f"ordinary ({ordinary:g}) must be below high ({high:g})")

    projection = c.keys(
        raw["repurchase_projection"],
        "repurchase_projection",
        ("good_service_ratio", "min_shops_per_tier"),
    )
    c.number(
        projection["good_service_ratio"], "repurchase_projection.good_service_ratio", 0, above=True
    )
    c.number(
        projection["min_shops_per_tier"], "repurchase_projection.min_shops_per_tier", 1, whole=True
    )

    dimensions = c.table(raw["dimensions"], "dimensions")
    dim_weights = {}
    for name, dim in dimensions.items():
        key = f"dimensions.{name}"
        dim = c.keys(dim, key, ("weight",))
        dim_weights[name] = c.number(dim["weight"], f"{key}.weight", 0, 1, above=True)
    c.weights(dim_weights, "dimensions")

    known = tuple(known_indicators)
    indicators = c.table(raw["indicators"], "indicators")
    directions: dict[str, tuple[bool, str]] = {}
    by_dimension: dict[str, dict[str, float]] = {d: {} for d in dimensions}
    for name, ind in indicators.items():
        key = f"indicators.{name}"
        if known and name not in known:
            raise ConfigError(
                f"config {source}: unknown indicator {name!r}",
                f"known indicators: {', '.join(known)}",
            )
        ind = c.keys(ind, key, ("dimension", "weight", "direction", "unit", "anchors"))
        dimension = c.text(ind["dimension"], f"{key}.dimension", tuple(dimensions))
        weight = c.number(ind["weight"], f"{key}.weight", 0, 1, above=True)
        by_dimension[dimension][name] = weight
        higher = c.text(ind["direction"], f"{key}.direction", ("higher", "lower")) == "higher"
        unit = c.text(ind["unit"], f"{key}.unit", tuple(UNITS))
        c.anchors(ind["anchors"], f"{key}.anchors", *UNITS[unit], higher)
        directions[name] = (higher, unit)
    for dimension, weights in by_dimension.items():
        if not weights:
            raise c.error(f"dimensions.{dimension}", "no indicator belongs to this dimension")
        c.weights(weights, f"indicators of dimension {dimension!r}")

    peers = c.keys(raw["peers"], "peers", ("anchors", "min_shops"))
    c.anchors(peers["anchors"], "peers.anchors", 0, 1, True)
    c.number(peers["min_shops"], "peers.min_shops", 1, whole=True)

    industries = c.table(raw["industries"], "industries")
    for name, industry in industries.items():
        key = f"industries.{name}"
        industry = c.keys(industry, key, (), ("zh", "anchors"))
        if "zh" in industry:
            c.text(industry["zh"], f"{key}.zh")
        overrides = c.table(industry.get("anchors", {}), f"{key}.anchors")
        for ind_name, anchors in overrides.items():
            if ind_name not in directions:
                raise c.error(
                    f"{key}.anchors.{ind_name}",
                    "not an indicator",
                    f"indicators: {', '.join(directions)}",
                )
            higher, unit = directions[ind_name]
            c.anchors(anchors, f"{key}.anchors.{ind_name}", *UNITS[unit], higher)

    services = c.table(raw["services"], "services")
    for sid, service in services.items():
        key = f"services.{sid}"
        service = c.keys(service, key, ("industry", "points"), ("zh", "en"))
        for name in ("zh", "en"):
            if name in service:
                c.text(service[name], f"{key}.{name}")
        c.text(service["industry"], f"{key}.industry", ("any", *industries))
        c.number(service["points"], f"{key}.points", 0, cap)
