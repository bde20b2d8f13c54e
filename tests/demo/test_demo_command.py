"""`fandesk demo`, the README's main job: the generated files go through the real importers. These tests
build a small crowd (the hidden `--scale`), since CI runs the README's first command itself, the whole
demo unpinned at the real date, before the tests."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.ingest.helpers import scalar, snapshot

SCALE = 0.1
SMALL = ("--scale", str(SCALE))


def test_demo_builds_a_workspace_that_matches_its_files_and_reruns_cleanly(workspace, cli):
    from fandesk.demo.generate import generate_demo_files

    result = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert result.exit_code == 0, result.output
    manifest = generate_demo_files(workspace.settings.workspace / "check", seed=7, scale=SCALE)
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
    # a morning's work is open (the desk opened at 08:00 Shanghai, 00:00 UTC), the months before are history
    open_items = scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status = 'new' OR status = 'assigned'")
    assert 0 < open_items < 300
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status = 'history'") > 10 * open_items
    assert scalar(workspace, """SELECT count(*) FROM inbox_item WHERE status IN ('new', 'assigned')
                                AND received_at < '2026-11-20 00:00:00'""") == 0
    assert scalar(workspace, """SELECT count(*) FROM crisis c JOIN note n ON n.id = c.note_id
                                WHERE n.platform_id = :p""", p=manifest.crisis_note_id) >= 1
    before = snapshot(workspace)
    again = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert again.exit_code == 0, again.output
    assert snapshot(workspace) == before


def _world(workspace) -> tuple:
    return tuple(scalar(workspace, f"SELECT count(*) FROM {table}")
                 for table in ("note", "comment", "person", "inbox_item", "crisis", "member", "account"))


def test_a_demo_at_another_clock_replaces_the_earlier_one_instead_of_mixing_them(workspace, cli, tmp_path):
    from fandesk.demo.generate import generate_demo_files

    assert cli("demo", *SMALL, "--no-serve", "--now", "2026-10-01T09:00").exit_code == 0
    second = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert second.exit_code == 0, second.output
    assert "an earlier demo (seed 7, --now 2026-10-01T09:00, finished) was here: rebuilt the demo from scratch" \
        in second.output
    # only the second world is there: the counts of its own files, one team
    counts = generate_demo_files(tmp_path / "files", seed=7, now=datetime(2026, 11, 20, 12), scale=SCALE).counts
    assert scalar(workspace, "SELECT count(*) FROM note WHERE is_stub = :f", f=False) == counts.notes
    assert scalar(workspace, "SELECT count(*) FROM comment") == counts.comments
    assert scalar(workspace, "SELECT count(*) FROM mention") == counts.mentions
    assert scalar(workspace, "SELECT count(*) FROM member") == 5


def test_a_demo_that_failed_half_way_is_rebuilt_cleanly(workspace, cli, monkeypatch):
    import fandesk.pipeline as pipeline

    real_import = pipeline.import_and_triage
    calls = []

    def failing_import(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full (simulated)")
        return real_import(*args, **kwargs)

    monkeypatch.setattr(pipeline, "import_and_triage", failing_import)
    failed = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert failed.exit_code != 0
    assert scalar(workspace, "SELECT count(*) FROM comment") > 0  # two jobs had landed
    monkeypatch.setattr(pipeline, "import_and_triage", real_import)

    again = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert again.exit_code == 0, again.output
    assert "did not finish" in again.output and "rebuilt" in again.output
    clean = _world(workspace)
    third = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert third.exit_code == 0
    assert _world(workspace) == clean  # the same seed and clock always give the same counts


def test_the_demo_refuses_a_workspace_that_is_not_a_demo(workspace, cli):
    assert cli("account", "add", "mybrand").exit_code == 0
    result = cli("demo", *SMALL, "--no-serve", "--now", "2026-11-20T12:00")
    assert result.exit_code == 2
    assert "not a demo" in result.output and "--dir" in result.output
    assert scalar(workspace, "SELECT count(*) FROM account") == 1
    assert scalar(workspace, "SELECT count(*) FROM comment") == 0


def test_the_readme_demo_unpinned_at_the_real_current_time(workspace, cli):
    """No --now: six months ending at the current hour, imported through the real importers, which
    refuse any time in the future."""
    result = cli("demo", *SMALL, "--no-serve")
    assert result.exit_code == 0, result.output
    assert "not serving" in result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") > 1_000
    assert scalar(workspace, "SELECT count(*) FROM comment WHERE root_id IS NULL") == 0
    latest = scalar(workspace, "SELECT max(created_at) FROM comment")
    latest = latest if isinstance(latest, datetime) else datetime.fromisoformat(str(latest))
    assert latest <= datetime.now(UTC).replace(tzinfo=None)
