"""``advisor web backup OUT`` and ``advisor web restore FILE``: the site's database in one file and back.

The database is all the site keeps: sessions, results and the audit trails are rows, and uploads are read
in memory (or a temporary file) and never stored as files. So a backup is the database alone:

- SQLite: a consistent copy through SQLite's online backup API (what ``sqlite3 DB ".backup OUT"`` does),
  safe while the site is running (WAL mode; writers wait for the copy's read lock only briefly).
- PostgreSQL: ``pg_dump --format=custom``; restored with ``pg_restore`` into an empty database.

Neither ever overwrites: the backup is written beside OUT and linked into place only if OUT does not exist,
and a restore refuses a database that already holds tables (SQLite: a file that exists).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..errors import N_, AdvisorError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _database() -> dict[str, Any]:
    from django.db import connections
    return dict(connections["default"].settings_dict)


def _is_sqlite(db: dict[str, Any]) -> bool:
    return str(db["ENGINE"]).endswith("sqlite3")


def _tool(name: str) -> str:
    """pg_dump / pg_restore: from ``PGBIN`` if set (to match the server's version), else the PATH."""
    folder = os.environ.get("PGBIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise AdvisorError.single(name, N_("{tool} was not found", tool=name),
                                  hint=N_("install the PostgreSQL client tools (apt-get install postgresql-client) or set PGBIN "
                                          "to their folder"))
    return found


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options of the configured database; the password travels in the environment, not argv."""
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise AdvisorError.single(what, N_("{tool} failed: {reason}", tool=Path(cmd[0]).name,
                                                    reason=done.stderr.strip() or done.returncode))


def backup(out: Path, db: dict[str, Any] | None = None) -> str:
    """Write the configured database to ``out`` (which must not exist); returns what kind of backup it is."""
    db = db or _database()
    if out.exists():
        raise AdvisorError.single(str(out), N_("the file exists; a backup never overwrites one"), hint=N_("name a new file"))
    if not out.parent.is_dir():
        raise AdvisorError.single(str(out), N_("its folder does not exist"))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if _is_sqlite(db):
            kind = "SQLite"
            source = Path(str(db["NAME"]))
            if not source.exists():
                raise AdvisorError.single(str(source), N_("the SQLite database does not exist"),
                                          hint=N_("run advisor web init first"))
            _sqlite_copy(source, tmp)
        else:
            kind = "PostgreSQL (pg_dump custom format)"
            args, env = _pg_env(db)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}", *args], env, "pg_dump")
        os.link(tmp, out)  # fails if ``out`` appeared meanwhile: never overwrites
    except FileExistsError:
        raise AdvisorError.single(str(out), N_("the file exists; a backup never overwrites one"),
                                  hint=N_("name a new file")) from None
    finally:
        tmp.unlink(missing_ok=True)
    return kind


def restore(source: Path, db: dict[str, Any] | None = None) -> str:
    """Load a backup into the configured database, which must be new (SQLite: no file yet; PostgreSQL: no tables)."""
    db = db or _database()
    if not source.is_file():
        raise AdvisorError.single(str(source), N_("no such backup file"))
    with source.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if _is_sqlite(db):
        if not head.startswith(SQLITE_MAGIC):
            raise AdvisorError.single(str(source), N_("not a SQLite backup"),
                                      hint=N_("the site runs on SQLite: restore a backup made by advisor web backup on SQLite "
                                              "(a PostgreSQL dump needs a PostgreSQL site)"))
        target = Path(str(db["NAME"]))
        if target.exists():
            raise AdvisorError.single(str(target), N_("the database exists; a restore never overwrites one"),
                                      hint=N_("point ADVISOR_DB_PATH (or ADVISOR_DATA_DIR) at a new location"))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.restoring")
        tmp.unlink(missing_ok=True)  # left by a restore that was interrupted
        try:
            _sqlite_copy(source, tmp)
            os.link(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return str(target)
    if not head.startswith(PG_MAGIC):
        raise AdvisorError.single(str(source), N_("not a PostgreSQL dump in pg_dump's custom format"),
                                  hint=N_("restore a backup made by advisor web backup on PostgreSQL"))
    if _has_tables(db):
        raise AdvisorError.single(str(db["NAME"]), N_("the database already holds tables; a restore never overwrites them"),
                                  hint=N_("create an empty database (createdb NAME) and point DATABASE_URL at it"))
    args, env = _pg_env(db)
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args, str(source)],
         env, "pg_restore")
    return str(db["NAME"])


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the site writes (``sqlite3 DB ".backup OUT"``)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _has_tables(db: dict[str, Any]) -> bool:
    import psycopg
    with psycopg.connect(dbname=db["NAME"], host=db.get("HOST") or None, port=db.get("PORT") or None,
                         user=db.get("USER") or None, password=db.get("PASSWORD") or None) as conn:
        row = conn.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchone()
    return bool(row and row[0])
