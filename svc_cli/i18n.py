"""English and Simplified Chinese labels (``--lang zh`` or ``SVC_LANG=zh``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeGuard

#: A repurchase rate's id: rr_30d, rr_90d …
_HORIZON = re.compile(r"rr_(\d+)d")

LABELS: dict[str, dict[str, str]] = {
    # dimensions
    "goods": {"en": "Goods", "zh": "宝贝质量"},
    "logistics": {"en": "Logistics", "zh": "物流速度"},
    "service": {"en": "Service", "zh": "服务保障"},
    "addon": {"en": "Add-on", "zh": "附加分"},
    # indicators
    "neg_feedback_rate": {"en": "Negative feedback rate", "zh": "商品负反馈率"},
    "good_review_rate": {"en": "Good review rate", "zh": "好评率"},
    "pickup_48h_rate": {"en": "48h pickup rate", "zh": "48小时揽收及时率"},
    "delivery_hours": {"en": "Delivery time (h)", "zh": "配送时长(小时)"},
    "refund_hours": {"en": "Refund handling time (h)", "zh": "退款处理时长(小时)"},
    "help_rate": {"en": "Platform help rate", "zh": "平台求助率"},
    "response_3min_rate": {"en": "3-min response rate", "zh": "3分钟人工响应率"},
    "satisfaction_rate": {"en": "Chat satisfaction rate", "zh": "旺旺满意度"},
    # tiers and statuses
    "high": {"en": "high", "zh": "高"},
    "ordinary": {"en": "ordinary", "zh": "中"},
    "low": {"en": "low", "zh": "低"},
    "growth_stage": {"en": "growth stage", "zh": "成长期"},
    "no_data": {"en": "no data", "zh": "数据不足"},
    "scored": {"en": "scored", "zh": "已评分"},
    # column headers
    "shop_id": {"en": "Shop", "zh": "店铺"},
    "status": {"en": "Status", "zh": "状态"},
    "industry": {"en": "Industry", "zh": "行业"},
    "score": {"en": "Score", "zh": "体验分"},
    "base_score": {"en": "Base", "zh": "基础分"},
    "tier": {"en": "Tier", "zh": "层级"},
    "stars": {"en": "Stars", "zh": "星级"},
    "badge_eligible": {"en": "Badge", "zh": "服务好标"},
    "biggest_loss": {"en": "Costs most", "zh": "最大失分项"},
    "biggest_loss_points": {"en": "Points", "zh": "失分"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "dimension": {"en": "Dimension", "zh": "维度"},
    "value": {"en": "Value", "zh": "数值"},
    "sub_score": {"en": "Sub-score", "zh": "得分"},
    "weight": {"en": "Weight", "zh": "权重"},
    "effective_weight": {"en": "Eff. weight", "zh": "实际权重"},
    "points_lost": {"en": "Points lost", "zh": "失分"},
    "assessed": {"en": "Assessed", "zh": "已考核"},
    "not_assessed": {"en": "not assessed", "zh": "未考核"},
    "before": {"en": "Before", "zh": "调整前"},
    "after": {"en": "After", "zh": "调整后"},
    "item": {"en": "Item", "zh": "项目"},
    "customers": {"en": "Customers", "zh": "顾客数"},
    "repeat_customers": {"en": "Repeat", "zh": "复购顾客"},
    "repeat_purchase_rate": {"en": "Repeat rate", "zh": "复购率"},
    "returning_customer_rate": {"en": "Returning rate", "zh": "回头客率"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "as_of": {"en": "as of", "zh": "截至"},
    "window": {"en": "window", "zh": "考核周期"},
    "days": {"en": "days", "zh": "天"},
    # customer-service agents (spec §12)
    "agent_id": {"en": "Agent", "zh": "客服"},
    "event_id": {"en": "Order / review / chat", "zh": "订单/评价/会话"},
    "sessions": {"en": "Sessions", "zh": "接待会话"},
    "mean_first_response_seconds": {"en": "Mean 1st reply (s)", "zh": "平均首次响应(秒)"},
    "qa_score": {"en": "QA", "zh": "质检分"},
    "grade": {"en": "Grade", "zh": "客服等级"},
    "grade_note": {"en": "Why / next level", "zh": "说明"},
    "expert": {"en": "expert", "zh": "专家客服"},
    "senior": {"en": "senior", "zh": "资深客服"},
    "advanced": {"en": "advanced", "zh": "高级客服"},
    "grade.none": {"en": "none", "zh": "未达等级"},
    "not_graded": {"en": "not graded", "zh": "样本不足"},
    "response_points_lost": {"en": "Resp. pts lost", "zh": "响应失分"},
    "satisfaction_points_lost": {"en": "Satisf. pts lost", "zh": "满意度失分"},
    "unassigned_sessions": {"en": "No agent", "zh": "无客服会话"},
    "what_if_score": {"en": "Score if all ≥ level", "zh": "全员达标后体验分"},
    "what_if_tier": {"en": "Tier if all ≥ level", "zh": "全员达标后层级"},
    "agents_title": {"en": "Agents", "zh": "客服"},
    "no_agents": {
        "en": "No agent to grade: no chat session with an agent_id in the window.",
        "zh": "没有可分级的客服：周期内没有带客服编号的会话。",
    },
    "agent_shops_title": {
        "en": "Points lost per shop, and if every agent below {level} reached it",
        "zh": "各店失分，以及低于{level}的客服全部达到该等级后的结果",
    },
    # service -> repurchase
    "late_shipping": {"en": "shipped late", "zh": "发货超时"},
    "unanswered_chat": {"en": "chat unanswered 3+ min", "zh": "咨询3分钟未回复"},
    "refund_requested": {"en": "refund requested", "zh": "申请过退款"},
    "refund_retained": {"en": "  refund retained", "zh": "  退款被挽回"},
    "refund_not_retained": {"en": "  refund not retained", "zh": "  退款未挽回"},
    "bad_review": {"en": "bad review (1-2)", "zh": "差评（1-2 星）"},
    "nothing_went_wrong": {"en": "nothing went wrong", "zh": "一切正常"},
    "first_order": {"en": "First order went through", "zh": "首单经历"},
    "eligible": {"en": "Observed", "zh": "可观测"},
    "interval": {"en": "{confidence} interval", "zh": "{confidence}区间"},
    "ratio": {"en": "Ratio", "zh": "倍数"},
    "tiers_compared": {"en": "Tiers", "zh": "层级对比"},
    "horizon_days": {"en": "Days", "zh": "天数"},
    "platform_ratio": {"en": "Platform claim", "zh": "平台宣称"},
    "platform_ratio_in_interval": {"en": "Claim in interval", "zh": "宣称在区间内"},
    "service_groups_title": {
        "en": "First-time customers by what their first order went through (shops pooled)",
        "zh": "新客按首单经历分组（各店合并）",
    },
    "service_tiers_title": {"en": "By score tier (pooled)", "zh": "按体验分层级（合并）"},
    "service_ratios_title": {
        "en": "Repurchase ratio between tiers, beside the platform's claim",
        "zh": "层级间复购倍数，对照平台宣称",
    },
    "correlation_not_cause": {
        "en": "This is correlation, not cause: customers who met a problem may differ in other "
        "ways (products, season, price), and shops in a tier differ in more than service.",
        "zh": "这是相关，不是因果：遇到问题的顾客在商品、季节、价格等方面可能本就不同，"
        "不同层级的店铺也不只是服务不同。",
    },
    # repeat deep-dive
    "repeat_summary_title": {"en": "Repeat customers", "zh": "复购概览"},
    "repeat_gaps_title": {
        "en": "Days from first to second order",
        "zh": "首单到第二单的间隔天数",
    },
    "repeat_sku_title": {"en": "Repeat rate by first SKU", "zh": "按首单商品的复购率"},
    "repeat_amount_title": {
        "en": "Repeat rate by first-order amount",
        "zh": "按首单金额段的复购率",
    },
    "repeat_cohorts_title": {
        "en": "Cumulative repeat share by cohort (month k after the first order)",
        "zh": "按首购月份的累计复购占比（首购后第k个月）",
    },
    "repeat_overdue_title": {"en": "Customers overdue for a reorder", "zh": "应回购未回购的顾客"},
    "p25_days_to_second": {"en": "p25 days", "zh": "25分位(天)"},
    "p75_days_to_second": {"en": "p75 days", "zh": "75分位(天)"},
    "p90_days_to_second": {"en": "p90 days", "zh": "90分位(天)"},
    "first_order_day": {"en": "First order", "zh": "首单日"},
    "last_order_day": {"en": "Last order", "zh": "最近下单日"},
    "repeated": {"en": "Repeated", "zh": "复购"},
    "first_time_customers": {"en": "First-time customers", "zh": "新客数"},
    "median_days_to_second": {"en": "Median days to 2nd", "zh": "二单间隔中位(天)"},
    "overdue_customers": {"en": "Overdue", "zh": "待唤回顾客"},
    "sku": {"en": "First SKU", "zh": "首单商品"},
    "amount_band": {"en": "First-order amount", "zh": "首单金额段"},
    "share": {"en": "Share", "zh": "占比"},
    "days_since_last_order": {"en": "Days since last", "zh": "距上次下单(天)"},
    "mean_interval_days": {"en": "Mean interval (days)", "zh": "平均间隔(天)"},
    "overdue_by_days": {"en": "Overdue by (days)", "zh": "超期(天)"},
    # refund retention (spec §13)
    "requests": {"en": "Requests", "zh": "退款申请"},
    "withdrawn": {"en": "Retained", "zh": "挽回(买家撤销)"},
    "completed": {"en": "Completed", "zh": "退款成功"},
    "rejected": {"en": "Rejected", "zh": "已拒绝"},
    "open": {"en": "Open", "zh": "处理中"},
    "retention_rate": {"en": "Retention rate", "zh": "挽单率"},
    "retained_amount": {"en": "Retained amount", "zh": "挽回金额"},
    "median_handling_hours": {"en": "Median handling (h)", "zh": "处理时长中位数(小时)"},
    "withdrawn_quality": {"en": "Retained, still negative", "zh": "已挽回仍计负反馈"},
    "key": {"en": "Group", "zh": "分组"},
    "reason": {"en": "reason", "zh": "退款原因"},
    "stage": {"en": "stage", "zh": "阶段"},
    "all": {"en": "all", "zh": "全部"},
    "before_shipping": {"en": "before shipping", "zh": "发货前"},
    "after_shipping": {"en": "after shipping", "zh": "发货后"},
    "quality": {"en": "quality", "zh": "质量问题"},
    "not_as_described": {"en": "not as described", "zh": "描述不符"},
    "logistics_reason": {"en": "logistics", "zh": "物流问题"},
    "no_reason": {"en": "no reason", "zh": "七天无理由"},
    "other": {"en": "other", "zh": "其他"},
    "refunds_title": {"en": "Refund retention by reason, stage", "zh": "退款挽单（按原因、阶段）"},
    "refund_score_effect": {
        "en": "Score effect: a request with reason quality or not_as_described counts in "
        "the negative feedback rate whether it is retained or not; only completed refunds "
        "count in refund handling time. Retention saves money, not score points.",
        "zh": "对体验分的影响：质量问题/描述不符的退款申请无论是否挽回都计入商品负反馈率；"
        "只有退款成功的才计入退款处理时长。挽单省的是钱，不是分。",
    },
    # diagnose, plan, trend
    "rank": {"en": "#", "zh": "排名"},
    "events": {"en": "Events", "zh": "事件数"},
    "next_roll_off": {"en": "Next roll-off", "zh": "最早移出"},
    "what": {"en": "What happened", "zh": "情况"},
    "at": {"en": "At", "zh": "时间"},
    "leaves_window_at": {"en": "Leaves window", "zh": "移出考核期"},
    "date": {"en": "Date", "zh": "日期"},
    "milestone": {"en": "Milestone", "zh": "节点"},
    "action": {"en": "Action", "zh": "行动"},
    "cost": {"en": "Cost", "zh": "成本"},
    "fixes": {"en": "Fixes", "zh": "对应事件"},
    "period_end": {"en": "Period end", "zh": "周期末"},
    "change": {"en": "Change", "zh": "变化"},
    "trend": {"en": "Trend", "zh": "走势"},
}


def label(key: str, lang: str = "en") -> str:
    """The label of ``key`` in ``lang`` (a repurchase rate ``rr_<n>d`` through ``rr_nd``);
    unknown keys are returned unchanged."""
    entry = LABELS.get(key)
    if entry is None:
        horizon = _HORIZON.fullmatch(key)
        return key if horizon is None else label("rr_nd", lang).format(n=horizon[1])
    return entry.get(lang) or entry["en"]


def fill(key: str, lang: str = "en", **params: Any) -> str:
    """The label of ``key`` in ``lang`` with ``params`` filled in; in English a noun
    after a count of one is singular ("1 day", "30 days")."""
    template = label(key, lang)
    return (_english(template, params) if lang == "en" else template).format(**params)


def grade_label(grade: str, lang: str = "en") -> str:
    """An agent's grade (spec §12) in ``lang``: its ``none`` is not the "none" of a list."""
    return label("grade.none" if grade == "none" else grade, lang)


def _add(entries: dict[str, tuple[str, str]]) -> None:
    twice = LABELS.keys() & entries.keys()
    if twice:  # the later text would replace the earlier one wherever it is shown
        raise ValueError(f"labels defined twice: {', '.join(sorted(twice))}")
    LABELS.update({key: {"en": en, "zh": zh} for key, (en, zh) in entries.items()})


