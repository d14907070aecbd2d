"""Customer-service agents (客服分级, spec §12): metrics, grades, each agent's share of the
points the shop loses on response and satisfaction, and a what-if through the model.

Per agent (sessions without an agent are left out of grading), over chat sessions started
in W: sessions; the 3-minute response rate over sessions in service hours (08:00-23:00);
mean first response over answered sessions; satisfaction rate over rated sessions; mean QA
score. A metric counts for grading only with enough sample (config ``[agents]``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from svc_cli.config import AgentLevel, AgentsConfig
from svc_cli.i18n import Message
from svc_cli.queries import AGENT_COUNTS
from svc_cli.window import Window

if TYPE_CHECKING:
    from svc_cli.engines import Engine
    from svc_cli.score_report import ScoreReport
    from svc_cli.scoring import ShopScore

NOT_GRADED = "not_graded"
NO_GRADE = "none"
RESPONSE = "response_3min_rate"
SATISFACTION = "satisfaction_rate"
COUNT_FIELDS = (
    "sessions",
    "service_hour_sessions",
    "fast_responses",
    "answered_sessions",
    "first_response_us",
    "rated_sessions",
    "satisfied_sessions",
    "qa_scored_sessions",
    "qa_micro",
)

DEFINITIONS = (
    Message("agents.def.sessions"),
    Message("agents.def.metrics"),
    Message("agents.def.grade"),
    Message("agents.def.points"),
)


def _fraction(value: float) -> Fraction:
    """A config threshold as the exact decimal it was written as (0.95 is 19/20)."""
    return Fraction(str(value))


@dataclass
class AgentCounts:
    sessions: int = 0
    service_hour_sessions: int = 0
    fast_responses: int = 0
    answered_sessions: int = 0
    first_response_us: int = 0
    rated_sessions: int = 0
    satisfied_sessions: int = 0
    qa_scored_sessions: int = 0
    qa_micro: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AgentCounts:
        return cls(**{k: int(row[k]) for k in COUNT_FIELDS})

    def add(self, other: AgentCounts) -> None:
        for k in COUNT_FIELDS:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def late(self) -> int:
        """Sessions in service hours not answered within 3 minutes."""
        return self.service_hour_sessions - self.fast_responses

    @property
    def unsatisfied(self) -> int:
        return self.rated_sessions - self.satisfied_sessions

    def response_rate(self) -> Fraction | None:
        return (
            Fraction(self.fast_responses, self.service_hour_sessions)
            if self.service_hour_sessions
            else None
        )

    def satisfaction_rate(self) -> Fraction | None:
        return (
            Fraction(self.satisfied_sessions, self.rated_sessions) if self.rated_sessions else None
        )

    def qa_score(self) -> Fraction | None:
        return (
            Fraction(self.qa_micro, self.qa_scored_sessions * 1_000_000)
            if self.qa_scored_sessions
            else None
        )

    def mean_first_response_seconds(self) -> Fraction | None:
        return (
            Fraction(self.first_response_us, self.answered_sessions * 1_000_000)
            if self.answered_sessions
            else None
        )


def _f(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def level_gaps(counts: AgentCounts, level: AgentLevel, qa_required: bool) -> list[Message]:
    """The minimums of ``level`` the agent does not meet (empty: it meets them all)."""
    gaps = []
    if counts.sessions < level.sessions:
        gaps.append(
            Message("agent.gap.sessions", value=str(counts.sessions), min=str(level.sessions))
        )
    response, satisfaction, qa = (
        counts.response_rate(),
        counts.satisfaction_rate(),
        counts.qa_score(),
    )
    if response is None or response < _fraction(level.response_3min_rate):
        gaps.append(
            Message(
                "agent.gap.response",
                value=_pct(response),
                min=f"{level.response_3min_rate:.0%}",
            )
        )
    if satisfaction is None or satisfaction < _fraction(level.satisfaction_rate):
        gaps.append(
            Message(
                "agent.gap.satisfaction",
                value=_pct(satisfaction),
                min=f"{level.satisfaction_rate:.0%}",
            )
        )
    if qa_required and (qa is None or qa < _fraction(level.qa_score)):
        shown = "—" if qa is None else f"{float(qa):.1f}"
        gaps.append(Message("agent.gap.qa", value=shown, min=f"{level.qa_score:g}"))
    return gaps


def _listed(parts: list[Message]) -> Message:
    """``a, b, c`` (``a、b、c`` in Chinese)."""
    return Message(f"list.{len(parts)}", **dict(zip("abcd", parts, strict=False)))


def _pct(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value):.1%}"


def grade(
    counts: AgentCounts, config: AgentsConfig, qa_provided: bool
) -> tuple[str, Message | None]:
    """(grade, note): the highest level met; not_graded naming the sample too small."""
    short = []
    if counts.service_hour_sessions < config.min_service_hour_sessions:
        short.append(
            Message(
                "agent.short.response",
                n=str(counts.service_hour_sessions),
                min=str(config.min_service_hour_sessions),
            )
        )
    if counts.rated_sessions < config.min_rated_sessions:
        short.append(
            Message(
                "agent.short.satisfaction",
                n=str(counts.rated_sessions),
                min=str(config.min_rated_sessions),
            )
        )
    if qa_provided and counts.qa_scored_sessions < config.min_qa_scored_sessions:
        short.append(
            Message(
                "agent.short.qa",
                n=str(counts.qa_scored_sessions),
                min=str(config.min_qa_scored_sessions),
            )
        )
    if short:
        return NOT_GRADED, Message("clauses", parts=short)
    for i, level in enumerate(config.levels):
        if not level_gaps(counts, level, qa_provided):
            if i == 0:
                return level.name, None
            above = config.levels[i - 1]
            gaps = level_gaps(counts, above, qa_provided)
            return level.name, Message("agent.for_level", level=above.name, gaps=_listed(gaps))
    lowest = config.levels[-1]
    gaps = level_gaps(counts, lowest, qa_provided)
    return NO_GRADE, Message("agent.for_level", level=lowest.name, gaps=_listed(gaps))


@dataclass
class Agent:
    shop_id: str
    agent_id: str
    counts: AgentCounts
    grade: str
    note: Message | None
    response_points_lost: float | None = None
    satisfaction_points_lost: float | None = None

    def to_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "shop_id": self.shop_id,
            "agent_id": self.agent_id,
            "sessions": c.sessions,
            "response_3min_rate": _f(c.response_rate()),
            "mean_first_response_seconds": _f(c.mean_first_response_seconds()),
            "satisfaction_rate": _f(c.satisfaction_rate()),
            "qa_score": _f(c.qa_score()),
            "grade": self.grade,
            "grade_note": self.note,
            "service_hour_sessions": c.service_hour_sessions,
            "late_responses": c.late,
            "rated_sessions": c.rated_sessions,
            "unsatisfied_sessions": c.unsatisfied,
            "qa_scored_sessions": c.qa_scored_sessions,
            "response_points_lost": self.response_points_lost,
            "satisfaction_points_lost": self.satisfaction_points_lost,
        }


@dataclass
class ShopAgents:
    shop_id: str
    totals: AgentCounts  # every session of the shop, with or without an agent
    unassigned: AgentCounts  # sessions without an agent_id
    qa_provided: bool
    score: ShopScore | None = None
    what_if: ShopScore | None = None  # the shop scored after the what-if
    what_if_changes: dict[str, float] = field(default_factory=dict)

    def points_lost(self, indicator: str) -> float | None:
        if self.score is None:
            return None
        ind = self.score.indicators[indicator]
        return ind.points_lost if ind.score is not None else None

    def to_dict(self, what_if_level: str) -> dict[str, Any]:
        after = self.what_if
        return {
            "shop_id": self.shop_id,
            "status": self.score.status if self.score else None,
            "score": self.score.score if self.score else None,
            "tier": self.score.tier if self.score else None,
            "sessions": self.totals.sessions,
            "unassigned_sessions": self.unassigned.sessions,
            "qa_provided": self.qa_provided,
            "response_points_lost": self.points_lost(RESPONSE),
            "satisfaction_points_lost": self.points_lost(SATISFACTION),
            "what_if": {
                "every_agent_below_reaches": what_if_level,
                "set": self.what_if_changes,
                "score": after.score if after else None,
                "tier": after.tier if after else None,
                "status": after.status if after else None,
            },
        }


@dataclass
class AgentReport:
    window: Window
    config: AgentsConfig
    agents: list[Agent]
    shops: list[ShopAgents]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.window.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "window_days": self.window.days,
            "agents": [a.to_dict() for a in self.agents],
            "shops": [s.to_dict(self.config.what_if_level) for s in self.shops],
            "levels": [
                {
                    "level": lv.name,
                    "zh": lv.zh,
                    "sessions": lv.sessions,
                    "response_3min_rate": lv.response_3min_rate,
                    "satisfaction_rate": lv.satisfaction_rate,
                    "qa_score": lv.qa_score,
                }
                for lv in self.config.levels
            ],
            "definitions": list(DEFINITIONS),
        }


def _share(part: int, whole: int, points: float | None) -> float | None:
    if points is None:
        return None
    return float(Fraction(part, whole) * Fraction(points)) if whole else 0.0


def agent_counts(con: Engine, window: Window) -> dict[str, list[tuple[str | None, AgentCounts]]]:
    """Per shop, each agent's counts (agent None: sessions without an agent)."""
    cursor = con.execute(AGENT_COUNTS, window.params())
    names = [d[0] for d in cursor.description]
    found: dict[str, list[tuple[str | None, AgentCounts]]] = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        found.setdefault(row["shop_id"], []).append((row["agent_id"], AgentCounts.from_row(row)))
    return found


