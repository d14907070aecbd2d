"""A worker of ``svc_cli.read.decode_stream``: decode one part of a large text export.

``python -m svc_cli.decode_part PATH START END ENCODING`` decodes the source bytes
``START`` to ``END`` (both line starts) and writes them UTF-8 encoded to standard output
(an anonymous file the parent appends to the others). On standard error, as JSON, what it
saw of the text (``TextSeen``), or where the text cannot be decoded (a source offset).
"""

from __future__ import annotations

import json
import os
import sys

from svc_cli.read import TextSeen, Undecodable, decode_blocks


def main(argv: list[str]) -> None:
    path, start, end, encoding = argv[0], int(argv[1]), int(argv[2]), argv[3]
    ends = TextSeen()
    with open(path, "rb") as fh, os.fdopen(sys.stdout.fileno(), "wb", closefd=False) as out:
        fh.seek(start)
        try:
            decode_blocks(fh, end, encoding, out, ends, start)
        except Undecodable as exc:
            report = {"offset": exc.offset, "bad": exc.bad[:4].hex(), "too_long": exc.too_long}
        else:
            report = {"crlf": ends.crlf, "lf": ends.lf, "too_long": ends.too_long, "bom": ends.bom}
    sys.stderr.write(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1:])
