"""Triage benchmark (not a test): import plus triage of N comments, end to end, against the same floor
as bench/ingest (plain sqlite3 executemany of the same rows), measured in the same run.

    .venv/bin/python bench/triage/run.py [--comments 1000000]

Target (issue 3): >= 20,000 comments/s end to end; peak memory reported.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "--triage", *sys.argv[1:]]
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "ingest" / "run.py"), run_name="__main__")
