"""Encoding detection: svc's sniffer against charset-normalizer (issue #10).

    python bench/encoding_sniffers.py                 # tables, failures and times (markdown)
    python bench/encoding_sniffers.py --no-times      # counts only: byte-identical on every run
    python bench/encoding_sniffers.py --all           # list every sample, not only the misses
    python bench/encoding_sniffers.py --keep DIR      # keep the corpus in DIR

Builds a corpus of export files in a temp folder, reads each one's sample exactly as svc
does (``read_sample``: the first 256 KiB), and asks three sniffers for its encoding:

* ``svc``: ``svc_cli.read.sniff_encoding`` (UTF-8 ±BOM → GB18030 → cp1252 →
  cp932; raises InputError when it cannot tell: counted as *refused*);
* ``cn``: ``charset_normalizer.from_bytes(sample).best()`` (None: *refused*);
* ``cn/4``: the same, limited to svc's candidates (``cp_isolation``), to tell whether
  charset-normalizer's misses come from the other code pages it may pick.

A guess is right when it decodes the sample (strictly) to the same text as the true
encoding, a leading byte-order mark aside: gbk, gb18030 and cp936 are the same for
GBK-encodable text, utf-8 and ascii for ASCII. For a file that mixes encodings, refusing
is the right answer.

The corpus:

1. ``fixtures``: every text export under tests/data (tests/data/presets/*.csv|txt, their
   broken/ variants, tests/data/golden/*.csv). The true encoding of a preset fixture is the
   one tests/data/presets/make_fixtures.py writes it in (its ``csv_bytes`` calls are
   recorded while ``fixtures()`` runs; the files on disk must be those bytes); the golden
   files are canonical UTF-8 (tests/test_presets.py). Pure-ASCII files count as ascii.
   The .xlsx fixtures are not sniffed (no text encoding); blank files neither (svc refuses
   them before sniffing).
2. ``re-encoded``: the text of every fixture in utf-8, gbk, gb18030, cp1252 and cp932,
   leaving out the rows an encoding cannot represent (a header it cannot represent: no
   sample).
3. ``short``: the same, header + 1, 2 or 3 rows.
4. ``one column``: English headers, ASCII cells, and product names (Western, Japanese or
   Chinese) as the only non-ASCII text, 1 to 200 rows, in the encodings they occur in.
5. ``hard``: a few accents or hanzi among hundreds of ASCII rows, curly quotes or a
   currency sign as the only non-ASCII, Portuguese double accents, half-width katakana,
   emoji and rare hanzi that only GB18030 encodes.

Synthetic samples that are pure ASCII or repeat an earlier sample's bytes are left out, so
each sample counts once (gbk comes before gb18030: GB18030 samples are those that differ
from GBK). Everything is deterministic; only the times vary between runs.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import importlib.util
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from svc_cli import read as source  # noqa: E402
from svc_cli.errors import InputError  # noqa: E402

PRESETS = ROOT / "tests" / "data" / "presets"
GOLDEN = ROOT / "tests" / "data" / "golden"
MIXED = "mixed"  # the truth of a file that mixes encodings: refusing is right
TARGETS = ("utf-8", "gbk", "gb18030", "cp1252", "cp932")
ORDER = ("ascii", "utf-8", "utf-8-sig", "gbk", "gb18030", "cp1252", "cp932", MIXED)
GROUPS = ("fixtures", "re-encoded", "short", "one column", "hard")
SVC_CANDIDATES = ["utf_8", "gb18030", "cp1252", "cp932"]

# broken_files() builds these from pieces, not from one csv_bytes call: their truth.
DERIVED = {
    "broken/truncated.csv": "utf-8",  # a UTF-8 file cut short
    "broken/ragged.csv": "utf-8",  # a UTF-8 file with a cell added
    "broken/mixed_encodings.csv": MIXED,  # two UTF-8 rows, then a GBK row
}


@dataclass(frozen=True)
class Table:
    """A file's content as rows of text, and how it is written."""

    name: str
    header: list[str]
    rows: list[list[str]]
    delimiter: str = ","
    crlf: bool = False


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    truth: str  # an encoding, "ascii" or MIXED
    data: bytes


