"""The platform's ``iconv`` as a faster GBK decoder, where it decodes exactly as Python.

Decoding a GB18030 export to the UTF-8 DuckDB reads is a large part of loading it: a
5 M-order Taobao export (850 MB) takes Python's codecs ~3.6 s of CPU, the C library's
``iconv`` ~2 s. ``svc_cli.read.decode_blocks`` tries ``iconv`` first on each large block
of a GB18030 or GBK text and decodes with Python a block it refuses (GB18030's
four-byte codes, bytes that are not text): Python's codecs stay the rule for what is
accepted and where an error is.

C libraries differ in their GBK tables (a few codes map to other characters, glibc
accepts a lone 0x80 as €), so the converter is used only after it has decoded each one-
and two-byte code exactly as Python's ``gb18030`` does, and refused each code Python
refuses (checked once per process that decodes a large block, ~30 ms); output with €
(where glibc's lone 0x80 differs) is left to Python. Without ``iconv`` (Windows), Python decodes everything.
"""

from __future__ import annotations

import ctypes
import functools
import threading

#: The encodings this decoder stands in for: their texts that are GBK decode alike.
ENCODINGS = frozenset({"gb18030", "gbk"})
#: Smaller blocks are decoded with Python: the check of the converter would cost more.
MIN_BYTES = 1 << 20

_EURO = "€".encode()
_FAILED = ctypes.c_size_t(-1).value


class Iconv:
    """One ``iconv`` conversion of ``charset`` to UTF-8 (one call at a time: the
    conversion state and the output buffer are shared)."""

    def __init__(self, lib: ctypes.CDLL, charset: bytes) -> None:
        self._iconv = lib.iconv
        self._iconv.restype = ctypes.c_size_t
        self._iconv.argtypes = [ctypes.c_void_p, *(ctypes.c_void_p,) * 4]
        lib.iconv_open.restype = ctypes.c_void_p
        lib.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        handle = lib.iconv_open(b"UTF-8", charset)
        if handle is None or handle == _FAILED:
            raise OSError(f"iconv cannot convert {charset!r}")
        self._handle = handle
        self._out = ctypes.create_string_buffer(0)  # reused: its pages are mapped once
        self._lock = threading.Lock()

    def __call__(self, data: bytes) -> bytes | None:
        """``data`` (whole characters) as UTF-8; None where it cannot convert all of it,
        or where its result has € (see the module's docstring)."""
        with self._lock:
            return self._convert(data)

    def _convert(self, data: bytes) -> bytes | None:
        self._iconv(self._handle, None, None, None, None)  # the initial state
        room = 3 * len(data) + 4  # a GBK byte is at most 3 bytes of UTF-8
        if len(self._out) < room:
            self._out = ctypes.create_string_buffer(room)
        out = self._out
        src, src_left = ctypes.c_char_p(data), ctypes.c_size_t(len(data))
        dst, dst_left = ctypes.c_void_p(ctypes.addressof(out)), ctypes.c_size_t(room)
        done = self._iconv(
            self._handle,
            ctypes.byref(src),
            ctypes.byref(src_left),
            ctypes.byref(dst),
            ctypes.byref(dst_left),
        )
        if done != 0 or src_left.value:  # an error, or a character it replaced
            return None
        encoded = ctypes.string_at(out, room - dst_left.value)
        # a text without any character of U+2000–U+2FFF (“ ” … — are some) is passed by
        # one fast byte search
        return None if _EURO[:1] in encoded and _EURO in encoded else encoded


def decodes(code: bytes, encoding: str) -> bool:
    """Whether ``code`` is whole text of ``encoding`` (Python's codec)."""
    try:
        code.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _agrees(convert: Iconv) -> bool:
    """Whether ``convert`` decodes each one- and two-byte code (lead 0x81–0xFE) as Python's
    ``gb18030`` does: every GBK code (checked at once, fast), every other code it accepts
    (the user-defined areas: decoded alike or left to Python), and none it refuses."""
    singles = [bytes([b]) for b in range(0x80, 0x100)]
    pairs = [bytes([lead, trail]) for lead in range(0x81, 0xFF) for trail in range(0x40, 0x100)]
    gbk = b"".join(code for code in pairs if decodes(code, "gbk"))
    if convert(gbk) != gbk.decode("gb18030").encode():
        return False
    for code in singles + pairs:
        if decodes(code, "gbk"):
            continue
        converted = convert(code)
        if converted is not None and (
            not decodes(code, "gb18030") or converted != code.decode("gb18030").encode()
        ):
            return False
    return True


@functools.cache
def gbk_iconv() -> Iconv | None:
    """This platform's ``iconv`` GBK decoder, if it has one that agrees with Python
    (None: decode with Python)."""
    try:
        convert = Iconv(ctypes.CDLL(None), b"GBK")
    except (OSError, AttributeError, TypeError):  # no iconv (Windows), no GBK table
        return None
    return convert if _agrees(convert) else None


def decoded(data: bytes, encoding: str) -> bytes | None:
    """``data`` (whole characters of ``encoding``) as UTF-8 by ``iconv``, or None: what
    Python decodes (a small block, another encoding, no agreeing ``iconv``, a code it
    leaves to Python). The result never holds a byte-order mark: no GBK code is one."""
    if encoding not in ENCODINGS or len(data) < MIN_BYTES:
        return None
    convert = gbk_iconv()
    return convert(data) if convert is not None else None
