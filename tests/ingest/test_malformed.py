"""Malformed input: broken or cut-off lines, bytes that are not UTF-8, lone surrogates, NUL, records nested
hundreds deep, lines without end. Each is refused with the file and the record named (never a traceback);
with --skip-bad it is passed over, listed with its reason in the rejects file, and the rest lands."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from fandesk.errors import BadRecord
from fandesk.ingest import readers
from tests.conftest import FIXTURES
from tests.ingest.helpers import add_fixture_accounts, rows, scalar, snapshot
from tests.ingest.test_bad_input import GOOD, _bytes_read


@pytest.fixture
def ready(workspace, cli):
    add_fixture_accounts(workspace)
    return workspace


def _line(record: dict, **changes) -> bytes:
    return json.dumps(dict(record, **changes), ensure_ascii=False).encode()


def _import(cli, path: Path, *, skip_bad: bool = False):
    return cli("import", str(path), "--account", "chengji_lab", *(["--skip-bad"] if skip_bad else []))


def _refused(workspace, cli, path: Path, *words: str):
    before = snapshot(workspace)
    result = _import(cli, path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output
    assert snapshot(workspace) == before
    return result


def _skipped(workspace, cli, path: Path) -> list[dict]:
    """Import with --skip-bad: it succeeds; the rejects it wrote, in order."""
    result = _import(cli, path, skip_bad=True)
    assert result.exit_code == 0, result.output
    [rejects] = (workspace.settings.workspace / "rejects").glob("*.jsonl")
    return [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]


def _comment_ids(workspace) -> list[str]:
    return [r[0] for r in rows(workspace, "SELECT platform_id FROM comment ORDER BY platform_id")]


# --- item 7: --skip-bad passes over broken lines ---------------------------------------------------------

def test_broken_and_cut_off_lines_stop_the_import_or_are_skipped(ready, cli, tmp_path):
    path = tmp_path / "comments.jsonl"
    path.write_bytes(b"\n".join([
        _line(GOOD, comment_id="g1"),
        b'{"comment_id": "g2", "content": "\xe6\xb2\xa1\xe5\x86\x99\xe5\xae\x8c, "create_time": 1763001000000}',
        _line(GOOD, comment_id="g3"),
        _line(GOOD, comment_id="g4").replace("绝绝子".encode(), b"\xff\xfe"),
        _line(GOOD, comment_id="g5"),
        _line(GOOD, comment_id="g6")[:50],  # the crawl was stopped while it wrote this line
    ]))
    _refused(ready, cli, path, "comments.jsonl", "line 2", "not valid JSON")
    rejects = _skipped(ready, cli, path)
    assert _comment_ids(ready) == ["g1", "g3", "g5"]
    assert [r["where"] for r in rejects] == ["line 2", "line 4", "line 6"]
    assert "not valid JSON" in rejects[0]["problem"]
    assert "not UTF-8" in rejects[1]["problem"] and "byte" in rejects[1]["problem"]
    assert "cut short" in rejects[2]["hint"]
    assert all(r["file"] == str(path) for r in rejects)


def test_bytes_that_are_not_utf8_name_their_line(ready, cli, tmp_path):
    path = tmp_path / "comments.jsonl"
    path.write_bytes(b"\n".join([_line(GOOD, comment_id="g1"), _line(GOOD, comment_id="g2"),
                                 _line(GOOD, comment_id="g3").replace("小鹿".encode(), b"\xd0\xa1\xc2\xb9\xff")]))
    _refused(ready, cli, path, "comments.jsonl", "line 3", "not UTF-8", "\\xff")


def test_a_json_list_cut_short_keeps_the_records_before_the_cut_with_skip_bad(ready, cli, tmp_path):
    text = (FIXTURES / "teaching" / "creator_comments_2026-11-20.json").read_text(encoding="utf-8")
    cut = tmp_path / "creator_comments_cut.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    _refused(ready, cli, cut, "creator_comments_cut.json", "record 3", "cut short")
    rejects = _skipped(ready, cli, cut)
    assert _comment_ids(ready) == ["t0000000000000000000001a", "t0000000000000000000002b"]
    assert [(r["where"], "cut short" in r["problem"]) for r in rejects] == [("record 3", True)]


# --- item 6: nesting, NUL ----------------------------------------------------------------------------

def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _api_comment(n: int, **extra) -> dict:
    return {"id": f"a00000000000000000000{n:03d}", "note_id": "6650a1b2c3d4e5f600000002", "content": f"评论{n}",
            "user_info": {"user_id": f"60aa0000000000000000{n:04d}", "nickname": f"用户{n}"},
            "create_time": 1763110000000 + n, "like_count": "1", "status": 0, "show_tags": [], **extra}


def _three_records(tmp_path: Path, container: str, second: dict) -> Path:
    """Records 1 and 3 good, record 2 `second` (GOOD with changes), in `container`."""
    if container == "api":
        page = {"cursor": "", "has_more": False, "comments": [_api_comment(1), _api_comment(2, **second),
                                                               _api_comment(3)]}
        path = tmp_path / "comments_page.json"
        path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
        return path
    records = [dict(GOOD, comment_id="g1"), dict(GOOD, comment_id="g2", **second), dict(GOOD, comment_id="g3")]
    if container == "jsonl":
        path = tmp_path / "comments.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    else:
        path = tmp_path / "comments.json"
        path.write_text(json.dumps(records, indent=4), encoding="utf-8")
    return path


PLACE = {"json": "record 2", "jsonl": "line 2", "api": "comments[2]"}
KEPT = {"json": ["g1", "g3"], "jsonl": ["g1", "g3"], "api": ["a00000000000000000000001", "a00000000000000000000003"]}


@pytest.mark.parametrize("container", ["json", "jsonl", "api"])
def test_a_record_nested_hundreds_deep_is_refused_by_name(ready, cli, tmp_path, container):
    path = _three_records(tmp_path, container, {"pictures": _deep(300)})
    _refused(ready, cli, path, path.name, PLACE[container], "nested deeper than 64 levels")
    rejects = _skipped(ready, cli, path)
    assert _comment_ids(ready) == KEPT[container]
    assert [r["where"] for r in rejects] == [PLACE[container]]


def test_nesting_tens_of_thousands_deep_costs_no_memory(tmp_path):
    """A 40 KB file nested 12,000 deep took ijson 360 MB (a path string per level); now it is counted."""
    path = tmp_path / "deep.json"
    path.write_bytes(b'[{"comment_id": "g1", "x": ' + b"[" * 12_000 + b"]" * 12_000 + b"}]")
    tracemalloc.start()
    try:
        with pytest.raises(BadRecord, match="deep.json: record 1: nested deeper than 64 levels"):
            list(readers.read_records(path, "json"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024**2


@pytest.mark.parametrize("container", ["jsonl", "api"])
def test_nul_is_taken_out_of_texts_the_same_on_sqlite_and_postgresql(ready, cli, tmp_path, container):
    """PostgreSQL refused U+0000 (psycopg.DataError) and SQLite kept it: now both store the texts without
    it, and the raw JSON keeps it escaped, as the file had it."""
    changes = ({"content": "好用\u0000吗", "user_info": {"user_id": "60aa00000000000000000002", "nickname": "小\u0000鹿"}}
               if container == "api" else {"content": "好用\u0000吗", "nickname": "小\u0000鹿"})
    path = _three_records(tmp_path, container, changes)
    result = _import(cli, path)
    assert result.exit_code == 0, result.output
    second = KEPT[container][0][:-1] + "2"
    assert scalar(ready, "SELECT text FROM comment WHERE platform_id = :id", id=second) == "好用吗"
    assert scalar(ready, """SELECT p.nickname FROM comment c JOIN person p ON p.id = c.person_id
                            WHERE c.platform_id = :id""", id=second) == "小鹿"
    assert "\\u0000" in scalar(ready, "SELECT raw FROM comment WHERE platform_id = :id", id=second)
    assert scalar(ready, "SELECT count(*) FROM inbox_item") == 3


# --- item 9: lone surrogates, lines without end -----------------------------------------------------------

@pytest.mark.parametrize("container", ["json", "jsonl"])
def test_a_lone_surrogate_is_refused_the_same_in_a_json_list_and_in_jsonl(ready, cli, tmp_path, container):
    """json.dumps writes "\\ud83d" for the half emoji; ijson turned it into "?" while JSONL refused it."""
    path = _three_records(tmp_path, container, {"content": "好看\ud83d"})
    _refused(ready, cli, path, PLACE[container], "field 'content'", "surrogate")
    rejects = _skipped(ready, cli, path)
    assert _comment_ids(ready) == ["g1", "g3"]
    assert [(r["where"], r["field"]) for r in rejects] == [(PLACE[container], "content")]


ENDLESS = 40 * 1024**2


def _endless(tmp_path: Path, name: str, head: bytes, tail: bytes = b"") -> Path:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.write(head)
        block = "没有换行".encode() * 4096
        for _ in range(ENDLESS // len(block)):
            handle.write(block)
        handle.write(tail)
    return path


@pytest.mark.parametrize(("name", "head", "tail", "words"), [
    ("comments.jsonl", b'{"comment_id": "c1", "content": "', b"", ["line 1", "longer than 1 MB"]),
    ("comments.csv", b"comment_id,note_id,content,create_time\nc1,n1,", b",1763001000000",
     ["line 2 is longer than 1 MB"]),
    ("comments.json", b'[{"comment_id": "c1", "content": "', b'"}]', ["record 1", "longer than 1 MB"]),
    ("payload.json", b'{"comments": [{"content": "', b'"}]}', ["is 40 MB", "at most 1 MB"]),
], ids=["jsonl", "csv", "json list", "api payload"])
def test_a_file_without_line_breaks_is_refused_before_it_is_read_whole(ready, cli, tmp_path, monkeypatch,
                                                                      name, head, tail, words):
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1024**2)
    monkeypatch.setattr(readers, "MAX_DOCUMENT_BYTES", 1024**2)
    path = _endless(tmp_path, name, head, tail)
    read_before = _bytes_read()
    _refused(ready, cli, path, name, *words)
    assert _bytes_read() - read_before < 8 * 1024**2


@pytest.mark.parametrize("container", ["jsonl", "json"])
def test_skip_bad_passes_over_an_endless_record_in_flat_memory(tmp_path, monkeypatch, container):
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1024**2)
    good = json.dumps(GOOD).encode()
    if container == "jsonl":
        path = _endless(tmp_path, "c.jsonl", good + b'\n{"content": "', b'"}\n' + good + b"\n")
    else:
        path = _endless(tmp_path, "c.json", b"[" + good + b', {"content": "', b'"}, ' + good + b"]")
    tracemalloc.start()
    try:
        found = [(r.where, r.problem.problem if r.problem else r.data["comment_id"])
                 for r in readers.read_records(path, container, keep_bad=True)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    place = "line" if container == "jsonl" else "record"
    assert found == [(f"{place} 1", "g1"), (f"{place} 2", "longer than 1 MB: not a crawler record"),
                     (f"{place} 3", "g1")]
    assert peak < 8 * 1024**2  # a few times the limit, whatever the file's size
