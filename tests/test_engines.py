"""One model, three engines: DuckDB on a database, DuckDB on a Parquet lake, Spark on the
same lake. Every query in queries.py translates to Spark, and every engine gives the same
numbers (docs/parquet-format.md, docs/scale.md)."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from svc_cli import api, queries
from svc_cli.errors import DataError, SvcError, UsageError
from tests.conftest import GOLDEN_AS_OF
from tests.factories import order, write_chats, write_orders, write_reviews, write_shops

ROOT = Path(__file__).resolve().parents[1]

#: queries.py constants that are pieces of queries, not queries.
FRAGMENTS = {"VALID", "_ORDER_FLAGS", "_CUSTOMER_DAYS", "_REFUND_REQUESTS", "_REPEAT_CUSTOMERS"}
#: Statements that only ever run on an svc database while loading (DuckDB, never a lake).
LOAD_ONLY = {
    "RECORD_COVERAGE", "INFER_COVERAGE", "RECORD_ALIASES", "REKEY_CLASHES",
    "REKEY_DROP_CLASHES", "REKEY_ROWS", "REKEY_COVERAGE", "SHOP_ROWS",
}  # fmt: skip
PARAMS = {
    "as_of": datetime(2025, 6, 30),
    "start": datetime(2025, 5, 31),
    "last_day": date(2025, 6, 29),
}


def _queries() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(queries).items()
        if name.isupper() and isinstance(value, str) and name not in FRAGMENTS | LOAD_ONLY
    }


# --- every query translates ---


def test_every_query_in_queries_py_translates_to_spark() -> None:
    sqlglot = pytest.importorskip("sqlglot", reason="sqlglot not installed: pip install '.[spark]'")
    from sqlglot import exp

    from svc_cli.engines import bind, to_spark

    found = _queries()
    assert {"INDICATOR_COUNTS", "REPURCHASE_COUNTS", "COHORT_COUNTS", "CUSTOMER_LIST"} <= set(found)
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
    import duckdb

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
    import duckdb

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


def test_lake_errors_say_what_to_do(tmp_path: Path, golden_lake: Path) -> None:
    with pytest.raises(DataError, match="not found"):
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


def test_engine_spark_without_pyspark_says_how_to_install(
    run: Any, golden_lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("pyspark", "pyspark.sql"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails
    result = run("score", "--engine", "spark", "--source", golden_lake)
    assert result.exit_code == 2
    assert "pip install 'svc[spark]'" in result.stderr


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


@pytest.mark.parametrize(
    "command",
    [
        ("score", "--as-of", GOLDEN_AS_OF, "-f", "json"),
        ("score", "-f", "table"),
        ("report", "repurchase", "--as-of", GOLDEN_AS_OF, "-f", "csv"),
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


def test_spark_without_java_says_spark_needs_java_17(
    spark: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from svc_cli.engines import java_problem, spark_session

    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    assert "Java 17+" in (java_problem() or "")
    with pytest.raises(SvcError, match="Java 17"):
        spark_session("local[1]")
