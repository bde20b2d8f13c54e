"""`fandesk demo`, the README's main job: the generated files go through the real importers."""

from __future__ import annotations

from tests.ingest.helpers import scalar, snapshot


def test_demo_builds_a_workspace_that_matches_its_files_and_reruns_cleanly(workspace, cli):
    from fandesk.demo.generate import generate_demo_files

    result = cli("demo", "--no-serve", "--now", "2026-11-20T12:00")
    assert result.exit_code == 0, result.output
    manifest = generate_demo_files(workspace.settings.workspace / "check", seed=7)
    counts = manifest.counts
    assert "澄肌实验室" in result.output and f"{counts.comments_by_account['chengji_lab']:,}" in result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") == counts.comments
    assert scalar(workspace, "SELECT count(*) FROM note WHERE is_stub = :f", f=False) == counts.notes
    assert scalar(workspace, "SELECT count(*) FROM mention") == counts.mentions
    assert scalar(workspace, "SELECT count(*) FROM dm_message") == counts.dm_messages
    assert scalar(workspace, "SELECT count(*) FROM purchase") == counts.purchases
    assert scalar(workspace, "SELECT count(*) FROM comment WHERE is_ours = :t", t=True) == counts.account_replies
    # every thread is whole: each reply reached its top-level comment
    assert scalar(workspace, "SELECT count(*) FROM comment WHERE root_id IS NULL") == 0
    # the inbox is ready, and the crisis episode was found on the crisis note
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status = 'new' OR status = 'assigned'") > 1000
    assert scalar(workspace, """SELECT count(*) FROM crisis c JOIN note n ON n.id = c.note_id
                                WHERE n.platform_id = :p""", p=manifest.crisis_note_id) >= 1
    before = snapshot(workspace)
    again = cli("demo", "--no-serve", "--now", "2026-11-20T12:00")
    assert again.exit_code == 0, again.output
    assert snapshot(workspace) == before
