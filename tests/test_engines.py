"""One model, three engines: DuckDB on a database, DuckDB on a Parquet lake, Spark on the
same lake. Every query in queries.py translates to Spark, and every engine gives the same
numbers (docs/parquet-format.md, docs/scale.md)."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from svc_cli import api, queries
from svc_cli.errors import DataError, InputError, SvcError, UsageError
from svc_cli.html_report import render_html
from svc_cli.repeat import VIEWS as REPEAT_VIEWS
from tests.conftest import GOLDEN_AS_OF
from tests.factories import order, write_chats, write_orders, write_reviews, write_shops

ROOT = Path(__file__).resolve().parents[1]

#: queries.py constants that are pieces of queries, not queries.
FRAGMENTS = {"VALID", "_ORDER_FLAGS", "_CUSTOMER_DAYS", "_REFUND_REQUESTS", "_REPEAT_CUSTOMERS"}
#: Statements that only ever run on an svc database while loading (DuckDB, never a lake).
LOAD_ONLY = {
    "RECORD_COVERAGE", "INFER_COVERAGE", "RECORD_ALIASES", "REKEY_CLASHES",
    "REKEY_DROP_CLASHES", "REKEY_ROWS", "REKEY_COVERAGE", "KEY_HASH_CURRENT", "RECORD_KEY_HASH",
}  # fmt: skip
#: Queries over the table named by ``{table}``, and the tables they run on (one shop's rows
#: copied for diagnose/trend projections, from Spark too).
PER_TABLE = {"SHOP_ROWS": ("orders", "reviews", "chats", "shops", "coverage")}
PARAMS = {
    "as_of": datetime(2025, 6, 30),
    "start": datetime(2025, 5, 31),
    "last_day": date(2025, 6, 29),
}


def _queries() -> dict[str, str]:
    found = {
        name: value
        for name, value in vars(queries).items()
        if name.isupper() and isinstance(value, str) and name not in FRAGMENTS | LOAD_ONLY
    }
    for name, tables in PER_TABLE.items():
        template = found.pop(name)
        found |= {f"{name}[{t}]": template.format(table=t) for t in tables}
    return found


# --- every query translates ---


def test_every_query_in_queries_py_translates_to_spark() -> None:
    sqlglot = pytest.importorskip("sqlglot", reason="sqlglot not installed: pip install '.[spark]'")
    from sqlglot import exp

    from svc_cli.engines import bind, to_spark

    found = _queries()
    must = {"INDICATOR_COUNTS", "REPURCHASE_COUNTS", "COHORT_COUNTS", "CUSTOMER_LIST"}
    assert must | {"INFERRED_COVERAGE"} <= set(found)  # a lake without coverage/ runs it
    for name, sql in found.items():
        assert sql.lstrip().upper().startswith(("WITH", "SELECT")), (
            f"queries.{name} is not a query: list it in FRAGMENTS if it is a piece of one"
        )
        params = {n: PARAMS.get(n, 1) for n in re.findall(r"\$(\w+)", sql)}
        spark_sql = to_spark(sql, params)  # raises on what sqlglot cannot translate
        tree = sqlglot.parse_one(bind(sql, params), read="duckdb")
        unknown = sorted({f.name for f in tree.find_all(exp.Anonymous)})
        assert not unknown, f"queries.{name}: functions unknown to sqlglot reach Spark: {unknown}"
        no_spark = {exp.DataType.Type.TIME, exp.DataType.Type.INT128}  # no Spark equivalent
        types = [t.sql() for t in tree.find_all(exp.DataType) if t.this in no_spark]
        assert not types, f"queries.{name}: types Spark does not have: {types}"
        for duckdb_only in ("INT128", "HUGEINT", "EPOCH", "AS TIME)", "GROUP BY ALL"):
            assert duckdb_only not in spark_sql.upper(), f"queries.{name}: {duckdb_only}"
        assert "$" not in spark_sql, f"queries.{name}: a parameter left unbound"


def test_parameters_bind_as_literals() -> None:
    from svc_cli.engines import bind

    sql = "SELECT $as_of, $last_day, $n, $s"
    bound = bind(
        sql,
        {
            "as_of": datetime(2025, 6, 30, 8, 0, 0, 5),
            "last_day": date(2025, 6, 29),
            "n": 3,
            "s": "a'b",
        },
    )
    assert bound == "SELECT TIMESTAMP '2025-06-30 08:00:00.000005', DATE '2025-06-29', 3, 'a''b'"
    with pytest.raises(KeyError, match="start"):
        bind("SELECT $start", {})


# --- the Parquet lake on DuckDB ---


@pytest.fixture(scope="module")
def golden_lake(golden_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = tmp_path_factory.mktemp("lake") / "golden"
    api.export(golden_db, lake)
    return lake


def test_export_writes_the_documented_layout(golden_lake: Path) -> None:
    meta = json.loads((golden_lake / "_svc.json").read_text("utf-8"))
    assert meta["format"] == "svc-parquet" and meta["format_version"] == 1
    assert meta["tables"]["orders"]["partitioned_by"] == ["shop_id", "month"]
    shops = sorted(p.name for p in (golden_lake / "orders").iterdir())
    assert "shop_id=0042" in shops  # ids stay text: leading zeros kept
    months = {p.name for p in (golden_lake / "orders" / "shop_id=0042").iterdir()}
    assert "month=2025-06" in months
    for table in ("chats", "shops"):
        assert list((golden_lake / table).glob("*.parquet"))
    files = f"{golden_lake}/orders/*/*/*.parquet"
    described = duckdb.sql(
        f"DESCRIBE SELECT * FROM read_parquet('{files}', hive_partitioning = false)"
    ).fetchall()
    kinds = {r[0]: r[1] for r in described}
    assert "shop_id" not in kinds  # partition columns live in the folder names only
    assert kinds["order_id"] == "VARCHAR"
    assert kinds["paid_at"] == "TIMESTAMP"  # wall-clock, no time zone
    assert kinds["amount"] == "DECIMAL(18,2)"


@pytest.mark.parametrize(
    "command",
    [
        ("score", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        ("score", "--as-of", GOLDEN_AS_OF, "--benchmark", "peers", "-f", "csv"),
        ("score", "-f", "table"),
        ("report", "repurchase", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        ("report", "repurchase", "--by", "tier", "-f", "csv"),
        ("report", "repurchase", "--cohorts", "-f", "csv"),
        ("report", "repurchase", "--show-customers", "--shop", "0042", "-f", "csv"),
        ("simulate", "--shop", "664656", "--add-service", "breakage_compensation", "-f", "json"),
        ("diagnose", "--shop", "0042", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        ("diagnose", "--shop", "664656", "--benchmark", "peers", "-f", "table"),
        ("plan", "--shop", "0042", "-f", "json"),
        ("plan", "--shop", "532969", "--target", "4.9", "-f", "csv"),
        ("trend", "--shop", "0042", "--every", "month", "--from", "2025-01-01", "-f", "json"),
        ("trend", "--shop", "0042", "--benchmark", "peers", "-f", "table"),
        ("agents", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        ("agents", "--shop", "0042", "-f", "table"),
        ("report", "refunds", "--window-days", "180", "--every", "month", "-f", "csv"),
        ("report", "service-repurchase", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        *(("report", "repeat", "--view", view, "-f", "csv") for view in REPEAT_VIEWS),
        ("report", "repeat", "--view", "summary", "--shop", "0042", "-f", "table"),
        ("report", "html", "--shop", "0042", "--weeks", "4"),
    ],
)
def test_duckdb_on_the_lake_prints_what_the_database_prints(
    run: Any, golden_db: Path, golden_lake: Path, command: tuple[str, ...]
) -> None:
    from_db = run(*command, golden_db)
    from_lake = run(*command, "--source", golden_lake, "--engine", "duckdb")
    assert from_db.exit_code == 0, from_db.output
    assert from_lake.exit_code == 0, from_lake.output
    assert from_lake.stdout == from_db.stdout
    assert from_lake.stderr == from_db.stderr


def test_export_refuses_a_non_empty_folder(run: Any, golden_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "lake"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    refused = run("export", golden_db, out)
    assert refused.exit_code == 2 and "--overwrite" in refused.stderr
    assert (out / "keep.txt").exists()
    done = run("export", golden_db, out, "--overwrite", "-f", "json")
    assert done.exit_code == 0, done.output
    assert not (out / "keep.txt").exists()
    assert json.loads(done.stdout)["tables"]["orders"]["rows"] > 0
    assert [p.name for p in tmp_path.iterdir()] == ["lake"]  # no temporary folder left


def test_a_lake_from_another_pipeline_may_omit_optional_columns(tmp_path: Path) -> None:
    """Only the required columns (docs/parquet-format.md); no _svc.json; shops missing."""
    lake = tmp_path / "lake"
    (lake / "orders" / "shop_id=007" / "month=2025-06").mkdir(parents=True)
    duckdb.sql(
        "COPY (SELECT 'o1' AS order_id, TIMESTAMP '2025-06-01 10:00:00' AS ordered_at, "
        "TIMESTAMP '2025-06-01 10:00:00' AS paid_at, 'completed' AS status) "
        f"TO '{lake}/orders/shop_id=007/month=2025-06/part-0.parquet' (FORMAT parquet)"
    )
    report = api.score(api.DataSource(lake=lake), as_of="2025-06-30")
    (shop,) = report.shops
    assert shop.shop_id == "007" and shop.status == "growth_stage"
    assert any(INFERRED in w for w in report.warnings)  # no coverage/: inferred


def test_lake_errors_say_what_to_do(tmp_path: Path, golden_lake: Path) -> None:
    with pytest.raises(InputError, match="Parquet lake not found"):  # exit 2, as a bad file
        api.score(api.DataSource(lake=tmp_path / "missing"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="no orders"):
        api.score(api.DataSource(lake=empty))
    newer = tmp_path / "newer"
    (newer / "orders").mkdir(parents=True)
    (newer / "_svc.json").write_text('{"format": "svc-parquet", "format_version": 99}')
    with pytest.raises(DataError, match="newer svc"):
        api.score(api.DataSource(lake=newer))
    with pytest.raises(UsageError, match="--source"):
        api.score(api.DataSource(db=golden_lake, engine="spark"))
    with pytest.raises(UsageError, match="one source"):
        api.score(api.DataSource(db=golden_lake, lake=golden_lake))


# --- a lake without coverage/: inferred from its rows, as for a database loaded before
# svc recorded coverage (queries.INFERRED_COVERAGE) ---

INFERRED = "has no data coverage (no coverage/ files): the inputs provided are inferred"


def _without_coverage(lake: Path, out: Path, how: str = "absent") -> Path:
    """A copy of ``lake`` whose coverage is absent, an empty folder, or a file of no rows."""
    shutil.copytree(lake, out)
    shutil.rmtree(out / "coverage")
    if how != "absent":
        (out / "coverage").mkdir()
    if how == "no rows":
        duckdb.sql(
            "COPY (SELECT 'x' AS shop_id, 'chats' AS input, true AS inferred WHERE false) "
            f"TO '{out}/coverage/part-0.parquet' (FORMAT parquet)"
        )
    return out


def _full_coverage_files(folder: Path) -> dict[str, Path]:
    """Shops A and B show a value in every column of every file loaded for them, C was
    loaded from an orders file with only some columns: the coverage inferred from the
    rows is then exactly the coverage the loads recorded."""
    from tests.factories import ORDER_FIELDS, write_csv

    orders, reviews, chats = [], [], []
    for shop in ("A", "B"):
        for i in range(32):
            day = f"2025-06-{1 + i % 28:02d}"
            orders.append(
                order(f"{shop}{i}", f"{day} 10:00:00", shop, shipped_at=f"{day} 20:00:00",
                      delivered_at=f"{day} 23:00:00", sku=f"sku{i % 3}", customer_id=f"k{i % 9}")
            )  # fmt: skip
            reviews.append({"order_id": f"{shop}{i}", "shop_id": shop,
                            "rating": 5 - i % 5, "created_at": f"{day} 23:30:00"})  # fmt: skip
            chats.append({"session_id": f"{shop}c{i}", "shop_id": shop, "agent_id": f"a{i % 2}",
                          "started_at": f"{day} {8 + i % 15:02d}:00:00",
                          "first_response_seconds": str(60 * (i % 5)),
                          "satisfaction": str(1 + i % 5), "qa_score": "90"})  # fmt: skip
        orders[-1].update(quantity="2", escalated="true", refund_amount="10.00",
                          refund_reason="quality", refund_status="completed",
                          refund_requested_at="2025-06-28 11:00:00",
                          refund_completed_at="2025-06-28 15:00:00")  # fmt: skip
    partial = [
        {"order_id": f"C{i}", "shop_id": "C", "customer_id": f"k{i}", "amount": "5.00",
         "ordered_at": f"2025-06-{1 + i % 28:02d} 09:00:00",
         "paid_at": f"2025-06-{1 + i % 28:02d} 09:00:00", "status": "completed"}
        for i in range(31)
    ]  # fmt: skip
    fields = [f for f in ORDER_FIELDS if f in partial[0]]
    return {
        "orders": write_orders(folder / "orders.csv", orders),
        "reviews": write_reviews(folder / "reviews.csv", reviews),
        "chats": write_chats(folder / "chats.csv", chats),
        "partial": write_csv(folder / "partial.csv", fields, partial),
    }


@pytest.fixture(scope="module")
def coverage_lakes(
    golden_db: Path, golden_lake: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """name -> (database with the coverage a lake without it gets, that lake, and the lake
    with its coverage): ``full`` where the loads' coverage is what the rows show, and the
    golden data with its coverage replaced by the inferred one (as a database loaded
    before svc recorded coverage has it)."""
    out = {}
    tmp = tmp_path_factory.mktemp("coverage")
    files = _full_coverage_files(tmp)
    full = tmp / "full.duckdb"
    api.load(full, orders=files["orders"], reviews=files["reviews"], chats=files["chats"])
    api.load(full, orders=files["partial"])
    api.export(full, tmp / "full-lake")
    out["full"] = (
        full,
        _without_coverage(tmp / "full-lake", tmp / "full-nocov"),
        tmp / "full-lake",
    )
    inferred_db = tmp / "golden-inferred.duckdb"
    shutil.copy(golden_db, inferred_db)
    with duckdb.connect(str(inferred_db)) as con:
        con.execute("DELETE FROM coverage")
        con.execute(queries.INFER_COVERAGE)
    out["golden"] = (inferred_db, _without_coverage(golden_lake, tmp / "golden-nocov"), golden_lake)
    return out


def _coverage(source: api.DataSource) -> list[tuple[Any, ...]]:
    con = source.connect(None)  # type: ignore[arg-type]
    try:
        return sorted(con.execute("SELECT shop_id, input, inferred FROM coverage").fetchall())
    finally:
        con.close()


def test_a_lake_without_coverage_scores_as_with_the_coverage_its_rows_show(
    coverage_lakes: Any,
) -> None:
    db, nocov, lake = coverage_lakes["full"]
    recorded = _coverage(api.DataSource(lake=lake))
    assert {r[0] for r in recorded} == {"A", "B", "C"} and not any(r[2] for r in recorded)
    assert ("C", "amount", False) in recorded and ("C", "shipped_at", False) not in recorded
    for how in ("absent", "empty folder", "no rows"):
        source = api.DataSource(lake=_without_coverage(lake, nocov.with_name(how), how))
        assert _coverage(source) == [(shop, i, True) for shop, i, _ in recorded], how
    for as_of in ("2025-06-30", None):
        with_coverage = api.score(api.DataSource(lake=lake), as_of=as_of)
        source = api.DataSource(lake=nocov)
        inferred = api.score(source, as_of=as_of)
        assert inferred.to_dict() == with_coverage.to_dict()
        assert inferred.to_dict() == api.score(api.DataSource(db=db), as_of=as_of).to_dict()
        assert any(INFERRED in w for w in source.warnings)
        assert not any(INFERRED in w for w in with_coverage.warnings)
    scored = {s.shop_id: s for s in with_coverage.shops}
    assert scored["A"].score is not None and scored["C"].assessed_count < 8


def test_a_lake_without_coverage_gets_what_an_old_database_gets(
    run: Any, coverage_lakes: Any
) -> None:
    """Inference sees values, not headers: a column loaded but always empty (escalated
    false everywhere, a shop without reviews) is not provided, as for a database loaded
    before coverage was recorded (`svc info` shows those rows as inferred)."""
    db, nocov, lake = coverage_lakes["golden"]
    info = api.info(db)["shops"]
    assert all(s["inferred"] == s["provided"] for s in info)
    provided = {s["shop_id"]: s["provided"] for s in info}
    assert _coverage(api.DataSource(lake=nocov)) == sorted(
        (shop, i, True) for shop, inputs in provided.items() for i in inputs
    )
    commands = [
        ("score", "-f", "json"),
        ("score", "-f", "table"),
        ("agents", "-f", "json"),
        ("report", "refunds", "-f", "csv"),
        ("diagnose", "--shop", "0042", "-f", "json"),
    ]
    printed = {}
    for command in commands:
        from_db = run(*command, db, "--as-of", GOLDEN_AS_OF)
        from_lake = run(*command, "--source", nocov, "--as-of", GOLDEN_AS_OF)
        assert from_lake.exit_code == 0, from_lake.output
        assert from_lake.stdout == from_db.stdout, command
        assert INFERRED in from_lake.stderr and INFERRED not in from_db.stderr
        printed[command[:3]] = from_lake.stdout
    # here the coverage the loads recorded (the columns each file had) gives other scores
    recorded = run("score", "-f", "table", "--source", lake, "--as-of", GOLDEN_AS_OF)
    assert recorded.exit_code == 0 and recorded.stdout != printed[("score", "-f", "table")]


def test_engine_spark_without_pyspark_says_how_to_install(
    run: Any, golden_lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("pyspark", "pyspark.sql"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails
    result = run("score", "--engine", "spark", "--source", golden_lake)
    assert result.exit_code == 2
    # the README's wording (from a checkout), and the released package's
    hint = " ".join(result.stderr.split())  # the console may wrap the line
    assert "pip install '.[spark]' from a checkout, or pip install 'svc[spark]'" in hint


def test_help_imports_neither_spark_nor_sqlglot() -> None:
    code = (
        "import sys\n"
        "from svc_cli.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pyspark', 'sqlglot', 'duckdb', 'polars') if m in sys.modules),"
        " file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stderr.strip().splitlines()[-1] == "[]"


# --- Spark gives the numbers DuckDB gives ---

EDGE_AS_OF = "2025-06-30 00:00:00"  # W = (2025-05-31 00:00:00, 2025-06-30 00:00:00]


def _edge_files(folder: Path) -> dict[str, Path]:
    """Window edges, hour-of-day edges, 48 h edges, nulls, empty denominators, odd ids."""
    orders = [
        # paid exactly at as_of (in W) and exactly at the start (not in W)
        order("e1", "2025-06-30 00:00:00", "00123", customer_id="k1"),
        order("e2", "2025-05-31 00:00:00", "00123", customer_id="k1"),
        # shipped exactly 48 h after payment (on time) and 1 µs later (late)
        order("e3", "2025-06-10 10:00:00", "00123", shipped_at="2025-06-12 10:00:00", status="shipped"),
        order("e4", "2025-06-10 10:00:00", "00123", shipped_at="2025-06-12 10:00:00.000001", status="shipped"),
        # refund requested exactly 48 h after payment, not shipped
        order("e5", "2025-06-11 09:00:00", "00123", status="refunded", refund_reason="quality",
              refund_status="completed", refund_requested_at="2025-06-13 09:00:00",
              refund_completed_at="2025-06-14 09:00:00.5"),
        # delivered the next calendar day at 23:59:59 (fast) and two days later (not)
        order("e6", "2025-06-01 00:00:01", "店铺A", shipped_at="2025-06-01 12:00:00",
              delivered_at="2025-06-02 23:59:59.999999", customer_id="k2"),
        order("e7", "2025-06-01 23:59:59", "店铺A", shipped_at="2025-06-02 01:00:00",
              delivered_at="2025-06-03 00:00:00", customer_id="k2", escalated="true"),
        # delivered in W but paid before it; delivered exactly at the start (not in W)
        order("e8", "2025-05-20 08:00:00", "店铺A", shipped_at="2025-05-21 08:00:00",
              delivered_at="2025-05-31 00:00:00.000001", customer_id="k3"),
        order("e9", "2025-05-20 08:00:00", "店铺A", shipped_at="2025-05-21 08:00:00",
              delivered_at="2025-05-31 00:00:00", customer_id="k3"),
        # masked customers (null ids), a withdrawn refund, a cancelled order
        order("e10", "2025-06-05 12:00:00", "a/b c%d=é", customer_id="", refund_reason="not_as_described",
              refund_status="withdrawn", refund_requested_at="2025-06-06 12:00:00",
              delivered_at="2025-06-07 12:00:00", shipped_at="2025-06-05 13:00:00"),
        order("e11", "2025-06-06 12:00:00", "a/b c%d=é", customer_id="", status="cancelled"),
        # repeat customer: second order day exactly 30 days after the first
        order("e12", "2025-04-01 10:00:00", "00123", customer_id="k4"),
        order("e13", "2025-05-01 10:00:00", "00123", customer_id="k4"),
        order("e14", "2025-05-01 11:00:00", "00123", customer_id="k4"),
        # a shop whose only order is unpaid: no valid orders at all
        order("e15", None, "empty", status="pending", ordered_at="2025-06-15 10:00:00"),
    ]  # fmt: skip
    reviews = [
        {"order_id": "e3", "shop_id": "00123", "rating": 1, "created_at": "2025-06-30 00:00:00"},
        {"order_id": "e6", "shop_id": "店铺A", "rating": 5, "created_at": "2025-05-31 00:00:00"},
        {"order_id": "e7", "shop_id": "店铺A", "rating": 4, "created_at": "2025-06-04 00:00:00"},
        {"order_id": "e8", "shop_id": "店铺A", "rating": 2, "created_at": "2025-06-30 00:00:01"},
    ]
    chats = [
        {"session_id": f"c{i}", "shop_id": shop, "started_at": at, "first_response_seconds": s}
        for i, (shop, at, s) in enumerate(
            [
                ("00123", "2025-06-10 07:59:59.999999", "10"),
                ("00123", "2025-06-10 08:00:00", "180"),
                ("00123", "2025-06-10 22:59:59.999999", "180.5"),
                ("00123", "2025-06-10 23:00:00", "5"),
                ("店铺A", "2025-06-30 00:00:00", ""),
                ("店铺A", "2025-05-31 00:00:00", "1"),
            ]
        )
    ]
    shop_rows = [
        {"shop_id": "00123", "industry": "apparel", "services": "extended_warranty"},
        {"shop_id": "店铺A", "industry": "", "services": ""},
        {"shop_id": "never-ordered", "industry": "pets", "services": ""},
    ]
    return {
        "orders": write_orders(folder / "orders.csv", orders),
        "reviews": write_reviews(folder / "reviews.csv", reviews),
        "chats": write_chats(folder / "chats.csv", chats),
        "shops": write_shops(folder / "shops.csv", shop_rows),
    }


@pytest.fixture(scope="module")
def datasets(golden_db: Path, golden_lake: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """name -> (database, lake, as-of values to compare at)."""
    out: dict[str, tuple[Path, Path, list[str | None]]] = {
        "golden": (golden_db, golden_lake, [GOLDEN_AS_OF, "2025-06-15 08:00:00"])
    }
    edges = tmp_path_factory.mktemp("edges")
    files = _edge_files(edges)
    api.load(edges / "edges.duckdb", orders=files["orders"], reviews=files["reviews"],
             chats=files["chats"], shops=files["shops"])  # fmt: skip
    api.export(edges / "edges.duckdb", edges / "lake")
    out["edges"] = (edges / "edges.duckdb", edges / "lake", [EDGE_AS_OF, "2025-06-30 00:00:01"])
    gen = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--orders", "3000", "--chats", "0.3",
         "--shops", "12", "--out", str(gen / "data")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = gen / "data"
    api.load(gen / "gen.duckdb", orders=data / "orders.csv", reviews=data / "reviews.csv",
             chats=data / "chats.csv", shops=data / "shops.csv")  # fmt: skip
    api.export(gen / "gen.duckdb", gen / "lake")
    out["generated"] = (gen / "gen.duckdb", gen / "lake", [None, "2025-06-01"])
    return out


def assert_same(duck: Any, spark: Any, path: str = "") -> None:
    """Equal structure, statuses, tiers, badges and text; numbers within 1e-9."""
    if isinstance(duck, dict):
        assert isinstance(spark, dict) and list(duck) == list(spark), path
        for key in duck:
            assert_same(duck[key], spark[key], f"{path}.{key}")
    elif isinstance(duck, list | tuple):
        assert isinstance(spark, list | tuple) and len(duck) == len(spark), path
        for i, (a, b) in enumerate(zip(duck, spark, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(duck, float) and not isinstance(duck, bool):
        assert isinstance(spark, int | float) and not isinstance(spark, bool), path
        assert math.isclose(duck, spark, rel_tol=0, abs_tol=1e-9), (path, duck, spark)
    else:
        assert duck == spark and type(duck) is type(spark), (path, duck, spark)


@pytest.mark.parametrize("name", ["golden", "edges", "generated"])
def test_spark_gives_the_numbers_duckdb_gives(spark: Any, datasets: Any, name: str) -> None:
    db, lake, as_ofs = datasets[name]
    duck, on_spark = api.DataSource(db=db), api.DataSource(lake=lake, engine="spark")
    for i, as_of in enumerate(as_ofs):
        for window_days, benchmark in ((None, "thresholds"), (7, "peers")):
            kw = {"as_of": as_of, "window_days": window_days}
            a = api.score(duck, benchmark=benchmark, **kw)
            b = api.score(on_spark, benchmark=benchmark, **kw)
            assert_same(a.to_dict(), b.to_dict(), f"{name} score {kw}")
            assert_same(
                {k: v.values for k, v in a.inputs.items()},
                {k: v.values for k, v in b.inputs.items()},
                f"{name} indicators {kw}",
            )
        # by tier = plain metrics + scoring; cohorts and customers at the first as-of only
        options = [{"by_tier": True}] + (
            [{"cohorts": True}, {"show_customers": True}] if i == 0 else []
        )
        for opts in options:
            a_rr = api.repurchase_report(duck, as_of=as_of, **opts)  # type: ignore[arg-type]
            b_rr = api.repurchase_report(on_spark, as_of=as_of, **opts)  # type: ignore[arg-type]
            assert_same(a_rr.to_dict(), b_rr.to_dict(), f"{name} repurchase {as_of} {opts}")


def test_spark_edges_are_not_trivial(datasets: Any) -> None:
    """The edge data set exercises what it claims (values, nulls, empty denominators)."""
    db, _, (as_of, *_) = datasets["edges"]
    report = api.score(api.DataSource(db=db), as_of=as_of)
    shops = {s.shop_id: s for s in report.inputs.values()}
    assert set(shops) == {"00123", "店铺A", "a/b c%d=é", "empty"}
    assert shops["00123"].values["pickup_48h_rate"] == 0.5
    assert shops["00123"].values["response_3min_rate"] == 0.5
    assert shops["empty"].values["delivery_hours"] is None


def _repeat_views(source: api.DataSource, as_of: str) -> dict[str, Any]:
    return {v: api.repeat_report(source, view=v, as_of=as_of).to_dict() for v in REPEAT_VIEWS}


#: Every other computing command through the API: name -> (source, as-of, a shop) -> the
#: result's JSON contract (``to_dict()``); ``html``: the page itself.
COMMANDS: dict[str, Callable[[api.DataSource, str, str], Any]] = {
    "agents": lambda src, as_of, shop: api.agents_report(src, as_of=as_of).to_dict(),
    "refunds": lambda src, as_of, shop: api.refunds_report(
        src, as_of=as_of, window_days=180, every_month=True
    ).to_dict(),
    "service-repurchase": lambda src, as_of, shop: api.service_repurchase_report(
        src, as_of=as_of
    ).to_dict(),
    "repeat": lambda src, as_of, shop: _repeat_views(src, as_of),
    "diagnose": lambda src, as_of, shop: api.diagnose(src, shop, as_of=as_of).to_dict(),
    "diagnose peers": lambda src, as_of, shop: api.diagnose(
        src, shop, as_of=as_of, benchmark="peers", projection=False
    ).to_dict(),
    "plan": lambda src, as_of, shop: api.plan(src, shop, as_of=as_of, target=4.9).to_dict(),
    "trend": lambda src, as_of, shop: api.trend(src, shop, end=as_of[:10], every="day").to_dict(),
    "trend peers": lambda src, as_of, shop: api.trend(
        src, shop, start="2025-04-01", every="month", benchmark="peers"
    ).to_dict(),
    "html": lambda src, as_of, shop: render_html(
        api.report_pages(src, as_of=as_of, shop_ids=[shop], trend_weeks=4)
    ),
}
#: (data set, command, shop): every command on the golden data; on the edge data the
#: reports whose SQL meets its window, hour and 48 h edges, nulls and odd shop ids.
SPARK_CASES = [("golden", command, "0042") for command in COMMANDS] + [
    ("edges", "agents", ""),
    ("edges", "refunds", ""),
    ("edges", "repeat", ""),
    ("edges", "service-repurchase", ""),
    ("edges", "diagnose", "00123"),
    ("edges", "trend", "店铺A"),
]


@pytest.mark.parametrize(("name", "command", "shop"), SPARK_CASES)
def test_spark_gives_every_report_duckdb_gives(
    spark: Any, datasets: Any, name: str, command: str, shop: str
) -> None:
    """diagnose, plan, trend, agents and report refunds / service-repurchase / repeat /
    html on Spark (on the lake) equal the database's: structure, text, numbers within
    1e-9."""
    db, lake, (as_of, *_) = datasets[name]
    compute = COMMANDS[command]
    from_db = compute(api.DataSource(db=db), as_of, shop)
    on_spark = compute(api.DataSource(lake=lake, engine="spark"), as_of, shop)
    if isinstance(from_db, str):  # the HTML page
        assert on_spark == from_db
    else:
        assert_same(from_db, on_spark, f"{name} {command}")


@pytest.mark.parametrize(
    "command",
    [
        ("score", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        ("score", "-f", "table"),
        ("report", "repurchase", "--as-of", GOLDEN_AS_OF, "-f", "csv"),
        ("diagnose", "--shop", "0042", "-f", "table"),
        ("report", "refunds", "--as-of", GOLDEN_AS_OF, "-f", "csv"),
        ("report", "repeat", "--view", "gaps", "-f", "table"),
    ],
)
def test_spark_prints_exactly_what_duckdb_prints(
    spark: Any, run: Any, golden_db: Path, golden_lake: Path, command: tuple[str, ...]
) -> None:
    from_db = run(*command, golden_db)
    on_spark = run(*command, "--source", golden_lake, "--engine", "spark")
    assert on_spark.exit_code == 0, on_spark.output
    assert on_spark.stdout == from_db.stdout
    assert on_spark.stderr == from_db.stderr


@pytest.mark.parametrize("name", ["full", "golden"])
def test_spark_infers_the_coverage_duckdb_infers(
    spark: Any, coverage_lakes: Any, name: str
) -> None:
    db, nocov, lake = coverage_lakes[name]
    variants = ("absent", "empty folder", "no rows") if name == "full" else ("absent",)
    for how in variants:
        folder = nocov if how == "absent" else nocov.with_name(f"{how}-spark")
        if not folder.exists():
            _without_coverage(lake, folder, how)
        expected = _coverage(api.DataSource(lake=folder))
        assert _coverage(api.DataSource(lake=folder, engine="spark")) == expected, how
    source = api.DataSource(lake=nocov, engine="spark")
    on_spark = api.score(source, as_of=GOLDEN_AS_OF)
    from_db = api.score(api.DataSource(db=db), as_of=GOLDEN_AS_OF)
    assert_same(from_db.to_dict(), on_spark.to_dict(), name)
    assert any(INFERRED in w for w in source.warnings)


def test_spark_without_java_says_spark_needs_java_17(
    spark: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from svc_cli.engines import java_problem, spark_session

    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    assert "Java 17+" in (java_problem() or "")
    with pytest.raises(SvcError, match="Java 17"):
        spark_session("local[1]")
