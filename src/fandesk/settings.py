"""Typed settings, read once by the entry point and passed down (never read at import)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development-only-secret"}
DEV_SECRET = "development-only-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FANDESK_", extra="ignore")

    workspace: Path = Path("fandesk-demo")
    database_url: str = ""
    time_zone: str = "Asia/Shanghai"
    secret_key: str = DEV_SECRET
    environment: str = "development"
    import_batch_size: int = 5000
    # Optional drafts from a language model behind an OpenAI-compatible chat endpoint (local or hosted).
    llm_base_url: str = ""
    llm_model: str = "default"
    llm_api_key: str = ""

    @field_validator("workspace")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Asia/Shanghai") from exc
        return value

    @model_validator(mode="after")
    def _defaults_and_secrets(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.workspace / 'fandesk.db'}"
        if self.environment != "development" and self.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "FANDESK_SECRET_KEY is a placeholder; set a long random value "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))') outside development"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(workspace: Path | str | None = None, **overrides: Any) -> Settings:
    """Read settings once: defaults < fandesk.toml in the workspace < FANDESK_* environment < overrides."""
    import os

    ws = Path(workspace or os.environ.get("FANDESK_WORKSPACE") or "fandesk-demo").expanduser().resolve()
    file_values: dict[str, Any] = {}
    toml_path = ws / "fandesk.toml"
    if toml_path.is_file():
        try:
            file_values = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{toml_path}: cannot be read as TOML ({exc}); fix or remove the file") from exc
    env_keys = {k[len("FANDESK_"):].lower() for k in os.environ if k.startswith("FANDESK_")}
    values = {k: v for k, v in file_values.items() if k not in env_keys}
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["workspace"] = ws
    return Settings(**values)