@dataclass
class Outcome:
    guess: dict[str, str | None] = field(default_factory=dict)  # sniffer → encoding | None
    right: dict[str, bool] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# --- corpus ----------------------------------------------------------------------------------


def _load_fixture_module() -> Any:  # a module whose csv_bytes is replaced below
    spec = importlib.util.spec_from_file_location("make_fixtures", PRESETS / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_corpus() -> tuple[list[Case], list[Table]]:
    """The fixtures under tests/data with their true encodings, and their texts."""
    mod = _load_fixture_module()
    calls: list[tuple[bytes, Table, str]] = []
    write = mod.csv_bytes

    def recording(header: list[str], rows: list[list[str]], **kw: object) -> bytes:
        data: bytes = write(header, rows, **kw)
        table = Table(
            "",
            list(header),
            [list(r) for r in rows],
            str(kw.get("delimiter", ",")),
            bool(kw.get("crlf", False)),
        )
        calls.append((data, table, str(kw.get("encoding", "utf-8"))))
        return data

    mod.csv_bytes = recording
    try:
        files: dict[str, bytes] = mod.fixtures()
    finally:
        mod.csv_bytes = write
    cases, tables = [], []
    for name, data in sorted(files.items()):
        if name.endswith(".xlsx"):
            continue
        if (PRESETS / name).read_bytes() != data:
            sys.exit(f"tests/data/presets/{name} is not what make_fixtures.py writes")
        if not data.strip():
            continue  # blank: svc refuses it before sniffing
        made = [(t, enc) for d, t, enc in calls if d == data]
        if made:
            table, truth = made[0]
            if not name.startswith("broken/"):
                tables.append(Table(name, table.header, table.rows, table.delimiter, table.crlf))
        elif name in DERIVED:
            truth = DERIVED[name]
        else:
            sys.exit(f"no true encoding known for tests/data/presets/{name}")
        cases.append(Case("fixtures", name, _label(truth, data), data))
    for path in sorted(GOLDEN.glob("*.csv")):
        data = path.read_bytes()
        text = data.decode("utf-8")  # canonical files are UTF-8
        rows = list(csv.reader(io.StringIO(text, newline="")))
        crlf = "\r\n" in text[:4096]
        cases.append(Case("fixtures", f"golden/{path.name}", _label("utf-8", data), data))
        tables.append(Table(f"golden/{path.name}", rows[0], rows[1:], ",", crlf))
    return cases, tables


def _label(truth: str, data: bytes) -> str:
    return "ascii" if truth != MIXED and data.isascii() else truth


def render(table: Table, encoding: str, limit: int | None = None) -> bytes | None:
    """The table written in ``encoding``, without the rows it cannot represent (the first
    ``limit`` representable rows); None if the header or every row is unrepresentable."""
    out = []
    for i, row in enumerate([table.header, *table.rows]):
        buf = io.StringIO()
        csv.writer(
            buf, delimiter=table.delimiter, lineterminator="\r\n" if table.crlf else "\n"
        ).writerow(row)
        try:
            out.append(buf.getvalue().encode(encoding))
        except UnicodeEncodeError:
            if i == 0:
                return None
        if limit is not None and len(out) > limit:
            break
    return b"".join(out) if len(out) > 1 else None


WESTERN = [
    "Crème brûlée set",
    "Ramequin café",
    "Müsli bowl",
    "Señorita apron",
    "Smørrebrød board",
    "Jalapeño sauce",
    "Façade poster",
    "Naïve print tee",
    "Größe M hoodie",
    "Déjà vu mug",
]
JAPANESE = [
    "マグカップ",
    "白いカップ",
    "抹茶セット",
    "湯のみ 2個",
    "ステンレス水筒",
    "和紙ノート",
    "タオル（大）",
    "お箸セット",
]
CHINESE = [
    "纯棉T恤",
    "京东自营 坚果礼盒",
    "保温杯 500ml",
    "儿童雨衣",
    "手机壳（透明）",
    "陶瓷马克杯",
    "真丝枕套",
    "无线蓝牙耳机",
]
ASCII_NAMES = ["Cotton T-shirt", "Coffee mug", "Phone case", "Water bottle", "Tea set"]
HEADER = ["order_id", "created_at", "sku", "product_name", "quantity", "price", "currency"]


def orders(n: int, names: list[str], special: dict[int, str] | None = None) -> Table:
    """``n`` order lines; product names cycle through ``names``, row i gets special[i]."""
    rows = []
    for i in range(n):
        name = (special or {}).get(i, names[i % len(names)])
        day, minute = 1 + i % 28, (i * 7) % 1440
        rows.append(
            [
                f"{1_000_000 + i * 37}",
                f"2024-03-{day:02d} {minute // 60:02d}:{minute % 60:02d}:00",
                f"SKU-{i % 97:03d}",
                name,
                str(1 + i % 3),
                f"{5 + (i * 13) % 90}.{i % 100:02d}",
                "EUR",
            ]
        )
    return Table("orders", HEADER, rows)


def one_column_cases() -> list[tuple[str, str, Table]]:
    out = []
    for script, names, encodings in (
        ("western", WESTERN, ("utf-8", "cp1252")),
        ("japanese", JAPANESE, ("utf-8", "cp932")),
        ("chinese", CHINESE, ("utf-8", "gbk")),
    ):
        for n in (1, 3, 20, 200):
            for encoding in encodings:
                out.append((f"{script}, {n} rows", encoding, orders(n, names)))
    return out


def hard_cases() -> list[tuple[str, str, Table]]:
    few = ASCII_NAMES
    reviews = Table(
        "reviews",
        ["review_id", "order_id", "rating", "text"],
        [
            ["r1", "1001", "5", "好评😊 物流很快"],
            ["r2", "1002", "4", "质量不错👍"],
            ["r3", "1003", "5", "great"],
        ],
    )
    many = Table(
        "reviews",
        ["review_id", "order_id", "rating", "text"],
        [
            [f"r{i}", f"{2000 + i}", "5", CHINESE[i % len(CHINESE)] + " 很满意，物流很快" + tail]
            for i, tail in enumerate(["😊" if i % 17 == 0 else "" for i in range(50)])
        ],
    )
    names = Table(
        "customers",
        ["customer_id", "name", "city"],
        [["c1", "王䶮", "Beijing"], ["c2", "李𠀾", "Shanghai"], ["c3", "Li Wei", "Hangzhou"]],
    )
    return [
        ("one é in 300 rows", "cp1252", orders(300, few, {150: "Café au lait mug"})),
        ("one ë in 300 rows", "cp1252", orders(300, few, {10: "Zoë tote bag"})),
        ("one curly apostrophe", "cp1252", orders(300, few, {42: "Women’s T-shirt"})),
        ("one pound sign", "cp1252", orders(100, few, {7: "Gift card £20"})),
        ("one euro sign", "cp1252", orders(100, few, {7: "Gift card 20€"})),
        ("one degree sign", "cp1252", orders(100, few, {3: "Kettle 100°C"})),
        (
            "Portuguese double accents",
            "cp1252",
            orders(50, few, {5: "Ação figure", 6: "São Paulo mug", 7: "Conceição print"}),
        ),
        ("capitals ÉLÉGANCE", "cp1252", orders(50, few, {3: "ÉLÉGANCE scarf"})),
        ("Finnish Ää", "cp1252", orders(50, few, {9: "Ääni speaker"})),
        ("French créé", "cp1252", orders(50, few, {9: "Bundle créé"})),
        ("4 hanzi in 300 rows", "gbk", orders(300, few, {150: "纯棉T恤"})),
        ("2 hanzi in 300 rows", "gbk", orders(300, few, {10: "Mug 北京"})),
        ("full-width brackets only", "gbk", orders(100, few, {20: "Mug （gift）"})),
        ("one Chinese name", "gbk", orders(100, few, {30: "张三"})),
        ("emoji in 2 of 3 reviews", "gb18030", reviews),
        ("emoji in 3 of 50 reviews", "gb18030", many),
        ("rare hanzi in names", "gb18030", names),
        ("one katakana name in 300 rows", "cp932", orders(300, few, {150: "マグカップ"})),
        ("half-width katakana", "cp932", orders(20, ["ｶｯﾌﾟ", "ﾀｵﾙ", "ﾉｰﾄ"])),
        ("full-width digits", "cp932", orders(20, ["ノート１２３", "ペン５本"])),
    ]


def corpus() -> list[Case]:
    cases, tables = fixture_corpus()
    seen = {c.data for c in cases}

    def add(group: str, name: str, truth: str, data: bytes | None) -> None:
        if data is None or data.isascii() or data in seen:
            return
        seen.add(data)
        cases.append(Case(group, name, truth, data))

    for table in tables:
        for encoding in TARGETS:
            add("re-encoded", f"{table.name} {encoding}", encoding, render(table, encoding))
    for table in tables:
        for encoding in TARGETS:
            for n in (1, 2, 3):
                data = render(table, encoding, n)
                add("short", f"{table.name} {encoding} {n} rows", encoding, data)
    for name, encoding, table in one_column_cases():
        add("one column", f"{name} {encoding}", encoding, render(table, encoding))
    for name, encoding, table in hard_cases():
        data = render(table, encoding)
        assert data is not None and len(data) > 0, name
        add("hard", name, encoding, data)
    return cases


# --- sniffers --------------------------------------------------------------------------------


def svc_sniff(sample: bytes) -> str | None:
    try:
        return source.sniff_encoding(sample, "sample")
    except InputError:
        return None


def cn_sniffers() -> dict[str, Callable[[bytes], str | None]]:
    from charset_normalizer import from_bytes

    def cn(sample: bytes) -> str | None:
        best = from_bytes(sample).best()
        return best.encoding if best else None

    def cn4(sample: bytes) -> str | None:
        best = from_bytes(sample, cp_isolation=SVC_CANDIDATES).best()
        return best.encoding if best else None

    return {"cn": cn, "cn/4": cn4}


def decoded(sample: bytes, encoding: str, final: bool) -> str | None:
    """The sample's text in ``encoding`` (strict; a cut sample may end inside a
    character), without a leading byte-order mark; None if it is not ``encoding``."""
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=final)
    except (UnicodeDecodeError, LookupError):
        return None
    return text.removeprefix("\ufeff")


