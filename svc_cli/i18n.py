"""English and Simplified Chinese labels (``--lang zh`` or ``SVC_LANG=zh``)."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "zh")

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
    "none": {"en": "none", "zh": "未达等级"},
    "not_graded": {"en": "not graded", "zh": "样本不足"},
    "response_points_lost": {"en": "Resp. pts lost", "zh": "响应失分"},
    "satisfaction_points_lost": {"en": "Satisf. pts lost", "zh": "满意度失分"},
    "unassigned_sessions": {"en": "No agent", "zh": "无客服会话"},
    "what_if_score": {"en": "Score if all ≥ level", "zh": "全员达标后体验分"},
    "what_if_tier": {"en": "Tier if all ≥ level", "zh": "全员达标后层级"},
    "agents_title": {"en": "Agents", "zh": "客服"},
    "agent_shops_title": {
        "en": "Points lost per shop, and if every agent below {level} reached it",
        "zh": "各店失分, 以及低于{level}的客服全部达到该等级后",
    },
    # service -> repurchase
    "late_shipping": {"en": "shipped late", "zh": "发货超时"},
    "unanswered_chat": {"en": "chat unanswered 3+ min", "zh": "咨询3分钟未回复"},
    "refund_requested": {"en": "refund requested", "zh": "申请过退款"},
    "refund_retained": {"en": "  refund retained", "zh": "  退款被挽回"},
    "refund_not_retained": {"en": "  refund not retained", "zh": "  退款未挽回"},
    "bad_review": {"en": "bad review (1-2)", "zh": "差评(1-2星)"},
    "nothing_went_wrong": {"en": "nothing went wrong", "zh": "一切正常"},
    "shops": {"en": "Shops", "zh": "店铺数"},
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
        "zh": "新客按首单经历分组(各店合并)",
    },
    "service_tiers_title": {"en": "By score tier (pooled)", "zh": "按体验分层级(合并)"},
    "service_ratios_title": {
        "en": "Repurchase ratio between tiers, beside the platform's claim",
        "zh": "层级间复购倍数, 对照平台宣称",
    },
    "correlation_not_cause": {
        "en": "This is correlation, not cause: customers who met a problem may differ in other "
        "ways (products, season, price), and shops in a tier differ in more than service.",
        "zh": "这是相关, 不是因果: 遇到问题的顾客在商品、季节、价格等方面可能本就不同, "
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
        "zh": "按首购月份的累计复购占比(首购后第k个月)",
    },
    "repeat_overdue_title": {"en": "Customers overdue for a reorder", "zh": "应回购未回购的顾客"},
    "p25_days_to_second": {"en": "p25 days", "zh": "25分位(天)"},
    "p75_days_to_second": {"en": "p75 days", "zh": "75分位(天)"},
    "p90_days_to_second": {"en": "p90 days", "zh": "90分位(天)"},
    "cohort": {"en": "Cohort", "zh": "首购月份"},
    "first_order_day": {"en": "First order", "zh": "首单日"},
    "last_order_day": {"en": "Last order", "zh": "最近下单日"},
    "order_days": {"en": "Order days", "zh": "下单天数"},
    "repeated": {"en": "Repeated", "zh": "复购"},
    "first_time_customers": {"en": "First-time customers", "zh": "新客数"},
    "median_days_to_second": {"en": "Median days to 2nd", "zh": "第二单间隔中位数(天)"},
    "overdue_customers": {"en": "Overdue", "zh": "待唤回顾客"},
    "sku": {"en": "First SKU", "zh": "首单商品"},
    "amount_band": {"en": "First-order amount", "zh": "首单金额段"},
    "share": {"en": "Share", "zh": "占比"},
    "customer_id": {"en": "Customer", "zh": "顾客"},
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
    "group": {"en": "By", "zh": "维度"},
    "key": {"en": "Group", "zh": "分组"},
    "reason": {"en": "reason", "zh": "退款原因"},
    "stage": {"en": "stage", "zh": "阶段"},
    "month": {"en": "month", "zh": "月份"},
    "all": {"en": "all", "zh": "全部"},
    "before_shipping": {"en": "before shipping", "zh": "发货前"},
    "after_shipping": {"en": "after shipping", "zh": "发货后"},
    "quality": {"en": "quality", "zh": "质量问题"},
    "not_as_described": {"en": "not as described", "zh": "描述不符"},
    "logistics_reason": {"en": "logistics", "zh": "物流问题"},
    "no_reason": {"en": "no reason", "zh": "七天无理由"},
    "other": {"en": "other", "zh": "其他"},
    "refunds_title": {"en": "Refund retention by reason, stage", "zh": "退款挽单(按原因、阶段)"},
    "refund_score_effect": {
        "en": "Score effect: a request with reason quality or not_as_described counts in "
        "the negative feedback rate whether it is retained or not; only completed refunds "
        "count in refund handling time. Retention saves money, not score points.",
        "zh": "对体验分的影响: 质量问题/描述不符的退款申请无论是否挽回都计入商品负反馈率; "
        "只有退款成功的才计入退款处理时长。挽单省的是钱, 不是分。",
    },
    # diagnose, plan, trend
    "rank": {"en": "#", "zh": "排名"},
    "events": {"en": "Events", "zh": "事件数"},
    "next_roll_off": {"en": "Next roll-off", "zh": "最早移出"},
    "id": {"en": "Id", "zh": "编号"},
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
    "first": {"en": "First", "zh": "期初"},
    "last": {"en": "Last", "zh": "期末"},
}


def label(key: str, lang: str = "en") -> str:
    """The label of ``key`` in ``lang``; unknown keys are returned unchanged."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def _add(entries: dict[str, tuple[str, str]]) -> None:
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
        "rejected": ("Rejected", "拒收"),
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
        "improve_by": ("improve {indicator} by {value}%", "改善 {indicator} {value}%"),
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
            "截至 {as_of}；考核周期 ({start}, {end}] = {days} 天；基准 {benchmark}；配置 {config}",
        ),
        "thresholds": ("thresholds", "固定阈值"),
        "peers": ("peers", "同行业对比"),
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
            "（店铺数据早不过周期起点时为空：无法观测）。",
        ),
        "def.rr": (
            "rr_Nd = first-time customers who order again within N days after their first "
            "order day / first-time customers whose N days are fully observed (null when none "
            "are).",
            "rr_Nd = 首购后 N 天内再次下单的新顾客数 / N 天已完整观测的新顾客数（没有这样的顾客时为空）。",
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
        "info_definitions": (
            "assessable = indicators whose inputs were provided (an indicator also needs events "
            "in the window); inferred = guessed from the rows of a database loaded before svc "
            "recorded coverage",
            "可考核指标 = 所需数据已提供的指标（指标还需要周期内有事件）；推断 = 由 svc "
            "记录数据覆盖之前导入的数据行推断",
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
            "导入含发货时间（shipped_at）的订单导出",
        ),
        "provide.delivered_at": (
            "load an orders export with the delivery/sign-for time (delivered_at)",
            "导入含签收时间（delivered_at）的订单导出",
        ),
        "provide.refund_reason": (
            "load the refund export (refund reasons), e.g. svc load DB refunds.csv",
            "导入退款导出（退款原因），例如 svc load DB refunds.csv",
        ),
        "provide.refund_requested_at": (
            "load the refund export (request times)",
            "导入退款导出（申请时间）",
        ),
        "provide.refund_completed_at": (
            "load the refund export (completion times)",
            "导入退款导出（完成时间）",
        ),
        "provide.escalated": (
            "load an export with the platform-help/dispute flag (escalated)",
            "导入含平台求助/纠纷标记（escalated）的导出",
        ),
        "provide.reviews": ("load the review export with --reviews", "用 --reviews 导入评价导出"),
        "provide.reviews.order_id": (
            "load a review export that names each review's order (order_id)",
            "导入注明每条评价所属订单（order_id）的评价导出",
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
        "trend": ("Score trend", "体验分趋势"),
        "trend_caption": (
            "Score at {weeks} weekly as-of dates, each over a {days}-day window; gaps: no "
            "score (growth stage or no data)",
            "每周一个截至日期共 {weeks} 个点，各按 {days} 天考核周期计算；空缺表示当时没有体验分"
            "（成长期或数据不足）",
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

LIST_SEPARATOR = {"en": ", ", "zh": "、"}
CLAUSE_SEPARATOR = {"en": "; ", "zh": "；"}


class Message(str):
    """A message of the library: its English text (what JSON and logs carry), plus the
    key and parameters a view needs to show it in another language (``translate``).

    Parameters are strings (ids are translated by ``label``, or by the ``names`` given to
    ``translate``), lists of them, or nested messages; format numbers before passing them.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Message:
        text = LABELS[key]["en"].format(**{k: _param(v, "en", {}) for k, v in params.items()})
        message = super().__new__(cls, text)
        message.key, message.params = key, params
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, self.params))


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
    if lang == "en":
        return text
    return names.get(text) or label(text, lang)


def translate(message: str, lang: str = "en", names: dict[str, str] | None = None) -> str:
    """``message`` in ``lang``: a ``Message`` is rebuilt from its key, translating its
    parameters (ids through ``names`` first, then the labels); other text is unchanged."""
    if lang == "en" or not isinstance(message, Message):
        return str(message)
    entry = LABELS[message.key]
    template = entry.get(lang) or entry["en"]
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
