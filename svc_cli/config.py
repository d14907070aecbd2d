"""The model's numbers: weights, anchors, tiers, add-ons and the service catalog.

Defaults ship in ``model.toml`` beside this module; a user file given with
``--config`` is merged over them key by key, so it only needs what it changes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NamedTuple

from svc_cli.errors import ConfigError

Anchors = tuple[tuple[float, float], ...]

#: Indicators the indicator SQL computes; the config may tune them but not add new ones.
KNOWN_INDICATORS = (
    "neg_feedback_rate",
    "good_review_rate",
    "pickup_48h_rate",
    "delivery_hours",
    "refund_hours",
    "help_rate",
    "response_3min_rate",
    "satisfaction_rate",
)
ANY_INDUSTRY = "any"
DEFAULT_INDUSTRY = "general"


class Indicator(NamedTuple):
    name: str
    dimension: str
    weight: float
    higher_is_better: bool
    unit: str  # "rate" (a fraction 0..1) or "hours"
    anchors: Anchors


class Service(NamedTuple):
    id: str
    zh: str
    en: str
    industry: str
    points: float

    def counts_for(self, industry: str) -> bool:
        return self.industry in (ANY_INDUSTRY, industry)


class AgentLevel(NamedTuple):
    """One customer-service agent level (spec §12): every threshold is a minimum."""

    name: str
    zh: str
    sessions: int
    response_3min_rate: float
    satisfaction_rate: float
    qa_score: float


class AgentsConfig(NamedTuple):
    levels: tuple[AgentLevel, ...]  # highest first
    min_service_hour_sessions: int
    min_rated_sessions: int
    min_qa_scored_sessions: int
    what_if_level: str


class BootstrapConfig(NamedTuple):
    resamples: int
    seed: int
    confidence: float


class RepeatConfig(NamedTuple):
    chat_days: int
    horizons: tuple[int, ...]
    horizon_days: int
    amount_bands: tuple[float, ...]
    gap_bins: tuple[int, ...]
    overdue_factor: float


class ModelConfig(NamedTuple):
    source: str
    timezone: str
    score_window_days: int
    repurchase_window_days: int
    growth_min_orders: int
    tier_high: float
    tier_ordinary: float
    badge_min_score: float
    addon_cap: float
    delivery_points_enabled: bool
    delivery_points: Anchors
    dimensions: dict[str, float]
    indicators: dict[str, Indicator]
    industries: dict[str, str]
    industry_anchors: dict[str, dict[str, Anchors]]
    peer_anchors: Anchors
    peer_min_shops: int
    services: dict[str, Service]
    good_service_ratio: float
    projection_min_shops: int
    agents: AgentsConfig
    bootstrap: BootstrapConfig
    repeat: RepeatConfig
    plan_event_cost: int
    plan_service_cost: int
    plan_event_costs: dict[str, int]
    plan_service_costs: dict[str, int]
    assessment_minimum: float

    def anchors_for(self, indicator: str, industry: str) -> Anchors:
        """Threshold anchors of an indicator, with the industry's override if any."""
        return self.industry_anchors.get(industry, {}).get(
            indicator, self.indicators[indicator].anchors
        )

    def event_cost(self, indicator: str) -> int:
        """What fixing one event of ``indicator`` costs in a plan (spec §14)."""
        return self.plan_event_costs.get(indicator, self.plan_event_cost)

    def service_cost(self, service: str) -> int:
        """What adding ``service`` costs in a plan (spec §14)."""
        return self.plan_service_costs.get(service, self.plan_service_cost)

    def services_for(self, industry: str) -> list[Service]:
        """Catalog services that count for an industry (its own and the ``any`` ones)."""
        return [s for s in self.services.values() if s.counts_for(industry)]


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _anchors(value: Any, where: str) -> Anchors:
    try:
        pairs = tuple((float(x), float(y)) for x, y in value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"{where}: anchors must be a list of [value, score] pairs", "e.g. [[0.01, 4.5]]"
        ) from exc
    if len(pairs) < 2:
        raise ConfigError(f"{where}: at least two anchors are needed")
    xs = sorted(x for x, _ in pairs)
    if len(set(xs)) != len(xs):
        raise ConfigError(f"{where}: two anchors share the value {xs}")
    return tuple(sorted(pairs))


