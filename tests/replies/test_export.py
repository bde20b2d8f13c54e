"""The outbox CSV: a cell a spreadsheet would run as a formula is quoted, fullwidth forms included;
everything else (a reply starting with @nickname, a list dash) is exported as written."""

from __future__ import annotations

import pytest

from fandesk.replies.export import formula_safe


@pytest.mark.parametrize("cell", [
    "=1+1", "=HYPERLINK(\"http://x\",\"点我\")", "＝HYPERLINK(\"http://x\")", "＝１＋１", "＋SUM(1,1)",
    "－2+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0", "＠ＳＵＭ（1,1）", "\t=1+1", "\r\n=1+1", "　＝1",
    "-2+3+WEBSERVICE(\"http://x\")",
])
def test_a_formula_is_quoted(cell):
    assert formula_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", [
    "@小鹿 敏感肌可以用的～建议先试用两天。你现在用的是哪款面霜呀？", "@小鹿 谢谢(≧▽≦)", "- 先在耳后试用\n- 有刺痛就停用",
    "-_-||", "+1 同款", "－_－", "回购第三瓶了", "", "a = b", 17, None,
])
def test_normal_text_is_exported_as_written(cell):
    assert formula_safe(cell) == cell
