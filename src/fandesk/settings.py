"""Typed settings, read once by the entry point and passed down (never read at import)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values that are known to everyone: never used as the secret. Unset (or one of these, in development),
# the web app uses the secret generated into the workspace (workspace.service.secret_key).
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development-only-secret"}


class Settings(BaseSettings):
    # hide_input_in_errors: a settings error must never print the cookie, the keys or the secret it was given
    model_config = SettingsConfigDict(env_prefix="FANDESK_", extra="ignore", hide_input_in_errors=True)

    workspace: Path = Path("fandesk-demo")
    database_url: str = ""
    time_zone: str = "Asia/Shanghai"
    secret_key: SecretStr = SecretStr("")  # empty: generated into the workspace on first run
    environment: str = "development"
    # Reverse proxies whose X-Forwarded-For names the client (comma-separated addresses, or *): the
    # sign-in limit counts per client address, so behind a proxy it must know the real one.
    trusted_proxies: str = ""
    import_batch_size: int = 5000
    # Optional drafts from a language model behind an OpenAI-compatible chat endpoint (local or hosted).
    llm_base_url: str = ""
    llm_model: str = "default"
    llm_api_key: str = ""
    # Optional live sending of approved replies through the `xhs` SDK (pip install -e '.[live]'); off by default.
    live_sender: bool = False
    xhs_cookie: SecretStr = SecretStr("")  # the signed-in account's cookie: a secret, never shown or logged
    xhs_account: str = ""  # the handle of the account the cookie signs in as (may be empty with one account)
    xhs_sign_url: str = ""  # a signing service for the web API (the SDK's sign server); empty: the SDK's own
    send_max_attempts: int = Field(3, ge=1, le=10)
    send_backoff_seconds: float = Field(2.0, ge=0, le=300)

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
        secret = self.secret_key.get_secret_value().strip()
        if self.environment != "development" and secret and secret.lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "FANDESK_SECRET_KEY is a placeholder; unset it (a secret is then generated into the "
                "workspace) or set a long random value (python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')"
            )
        if self.live_sender:
            cookie = self.xhs_cookie.get_secret_value()
            present = {part.split("=", 1)[0].strip() for part in cookie.split(";") if "=" in part}
            missing = [name for name in ("a1", "web_session") if name not in present]
            if missing:  # names the parts, never the value
                raise ValueError(
                    "FANDESK_LIVE_SENDER is on but FANDESK_XHS_COOKIE lacks " + " and ".join(missing)
                    + ": copy the whole cookie of the signed-in account from xiaohongshu.com (a1, web_session, "
                    "webId), or turn the live sender off")
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
