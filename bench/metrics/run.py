"""Metrics benchmark (not a test): the full monthly dashboard of a workspace with 1,000,000 comments and
100,000 people (bench/metrics/generate.py, a year of two accounts), and in the same run the same core
numbers from (a) pandas after a full load of the tables and (b) DuckDB reading the same SQLite file
through its sqlite extension; then the dashboard on PostgreSQL.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/metrics/run.py [--comments 1000000] [--month 2026-11] [--repeat 5] \\
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--no-postgres]

Target (issue 14): a month's dashboard under 1 s on SQLite, faster than pandas; DuckDB's time beside it.
Prints a table of times (wall and, for the in-process ones, CPU) and a table of the numbers each way
computed them, which must agree. The generated database is kept in bench/out/ for the next run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import END, build, write_postgresql, write_sqlite  # noqa: E402

OUT = HERE.parent / "out"
TARGET_SECONDS = 1.0


def month_bounds(label: str) -> dict[str, str]:
    """The month and the one before it in Asia/Shanghai, as the UTC strings SQLite keeps."""
    from fandesk.metrics.periods import parse_period

    period = parse_period(label)
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    out = {}
    for name, p in (("cur", period), ("prev", period.previous())):
        start, end = p.bounds("Asia/Shanghai")
        out[f"{name}_start"], out[f"{name}_end"] = start.strftime(fmt), end.strftime(fmt)
    return out


def ours(url: str, month: str, now: datetime, repeat: int) -> tuple[dict, list[float], list[float]]:
    """fandesk's dashboard: wall and CPU seconds of each run; the first one builds the statements."""
    from fandesk.db import make_engine, session_factory, transaction
    from fandesk.metrics.service import dashboard, scope_for

    engine = make_engine(url)
    sessions = session_factory(engine)
    walls, cpus, found = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        with transaction(sessions) as session:
            found = dashboard(session, scope_for(session, account_ids=[1, 2], period=month, now=now))
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    engine.dispose()
    m = found.metrics
    numbers = {
        "comments to answer": m["engagement.comments"].value,
        "replies": m["engagement.replies"].value,
        "reply rate": round(m["engagement.reply_rate"].value, 6),
        "mean response (s)": round(m["engagement.response_mean"].value, 3),
        "median response (s)": m["engagement.response_median"].value,
        "p90 response (s)": m["engagement.response_p90"].value,
        "within 4 h": m["engagement.within_target"].part,
        "negative": round(m["engagement.sentiment_negative"].part),
        "negative: product": m["feedback.product_failure"].value,
        "followers' comments": m["depth.mentions"].whole,
        "@mentions": m["depth.mentions"].part,
        "follower-to-follower": m["depth.follower_to_follower"].part,
        "repeat commenters": m["depth.repeat_commenters"].part,
        "active people": m["growth.active_people"].value,
        "retained": m["growth.retention"].part,
        "referrals": m["community.referrals"].value,
        "NPS": round(m["community.nps"].value, 6),
    }
    return numbers, walls, cpus


