"""Engine and session factory, the declarative Base, and the migrations runner.

Nothing here runs at import time: callers build an engine from their Settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


BUSY_MS = 30_000  # how long a SQLite write waits for another's write lock before "database is locked"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(database_url: str, **kwargs) -> Engine:
    """Build an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(database_url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(database_url, pool_pre_ping=True, **kwargs)


def write_if_free(connection: Connection, write, *, wait_ms: int) -> bool:
    """Run `write(connection)` and commit, unless the database's write lock stays taken for longer than
    `wait_ms` (SQLite: an import holds it while it writes a chunk): then roll back and return False. For
    marks that may be skipped because the next page view writes them again (who is on an item, when a
    session was last used), so a page view never waits behind an import. On PostgreSQL rows lock one by
    one and these marks wait for nobody, so the write simply runs."""
    from sqlalchemy.exc import OperationalError

    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_ms)}")
    try:
        write(connection)
        connection.commit()
        return True
    except OperationalError as error:
        connection.rollback()
        if sqlite and "locked" in str(error.orig):  # also a read snapshot that another write made stale
            return False
        raise
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_MS}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The entry point owns the transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _alembic_config(engine: Engine):
    from alembic.config import Config

    script_location = str(resources.files("fandesk") / "migrations")
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); safe to call on every open."""
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def insert_ignore(session: Session, table):
    """INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


class BulkWriter:
    """Plain DBAPI executemany for the import's hot path: SQLAlchemy's per-row parameter processing
    costs more than the insert itself at a million rows. Values must already be in driver form
    (`db_time` for times)."""

    def __init__(self, connection):
        self.connection = connection
        self.dialect = connection.dialect.name
        self._sql: dict[tuple, str] = {}
        self._next_id: dict[str, int] = {}

    def insert(self, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        key = (table.name, columns)
        sql = self._sql.get(key)
        if sql is None:
            mark = "?" if self.dialect == "sqlite" else "%s"
            sql = self._sql[key] = (f'INSERT INTO {table.name} ({", ".join(columns)}) '
                                    f'VALUES ({", ".join([mark] * len(columns))})')
        self.connection.exec_driver_sql(sql, rows)

    def update_by_id(self, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """UPDATE each row by id; each tuple holds the new values of `columns`, then the id."""
        if not rows:
            return
        mark = "?" if self.dialect == "sqlite" else "%s"
        sql = f'UPDATE {table.name} SET {", ".join(f"{c} = {mark}" for c in columns)} WHERE id = {mark}'
        self.connection.exec_driver_sql(sql, rows)

    def allocate_ids(self, table, count: int) -> list[int]:
        """Ids for rows about to be inserted, so children can point at them in the same batch.
        SQLite: the import holds the write lock, so max(id) stays ours. PostgreSQL: the sequence."""
        if count == 0:
            return []
        if self.dialect == "postgresql":
            result = self.connection.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, %s)",
                (count,))
            return [row[0] for row in result]
        start = self._next_id.get(table.name)
        if start is None:
            start = (self.connection.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0) + 1
        self._next_id[table.name] = start + count
        return list(range(start, start + count))

    def db_datetime(self):
        """A naive UTC datetime -> the value the driver stores for a DateTime column."""
        if self.dialect == "sqlite":
            return lambda value: None if value is None else value.isoformat(" ", "microseconds")
        return lambda value: value

    def db_time(self):
        """ms epoch -> the value the driver stores for a DateTime column (UTC, naive)."""
        from datetime import datetime, timedelta

        epoch = datetime(1970, 1, 1)
        if self.dialect == "sqlite":
            # the text SQLAlchemy's SQLite DateTime type writes and reads
            def to_text(ms):
                return None if ms is None else (epoch + timedelta(milliseconds=ms)).isoformat(" ", "microseconds")
            return to_text

        def to_datetime(ms):
            return None if ms is None else epoch + timedelta(milliseconds=ms)
        return to_datetime


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
