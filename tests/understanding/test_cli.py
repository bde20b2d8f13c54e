"""`fandesk analyze` end to end on small files written here: CSV (UTF-8, BOM, GBK), JSON, JSONL."""

import json

import pytest
import typer
from typer.testing import CliRunner

from fandesk.errors import BadRecord
from fandesk.understanding.cli import analyze_command, analyze_file, app

ROWS = ["避雷！用了烂脸[哭惹R]", "求链接，好好看", ""]  # GBK has no emoji


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check(records):
    assert [r["text"] for r in records] == ROWS
    assert records[0]["sentiment"] == "negative" and records[0]["category"] == "complaint"
    assert records[1]["is_question"] and records[1]["category"] == "product_question"
    assert records[2]["language"] == "none"
    for record in records:
        assert {"text", "sentiment", "sentiment_score", "category", "categories", "cause", "is_question",
                "language", "spam", "evidence"} <= set(record)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_any_common_encoding(tmp_path, encoding):
    source = tmp_path / "comments.csv"
    lines = ["comment_id,content"] + [f"c{i},{text}" for i, text in enumerate(ROWS)]
    source.write_bytes("\n".join(lines).encode(encoding))
    out = tmp_path / "out.jsonl"
    assert analyze_file(source, output=out, progress=False) == 3
    records = read_jsonl(out)
    check(records)
    assert [r["comment_id"] for r in records] == ["c0", "c1", "c2"]


def test_json_array_and_jsonl(tmp_path):
    array = tmp_path / "comments.json"
    array.write_text(json.dumps([{"body": t} for t in ROWS], ensure_ascii=False), encoding="utf-8")
    lines = tmp_path / "comments.jsonl"
    lines.write_text("\n".join(json.dumps({"body": t}, ensure_ascii=False) for t in ROWS), encoding="utf-8")
    for source in (array, lines):
        out = tmp_path / f"{source.stem}.{source.suffix[1:]}.out.jsonl"
        analyze_file(source, text_column="body", output=out, progress=False)
        check(read_jsonl(out))


def test_missing_text_column_lists_the_columns(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("id,note\n1,hello\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(BadRecord) as error:
        analyze_file(source, text_column="content", output=out, progress=False)
    message = str(error.value)
    assert "bad.csv" in message and "content" in message and "id, note" in message
    assert not out.exists()


def test_row_without_the_field_is_named_and_nothing_is_left_behind(tmp_path):
    source = tmp_path / "partial.jsonl"
    source.write_text('{"text": "好用"}\n{"other": 1}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(BadRecord) as error:
        analyze_file(source, output=out, progress=False)
    assert "partial.jsonl: line 2, field 'text'" in str(error.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_typer_command_mounts_and_reports_errors(tmp_path):
    root = typer.Typer()
    root.command("analyze")(analyze_command)
    root.command("other")(lambda: None)
    source = tmp_path / "c.jsonl"
    source.write_text('{"text": "哈哈哈笑死"}\n', encoding="utf-8")
    result = CliRunner().invoke(root, ["analyze", str(source)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["text"] == "哈哈哈笑死"
    missing = CliRunner().invoke(root, ["analyze", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    assert "nope.csv" in missing.output
    assert CliRunner().invoke(app, ["--help"]).exit_code == 0


def test_large_stream_stays_in_batches(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps({"text": f"第{i}条 好用"}, ensure_ascii=False) + "\n"
                              for i in range(5000)), encoding="utf-8")
    out = tmp_path / "many.out.jsonl"
    assert analyze_file(source, output=out, progress=False) == 5000
    assert read_jsonl(out)[-1]["row"] == 5000