# More column headers, and ids shown as values in tables (JSON and CSV keep the ids).
_add(
    {
        "name": ("Name", "店铺名称"),
        # table rendering
        "list_separator": (", ", "、"),
        "columns_left_out": (
            "left out to fit the terminal: {columns} (--wide shows every column)",
            "为适应终端宽度未显示：{columns}（--wide 显示全部列）",
        ),
        "table": ("Table", "数据表"),
        "rows": ("Rows", "行数"),
        "first": ("First", "最早"),
        "last": ("Last", "最晚"),
        "orders": ("Orders", "订单"),
        "reviews": ("Reviews", "评价"),
        "chats": ("Chats", "客服会话"),
        "shops": ("Shops", "店铺"),
        "orders_period": ("Orders period", "订单时间范围"),
        "assessable": ("Assessable", "可考核指标"),
        "not_provided": ("Not provided", "未提供的数据"),
        "inferred": ("Inferred", "推断"),
        "file": ("File", "文件"),
        "preset": ("Preset", "预设"),
        "encoding": ("Encoding", "编码"),
        "inserted": ("Inserted", "新增"),
        "updated": ("Updated", "更新"),
        "unchanged": ("Unchanged", "未变"),
        "kept_newer": ("Older, kept newer", "较旧未覆盖"),
        "mode": ("Mode", "方式"),
        "grain": ("Grain", "粒度"),
        "title": ("Title", "说明"),
        "detected_by": ("Detected by", "识别依据"),
        "canonical": ("Canonical", "标准列"),
        "source": ("Source", "来源列"),
        "column": ("Column", "列"),
        "row": ("Row {n}", "第{n}行"),
        "id": ("Service", "特色服务"),
        "zh": ("Chinese name", "中文名"),
        "en": ("English name", "英文名"),
        "points": ("Points", "加分"),
        "way": ("Way", "途径"),
        "cohort": ("Cohort", "首购月"),
        "month": ("m{k}", "第{k}月"),
        "group": ("Group", "分组"),
        "customer_id": ("Customer", "顾客"),
        "order_days": ("Order days", "下单天数"),
        "first_order_day_in_window": ("First order day", "周期内首次下单日"),
        "order_days_in_window": ("Order days", "周期内下单天数"),
        "repeat_in_window": ("Repeat", "周期内复购"),
        # per horizon (rr_30d, eligible_90d …): label() reads rr_<n>d as rr_nd
        "rr_nd": ("rr_{n}d", "{n}天复购率"),
        "eligible_nd": ("{eligible} {n}d", "{n}天可观测"),
        "repeated_nd": ("{repeated} {n}d", "{n}天内复购"),
        "hours_value": ("{value} h", "{value} 小时"),
        "as_of_end_of_day": ("{instant} (the end of {day})", "{instant}（即 {day} 日终）"),
        # svc export
        "partitioned_by": ("Partitioned by", "分区字段"),
        "coverage": ("coverage", "数据覆盖"),
        "shop_aliases": ("shop_aliases", "店铺别名"),
        "export_footer": (
            "{lake}: {format} format {version}, schema {schema}; read with --source {lake}",
            "{lake}：{format} 格式 {version}，数据结构版本 {schema}；用 --source {lake} 读取",
        ),
        # values
        "rows_mode": ("rows", "逐行"),
        "merge": ("merge", "合并"),
        "order": ("order", "订单"),
        "line": ("line", "商品行"),
        "refund": ("refund", "退款"),
        "return": ("return", "退货"),
        "any": ("any", "全部行业"),
        "none": ("none", "无"),
        "add_service": ("add service {service}", "加入特色服务 {service}"),
        "set_value": ("set {indicator} = {value}", "设定 {indicator} = {value}"),
        "improve_by": ("improve {indicator} by {value}%", "{indicator}改善 {value}%"),
    }
)

# Titles, footers and definitions.
_add(
    {
        "tables_title": ("Tables", "数据表"),
        "shops_title": ("Shops", "店铺"),
        "coverage_title": ("Coverage: what scores are built on", "数据覆盖：评分依据的数据"),
        "columns_title": ("Columns", "列映射"),
        "sample_title": (
            "First normalised rows (empty columns left out)",
            "标准化后的前几行（略去空列）",
        ),
        "cohort_title": (
            "Cohort matrix (share of cohort ordering in month k)",
            "同期群矩阵（首购月的顾客在第k月再次下单的比例）",
        ),
        "customers_title": ("Customers ordering in the window", "周期内下单的顾客"),
        "by_tier_title": ("Repurchase by score tier (pooled)", "按体验分层级汇总的复购"),
        "ways_title": (
            "Ways to reach {target} (fewest services first)",
            "达到 {target} 的途径（特色服务最少者优先）",
        ),
        "score_footer": (
            "as of {as_of}; window ({start}, {end}] = {days} days; benchmark {benchmark}; "
            "config {config}",
            "截至 {as_of}；考核周期 ({start}, {end}] = {days} 天；基准：{benchmark}；配置：{config}",
        ),
        "thresholds": ("thresholds", "固定阈值"),
        "peers": ("peers", "同行业对比"),
        "benchmark_none_used": (
            "thresholds ({asked} asked for: too few peers in every industry)",
            "固定阈值（要求{asked}：各行业同行都太少）",
        ),
        "benchmark_some_used": (
            "{asked} (thresholds where an industry has too few peers)",
            "{asked}（同行太少的行业用固定阈值）",
        ),
        "default": ("default", "默认"),
        "tiers_footer": (
            "tiers: high ≥ {high}, ordinary ≥ {ordinary}; growth stage < {orders} valid "
            "orders paid in the window",
            "层级：高 ≥ {high}，中 ≥ {ordinary}；周期内有效支付订单少于 {orders} 笔为成长期",
        ),
        "window_footer": (
            "as of {as_of}; window ({start}, {end}]",
            "截至 {as_of}；考核周期 ({start}, {end}]",
        ),
        "repurchase_footer": (
            "as of {as_of}; window ({start}, {end}] = {days} days; last observed day {last}",
            "截至 {as_of}；周期 ({start}, {end}] = {days} 天；数据最后一天 {last}",
        ),
        "cohort_footer": (
            "cohort = calendar month of the first order; month k = k calendar months later; "
            "cells whose month has not begun are empty (null, not 0)",
            "首购月 = 首次下单的自然月；第k月 = 其后第k个自然月；尚未开始的月份留空（不是 0）",
        ),
        "customers_footer": (
            "customer ids are shown because --show-customers was given",
            "因指定了 --show-customers，显示顾客编号",
        ),
        "def.valid": (
            "Valid orders only (paid, not cancelled); a customer's orders on one calendar day "
            "(of paid_at) count once; orders without customer_id are left out.",
            "仅计有效订单（已支付、未取消）；同一顾客同一自然日（按支付时间）的订单只计一次；"
            "没有顾客编号的订单不计。",
        ),
        "def.repeat": (
            "repeat_purchase_rate = customers with >= 2 order days in the window / customers "
            "with >= 1.",
            "复购率 = 周期内下单天数 ≥ 2 的顾客数 / 下单天数 ≥ 1 的顾客数。",
        ),
        "def.returning": (
            "returning_customer_rate = customers ordering in the window who had ordered before "
            "it / customers ordering in the window (null when the shop's data does not reach "
            "back before the window: not observable).",
            "回头客率 = 周期内下单且周期前下过单的顾客数 / 周期内下单的顾客数"
            "（店铺数据没有早于周期起点的订单时为空：无法观测）。",
        ),
        "def.rr": (
            "rr_Nd = first-time customers who order again within N days after their first "
            "order day / first-time customers whose N days are fully observed (null when none "
            "are); over all the data, not the window.",
            "N天复购率 = 首购后 N 天内再次下单的新顾客数 / N 天已完整观测的新顾客数"
            "（没有这样的顾客时为空）；按全部数据计算，不限于统计周期。",
        ),
        "estimate_footer": (
            "Estimate, not part of the score: {metric} {before} → {after} "
            "(×{ratio}{spread}; source: {source})",
            "估算，不计入体验分：{metric} {before} → {after}（×{ratio}{spread}；依据：{source}）",
        ),
        "estimate_spread": (
            ", interval {low}–{high} (ratio {ratio_low}–{ratio_high})",
            "，区间 {low}–{high}（比值 {ratio_low}–{ratio_high}）",
        ),
        "no_estimate_footer": (
            "No repurchase estimate for this tier change (source: {source})",
            "此层级变化没有复购估算（依据：{source}）",
        ),
        "estimate.tiers": (
            "this data's tiers: pooled {metric} {after_tier} {after_rate} "
            "({after_shops} shops) / {before_tier} {before_rate} ({before_shops} shops); "
            "correlation, not cause",
            "本数据各层级的汇总 {metric}：{after_tier} {after_rate}（{after_shops} 家店）/ "
            "{before_tier} {before_rate}（{before_shops} 家店）；相关而非因果",
        ),
        "estimate.published": (
            "published figure: good-service shops see about {ratio}x the repurchase rate of "
            "low-service ones (no interval: not measured here)",
            "公开数据：服务好的店铺复购率约为服务差店铺的 {ratio} 倍（无区间：非本数据测得）",
        ),
        "estimate.none": (
            "none: fewer than {shops} scored shops per tier in this data, and the published "
            "figure only covers low tier -> good-service badge",
            "无：本数据每个层级的已评分店铺少于 {shops} 家，而公开数据只涉及从低层级到服务好标",
        ),
        "services_footer": (
            "add-on = min({cap}, service points + same/next-day delivery points); a service "
            "counts only for its own industry (or any)",
            "附加分 = min({cap}, 特色服务加分 + 当日/次日达加分)；特色服务只对其所属行业（或全部行业）有效",
        ),
        "info_footer": (
            "{database}: schema {schema}, {loads} file load(s)",
            "{database}：数据结构版本 {schema}，已导入 {loads} 个文件",
        ),
        "info_footer_header_only": (
            "{database}: schema {schema}, {loads} file load(s), {header_only} of them "
            "header only (no data rows)",
            "{database}：数据结构版本 {schema}，已导入 {loads} 个文件，其中 {header_only} 个"
            "只有表头（没有数据行）",
        ),
        "info_definitions": (
            "assessable = indicators whose inputs were provided (an indicator also needs events "
            "in the window); inferred = guessed from the rows of a database loaded before svc "
            "recorded coverage",
            "可考核指标 = 所需数据已提供的指标（指标还需要周期内有事件）；推断 = 数据库导入时 svc "
            "尚未记录数据覆盖，已提供哪些数据是根据已导入的数据行推断的",
        ),
        "presets_footer": (
            "canonical CSVs (docs/model.md) are recognised too; details: docs/presets.md",
            "也识别标准 CSV（docs/model.md）；详见 docs/presets.md",
        ),
        "not_used": ("not used: {columns}", "未使用的列：{columns}"),
        "not_assessed_note": (
            "not assessed: {indicator} ({reason})",
            "未考核：{indicator}（{reason}）",
        ),
        "warning": ("Warning: ", "警告："),
    }
)

