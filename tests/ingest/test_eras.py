"""Every era and save option of MediaCrawler, laid out as its writers lay them (fixtures/make_fixtures.py):
threads, times, nicknames and person keys exact; the same crawl in several formats imports once; what
is not records is passed over and said so; values the writers use for "unknown" read as unknown."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.ingest.fixtures import make_fixtures as crawl
from tests.ingest.helpers import add_fixture_accounts, rows, scalar, snapshot

REPO = Path(__file__).resolve().parents[2]
OPTIONS = {
    "legacy": {"csv": "data/xhs/*.csv", "json": "data/xhs/json/*.json", "sqlite": "schema/sqlite_tables.db"},
    "classic": {"csv": "data/xhs/csv/*.csv", "json": "data/xhs/json/*.json", "jsonl": "data/xhs/jsonl/*.jsonl",
                "sqlite": "database/sqlite_tables.db", "xlsx": "data/xhs/*.xlsx"},
    "teaching": {"csv": "data/xhs/csv/*.csv", "json": "data/xhs/json/*.json", "jsonl": "data/xhs/jsonl/*.jsonl",
                 "sqlite": "database/sqlite_tables.db", "xlsx": "data/xhs/*.xlsx"},
}
CASES = [(era, option) for era, options in OPTIONS.items() for option in options]


@pytest.fixture(scope="session")
def eras(tmp_path_factory) -> dict[str, Path]:
    return crawl.build(tmp_path_factory.mktemp("mediacrawler"))


def _files(folder: Path, pattern: str) -> list[str]:
    """Notes first, then creators, then comments, as a folder import orders them."""
    rank = {"contents": 0, "creator_2": 1, "comments": 2}
    found = sorted(folder.glob(pattern), key=lambda p: min([r for w, r in rank.items() if w in p.name] or [0]))
    assert found, pattern
    return [str(p) for p in found]


def _table(output: str) -> dict[str, list[int]]:
    """The import summary as {kind: [new, updated, unchanged, rejected]}."""
    out = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) == 7 and cells[2].replace(",", "").isdigit():
            out[cells[1]] = [int(c.replace(",", "")) for c in cells[2:6]]
    return out


def _count(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value)
    return int(float(text[:-1]) * 10_000) if text.endswith("万") else int(text)


def _expected_comments(era: str) -> list[tuple]:
    teaching = era == "teaching"
    rows_ = crawl.COMMENTS + (crawl.LATER_COMMENTS if teaching else ())
    depth: dict[str, int] = {}
    out = []
    for (cid, _note, human, parent, created, content, _subs, _pictures), likes in zip(rows_, crawl.LIKES[era],
                                                                                      strict=False):
        depth[cid] = 0 if parent is None else depth[parent] + 1
        key = f"hash:{human.creator_hash}" if teaching else f"uid:{human.user_id}"
        out.append((cid, parent, depth[cid], created, key, content, _count(likes), human is crawl.BRAND))
    return sorted(out)


@pytest.mark.parametrize(("era", "option"), CASES, ids=[f"{e}-{o}" for e, o in CASES])
def test_every_era_and_save_option(workspace, cli, eras, era, option):
    add_fixture_accounts(workspace)
    files = _files(eras[era], OPTIONS[era][option])
    result = cli("import", *files, "--no-triage")
    assert result.exit_code == 0, result.output
    got = rows(workspace, """SELECT c.platform_id, p.platform_id, c.depth, c.created_at, a.person_key, c.text,
                                    c.like_count, c.is_ours
                             FROM comment c LEFT JOIN comment p ON p.id = c.parent_id
                             JOIN person a ON a.id = c.person_id ORDER BY c.platform_id""")
    epoch = "1970-01-01"
    expected = _expected_comments(era)
    assert [(g[0], g[1], g[2], g[4], g[5], g[6], bool(g[7])) for g in got] == [
        (e[0], e[1], e[2], e[4], e[5], e[6], e[7]) for e in expected]
    from fandesk.ingest.values import ms_to_datetime

    assert [str(g[3])[:19] for g in got] == [str(ms_to_datetime(e[3]))[:19] for e in expected] != [epoch]
    people = dict(rows(workspace, "SELECT person_key, nickname FROM person"))
    for human in crawl.HUMANS:
        if era == "teaching":
            assert people[f"hash:{human.creator_hash}"] == human.masked
        else:
            assert people[f"uid:{human.user_id}"] == human.nickname
    assert len(people) == len(crawl.HUMANS)
    # the notes, with the counts of this crawl; last_update_time 0 is unknown
    notes = rows(workspace, "SELECT n.platform_id, n.liked_count, n.updated_at, a.handle FROM note n "
                            "JOIN account a ON a.id = n.account_id ORDER BY n.platform_id")
    assert [(n[0], n[1], n[2] is None, n[3]) for n in notes] == [
        (note, _count(crawl.NOTE_COUNTS[era][note][0]), crawl.NOTE_UPDATED[era][note] == 0, "chengji_lab")
        for note in (crawl.NOTE_1, crawl.NOTE_2)]
    before = snapshot(workspace)
    again = cli("import", *files, "--no-triage")
    assert again.exit_code == 0, again.output
    assert snapshot(workspace) == before
    assert all(counts[:2] == [0, 0] for counts in _table(again.output).values()), again.output


def test_one_crawl_as_json_jsonl_csv_and_excel_is_new_once_then_unchanged(workspace, cli, eras, tmp_path):
    """The same records read the same whatever the format (pictures "" in JSON and CSV, an empty cell in
    Excel): "updated" only when the platform changed something, so never here, first time or again."""
    add_fixture_accounts(workspace)
    data = tmp_path / "data" / "xhs"
    for option in ("json", "jsonl", "csv"):
        shutil.copytree(eras["classic"] / "data/xhs" / option, data / option)
    shutil.copy(eras["classic"] / "data/xhs/xhs_creator_20260310_101010.xlsx", data)
    first = _table(cli("import", str(tmp_path / "data"), "--no-triage").output)
    assert first["comment"][:2] == [len(crawl.COMMENTS), 0]
    assert first["note"][:2] == [2, 0]
    assert first["creator"][:2] == [2, 0]
    again = _table(cli("import", str(tmp_path / "data"), "--no-triage").output)
    assert {kind: counts[:2] for kind, counts in again.items()} == {"comment": [0, 0], "creator": [0, 0],
                                                                    "note": [0, 0]}


@pytest.mark.parametrize("era", list(OPTIONS))
def test_a_whole_era_folder_is_new_once_then_unchanged(workspace, cli, eras, era):
    """A whole data folder of each era: every save option of one crawl, side by side."""
    add_fixture_accounts(workspace)
    first = cli("import", str(eras[era]), "--no-triage")
    assert first.exit_code == 0, first.output
    table = _table(first.output)
    comments = len(crawl.COMMENTS) + (len(crawl.LATER_COMMENTS) if era == "teaching" else 0)
    assert table["comment"][:2] == [comments, 0], first.output
    assert table["note"][:2] == [2, 0], first.output
    if era != "teaching":
        assert table["creator"][:2] == [2, 0], first.output
    if era == "classic":
        assert "skipped 1 file(s) that are not records" in first.output
    again = _table(cli("import", str(eras[era]), "--no-triage").output)
    assert {kind: counts[:2] for kind, counts in again.items()} == {kind: [0, 0] for kind in again}


def test_a_later_crawl_updates_what_the_platform_changed(workspace, cli, eras):
    add_fixture_accounts(workspace)
    assert cli("import", str(eras["classic"]), "--no-triage").exit_code == 0
    later = _table(cli("import", *_files(eras["teaching"], "data/xhs/jsonl/*.jsonl"), "--no-triage").output)
    # new: the five comments posted since; updated: the five whose likes moved, and both notes' counts
    assert later["comment"][:2] == [5, 5]
    assert later["note"][:2] == [0, 2]


def test_legacy_creator_csv_is_mediacrawlers(workspace, cli, eras):
    """Before 2025-09 creators were written to data/xhs/{N}_creator_creator_{date}.csv: MediaCrawler's
    creator columns, alone or in the whole legacy folder."""
    add_fixture_accounts(workspace)
    alone = cli("import", str(eras["legacy"] / "data/xhs/1_creator_creator_2025-08-20.csv"), "--no-triage")
    assert alone.exit_code == 0, alone.output
    profile = rows(workspace, "SELECT gender, bio, follower_count FROM person WHERE person_key = :k",
                   k=f"uid:{crawl.TAOTAO.user_id}")
    assert profile == [("Female", "敏感肌｜成分党🧪", 11000)]
    whole = cli("import", str(eras["legacy"]), "--no-triage")
    assert whole.exit_code == 0, whole.output
    assert scalar(workspace, "SELECT count(*) FROM comment") == len(crawl.COMMENTS)


def test_word_cloud_counts_are_passed_over_and_said_so(workspace, cli, eras, tmp_path):
    add_fixture_accounts(workspace)
    data = tmp_path / "data" / "xhs"
    shutil.copytree(eras["classic"] / "data/xhs/jsonl", data / "jsonl")
    shutil.copytree(eras["classic"] / "data/xhs/words", data / "words")
    result = cli("import", str(tmp_path / "data"), "--no-triage")
    assert result.exit_code == 0, result.output
    summary = " ".join(result.output.split())
    assert "skipped 1 file(s) that are not records: xhs/words/creator_comments_2026-03-10_word_freq.json" in summary
    assert "imported 2 file(s)" in summary
    assert scalar(workspace, "SELECT count(*) FROM comment") == len(crawl.COMMENTS)
    # named on its own it is refused, with a reason and a doc that exists
    alone = cli("import", str(data / "words/creator_comments_2026-03-10_word_freq.json"))
    assert alone.exit_code == 2
    assert "word" in alone.output and "docs/formats.md" in alone.output
    assert (REPO / "docs" / "formats.md").is_file()


def test_an_unknown_payload_points_to_a_doc_that_exists(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    path = tmp_path / "something.json"
    path.write_text('{"items": [{"a": 1}], "next": "x"}', encoding="utf-8")
    result = cli("import", str(path), "--account", "chengji_lab")
    assert result.exit_code == 2
    assert "docs/formats.md" in " ".join(result.output.split())
    assert "word cloud" in (REPO / "docs" / "formats.md").read_text(encoding="utf-8")


def test_last_update_time_zero_means_unknown(workspace, cli, eras):
    add_fixture_accounts(workspace)
    result = cli("import", str(eras["teaching"] / "data/xhs/jsonl/creator_contents_2026-07-15.jsonl"))
    assert result.exit_code == 0, result.output
    assert rows(workspace, "SELECT platform_id, updated_at IS NULL FROM note ORDER BY platform_id") == [
        (crawl.NOTE_1, False), (crawl.NOTE_2, True)]


def test_sqlite_none_text_is_a_missing_count(workspace, cli, eras):
    """The ORM writes counts through str(): a missing one is the text 'None'."""
    add_fixture_accounts(workspace)
    database = eras["classic"] / "database/sqlite_tables.db"
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT like_count FROM xhs_note_comment WHERE comment_id = :c",
                            {"c": "66b00000000000000000c005"}).fetchone() == ("None",)
    result = cli("import", str(database), "--no-triage")
    assert result.exit_code == 0, result.output
    assert scalar(workspace, "SELECT like_count FROM comment WHERE platform_id = '66b00000000000000000c005'") is None
    assert scalar(workspace, "SELECT collected_count FROM note WHERE platform_id = :n", n=crawl.NOTE_2) is None
    assert rows(workspace, "SELECT follower_count FROM person WHERE person_key = :k",
                k=f"uid:{crawl.BRAND.user_id}") == [(56000,)]
