"""Deterministic generator for the svc demo data set.

Writes six CSV files next to this script, in the canonical input format of spec §1
(the same headers, column order and value formats as ``spec/examples/small``):

* ``orders.csv``  -- orders of 10 shops over 15 months, ordered 2024-08-01 .. 2025-10-31:
  the last three months at full volume, the twelve before at a fifth of it (history, so
  that returning rate and rr_180d / rr_365d are observable)
* ``partial_orders.csv``, ``partial_reviews.csv`` -- an 11th shop whose back office
  exports less: an order report without delivery time, refund columns or the dispute
  flag, its reviews, and no chats (loaded on their own, they show data coverage: the
  indicators that need the missing inputs are not assessed)
* ``reviews.csv`` -- reviews written in the last three months (some follow-ups, some
  quoted texts)
* ``chats.csv``   -- customer-service chat sessions of the last three months (one shop
  has none)
* ``shops.csv``   -- 9 of the 10 shops of ``orders.csv`` (one shop is deliberately missing)

Nothing happens after ``2025-10-31 23:59:59``: events that would fall later simply have
not happened yet (orders still pending / paid / shipped, refunds still requested, reviews
not yet written), so the latest timestamp in the data is on 2025-10-31 and is the default
as-of of ``svc score`` / ``svc report repurchase``.

The shops cover every outcome of the model with the default config (v1.3) and a 30-day
window: two "high" shops, both badge-eligible; three "ordinary" ones (one without special
services: its add-on came from next-day delivery, which v1.3 no longer counts); four "low"
ones; a growth-stage shop (< 30 valid orders in the window); a shop without chat sessions
(response_3min_rate not assessed: no events); a shop absent from shops.csv (industry
general); and the partial-export shop (indicators not assessed: inputs not provided).
Customers re-order (same day or weeks later), so repurchase metrics are non-trivial.
The history months come from random streams of their own; their customers go on
ordering into the last three months, as returning customers do.

Only the standard library is used, with a fixed random seed: running the script again
produces byte-identical files.  Regenerate from the repository root with::

    python sample_data/generate.py
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# Any seed gives the same kind of data; this one puts the "ordinary" shops mid-band (their
# scores rest on small 30-day counts, so another seed can move them by about ±0.1).
SEED = 4
START = datetime(2025, 8, 1)
DAYS = 92  # 2025-08-01 .. 2025-10-31
HISTORY_START = datetime(2024, 8, 1)  # 12 months of history before START
HISTORY_VOLUME = 1 / 5  # of each shop's daily new customers, during the history months
END = datetime(2025, 10, 31, 23, 59, 59)  # nothing may happen after this instant
OUT_DIR = Path(__file__).resolve().parent
TS = "%Y-%m-%d %H:%M:%S"

ORDER_COLUMNS = [
    "order_id",
    "shop_id",
    "customer_id",
    "ordered_at",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "amount",
    "quantity",
    "sku",
    "status",
    "refund_amount",
    "refund_reason",
    "refund_status",
    "refund_requested_at",
    "refund_completed_at",
    "escalated",
]
REVIEW_COLUMNS = ["review_id", "order_id", "shop_id", "customer_id", "rating", "created_at", "text"]
CHAT_COLUMNS = [
    "session_id",
    "shop_id",
    "agent_id",
    "customer_id",
    "started_at",
    "first_response_seconds",
    "satisfaction",
    "qa_score",
]
SHOP_COLUMNS = ["shop_id", "name", "industry", "services"]

# Typical unit prices per industry, in cents (low, high).
PRICE_RANGE = {
    "general": (990, 19900),
    "apparel": (5900, 39900),
    "beauty": (3900, 49900),
    "food": (990, 12900),
    "home_furnishing": (19900, 299900),
    "pets": (1900, 29900),
    "mother_baby": (2900, 39900),
    "electronics_accessories": (990, 19900),
}

# Order-time-of-day profile (weight per hour 0..23): quiet nights, evening peak.
HOUR_WEIGHTS = [3, 2, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 10, 9, 9, 9, 9, 10, 11, 13, 15, 16, 15, 9]

# Shop behaviour.  Probabilities are per order unless noted; hour triples are
# (low, mode, high) of a triangular distribution.
_BASE = {
    "new_per_day": 10.0,  # first-time customers per day
    "again": 0.25,  # chance that a customer orders again after each order
    "same_day": 0.15,  # share of re-orders placed the same day
    "gap_days": (3, 18, 60),  # days between re-orders otherwise
    "unpaid": 0.05,  # orders never paid (cancelled, or pending if recent)
    "late_ship": 0.003,  # shipped later than 48 h after payment
    "ship_hours": (0.5, 10, 40),
    "transit_hours": (12, 26, 60),
    "preship_refund": 0.015,  # refund requested before shipping
    "refund": 0.05,  # refund requested after delivery
    "reasons": {"quality": 1, "not_as_described": 1, "logistics": 1, "no_reason": 5, "other": 1},
    "withdrawn": 0.10,
    "rejected": 0.06,
    "refund_hours": (0.5, 5, 20),
    "escalate": 0.0008,  # dispute with the platform, independent of refunds
    "review": 0.45,
    "ratings": (2, 2, 6, 40, 150),  # weights of 1..5 stars
    "follow_up": 0.03,  # share of reviews with a later follow-up review
    "chat": 0.35,  # chat sessions per order
    "chat_fast": 0.97,  # in-hours sessions answered within 180 s
    "chat_never": 0.01,  # in-hours sessions never answered
    "agents": 3,
    "masked": 0.01,  # orders exported without customer_id
}


# Refund reasons of shops whose goods rarely disappoint.
CAREFUL = {"quality": 1, "not_as_described": 1, "logistics": 2, "no_reason": 14, "other": 2}


def _shop(
    shop_id,
    name,
    industry,
    services,
    listed=True,
    chats=True,
    id_digits=19,
    partial=False,
    **params,
):
    unknown = set(params) - set(_BASE)
    if unknown:
        raise ValueError(f"unknown shop parameters: {sorted(unknown)}")
    return {
        "shop_id": shop_id,
        "name": name,
        "industry": industry,
        "services": services,
        "listed": listed,
        "chats": chats,
        "id_digits": id_digits,
        "partial": partial,
        "p": {**_BASE, **params},
    }


SHOPS = [
    # high, badge-eligible: fast everything, two home-furnishing services.
    _shop(
        "689420",
        "栖木家居旗舰店",
        "home_furnishing",
        ["delivery_install", "old_item_removal"],
        new_per_day=6.5,
        again=0.12,
        gap_days=(7, 30, 80),
        transit_hours=(14, 24, 48),
        refund=0.03,
        reasons=CAREFUL,
        refund_hours=(0.5, 4, 12),
        ratings=(1, 1, 2, 26, 170),
        escalate=0.0,
        chat=0.5,
    ),
    # high: pets, regular re-buyers (food / litter every few weeks).
    _shop(
        "751862",
        "毛孩子宠物生活馆",
        "pets",
        ["refund_if_pet_refuses", "return_shipping_insurance"],
        new_per_day=8.0,
        again=0.40,
        same_day=0.10,
        gap_days=(10, 28, 45),
        reasons=CAREFUL,
        refund_hours=(0.5, 4, 14),
        ratings=(1, 1, 2, 30, 166),
        escalate=0.0003,
    ),
    # no special services: its add-on came from next-day delivery only (high before
    # v1.3 turned delivery points off; ordinary now).
    _shop(
        "560193",
        "花间集美妆专营店",
        "beauty",
        [],
        new_per_day=10.0,
        again=0.30,
        ship_hours=(0.5, 4, 16),
        transit_hours=(6, 14, 30),
        reasons=CAREFUL,
        refund_hours=(0.5, 3, 10),
        ratings=(1, 1, 2, 24, 172),
        escalate=0.0002,
        chat_fast=0.985,
    ),
    # low (just): general store with two "any" services, a bit slow to ship and to refund.
    _shop(
        "318205",
        "禾木生活百货店",
        "general",
        ["extended_warranty", "return_shipping_insurance"],
        new_per_day=13.0,
        again=0.28,
        late_ship=0.015,
        ship_hours=(1, 16, 46),
        transit_hours=(20, 36, 72),
        refund_hours=(2, 10, 30),
        ratings=(1, 1, 5, 40, 153),
        escalate=0.002,
        chat_fast=0.95,
        chat_never=0.015,
    ),
    # ordinary: electronics accessories, no customer-service chat export at all.
    _shop(
        "804417",
        "极客派数码配件店",
        "electronics_accessories",
        ["damaged_item_reship"],
        chats=False,
        new_per_day=8.0,
        again=0.18,
        late_ship=0.012,
        transit_hours=(20, 34, 72),
        refund_hours=(2, 10, 30),
        ratings=(1, 1, 5, 40, 153),
        escalate=0.001,
    ),
    # ordinary: mother & baby, size exchanges, frequent re-orders (diapers, formula).
    _shop(
        "912635",
        "小橡果母婴旗舰店",
        "mother_baby",
        ["free_size_exchange"],
        new_per_day=8.5,
        again=0.38,
        gap_days=(5, 21, 40),
        late_ship=0.012,
        ship_hours=(1, 16, 44),
        transit_hours=(20, 36, 72),
        refund_hours=(2, 10, 30),
        ratings=(1, 1, 3, 40, 155),
        escalate=0.001,
        chat_fast=0.93,
        chat_never=0.02,
    ),
    # low: apparel, late shipping, many returns and bad reviews.
    _shop(
        "427716",
        "云裳衣橱女装旗舰店",
        "apparel",
        ["return_shipping_insurance"],
        new_per_day=11.0,
        again=0.20,
        gap_days=(7, 25, 70),
        late_ship=0.05,
        ship_hours=(2, 24, 47),
        transit_hours=(24, 44, 90),
        refund=0.12,
        reasons={"quality": 2, "not_as_described": 3, "logistics": 1, "no_reason": 8, "other": 1},
        refund_hours=(4, 20, 60),
        ratings=(4, 3, 8, 35, 150),
        escalate=0.006,
        chat_fast=0.86,
        chat_never=0.03,
        agents=4,
    ),
    # low: fresh fruit, slow cold chain, spoiled deliveries.
    _shop(
        "266048",
        "鲜丰果园生鲜店",
        "food",
        [],
        new_per_day=8.0,
        again=0.30,
        gap_days=(4, 14, 35),
        late_ship=0.03,
        transit_hours=(18, 40, 90),
        refund=0.08,
        reasons={"quality": 3, "not_as_described": 1, "logistics": 2, "no_reason": 3, "other": 1},
        refund_hours=(2, 16, 48),
        ratings=(4, 2, 7, 35, 152),
        escalate=0.004,
        chat_fast=0.90,
        chat_never=0.03,
        id_digits=18,
    ),
    # growth stage: a small snack shop with only a handful of orders.
    _shop(
        "073351",
        "山野小厨零食铺",
        "food",
        ["breakage_compensation"],
        new_per_day=0.35,
        again=0.25,
        agents=1,
        id_digits=18,
    ),
    # low, and missing from shops.csv (so: industry general, no services).
    _shop(
        "530977",
        "优品汇杂货铺",
        "general",
        [],
        listed=False,
        new_per_day=7.0,
        again=0.20,
        late_ship=0.06,
        ship_hours=(2, 28, 47),
        transit_hours=(24, 50, 100),
        refund=0.08,
        refund_hours=(6, 30, 80),
        ratings=(5, 4, 8, 33, 150),
        escalate=0.01,
        chat_fast=0.80,
        chat_never=0.05,
        agents=2,
    ),
    # partial exports (partial_orders.csv, partial_reviews.csv): no delivery time, refunds
    # or dispute flag, no chats; not in shops.csv either (loaded on their own, later).
    _shop(
        "645102",
        "青禾生活优选店",
        "general",
        [],
        listed=False,
        chats=False,
        partial=True,
        new_per_day=6.0,
        again=0.30,
        gap_days=(10, 30, 60),
        ratings=(1, 1, 3, 35, 160),
    ),
]

#: The columns the partial shop's order report has.
PARTIAL_COLUMNS = [
    "order_id",
    "shop_id",
    "customer_id",
    "ordered_at",
    "paid_at",
    "shipped_at",
    "amount",
    "quantity",
    "sku",
    "status",
]

GOOD_TEXTS = [
    "质量很好，物流也快",
    "包装严实，客服态度好",
    "宝贝收到了，和描述一致",
    "性价比高，推荐",
    "好评！会回购的",
    "第二次买了，一如既往的好",
    "家里人都说好用",
    '很满意，"正品"无疑',
    "颜色很正,和图片一样",
    "发货快，包装也用心",
    "已经回购好几次了",
    "物超所值",
    "",
    "",
]
INDUSTRY_TEXTS = {
    "apparel": ["尺码合适，面料舒服", "上身效果很好看", '版型不错，"显瘦"'],
    "beauty": ["味道很好闻，不油腻", "保质期很新鲜", "用了一周皮肤变好了"],
    "food": ["很新鲜，很好吃", "日期新鲜，孩子爱吃", "甜度刚好,会再买"],
    "home_furnishing": ["安装师傅很专业", "送货上门，还帮忙安装了", "做工扎实，没有异味"],
    "pets": ["猫咪很爱吃", "狗狗吃得很香", "猫砂结团好，不粘底"],
    "mother_baby": ["宝宝用着不红屁屁", "尺码换了一次，很方便", "材质柔软，放心"],
    "electronics_accessories": ["充电很快，做工不错", "接口很稳，不松动", "数据线很耐用"],
    "general": ["东西不错，价格实惠", "用着挺顺手"],
}
MID_TEXTS = ["还行，物流有点慢", "凑合能用", "一般般吧", "和图片有点色差", "中规中矩"]
BAD_TEXTS = [
    "质量太差了，退货",
    "与描述不符！！",
    "收到就坏了，客服也不理人",
    "差评，发货太慢",
    '说是"纯棉"，结果起球,失望',
    "用了两天就坏了",
    "包装破损，东西也脏了",
]
FOLLOW_UP_GOOD = ["追评：用了一周，还是不错", "追评：又回购了", ""]
FOLLOW_UP_BAD = ["追评：用了几天就出问题了", "追评：客服处理太慢"]


def money(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt(t: datetime | None) -> str:
    return t.strftime(TS) if t else ""


def tri_hours(rng: random.Random, spec: tuple) -> timedelta:
    lo, mode, hi = spec
    return timedelta(seconds=round(rng.triangular(lo, hi, mode) * 3600))


def poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method; lam is small here.
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def time_of_day(rng: random.Random, day: datetime) -> datetime:
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return day + timedelta(hours=hour, seconds=rng.randrange(3600))


class Ids:
    def __init__(self):
        self.customers = 0

    def customer(self, rng: random.Random) -> str:
        self.customers += 1
        return f"tb{rng.randrange(10**9, 10**10)}_{self.customers}"


def order_times(
    rng: random.Random,
    shop: dict,
    ids: Ids,
    start: datetime = START,
    days: int = DAYS,
    end: datetime = END,
    volume: float = 1.0,
) -> list[tuple[datetime, str]]:
    """(ordered_at, customer_id) of every order of the shop placed from ``start`` for
    ``days`` days (re-orders until ``end``), in time order."""
    p = shop["p"]
    out = []
    for d in range(days):
        day = start + timedelta(days=d)
        weekend = 1.15 if day.weekday() >= 5 else 1.0
        for _ in range(poisson(rng, p["new_per_day"] * weekend * volume)):
            customer = ids.customer(rng)
            t = time_of_day(rng, day)
            out.append((t, customer))
            while rng.random() < p["again"]:
                if rng.random() < p["same_day"]:
                    t = t + timedelta(minutes=rng.randint(5, 300))
                else:
                    lo, mode, hi = p["gap_days"]
                    gap = round(rng.triangular(lo, hi, mode))
                    next_day = (t + timedelta(days=gap)).replace(hour=0, minute=0, second=0)
                    t = time_of_day(rng, next_day)
                if t > end:
                    break
                out.append((t, customer))
    out.sort()
    return out


def build_shop(shop: dict, ids: Ids, history: bool = False):
    """The shop's orders, reviews and chats of the customers who first order in the last
    three months, or with ``history`` the orders and reviews (no chats) of those who first
    ordered in the twelve months before (from random streams of their own)."""
    p = shop["p"]
    sid = shop["shop_id"]
    # Independent random streams per shop and table: tuning one shop (or the review texts)
    # does not reshuffle anything else.
    rng = random.Random(f"{SEED}-{sid}-orders")
    review_rng = random.Random(f"{SEED}-{sid}-reviews")
    chat_rng = random.Random(f"{SEED}-{sid}-chats")
    lo, hi = PRICE_RANGE[shop["industry"]]
    skus = [(f"SKU-{sid}-{i:03d}", rng.randrange(lo, hi) // 10 * 10 + 9) for i in range(1, 41)]
    digits = shop["id_digits"]
    next_id = rng.randrange(10 ** (digits - 1) + 10**16, 10**digits - 10**16)
    times = None
    if history:  # ids below the recent ones' range
        rng = random.Random(f"{SEED}-{sid}-history-orders")
        review_rng = random.Random(f"{SEED}-{sid}-history-reviews")
        next_id = rng.randrange(10 ** (digits - 1), 10 ** (digits - 1) + 10**15)
        days = (START - HISTORY_START).days
        times = order_times(rng, shop, ids, HISTORY_START, days, END, HISTORY_VOLUME)
    orders, reviews, chats = [], [], []
    for ordered_at, customer in times if times is not None else order_times(rng, shop, ids):
        next_id += rng.randint(1, 97)
        sku, price = rng.choice(skus)
        qty = rng.choices([1, 2, 3], weights=[82, 14, 4])[0]
        cents = price * qty
        if cents >= 10000 and rng.random() < 0.3:
            cents -= rng.choice([500, 1000, 2000])  # store coupon
        o = {
            "order_id": str(next_id),
            "shop_id": sid,
            "customer_id": "" if rng.random() < p["masked"] else customer,
            "ordered_at": ordered_at,
            "paid_at": None,
            "shipped_at": None,
            "delivered_at": None,
            "amount": cents,
            "quantity": qty,
            "sku": sku,
            "status": "pending",
            "refund_amount": 0,
            "refund_reason": "",
            "refund_status": "",
            "refund_requested_at": None,
            "refund_completed_at": None,
            "escalated": False,
        }
        orders.append(o)
        simulate_order(rng, shop, o)
        # the review and chat exports cover the last three months
        reviews.extend(r for r in make_reviews(review_rng, shop, o) if r["created_at"] >= START)
        if shop["chats"] and not history and chat_rng.random() < p["chat"]:
            chat = make_chat(chat_rng, shop, o, customer)
            if chat["started_at"] <= END:
                chats.append(chat)
    return orders, reviews, chats


def simulate_order(rng: random.Random, shop: dict, o: dict) -> None:
    p = shop["p"]
    if rng.random() < p["unpaid"]:
        # Unpaid orders are auto-cancelled after a day; recent ones are still pending.
        o["status"] = "pending" if o["ordered_at"] > END - timedelta(days=1) else "cancelled"
        return
    pay_seconds = rng.choice([rng.randint(5, 600), rng.randint(5, 5400)])
    paid = o["ordered_at"] + timedelta(seconds=pay_seconds)
    if paid > END:
        return  # still pending at the end of the data
    o["paid_at"], o["status"] = paid, "paid"

    # Refund requested before shipping (buyer changed their mind).
    if rng.random() < p["preship_refund"]:
        req = paid + timedelta(minutes=rng.randint(3, 30 * 60))
        if req <= END:
            reason = rng.choices(["no_reason", "other", "logistics"], weights=[7, 2, 1])[0]
            outcome = rng.choices(["completed", "withdrawn", "rejected"], weights=[85, 12, 3])[0]
            decided = req + tri_hours(rng, (0.1, 1, 8))
            set_refund(o, reason, req)
            if decided > END:
                return  # still being processed; the seller waits before shipping
            if outcome == "completed":
                o["refund_status"], o["refund_completed_at"] = "completed", decided
                o["status"] = "cancelled" if rng.random() < 0.7 else "refunded"
                return
            o["refund_status"], o["refund_amount"] = outcome, 0

    if rng.random() < p["late_ship"]:
        ship_delay = timedelta(hours=48, seconds=rng.randint(60, 60 * 3600))
    elif rng.random() < 0.003:
        ship_delay = timedelta(hours=48)  # exactly on the boundary: still on time
    else:
        ship_delay = tri_hours(rng, p["ship_hours"])
    shipped = paid + ship_delay
    if shipped > END:
        return
    o["shipped_at"], o["status"] = shipped, "shipped"
    delivered = shipped + tri_hours(rng, p["transit_hours"])

    # A parcel stuck in transit: buyer asks for a refund before delivery.
    if rng.random() < 0.004:
        req = shipped + tri_hours(rng, (24, 48, 96))
        if req <= END and req < delivered:
            set_refund(o, "logistics", req)
            done = req + tri_hours(rng, p["refund_hours"])
            if done <= END:
                o["refund_status"], o["refund_completed_at"] = "completed", done
                o["status"] = "refunded"
            return

    if delivered > END:
        return
    o["delivered_at"], o["status"] = delivered, "completed"

    if rng.random() < p["refund"]:
        req = delivered + timedelta(minutes=rng.randint(30, 7 * 24 * 60))
        if req > END:
            return
        reasons = p["reasons"]
        reason = rng.choices(list(reasons), weights=list(reasons.values()))[0]
        set_refund(o, reason, req)
        outcome = rng.choices(
            ["completed", "withdrawn", "rejected"],
            weights=[1 - p["withdrawn"] - p["rejected"], p["withdrawn"], p["rejected"]],
        )[0]
        decided = req + tri_hours(rng, p["refund_hours"])
        if decided > END:
            return  # still "requested"
        if outcome == "completed":
            o["refund_status"], o["refund_completed_at"] = "completed", decided
            if reason in ("quality", "not_as_described") and rng.random() < 0.3:
                # Partial refund (compensation); the buyer keeps the goods.
                o["refund_amount"] = o["amount"] * rng.choice([10, 20, 30, 50]) // 100
            else:
                o["status"] = "refunded"
        else:
            o["refund_status"], o["refund_amount"] = outcome, 0
            if outcome == "rejected" and rng.random() < 0.35:
                o["escalated"] = True
    if rng.random() < p["escalate"]:
        o["escalated"] = True


def set_refund(o: dict, reason: str, requested: datetime) -> None:
    o["refund_reason"], o["refund_status"] = reason, "requested"
    o["refund_requested_at"], o["refund_amount"] = requested, o["amount"]


def make_reviews(rng: random.Random, shop: dict, o: dict) -> list[dict]:
    p = shop["p"]
    if o["delivered_at"] is None or rng.random() > p["review"]:
        return []
    created = o["delivered_at"] + timedelta(minutes=rng.randint(60, 10 * 24 * 60))
    if created > END:
        return []
    unhappy = o["refund_reason"] in ("quality", "not_as_described")
    if unhappy and o["refund_status"] != "withdrawn":
        rating = rng.choices([1, 2, 3, 4], weights=[6, 3, 2, 1])[0]
    else:
        rating = rng.choices([1, 2, 3, 4, 5], weights=p["ratings"])[0]
    text = review_text(rng, shop, rating)
    base = {"order_id": o["order_id"], "shop_id": o["shop_id"], "customer_id": o["customer_id"]}
    out = [{**base, "rating": rating, "created_at": created, "text": text}]
    if rng.random() < p["follow_up"]:
        extra = rng.choice(FOLLOW_UP_GOOD if rating >= 4 else FOLLOW_UP_BAD)
        later = created + timedelta(minutes=rng.randint(24 * 60, 15 * 24 * 60))
        if rng.random() < 0.5 and extra:
            out[0]["text"] = f"{text}\n{extra}" if text else extra  # appended in one export
        elif later <= END:
            out.append({**base, "rating": rating, "created_at": later, "text": extra})
    return out


def review_text(rng: random.Random, shop: dict, rating: int) -> str:
    if rating >= 4:
        pool = GOOD_TEXTS + INDUSTRY_TEXTS[shop["industry"]] * 2
    elif rating == 3:
        pool = MID_TEXTS
    else:
        pool = BAD_TEXTS
    return rng.choice(pool)


def make_chat(rng: random.Random, shop: dict, o: dict, customer: str) -> dict:
    p = shop["p"]
    # Pre-sale questions on the order day, after-sale ones up to three days later.
    day = o["ordered_at"].replace(hour=0, minute=0, second=0)
    started = time_of_day(rng, day + timedelta(days=rng.choice([0, 0, 0, 1, 2, 3])))
    if rng.random() < 0.01:  # a few sessions exactly on the 08:00 / 23:00 boundaries
        started = started.replace(hour=rng.choice([8, 23]), minute=0, second=0)
    in_hours = 8 <= started.hour < 23
    r = rng.random()
    if in_hours and r < p["chat_fast"]:
        first = rng.choice([rng.randint(3, 60), rng.randint(3, 180)])
    elif in_hours and r < p["chat_fast"] + p["chat_never"]:
        first = None
    elif in_hours:
        first = rng.randint(181, 1800)
    else:  # agents are offline at night: answered next morning, or never
        first = None if rng.random() < 0.4 else rng.randint(600, 9 * 3600)
    if rng.random() < 0.5:
        satisfaction = ""
    elif first is None or first > 180:
        satisfaction = rng.choices([1, 2, 3, 4, 5], weights=[4, 3, 3, 2, 1])[0]
    else:
        satisfaction = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 15, 50])[0]
    qa = "" if rng.random() < 0.7 else rng.randint(55, 100)
    return {
        "shop_id": shop["shop_id"],
        "agent_id": f"{shop['shop_id']}-kf{rng.randint(1, p['agents'])}",
        "customer_id": customer,
        "started_at": started,
        "first_response_seconds": "" if first is None else first,
        "satisfaction": satisfaction,
        "qa_score": qa,
    }


def order_row(o: dict, columns: list[str]) -> list:
    """An order as written, in ``columns``; an order the partial export shows as delivered
    is only "shipped" there (its report has no delivery time)."""
    values = {
        **o,
        "ordered_at": fmt(o["ordered_at"]),
        "paid_at": fmt(o["paid_at"]),
        "shipped_at": fmt(o["shipped_at"]),
        "delivered_at": fmt(o["delivered_at"]),
        "amount": money(o["amount"]),
        "refund_amount": money(o["refund_amount"]),
        "refund_requested_at": fmt(o["refund_requested_at"]),
        "refund_completed_at": fmt(o["refund_completed_at"]),
        "escalated": "true" if o["escalated"] else "false",
    }
    return [values[c] for c in columns]


def write(name: str, columns: list[str], rows: list[list]) -> None:
    with open(OUT_DIR / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)


def main() -> None:
    ids = Ids()
    orders, reviews, chats = [], [], []
    for history in (False, True):  # the history after: it leaves the recent ids as they are
        for shop in SHOPS:
            o, r, c = build_shop(shop, ids, history)
            orders += o
            reviews += r
            chats += c

    orders.sort(key=lambda o: (o["ordered_at"], o["shop_id"], o["order_id"]))
    for i, r in enumerate(reviews, 1):
        r["review_id"] = f"rv{i:09d}"
    reviews.sort(key=lambda r: (r["created_at"], r["review_id"]))
    for i, c in enumerate(chats, 1):
        c["session_id"] = f"ch{i:08d}"
    chats.sort(key=lambda c: (c["started_at"], c["session_id"]))

    partial = {s["shop_id"] for s in SHOPS if s["partial"]}
    write(
        "orders.csv",
        ORDER_COLUMNS,
        [order_row(o, ORDER_COLUMNS) for o in orders if o["shop_id"] not in partial],
    )
    write(
        "partial_orders.csv",
        PARTIAL_COLUMNS,
        [order_row(o, PARTIAL_COLUMNS) for o in orders if o["shop_id"] in partial],
    )
    for name, rows in (
        ("reviews.csv", [r for r in reviews if r["shop_id"] not in partial]),
        ("partial_reviews.csv", [r for r in reviews if r["shop_id"] in partial]),
    ):
        write(
            name,
            REVIEW_COLUMNS,
            [[fmt(r[c]) if c == "created_at" else r[c] for c in REVIEW_COLUMNS] for r in rows],
        )
    write(
        "chats.csv",
        CHAT_COLUMNS,
        [
            [
                c["session_id"],
                c["shop_id"],
                c["agent_id"],
                c["customer_id"],
                fmt(c["started_at"]),
                c["first_response_seconds"],
                c["satisfaction"],
                c["qa_score"],
            ]
            for c in chats
        ],
    )
    write(
        "shops.csv",
        SHOP_COLUMNS,
        [
            [s["shop_id"], s["name"], s["industry"], ";".join(s["services"])]
            for s in SHOPS
            if s["listed"]
        ],
    )
    print(
        f"wrote {len(orders)} orders, {len(reviews)} reviews, {len(chats)} chats, "
        f"{sum(s['listed'] for s in SHOPS)} shops to {OUT_DIR}"
    )


if __name__ == "__main__":
    main()