# Messages of the library (``Message``): notes, reasons and warnings.
_add(
    {
        "shop_message": ("shop {shop}: {message}", "店铺 {shop}：{message}"),
        "shops_message": (
            "{count} shops ({shops}): {message}",
            "{count} 家店铺（{shops}）：{message}",
        ),
        "shops_listed_more": ("{shops} …", "{shops} 等"),
        "inspect_rejected": (
            "{file}: svc load would refuse {count} row(s) (or skip them with --skip-invalid):",
            "{file}：svc load 会拒绝 {count} 行（或用 --skip-invalid 跳过）：",
        ),
        "window.no_orders_shop": (
            "no valid order paid in the window {window}; {where}",
            "考核周期 {window} 内没有有效订单；{where}",
        ),
        "window.no_orders_any_shop": (
            "the window {window} holds no valid order of any shop; {where}",
            "考核周期 {window} 内所有店铺都没有有效订单；{where}",
        ),
        "orders.none_loaded": (
            "no valid (paid, not cancelled) order is loaded",
            "未导入有效订单（已付款且未取消）",
        ),
        "orders.past_the_data": (
            "the latest valid order was paid at {at}: is --as-of past the data?",
            "最近一笔有效订单付款于 {at}：--as-of 是否晚于数据？",
        ),
        "repurchase.past_the_data": (
            "the data ends at {latest}, days before the as-of {as_of}: the days after it "
            "count as days without an order; is --as-of past the data?",
            "数据截至 {latest}，比报告时点 {as_of} 早好几天：之后的日子按没有下单计；"
            "--as-of 是否晚于数据？",
        ),
        "orders.before_the_data": (
            "the first valid order was paid at {at}: is --as-of before the data?",
            "最早一笔有效订单付款于 {at}：--as-of 是否早于数据？",
        ),
        "clauses": ("{parts}", "{parts}"),
        "service_ignored": (
            "service {service} does not count for industry {industry}; ignored",
            "特色服务 {service} 不适用于{industry}行业，已忽略",
        ),
        "growth_note": (
            "growth stage: {orders} valid order(s) paid in the window; a score needs at "
            "least {min}",
            "成长期：周期内有效支付订单 {orders} 笔；评分至少需要 {min} 笔",
        ),
        "no_data_note": (
            "no data: no indicator could be assessed (see each indicator's reason)",
            "数据不足：没有可考核的指标（见各指标原因）",
        ),
        "coverage_assessed": (
            "{assessed} of {total} indicators assessed",
            "已考核 {assessed}/{total} 项指标",
        ),
        "coverage_not_provided": ("not provided: {inputs}", "未提供：{inputs}"),
        "coverage_no_events": (
            "no events in the window: {indicators}",
            "周期内无事件：{indicators}",
        ),
        "not_provided_reason": ("not provided: {inputs} — {fixes}", "未提供：{inputs} —— {fixes}"),
        "peers_fallback": (
            "industry {industry}: {count} scored shop(s), fewer than {min}; using thresholds "
            "instead of peers",
            "{industry}行业：已评分店铺 {count} 家，少于 {min} 家；改用固定阈值而非同行业对比",
        ),
        "masked_customers": (
            "the data has no customer ids (masked export); customer-level metrics are "
            "unavailable, not zero",
            "数据中没有顾客编号（脱敏导出）；顾客层面的指标不可用（不是 0）",
        ),
        "no_events.neg_feedback_rate": (
            "no order delivered in the window",
            "周期内没有签收的订单",
        ),
        "no_events.good_review_rate": ("no review created in the window", "周期内没有评价"),
        "no_events.pickup_48h_rate": (
            "no order due for pickup in the window",
            "周期内没有应揽收的订单",
        ),
        "no_events.delivery_hours": ("no order delivered in the window", "周期内没有签收的订单"),
        "no_events.refund_hours": ("no refund completed in the window", "周期内没有完成的退款"),
        "no_events.help_rate": ("no valid order paid in the window", "周期内没有有效支付订单"),
        "no_events.response_3min_rate": (
            "no chat session in service hours (08:00-23:00) in the window",
            "周期内服务时间（08:00-23:00）没有客服会话",
        ),
        "no_events.satisfaction_rate": (
            "no rated chat session in the window",
            "周期内没有带满意度评价的客服会话",
        ),
        "provide.shipped_at": (
            "load an orders export with the shipping time (shipped_at)",
            "导入含发货时间（shipped_at）的订单导出文件",
        ),
        "provide.delivered_at": (
            "load an orders export with the delivery/sign-for time (delivered_at)",
            "导入含签收时间（delivered_at）的订单导出文件",
        ),
        "provide.refund_reason": (
            "load the refund export (refund reasons), e.g. svc load DB refunds.csv",
            "导入含退款原因的退款导出文件，例如 svc load DB refunds.csv",
        ),
        "provide.refund_requested_at": (
            "load the refund export (request and completion times)",
            "导入含退款申请和完成时间的退款导出文件",
        ),
        "provide.refund_completed_at": (
            "load the refund export (request and completion times)",
            "导入含退款申请和完成时间的退款导出文件",
        ),
        "provide.escalated": (
            "load an export with the platform-help/dispute flag (escalated)",
            "导入含平台求助/纠纷标记（escalated）的导出文件",
        ),
        "provide.reviews": (
            "load the review export with --reviews",
            "用 --reviews 导入评价导出文件",
        ),
        "provide.reviews.order_id": (
            "load a review export that names each review's order (order_id)",
            "导入注明每条评价所属订单（order_id）的评价导出文件",
        ),
        "provide.chats": ("load the chat sessions with --chats", "用 --chats 导入客服会话"),
        "provide.chats.satisfaction": (
            "load chat sessions with a satisfaction column (--chats)",
            "导入含满意度列的客服会话（--chats）",
        ),
        "provide.chats.qa_score": (
            "load chat sessions with a qa_score column (--chats)",
            "导入含质检分列的客服会话（--chats）",
        ),
        "header_only": (
            "{file}: header only, no data rows; nothing to load from it",
            "{file}：只有表头，没有数据行；未导入任何内容",
        ),
        "mixed_newlines": (
            "{file}: mixes Windows (CRLF) and Unix (LF) line ends; each was read as a line end",
            "{file}：混用了 Windows（CRLF）和 Unix（LF）换行符；两者都按换行读取",
        ),
        "blank_inputs": (
            "{file}: column(s) {columns} blank in every row, counted as provided (the export "
            "says: none) — the indicators that need them ({indicators}) are scored as if "
            "nothing happened; if the export does not measure them, remove the column(s)",
            "{file}：列 {columns} 每一行都为空：按已提供计（导出表示：没有）——需要它们的指标"
            "（{indicators}）按什么都没有发生计分；如果导出并不记录这些数据，请删除这些列",
        ),
        "warning.kept_newer": (
            "{file}: {count} row(s) older than what is stored (an earlier status or refund "
            "state); kept the newer values (--replace overwrites)",
            "{file}：{count} 行比已存数据旧（更早的状态或退款状态）；保留了较新的值"
            "（--replace 可覆盖）",
        ),
        "preset_rejects_written": (
            "{file}: the rows the preset skipped are written to {rejects}",
            "{file}：预设跳过的行已写入 {rejects}",
        ),
        "times_out_of_order": (
            "{file}: times out of order: {pairs}; the durations computed from them come out "
            "negative: check the export's columns and time zones",
            "{file}：时间先后顺序不对：{pairs}；由此算出的时长为负：请检查导出文件的列和时区",
        ),
        "time_before": (
            "{later} before {earlier} in {count} row(s) (first on line {line})",
            "{count} 行 {later} 早于 {earlier}（首次在第 {line} 行）",
        ),
        "future_times": (
            "{file}: {count} row(s) have a time after this machine's clock (latest {latest}); "
            "the default --as-of is the latest time loaded, so it moves with them: check the "
            "export, or give --as-of",
            "{file}：{count} 行的时间晚于本机时钟（最晚 {latest}）；默认 --as-of 取已导入的最晚时间，"
            "会随之移动：请检查导出文件，或指定 --as-of",
        ),
        "pickup_refunds_unknown": (
            "shop {shop}: {count} refunded order(s) never shipped count as late pickups: "
            "without refund request times (not provided: refund_requested_at) svc cannot "
            "tell a refund asked for within 48 h of payment, which is not due; load the "
            "refund export (e.g. Taobao 退款管理) for the shop",
            "店铺 {shop}：{count} 个未发货就退款的订单按揽收超时计：未提供退款申请时间，"
            "无法判断是否在付款后 48 小时内申请退款（那样不计为应揽收）；"
            "请为该店铺导入退款导出文件（如淘宝退款管理）",
        ),
        "unpaid_orders": (
            "{file}: {count} order(s) are paid, shipped, completed or refunded but have no "
            "paid_at (first at line {line}): what is counted from the payment (valid = paid "
            "and not cancelled) leaves them out — the 48 h pickup, platform help and "
            "delivery time indicators and the repurchase rates; they count only where "
            "delivery or a refund is enough (negative feedback, refund time); load an export "
            "that has the payment time",
            "{file}：{count} 个订单状态为已付款、已发货、已完成或已退款，却没有 paid_at（付款时间，"
            "首见第 {line} 行）：按付款计的部分（有效订单 = 已付款且未取消）不含这些订单——"
            "48小时揽收及时率、平台求助率、配送时长和复购率；它们只计入凭签收或退款即可计算的指标"
            "（商品负反馈率、退款处理时长）；请导入带付款时间的导出文件",
        ),
        "skipped_rows": (
            "{file}: skipped {count} invalid row(s); written to {rejects}",
            "{file}：跳过 {count} 行无效数据；已写入 {rejects}",
        ),
        "duplicates": (
            "{file}: {count} exact duplicate row(s) loaded once",
            "{file}：{count} 行完全重复的数据只导入一次",
        ),
        "preset_header_only": ("{file}: header only, no data rows", "{file}：只有表头，没有数据行"),
        "preset_skipped_rows": (
            "{file}: skipped {count} invalid row(s) (preset {preset})",
            "{file}：跳过 {count} 行无效数据（预设 {preset}）",
        ),
        "shop_option_unused": (
            "{file}: --shop {shop} given, but the file has its own shop_id column (e.g. "
            "{example}): its rows keep their shop ids",
            "{file}：给出了 --shop {shop}，但文件自带 shop_id 列（如 {example}）：各行保留文件中的店铺编号",
        ),
        "shop_column_ignored": (
            "{file}: shop id {shop} given; the file's column {column} (e.g. {example}) is ignored",
            "{file}：已指定店铺 {shop}；忽略文件中的列 {column}（例如 {example}）",
        ),
        "lines_disagree": (
            "{file}: {count} order(s) carry different {column} values on their lines; the "
            "first line's value was taken (preset {preset})",
            "{file}：{count} 个订单的各商品行 {column} 不一致；取第一行的值（预设 {preset}）",
        ),
        "default_reviews_dropped": (
            "{file}: dropped {count} default/system review(s) (no real opinion)",
            "{file}：去掉 {count} 条默认/系统评价（非真实评价）",
        ),
        "reviews_without_order": (
            "{file}: {count} review(s) have no order id (preset {preset}: the export does not "
            "link reviews to orders); they are loaded and count for good_review_rate only: "
            "negative feedback (neg_feedback_rate) is not assessed from them (it needs reviews "
            "that name their order)",
            "{file}：{count} 条评价没有订单编号（预设 {preset}：该导出不关联订单）；已导入，"
            "仅计入好评率：商品负反馈率不据此考核（需要关联订单的评价）",
        ),
        "reviews_without_order_invalid": (
            "{file}: {count} review(s) have no order id in the {column} column; they are "
            "invalid rows (load the others with --skip-invalid)",
            "{file}：{count} 条评价的 {column} 列没有订单编号；这些行无效（可用 --skip-invalid "
            "导入其余行）",
        ),
        "jd_status_prefix": (
            "{file}: {count} row(s) have a (删除)/(锁定) status prefix; their underlying status "
            "was used",
            "{file}：{count} 行的状态带有 (删除)/(锁定) 前缀；已使用其实际状态",
        ),
        "spam_reviews_dropped": (
            "{file}: dropped {count} review(s) curated as spam",
            "{file}：去掉 {count} 条被标为垃圾的评价",
        ),
        "seller_ratings_dropped": (
            "{file}: dropped {count} rating(s) written by the seller (role != buyer)",
            "{file}：去掉 {count} 条卖家写的评价（role != buyer）",
        ),
        "encoding_suspect": (
            "{file}: decoded as {encoding} as asked, but the text looks like {better} (check "
            "the output for mojibake)",
            "{file}：已按要求以 {encoding} 解码，但文本看起来是 {better}（请检查是否乱码）",
        ),
        "no_shops_listed": (
            "{file}: no shops listed; nothing to load from it",
            "{file}：没有列出店铺；未导入任何内容",
        ),
    }
)

# `svc report html`.
_add(
    {
        "report_title": ("Real experience score report", "真实体验分报告"),
        "valid_orders": ("Valid orders", "有效订单"),
        "indicators": ("Indicators", "指标"),
        "note": ("Note", "说明"),
        "diagnosis": ("Diagnosis", "诊断"),
        "costs_points": (
            "{indicator} ({value}) costs {points} points",
            "{indicator}（{value}）失分 {points}",
        ),
        "nothing_lost": ("No indicator costs points.", "没有失分的指标。"),
        "plan_no_score": (
            "No score yet, so no plan: see the notes above.",
            "尚无体验分，无法给出提升方案：见上方说明。",
        ),
        "plan_reached": ("Already at {target} or above.", "已达到 {target} 或以上。"),
        "score_trend": ("Score trend", "体验分趋势"),
        "trend_caption": (
            "Score at the end of each of the last {weeks} calendar weeks (Monday to Sunday, "
            "the last one cut at the as-of; = svc score --as-of DAY), each over a {days}-day "
            "window; gaps: no score (growth stage or no data)",
            "最近 {weeks} 个自然周（周一至周日，最后一周截至报告时点）每周结束时的体验分"
            "（= svc score --as-of 当天），各按 {days} 天考核周期计算；空缺表示当时没有体验分"
            "（成长期或数据不足）",
        ),
        "plan_section_title": (
            "Plan to {target}: whole events, cheapest first",
            "达到 {target} 的方案：按整数个事件，成本最低",
        ),
        "plan_summary": (
            "Score {before} → {after} (target {target}), cost {cost}",
            "体验分 {before} → {after}（目标 {target}），成本 {cost}",
        ),
        "refunds_section": ("Refund retention", "退款挽单"),
        "agent_points_lost": ("Points lost (share)", "分摊失分"),
        "agents_what_if_line": (
            "If every agent below {level} reached it: score {score} ({tier})",
            "若低于{level}的客服都达到该等级：体验分 {score}（{tier}）",
        ),
        "repurchase": ("Repurchase", "复购"),
        "repurchase_caption": (
            "Over the last {days} days; definitions at the end of the report.",
            "统计最近 {days} 天；定义见报告末尾。",
        ),
        "bad_reviews": ("Latest bad reviews (rating ≤ 2)", "最近的差评（评分 ≤ 2）"),
    }
)

# Inputs named in coverage messages (spec §10).
_add(
    {
        "shipped_at": ("shipped_at", "发货时间"),
        "delivered_at": ("delivered_at", "签收时间"),
        "refund_reason": ("refund_reason", "退款原因"),
        "refund_requested_at": ("refund_requested_at", "退款申请时间"),
        "refund_completed_at": ("refund_completed_at", "退款完成时间"),
        "escalated": ("escalated", "平台求助标记"),
        "reviews.order_id": ("reviews.order_id", "评价所属订单"),
        "chats.satisfaction": ("chats.satisfaction", "会话满意度"),
        "chats.qa_score": ("chats.qa_score", "会话质检分"),
    }
)

# `svc diagnose`: events, milestones, footers (``Message`` keys of diagnose.py).
_add(
    {
        "event.bad_review": ("review rated {rating}", "评价 {rating} 星"),
        "event.low_review": ("review rated {rating}", "评价 {rating} 星"),
        "event.quality_refund": (
            "quality / not-as-described refund requested",
            "申请了质量问题/描述不符退款",
        ),
        "event.bad_review_and_quality_refund": (
            "review rated {rating} and quality refund",
            "评价 {rating} 星且申请了质量问题退款",
        ),
        "event.late_pickup": (
            "shipped {h} after payment (limit 48 h)",
            "付款后 {h}才发货（时限 48 小时）",
        ),
        "event.not_shipped": (
            "not shipped {h} after payment (limit 48 h)",
            "付款后 {h}仍未发货（时限 48 小时）",
        ),
        "event.slow_delivery": (
            "delivered {h} after payment (5.0 at ≤ {limit} h)",
            "付款后 {h}签收（≤ {limit} 小时得 5.0 分）",
        ),
        "event.slow_refund": (
            "refund took {h} (5.0 at ≤ {limit} h)",
            "退款用时 {h}（≤ {limit} 小时得 5.0 分）",
        ),
        "event.escalated": ("buyer asked the platform to intervene", "买家申请平台介入"),
        # durations in event texts (the numbers are given formatted)
        "duration.hours": ("{value} h", "{value} 小时"),
        "duration.hms": ("{h} h {m} min {s} s", "{h} 小时 {m} 分 {s} 秒"),
        "duration.ms": ("{m} min {s} s", "{m} 分 {s} 秒"),
        "duration.s": ("{s} s", "{s} 秒"),
        "event.unanswered": ("never answered", "始终未回复"),
        "event.late_response": (
            "first reply after {reply} (limit 3 min)",
            "{reply}后才首次回复（时限 3 分钟）",
        ),
        "event.unsatisfied": ("rated {rating} of 5", "满意度评 {rating} 分（满分 5）"),
        "events.one.neg_feedback_rate": ("{count} negative-feedback order", "{count} 笔负反馈订单"),
        "events.many.neg_feedback_rate": (
            "{count} negative-feedback orders",
            "{count} 笔负反馈订单",
        ),
        "events.one.good_review_rate": (
            "{count} review rated 3 or less",
            "{count} 条 3 星及以下评价",
        ),
        "events.many.good_review_rate": (
            "{count} reviews rated 3 or less",
            "{count} 条 3 星及以下评价",
        ),
        "events.one.pickup_48h_rate": ("{count} late pickup", "{count} 笔揽收超时"),
        "events.many.pickup_48h_rate": ("{count} late pickups", "{count} 笔揽收超时"),
        "events.one.delivery_hours": ("{count} slow delivery", "{count} 笔配送慢"),
        "events.many.delivery_hours": ("{count} slow deliveries", "{count} 笔配送慢"),
        "events.one.refund_hours": ("{count} slow refund", "{count} 笔退款处理慢"),
        "events.many.refund_hours": ("{count} slow refunds", "{count} 笔退款处理慢"),
        "events.one.help_rate": ("{count} escalation", "{count} 次平台求助"),
        "events.many.help_rate": ("{count} escalations", "{count} 次平台求助"),
        "events.one.response_3min_rate": (
            "{count} chat not answered within 3 minutes",
            "{count} 次咨询 3 分钟内未回复",
        ),
        "events.many.response_3min_rate": (
            "{count} chats not answered within 3 minutes",
            "{count} 次咨询 3 分钟内未回复",
        ),
        "events.one.satisfaction_rate": ("{count} unsatisfied rating", "{count} 个不满意评价"),
        "events.many.satisfaction_rate": ("{count} unsatisfied ratings", "{count} 个不满意评价"),
        "events.one.more": ("{count} more event", "另 {count} 个事件"),
        "events.many.more": ("{count} more events", "另 {count} 个事件"),
        "leaving.1": ("{a}", "{a}"),
        "leaving.2": ("{a} and {b}", "{a}和{b}"),
        "leaving.3": ("{a}, {b} and {c}", "{a}、{b}和{c}"),
        "leaving.4": ("{a}, {b}, {c} and {d}", "{a}、{b}、{c}和{d}"),
        "milestone.text": ("{today} today → {what}{when}", "{when}{what}"),
        "milestone.scored": ("{score} (scored)", "获得体验分 {score}"),
        # a change of status: the English names it, the Chinese says it happens
        "milestone.enters.scored": ("scored", "获得体验分"),
        "milestone.enters.growth_stage": (
            "growth stage",
            "进入成长期（周期内有效支付订单少于 {min} 笔）",
        ),
        "milestone.enters.no_data": ("no data", "变为数据不足"),
        "milestone.status.scored": ("scored", "已评分"),
        "milestone.status.growth_stage": ("growth stage", "成长期"),
        "milestone.status.no_data": ("no data", "数据不足"),
        # the day's score and what it crosses: "4.49 (falls below 4.50; 4 stars)"
        "milestone.rises": ("{score} ({notes})", "升至 {score}（{notes}）"),
        "milestone.falls": ("{score} ({notes})", "降至 {score}（{notes}）"),
        "note.reaches": ("reaches {threshold}", "达到 {threshold}"),
        "note.falls_below": ("falls below {threshold}", "跌破 {threshold}"),
        "note.reaches_minimum": (
            "reaches the assessment minimum {threshold}",
            "达到考核最低分 {threshold}",
        ),
        "note.falls_below_minimum": (
            "falls below the assessment minimum {threshold}",
            "跌破考核最低分 {threshold}",
        ),
        "note.stars": ("{stars} stars", "{stars} 星"),
        "when.on": (" on {date}", "{date} 将"),
        "when.growth": (
            " on {date} (fewer than {min} valid orders paid in the window)",
            "{date} 将",  # the reason is in milestone.enters.growth_stage
        ),
        "when.leaving_one": (
            " on {date} when {events} rolls off",
            "{date} 随着 {events}移出考核期，将",
        ),
        "when.leaving_many": (
            " on {date} when {events} roll off",
            "{date} 随着 {events}移出考核期，将",
        ),
        "diagnose_title": ("Shop {shop}: {score} ({status})", "店铺 {shop}：{score}（{status}）"),
        "projection_title": ("Projection: unchanged data", "预测：数据不变"),
        "more_rows": ("… {count} more", "… 另 {count} 个"),
        "diagnose_events_title": (
            "Events counting against the score ({count}; all of them with -f csv)",
            "扣分事件（{count} 个；-f csv 列出全部）",
        ),
        "diagnose_footer": (
            "as of {as_of}; window ({start}, {end}] = {days} days; points lost = overall "
            "weight × (5 − sub-score); an event leaves the window {days} days after its anchor",
            "截至 {as_of}；考核周期 ({start}, {end}] = {days} 天；失分 = 总权重 × (5 − 得分)；"
            "事件在其发生 {days} 天后移出考核期",
        ),
        "projection_footer": (
            "projection {first} → {last} (end of each day, unchanged data): {today} {spark} {end}",
            "预测 {first} → {last}（每天结束时，数据不变）：{today} {spark} {end}",
        ),
        "no_milestone": (
            "projection: no tier, star or assessment-minimum ({minimum}) boundary crossed",
            "预测：不会跨过层级、星级或考核最低分（{minimum}）的界线",
        ),
    }
)

