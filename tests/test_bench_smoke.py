"""Smoke test of the benchmark harness (bench/): tiny data, no timing assertions.

It checks that the generator is deterministic and that bench/run.py completes, with svc
giving the same numbers as every hand-written baseline (DuckDB SQL, polars, incremental
load = full load).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def _generate(out: Path) -> None:
    subprocess.run(
        [
            *(sys.executable, str(BENCH / "generate.py")),
            *("--orders", "500", "--chats", "0.2", "--out", str(out)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_generator_is_deterministic(tmp_path: Path) -> None:
    _generate(tmp_path / "a")
    _generate(tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.csv"))
    assert {str(f) for f in files} >= {"orders.csv", "reviews.csv", "shops.csv", "day/orders.csv"}
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    header = (tmp_path / "a" / "orders.csv").read_text(encoding="utf-8").splitlines()[0]
    golden = (ROOT / "tests/data/golden/orders.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == golden


def test_bench_run_smoke(tmp_path: Path) -> None:
    results, docs = tmp_path / "results.json", tmp_path / "performance.md"
    proc = subprocess.run(
        [
            *(sys.executable, str(BENCH / "run.py"), "--orders", "2000", "--chats", "0.3"),
            *("--runs", "1", "--quiet", "--data-dir", str(tmp_path / "data")),
            *("--results", str(results), "--docs", str(docs)),
        ],
        capture_output=True,
        text=True,
        timeout=240,  # three loads more than before; slow on a busy 2-core machine
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    result = json.loads(results.read_text(encoding="utf-8"))
    failed = [c for c in result["checks"] if not c["ok"]]
    assert result["all_equal"] and not failed, failed
    assert len(result["checks"]) == 11
    assert any(c.get("scored_shops") for c in result["checks"]), "no shop was scored"
    names = [c["check"] for c in result["checks"]]
    assert any(n.startswith("load_gz:") for n in names), names
    assert any(n.startswith("load_taobao:") for n in names), names
    assert set(result["cases"]) >= {
        *("load", "load_gz", "load_taobao", "score", "repurchase", "files", "incremental"),
    }
    for case in result["cases"].values():
        for side in ("baseline", "svc", "reference"):
            if side in case:
                assert case[side]["median"] > 0 and case[side]["rss_median_mb"] > 0
        if "svc" in case:
            assert case["target"] and isinstance(case["met"], bool)
    assert "reference" in result["cases"]["load_taobao"]  # the typed read_csv of orders.csv
    assert result["gz_bytes"].keys() >= {"orders.csv.gz", "reviews.csv.gz", "chats.csv.gz"}
    for key in ("startup_help", "startup_services"):
        startup = result["startup"][key]
        assert startup["ratio"] > 0 and isinstance(startup["met"], bool)
    assert "import_typer" in result["startup"]
    text = docs.read_text(encoding="utf-8")
    assert "bench:begin" in text and "svc against the baselines" in text
    for key in ("load_gz", "load_taobao"):
        assert f"| {key} |" in text
    assert 'python -c "import typer"' in text
