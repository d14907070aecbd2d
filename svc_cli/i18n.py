"""English and Simplified Chinese labels (``--lang zh`` or ``SVC_LANG=zh``)."""

from __future__ import annotations

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
}


def label(key: str, lang: str = "en") -> str:
    """The label of ``key`` in ``lang``; unknown keys are returned unchanged."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]