# `svc plan` and `svc simulate --fix` (``Message`` keys of plan.py).
_add(
    {
        "plan.one.neg_feedback_rate": (
            "1 negative-feedback order fewer (a review rated ≤ 2 or a quality refund)",
            "减少 1 笔负反馈订单（≤ 2 星评价或质量问题退款）",
        ),
        "plan.many.neg_feedback_rate": (
            "{k} fewer negative-feedback orders (reviews rated ≤ 2 or quality refunds)",
            "减少 {k} 笔负反馈订单（≤ 2 星评价或质量问题退款）",
        ),
        "plan.one.good_review_rate": (
            "turn 1 review rated ≤ 3 into 4–5",
            "把 1 条 ≤ 3 星评价变为 4–5 星",
        ),
        "plan.many.good_review_rate": (
            "turn {k} reviews rated ≤ 3 into 4–5",
            "把 {k} 条 ≤ 3 星评价变为 4–5 星",
        ),
        "plan.one.pickup_48h_rate": (
            "ship 1 more order within 48 h of payment",
            "多 1 笔订单在付款后 48 小时内发货",
        ),
        "plan.many.pickup_48h_rate": (
            "ship {k} more orders within 48 h of payment",
            "多 {k} 笔订单在付款后 48 小时内发货",
        ),
        "plan.one.delivery_hours": (
            "bring 1 delivery down to {anchor} h (the largest delay)",
            "把 1 笔配送缩短到 {anchor} 小时（延误最大的）",
        ),
        "plan.many.delivery_hours": (
            "bring {k} deliveries down to {anchor} h (largest delays first)",
            "把 {k} 笔配送缩短到 {anchor} 小时（延误最大的优先）",
        ),
        "plan.one.refund_hours": (
            "handle 1 refund within {anchor} h (the slowest)",
            "1 笔退款在 {anchor} 小时内处理完（最慢的）",
        ),
        "plan.many.refund_hours": (
            "handle {k} refunds within {anchor} h (slowest first)",
            "{k} 笔退款在 {anchor} 小时内处理完（最慢的优先）",
        ),
        "plan.one.help_rate": ("1 escalation fewer", "减少 1 次平台求助"),
        "plan.many.help_rate": ("{k} fewer escalations", "减少 {k} 次平台求助"),
        "plan.one.response_3min_rate": (
            "answer 1 more chat within 3 minutes",
            "多 1 次咨询在 3 分钟内回复",
        ),
        "plan.many.response_3min_rate": (
            "answer {k} more chats within 3 minutes",
            "多 {k} 次咨询在 3 分钟内回复",
        ),
        "plan.one.satisfaction_rate": (
            "turn 1 unsatisfied chat rating into 4–5",
            "把 1 个不满意的会话评价变为 4–5 分",
        ),
        "plan.many.satisfaction_rate": (
            "turn {k} unsatisfied chat ratings into 4–5",
            "把 {k} 个不满意的会话评价变为 4–5 分",
        ),
        "plan.service": (
            "add the special service {service} ({zh}, +{points})",
            "加入特色服务 {service}（+{points}）",
        ),
        "plan.no_score": (
            "shop {shop} has no score ({status}): fixing events does not change it",
            "店铺 {shop} 没有体验分（{status}）：处理事件不会改变这一点",
        ),
        "plan.out_of_reach": (
            "{target} is out of reach: with every event fixed and every candidate service "
            "added the score is {best}",
            "{target} 无法达到：处理全部事件并加入所有可选特色服务后体验分为 {best}",
        ),
        "plan_title": (
            "Shop {shop}: {before} → {after} (target {target}), cost {cost}",
            "店铺 {shop}：{before} → {after}（目标 {target}），成本 {cost}",
        ),
        "plan_title_out_of_reach": (
            "Shop {shop}: {before}, target {target} out of reach",
            "店铺 {shop}：{before}，目标 {target} 无法达到",
        ),
        "plan_done": ("already at {target}: nothing to do", "已达到 {target}：无需行动"),
        "plan_footer": (
            "as of {as_of}; window ({start}, {end}]; costs from the config [plan]: event "
            "{event}, service {service} unless set per indicator or service; -f csv lists the "
            "events to fix (ids as in `svc diagnose`)",
            "截至 {as_of}；考核周期 ({start}, {end}]；成本取自配置 [plan]：每个事件 {event}、"
            "每项特色服务 {service}（可按指标或服务单独设定）；-f csv 列出要处理的事件"
            "（编号同 `svc diagnose`）",
        ),
        "fix_events": ("fix {count} {indicator} event(s)", "处理 {count} 个{indicator}事件"),
        "ways_plan_footer": (
            "the ways above change rates; in whole events from the data before the changes "
            "(svc plan, cost {cost}): {actions}",
            "以上途径按比率调整；按整数个事件、从调整前的数据出发（svc plan，成本 {cost}）：{actions}",
        ),
        "ways_plan_hint": (
            "the ways above change rates; svc plan gives the cheapest way in whole events",
            "以上途径按比率调整；svc plan 给出按整数个事件、成本最低的方案",
        ),
    }
)

# `svc trend`.
_add(
    {
        "month_group": ("month", "月份"),
        "every.day": ("day", "天"),
        "every.week": ("week", "周"),
        "every.month": ("month", "月"),
        "trend_title": (
            "Shop {shop}: {start} → {end}, every {every}, window {days} days",
            "店铺 {shop}：{start} → {end}，每{every}一点，考核周期 {days} 天",
        ),
        "trend_footer": (
            "each point is the score (or the indicator's value) as of the end of that day (= svc "
            "score --as-of DAY), over the {days} days before it; periods are calendar "
            "{every}s{monday}, the last one cut at {end}; change = since the previous point, in "
            "the indicator table last − first (pp = percentage points)",
            "每个点是当天结束时的体验分或指标值（= svc score --as-of 当天），按其前 {days} 天计算；"
            "周期为自然{every}{monday}，最后一个截至 {end}；变化 = 与上一个点相比，指标表中为最后一点减第一点",
        ),
        "monday_to_sunday": (" (Monday to Sunday)", "（周一至周日）"),
        "change.points": ("{value} pp", "{value} 个百分点"),
    }
)

# `svc agents` (``Message`` keys of agents.py).
_add(
    {
        "agent.short.response": (
            "response sample {n} sessions in service hours < {min}",
            "响应样本：服务时间内会话 {n} < {min}",
        ),
        "agent.short.satisfaction": (
            "satisfaction sample {n} rated sessions < {min}",
            "满意度样本：已评价会话 {n} < {min}",
        ),
        "agent.short.qa": (
            "QA sample {n} scored sessions < {min}",
            "质检样本：已质检会话 {n} < {min}",
        ),
        "list.1": ("{a}", "{a}"),
        "list.2": ("{a}, {b}", "{a}、{b}"),
        "list.3": ("{a}, {b}, {c}", "{a}、{b}、{c}"),
        "list.4": ("{a}, {b}, {c}, {d}", "{a}、{b}、{c}、{d}"),
        "agent.for_level": ("for {level}: {gaps}", "距{level}：{gaps}"),
        "agent.gap.sessions": ("sessions {value} < {min}", "会话 {value} < {min}"),
        "agent.gap.response": ("3-min response {value} < {min}", "3分钟响应率 {value} < {min}"),
        "agent.gap.satisfaction": ("satisfaction {value} < {min}", "满意度 {value} < {min}"),
        "agent.gap.qa": ("QA {value} < {min}", "质检分 {value} < {min}"),
        "agent.level": (
            "{name} ({zh}): sessions ≥ {sessions}, response ≥ {response}, satisfaction ≥ "
            "{satisfaction}, QA ≥ {qa}",
            "{zh}：会话 ≥ {sessions}，响应率 ≥ {response}，满意度 ≥ {satisfaction}，质检分 ≥ {qa}",
        ),
        "window_days_footer": (
            "as of {as_of}; window ({start}, {end}] = {days} days",
            "截至 {as_of}；考核周期 ({start}, {end}] = {days} 天",
        ),
        "agents_levels": ("levels: {levels}", "等级：{levels}"),
        "agents_samples": (
            "samples: response needs ≥ {sessions} sessions in service hours, satisfaction ≥ "
            "{rated} rated sessions, QA ≥ {qa} scored session(s) when qa_score was provided",
            "样本要求：响应率需服务时间内会话 ≥ {sessions}，满意度需已评价会话 ≥ {rated}，"
            "提供质检分时需已质检会话 ≥ {qa}",
        ),
        "agents_what_if": (
            "what-if: every agent below {level} (including those not graded) reaches {level}'s "
            "response and satisfaction rates, in whole sessions; the shop is re-scored through "
            "the same model (only assessed indicators change)",
            "假设：低于{level}的客服（含样本不足的）都达到{level}的响应率和满意度（按整数个会话），"
            "店铺用同一模型重新评分（只有已考核的指标会变）",
        ),
        "agents.chats_not_provided": (
            "chats not provided (no chat export loaded for this shop): its agents are not measured",
            "未提供客服会话（没有为该店铺导入会话导出文件）：无法衡量其客服",
        ),
        "agents.no_qa": (
            "qa_score not provided; the QA criterion is skipped in grading",
            "未提供质检分；评级时不看质检标准",
        ),
        "lake.coverage_inferred": (
            "{source} has no data coverage (no coverage/ files): the inputs provided are "
            "inferred from the rows, per shop (an input counts when any of the shop's rows "
            "has a value for it); see docs/parquet-format.md",
            "{source} 没有数据覆盖记录（无 coverage/ 文件）：各店铺已提供的数据由数据行推断"
            "（店铺任一行有该项的值即算已提供）；见 docs/parquet-format.md",
        ),
        "agents.no_agent": (
            "no chat session with an agent_id in the window",
            "周期内没有带客服编号的会话",
        ),
        "refunds.not_provided": ("refund requests not provided — {how}", "未提供退款申请 —— {how}"),
        "trend.input_begins_later": (
            "shop {shop}: its {input} begin on {begins}, long after its first order: the "
            "points whose window starts before then read {indicators} without them (an input "
            "counts as provided for the shop, not per period)",
            "店铺 {shop}：其{input}从 {begins} 才开始，远晚于第一笔订单：考核周期早于该日开始的点，"
            "{indicators} 是在没有这些数据的情况下计算的（数据是否提供按店铺记录，而不是按时期）",
        ),
        "tiers.partly_scored": (
            "the tiers pool shops scored on fewer than all {total} indicators: {shops} (the "
            "number assessed); their tiers rest on less (svc score --shop ID says what was "
            "not measured)",
            "层级汇总中包含未按全部 {total} 项指标评分的店铺：{shops}（括号内为已考核指标数）；"
            "它们的层级依据较少（svc score --shop 店铺编号 会说明哪些没有衡量）",
        ),
        "service.chats_match_no_order": (
            "no customer id of its chats is a customer id of its orders, so no first-time "
            'customer is in the "chat unanswered" group (are the chat export\'s ids in '
            "another form, a nickname for an account id?)",
            "其咨询记录中的顾客编号与订单中的顾客编号无一相同，因此“咨询3分钟未回复”组中没有新客"
            "（咨询导出中的编号是否是另一种形式，如昵称而非账号编号？）",
        ),
        "service.groups_not_provided": (
            "not provided for {groups}; its customers are left out of those groups and "
            "'nothing went wrong' is as far as its data shows",
            "{groups} 所需数据未提供；其顾客不计入这些分组，「一切正常」仅就其数据所见",
        ),
        "agents.def.sessions": (
            "Sessions started in the window; sessions without an agent_id are left out of the "
            "agents (but counted in the shop's totals).",
            "统计周期内开始的会话；没有客服编号的会话不计入客服（但计入店铺合计）。",
        ),
        "agents.def.metrics": (
            "response_3min_rate = sessions started 08:00-23:00 answered within 180 s / sessions "
            "started 08:00-23:00 (never answered = late); mean_first_response_seconds over "
            "answered sessions; satisfaction_rate = sessions rated 4-5 / rated sessions; "
            "qa_score = mean of the QA scores given.",
            "3分钟人工响应率 = 08:00-23:00 开始且 180 秒内回复的会话 / 08:00-23:00 开始的会话"
            "（未回复算超时）；平均首次响应按已回复会话计算；旺旺满意度 = 评 4-5 分的会话 / "
            "已评价会话；质检分 = 已给质检分的平均值。",
        ),
        "agents.def.grade": (
            "grade = the highest level whose every minimum the agent meets (sessions, response, "
            "satisfaction, QA when provided); not_graded when a metric lacks its sample; none "
            "when below every level.",
            "客服等级 = 各项最低要求（会话数、响应率、满意度、提供时的质检分）都满足的最高等级；"
            "某项样本不足时为样本不足；低于所有等级时为未达等级。",
        ),
        "agents.def.points": (
            "points lost (share) = the agent's sessions not answered within 3 minutes (or rated "
            "1-3) / the shop's, times the points the shop loses on that indicator.",
            "失分（分摊）= 该客服 3 分钟内未回复（或评 1-3 分）的会话 / 全店的此类会话，"
            "乘以店铺在该指标上的失分。",
        ),
    }
)

