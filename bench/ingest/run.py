"""Ingest benchmark (not a test): import N MediaCrawler comments (JSONL) into SQLite, against the floor
of plain `sqlite3` executemany of the same rows into one table, measured in the same run.

    .venv/bin/python bench/ingest/run.py [--comments 1000000] [--triage]

Each contender runs in its own process, so peak memory (max RSS) is its own.
Targets (issue 2): >= 50,000 comments/s on one core, within 3x of the floor, peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out"
FIELDS = ("comment_id", "create_time", "ip_location", "note_id", "content", "user_id", "nickname", "avatar",
          "sub_comment_count", "pictures", "parent_comment_id", "last_modify_ts", "like_count")


def floor(path: Path, db: Path) -> int:
    """Parse each line with orjson and executemany it into one plain table: the least any importer does."""
    import sqlite3

    import orjson

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE comment ({', '.join(FIELDS)})")

    def rows():
        with path.open("rb") as handle:
            for line in handle:
                record = orjson.loads(line)
                yield tuple(record.get(k) for k in FIELDS)

    conn.executemany(f"INSERT INTO comment VALUES ({', '.join('?' * len(FIELDS))})", rows())
    conn.commit()
    count = conn.execute("SELECT count(*) FROM comment").fetchone()[0]
    conn.close()
    return count


def fandesk(path: Path, workspace: Path, with_triage: bool) -> int:
    """The real path: settings, migrations, the import pipeline (check, then write in short
    transactions, with triage when asked), as `fandesk import` runs it."""
    from sqlalchemy import func, select

    from fandesk.content.models import Comment
    from fandesk.db import transaction
    from fandesk.pipeline import import_and_triage
    from fandesk.settings import load_settings
    from fandesk.workspace.service import add_account, open_workspace

    ws = open_workspace(load_settings(workspace, database_url=f"sqlite:///{workspace / 'fandesk.db'}"))
    with transaction(ws.sessions) as session:
        add_account(session, handle="bench", platform_user_id="bench-account")
    import_and_triage(ws, [path], account="bench", triage=with_triage)
    with transaction(ws.sessions) as session:
        return session.scalar(select(func.count()).select_from(Comment))


def child(kind: str, path: str, target: str, with_triage: bool) -> None:
    start = time.perf_counter()
    count = floor(Path(path), Path(target)) if kind == "floor" else fandesk(Path(path), Path(target), with_triage)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"count": count, "seconds": seconds, "peak_mb": peak_mb}))


def run(kind: str, path: Path, with_triage: bool = False) -> dict:
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        target = Path(scratch) / ("floor.db" if kind == "floor" else "workspace")
        env = dict(os.environ, FANDESK_DATABASE_URL=f"sqlite:///{target / 'fandesk.db'}")
        command = [sys.executable, __file__, "--child", kind, str(path), str(target)]
        if with_triage:
            command.append("--triage")
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--triage", action="store_true", help="also triage everything (bench/triage)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, with_triage=args.triage)
        return
    from fandesk.demo.generate import write_mediacrawler_comments_jsonl

    OUT.mkdir(exist_ok=True)
    path = OUT / f"comments_{args.comments}_{args.seed}.jsonl"
    if not path.exists():
        start = time.perf_counter()
        write_mediacrawler_comments_jsonl(path, args.comments, seed=args.seed)
        print(f"generated {args.comments:,} comments in {time.perf_counter() - start:.1f} s: {path}")
    base = run("floor", path)
    ours = run("fandesk", path, with_triage=args.triage)
    label = "fandesk import + triage" if args.triage else "fandesk import"
    print(f"\n{args.comments:,} MediaCrawler comments (JSONL) into SQLite, one core\n")
    print(f"| {'contender':<28} | {'seconds':>8} | {'comments/s':>11} | {'x floor':>7} | {'peak MB':>8} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 13}|{'-' * 9}|{'-' * 10}|")
    for name, result in (("floor: sqlite3 executemany", base), (label, ours)):
        rate = result["count"] / result["seconds"]
        ratio = result["seconds"] / base["seconds"]
        peak = result["peak_mb"]
        print(f"| {name:<28} | {result['seconds']:>8.1f} | {rate:>11,.0f} | {ratio:>7.2f} | {peak:>8.0f} |")
    target = 20_000 if args.triage else 50_000
    print(f"\ntargets: >= {target:,} comments/s" + ("" if args.triage else ", <= 3x floor") + ", peak < 500 MB")


if __name__ == "__main__":
    main()
