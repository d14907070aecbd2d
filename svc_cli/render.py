"""Every output format from one ``Output``: table, csv, json, jsonl, markdown.

Commands build an ``Output`` (records for tabular formats, a document for JSON) and call
``render``. Files given with ``-o`` are written atomically: a temporary file beside the
target, renamed over it only once complete.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from svc_cli.errors import SvcError, UsageError
from svc_cli.formats import SETTINGS, Format
from svc_cli.formats import set_formula_escaping as set_formula_escaping
from svc_cli.formats import set_wide as set_wide
from svc_cli.i18n import Message, Verbatim, fill

# json, csv, decimal and secrets are imported where they are used: a terminal table
# (`svc services`) needs none of them, and start-up time counts.


#: The default of a section's mappings (a record's default is shared: never a dict).
NO_MAPPING: Mapping[str, Any] = MappingProxyType({})


class Section(NamedTuple):
    """One table of records. ``formatters`` shape values for table/markdown only.

    In the terminal every cell stays on one line (numbers, ids and dates are never
    broken) except in the ``wrap`` columns (names, notes); when the table is wider than
    the terminal, the ``drop`` columns are left out, first to last, then others from the
    right, until it fits (``--wide`` keeps them all); a ``beside`` column goes with the
    column it is shown beside.
    """

    rows: list[dict[str, Any]]
    columns: list[str] | None = None
    title: str | None = None
    headers: Mapping[str, str] = NO_MAPPING
    formatters: Mapping[str, Callable[..., str]] = NO_MAPPING
    wrap: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    #: column -> the column it is shown only beside (a value's number beside its label)
    beside: Mapping[str, str] = NO_MAPPING

    def column_names(self) -> list[str]:
        if self.columns is not None:
            return self.columns
        names: list[str] = []
        for row in self.rows:
            names += [k for k in row if k not in names]
        return names


class Output(NamedTuple):
    """What a command returns: sections for tabular formats, a document for JSON."""

    sections: list[Section]
    document: Any = None
    jsonl_items: list[Any] | None = None
    footer: Sequence[str] = ()
    csv: Section | None = None  # the one table csv writes (default: the first section)
    lang: str = "en"  # of the lines the table renderer adds (columns left out)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _dumps(value: Any, indent: int | None) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


#: Above this many list items, JSON is written one item per line (Python's fast encoder)
#: instead of fully indented (its slow one); both parse the same.
PRETTY_JSON_MAX_ITEMS = 100


def to_json(document: Any) -> str:
    """Indented JSON; a large document as its top-level fields with each item of its
    lists on a line of its own."""
    lists = (
        {k: v for k, v in document.items() if isinstance(v, list)}
        if isinstance(document, dict)
        else {}
    )
    if sum(len(v) for v in lists.values()) <= PRETTY_JSON_MAX_ITEMS:
        return _dumps(document, 2) + "\n"
    parts = []
    for key, value in document.items():
        if key in lists:
            items = ",\n".join("    " + _dumps(item, None) for item in value)
            parts.append(f"  {_dumps(key, None)}: " + (f"[\n{items}\n  ]" if value else "[]"))
        else:
            parts.append(f"  {_dumps(key, None)}: {_dumps(value, None)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (list, tuple)):
        return ";".join(_plain(v) for v in value)
    return str(value)


def _shown(section: Section, column: str, value: Any) -> str:
    fmt = section.formatters.get(column)
    if fmt is not None and value is not None:
        return fmt(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.2f}"
    return _plain(value)


#: Text cells starting with these are run as formulas by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    text = _plain(value)
    if SETTINGS["escape_formulas"] and isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text  # shown as text by Excel, LibreOffice and Google Sheets
    return text


def to_csv(section: Section) -> str:
    import csv

    buffer = io.StringIO()
    names = section.column_names()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in section.rows:
        writer.writerow([_csv_cell(row.get(c)) for c in names])
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(output: Output) -> str:
    parts = []
    for section in output.sections:
        names = section.column_names()
        if section.title:
            parts.append(f"### {section.title}\n")
        head = [section.headers.get(c, c) for c in names]
        lines = [
            "| " + " | ".join(_md_cell(h) for h in head) + " |",
            "|" + "|".join("---" for _ in names) + "|",
        ]
        for row in section.rows:
            lines.append(
                "| " + " | ".join(_md_cell(_shown(section, c, row.get(c))) for c in names) + " |"
            )
        parts.append("\n".join(lines) + "\n")
    if output.footer:
        parts.append("\n".join(f"> {line}" for line in output.footer) + "\n")
    return "\n".join(parts)


#: Fitting counts a wrapping column as this wide (or its widest cell, if narrower).
WRAP_MIN = 18
#: A wrapping column is made wide enough for its pieces that must not break (a number
#: and its unit, "rated 1 of 5", "满意度评 1 分（满分 5）") up to this wide.
WRAP_KEEP = 24
#: Piped table output (not a terminal, no $COLUMNS) is this wide.
PIPE_WIDTH = 160


def table_width(widths: list[int]) -> int:
    """Width of a ``box.SIMPLE_HEAVY`` table: an edge each side, cells padded by one
    space each side, one separator between columns."""
    return sum(widths) + 3 * len(widths) + 1 if widths else 0


def _number(word: str) -> bool:
    """A short number ("48", "−0.12", "5.0）")."""
    from rich.cells import cell_len

    return cell_len(word) <= 6 and any(ch.isdigit() for ch in word)


#: Marks that belong to the word after them ("+ extended_warranty", "≤ 48").
PREFIXES = {"+", "−", "-", "≤", "≥", "<", ">", "=", "≈", "~", "→"}


def _glued(previous: str, word: str) -> bool:
    """Whether no line may break between ``previous`` and ``word``: a short word ("of",
    "h", "5）") stays with the one before it, a number or a prefix mark ("+", "≤") with
    the one after it, and a number with a short one before it ("≤ 48", "得 5.0）")."""
    from rich.cells import cell_len

    if previous in PREFIXES:
        return True
    if word in PREFIXES:
        return False
    return cell_len(word) <= 3 or _number(previous) or (_number(word) and cell_len(previous) <= 3)


def chunks(text: str) -> list[str]:
    """``text`` in the pieces a wrapping cell may break between: at spaces, but not
    where a number would leave its word ("rated 1 of 5", "满分 5）", "48 h", "1
    escalation")."""
    pieces: list[str] = []
    for word in text.split(" "):
        if pieces and word and _glued(pieces[-1].rsplit(" ", 1)[-1], word):
            pieces[-1] += " " + word
        else:
            pieces.append(word)
    return pieces


#: No line starts with a closing mark, or ends with an opening one.
OPENING = "（【「『《“‘(["
CLOSING = "）】」』》”’，。、；：！？)]"


def _split_wide(text: str, width: int) -> list[str]:
    """``text`` broken, as late as fits ``width``, between two wide (CJK) characters —
    Chinese needs no space to break at — with at least two characters of a run before
    the break (a number keeps its unit: "30 秒后"), never before a closing mark or after
    an opening one. Where no such break fits, the first one past ``width`` (that line
    stays wider, for Rich to fold); where there is none at all, the text stays whole."""
    from rich.cells import cell_len

    parts: list[str] = []
    start = 0
    while cell_len(text[start:]) > width:
        cut = clause = None
        run = used = 0
        for i in range(start, len(text) - 1):
            char, after = text[i], text[i + 1]
            wide = cell_len(char) == 2
            used += cell_len(char)
            if not wide or char in OPENING:
                run = 0
            elif char not in CLOSING:
                run += 1  # a closing mark neither counts nor ends a run
            # between two characters of a run, or after a mark (、，；) wherever it is
            if after not in CLOSING and (char in CLOSING or (run >= 2 and cell_len(after) == 2)):
                if used <= width or cut is None:
                    cut = i + 1
                if used <= width and char in CLOSING and used >= width * 0.6:
                    clause = i + 1  # after "，" "；": a line that ends a clause, if not short
                if used > width:
                    break
            elif used > width and cut is not None:
                break
        cut = clause or cut
        if cut is None:
            break
        parts.append(text[start:cut])
        start = cut
    return [*parts, text[start:]]


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells: broken at spaces between its
    ``chunks`` (a number stays with its word) and, for Chinese, between characters
    (``_split_wide``). What cannot be broken so stays whole, on a line of its own."""
    from rich.cells import cell_len

    lines: list[str] = []
    for line in text.splitlines() or [""]:
        current = ""
        for piece in chunks(line):
            candidate = f"{current} {piece}" if current else piece
            if cell_len(candidate) <= width:
                current = candidate
                continue
            if cell_len(piece) <= width:  # at the space
                lines.append(current)
                current = piece
                continue
            parts = _split_wide(candidate, width)
            if cell_len(parts[0]) > width and current:  # not breakable within: a new line
                lines.append(current)
                parts = _split_wide(piece, width)
            lines += parts[:-1]
            current = parts[-1]
        lines.append(current)
    return lines


def wrapped_cell(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` cells (``wrap_text``; a piece
    wider than that on a line of its own, for Rich to fold)."""
    return "\n".join(wrap_text(text, width))


def column_widths(section: Section) -> dict[str, tuple[int, int]]:
    """Each column's (narrowest, natural) width in terminal cells: a wrapping column can
    narrow to ``WRAP_MIN`` (never below its longest piece that must not break, up to
    ``WRAP_KEEP``, nor its longest header word), every other one needs its widest cell.
    Headers wrap at spaces."""
    from rich.cells import cell_len

    widths = {}
    for c in section.column_names():
        header = section.headers.get(c, c)
        cells = [_shown(section, c, r.get(c)) for r in section.rows]
        natural = max(cell_len(line) for t in [header, *cells] for line in (t.splitlines() or [""]))
        words = [cell_len(w) for w in header.split()] or [0]
        if c in section.wrap:
            kept = [cell_len(p) for t in cells for p in chunks(t) if cell_len(p) <= WRAP_KEEP]
            narrowest = max(min(natural, WRAP_MIN), *kept, *words)
        else:
            narrowest = max([cell_len(t) for t in cells if t] + words)
        widths[c] = (narrowest, natural)
    return widths


def fit_columns(
    section: Section,
    width: int,
    wide: bool = False,
    widths: dict[str, tuple[int, int]] | None = None,
) -> tuple[list[str], list[str]]:
    """The columns to show within ``width`` and those left out. Columns are left out in
    order of importance, least first: the ``drop`` columns, first to last, then the
    others from the right, never the first (the row's key); then any left out that fits
    in the room freed is put back, the most important first. No value is ever cut.
    ``widths``: the section's ``column_widths``, when the caller has them."""
    widths = widths or column_widths(section)
    names = list(widths)
    shown = list(names)
    if wide:
        return shown, []

    def fits(columns: list[str]) -> bool:
        return table_width([widths[n][0] for n in columns]) <= width

    def without(columns: list[str], c: str) -> list[str]:
        return [n for n in columns if n != c and section.beside.get(n) != c]

    left_out: list[str] = []
    for c in [*section.drop, *reversed(names[1:])]:
        c = section.beside.get(c, c)
        if fits(shown):
            break
        if c in shown:
            left_out += [n for n in shown if n not in without(shown, c)]
            shown = without(shown, c)
    for c in reversed(left_out):
        if c in section.beside:
            continue  # put back with its column
        candidate = [n for n in names if n in shown or c in (n, section.beside.get(n))]
        if fits(candidate):
            shown = candidate
    return shown, [c for c in names if c not in shown]


def allot_widths(
    section: Section, names: list[str], width: int, widths: dict[str, tuple[int, int]]
) -> dict[str, int] | None:
    """Each shown column's width for a table narrower than its natural width: every
    column its narrowest, then the room left to the wrapping columns (the one furthest
    from its natural width first), then to whole headers that would wrap (the shortest
    first); None when even the narrowest do not fit (Rich squeezes the table).
    ``widths``: the section's ``column_widths``."""
    allotted = {c: widths[c][0] for c in names}
    room = width - table_width(list(allotted.values()))
    if room < 0:
        return None
    wrapping = [c for c in names if c in section.wrap]
    while room > 0 and (short := [c for c in wrapping if allotted[c] < widths[c][1]]):
        c = max(short, key=lambda n: widths[n][1] - allotted[n])
        allotted[c] += 1
        room -= 1
    # a header on one line, the shortest to complete first
    for c in sorted(names, key=lambda n: widths[n][1] - allotted[n]):
        need = widths[c][1] - allotted[c]
        if 0 < need <= room:
            allotted[c] += need
            room -= need
    return allotted


def _terminal_width() -> int | None:
    """$COLUMNS when set, else the terminal's width (None: Rich asks the terminal); piped
    output without $COLUMNS: ``PIPE_WIDTH``."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else PIPE_WIDTH


def _printed_as_is(text: str) -> bool:
    """Whether Rich prints ``text`` as it is, bar wrapping: no line break, tab or control
    character."""
    return text.isprintable()


def _fitted(text: str, width: int) -> str:
    """A title or footer line broken as ``wrap_text`` breaks it, for Rich to print (it
    breaks only a line still wider than ``width``)."""
    return wrapped_cell(text, width) if _printed_as_is(text) else text


def _wrapped(text: str, width: int) -> list[str] | None:
    """The lines Rich prints for a title or footer line (``_fitted``), or None when Rich
    would change them: a control character, or a piece wider than ``width``."""
    from rich.cells import cell_len

    if not _printed_as_is(text):
        return None
    lines = wrap_text(text, width)
    return lines if all(cell_len(line) <= width for line in lines) else None


def _row_line(cells: list[str], widths: list[int]) -> str:
    """One row of a ``box.SIMPLE_HEAVY`` table, each cell padded to its column."""
    from rich.cells import cell_len

    return (
        "  "
        + "   ".join(t + " " * (w - cell_len(t)) for t, w in zip(cells, widths, strict=True))
        + "  "
    )


def plain_table(output: Output, width: int) -> str | None:
    """The text Rich prints for ``output`` at ``width`` in wide mode (the width grows to
    the widest table) without colour, written without importing Rich's console (start-up
    time of a piped command: ~25 ms), or None when Rich would change text: a line break,
    tab or control character in a cell, a title or footer piece wider than the width.
    tests/test_render.py and tests/test_terminal.py hold it to Rich's output byte for
    byte."""
    from rich.cells import cell_len

    tables = []
    for section in output.sections:
        names = section.column_names()
        header = [section.headers.get(c, c) for c in names]
        rows = [[_shown(section, c, r.get(c)) for c in names] for r in section.rows]
        widths = [max(cell_len(t) for t in column) for column in zip(header, *rows, strict=True)]
        tables.append((section.title, header, rows, widths))
        width = max(width, table_width(widths))
    lines: list[str] = []
    for title, header, rows, widths in tables:
        if not widths or not all(
            _printed_as_is(t) for t in [*header, *(t for row in rows for t in row)]
        ):
            return None
        title_lines = _wrapped(title, width) if title else []
        if title_lines is None:
            return None
        blank = " " * table_width(widths)
        rule = " " + "━".join("━" * (w + 2) for w in widths) + " "
        body = [_row_line(cells, widths) for cells in [header, *rows]]
        lines += [*title_lines, blank, body[0], rule, *body[1:], blank]
    for line in output.footer:
        footer_lines = _wrapped(line, width)
        if footer_lines is None:
            return None
        lines += footer_lines
    return "".join(line + "\n" for line in lines)


def _plain_stdout() -> bool:
    """Whether Rich would write stdout as plain text: not a terminal (nor told to act as
    one by $FORCE_COLOR or $TTY_COMPATIBLE), no $COLUMNS, a UTF encoding (else Rich
    draws the table's rules in ASCII)."""
    env = os.environ
    return (
        not sys.stdout.isatty()
        and not env.get("COLUMNS")
        and env.get("TTY_COMPATIBLE") != "1"
        and not env.get("FORCE_COLOR")
        and (sys.stdout.encoding or "").lower().startswith("utf")
    )


def to_table(
    output: Output, width: int | None = None, color: bool | None = None, wide: bool | None = None
) -> str | None:
    """Rich tables; returns text when rendering for a file, else prints to stdout."""
    if width is not None and wide and not color:
        text = plain_table(output, width)
        if text is not None:
            return text
    elif width is None and color is None and _plain_stdout():
        text = plain_table(output, PIPE_WIDTH)
        if text is not None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return None
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from svc_cli.i18n import label

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """A reader that stopped early (``| head``) ends the command quietly, exit 0
            (``cli.handle_errors``), as for the other formats; Rich's own exits 1."""
            raise BrokenPipeError

    record = width is not None
    if width is None:
        width = _terminal_width()
        if width == PIPE_WIDTH and not os.environ.get("COLUMNS"):
            wide = True  # piped into a file or a pager: every column, nothing cut
    wide = SETTINGS["wide"] if wide is None else wide
    # cells are data, shown as they are: no Rich markup ("[b]") or emoji codes (":+1:")
    # read into them (and Rich's emoji table, a large module, is never imported)
    console = _Console(
        record=record,
        width=width,
        file=io.StringIO() if record else None,
        force_terminal=color,
        highlight=False,
        markup=False,
        emoji=False,
    )
    # each section's cells measured once (every cell formatted, wrapping ones split)
    measured = [(section, column_widths(section)) for section in output.sections]
    if wide:  # as wide as the widest table: the terminal may wrap lines, Rich will not
        console.width = max(
            [console.width] + [table_width([n for _, n in w.values()]) for _, w in measured]
        )
    for i, (section, widths) in enumerate(measured):
        names, hidden = fit_columns(section, console.width, bool(wide), widths)
        if section.title:  # a line of its own: wrapped at the terminal, not the table
            console.print(_fitted(section.title, console.width), markup=False)
        table = Table(box=box.SIMPLE_HEAVY)
        squeeze = table_width([widths[c][1] for c in names]) > console.width
        allotted = allot_widths(section, names, console.width, widths) if squeeze else None
        for c in names:
            wraps = c in section.wrap
            table.add_column(
                Text(section.headers.get(c, c), no_wrap=False, overflow="fold"),
                no_wrap=not wraps,
                overflow="fold" if wraps else "ellipsis",
                min_width=None if wraps else 1,
                width=allotted[c] if allotted else None,
                max_width=widths[c][0] if squeeze and not wraps and not allotted else None,
            )
        for row in section.rows:
            cells = [_shown(section, c, row.get(c)) for c in names]
            if allotted:  # broken where a number stays with its word, not where Rich would
                cells = [
                    wrapped_cell(t, allotted[c]) if c in section.wrap else t
                    for c, t in zip(names, cells, strict=True)
                ]
            table.add_row(*cells)
        console.print(table)
        if hidden:
            left_out = label("list_separator", output.lang).join(
                section.headers.get(c, c) for c in hidden
            )
            console.print(
                _fitted(fill("columns_left_out", output.lang, columns=left_out), console.width),
                style="dim",
                markup=False,
            )
            if i < len(measured) - 1:  # apart from the next section's title, as tables are
                console.print()
    for line in output.footer:
        console.print(_fitted(line, console.width), style="dim", markup=False)
    return console.export_text() if record else None


def render_text(output: Output, fmt: Format) -> str:
    if fmt is Format.json:
        return to_json(output.document)
    if fmt is Format.jsonl:
        items = output.jsonl_items if output.jsonl_items is not None else output.sections[0].rows
        return "".join(_dumps(item, None) + "\n" for item in items)
    if fmt is Format.csv:
        return to_csv(output.csv or output.sections[0])
    if fmt is Format.markdown:
        return to_markdown(output)
    return to_table(output, width=PIPE_WIDTH, color=False, wide=True) or ""


def _direct(path: Path) -> bool:
    """Whether ``path`` is written in place: a device, FIFO or socket (``-o /dev/null``,
    a named pipe), or an alias of an open file (``-o /dev/stdout``, /dev/fd/N)."""
    if str(path).startswith(("/dev/std", "/dev/fd/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(path.stat().st_mode)  # follows symlinks
    except OSError:  # missing (or a dangling link): a new regular file
        return False


def _target_folder(path: Path) -> Path:
    """The folder a regular file ``path`` is written in (a symlink's: its target's)."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    return target.parent if str(target.parent) else Path(".")


def check_output(path: Path) -> None:
    """Refuse (UsageError, exit 2) an ``-o`` path that cannot be written: a folder, or a
    file in a folder that does not exist. Commands are checked before they run, so a
    refused ``-o`` writes nothing (not even a database a load would have created)."""
    shown = str(path)
    if path.is_dir():
        raise UsageError(
            Message("error.output_is_folder", path=shown),
            Message("hint.output_is_folder", example=Verbatim(str(path / "out.csv"))),
        )
    if _direct(path):
        return
    folder = _target_folder(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            Message("error.output_not_a_folder", path=shown, folder=str(folder)),
            Message("hint.output_other_path"),
        )
    if not folder.is_dir():
        raise UsageError(
            Message("error.output_no_folder", path=shown, folder=str(folder)),
            Message("hint.output_folder"),
        )


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path``: a regular file via a temporary file in its folder and a
    rename (through a symlink: in the target's folder, the link kept), with the existing
    file's permissions or, for a new file, those the umask gives; anything else (a
    device, a FIFO, ``/dev/stdout``) is written directly."""
    check_output(path)
    if _direct(path):
        try:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise SvcError(_cannot_write(path, exc)) from exc
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    directory = _target_folder(path)
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = None  # a new file: 0666 less the umask, as any program creates it
    try:
        tmp, fd = _create_temp(directory, target.name)
    except OSError as exc:
        raise SvcError(_cannot_write(path, exc)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        os.unlink(tmp)
        raise SvcError(_cannot_write(path, exc, "error.cannot_write_nothing_written")) from exc
    except BaseException:
        os.unlink(tmp)
        raise


def _cannot_write(path: Path, exc: OSError, key: str = "error.cannot_write") -> Message:
    """``cannot write PATH: REASON`` (the system's reason, as it gives it)."""
    return Message(key, path=str(path), reason=Verbatim(str(exc.strerror)))


def _create_temp(directory: Path, name: str) -> tuple[str, int]:
    """A new file ``.NAME.XXXX.tmp`` in ``directory`` created with mode 0666 (the umask
    applies), opened for writing."""
    import secrets

    for _ in range(100):
        tmp = str(directory / f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name")


def render(output: Output, fmt: Format, path: Path | None = None) -> None:
    """Print ``output`` to stdout, or write it atomically to ``path``."""
    if path is not None:
        write_atomic(path, render_text(output, fmt))
        return
    if fmt is Format.table:
        to_table(output)
        return
    sys.stdout.write(render_text(output, fmt))
    sys.stdout.flush()
