"""Write svc_cli/model_defaults.py, the shipped model.toml as a Python literal.

    python docs/update_model_defaults.py

`svc` starts without importing and running tomllib for the default model;
tests/test_config_schema.py fails when the module differs from model.toml.
"""

from __future__ import annotations

import pprint
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
MODEL_TOML = ROOT / "svc_cli" / "model.toml"
MODULE = ROOT / "svc_cli" / "model_defaults.py"

HEADER = '''"""The shipped ``model.toml``, parsed: the default model without importing and running
``tomllib`` at every start. Written by ``python docs/update_model_defaults.py``;
tests/test_config_schema.py fails when it differs from model.toml.
"""

from typing import Any

MODEL: dict[str, Any] = '''

if __name__ == "__main__":
    model = tomllib.loads(MODEL_TOML.read_text(encoding="utf-8"))
    MODULE.write_text(HEADER + pprint.pformat(model, sort_dicts=False) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(MODULE)], check=True)
