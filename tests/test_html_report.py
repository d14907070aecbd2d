"""`svc report html`: one self-contained, escaped page, checked in a real browser."""

from __future__ import annotations

import csv
import json
import shutil
import struct
import subprocess
import zlib
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from svc_cli.cli import app
from svc_cli.svg import line_chart
from tests.conftest import GOLDEN, GOLDEN_AS_OF

AS_OF = ("--as-of", GOLDEN_AS_OF)
HOSTILE = {
    "985617": "<script>alert('name')</script>",
    "0042": '"><img src=x onerror=alert(1)>',
    "532969": "Tom & Jerry's <b>shop</b>",
}
HOSTILE_REVIEW = "</li><script>alert('review')</script><a href='http://evil.example'>&x"
TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "div",
    "section", "span", "b", "h4", "table", "thead", "tbody", "tr", "th", "td", "a", "dl", "dt", "dd",
    "ul", "li", "figure", "figcaption", "svg", "rect", "line", "text", "polyline", "circle",
    "footer",
}  # fmt: skip


def invoke(*args: Any) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden data with hostile shop names and bad reviews."""
    tmp = tmp_path_factory.mktemp("hostile")
    with (GOLDEN / "shops.csv").open(encoding="utf-8") as fh:
        shops = list(csv.DictReader(fh))
    for shop in shops:
        shop["name"] = HOSTILE.get(shop["shop_id"], shop["name"])
    with (tmp / "shops.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(shops[0]))
        writer.writeheader()
        writer.writerows(shops)
    reviews = (GOLDEN / "reviews.csv").read_text(encoding="utf-8")
    extra = [
        ["rvX1", "5000315667153847967", "985617", "c1", "1", "2025-06-29 20:00:00", HOSTILE_REVIEW],
        ["rvX2", "5000315667153847967", "985617", "c1", "2", "2025-06-29 21:00:00", "a & b < c"],
    ]  # fmt: skip
    lines = "".join(",".join(csv_field(v) for v in row) + "\n" for row in extra)
    (tmp / "reviews.csv").write_text(reviews + lines, encoding="utf-8")
    db = tmp / "hostile.duckdb"
    invoke("load", db, GOLDEN / "orders.csv", "--reviews", tmp / "reviews.csv",
           "--chats", GOLDEN / "chats.csv", "--shops", tmp / "shops.csv", "-q")  # fmt: skip
    return db


def csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def page(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "report.html"
    invoke("report", "html", hostile_db, *AS_OF, "-o", out, "--weeks", "6")
    return out


def test_every_value_from_the_data_is_escaped(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(text)
    assert {tag for tag, _ in parser.tags} <= TAGS  # no <script>, <img>, … from the data
    for _, attrs in parser.tags:
        assert not [name for name, _ in attrs if name.startswith("on")]
        assert all(
            not (v or "").startswith(("http", "//", "javascript")) for n, v in attrs if n == "href"
        )
    shown = "".join(parser.text)
    for name in HOSTILE.values():
        assert name in shown  # shown as text, exactly
    assert HOSTILE_REVIEW in shown and "a & b < c" in shown
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in text
    assert "Tom &amp; Jerry" in text


def test_page_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(text)
    assert not [a for _, attrs in parser.tags for a, _ in attrs if a in ("src", "srcset")]
    style = text[text.index("<style>") : text.index("</style>")]
    assert "url(" not in style and "@import" not in style
    urls = {u for u in text.split('"') if u.startswith(("http:", "https:"))}
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched


def test_page_shows_scores_trend_and_repurchase(hostile_db: Path, page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    doc = json.loads(invoke("score", hostile_db, *AS_OF, "-f", "json").stdout)
    for shop in doc["shops"]:
        assert f'id="shop-{shop["shop_id"]}"' in text
        if shop["score"] is not None:
            assert f'data-field="score">{shop["score"]:.2f}<' in text
    assert text.count("<svg") == len(doc["shops"]) and "<polyline" in text
    rr = json.loads(invoke("report", "repurchase", hostile_db, *AS_OF, "-f", "json").stdout)
    first = rr["shops"][0]
    assert f"{first['repeat_purchase_rate'] * 100:.2f}%" in text


def test_chinese_page(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "zh.html"
    invoke("report", "html", hostile_db, *AS_OF, "-o", out, "--lang", "zh", "--weeks", "2")
    text = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "真实体验分报告" in text and "诊断" in text
    assert "综合" in text  # industries by their Chinese names


def test_line_chart_breaks_the_line_at_gaps() -> None:
    from datetime import date

    points = [(date(2025, 6, d), v) for d, v in [(1, 4.0), (8, 4.2), (15, None), (22, 4.9)]]
    svg = line_chart(points, title="<t>")
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    assert "&lt;t&gt;" in svg and "<t>" not in svg
    assert "no data" in line_chart([(date(2025, 6, 1), None)])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_page_in_a_real_browser(hostile_db: Path, page: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    common = [CHROMIUM, *BROWSER, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    doc = json.loads(invoke("score", hostile_db, *AS_OF, "-f", "json").stdout)
    scored = [s for s in doc["shops"] if s["score"] is not None]
    for shop in scored:
        assert f'data-field="score">{shop["score"]:.2f}</b>' in dom
    assert "<script>alert" not in dom and "&lt;script&gt;alert(" in dom
    # the plan of `svc plan` and the event counts of `svc diagnose`, as rendered
    plan = json.loads(invoke("plan", hostile_db, *AS_OF, "--shop", "985617", "-f", "json").stdout)
    assert plan["actions"]
    for action in plan["actions"]:
        assert escape(action["text"], quote=False) in dom
    diagnosis = json.loads(
        invoke("diagnose", hostile_db, *AS_OF, "--shop", "985617", "-f", "json").stdout
    )
    top = max(diagnosis["indicators"].values(), key=lambda i: i["points_lost"] or 0)
    assert f'data-field="events">{len(top["events"])}</td>' in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 2000)
    assert len(data) > 50_000  # a rendered page, not a blank one
    pixels = zlib.decompress(b"".join(_chunks(data, b"IDAT")))
    assert len(set(pixels[: len(pixels) // 4])) > 32  # many colours in the top quarter


def _chunks(data: bytes, kind: bytes) -> list[bytes]:
    found, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == kind:
            found.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return found


def test_an_as_of_within_a_day_is_the_last_weeks_point(golden_db: Path) -> None:
    """Three weeks, as of Sunday noon: the two Sundays before, then the as-of itself (it
    added the Saturday before as a fourth point, and the caption said four weeks)."""
    from datetime import date, datetime

    from svc_cli import api

    source = api.DataSource(db=golden_db)
    as_of = "2025-06-29 12:00:00"
    page = api.report_pages(source, as_of=as_of, shop_ids=["985617"], trend_weeks=3).pages[0]
    assert [d for d, _ in page.trend] == [
        date(2025, 6, 15),
        date(2025, 6, 22),
        datetime(2025, 6, 29, 12),
    ]
    assert page.trend[-1][1] == api.score(source, as_of=as_of, shop_ids=["985617"]).shops[0].score


def test_report_pages_reuse_trend_diagnosis_and_plan(golden_db: Path) -> None:
    """The page's trend, diagnosis and plan are those of `svc trend`, `svc diagnose` and
    `svc plan`; each trend point is `svc score --as-of` that day."""
    from svc_cli import api

    source = api.DataSource(db=golden_db)
    report = api.report_pages(source, as_of=GOLDEN_AS_OF, shop_ids=["985617"], trend_weeks=3)
    page = report.pages[0]
    trend = api.trend(source, "985617", start=page.trend[0][0], end=page.trend[-1][0])
    assert page.trend == [(p.date, p.shop.score) for p in trend.points] and len(page.trend) == 3
    for day, score in page.trend:
        assert api.score(source, as_of=day.isoformat(), shop_ids=["985617"]).shops[0].score == score
    assert page.trend[-1][1] == page.shop.score
    assert page.plan is not None and page.diagnosis is not None
    assert page.plan.to_dict() == api.plan(source, "985617", as_of=GOLDEN_AS_OF).to_dict()
    assert page.diagnosis.to_dict() == api.diagnose(source, "985617", as_of=GOLDEN_AS_OF).to_dict()
    assert page.refunds is not None and page.refunds.total.requests > 0
    assert {a.agent_id for a in page.agents} == {"985617-kf1", "985617-kf2", "985617-kf3"}
