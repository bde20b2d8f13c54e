"""Alembic environment: runs on the engine the caller hands in (db.upgrade), or on the URL."""

from alembic import context
from sqlalchemy import create_engine

import fandesk.models  # noqa: F401  (registers every table on Base.metadata)
from fandesk.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        context.run_migrations()


run_migrations()