def _lifted(counts: AgentCounts, level: AgentLevel) -> tuple[int, int]:
    """(fast responses, satisfied ratings) had the agent reached ``level``'s rates, in
    whole sessions (never fewer than now)."""
    fast = math.ceil(_fraction(level.response_3min_rate) * counts.service_hour_sessions)
    satisfied = math.ceil(_fraction(level.satisfaction_rate) * counts.rated_sessions)
    return max(fast, counts.fast_responses), max(satisfied, counts.satisfied_sessions)


def what_if_values(shop: ShopAgents, agents: list[Agent], config: AgentsConfig) -> dict[str, float]:
    """The shop's response and satisfaction rates had every agent below the what-if level
    (including those not graded) reached its rates; only assessed indicators change."""
    names = [lv.name for lv in config.levels]
    target_rank = names.index(config.what_if_level)
    level = config.levels[target_rank]
    fast, satisfied = shop.unassigned.fast_responses, shop.unassigned.satisfied_sessions
    for agent in agents:
        rank = names.index(agent.grade) if agent.grade in names else len(names)
        if rank > target_rank:
            f, s = _lifted(agent.counts, level)
        else:
            f, s = agent.counts.fast_responses, agent.counts.satisfied_sessions
        fast, satisfied = fast + f, satisfied + s
    values: dict[str, float] = {}
    assessed = shop.score.indicators if shop.score else {}
    if RESPONSE in assessed and assessed[RESPONSE].assessed and shop.totals.service_hour_sessions:
        values[RESPONSE] = float(Fraction(fast, shop.totals.service_hour_sessions))
    if SATISFACTION in assessed and assessed[SATISFACTION].assessed and shop.totals.rated_sessions:
        values[SATISFACTION] = float(Fraction(satisfied, shop.totals.rated_sessions))
    return values