# `svc report refunds`, `svc report repeat`, `svc report service-repurchase`.
_add(
    {
        "refunds.def.requests": (
            "requests = refunds requested in the window (refund_requested_at in (start, as_of]); "
            "status as of the as-of instant: withdrawn (retained by the shop), completed (by "
            "as_of), rejected, open (still requested, or completed after as_of).",
            "退款申请 = 周期内申请的退款（申请时间在考核周期内）；状态以截至时刻为准：挽回"
            "（买家撤销）、退款成功（截至时刻前完成）、已拒绝、处理中（仍在申请中，或截至时刻后才完成）。",
        ),
        "refunds.def.retention": (
            "retention_rate = withdrawn / (withdrawn + completed + rejected), null when none is "
            "final; retained_amount = sum of the paid amount of the orders whose request was "
            "withdrawn.",
            "挽单率 = 挽回 / (挽回 + 退款成功 + 已拒绝)，都未结束时为空；挽回金额 = "
            "退款申请被撤销的订单的实付金额之和。",
        ),
        "refunds.def.stage": (
            "stage: before_shipping = requested while the order was not shipped yet (shipped_at "
            "empty or later than the request); after_shipping otherwise.",
            "阶段：发货前 = 申请时订单尚未发货（没有发货时间或发货晚于申请）；否则为发货后。",
        ),
        "refunds.def.handling": (
            "median_handling_hours = median hours request -> completion over completed requests.",
            "处理时长中位数 = 已完成退款从申请到完成的小时数的中位数。",
        ),
        "refunds_by_month": (" / month", " / 按月"),
        "withdrawn_quality_note": (
            "{shop}: {count} retained quality/not-as-described request(s) still count as "
            "negative feedback",
            "{shop}：{count} 笔已挽回的质量问题/描述不符退款申请仍计入负反馈",
        ),
        "last_observed_footer": (
            "as of {as_of}; last observed day {last}",
            "截至 {as_of}；数据最后一天 {last}",
        ),
        "repeat.def.common": (
            "Valid orders with a customer id; a customer's orders on one calendar day (of "
            "paid_at) count once; first-time customer = first order day with the shop in the data.",
            "仅计有顾客编号的有效订单；同一顾客同一自然日（按支付时间）的订单只计一次；"
            "新客 = 在数据中首次于该店下单的顾客，自其首个下单日起计。",
        ),
        "repeat.def.rr": (
            "repeat rate = rr_{n}d: first-time customers ordering again within {n} days after "
            "their first order day / those whose {n} days are fully observed (spec §9).",
            "复购率（{n}天）= 首单后 {n} 天内再次下单的新客 / {n} 天已完整观测的新客。",
        ),
        "repeat.def.gap": (
            "days to second order = second order day - first order day, over customers who have "
            "ordered twice (those who have not yet are left out, so it is short of the truth); "
            "median = middle value (mean of the two middle ones); p25/p75/p90 = nearest rank.",
            "第二单间隔 = 第二次下单日 - 首次下单日，只计已下过两次单的顾客（尚未复购的不计，"
            "所以偏短）；中位数 = 中间值（偶数个时取中间两个的平均）；25/75/90 分位 = 最近秩。",
        ),
        "repeat.def.first": (
            "first order = the customer's earliest valid order (by paid_at, then order_id).",
            "首单 = 顾客最早的有效订单（按支付时间，再按订单编号）。",
        ),
        "repeat.def.bins": (
            "histogram bins: up to {bins} days, then more.",
            "分组：不超过 {bins} 天，以及更长。",
        ),
        "repeat.def.bands": (
            "amount band = [lower, next lower) of the first order's paid amount, bands from "
            "{bands}.",
            "金额段 = 首单实付金额所在的区间（不低于本段下限、低于下一段下限），各段下限为 {bands}。",
        ),
        "repeat.def.cohorts": (
            "cohort = calendar month of the first order; month k = share of the cohort whose "
            "second order day falls in or before the k-th calendar month after it (cumulative); "
            "months not begun by the last observed day are null, not 0.",
            "首购月份 = 首单所在自然月；第k月 = 第二次下单日在其后第k个自然月或之前的顾客占比"
            "（累计）；到数据最后一天尚未开始的月份为空（不是 0）。",
        ),
        "repeat.def.overdue": (
            "overdue = a customer with at least 2 order days and no order for {factor} x their "
            "own mean interval: (last observed day - last order day) >= {factor} x (last order "
            "day - first order day) / (order days - 1).",
            "待唤回 = 至少有 2 个下单日、且已超过自身平均间隔 {factor} 倍未下单的顾客：(数据最后一天 "
            "- 最近下单日) ≥ {factor} × (最近下单日 - 首次下单日) / (下单天数 - 1)。",
        ),
        "repeat.def.overdue_ids": (
            "customer ids are shown because --view overdue asks for them.",
            "此视图需要顾客编号，因此显示。",
        ),
        "service.def.first": (
            "First-time customer = first valid order day with the shop in the data; their first "
            "order = the valid orders of that day.",
            "新客 = 在数据中首次于该店有效下单的顾客；其首单 = 首个有效下单日的有效订单。",
        ),
        "service.def.groups": (
            "late_shipping: a first order due for pickup not shipped within 48 h of payment "
            "(spec §9); unanswered_chat: a chat of the customer started on the first order day or "
            "within {days} days after, not answered within 180 s (or never); refund_requested: a "
            "refund requested on a first order (retained = withdrawn by the buyer); bad_review: "
            "a review rated 1-2 on a first order; nothing_went_wrong: none of these, as far as "
            "the shop's data shows. Groups overlap.",
            "发货超时：应揽收的首单未在付款后 48 小时内发货；咨询3分钟未回复：顾客在首单日或其后 "
            "{days} 天内发起的咨询 180 秒内未回复（或从未回复）；申请过退款：首单申请过退款"
            "（被挽回 = 买家撤销）；差评：首单的 1-2 星评价；一切正常：就店铺数据所见以上都没有。"
            "各组有重叠。",
        ),
        "service.def.rr": (
            "rr_Nd = first-time customers ordering again within N days after their first order "
            "day / those whose N days are fully observed (spec §9).",
            "N天复购率 = 首单日后 N 天内再次下单的新客 / N 天已完整观测的新客。",
        ),
        "service.def.intervals": (
            "Intervals: {confidence} Wilson score intervals for the rates; for the tier "
            "ratios, a percentile bootstrap over customers, {resamples} resamples, seed {seed} "
            "(reproducible).",
            "区间：复购率用 {confidence} Wilson 得分区间；层级之比按顾客做百分位自助法，"
            "重抽样 {resamples} 次，随机种子 {seed}（可复现）。",
        ),
        "service.def.tiers": (
            "Tiers: each shop's tier scored at the same as-of with the scoring window; rates "
            "are pooled over the tier's first-time customers.",
            "层级：各店层级按同一截至时刻和考核周期评分；复购率按层级内全部新客合并计算。",
        ),
        "service.claim": (
            "the platform says good-service shops see about {ratio}x the repurchase of others "
            "(2026 merchant-service announcement)",
            "平台称服务好的店铺复购约为其他店铺的 {ratio} 倍（2026 年商家服务公告）",
        ),
        "service_footer": (
            "as of {as_of}; last observed day {last}; tiers scored over ({start}, {end}] = "
            "{days} days",
            "截至 {as_of}；数据最后一天 {last}；层级按 ({start}, {end}] = {days} 天评分",
        ),
        "platform_claim_line": ("Platform claim: {statement}.", "平台宣称：{statement}。"),
        "claim_inside": ("inside", "在区间内"),
        "claim_outside": ("outside", "在区间外"),
        "claim_unmeasurable": ("not measurable (too few customers)", "无法判断（顾客太少）"),
        "claim_check": (
            "This data, rr_{n}d: high / low = {ratio}× (interval {low}–{high}); the "
            "platform's {claim}× is {where} it.",
            "本数据 {n}天复购率：高 / 低 = {ratio}×（区间 {low}–{high}）；平台的 {claim}× {where}。",
        ),
    }
)

