"""`--lang zh`: every header, footer, definition, note and warning in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from svc_cli import api
from svc_cli.cli import app
from svc_cli.errors import UsageError
from svc_cli.i18n import LABELS, Message, label, translate
from svc_cli.window import resolve_window
from tests.conftest import GOLDEN, GOLDEN_AS_OF

AS_OF = ("--as-of", GOLDEN_AS_OF)

#: ASCII words that may stay in Chinese output: format and option names, the formula of
#: the add-on (min), and the platforms' and apps' own names (units are 小时/分/秒, 天,
#: 个百分点: no h, min, s, 90d, pp).
ALLOWED = {
    "svc", "wide", "load", "DB", "N", "k", "min",
    "CSV", "csv", "xlsx", "SKU", "POP", "Shopify", "Judge", "Yotpo", "Okendo", "Product",
    "Reviews", "reviews", "chats", "shops", "canonical", "utf", "Wilson",
}  # fmt: skip

#: English units and rate ids with a number (``90d``, ``rr_90d``), which ``english_words``
#: takes as ids.
ENGLISH_UNITS = re.compile(r"\b\d+d\b|\brr_")

#: ASCII punctuation of a Chinese sentence: a comma, semicolon or colon and a space after
#: a Chinese character (Chinese text uses ，；：).
ASCII_PUNCTUATION = re.compile(r"[\u4e00-\u9fff（）][,;:](?: |$)", re.M)


def chinese_leftovers(text: str) -> list[str]:
    """English units and ASCII punctuation in Chinese text."""
    return ENGLISH_UNITS.findall(text) + ASCII_PUNCTUATION.findall(text)


#: An ASCII word is an id when it carries a digit, an underscore, a dot or a slash.
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./*:-]*")


def english_words(text: str, allowed: set[str]) -> list[str]:
    found = []
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # option names stay as typed
    text = re.sub(r"\bsvc (report )?[a-z][a-z-]*", " ", text)  # and command names
    text = re.sub(r"\[[a-z_]+\]", " ", text)  # config sections ([plan])
    for token in WORD.findall(text):
        if re.search(r"[0-9_./]", token) or token in allowed:
            continue  # an id, a path, a column id, a unit with a number
        for word in re.split(r"[-:*]", token):
            if word and word not in allowed:
                found.append(word)
    return found


def invoke(*args: Any) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})  # unwrapped
    assert result.exit_code == 0, result.output
    return result


def commands(db: Path, tmp: Path) -> dict[str, tuple[Any, ...]]:
    return {
        "score": ("score", db, *AS_OF),
        "score --shop": ("score", db, *AS_OF, "--shop", "664656"),
        "peers": ("score", db, *AS_OF, "--benchmark", "peers"),
        "simulate": ("simulate", db, *AS_OF, "--shop", "985617", "--add-service",
                     "breakage_compensation", "--improve", "neg_feedback_rate=50"),
        "repurchase": ("report", "repurchase", db, *AS_OF),
        "by tier": ("report", "repurchase", db, *AS_OF, "--by", "tier"),
        "cohorts": ("report", "repurchase", db, *AS_OF, "--cohorts"),
        "customers": ("report", "repurchase", db, *AS_OF, "--show-customers", "--shop", "0042"),
        "info": ("info", db),
        "load": ("load", tmp / "x.duckdb", GOLDEN / "orders.csv", "--shops", GOLDEN / "shops.csv"),
        "inspect": ("inspect", GOLDEN / "orders.csv"),
        "presets": ("presets",),
        "services": ("services",),
        "simulate --fix": ("simulate", db, *AS_OF, "--shop", "985617", "--fix",
                           "pickup_48h_rate=2", "--fix", "response_3min_rate=1"),
        "diagnose": ("diagnose", db, *AS_OF, "--shop", "985617"),
        "diagnose growth": ("diagnose", db, *AS_OF, "--shop", "0042"),
        "plan": ("plan", db, *AS_OF, "--shop", "985617"),
        "plan unreachable": ("plan", db, *AS_OF, "--shop", "588762", "--target", "5"),
        "plan no score": ("plan", db, *AS_OF, "--shop", "0042"),
        "trend": ("trend", db, "--shop", "985617", "--from", "2025-05-01", "--to", "2025-06-29"),
        "trend month": ("trend", db, "--shop", "985617", "--every", "month"),
        "agents": ("agents", db, *AS_OF),
        "refunds": ("report", "refunds", db, *AS_OF),
        "refunds by month": ("report", "refunds", db, *AS_OF, "--every", "month"),
        "service-repurchase": ("report", "service-repurchase", db, *AS_OF),
        **{f"repeat {view}": ("report", "repeat", db, *AS_OF, "--view", view)
           for view in ("summary", "gaps", "sku", "amount", "cohorts", "overdue")},
    }  # fmt: skip


def data_words(name: str, args: tuple[Any, ...]) -> set[str]:
    """Words that are data, not labels: export column names and sample values."""
    if name == "presets":
        doc = json.loads(invoke(*args, "-f", "json").stdout)
        return {w for p in doc["presets"] for w in WORD.findall(p["detected_by"])}
    if name == "inspect":
        doc = json.loads(invoke(*args, "-f", "json").stdout)
        values = [*doc["mapping"], *doc["mapping"].values()]
        values += [v or "" for row in doc["sample"] for v in row.values()]
        return {w for v in values for w in WORD.findall(v)}
    return set()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize(
    "name",
    ["score", "score --shop", "peers", "simulate", "repurchase", "by tier", "cohorts", "customers", "info",
     "load", "inspect", "presets", "services", "simulate --fix", "diagnose", "diagnose growth", "plan",
     "plan unreachable", "plan no score", "trend", "trend month", "agents", "refunds",
     "refunds by month", "service-repurchase", "repeat summary", "repeat gaps", "repeat sku",
     "repeat amount", "repeat cohorts", "repeat overdue"],
)  # fmt: skip
def test_chinese_output_has_no_english_words(
    golden_db: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    args = commands(golden_db, tmp_path)[name]
    result = invoke(*args, "--lang", "zh", "-f", fmt)
    text = result.stdout + result.stderr
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert english_words(text, ALLOWED | data_words(name, args)) == []
    assert chinese_leftovers(text) == []


def test_json_stays_english_whatever_the_language(golden_db: Path) -> None:
    en = invoke("score", golden_db, *AS_OF, "-f", "json").stdout
    zh = invoke("score", golden_db, *AS_OF, "-f", "json", "--lang", "zh").stdout
    assert en == zh and "growth stage: " in en


def test_every_label_has_chinese() -> None:
    assert [k for k, v in LABELS.items() if not v.get("zh")] == []


def test_returning_rate_definition_reads_as_chinese() -> None:
    # was "店铺数据早不过周期起点时为空", which is not a Chinese phrase
    assert label("def.returning", "zh") == (
        "回头客率 = 周期内下单且周期前下过单的顾客数 / 周期内下单的顾客数"
        "（店铺数据没有早于周期起点的订单时为空：无法观测）。"
    )


def test_messages_are_english_text_and_translate() -> None:
    message = Message("shop_message", shop="0042", message=Message("no_events.help_rate"))
    assert message == "shop 0042: no valid order paid in the window"
    assert json.dumps([message]) == '["shop 0042: no valid order paid in the window"]'
    assert translate(message, "zh") == "店铺 0042：周期内没有有效支付订单"
    assert translate("plain text", "zh") == "plain text"


def test_a_file_named_like_a_table_keeps_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("orders").write_text("order_id,shop_id,ordered_at,paid_at,status\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["load", "s.duckdb", "orders", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    # the file named "orders" (no extension), not the orders table (订单)
    assert "orders：只有表头" in result.stderr
    assert translate(Message("duplicates", file="reviews", count="2"), "zh").startswith("reviews：")


def test_svc_lang_applies_to_the_command_unless_it_says_otherwise(tmp_path: Path) -> None:
    orders = ("--orders", str(GOLDEN / "orders.csv"), *AS_OF, "--shop", "0042")
    runner = CliRunner()
    zh = runner.invoke(app, ["--lang", "zh", "score", *orders], env={"SVC_LANG": "en"})
    assert zh.exit_code == 0, zh.output
    assert "体验分" in zh.stdout and "Score" not in zh.stdout  # svc's --lang beats SVC_LANG
    en = runner.invoke(app, ["--lang", "zh", "score", *orders, "--lang", "en"])
    assert "Score" in en.stdout and "体验分" not in en.stdout  # the command's own wins
    missing = str(tmp_path / "missing.duckdb")
    error = runner.invoke(app, ["--lang", "zh", "score", missing], env={"SVC_LANG": None})
    assert error.exit_code == 2
    assert error.stderr.startswith(f"错误：数据库不存在：{missing}\n")
    # a command without its own --lang: its errors too (svc model has none)
    bad_config = str(tmp_path / "missing.toml")
    model = runner.invoke(
        app, ["--lang", "zh", "model", "--config", bad_config], env={"SVC_LANG": None}
    )
    assert model.exit_code != 0 and model.stderr.startswith("错误：")
    english = runner.invoke(app, ["model", "--config", bad_config], env={"SVC_LANG": None})
    assert english.stderr.startswith("Error: ")  # not the language of the invocation before
    no_data = runner.invoke(app, ["--lang", "zh", "score"], env={"SVC_LANG": None})
    assert no_data.exit_code == 2
    assert no_data.stderr.splitlines() == [
        "错误：没有数据：请给出数据库（svc load DB …）或 --orders 文件",
        "提示：例如 svc score --orders orders.csv --reviews reviews.csv",
    ]


def test_chinese_html_report_has_no_english_words(golden_db: Path, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = False

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip = tag == "style"

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    out = tmp_path / "zh.html"
    invoke("report", "html", golden_db, *AS_OF, "--lang", "zh", "-o", out, "--weeks", "3")
    parser = Text()
    parser.feed(out.read_text(encoding="utf-8"))
    reviews = (GOLDEN / "reviews.csv").read_text(encoding="utf-8")  # review texts are data
    assert english_words(" ".join(parser.parts), ALLOWED | set(WORD.findall(reviews))) == []
    assert chinese_leftovers("\n".join(parser.parts)) == []


@pytest.mark.parametrize(
    ("command", "warning"),
    [
        (
            ("agents",),
            "警告：12 家店铺（0042、152284、229439、532969、559860 等）："
            "未提供客服会话（没有为该店铺导入会话导出文件）：无法衡量其客服",
        ),
        (("report", "refunds"), None),  # the orders file has the refund requests
        (
            ("report", "service-repurchase"),
            "警告：12 家店铺（0042、152284、229439、532969、559860 等）："
            "咨询3分钟未回复、差评（1-2 星） 所需数据未提供",
        ),
    ],
)
def test_chinese_warnings_of_the_service_reports(
    tmp_path: Path, command: tuple[str, ...], warning: str | None
) -> None:
    """Orders only: no agents, no chats nor reviews for the service groups."""
    db = tmp_path / "orders.duckdb"
    invoke("load", db, GOLDEN / "orders.csv", "-q")
    result = invoke(*command, db, *AS_OF, "--lang", "zh")
    if warning is None:
        assert result.stderr == ""
    else:
        assert warning in result.stderr
    assert english_words(result.stdout + result.stderr, ALLOWED) == []


def test_errors_of_a_messy_export_are_in_chinese(tmp_path: Path) -> None:
    """The two errors a new user meets first with a platform export: an export no preset
    knows, and bytes that are not the encoding (named by line)."""
    runner = CliRunner()
    unknown = tmp_path / "weird.csv"
    unknown.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["--lang", "zh", "load", str(tmp_path / "x.duckdb"), str(unknown)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"错误：{unknown}：没有预设能识别此导出文件（表头：a、b）",
        "提示：用 --preset NAME 指定预设（见 `svc inspect` / docs/presets.md），或用 "
        "--map order_id=表头 … 或 TOML 映射文件映射各列",
    ]
    broken = tmp_path / "taobao.csv"
    broken.write_bytes("订单编号,买家会员名\n1,张三\n".encode("gb18030") + b"2,\xff\xff\n")
    args = ["load", str(tmp_path / "y.duckdb"), str(broken), "--encoding", "gb18030"]
    result = runner.invoke(app, ["--lang", "zh", *args, "--preset", "taobao_orders_v1"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{broken}:3：这些字节不是 gb18030（b'\\xff\\xff\\n'）")
    assert "提示：如果文件其余部分是 gb18030，请修正或删除这些字节" in result.stderr


def test_a_row_the_preset_cannot_read_is_named_in_chinese(tmp_path: Path) -> None:
    """An unknown status (the value inside the reason) and an amount that is not one (the
    value after it): reason, hint and the count of the other invalid rows in Chinese."""
    export = tmp_path / "taobao.csv"
    rows = ["1,张三,1.00,拼团中,2025-06-01 10:00:00", "2,李四,一元,交易成功,2025-06-01 11:00:00"]
    export.write_bytes((TAOBAO_HEADER + "\n".join(rows) + "\n").encode("gb18030"))
    db = str(tmp_path / "x.duckdb")
    result = CliRunner().invoke(app, ["--lang", "zh", "load", db, str(export), "--shop", "s1"])
    assert result.exit_code == 2
    error, hint = result.stderr.splitlines()
    assert error.startswith(
        f"错误：{export}:2：列 '订单状态'：预设 taobao_orders_v1 不认识的状态 '拼团中'（已知："
    )
    assert error.endswith("）（另有 1 行无效）")
    assert hint == "提示：修正文件、用 --map 指定该列，或用 --skip-invalid 跳过无效的行"
    skipped = CliRunner().invoke(
        app, ["--lang", "zh", "load", db, str(export), "--shop", "s1", "--max-errors", "1"]
    )
    assert skipped.exit_code == 2  # 2 invalid rows: more than --max-errors, listed
    assert skipped.stderr.splitlines()[0] == "错误：2 行无效数据；未导入任何内容"
    assert f"  {export}:3：列 '买家实际支付金额'：不是金额（值为 '一元'）" in skipped.stderr
    assert english_words(skipped.stderr, ALLOWED) == []
    export.write_bytes((TAOBAO_HEADER + rows[1].replace("一元", "1.00") + "\n").encode("gb18030"))
    no_shop = CliRunner().invoke(app, ["--lang", "zh", "load", db, str(export)])
    assert no_shop.stderr.splitlines() == [
        f"错误：{export}：没有店铺编号：预设 taobao_orders_v1 需要它（此导出没有店铺列）",
        "提示：请用 --shop SHOP 给出店铺编号（svc load、svc inspect、svc score --orders …）",
    ]


TAOBAO_HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间\n"


def test_a_mapping_that_does_not_fit_is_explained_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "taobao.csv"
    path.write_text(TAOBAO_HEADER + "1,a,1.00,交易成功,2025-06-01 10:00:00\n", encoding="utf-8")
    args = ["--lang", "zh", "load", str(tmp_path / "x.duckdb"), str(path), "--shop", "s1"]
    result = CliRunner().invoke(app, [*args, "--map", "order_id=没有的列"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"错误：{path}：--map order_id=没有的列：文件中没有这一列",
        "提示：文件中的列：" + TAOBAO_HEADER.strip().replace(",", "、"),
    ]
    result = CliRunner().invoke(app, [*args, "--map", "order_id"])
    assert result.stderr.splitlines()[0] == "错误：--map 'order_id'：应为 规范列=源表头"


def test_a_database_svc_did_not_write_is_refused_in_chinese(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "other.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    result = CliRunner().invoke(app, ["--lang", "zh", "score", str(db)], env={"SVC_LANG": None})
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"错误：{db} 不是 svc 数据库（没有 svc 的表）",
        "提示：请用 `svc load DB orders.csv` 创建一个",
    ]


def test_a_simulation_that_names_nothing_known_is_refused_in_chinese() -> None:
    shop = ["--orders", str(GOLDEN / "orders.csv"), "--shop", "0042", *AS_OF]
    runner = CliRunner()
    result = runner.invoke(app, ["--lang", "zh", "simulate", *shop, "--set", "nope=1"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "错误：未知的指标 'nope'"
    result = runner.invoke(app, ["--lang", "zh", "simulate", *shop, "--set", "pickup_48h_rate"])
    assert result.stderr.splitlines() == [
        "错误：--set 'pickup_48h_rate'：应为 指标=数值",
        "提示：例如 --set pickup_48h_rate=0.99",
    ]


def test_a_line_too_long_is_explained_in_chinese(tmp_path: Path) -> None:
    row = "1," + "x" * 2_100_000 + ",1.00,交易成功,2025-06-01 10:00:00"
    path = tmp_path / "long.csv"
    path.write_text(TAOBAO_HEADER + row + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--lang", "zh", "load", str(tmp_path / "x.duckdb"), str(path)]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"错误：{path}:2：这一行长 {len(row.encode()):,} 字节；svc 读取的行最多 2,000,000 字节",
        "提示：是否有引号没有闭合，或某个单元格存放了超长的文本？请缩短或删除它",
    ]


@pytest.mark.parametrize(
    ("name", "text", "error", "hint"),
    [
        ("empty.csv", "", "：文件是空的（0 字节或只有空白）；应有一行表头", "请重新导出"),
        (
            "ragged.csv",
            TAOBAO_HEADER + "1,a,1.00,交易成功,2025-06-01 10:00:00\n2,b,1.00\n",
            ":3：有 3 个字段，而表头有 5 列",
            "是否有字段的引号没有闭合",
        ),
        (
            "cut.csv",
            TAOBAO_HEADER + "1,a,1.00,交易成功,2025-06-01 10:00:00\n2,b,1.0",
            ":3：文件在一条记录中间结束（5 列中只有 3 列，末尾没有换行）：看起来被截断了",
            "请重新导出或下载该文件",
        ),
        (
            "no_time.csv",
            "订单编号,买家会员名,买家实际支付金额,订单状态\n1,a,1.00,交易成功\n",
            "：缺少预设 taobao_orders_v1 必需的列 '订单创建时间'（用作 ordered_at）",
            "文件中的列：订单编号、买家会员名、买家实际支付金额、订单状态；可用 --map ordered_at=表头 映射",
        ),
        (
            "twice.csv",
            TAOBAO_HEADER.replace("订单状态", "订单编号") + "1,a,1.00,2,2025-06-01 10:00:00\n",
            ":1：列 '订单编号' 在表头中出现了两次（第 1 列和第 4 列）",
            "删除或重命名重复的列",
        ),
    ],
)
def test_a_broken_export_is_explained_in_chinese(
    tmp_path: Path, name: str, text: str, error: str, hint: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    args = ["--lang", "zh", "load", str(tmp_path / "x.duckdb"), str(path)]
    if name in ("no_time.csv", "twice.csv"):
        args += ["--preset", "taobao_orders_v1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"错误：{path}{error}\n"), result.stderr
    assert f"提示：{hint}" in result.stderr


#: Files the refused commands below read, written under the test's folder.
REFUSED_FILES = {
    "twice.csv": "shop_id,name,industry,services\ns1,甲,general,\ns1,乙,general,\n",
    "alias.csv": "shop_id,name,industry,services,aliases\ns1,甲,general,,s2\ns2,乙,general,,\n",
    "industry.toml": '[[shops]]\nshop_id = "s1"\nindustry = "no_such_industry"\n',
    "full/part.txt": "",
}
SHOP = ("--shop", "985617", *AS_OF)
INDUSTRIES = {"general", "apparel", "beauty", "food", "pets"}  # ids without a digit or _


@pytest.mark.parametrize(
    ("args", "code", "lines", "data"),
    [
        (
            ("score", "{db}", "--as-of", "2025-02-30"),
            2,
            ["错误：--as-of：'2025-02-30' 不是有效的日期"],
            set(),
        ),
        (
            ("score", "{db}", "--as-of", "30/06/2025"),
            2,
            [
                "错误：--as-of：无法识别 '30/06/2025'",
                '提示：请给出日期（2025-06-30 = 当天结束时）或时间戳（"2025-06-30 15:00:00"）',
            ],
            set(),
        ),
        (
            ("trend", "{db}", "--shop", "985617", "--every", "week", "--from", "2025-13-01"),
            2,
            ["错误：--from：'2025-13-01' 不是日期", "提示：例如 2025-06-30"],
            set(),
        ),
        (
            ("trend", "{db}", "--shop", "985617", "--from", "2025-06-01", "--to", "2025-05-01"),
            2,
            ["错误：--from 2025-06-01 晚于 --to 2025-05-01"],
            set(),
        ),
        (
            ("simulate", "{db}", *SHOP, "--set", "pickup_48h_rate=99"),
            2,
            ["错误：pickup_48h_rate 不可能取值 99：应为 0 到 1 之间的小数（写 0.99，不是 99）"],
            set(),
        ),
        (
            ("simulate", "{db}", *SHOP, "--add-service", "extended_warranty"),
            2,
            ["错误：店铺 985617 已提供特色服务 extended_warranty"],
            set(),
        ),
        (
            ("simulate", "{db}", *SHOP, "--add-service", "refund_if_pet_refuses"),
            2,
            [
                "错误：特色服务 refund_if_pet_refuses（不爱吃包退）属于 pets 行业；"
                "店铺 985617 属于 general 行业",
                "提示：此店铺可加的特色服务：breakage_compensation、extended_warranty、"
                "return_shipping_insurance",
            ],
            {"pets", "general"},
        ),
        (
            ("simulate", "{db}", *SHOP, "--improve", "pickup_48h_rate=150"),
            2,
            ["错误：--improve pickup_48h_rate：百分比应在 (0, 100] 之内，给出的是 150"],
            set(),
        ),
        (
            ("simulate", "{db}", *SHOP, "--fix", "pickup_48h_rate=1000"),
            2,
            [
                "错误：--fix pickup_48h_rate=1000：该指标只有 11 个可处理的事件",  # = svc diagnose
                "提示：可用 `svc diagnose` 查看",
            ],
            set(),
        ),
        (
            ("score", "{db}", "--shop", "98561", "--shop", "22943"),
            2,
            [
                "错误：未知的店铺编号：98561、22943",
                "提示：98561：可能是 985617；22943：可能是 229439；有订单的店铺：0042、152284、"
                "229439、532969、559860、588762、664656、719992、725193、750715、899860、985617",
            ],
            set(),
        ),
        (
            ("load", "{tmp}/x.duckdb", "--shops", "{tmp}/twice.csv"),
            2,
            ["错误：{tmp}/twice.csv：店铺 s1 列出了两次"],
            set(),
        ),
        (
            ("load", "{tmp}/x.duckdb", "--shops", "{tmp}/alias.csv"),
            2,
            [
                "错误：{tmp}/alias.csv：店铺 s1 的别名 's2' 本身就是列出的店铺编号",
                "提示：别名指的是同一家店铺：请删除该别名，或删除另一条记录",
            ],
            set(),
        ),
        (
            ("load", "{tmp}/x.duckdb", "--shops", "{tmp}/industry.toml"),
            2,
            [
                "错误：{tmp}/industry.toml：第 1 个店铺：店铺 s1 的行业 'no_such_industry' 未知",
                "提示：已知的行业：general、apparel、beauty、food、home_furnishing、pets、"
                "mother_baby、electronics_accessories",
            ],
            INDUSTRIES,
        ),
        (
            ("services", "--industry", "no_such_industry"),
            2,
            [
                "错误：未知的行业 'no_such_industry'",
                "提示：已知的行业：general、apparel、beauty、food、home_furnishing、pets、"
                "mother_baby、electronics_accessories",
            ],
            INDUSTRIES,
        ),
        (
            ("--memory-limit", "1e9", "score", "{db}"),
            2,
            ["错误：--memory-limit '1e9'：应为 2GB 或 512MB 这样的大小"],
            {"GB", "MB"},  # units
        ),
        (
            ("load", "{tmp}/x.duckdb", GOLDEN / "orders.csv", "--encoding", "no_such_codec"),
            2,
            ["错误：未知的编码 'no_such_codec'", "提示：例如 utf-8、gb18030、cp1252"],
            set(),
        ),
        (
            ("load", "{tmp}/x.duckdb", GOLDEN / "orders.csv", "--mapping", "{tmp}/none.toml"),
            2,
            ["错误：{tmp}/none.toml：映射文件不存在"],
            set(),
        ),
        (
            ("export", "{db}", "{tmp}/full"),
            2,
            ["错误：{tmp}/full 已存在且不是空的", "提示：请换一个新文件夹，或用 --overwrite 替换它"],
            set(),
        ),
        (
            ("load", "{tmp}/no/x.duckdb", GOLDEN / "orders.csv"),
            2,
            [
                "错误：无法创建数据库 {tmp}/no/x.duckdb：文件夹 {tmp}/no 不存在",
                "提示：请先创建该文件夹，或换一个路径",
            ],
            set(),
        ),
    ],
)  # fmt: skip
def test_a_refused_value_is_explained_in_chinese(
    golden_db: Path,
    tmp_path: Path,
    args: tuple[Any, ...],
    code: int,
    lines: list[str],
    data: set[str],
) -> None:
    """Values of the command line, the shops and mapping files and the output paths
    svc refuses: message and hint in Chinese, ids and values as given, nothing English."""
    for name, text in REFUSED_FILES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    given = [str(a).format(db=golden_db, tmp=tmp_path) for a in args]
    result = CliRunner().invoke(app, ["--lang", "zh", *given], env={"SVC_LANG": None})
    assert result.exit_code == code, result.output
    assert result.stderr.splitlines() == [line.format(tmp=tmp_path) for line in lines]
    assert english_words(result.stderr, ALLOWED | data) == []


@pytest.mark.parametrize(
    ("call", "english", "chinese", "data"),
    [
        (
            lambda src: resolve_window(None, "2025-06-30", 0, "Asia/Shanghai"),  # type: ignore[arg-type]
            "--window-days must be at least 1 (got 0)",
            "--window-days 至少为 1（给出的是 0）",
            set(),
        ),
        (
            lambda src: api.trend(src, "985617", start="2025-05-01", every="year"),
            "--every 'year': choose one of day, week, month",
            "--every 'year'：请从 day、week、month 中选择",
            {"year", "day", "week", "month"},  # the values --every takes
        ),
        (
            lambda src: api.trend(src, "985617", start="2000-01-01", every="day"),
            "more than 1000 points from 2000-01-01 to 2025-06-29 by day",
            "从 2000-01-01 到 2025-06-29 按天计超过 1000 个点",
            set(),
        ),
        (
            lambda src: api.score(src, benchmark="median"),
            "unknown benchmark 'median'",
            "未知的基准 'median'",
            {"median"},
        ),
    ],
)  # fmt: skip
def test_a_value_the_command_line_cannot_give_is_refused_in_chinese_too(
    golden_db: Path, call: Any, english: str, chinese: str, data: set[str]
) -> None:
    """--window-days 0, --every year and --benchmark median are refused by the command
    line's own checks (click); the library refuses them in the catalog's words."""
    with pytest.raises(UsageError) as caught:
        call(api.DataSource(db=golden_db))
    assert caught.value.exit_code == 2
    assert caught.value.message == english
    text = translate(caught.value.message, "zh")
    assert text == chinese
    assert english_words(text, ALLOWED | data) == []


def test_a_label_is_defined_once_and_keeps_its_own_words() -> None:
    """A key defined twice in the catalog is refused (the later text replaced the earlier
    wherever it showed: an agent's grade "none" read 无, the refund status "rejected"
    拒收); words that differ by table have keys of their own."""
    from svc_cli.i18n import _add, grade_label

    with pytest.raises(ValueError, match="labels defined twice: rejected"):
        _add({"rejected": ("Rejected", "拒收")})
    assert label("rejected", "zh") == "已拒绝"
    assert (grade_label("none", "zh"), label("none", "zh")) == ("未达等级", "无")
    assert (label("trend"), label("score_trend")) == ("Trend", "Score trend")


def test_an_id_in_a_sentence_is_named_without_a_table_rows_indent() -> None:
    """A group's label is indented as a table row ("  退款被挽回"); named in a sentence it
    is not ("申请过退款、  退款被挽回" had stray spaces)."""
    message = Message("service.groups_not_provided", groups=["refund_requested", "refund_retained"])
    assert translate(message, "zh").startswith(f"{label('refund_requested', 'zh')}、退款被挽回 ")


def test_shop_identity_warnings_are_in_chinese() -> None:
    """The warnings about aliases and shops under another key (svc_cli.shop_ids)."""
    from svc_cli.i18n import Verbatim

    warnings = [
        Message("alias.rows_kept", table="orders", count=Verbatim("3")),
        Message("alias.rows_moved", table="orders", count=Verbatim("1")),
        Message("alias.new_shop_is_a_name", shop=Verbatim("'暖阳美妆'"), owner=Verbatim("0042")),
        Message(
            "alias.same_name",
            shop=Verbatim("0043"),
            name=Verbatim("'暖阳美妆'"),
            others=[Verbatim("0042"), Verbatim("0044")],
        ),
    ]
    shown = [translate(w, "zh") for w in warnings]
    assert shown[3] == (
        "店铺 0043 与店铺 0042、0044 同名 '暖阳美妆'：如果是同一家店，请把 0043 列入另一家的别名（或反过来）"
    )
    assert english_words(" ".join(shown), ALLOWED) == []


def test_event_durations_are_in_chinese_units() -> None:
    """小时/分/秒 in Chinese; the English (JSON, CSV) as it was."""
    from datetime import datetime

    from svc_cli.diagnose import US_PER_HOUR, US_PER_SECOND, Event

    at = datetime(2025, 6, 1)

    def event(kind: str, duration_us: int, limit_us: int | None = None) -> Event:
        return Event("x", "1", at, kind, at, duration_us=duration_us, limit_us=limit_us)

    reply = event("late_response", 510 * US_PER_SECOND)
    assert reply.what() == "first reply after 8 min 30 s (limit 3 min)"
    assert translate(reply.what(), "zh") == "8 分 30 秒后才首次回复（时限 3 分钟）"
    pickup = event("late_pickup", round(62.3 * US_PER_HOUR))
    assert translate(pickup.what(), "zh") == "付款后 62.3 小时才发货（时限 48 小时）"
    refund = event("slow_refund", round(18.1 * US_PER_HOUR), 6 * US_PER_HOUR)
    assert refund.what() == "refund took 18.1 h (5.0 at ≤ 6 h)"
    assert translate(refund.what(), "zh") == "退款用时 18.1 小时（≤ 6 小时得 5.0 分）"
    close = event("late_pickup", 48 * US_PER_HOUR + US_PER_SECOND)
    assert translate(close.what(), "zh") == "付款后 48 小时 0 分 1 秒才发货（时限 48 小时）"


def test_a_milestone_says_when_the_score_moves(golden_db: Path) -> None:
    """``11-04 将降至 4.49（跌破 4.50）``, not ``今天 4.61 → 4.49（跌破 4.50），11-04``."""
    doc = json.loads(invoke("diagnose", golden_db, *AS_OF, "--shop", "985617", "-f", "json").stdout)
    assert doc["milestones"] and all(" today → " in m["text"] for m in doc["milestones"])
    table = invoke("diagnose", golden_db, *AS_OF, "--shop", "985617", "--lang", "zh").stdout
    rows = re.findall(r"^  \d{4}-\d\d-\d\d   (.+?)\s*$", table, re.M)
    assert rows and "今天" not in table
    moves = r"(升至|降至) \d\.\d\d（.+）|进入成长期（.+）|获得体验分 \d\.\d\d|变为数据不足"
    assert all(re.fullmatch(rf"\d\d-\d\d (随着 .+移出考核期，)?将({moves})", r) for r in rows), rows


def test_trend_changes_use_the_minus_sign_and_chinese_units(golden_db: Path) -> None:
    args = ("trend", golden_db, "--shop", "985617", "--from", "2025-05-01", "--to", "2025-06-29")
    en, zh = invoke(*args).stdout, invoke(*args, "--lang", "zh").stdout
    for text in (en, zh):
        assert "−" in text and not re.search(r"(?<![\d-])-\d", text)
    assert " pp" in en and " pp" not in zh and "个百分点" in zh and "小时" in zh


def test_rates_per_horizon_are_named_in_chinese(golden_db: Path) -> None:
    repurchase = invoke("report", "repurchase", golden_db, *AS_OF, "--lang", "zh").stdout
    assert "30天复购率" in repurchase and "365天复购率" in repurchase
    assert "rr_" not in repurchase and "N天复购率 = " in repurchase
    repeat = invoke("report", "repeat", golden_db, *AS_OF, "--lang", "zh").stdout
    assert "90天可观测" in repeat and "90天内复购" in repeat and "90d" not in repeat
    assert "下单的日子" not in repeat and "新客 = 在数据中首次于该店下单的顾客" in repeat
    en = invoke("report", "repeat", golden_db, *AS_OF).stdout
    assert "Observed 90d" in en and "rr_90d" in en


def test_chinese_sentences_use_full_width_punctuation(golden_db: Path) -> None:
    simulate = invoke(
        "simulate", golden_db, *AS_OF, "--shop", "985617", "--lang", "zh", "--add-service",
        "breakage_compensation", "--set", "response_3min_rate=0.97", "--improve",
        "refund_hours=33",
    ).stdout  # fmt: skip
    title = simulate.splitlines()[0]
    assert title == (
        "985617：加入特色服务 破损包赔，设定 3分钟人工响应率 = 0.97，退款处理时长(小时)改善 33%"
    )
    refunds = invoke("report", "refunds", golden_db, *AS_OF, "--lang", "zh").stdout
    assert "退款原因：" in refunds and "对体验分的影响：" in refunds and "钱，不是分。" in refunds
    agents = invoke("agents", golden_db, *AS_OF, "--lang", "zh").stdout
    assert "各店失分，以及低于资深客服的客服" in agents
    service = invoke("report", "service-repurchase", golden_db, *AS_OF, "--lang", "zh").stdout
    assert "这是相关，不是因果：" in service
    score = invoke("score", golden_db, *AS_OF, "--lang", "zh", "--shop", "985617").stdout
    assert "基准：固定阈值；配置：默认" in score and "小时" in score and " h " not in score
    info = invoke("info", golden_db, "--lang", "zh").stdout
    assert "推断 = 数据库导入时 svc 尚未记录数据覆盖" in info


def test_presets_and_export_speak_chinese(golden_db: Path, tmp_path: Path) -> None:
    presets = invoke("presets", "--lang", "zh").stdout
    assert "支付单号 或 确认收货打款金额" in presets and " or " not in presets
    assert "订单编号、买家实付金额" in presets
    assert "支付单号 or 确认收货打款金额" in invoke("presets").stdout
    zh = invoke("--lang", "zh", "export", golden_db, tmp_path / "zh").stdout
    assert re.search(r"数据表\s+行数\s+分区字段", zh) and "shop_id、month" in zh
    assert "用 --source" in zh and "partitioned_by" not in zh
    en = invoke("export", golden_db, tmp_path / "en").stdout
    assert re.search(r"Table\s+Rows\s+Partitioned by", en)
    rows = invoke("export", golden_db, tmp_path / "csv", "-f", "csv").stdout
    assert rows.splitlines()[0] == "table,rows,partitioned_by"


def test_a_truncated_gzip_is_explained_in_chinese(tmp_path: Path) -> None:
    import gzip

    whole = gzip.compress((GOLDEN / "orders.csv").read_bytes())
    cut = tmp_path / "orders.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    result = CliRunner().invoke(app, ["--lang", "zh", "load", str(tmp_path / "x.duckdb"), str(cut)])
    assert result.exit_code != 0
    assert (
        "无法读取文件：gzip 数据在结束标记之前就中断了（文件不完整，可能被截断）" in result.stderr
    )
    assert "end marker" not in result.stderr and "end-of-stream" not in result.stderr
    result = CliRunner().invoke(app, ["load", str(tmp_path / "x.duckdb"), str(cut)])
    assert "cannot read file: " in result.stderr and "end" in result.stderr
