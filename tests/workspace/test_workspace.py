"""Settings read once (environment over fandesk.toml), migrations, accounts and business hours."""

from __future__ import annotations

import pytest

from fandesk.settings import load_settings
from tests.ingest.helpers import add_fixture_accounts, rows


def test_settings_toml_then_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("FANDESK_DATABASE_URL", raising=False)
    (tmp_path / "fandesk.toml").write_text('time_zone = "Europe/Berlin"\nimport_batch_size = 100\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.time_zone == "Europe/Berlin" and settings.import_batch_size == 100
    assert settings.database_url == f"sqlite:///{tmp_path / 'fandesk.db'}"
    monkeypatch.setenv("FANDESK_TIME_ZONE", "Asia/Tokyo")
    assert load_settings(tmp_path).time_zone == "Asia/Tokyo"


def test_settings_refuse_placeholder_secret_and_bad_values(tmp_path, monkeypatch):
    monkeypatch.setenv("FANDESK_ENVIRONMENT", "production")
    monkeypatch.delenv("FANDESK_SECRET_KEY", raising=False)
    assert load_settings(tmp_path).environment == "production"  # unset: generated into the workspace
    monkeypatch.setenv("FANDESK_SECRET_KEY", "changeme")
    with pytest.raises(ValueError, match="FANDESK_SECRET_KEY"):
        load_settings(tmp_path)
    monkeypatch.setenv("FANDESK_SECRET_KEY", "k" * 48)
    assert load_settings(tmp_path).environment == "production"
    (tmp_path / "fandesk.toml").write_text("time_zone = [", encoding="utf-8")
    with pytest.raises(ValueError, match="fandesk.toml"):
        load_settings(tmp_path)
    (tmp_path / "fandesk.toml").write_text('time_zone = "Mars/Olympus"', encoding="utf-8")
    with pytest.raises(ValueError, match="IANA"):
        load_settings(tmp_path)


def test_db_upgrade_and_accounts(workspace, cli):
    result = cli("db", "upgrade")
    assert result.exit_code == 0 and "revision" in result.output
    assert cli("account", "add", "chengji_lab", "--name", "澄肌实验室", "--user-id", "u1").exit_code == 0
    clash = cli("account", "add", "other", "--user-id", "u1")
    assert clash.exit_code == 2 and "chengji_lab" in clash.output
    assert cli("account", "add", "bad handle!").exit_code == 2
    listed = cli("account", "list")
    assert "澄肌实验室" in listed.output and "Asia/Shanghai" in listed.output


def test_business_hours(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("account", "hours", "chengji_lab", "mon-fri 09:00-18:00", "sat 10:00-16:00")
    assert result.exit_code == 0, result.output
    assert rows(workspace, "SELECT weekday, opens, closes FROM business_hours ORDER BY weekday") == [
        (0, "09:00", "18:00"), (1, "09:00", "18:00"), (2, "09:00", "18:00"), (3, "09:00", "18:00"),
        (4, "09:00", "18:00"), (5, "10:00", "16:00")]
    bad = cli("account", "hours", "chengji_lab", "someday 09:00-18:00")
    assert bad.exit_code == 2 and "mon-fri" in bad.output
    assert cli("account", "hours", "chengji_lab").exit_code == 0
    assert rows(workspace, "SELECT count(*) FROM business_hours") == [(0,)]