def _cost(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"config: {where} must be a whole number ≥ 0 (got {value!r})")
    return value


def _plan(raw: dict[str, Any], services: dict[str, Service]) -> dict[str, Any]:
    """The ``[plan]`` section: action costs of `svc plan` and the assessment minimum."""
    plan = _section(raw, "plan")
    event_costs = plan.get("event_costs", {})
    service_costs = plan.get("service_costs", {})
    for name in event_costs:
        if name not in KNOWN_INDICATORS:
            raise ConfigError(
                f"config: [plan.event_costs] names unknown indicator {name!r}",
                f"known indicators: {', '.join(KNOWN_INDICATORS)}",
            )
    for sid in service_costs:
        if sid not in services:
            raise ConfigError(
                f"config: [plan.service_costs] names unknown service {sid!r}",
                f"known services: {', '.join(services)}",
            )
    return {
        "plan_event_cost": _cost(plan.get("event_cost", 1), "plan.event_cost"),
        "plan_service_cost": _cost(plan.get("service_cost", 10), "plan.service_cost"),
        "plan_event_costs": {k: _cost(v, f"plan.event_costs.{k}") for k, v in event_costs.items()},
        "plan_service_costs": {
            k: _cost(v, f"plan.service_costs.{k}") for k, v in service_costs.items()
        },
        "assessment_minimum": float(plan.get("assessment_minimum", 4.23)),
    }


def _section(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"config: [{key}] must be a table")
    return value


def _agents(raw: dict[str, Any]) -> AgentsConfig:
    listed = [
        AgentLevel(
            name,
            str(v.get("zh", name)),
            int(v["sessions"]),
            float(v["response_3min_rate"]),
            float(v["satisfaction_rate"]),
            float(v["qa_score"]),
        )
        for name, v in raw.get("levels", {}).items()
    ]
    # highest (strictest) first, whatever order a merged user file lists them in
    levels = tuple(
        sorted(
            listed,
            key=lambda lv: (lv.sessions, lv.response_3min_rate, lv.satisfaction_rate, lv.qa_score),
            reverse=True,
        )
    )
    if not levels:
        raise ConfigError("config: [agents.levels] needs at least one level")
    what_if = str(raw["what_if_level"])
    if what_if not in {level.name for level in levels}:
        raise ConfigError(
            f"config: agents.what_if_level {what_if!r} is not a level",
            f"levels: {', '.join(level.name for level in levels)}",
        )
    return AgentsConfig(
        levels,
        int(raw["min_service_hour_sessions"]),
        int(raw["min_rated_sessions"]),
        int(raw["min_qa_scored_sessions"]),
        what_if,
    )


def _bootstrap(raw: dict[str, Any]) -> BootstrapConfig:
    config = BootstrapConfig(int(raw["resamples"]), int(raw["seed"]), float(raw["confidence"]))
    if config.resamples < 10 or not 0 < config.confidence < 1:
        raise ConfigError("config: [bootstrap] needs resamples >= 10 and 0 < confidence < 1")
    return config


def _repeat(service: dict[str, Any], raw: dict[str, Any]) -> RepeatConfig:
    config = RepeatConfig(
        chat_days=int(service["chat_days"]),
        horizons=tuple(int(n) for n in service["horizons"]),
        horizon_days=int(raw["horizon_days"]),
        amount_bands=tuple(sorted(float(b) for b in raw["amount_bands"])),
        gap_bins=tuple(sorted(int(b) for b in raw["gap_bins"])),
        overdue_factor=float(raw["overdue_factor"]),
    )
    if not config.horizons or min(config.horizons) < 1 or config.horizon_days < 1:
        raise ConfigError("config: repurchase horizons must be at least 1 day")
    if config.overdue_factor <= 0:
        raise ConfigError("config: repeat.overdue_factor must be positive")
    return config