def agent_report(
    con: Engine,
    window: Window,
    config: AgentsConfig,
    scores: ScoreReport,
    provided: dict[str, frozenset[str]],
    shop_ids: list[str] | None = None,
) -> AgentReport:
    """Every agent's metrics and grade, their share of the shop's points lost (from
    ``scores``, scored at the same window) and the shop-level what-if."""
    from svc_cli.scoring import score_shop
    from svc_cli.simulate import Change, apply_change

    by_shop = {s.shop_id: s for s in scores.shops}
    agents: list[Agent] = []
    shops: list[ShopAgents] = []
    warnings: list[str] = []
    for shop_id, rows in agent_counts(con, window).items():
        if shop_ids and shop_id not in shop_ids:
            continue
        have = provided.get(shop_id, frozenset())
        totals, unassigned = AgentCounts(), AgentCounts()
        for agent_id, counts in rows:
            totals.add(counts)
            if agent_id is None:
                unassigned.add(counts)
        shop = ShopAgents(
            shop_id, totals, unassigned, "chats.qa_score" in have, by_shop.get(shop_id)
        )
        if not shop.qa_provided:
            warnings.append(Message("shop_message", shop=shop_id, message=Message("agents.no_qa")))
        shop_agents = []
        for agent_id, counts in rows:
            if agent_id is None:
                continue
            g, note = grade(counts, config, shop.qa_provided)
            shop_agents.append(
                Agent(
                    shop_id,
                    agent_id,
                    counts,
                    g,
                    note,
                    _share(counts.late, totals.late, shop.points_lost(RESPONSE)),
                    _share(counts.unsatisfied, totals.unsatisfied, shop.points_lost(SATISFACTION)),
                )
            )
        if shop.score is not None and shop_id in scores.inputs:
            shop.what_if_changes = what_if_values(shop, shop_agents, config)
            inputs = scores.inputs[shop_id]
            for name, value in shop.what_if_changes.items():
                inputs = apply_change(inputs, Change("set", name, value), scores.config)
            shop.what_if = score_shop(
                inputs, scores.config, scores.benchmark, window.start, window.as_of
            )
        agents += shop_agents
        shops.append(shop)
    requested = shop_ids or list(by_shop)
    unmeasured = [s for s in requested if "chats" not in provided.get(s, frozenset())]
    for shop_id in unmeasured:  # nothing measured is not "no agent"
        message = Message("agents.chats_not_provided")
        warnings.append(Message("shop_message", shop=shop_id, message=message))
    if not agents and len(unmeasured) < len(requested):
        warnings.append(Message("agents.no_agent"))
    return AgentReport(window, config, agents, shops, warnings)