def with_pandas(path: Path, b: dict) -> tuple[dict, float, float]:
    """Every table the numbers need, read whole into pandas, then the numbers."""
    import sqlite3

    import pandas as pd

    started = time.perf_counter()
    connection = sqlite3.connect(path)
    tables = {name: pd.read_sql_query(f"SELECT * FROM {name}", connection)
              for name in ("inbox_item", "comment", "interaction", "referral", "survey_answer")}
    connection.close()
    loaded = time.perf_counter() - started
    items, comments, interactions = tables["inbox_item"], tables["comment"], tables["interaction"]

    def cur(frame, column):
        return frame[(frame[column] >= b["cur_start"]) & (frame[column] < b["cur_end"])]

    month = cur(items, "received_at")
    counted = month[(month.spam == 0) & (month.hidden == 0)]
    public = counted[counted.channel.isin(["comment", "mention"])]
    answered = public[public.replied_at.notna()]
    seconds = answered.response_seconds.sort_values().to_numpy()
    n = len(seconds)
    spam_ids = set(items[(items.channel == "comment") & (items.spam == 1)].source_id)
    cm = cur(comments, "created_at")
    followers = cm[(cm.is_ours == 0) & ~cm.id.isin(spam_ids)]
    parents = comments.set_index("id")[["is_ours", "person_id"]]
    with_parent = followers.join(parents, on="parent_id", rsuffix="_parent")
    f2f = with_parent[(with_parent.is_ours_parent == 0) & with_parent.person_id_parent.notna()
                      & (with_parent.person_id_parent != with_parent.person_id)]
    per_person = followers[followers.person_id.notna()].groupby("person_id").size()
    active = set(cur(interactions, "occurred_at").person_id)
    before = interactions[(interactions.occurred_at >= b["prev_start"]) & (interactions.occurred_at < b["prev_end"])]
    survey = cur(tables["survey_answer"], "answered_at")
    nps = survey[survey.nps.notna()]
    numbers = {
        "comments to answer": len(public),
        "replies": len(answered),
        "reply rate": round(len(answered) / len(public), 6),
        "mean response (s)": round(float(seconds.mean()), 3),
        "median response (s)": float(seconds[(n + 1) // 2 - 1]),
        "p90 response (s)": float(seconds[(9 * n + 9) // 10 - 1]),
        "within 4 h": int((answered.response_seconds <= 14400).sum()),
        "negative": int((counted.sentiment == "negative").sum()),
        "negative: product": int(((counted.sentiment == "negative") & (counted.cause == "product_failure")).sum()),
        "followers' comments": len(followers),
        "@mentions": int(followers.text.str.contains("@", regex=False).sum()),
        "follower-to-follower": len(f2f),
        "repeat commenters": int((per_person >= 5).sum()),
        "active people": len(active),
        "retained": len(active & set(before.person_id)),
        "referrals": len(cur(tables["referral"], "referred_at")),
        "NPS": round(((nps.nps >= 9).sum() - (nps.nps <= 6).sum()) * 100 / len(nps), 6),
    }
    return numbers, loaded, time.perf_counter() - started


DUCKDB_SQL = """
WITH month AS (SELECT * FROM s.inbox_item WHERE received_at >= $cs AND received_at < $ce),
counted AS (SELECT * FROM month WHERE spam = 0 AND hidden = 0),
public AS (SELECT * FROM counted WHERE channel IN ('comment', 'mention')),
answered AS (SELECT response_seconds AS s, row_number() OVER (ORDER BY response_seconds) AS rn,
                    count(*) OVER () AS n FROM public WHERE replied_at IS NOT NULL),
spam AS (SELECT source_id FROM s.inbox_item WHERE channel = 'comment' AND spam = 1),
followers AS (SELECT c.* FROM s.comment c WHERE c.created_at >= $cs AND c.created_at < $ce AND c.is_ours = 0
              AND c.id NOT IN (SELECT source_id FROM spam)),
active AS (SELECT DISTINCT person_id FROM s.interaction WHERE occurred_at >= $cs AND occurred_at < $ce),
before AS (SELECT DISTINCT person_id FROM s.interaction WHERE occurred_at >= $ps AND occurred_at < $pe),
survey AS (SELECT nps FROM s.survey_answer WHERE answered_at >= $cs AND answered_at < $ce AND nps IS NOT NULL)
SELECT
  (SELECT count(*) FROM public),
  (SELECT count(*) FROM answered),
  (SELECT round(avg(s), 3) FROM answered),
  (SELECT s FROM answered WHERE rn = (n + 1) // 2),
  (SELECT s FROM answered WHERE rn = (9 * n + 9) // 10),
  (SELECT count(*) FROM answered WHERE s <= 14400),
  (SELECT count(*) FROM counted WHERE sentiment = 'negative'),
  (SELECT count(*) FROM counted WHERE sentiment = 'negative' AND cause = 'product_failure'),
  (SELECT count(*) FROM followers),
  (SELECT count(*) FROM followers WHERE text LIKE '%@%'),
  (SELECT count(*) FROM followers f JOIN s.comment p ON p.id = f.parent_id
   WHERE p.is_ours = 0 AND p.person_id IS NOT NULL AND p.person_id <> f.person_id),
  (SELECT count(*) FROM (SELECT person_id FROM followers WHERE person_id IS NOT NULL GROUP BY person_id
                         HAVING count(*) >= 5)),
  (SELECT count(*) FROM active),
  (SELECT count(*) FROM active JOIN before USING (person_id)),
  (SELECT count(*) FROM s.referral WHERE referred_at >= $cs AND referred_at < $ce),
  (SELECT round((count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) * 100.0 / count(*), 6)
   FROM survey)
"""


def with_duckdb(path: Path, b: dict) -> tuple[dict, float]:
    """The same numbers in DuckDB, reading the SQLite file (its sqlite extension from the duckdb-ext-sqlite package)."""
    import duckdb
    import duckdb_ext

    extension = next(Path(list(duckdb_ext.__path__)[0]).glob(f"extensions/v{duckdb.__version__}/*/sqlite_scanner*"))
    started = time.perf_counter()
    connection = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    connection.execute(f"LOAD '{extension}'")
    connection.execute("SET sqlite_all_varchar = true")  # times as SQLite keeps them: text, compared as text
    connection.execute(f"ATTACH '{path}' AS s (TYPE sqlite, READ_ONLY)")
    row = connection.execute(DUCKDB_SQL, {"cs": b["cur_start"], "ce": b["cur_end"], "ps": b["prev_start"],
                                          "pe": b["prev_end"]}).fetchone()
    elapsed = time.perf_counter() - started
    connection.close()
    row = [None if v is None else float(v) if "." in str(v) else int(v) for v in row]
    names = ["comments to answer", "replies", "mean response (s)", "median response (s)", "p90 response (s)",
             "within 4 h", "negative", "negative: product", "followers' comments", "@mentions",
             "follower-to-follower", "repeat commenters", "active people", "retained", "referrals", "NPS"]
    numbers = dict(zip(names, row, strict=True))
    numbers["reply rate"] = round(numbers["replies"] / numbers["comments to answer"], 6)
    numbers["median response (s)"] = float(numbers["median response (s)"])
    numbers["p90 response (s)"] = float(numbers["p90 response (s)"])
    return numbers, elapsed


def prepare_sqlite(comments: int) -> Path:
    from fandesk.db import make_engine, upgrade

    OUT.mkdir(exist_ok=True)
    path = OUT / f"metrics-{comments}.db"
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)  # a database from an older schema gets the indexes it needs
        engine.dispose()
        return path
    print(f"generating {comments:,} comments into {path} (kept for the next run)...", flush=True)
    tables = build(comments=comments)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{partial}")
    upgrade(engine)
    engine.dispose()
    write_sqlite(str(partial), tables)
    partial.rename(path)
    return path


def prepare_postgres(url: str, comments: int) -> str | None:
    """A database fandesk_bench_metrics_<N> on the server, generated once."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from fandesk.db import make_engine, upgrade

    name = f"fandesk_bench_metrics_{comments}"
    admin = make_engine(make_url(url).set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: the SQLite numbers still stand
        print(f"PostgreSQL skipped: {exc.__class__.__name__}: {exc}")
        return None
    finally:
        admin.dispose()
    target = make_url(url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(target)
    upgrade(engine)
    with engine.connect() as connection:
        filled = connection.execute(text("SELECT count(*) FROM comment")).scalar_one()
    engine.dispose()
    if not filled:
        print(f"loading {comments:,} comments into PostgreSQL {name}...", flush=True)
        write_postgresql(target, build(comments=comments))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    now = END + timedelta(days=1)  # the numbers as seen a day after the generated year ends
    path = prepare_sqlite(args.comments)
    b = month_bounds(args.month)
    import sqlite3

    with sqlite3.connect(path) as connection:
        n_comments = connection.execute("SELECT count(*) FROM comment").fetchone()[0]
        n_people = connection.execute("SELECT count(*) FROM person").fetchone()[0]
        n_items = connection.execute("SELECT count(*) FROM inbox_item").fetchone()[0]
    print(f"workspace: {n_comments:,} comments, {n_people:,} people, {n_items:,} inbox items; month {args.month}")

    mine, walls, cpus = ours(f"sqlite:///{path}", args.month, now, args.repeat)
    rows = [("fandesk, SQLite (first run)", walls[0], cpus[0]),
            (f"fandesk, SQLite (median of {len(walls) - 1})", statistics.median(walls[1:] or walls),
             statistics.median(cpus[1:] or cpus))]
    results = {"fandesk": mine}
    try:
        results["pandas"], loaded, total = with_pandas(path, b)
        rows.append(("pandas: full table load", loaded, None))
        rows.append(("pandas: load + numbers", total, None))
    except ImportError:
        print("pandas not installed: pip install -e '.[bench]'")
    try:
        results["duckdb"], elapsed = with_duckdb(path, b)
        rows.append(("DuckDB reading the SQLite file", elapsed, None))
    except ImportError:
        print("duckdb not installed: pip install -e '.[bench]'")
    if not args.no_postgres:
        target = prepare_postgres(args.postgres, args.comments)
        if target:
            pg, pg_walls, pg_cpus = ours(target, args.month, now, args.repeat)
            results["fandesk, PostgreSQL"] = pg
            rows.append(("fandesk, PostgreSQL (first run)", pg_walls[0], pg_cpus[0]))
            rows.append((f"fandesk, PostgreSQL (median of {len(pg_walls) - 1})", statistics.median(pg_walls[1:]),
                         statistics.median(pg_cpus[1:])))

    print(f"\n{'the monthly dashboard':42} {'wall s':>8} {'our CPU s':>10}")
    for name, wall, cpu in rows:
        print(f"{name:42} {wall:8.3f} {'' if cpu is None else f'{cpu:10.3f}'}")
    best = statistics.median(walls[1:] or walls)
    print(f"\ntarget: under {TARGET_SECONDS:.0f} s on SQLite -> {'met' if best < TARGET_SECONDS else 'NOT met'} "
          f"({best:.3f} s)")
    columns = list(results)
    print(f"\n{'number':24}" + "".join(f"{c:>22}" for c in columns) + "  agree")
    for key in mine:
        values = [results[c].get(key) for c in columns]
        same = all(v == values[0] for v in values if v is not None)
        print(f"{key:24}" + "".join(f"{'' if v is None else v:>22}" for v in values) + f"  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