# Errors: what handle_errors prints (``SvcError`` messages and hints that are ``Message``s).
_add(
    {
        "error_prefix": ("Error: ", "错误："),
        "hint_prefix": ("Hint: ", "提示："),
        "interrupted": ("Interrupted.", "已中断。"),
        "error.internal": ("internal error: {error}", "内部错误：{error}"),
        "hint.internal": (
            "rerun with SVC_DEBUG=1 for a traceback and report it",
            "设置 SVC_DEBUG=1 重新运行以查看回溯信息，并报告此问题",
        ),
        "error.damaged_file": (
            "the database file is damaged: {error}",
            "数据库文件已损坏：{error}",
        ),
        "hint.restore_backup": (
            "restore it from a backup, or load the exports again into a new database",
            "请从备份恢复，或把导出文件重新导入一个新数据库",
        ),
        "error.file_not_found": ("{file}: file not found", "{file}：文件不存在"),
        "error.empty_file": (
            "{file}: file is empty (0 bytes or blank); expected a header line",
            "{file}：文件是空的（0 字节或只有空白）；应有一行表头",
        ),
        "hint.empty_file": (
            "export the file again; a file with only a header line is a valid empty export",
            "请重新导出；只有表头一行的文件是有效的空导出",
        ),
        "error.field_count": (
            "{file}:{line}: {count} fields where the header has {columns}",
            "{file}:{line}：有 {count} 个字段，而表头有 {columns} 列",
        ),
        "hint.field_count": (
            "is a field's quote not closed, or the line truncated or joined with the next? "
            "Fix or remove the line: --skip-invalid skips rows with invalid values, not lines "
            "that do not split into the header's fields",
            "是否有字段的引号没有闭合，或该行被截断、与下一行连在了一起？请修正或删除该行："
            "--skip-invalid 只跳过取值无效的行，不跳过无法按表头拆分成字段的行",
        ),
        "error.line_length": (
            "{file}: the line is {length} bytes long; svc reads lines of at most {limit} bytes",
            "{file}：这一行长 {length} 字节；svc 读取的行最多 {limit} 字节",
        ),
        "error.line_over": (
            "{file}: the line is over {length} bytes; svc reads lines of at most {limit} bytes",
            "{file}：这一行超过 {length} 字节；svc 读取的行最多 {limit} 字节",
        ),
        "error.a_line_over": (
            "{file}: a line is longer than {length} bytes; svc reads lines of at most {limit} bytes",
            "{file}：有一行超过 {length} 字节；svc 读取的行最多 {limit} 字节",
        ),
        "hint.line_too_long": (
            "is a quote never closed, or a cell holding a huge text? shorten or remove it",
            "是否有引号没有闭合，或某个单元格存放了超长的文本？请缩短或删除它",
        ),
        "error.not_utf8": ("{file}: bytes that are not UTF-8", "{file}：有不是 UTF-8 的字节"),
        "error.wrong_fields": (
            "{file}: wrong number of fields ({detail})",
            "{file}：字段数不对（{detail}）",
        ),
        "hint.wrong_fields": (
            "is the last line truncated, or a field's quote not closed?",
            "最后一行是否被截断，或有字段的引号没有闭合？",
        ),
        "error.cannot_parse_csv": (
            "{file}: cannot parse CSV: {reason}",
            "{file}：无法解析 CSV：{reason}",
        ),
        "error.quote_not_closed": (
            "{file}: a quoted field is never closed (is the file truncated?)",
            "{file}：有带引号的字段没有闭合（文件是否被截断？）",
        ),
        "hint.quote_not_closed": (
            're-export the file; embedded quotes must be doubled ("")',
            '请重新导出文件；字段内的引号必须写成两个（""）',
        ),
        "error.truncated": (
            "{file}:{line}: the file ends in the middle of a record ({count} of {columns} "
            "fields, no final newline): it looks truncated",
            "{file}:{line}：文件在一条记录中间结束（{columns} 列中只有 {count} 列，末尾没有换行）："
            "看起来被截断了",
        ),
        "error.cut_in_character": (
            "{file}: the file ends in the middle of a character ({bytes} begins a {encoding} "
            "character that is never finished): it looks truncated",
            "{file}：文件在一个字符中间结束（{bytes} 是一个 {encoding} 字符的开头，但没有写完）："
            "看起来被截断了",
        ),
        "hint.download_again": (
            "export or download the file again",
            "请重新导出或下载该文件",
        ),
        "error.preset_missing_columns": (
            "{file}: missing required column(s) {wanted} for preset {preset}",
            "{file}：缺少预设 {preset} 必需的列 {wanted}",
        ),
        "wanted_column": ("{headers} (for {field})", "{headers}（用作 {field}）"),
        "header_list": ("{first}, {second}", "{first}、{second}"),
        "hint.preset_missing_columns": (
            "found columns: {found}; map one with --map {column}=HEADER",
            "文件中的列：{found}；可用 --map {column}=表头 映射",
        ),
        "error.no_preset": (
            "{file}: no preset recognises this export (header: {header})",
            "{file}：没有预设能识别此导出文件（表头：{header}）",
        ),
        "error.no_orders_for_reviews": (
            "{file}: no order is loaded, so none of its reviews has its order",
            "{file}：尚未导入任何订单，因此其中的评价都找不到对应的订单",
        ),
        "hint.load_orders_with": (
            "load the orders in the same command or before (an orders file with only a header "
            "has none): svc load DB ORDERS --reviews FILE",
            "请在同一条命令中或之前导入订单（只有表头的订单文件不含订单）：svc load DB ORDERS --reviews FILE",
        ),
        "hint.shops_file": (
            "this looks like a shops file: give it with --shops FILE (svc load DB ORDERS "
            "--shops FILE)",
            "这看起来是店铺文件：请用 --shops FILE 给出（svc load DB ORDERS --shops FILE）",
        ),
        "hint.other_separator": (
            "the header looks separated by {separator}: svc reads comma- or tab-separated "
            "files; save it as CSV (comma-separated) and load it again",
            "表头似乎以 {separator} 分隔：svc 读取逗号或制表符分隔的文件；请另存为 CSV（逗号分隔）后重新导入",
        ),
        "hint.no_preset": (
            "force one with --preset NAME (see `svc inspect` / docs/presets.md), or map the "
            "columns with --map order_id=HEADER … or a TOML mapping file",
            "用 --preset NAME 指定预设（见 `svc inspect` / docs/presets.md），或用 "
            "--map order_id=表头 … 或 TOML 映射文件映射各列",
        ),
        "error.not_encoding": (
            "{file}:{line}: bytes that are not {encoding} ({bytes}): a wrong encoding, or a "
            "file that mixes encodings",
            "{file}:{line}：这些字节不是 {encoding}（{bytes}）：编码不对，或文件混用了多种编码",
        ),
        "hint.bad_bytes": (
            "if the rest of the file is {encoding}, fix or remove these bytes (a damaged or "
            "hand-edited export; re-exporting it is safest); if it is not, give its "
            "encoding with --encoding (utf-8, gb18030, cp1252, cp932)",
            "如果文件其余部分是 {encoding}，请修正或删除这些字节（导出文件损坏或被手工改过；"
            "最稳妥的是重新导出）；如果不是，请用 --encoding 指定它的编码（utf-8、gb18030、"
            "cp1252、cp932）",
        ),
        "hint.encoding": (
            "give the encoding with --encoding (utf-8, gb18030, cp1252, cp932); an export "
            "from a Chinese system is usually gb18030",
            "用 --encoding 指定编码（utf-8、gb18030、cp1252、cp932）；中文系统导出的文件"
            "通常是 gb18030",
        ),
        "error.directory_not_csv": (
            "{file}: is a directory, expected a CSV file",
            "{file}：是文件夹，应为 CSV 文件",
        ),
        "error.directory_not_export": (
            "{file}: is a directory, expected an export file",
            "{file}：是文件夹，应为导出文件",
        ),
        "error.not_duckdb": (
            "{file} is not a DuckDB database (an export file? the database comes first)",
            "{file} 不是 DuckDB 数据库（是导出文件吗？数据库要放在最前面）",
        ),
        "hint.not_duckdb": (
            "give the database written by `svc load` first: svc load shop.duckdb orders.csv, "
            "then svc score shop.duckdb; or score an export without a database: "
            "svc score --orders orders.csv",
            "先给出 `svc load` 写入的数据库：svc load shop.duckdb orders.csv，然后 "
            "svc score shop.duckdb；或不建数据库、直接对导出文件评分：svc score --orders orders.csv",
        ),
        "error.db_not_found": ("database not found: {file}", "数据库不存在：{file}"),
        "hint.db_create": (
            "create it with `svc load {file} orders.csv`",
            "用 `svc load {file} orders.csv` 创建",
        ),
        "error.no_data": (
            "no data loaded: there is nothing to compute",
            "未导入数据：没有可计算的内容",
        ),
        "hint.no_data": (
            "load exports first with `svc load DB orders.csv`",
            "请先用 `svc load DB orders.csv` 导入导出文件",
        ),
        "error.no_orders": (
            "no orders loaded: there is nothing to compute (a header-only export loads no rows)",
            "未导入订单：没有可计算的内容（只有表头的导出不含数据行）",
        ),
        "hint.no_orders": (
            "load an orders export with data rows, e.g. svc load DB orders.csv; svc info DB "
            "shows what a database holds",
            "请导入含数据行的订单导出文件，例如 svc load DB orders.csv；svc info DB 可查看数据库中的内容",
        ),
        "error.stdin_twice": (
            "standard input (-) is given {count} times ({inputs}); it can be read only once",
            "标准输入（-）被指定了 {count} 次（{inputs}）；它只能读取一次",
        ),
        "hint.stdin_twice": (
            "read one input from standard input and give the others as files (save them "
            "first, e.g. … > reviews.csv)",
            "只让一个输入读取标准输入，其余输入以文件给出（先保存，例如 … > reviews.csv）",
        ),
        "error.output_is_folder": (
            "cannot write {path}: it is a folder; nothing was written",
            "无法写入 {path}：这是一个文件夹；未写入任何内容",
        ),
        "hint.output_is_folder": (
            "-o takes a file path, e.g. {example}",
            "-o 需要文件路径，例如 {example}",
        ),
        "error.output_no_folder": (
            "cannot write {path}: folder {folder} does not exist; nothing was written",
            "无法写入 {path}：文件夹 {folder} 不存在；未写入任何内容",
        ),
        "error.output_not_a_folder": (
            "cannot write {path}: {folder} is not a folder; nothing was written",
            "无法写入 {path}：{folder} 不是文件夹；未写入任何内容",
        ),
        "hint.output_other_path": ("give another path", "请换一个路径"),
        "hint.output_folder": (
            "create the folder first, or give another path",
            "请先创建该文件夹，或换一个路径",
        ),
        "invalid_rows.load": (
            "{total} invalid row(s); nothing was loaded",
            "{total} 行无效数据；未导入任何内容",
        ),
        "invalid_rows.load_hint": (
            "fix the rows and load again, or use --skip-invalid to load the valid rows and "
            "write the invalid ones to a rejects CSV",
            "修正这些行后重新导入，或用 --skip-invalid 导入有效行，并把无效行写入一个单独的 CSV",
        ),
        "invalid_rows.files": (
            "{total} invalid row(s) in the input files; nothing was computed",
            "输入文件中有 {total} 行无效数据；未进行计算",
        ),
        "invalid_rows.files_hint": (
            "fix the rows and run the command again; or load the file with `svc load DB FILE "
            "--skip-invalid` (the invalid rows go to a rejects CSV) and run the command on "
            "the database",
            "修正这些行后重新运行；或用 `svc load DB FILE --skip-invalid` 导入该文件"
            "（无效行写入一个单独的 CSV），再对数据库运行此命令",
        ),
        "invalid_rows.first": ("{head}. First: {problem}", "{head}。第一处：{problem}"),
        "invalid_rows.more": ("… and {count} more invalid row(s)", "… 另有 {count} 行无效数据"),
        "row_problem": (
            "{file}:{line}: column {column}: {reason} (got {value})",
            "{file}:{line}：列 {column}：{reason}（值为 {value}）",
        ),
        "row_problem_in_reason": (
            "{file}:{line}: column {column}: {reason}",
            "{file}:{line}：列 {column}：{reason}",
        ),
        # a platform export's rows the preset cannot read (``svc_cli.presets.base``)
        "preset_problem": (
            "{file}:{line}: column {column}: {reason} (got {value}; preset {preset})",
            "{file}:{line}：列 {column}：{reason}（值为 {value}；预设 {preset}）",
        ),
        "preset_more_invalid": (
            "{first} (and {count} more invalid row(s))",
            "{first}（另有 {count} 行无效）",
        ),
        "hint.preset_invalid": (
            "fix the file, map the column with --map, or use --skip-invalid to skip the "
            "invalid rows",
            "修正文件、用 --map 指定该列，或用 --skip-invalid 跳过无效的行",
        ),
        "error.not_a_header": (
            "{file}: line 1 is not a header line ({detail})",
            "{file}：第 1 行不是表头（{detail}）",
        ),
        "hint.not_a_header": (
            "is this an export file? a header has column names separated by commas or tabs",
            "这是导出文件吗？表头是用逗号或制表符分隔的列名",
        ),
        "error.header_too_long": (
            "{file}: line 1 is longer than {limit} MiB; expected a header line",
            "{file}：第 1 行超过 {limit} MiB；应为一行表头",
        ),
        "error.cannot_read": (
            "{file}: cannot read file: {detail}",
            "{file}：无法读取文件：{detail}",
        ),
        # what a library or the OS says when a file cannot be read (read.read_detail):
        # English as it was said, Chinese for the ones svc knows
        "detail.gzip_truncated": (
            "{text}",
            "gzip 数据在结束标记之前就中断了（文件不完整，可能被截断）",
        ),
        "detail.not_gzip": ("{text}", "不是有效的 gzip 文件"),
        "detail.gzip_damaged": ("{text}", "gzip 数据已损坏（{text}）"),
        "detail.permission": ("{text}", "没有读取权限"),
        "detail.not_found": ("{text}", "文件不存在"),
        "detail.is_directory": ("{text}", "是文件夹，不是文件"),
        "detail.io": ("{text}", "读取出错（磁盘或网络存储故障？）"),
        "error.mixed_utf8_first": (
            "{file}: mixed encodings: earlier lines are UTF-8 but line {line} is not",
            "{file}：编码混杂：前面的行是 UTF-8，第 {line} 行不是",
        ),
        "error.mixed_utf8_later": (
            "{file}: mixed encodings: earlier lines are not UTF-8 (GBK/GB18030?) but line "
            "{line} is UTF-8",
            "{file}：编码混杂：前面的行不是 UTF-8（GBK/GB18030？），第 {line} 行是 UTF-8",
        ),
        "hint.mixed_encodings": (
            "the file was probably pieced together from exports saved with different "
            "encodings; re-save it in one encoding (UTF-8)",
            "该文件可能由不同编码保存的导出文件拼接而成；请用同一种编码（UTF-8）重新保存",
        ),
        "error.unknown_encoding": (
            "{file}: cannot tell the text encoding: not UTF-8",
            "{file}：无法判断文本编码：不是 UTF-8",
        ),
        "error.guessed_encoding": (
            "{file}: cannot tell the text encoding: not UTF-8; best guess {encoding} "
            "({share} plausible characters)",
            "{file}：无法判断文本编码：不是 UTF-8；最可能是 {encoding}（{share} 的字符合理）",
        ),
        "error.empty_header": (
            "{file}: the first line is empty; expected a header line",
            "{file}：第一行是空的；应为一行表头",
        ),
        "hint.empty_header": (
            "export the file again; a file with only a header line is a valid empty export",
            "请重新导出；只有表头的文件是合法的空导出",
        ),
        "error.column_twice": (
            "{file}:1: column {column} appears twice in the header (columns {first} and {second})",
            "{file}:1：列 {column} 在表头中出现了两次（第 {first} 列和第 {second} 列）",
        ),
        "hint.column_twice": ("remove or rename the duplicated column", "删除或重命名重复的列"),
        "error.long_number_cell": (
            "{file}:{line}: column {column}: {value} is stored as a number, and a number of "
            "16 or more digits cannot be kept exactly (Excel keeps 15): an id stored this way "
            "has lost its last digits",
            "{file}:{line}：列 {column}：{value} 以数字形式保存，而 16 位及以上的数字无法精确保存"
            "（Excel 只保留 15 位）：这样保存的编号已丢失末尾几位",
        ),
        "hint.long_number_cell": (
            "export the file from the platform again; if you edit it in Excel, format the id "
            "columns as Text before pasting ids",
            "请从平台重新导出文件；如需在 Excel 中编辑，请先把编号列设为“文本”格式再粘贴编号",
        ),
        "error.empty_sheet": (
            "{file}: the first sheet is empty; expected a header row",
            "{file}：第一个工作表是空的；应有一行表头",
        ),
        "error.given_as": (
            "{file}: given as {expected}, but it is a {table} export (preset {preset})",
            "{file}：作为 {expected} 给出，但它是 {table} 导出文件（预设 {preset}）",
        ),
        "hint.given_as": (
            "pass it as a plain file argument: svc load DB FILE…",
            "请把它作为普通文件参数传入：svc load DB FILE…",
        ),
        "error.nothing_to_load": (
            "nothing to load: give export files and/or --reviews/--chats/--shops",
            "没有要导入的内容：请给出导出文件和/或 --reviews/--chats/--shops",
        ),
        "error.bad_map": (
            "--map {value}: expected CANONICAL=SOURCE_HEADER",
            "--map {value}：应为 规范列=源表头",
        ),
        "hint.bad_map": ("e.g. --map order_id=订单号", "例如 --map order_id=订单号"),
        "error.unknown_preset": ("unknown preset {name}", "未知的预设 {name}"),
        "hint.known_presets": ("known presets: {presets}", "已知的预设：{presets}"),
        "error.map_not_a_field": (
            "--map {field}: not a column of preset {preset}",
            "--map {field}：不是预设 {preset} 的列",
        ),
        "hint.mappable": ("mappable: {fields}", "可映射的列：{fields}"),
        "error.map_no_column": (
            "{file}: --map {mapping}: no such column in the file",
            "{file}：--map {mapping}：文件中没有这一列",
        ),
        "hint.file_columns": ("columns: {columns}", "文件中的列：{columns}"),
        "error.columns_twice": (
            "{file}: column(s) appear twice in the header: {columns}",
            "{file}：表头中有重复的列：{columns}",
        ),
        "hint.columns_twice": ("remove the duplicated columns", "删除重复的列"),
        "error.missing_columns": (
            "{file}: missing required column(s) {columns} for {table}",
            "{file}：缺少{table}必需的列 {columns}",
        ),
        "hint.missing_columns": (
            "{fix}; found columns: {found}; expected at least: {expected}",
            "{fix}；文件中的列：{found}；至少应有：{expected}",
        ),
        "hint.give_shop_option": (
            "a file of one shop: give its id with --shop SHOP",
            "如果文件只属于一家店铺：用 --shop SHOP 给出店铺编号",
        ),
        "hint.map_column": (
            "name the file's column for {column} with --map {column}={header}",
            "用 --map {column}={header} 指出 {column} 对应文件中的哪一列",
        ),
        "ignored_columns": (
            "{file}: ignoring unknown column(s): {columns}",
            "{file}：忽略未知的列：{columns}",
        ),
        "error.no_rows_read": (
            "{file}: no row could be read after the header",
            "{file}：表头之后读不出任何一行",
        ),
        "hint.no_rows_read": (
            "is a line longer than 2 MB (a field with a runaway quote, or a damaged file)?",
            "是否有一行超过 2 MB（某个字段的引号没有闭合，或文件已损坏）？",
        ),
        "error.db_truncated": (
            "database {path} is damaged (truncated?): {detail}",
            "数据库 {path} 已损坏（被截断？）：{detail}",
        ),
        "error.db_cannot_open": (
            "cannot open database {path}: {detail}",
            "无法打开数据库 {path}：{detail}",
        ),
        "error.db_busy": (
            "database {path} is busy (another svc is writing to it); waited {wait} s",
            "数据库 {path} 正忙（另一个 svc 正在写入）；已等待 {wait} 秒",
        ),
        "error.db_busy_reading": (
            "database {path} is busy (another svc is reading it); waited {wait} s",
            "数据库 {path} 正忙（另一个 svc 正在读取）；已等待 {wait} 秒",
        ),
        "hint.db_busy": (
            "try again later, or wait longer with --wait SECONDS",
            "请稍后再试，或用 --wait 秒数 等待更久",
        ),
        "error.db_unreadable": (
            "{path} is not a DuckDB database svc can open: {detail}",
            "{path} 不是 svc 能打开的 DuckDB 数据库：{detail}",
        ),
        "hint.db_unreadable": (
            "pass the .duckdb file written by `svc load`",
            "请给出 `svc load` 写入的 .duckdb 文件",
        ),
        "error.not_svc_db": (
            "{path} is not an svc database (no svc tables found)",
            "{path} 不是 svc 数据库（没有 svc 的表）",
        ),
        "hint.create_db": (
            "create one with `svc load DB orders.csv`",
            "请用 `svc load DB orders.csv` 创建一个",
        ),
        "error.other_duckdb": (
            "{path} is a DuckDB database but not an svc database (it holds {tables}); "
            "nothing was changed",
            "{path} 是 DuckDB 数据库，但不是 svc 数据库（其中有 {tables}）；未做任何改动",
        ),
        "hint.other_duckdb": (
            "load into a new file, e.g. svc load shop.duckdb orders.csv",
            "请导入到一个新文件，例如 svc load shop.duckdb orders.csv",
        ),
        "error.newer_db": (
            "{path} was written by a newer svc (schema {version}; this svc knows {known}) and "
            "is not read, so that nothing is misread",
            "{path} 由更新版本的 svc 写入（结构版本 {version}；本 svc 只认识 {known}），为免误读，不予读取",
        ),
        "hint.upgrade": (
            "upgrade svc: pip install --upgrade svc",
            "请升级 svc：pip install --upgrade svc",
        ),
        "error.expected_assignment": (
            "{option} {text}: expected INDICATOR=VALUE",
            "{option} {text}：应为 指标=数值",
        ),
        "hint.expected_assignment": (
            "e.g. {option} pickup_48h_rate=0.99",
            "例如 {option} pickup_48h_rate=0.99",
        ),
        "error.not_a_number": (
            "{option} {text}: {value} is not a number",
            "{option} {text}：{value} 不是数字",
        ),
        "error.unknown_indicator": ("unknown indicator {name}", "未知的指标 {name}"),
        "hint.indicators": ("indicators: {names}", "指标：{names}"),
        "error.unknown_service": ("unknown service {name}", "未知的特色服务 {name}"),
        "hint.services_for": (
            "services for {industry}: {services}",
            "{industry} 行业的特色服务：{services}",
        ),
        "error.no_input": (
            "no data: give a database (svc load DB …) or --orders FILE",
            "没有数据：请给出数据库（svc load DB …）或 --orders 文件",
        ),
        "hint.no_input": (
            "e.g. svc score --orders orders.csv --reviews reviews.csv",
            "例如 svc score --orders orders.csv --reviews reviews.csv",
        ),
        "error.db_and_files": (
            "give either a database or --orders/--reviews/--chats files, not both",
            "请给出数据库或 --orders/--reviews/--chats 文件之一，不要同时给出",
        ),
        "error.shops_with_db": (
            "--shops with a database: load it with `svc load DB --shops FILE`",
            "数据库不需要 --shops：请用 `svc load DB --shops FILE` 导入店铺文件",
        ),
        "error.no_shop_column": (
            "{file}: no shop id: preset {preset} needs one (this export has no shop column)",
            "{file}：没有店铺编号：预设 {preset} 需要它（此导出没有店铺列）",
        ),
        "error.shop_column_empty": (
            "{file}: no shop id: preset {preset} needs one and its column {column} is empty",
            "{file}：没有店铺编号：预设 {preset} 需要它，而其列 {column} 为空",
        ),
        "error.shop_id_missing": (
            "{file}:{line}: column {column}: shop id is missing ({count} row(s))",
            "{file}:{line}：列 {column}：缺少店铺编号（{count} 行）",
        ),
        "hint.give_shop": (
            "give the shop id with --shop SHOP (svc load, svc inspect, svc score --orders …)",
            "请用 --shop SHOP 给出店铺编号（svc load、svc inspect、svc score --orders …）",
        ),
        "preset_reason.sci_id": (
            "id in scientific notation: a spreadsheet rounded it and its digits are lost; "
            "export the file again and do not re-save it in Excel",
            "编号是科学计数法：表格软件已把它四舍五入，位数已丢失；请重新导出文件，不要用 Excel 另存",
        ),
        "preset_reason.id_missing": ("required id is missing", "缺少必填的编号"),
        "preset_reason.not_amount": ("not an amount", "不是金额"),
        "preset_reason.negative_amount": ("amount must not be negative", "金额不能为负数"),
        "preset_reason.not_time": (
            "not a date/time (expected e.g. 2024-05-31 14:16:18 or 2024/5/31 14:16)",
            "不是日期时间（应如 2024-05-31 14:16:18 或 2024/5/31 14:16）",
        ),
        "preset_reason.time_missing": ("required date/time is missing", "缺少必填的日期时间"),
        "preset_reason.unknown_status": (
            "unknown status {value} for preset {preset} (known: {known})",
            "预设 {preset} 不认识的状态 {value}（已知：{known}）",
        ),
        "preset_reason.status_missing": ("status is missing", "缺少状态"),
        "preset_reason.unknown_rating": (
            "unknown rating {value} for preset {preset} (known: {known})",
            "预设 {preset} 不认识的评价 {value}（已知：{known}）",
        ),
        "preset_reason.unknown_fulfillment": (
            "unknown fulfillment status {value} for preset {preset} (known: {known})",
            "预设 {preset} 不认识的发货状态 {value}（已知：{known}）",
        ),
        "preset_reason.rating_range": ("rating must be 1 to 5", "评分应为 1 到 5"),
        "preset_reason.rating_missing": ("rating is missing", "缺少评分"),
        "value.empty": ("empty", "空"),
        "reason.required": ("required value is missing", "缺少必填值"),
        "reason.not_a_time": (
            "not a date/time (expected YYYY-MM-DD HH:MM:SS)",
            "不是日期时间（应为 YYYY-MM-DD HH:MM:SS）",
        ),
        "reason.special_time": (
            "not a date (special values such as infinity or epoch are refused)",
            "不是日期（不接受 infinity、epoch 等特殊值）",
        ),
        "reason.header_again": (
            "the header line again (files joined into one?): remove this line",
            "又是一行表头（多个文件拼在了一起？）：请删除这一行",
        ),
        "reason.twelve_hour": (
            "a 12-hour time (AM/PM): give it as a 24-hour time, YYYY-MM-DD HH:MM:SS",
            "12 小时制时间（AM/PM）：请写成 24 小时制，YYYY-MM-DD HH:MM:SS",
        ),
        "reason.zone_abbreviation": (
            "a time zone abbreviation is ambiguous (CST: China or US?); give an offset such "
            "as +08:00 or a zone name such as Asia/Shanghai",
            "时区缩写有歧义（CST：中国还是美国？）；请给出偏移量（如 +08:00）或时区名"
            "（如 Asia/Shanghai）",
        ),
        "reason.not_an_amount": ("not a decimal amount", "不是金额数字"),
        "reason.negative": ("must not be negative", "不能为负数"),
        "reason.not_whole": ("not a whole number", "不是整数"),
        "reason.at_least_one": ("must be at least 1", "至少为 1"),
        "reason.rating": ("must be a whole number from 1 to 5", "应为 1 到 5 的整数"),
        "reason.seconds": ("must be a number of seconds ≥ 0", "应为 ≥ 0 的秒数"),
        "reason.score100": ("must be a number from 0 to 100", "应为 0 到 100 的数"),
        "reason.bool": ("must be true or false", "应为 true 或 false"),
        "reason.one_of": ("must be one of {choices}", "应为以下之一：{choices}"),
        "reason.nul_byte": (
            "contains a NUL byte (a damaged export?)",
            "含有 NUL 字节（导出文件损坏？）",
        ),
        "reason.duplicate_key": (
            "duplicate key with different values (first on line {line})",
            "键重复但值不同（首次出现在第 {line} 行）",
        ),
        "reason.review_unknown_order": (
            "review of an unknown order (no such order_id for this shop_id)",
            "评价所属的订单不存在（该 shop_id 下没有此 order_id）",
        ),
        "reason.unknown_order": (
            "no such order loaded for this shop_id (load the orders export first)",
            "该 shop_id 下没有导入此订单（请先导入订单导出文件）",
        ),
    }
)

