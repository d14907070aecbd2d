"""Scale benchmark: the same model on DuckDB (database, Parquet lake) and on Spark.

    python bench/scale.py --orders 1000000
    python bench/scale.py --orders 10000000 --runs 1 --spark-master 'local[*]'

1. Generates the data set (bench/generate.py, cached under bench/data/), loads it into a
   database and exports it as a Parquet lake (`svc export`), both cached beside it.
2. Runs `svc score` and `svc report repurchase` (JSON) as fresh processes on each engine:
   DuckDB on the database, DuckDB on the lake, Spark on the lake. The outputs must be
   identical (exit 1 otherwise); then it prints the median wall time per engine and the
   orders per second, as a Markdown table for docs/scale.md (and JSON with --results).

Spark's time includes starting the JVM and the session (a few seconds on a laptop, paid
once per job on a cluster); the table shows it separately (a trivial query's time).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import generate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SVC = [sys.executable, "-m", "svc_cli"]


def run(args: list[str], out: Path | None = None) -> float:
    """Seconds one fresh svc process takes; its stdout goes to ``out``."""
    start = time.perf_counter()
    with open(out or os.devnull, "w", encoding="utf-8") as fh:
        subprocess.run([*SVC, *args], check=True, stdout=fh, cwd=ROOT)
    return time.perf_counter() - start


def spark_startup(master: str) -> float:
    """Seconds a fresh process takes to start a Spark session and run SELECT 1."""
    code = (
        "from svc_cli.engines import spark_session\n"
        f"spark_session({master!r}).sql('SELECT 1').collect()"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def prepare(orders: int, chats: float) -> tuple[Path, Path, Path]:
    data = generate.generate(orders, chats=chats)
    db, lake = data / "svc.duckdb", data / "lake"
    if not db.exists():
        files = [f"--reviews={data / 'reviews.csv'}", f"--shops={data / 'shops.csv'}"]
        if (data / "chats.csv").exists():
            files.append(f"--chats={data / 'chats.csv'}")
        run(["load", str(db), str(data / "orders.csv"), *files, "-q"])
    if not lake.exists():
        run(["export", str(db), str(lake)])
    return data, db, lake


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, required=True)
    parser.add_argument("--chats", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spark-master", default="local[*]")
    parser.add_argument("--as-of", default="2025-06-30")
    parser.add_argument("--results", type=Path, help="also write the timings as JSON here")
    parser.add_argument(
        "--command", action="append", choices=["score", "report repurchase"], dest="only",
        help="time only this command (repeatable; default both)",
    )  # fmt: skip
    parser.add_argument("--lake", type=Path, help="time this lake instead of the exported one")
    args = parser.parse_args()

    data, db, lake = prepare(args.orders, args.chats)
    lake = args.lake or lake
    engines = {
        "DuckDB, database": [str(db)],
        "DuckDB, Parquet lake": ["--source", str(lake)],
        f"Spark {args.spark_master}, Parquet lake": [
            *("--source", str(lake), "--engine", "spark", "--spark-master", args.spark_master)
        ],
    }
    commands = {
        "score": ["score", "--as-of", args.as_of, "-f", "json"],
        "report repurchase": ["report", "repurchase", "--as-of", args.as_of, "-f", "json"],
    }
    commands = {c: a for c, a in commands.items() if not args.only or c in args.only}
    results: dict[str, dict[str, float]] = {}
    for cmd, cmd_args in commands.items():
        outputs = {}
        for engine, source in engines.items():
            out = data / f"out-{cmd.replace(' ', '_')}-{len(outputs)}.json"
            times = [run([*cmd_args, *source], out) for _ in range(args.runs)]
            outputs[engine] = out.read_text("utf-8")
            results.setdefault(cmd, {})[engine] = statistics.median(times)
            print(f"{cmd:18} {engine:32} {statistics.median(times):7.2f} s", file=sys.stderr)
        reference = next(iter(outputs.values()))
        different = [e for e, text in outputs.items() if text != reference]
        if different:
            sys.exit(f"{cmd}: output differs on {', '.join(different)}")
    startup = spark_startup(args.spark_master)
    meta = json.loads((data / "meta.json").read_text("utf-8"))
    n = meta.get("orders", args.orders)
    print(f"\n{n:,} orders, {args.runs} run(s), median wall time of a fresh process "
          "(outputs identical on every engine):\n")  # fmt: skip
    print("| command | engine | time | orders/s |")
    print("|---|---|---:|---:|")
    for cmd, per_engine in results.items():
        for engine, seconds in per_engine.items():
            print(f"| `{cmd}` | {engine} | {seconds:.1f} s | {n / seconds:,.0f} |")
    print(f"\nSpark session start-up (JVM + session + SELECT 1): {startup:.1f} s")
    if args.results:
        document = {"orders": n, "results": results, "spark_startup": startup}
        args.results.write_text(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