def is_right(case: Case, sample: bytes, final: bool, guess: str | None) -> bool:
    if case.truth == MIXED:
        return guess is None
    if guess is None:
        return False
    truth = "utf-8" if case.truth == "ascii" else case.truth
    return decoded(sample, guess, final) == decoded(sample, truth, final)


def run(cases: list[Case], folder: Path, repeat: int) -> list[Outcome]:
    sniffers = {"svc": svc_sniff, **cn_sniffers()}
    for sniff in sniffers.values():  # warm up (lazy imports, caches)
        sniff(cases[0].data)
    outcomes = []
    for i, case in enumerate(cases):
        path = folder / f"{i:04d}.csv"
        path.write_bytes(case.data)
        src = source.spool(path)
        sample = source.read_sample(src)
        final = len(sample) == len(case.data)
        outcome = Outcome()
        for name, sniff in sniffers.items():
            guess = sniff(sample)
            outcome.guess[name] = guess
            outcome.right[name] = is_right(case, sample, final, guess)
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                sniff(sample)
                times.append(time.perf_counter() - start)
            outcome.seconds[name] = min(times)
        outcomes.append(outcome)
    return outcomes


def import_ms(module: str, runs: int = 5) -> float:
    """Median time to import ``module`` in a fresh interpreter (what svc start-up pays)."""
    code = (
        "import time; t = time.perf_counter(); import " + module + "; "
        "print(time.perf_counter() - t)"
    )
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(times) * 1000