# Errors of the command-line values, the shops and mapping files, the outputs and the
# database (``UsageError``/``InputError``/``DataError`` messages and hints).
_add(
    {
        # --as-of, --window-days (window.py)
        "error.as_of_not_a_date": (
            "--as-of: {value} is not a valid date",
            "--as-of：{value} 不是有效的日期",
        ),
        "error.as_of_unreadable": ("--as-of: cannot read {value}", "--as-of：无法识别 {value}"),
        "hint.as_of": (
            'use a date (2025-06-30 = end of that day) or a timestamp ("2025-06-30 15:00:00")',
            '请给出日期（2025-06-30 = 当天结束时）或时间戳（"2025-06-30 15:00:00"）',
        ),
        "error.window_days_max": (
            "--window-days must be at most {most} (got {days})",
            "--window-days 最多为 {most}（给出的是 {days}）",
        ),
        "error.as_of_range": (
            "--as-of: {value} is out of range (a time from {first} to {last})",
            "--as-of：{value} 超出范围（应在 {first} 年到 {last} 年之间）",
        ),
        "error.window_days": (
            "--window-days must be at least 1 (got {days})",
            "--window-days 至少为 1（给出的是 {days}）",
        ),
        # svc trend (trend.py)
        "error.not_a_date": ("{option}: {text} is not a date", "{option}：{text} 不是日期"),
        "hint.date_example": ("e.g. 2025-06-30", "例如 2025-06-30"),
        "error.bad_every": (
            "--every {value}: choose one of {choices}",
            "--every {value}：请从 {choices} 中选择",
        ),
        "error.from_after_to": (
            "--from {start} is after --to {end}",
            "--from {start} 晚于 --to {end}",
        ),
        "error.too_many_points": (
            "more than {max} points from {start} to {end} by {every}",
            "从 {start} 到 {end} 按{every}计超过 {max} 个点",
        ),
        "hint.too_many_points": (
            "use a shorter span or --every week|month",
            "请缩短时间范围，或用 --every week|month",
        ),
        # svc simulate (simulate.py) and --fix (plan.py)
        "error.not_finite": (
            "{option} {text}: value must be a finite number",
            "{option} {text}：数值必须是有限的数",
        ),
        "error.fix_not_whole": (
            "--fix {text}: K must be a whole number of events ≥ 0",
            "--fix {text}：K 必须是 ≥ 0 的整数（事件个数）",
        ),
        "error.impossible_value": (
            "impossible value {value} for {indicator}: expected {limits}",
            "{indicator} 不可能取值 {value}：应为 {limits}",
        ),
        "limits.rate": (
            "a fraction from 0 to 1 (0.99, not 99)",
            "0 到 1 之间的小数（写 0.99，不是 99）",
        ),
        "limits.hours": ("≥ 0 hours", "≥ 0 的小时数"),
        "error.service_other_industry": (
            "service {service} ({zh}) is for industry {industry}; shop {shop} is in "
            "{shop_industry}",
            "特色服务 {service}（{zh}）属于 {industry} 行业；店铺 {shop} 属于 {shop_industry} 行业",
        ),
        "hint.services_for_shop": (
            "services for this shop: {services}",
            "此店铺可加的特色服务：{services}",
        ),
        "error.already_offers": (
            "shop {shop} already offers {service}",
            "店铺 {shop} 已提供特色服务 {service}",
        ),
        "error.cannot_improve": (
            "{indicator} is not assessed for shop {shop}, so it cannot be improved by a percentage",
            "店铺 {shop} 的 {indicator} 未考核，无法按百分比改善",
        ),
        "hint.set_instead": (
            "set a value instead: --set {indicator}=VALUE",
            "请改为直接设定数值：--set {indicator}=数值",
        ),
        "error.improve_percent": (
            "--improve {indicator}: percent must be in (0, 100], got {percent}",
            "--improve {indicator}：百分比应在 (0, 100] 之内，给出的是 {percent}",
        ),
        "error.fix_twice": ("--fix: give each indicator once", "--fix：每个指标只能给出一次"),
        "error.fix_too_many": (
            "--fix {indicator}={k}: the indicator has {size} event(s) to fix",
            "--fix {indicator}={k}：该指标只有 {size} 个可处理的事件",
        ),
        "hint.see_diagnose": ("see them with `svc diagnose`", "可用 `svc diagnose` 查看"),
        "error.fix_not_assessed": (
            "--fix {indicator}: not assessed for shop {shop}, it has no events to fix",
            "--fix {indicator}：店铺 {shop} 未考核该指标，没有可处理的事件",
        ),
        # --shop (shop_ids.py)
        "error.unknown_shops": ("unknown shop id(s): {shops}", "未知的店铺编号：{shops}"),
        "hint.shop_alias": (
            "{alias} is an alias of shop {shop}: use --shop {shop}",
            "{alias} 是店铺 {shop} 的别名：请用 --shop {shop}",
        ),
        "alias.rows_kept": (
            "{table}: {count} row(s) stored under an alias were already stored under the shop "
            "id; the shop id's rows are kept",
            "{table}：{count} 行以别名存储的数据已按店铺编号存过；保留店铺编号下的行",
        ),
        "alias.rows_moved": (
            "{table}: {count} row(s) stored under an alias moved to the shop id",
            "{table}：{count} 行以别名存储的数据已移到店铺编号下",
        ),
        "alias.new_shop_is_a_name": (
            "shop {shop} was created by this load, but it is the name of shop {owner}: if it "
            "is that shop, add {shop} to its aliases in the shops file and load the shops file "
            "again",
            "店铺 {shop} 由本次导入新建，但它是店铺 {owner} 的名称：如果是同一家店，请在店铺文件中"
            "把 {shop} 加入其别名，再导入店铺文件",
        ),
        "alias.same_name": (
            "shop {shop} is named {name} like shop {others}: if they are one shop, list {shop} "
            "in the aliases of the other (or the other way round)",
            "店铺 {shop} 与店铺 {others} 同名 {name}：如果是同一家店，请把 {shop} 列入另一家的"
            "别名（或反过来）",
        ),
        "shops.no_orders": (
            "{file}: shop {shop} has no orders (yet)",
            "{file}：店铺 {shop} 还没有订单",
        ),
        "shops.no_orders_close": (
            "{file}: shop {shop} has no orders (yet) — did you mean {matches}?",
            "{file}：店铺 {shop} 还没有订单——是不是 {matches}？",
        ),
        "hint.listed_no_orders": (
            "{shop} is in the shops file but has no orders yet: load its order export first",
            "{shop} 在店铺文件中，但还没有订单：请先导入它的订单导出文件",
        ),
        "hint.did_you_mean": ("{value}: did you mean {matches}?", "{value}：可能是 {matches}"),
        "list.or": ("{first} or {second}", "{first} 或 {second}"),
        "hint.no_orders_loaded": ("no orders are loaded", "尚未导入任何订单"),
        "hint.shops_with_orders": (
            "shops with orders: {shops}{more}",
            "有订单的店铺：{shops}{more}",
        ),
        # the shops file (shops.py)
        "shops.entry": ("{file}: shop #{n}", "{file}：第 {n} 个店铺"),
        "shops.line": ("{file}:{line}", "{file}:{line}"),
        "error.shops_no_id": ("{where}: shop_id is missing", "{where}：缺少 shop_id"),
        "error.shops_unknown_industry": (
            "{where}: unknown industry {industry} for shop {shop}",
            "{where}：店铺 {shop} 的行业 {industry} 未知",
        ),
        "hint.known_industries": ("known industries: {industries}", "已知的行业：{industries}"),
        "error.shops_unknown_service": (
            "{where}: unknown service id {service} for shop {shop}",
            "{where}：店铺 {shop} 的特色服务编号 {service} 未知",
        ),
        "hint.known_services": (
            "known services: {services} (add your own in --config)",
            "已知的特色服务：{services}（可在 --config 中添加自己的）",
        ),
        "error.shops_empty": (
            "{file}: file is empty; expected a header line shop_id,name,industry,services",
            "{file}：文件是空的；应有一行表头 shop_id,name,industry,services",
        ),
        "error.shops_not_toml": (
            "{file}: not valid TOML: {detail}",
            "{file}：不是有效的 TOML：{detail}",
        ),
        "error.shops_not_tables": (
            "{file}: expected [[shops]] tables",
            "{file}：应为 [[shops]] 表",
        ),
        "error.shops_no_id_column": (
            "{file}: missing required column shop_id",
            "{file}：缺少必需的列 shop_id",
        ),
        "hint.shops_header": (
            "expected header: shop_id,name,industry,services",
            "表头应为：shop_id,name,industry,services",
        ),
        "error.shop_listed_twice": (
            "{file}: shop {shop} is listed twice",
            "{file}：店铺 {shop} 列出了两次",
        ),
        "error.alias_is_a_shop": (
            "{file}: alias {alias} of shop {shop} is itself a listed shop id",
            "{file}：店铺 {shop} 的别名 {alias} 本身就是列出的店铺编号",
        ),
        "hint.alias_is_a_shop": (
            "an alias names the same shop: remove it, or the other entry",
            "别名指的是同一家店铺：请删除该别名，或删除另一条记录",
        ),
        "error.alias_twice": (
            "{file}: alias {alias} is given for shops {first} and {second}",
            "{file}：别名 {alias} 同时给了店铺 {first} 和 {second}",
        ),
        "hint.alias_twice": ("an alias must mean one shop", "一个别名只能指一家店铺"),
        # svc services --industry (cli.py), --benchmark (score_report.py), api.py
        "error.unknown_industry": ("unknown industry {name}", "未知的行业 {name}"),
        "error.unknown_benchmark": ("unknown benchmark {name}", "未知的基准 {name}"),
        "hint.choose_one_of": ("choose one of: {choices}", "可选：{choices}"),
        "error.one_source": (
            "give one source: a database, export files, or --source DIR",
            "请只给出一个数据来源：数据库、导出文件或 --source 目录",
        ),
        "error.engine_needs_lake": (
            "--engine {engine} reads a Parquet lake: give --source DIR",
            "--engine {engine} 读取 Parquet 数据湖：请给出 --source 目录",
        ),
        "error.lake_not_found": ("Parquet lake not found: {path}", "找不到 Parquet 数据湖：{path}"),
        "hint.export_lake": (
            "write one from a database with `svc export DB DIR`",
            "可用 `svc export DB DIR` 从数据库写出",
        ),
        "error.views_combined": (
            "--by tier, --cohorts and --show-customers cannot be combined; run them separately",
            "--by tier、--cohorts 和 --show-customers 不能同时使用；请分别运行",
        ),
        "error.unknown_view": ("unknown view {name}", "未知的视图 {name}"),
        "hint.views": ("views: {views}", "视图：{views}"),
        # --memory-limit and a database file shorter than its blocks (store.py)
        "error.memory_limit": (
            "--memory-limit {value}: expected a size such as 2GB or 512MB",
            "--memory-limit {value}：应为 2GB 或 512MB 这样的大小",
        ),
        "error.db_short": (
            "database {path} is damaged: the file has {size} bytes but its blocks need "
            "{expected} (truncated by a full disk or an interrupted copy?)",
            "数据库 {path} 已损坏：文件有 {size} 字节，而其数据块需要 {expected} 字节"
            "（因磁盘已满或复制中断而被截断？）",
        ),
        # writing outputs (render.py, lake.py) and databases (load.py)
        "error.cannot_write": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
        "error.cannot_write_nothing_written": (
            "cannot write {path}: {reason}; nothing was written",
            "无法写入 {path}：{reason}；未写入任何内容",
        ),
        "error.folder_not_empty": (
            "{folder} exists and is not empty",
            "{folder} 已存在且不是空的",
        ),
        "hint.folder_not_empty": (
            "choose a new folder, or replace it with --overwrite",
            "请换一个新文件夹，或用 --overwrite 替换它",
        ),
        "error.db_write_failed": (
            "cannot write the database ({reason}): nothing was loaded; the database is as it was",
            "无法写入数据库（{reason}）：未导入任何内容；数据库保持原样",
        ),
        "hint.free_disk": (
            "free some disk space and load again",
            "请腾出一些磁盘空间后重新导入",
        ),
        "error.db_created_meanwhile": (
            "{path} was created by another svc while this load ran; nothing was loaded from "
            "stdin (it cannot be read twice)",
            "导入期间另一个 svc 创建了 {path}；未从标准输入导入任何内容（标准输入不能读取两次）",
        ),
        "hint.load_again": ("run the load again", "请重新运行导入"),
        "error.db_no_folder": (
            "cannot create database {path}: folder {folder} does not exist",
            "无法创建数据库 {path}：文件夹 {folder} 不存在",
        ),
        # --pseudonymize (privacy.py)
        "error.key_file": (
            "cannot read key file {file}: {reason}",
            "无法读取密钥文件 {file}：{reason}",
        ),
        "error.key_too_short": (
            "--pseudonymize needs a key of at least {min} characters",
            "--pseudonymize 需要至少 {min} 个字符的密钥",
        ),
        "hint.key": (
            "set {env} or pass --key-file FILE (e.g. from `openssl rand -hex 32`)",
            "请设置 {env}，或用 --key-file 文件 给出密钥（例如用 `openssl rand -hex 32` 生成）",
        ),
        "error.pseudonymised_db": (
            "this database holds pseudonymised customer ids",
            "此数据库存放的是假名化的顾客编号",
        ),
        "error.pseudonymised_other_key": (
            "this database holds pseudonymised customer ids; the key given is not the one it "
            "was made with",
            "此数据库存放的是假名化的顾客编号；给出的密钥不是生成它时所用的密钥",
        ),
        "hint.same_key": (
            "load with --pseudonymize and the same key, so pseudonyms stay consistent",
            "请用 --pseudonymize 和同一个密钥导入，使假名保持一致",
        ),
        "error.real_ids_db": (
            "this database already holds real customer ids; --pseudonymize needs a new database",
            "此数据库已存放真实的顾客编号；--pseudonymize 需要一个新数据库",
        ),
        "hint.new_pseudonymised_db": (
            "load everything into a new database with --pseudonymize",
            "请用 --pseudonymize 把全部数据导入一个新数据库",
        ),
        # mapping files and --map (presets/__init__.py, presets/generic.py)
        "error.mapping_not_found": ("{file}: mapping file not found", "{file}：映射文件不存在"),
        "error.mapping_not_toml": (
            "{file}: not a valid TOML mapping file: {detail}",
            "{file}：不是有效的 TOML 映射文件：{detail}",
        ),
        "error.mapping_columns": (
            "{file}: [columns] must map canonical columns to header names",
            "{file}：[columns] 应把标准列映射到表头名",
        ),
        "error.mapping_status": (
            "{file}: [status] must map source values to canonical statuses",
            "{file}：[status] 应把源状态值映射到标准状态",
        ),
        "error.mapping_unknown_keys": ("{file}: unknown key(s) {keys}", "{file}：未知的键 {keys}"),
        "hint.mapping_keys": (
            "allowed: table, preset, shop_id, [columns], [status]",
            "允许的键：table、preset、shop_id、[columns]、[status]",
        ),
        "error.no_column_map": ("no column map given", "没有给出列映射"),
        "error.mapping_unknown_table": (
            "mapping: unknown table {table}",
            "映射：未知的表 {table}",
        ),
        "hint.mapping_tables": ("orders, reviews or chats", "应为 orders、reviews 或 chats"),
        "error.mapping_bad_status": (
            "mapping: status {source} maps to {target}, not a canonical status",
            "映射：状态 {source} 映射到 {target}，这不是标准状态",
        ),
        "hint.one_of": ("one of {choices}", "应为以下之一：{choices}"),
        "error.order_too_many_lines": (
            "{file}:{line}: order {order} has more than {max} rows (line items); svc reads at "
            "most {max} per order",
            "{file}:{line}：订单 {order} 超过 {max} 行（商品行）；svc 每个订单最多读取 {max} 行",
        ),
        "hint.rows_repeated": (
            "is the file the same rows repeated? export it again",
            "文件中是否是同样的行重复出现？请重新导出",
        ),
        # reading files (read.py)
        "error.no_such_encoding": ("unknown encoding {name}", "未知的编码 {name}"),
        "hint.encoding_examples": ("e.g. utf-8, gb18030, cp1252", "例如 utf-8、gb18030、cp1252"),
        "error.line1_not_utf8": (
            "{file}: line 1 is not valid UTF-8 (byte {byte}: {value})",
            "{file}：第 1 行不是有效的 UTF-8（字节 {byte}：{value}）",
        ),
        "error.zip_bomb": (
            "{file}: the workbook would unpack to {unpacked} bytes from {packed} (a zip bomb, "
            "or a damaged file); not read",
            "{file}：该工作簿会从 {packed} 字节解压为 {unpacked} 字节（zip 炸弹，或文件已损坏）；"
            "未读取",
        ),
        "hint.zip_bomb": (
            "export the data as CSV, or split the workbook",
            "请把数据导出为 CSV，或拆分该工作簿",
        ),
        "error.cannot_read_workbook": (
            "{file}: cannot read the workbook: {detail}",
            "{file}：无法读取工作簿：{detail}",
        ),
        "hint.cannot_read_workbook": (
            "is the file a complete .xlsx/.xls? Open and re-save it, or export as CSV",
            "文件是完整的 .xlsx/.xls 吗？请打开后重新保存，或导出为 CSV",
        ),
    }
)


