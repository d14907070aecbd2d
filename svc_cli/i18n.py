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