# --- report ----------------------------------------------------------------------------------


Results = list[tuple[Case, Outcome]]


def _counts(rows: Results, name: str) -> tuple[int, int, int]:
    right = sum(o.right[name] for _, o in rows)
    refused = sum(o.guess[name] is None and not o.right[name] for _, o in rows)
    return right, len(rows) - right - refused, refused


def table(
    title: str,
    keys: tuple[str, ...],
    key: Callable[[Case], str],
    results: Results,
    sniffers: list[str],
) -> list[str]:
    head = [title, "samples"]
    for s in sniffers:
        head += [f"{s} right", f"{s} wrong", f"{s} refused"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k in (*keys, "total"):
        rows = [(c, o) for c, o in results if k in ("total", key(c))]
        if not rows:
            continue
        cells = [f"**{k}**" if k == "total" else k, str(len(rows))]
        for s in sniffers:
            cells += [str(n) for n in _counts(rows, s)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def report(cases: list[Case], outcomes: list[Outcome], times: bool, every: bool) -> str:
    results = list(zip(cases, outcomes, strict=True))
    sniffers = list(outcomes[0].guess)
    out = ["## By true encoding (mixed: refusing is right)", ""]
    out += table("true encoding", ORDER, lambda c: c.truth, results, sniffers)
    out += ["", "## By kind of sample", ""]
    out += table("samples", GROUPS, lambda c: c.group, results, sniffers)
    if times:
        out += ["", "## Median time per sample (ms; each sample: best of --repeat runs)", ""]
        out += ["| true encoding | " + " | ".join(sniffers) + " |"]
        out += ["|" + "---|" * (1 + len(sniffers))]
        for k in (*ORDER, "all"):
            rows = [o for c, o in results if k in ("all", c.truth)]
            if not rows:
                continue
            medians = [statistics.median(o.seconds[s] for o in rows) * 1000 for s in sniffers]
            cells = " | ".join(f"{m:.3f}" for m in medians)
            out.append(f"| {'**all**' if k == 'all' else k} | {cells} |")
        spread = []
        for s in sniffers:
            ms = sorted(o.seconds[s] * 1000 for o in outcomes)
            p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
            spread.append(f"{s} {p90:.2f} / {ms[-1]:.2f}")
        out += ["", "p90 / max over all samples (ms): " + "; ".join(spread) + "."]
        out += [
            "",
            f"Import in a fresh interpreter (median of 5): charset_normalizer "
            f"{import_ms('charset_normalizer'):.1f} ms; svc's sniffer is in a module every "
            "load imports anyway.",
        ]
    title = "Every sample" if every else "Samples some sniffer got wrong or refused"
    out += ["", f"## {title} (✗: wrong or refused)", ""]
    out += ["| kind | sample | truth | " + " | ".join(sniffers) + " |"]
    out += ["|" + "---|" * (3 + len(sniffers))]
    for case, o in results:
        if all(o.right.values()) and not every:
            continue
        marks = [(o.guess[s] or "refused") + ("" if o.right[s] else " ✗") for s in sniffers]
        out.append(f"| {case.group} | {case.name} | {case.truth} | " + " | ".join(marks) + " |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per sample (best)")
    parser.add_argument("--no-times", action="store_true", help="leave the times out")
    parser.add_argument("--all", action="store_true", help="list every sample")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    try:
        import charset_normalizer
    except ImportError:
        sys.exit("needs charset-normalizer: pip install charset-normalizer")
    cases = corpus()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        outcomes = run(cases, args.keep, args.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="svc-encodings-") as folder:
            outcomes = run(cases, Path(folder), args.repeat)
    print(
        f"# Encoding detection: {len(cases)} samples; svc's sniff_encoding against "
        f"charset-normalizer {charset_normalizer.__version__}\n"
    )
    print(report(cases, outcomes, not args.no_times, args.all))


if __name__ == "__main__":
    main()