def _build(raw: dict[str, Any], source: str) -> ModelConfig:
    try:
        dimensions = {name: float(d["weight"]) for name, d in _section(raw, "dimensions").items()}
        indicators: dict[str, Indicator] = {}
        for name, ind in _section(raw, "indicators").items():
            if name not in KNOWN_INDICATORS:
                raise ConfigError(
                    f"config: unknown indicator {name!r}",
                    f"known indicators: {', '.join(KNOWN_INDICATORS)}",
                )
            if ind["dimension"] not in dimensions:
                raise ConfigError(
                    f"config: indicator {name!r} names unknown dimension {ind['dimension']!r}"
                )
            if ind["direction"] not in ("higher", "lower"):
                raise ConfigError(f"config: indicator {name!r}: direction must be higher or lower")
            indicators[name] = Indicator(
                name=name,
                dimension=ind["dimension"],
                weight=float(ind["weight"]),
                higher_is_better=ind["direction"] == "higher",
                unit=str(ind.get("unit", "rate")),
                anchors=_anchors(ind["anchors"], f"indicators.{name}"),
            )
        industries = {
            name: str(v.get("zh", name)) for name, v in _section(raw, "industries").items()
        }
        industry_anchors = {
            name: {
                ind: _anchors(a, f"industries.{name}.anchors.{ind}")
                for ind, a in v.get("anchors", {}).items()
            }
            for name, v in _section(raw, "industries").items()
        }
        services = {}
        for sid, s in _section(raw, "services").items():
            if s["industry"] != ANY_INDUSTRY and s["industry"] not in industries:
                raise ConfigError(
                    f"config: service {sid!r} names unknown industry {s['industry']!r}"
                )
            services[sid] = Service(
                sid, str(s.get("zh", sid)), str(s.get("en", sid)), s["industry"], float(s["points"])
            )
        window, tiers, addon = raw["window"], raw["tiers"], raw["addon"]
        projection = raw["repurchase_projection"]
        peers = raw["peers"]
        config = ModelConfig(
            source=source,
            timezone=str(raw["timezone"]),
            score_window_days=int(window["score_days"]),
            repurchase_window_days=int(window["repurchase_days"]),
            growth_min_orders=int(raw["growth_stage"]["min_valid_orders"]),
            tier_high=float(tiers["high"]),
            tier_ordinary=float(tiers["ordinary"]),
            badge_min_score=float(tiers["badge_min_score"]),
            addon_cap=float(addon["cap"]),
            delivery_points_enabled=bool(addon["delivery_points_enabled"]),
            delivery_points=tuple(
                sorted((float(a), float(b)) for a, b in addon["delivery_points"])
            ),
            dimensions=dimensions,
            indicators=indicators,
            industries=industries,
            industry_anchors=industry_anchors,
            peer_anchors=_anchors(peers["anchors"], "peers"),
            peer_min_shops=int(peers["min_shops"]),
            services=services,
            good_service_ratio=float(projection["good_service_ratio"]),
            projection_min_shops=int(projection["min_shops_per_tier"]),
            agents=_agents(_section(raw, "agents")),
            bootstrap=_bootstrap(_section(raw, "bootstrap")),
            repeat=_repeat(_section(raw, "service_repurchase"), _section(raw, "repeat")),
            **_plan(raw, services),
        )
    except KeyError as exc:
        raise ConfigError(f"config {source}: missing key {exc}") from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config {source}: {exc}") from exc
    missing = [name for name in KNOWN_INDICATORS if name not in indicators]
    if missing:
        raise ConfigError(f"config {source}: indicators missing: {', '.join(missing)}")
    if any(w <= 0 for w in dimensions.values()) or any(i.weight <= 0 for i in indicators.values()):
        raise ConfigError(f"config {source}: weights must be positive")
    return config


def default_config_text() -> str:
    return (Path(__file__).parent / "model.toml").read_text(encoding="utf-8")


def load_config(path: str | Path | None = None) -> ModelConfig:
    """The default model, with the TOML file at ``path`` merged over it.

    A user's file is checked against the schema (``svc_cli.config_schema``); the shipped
    model.toml alone is not checked again at every start (tests/test_config_schema.py
    checks it), nor parsed (``model_defaults`` holds it parsed), which keeps the schema,
    ``tomllib`` and ``zoneinfo`` out of `svc services`' start-up."""
    from svc_cli.model_defaults import MODEL

    raw = defaults = MODEL
    if path is None:
        return _build(raw, "default")
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from svc_cli.config_schema import validate

    p = Path(path)
    try:
        user = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {p}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {p} is not valid TOML: {exc}") from exc
    raw = _deep_merge(raw, user)
    source = str(p)
    validate(raw, source, KNOWN_INDICATORS, defaults)
    return _build(raw, source)
