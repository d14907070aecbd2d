"""The shipped ``model.toml``, parsed: the default model without importing and running
``tomllib`` at every start. Written by ``python docs/update_model_defaults.py``;
tests/test_config_schema.py fails when it differs from model.toml.
"""

from typing import Any

MODEL: dict[str, Any] = {
    "spec_version": "1.3",
    "timezone": "Asia/Shanghai",
    "window": {"score_days": 30, "repurchase_days": 365},
    "growth_stage": {"min_valid_orders": 30},
    "tiers": {"high": 4.8, "ordinary": 4.5, "badge_min_score": 4.8},
    "addon": {
        "cap": 0.3,
        "delivery_points_enabled": False,
        "delivery_points": [[0.3, 0.05], [0.6, 0.1]],
    },
    "repurchase_projection": {"good_service_ratio": 2.0, "min_shops_per_tier": 3},
    "agents": {
        "min_service_hour_sessions": 30,
        "min_rated_sessions": 30,
        "min_qa_scored_sessions": 1,
        "what_if_level": "senior",
        "levels": {
            "expert": {
                "zh": "专家客服",
                "sessions": 300,
                "response_3min_rate": 0.95,
                "satisfaction_rate": 0.95,
                "qa_score": 90,
            },
            "senior": {
                "zh": "资深客服",
                "sessions": 150,
                "response_3min_rate": 0.9,
                "satisfaction_rate": 0.9,
                "qa_score": 85,
            },
            "advanced": {
                "zh": "高级客服",
                "sessions": 50,
                "response_3min_rate": 0.85,
                "satisfaction_rate": 0.85,
                "qa_score": 80,
            },
        },
    },
    "bootstrap": {"resamples": 1000, "seed": 20260316, "confidence": 0.95},
    "service_repurchase": {"chat_days": 7, "horizons": [90, 180]},
    "repeat": {
        "horizon_days": 90,
        "amount_bands": [0, 50, 100, 200, 500, 1000],
        "gap_bins": [7, 14, 30, 60, 90, 180, 365],
        "overdue_factor": 1.5,
    },
    "dimensions": {
        "goods": {"weight": 0.25},
        "logistics": {"weight": 0.25},
        "service": {"weight": 0.5},
    },
    "indicators": {
        "neg_feedback_rate": {
            "dimension": "goods",
            "weight": 0.7,
            "direction": "lower",
            "unit": "rate",
            "anchors": [[0.003, 5.0], [0.01, 4.5], [0.02, 4.0], [0.05, 3.0]],
        },
        "good_review_rate": {
            "dimension": "goods",
            "weight": 0.3,
            "direction": "higher",
            "unit": "rate",
            "anchors": [[0.99, 5.0], [0.97, 4.5], [0.95, 4.0], [0.85, 3.0]],
        },
        "pickup_48h_rate": {
            "dimension": "logistics",
            "weight": 0.7,
            "direction": "higher",
            "unit": "rate",
            "anchors": [[0.995, 5.0], [0.98, 4.5], [0.95, 4.0], [0.85, 3.0]],
        },
        "delivery_hours": {
            "dimension": "logistics",
            "weight": 0.3,
            "direction": "lower",
            "unit": "hours",
            "anchors": [[48, 5.0], [60, 4.5], [72, 4.0], [120, 3.0]],
        },
        "refund_hours": {
            "dimension": "service",
            "weight": 0.25,
            "direction": "lower",
            "unit": "hours",
            "anchors": [[6, 5.0], [12, 4.5], [24, 4.0], [72, 3.0]],
        },
        "help_rate": {
            "dimension": "service",
            "weight": 0.25,
            "direction": "lower",
            "unit": "rate",
            "anchors": [[0.001, 5.0], [0.003, 4.5], [0.006, 4.0], [0.015, 3.0]],
        },
        "response_3min_rate": {
            "dimension": "service",
            "weight": 0.3,
            "direction": "higher",
            "unit": "rate",
            "anchors": [[0.97, 5.0], [0.92, 4.5], [0.85, 4.0], [0.7, 3.0]],
        },
        "satisfaction_rate": {
            "dimension": "service",
            "weight": 0.2,
            "direction": "higher",
            "unit": "rate",
            "anchors": [[0.95, 5.0], [0.9, 4.5], [0.85, 4.0], [0.7, 3.0]],
        },
    },
    "peers": {"anchors": [[0.0, 3.0], [0.4, 4.0], [0.7, 4.5], [0.9, 5.0]], "min_shops": 5},
    "industries": {
        "general": {"zh": "综合"},
        "apparel": {"zh": "服饰"},
        "beauty": {"zh": "美妆"},
        "food": {"zh": "食品"},
        "home_furnishing": {"zh": "家居家装"},
        "pets": {"zh": "宠物"},
        "mother_baby": {"zh": "母婴"},
        "electronics_accessories": {"zh": "数码配件"},
    },
    "services": {
        "delivery_install": {
            "zh": "拆送装一体",
            "en": "Delivery, unpacking and installation",
            "industry": "home_furnishing",
            "points": 0.1,
        },
        "old_item_removal": {
            "zh": "免费拆旧",
            "en": "Free removal of the old item",
            "industry": "home_furnishing",
            "points": 0.05,
        },
        "refund_if_pet_refuses": {
            "zh": "不爱吃包退",
            "en": "Refund if the pet won't eat it",
            "industry": "pets",
            "points": 0.1,
        },
        "free_size_exchange": {
            "zh": "尺码随心换",
            "en": "Free size exchange",
            "industry": "mother_baby",
            "points": 0.1,
        },
        "damaged_item_reship": {
            "zh": "损件包赔",
            "en": "Damaged item reshipped free",
            "industry": "electronics_accessories",
            "points": 0.05,
        },
        "breakage_compensation": {
            "zh": "破损包赔",
            "en": "Breakage compensation",
            "industry": "any",
            "points": 0.05,
        },
        "extended_warranty": {
            "zh": "延长保修",
            "en": "Extended warranty",
            "industry": "any",
            "points": 0.05,
        },
        "return_shipping_insurance": {
            "zh": "运费险",
            "en": "Return shipping insurance",
            "industry": "any",
            "points": 0.05,
        },
    },
    "plan": {
        "event_cost": 1,
        "service_cost": 10,
        "assessment_minimum": 4.23,
        "event_costs": {},
        "service_costs": {},
    },
}