LIST_SEPARATOR = {"en": ", ", "zh": "、"}
CLAUSE_SEPARATOR = {"en": "; ", "zh": "；"}


class Verbatim(str):
    """Text a translation keeps as it is (a file's own column header), where a plain
    string parameter would be translated as an id."""


#: Parameters that name a file or folder: kept as they are (a file named ``orders`` is
#: not the orders table).
PATH_PARAMS = frozenset({"file", "path", "folder", "rejects"})


class Message(str):
    """A message of the library: its English text (what JSON and logs carry), plus the
    key and parameters a view needs to show it in another language (``translate``).

    Parameters are strings (ids are translated by ``label``, or by the ``names`` given to
    ``translate``; ``Verbatim`` text is not), lists of them, or nested messages; format
    numbers before passing them.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Message:
        params = {k: Verbatim(v) if k in PATH_PARAMS else v for k, v in params.items()}
        text = _english(LABELS[key]["en"], params).format(
            **{k: _param(v, "en", {}) for k, v in params.items()}
        )
        message = super().__new__(cls, text)
        message.key, message.params = key, params
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, self.params))


#: A count before its noun in an English template: ``{days} days`` ("1 day" when days is 1).
_COUNTED = re.compile(
    r"\{(\w+)\} (day|star|session|point|review|refund|deliver|indicator|resample)(s|ies)\b"
)


def _english(template: str, params: dict[str, Any]) -> str:
    """``template`` with each noun after a count of one in the singular."""

    def agree(match: re.Match[str]) -> str:
        if str(params.get(match[1], "")).strip() != "1":
            return match[0]
        return f"{{{match[1]}}} {match[2]}" + ("y" if match[3] == "ies" else "")

    return _COUNTED.sub(agree, template)


def _rebuild(key: str, params: dict[str, Any]) -> Message:
    return Message(key, **params)


def _param(value: Any, lang: str, names: dict[str, str]) -> str:
    if isinstance(value, (list, tuple)):
        clauses = bool(value) and all(isinstance(v, Message) for v in value)
        sep = (CLAUSE_SEPARATOR if clauses else LIST_SEPARATOR).get(lang, ", ")
        return sep.join(_param(v, lang, names) for v in value)
    if isinstance(value, Message):
        return translate(value, lang, names)
    text = str(value)
    if lang == "en" or isinstance(value, Verbatim):
        return text
    return names.get(text) or term(text, lang)


def term(name: str, lang: str = "en") -> str:
    """A name as messages show it (an input, a column): as it is in English, its label
    in other languages."""
    return name if lang == "en" else label(name, lang).strip()  # not a table row's indent


def listed(items: Iterable[Any]) -> list[Verbatim]:
    """Names kept as they are (headers, ids, numbers), as one message parameter: joined
    by the list separator of the language shown (``a, b``; ``a、b``)."""
    return [Verbatim(item) for item in items]


#: How many shop ids a message said of many shops names.
SHOPS_NAMED = 5


def by_shop(messages: Sequence[str]) -> list[str]:
    """``messages`` with those that say one thing of several shops (``shop_message``s
    alike but for the shop) said once, naming the shops: "812 shops (000329, 001234, …):
    not provided: chats", where the first of them was."""
    alike: dict[str, list[Message]] = {}  # what is said -> the shop messages saying it
    for message in messages:
        if _is_shop_message(message):
            alike.setdefault(str(message.params["message"]), []).append(message)
    merged: list[str] = []
    for message in messages:
        if not _is_shop_message(message):
            merged.append(message)
        elif group := alike.pop(str(message.params["message"]), None):  # else said already
            merged.append(group[0] if len(group) == 1 else _of_shops(group))
    return merged


def _of_shops(group: list[Message]) -> Message:
    shops = listed(m.params["shop"] for m in group[:SHOPS_NAMED])
    named = shops if len(group) <= SHOPS_NAMED else Message("shops_listed_more", shops=shops)
    said = group[0].params["message"]
    return Message("shops_message", count=f"{len(group):,}", shops=named, message=said)


def _is_shop_message(message: str) -> TypeGuard[Message]:
    return isinstance(message, Message) and message.key == "shop_message"


def joined(items: Sequence[str], key: str = "list.or") -> str:
    """``items`` (ids as ``Verbatim``, or messages) joined pairwise by the message ``key``,
    ``"{first} or {second}"`` by default (``a or b or c``; ``a 或 b 或 c``)."""
    return functools.reduce(lambda first, second: Message(key, first=first, second=second), items)


def translate(message: str, lang: str = "en", names: dict[str, str] | None = None) -> str:
    """``message`` in ``lang``: a ``Message`` is rebuilt from its key, translating its
    parameters (ids through ``names`` first, then the labels); other text is unchanged."""
    if lang == "en" or not isinstance(message, Message):
        return str(message)
    entry = LABELS[message.key]
    template = entry.get(lang) or _english(entry["en"], message.params)
    return template.format(**{k: _param(v, lang, names or {}) for k, v in message.params.items()})


#: Chinese titles of the platform presets (``svc presets --lang zh``); brand names, file
#: names and report ids stay as the platforms spell them.
PRESET_TITLES: dict[str, str] = {
    "taobao_refunds": "淘宝/天猫 退款管理导出（退款）",
    "taobao_orders_v1": "淘宝/天猫 千牛 订单报表，旧版 CSV（ExportOrderList*.csv）",
    "taobao_orders_v2": "淘宝/天猫 千牛 订单报表，新版 xlsx（约 2023 年起）",
    "taobao_items_v1": "淘宝/天猫 千牛 宝贝报表，旧版 CSV（ExportOrderDetailList*.csv）",
    "taobao_items_v2": "淘宝/天猫 千牛 宝贝报表，新版 xlsx",
    "taobao_traderates": "淘宝 评价接口（taobao.traderates.get 字段）",
    "taobao_review_plugin": "淘宝 评论数据 浏览器插件导出（评论数据_*.csv）",
    "douyin_orders": "抖店 订单导出（每个子订单一行）",
    "jd_orders": "京东 POP 订单导出（每个 SKU 一行）",
    "pdd_orders": "拼多多 订单导出",
    "shopify_orders": "Shopify 订单导出 orders_export.csv",
    "shopify_product_reviews": "Shopify Product Reviews 评价导出（旧版应用）",
    "judgeme_reviews": "Judge.me 评价导出",
    "yotpo_reviews": "Yotpo 评价导出",
    "okendo_reviews": "Okendo 评价导出",
    "amazon_all_orders": "亚马逊 全部订单报告（GET_FLAT_FILE_ALL_ORDERS_DATA_…，制表符分隔）",
    "amazon_returns": "亚马逊 自发货退货报告（GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE）",
}
