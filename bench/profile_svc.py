"""Where svc's time goes: every SQL statement svc runs, timed from outside.

    python bench/profile_svc.py load DB DIR                 svc load of DIR/*.csv into DB
    python bench/profile_svc.py score DB --as-of TS         svc score on a loaded DB
    python bench/profile_svc.py repurchase DB --as-of TS    svc report repurchase
    python bench/profile_svc.py files DIR --as-of TS        svc score --orders DIR/orders.csv …

svc_cli is not changed: ``duckdb.connect`` is wrapped so every connection svc opens logs
the wall time of each ``execute`` (and of fetching its result) under a short stage name.
Prints JSON: the total wall time of the API call, the stages sorted by time, and what is
left for Python (parsing, scoring, rendering).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
from collections import defaultdict
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import duckdb

STAGES = (  # (regex on the normalised SQL, stage name)
    (r"^CREATE OR REPLACE TEMP TABLE raw_stage", "read CSV as text (raw_stage)"),
    (r"^SELECT count\(\*\) FROM raw_stage", "count rows read"),
    (r"^CREATE OR REPLACE TEMP TABLE typed_stage AS", "convert + validate (typed_stage)"),
    (r"^UPDATE typed_stage SET review_id", "synthesise missing review ids"),
    (r"^CREATE OR REPLACE TEMP TABLE dup_lines", "find duplicate keys (dup_lines)"),
    (r"^UPDATE typed_stage .*dup_lines", "flag conflicting duplicates"),
    (r"^UPDATE typed_stage .*NOT EXISTS", "flag rows of unknown orders"),
    (r"^SELECT count\(\*\) FROM typed_stage s ANTI JOIN \(SELECT", "check orders exist (recent)"),
    (r"^SELECT count\(\*\) FROM typed_stage s ANTI JOIN orders", "check orders exist (all)"),
    (r"^SELECT count\(\*\) FROM typed_stage WHERE len", "count invalid rows"),
    (r"^SELECT _line, p.column", "list invalid rows"),
    (
        r"^SELECT count\(\*\) - \(SELECT count\(\*\) FROM \(SELECT DISTINCT",
        "count exact duplicates",
    ),
    (r"^CREATE OR REPLACE TEMP TABLE matched", "upsert: find stored rows by id (matched)"),
    (r"^CREATE OR REPLACE TEMP TABLE delta", "upsert: diff with table (delta)"),
    (r"^SELECT count\(\*\) FILTER \(NOT _exists\)", "upsert: count delta"),
    (r"^DELETE FROM", "upsert: delete changed rows"),
    (r"^INSERT INTO (orders|reviews|chats|shops) SELECT", "upsert: insert"),
    (r"^UPDATE (orders|reviews|chats|shops) SET", "upsert: update changed rows"),
    (r"^INSERT INTO coverage", "record coverage"),
    (r"^SELECT DISTINCT shop_id FROM orders", "shops with orders (identity warnings)"),
    (r"^INSERT INTO typed_stage", "shops: insert records"),
    (r"^CREATE OR REPLACE TEMP TABLE typed_stage", "shops: staging table"),
    (r"^INSERT INTO svc_loads", "record the load"),
    (r"^(BEGIN|COMMIT|ROLLBACK)", "transaction begin/commit"),
    (r"^DROP TABLE", "drop staging tables"),
    (r"^(CREATE TABLE IF NOT EXISTS|INSERT INTO svc_meta)", "schema create/check"),
    (r"SELECT table_name FROM duckdb_tables|FROM svc_meta", "schema create/check"),
    (r"^SELECT max\(t\) FROM \(SELECT max", "default as-of (latest timestamp)"),
    (r"^WITH shop_list AS .*bad_reviewed", "indicator counts query"),
    (r"^WITH days AS .*seconds AS", "repurchase counts query"),
)


GLOBAL_STAGES = {
    "record the load",
    "shops with orders (identity warnings)",
    "drop staging tables",
    "transaction begin/commit",
    "schema create/check",
    "default as-of (latest timestamp)",
    "indicator counts query",
    "repurchase counts query",
}


class _Log:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.context = ""

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds
        self.calls[stage] += 1


LOG = _Log()


def _stage(sql: str, params: Any) -> str:
    if isinstance(params, dict) and "path" in params:
        LOG.context = Path(str(params["path"])).stem
    flat = re.sub(r"\s+", " ", sql).strip()
    name = next((n for pattern, n in STAGES if re.search(pattern, flat)), flat[:60])
    if LOG.context and name not in GLOBAL_STAGES:
        return f"{LOG.context}: {name}"
    return name


class _Timed:
    """A result whose fetches are timed under the statement's stage."""

    def __init__(self, inner: Any, stage: str) -> None:
        self._inner, self._stage = inner, stage

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr) or not name.startswith(("fetch", "pl", "df", "arrow")):
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                LOG.add(self._stage, time.perf_counter() - started)

        return timed


class TimedConnection(_Timed):
    def __init__(self, inner: duckdb.DuckDBPyConnection) -> None:
        super().__init__(inner, "")

    def execute(self, sql: str, params: Any = None) -> Any:
        stage = _stage(sql, params)
        started = time.perf_counter()
        try:
            result = (
                self._inner.execute(sql, params) if params is not None else self._inner.execute(sql)
            )
        finally:
            LOG.add(stage, time.perf_counter() - started)
        return _Timed(result, stage)

    def executemany(self, sql: str, params: Any = None) -> Any:
        stage = _stage(sql, None)
        started = time.perf_counter()
        try:
            return self._inner.executemany(sql, params)
        finally:
            LOG.add(stage, time.perf_counter() - started)

    def close(self) -> None:
        started = time.perf_counter()
        self._inner.close()
        LOG.add("close (checkpoint)", time.perf_counter() - started)


_connect = duckdb.connect


def _timed_connect(*args: Any, **kwargs: Any) -> TimedConnection:
    started = time.perf_counter()
    con = _connect(*args, **kwargs)
    LOG.add("open database", time.perf_counter() - started)
    return TimedConnection(con)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("load", "score", "repurchase", "files"))
    parser.add_argument("target", type=Path, help="DB (load, score, repurchase) or DIR (files)")
    parser.add_argument("dir", type=Path, nargs="?", help="folder of CSVs (load)")
    parser.add_argument("--as-of")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from svc_cli import api  # imported here so its import time is reported
    from svc_cli.render import Format, render
    from svc_cli.views import repurchase_output, score_output

    imported = time.perf_counter()
    duckdb.connect = _timed_connect  # type: ignore[assignment]

    def files(folder: Path) -> dict[str, Path]:
        names = ("orders", "reviews", "chats", "shops")
        return {n: folder / f"{n}.csv" for n in names if (folder / f"{n}.csv").exists()}

    out = io.StringIO()
    if args.command == "load":
        LOG.context = "shops"  # the shops file is loaded first
        api.load(args.target, **files(args.dir))  # type: ignore[arg-type]
    else:
        if args.command == "files":
            source = api.DataSource(**files(args.target))  # type: ignore[arg-type]
        else:
            source = api.DataSource(db=args.target)
        if args.command == "repurchase":
            report = api.repurchase_report(source, as_of=args.as_of)
            output = repurchase_output(report, "en")
        else:
            report = api.score(source, as_of=args.as_of)
            output = score_output(report, "en")
        render_started = time.perf_counter()
        with redirect_stdout(out):
            render(output, Format.json, None)
        LOG.add("render JSON", time.perf_counter() - render_started)
    total = time.perf_counter() - imported
    timed = sum(LOG.seconds.values())
    stages = sorted(LOG.seconds.items(), key=lambda kv: -kv[1])
    json.dump(
        {
            "command": args.command,
            "import_seconds": imported - started,
            "total_seconds": total,
            "stages": [
                {"stage": name, "seconds": sec, "calls": LOG.calls[name]} for name, sec in stages
            ]
            + [{"stage": "other Python (untimed)", "seconds": max(0.0, total - timed), "calls": 0}],
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
