"""Backup and restore of the whole site: the database and the uploaded files in one tar archive.

The archive holds ``manifest.json`` (format version, database vendor, applied migrations, row
counts per table, the SHA-256 of every other member), the database (SQLite: a copy made with
SQLite's online backup API, consistent while the site runs; PostgreSQL: ``pg_dump -Fc``) and
``media/`` (``MEDIA_ROOT``). Restore checks the whole archive before it touches anything, then
replaces the database in one step (SQLite's backup API, or ``pg_restore --single-transaction``)
and only then swaps the media folder in, so a refused or failed restore leaves the site as it
was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal worded for the operator, on one line."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from introspection)
            counts[table] = cursor.fetchone()[0]
    return counts


def table_checksums() -> dict[str, str]:
    """A digest of every table's rows in a stable order, to prove a round trip lost nothing."""
    sums = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            sums[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return sums


def applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        lines = (done.stderr or done.stdout or "").strip().splitlines()
        raise BackupError(f"{command[0]} failed: {lines[-1] if lines else done.returncode}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        _run(["pg_dump", "-Fc", "--no-owner", *args, "-f", str(target), name], env)
    else:
        raise BackupError(f"cannot back up a {connection.vendor} database")


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def create_backup(path: Path) -> dict[str, Any]:
    """Write the archive to ``path`` (through a temporary file, so a failed backup never
    leaves a truncated archive under the name) and return its manifest."""
    if connection.vendor not in DB_MEMBER:
        raise BackupError(f"cannot back up a {connection.vendor} database")
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"no such folder: {path.parent}")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="seedbed-backup-") as work:
        db_file = Path(work) / DB_MEMBER[connection.vendor]
        _dump_database(db_file)
        members = {db_file.name: _sha256(db_file)}
        files = list(_media_files(media))
        for file in files:
            members[f"media/{file.relative_to(media).as_posix()}"] = _sha256(file)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": applied_migrations(),
            "row_counts": row_counts(),
            "members": members,
        }
        manifest_file = Path(work) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(manifest_file, MANIFEST)
            archive.add(db_file, db_file.name)
            for file in files:
                archive.add(file, f"media/{file.relative_to(media).as_posix()}")
        partial.replace(path)
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
        raise BackupError("not a Seedbed backup: its manifest is missing or unreadable")
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


def _check_compatible(manifest: dict[str, Any]) -> None:
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"this backup is of a {manifest.get('vendor')} database; this site uses "
            f"{connection.vendor}"
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(
        f"{a}.{n}" for a, n in manifest.get("migrations", []) if f"{a}.{n}" not in known
    )
    if unknown:
        raise BackupError(
            f"this backup comes from newer code ({len(unknown)} unknown migrations, first "
            f"{unknown[0]}): upgrade before restoring"
        )


@contextmanager
def _checked_archive(path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Unpack into a temporary folder and prove every member against the manifest."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with tempfile.TemporaryDirectory(prefix="seedbed-restore-") as work:
        try:
            with tarfile.open(path, "r") as archive:
                manifest = _read_manifest(archive)
                _check_compatible(manifest)
                names = {m.name for m in archive.getmembers()} - {MANIFEST}
                if names != set(manifest["members"]):
                    raise BackupError("the archive's files differ from its manifest")
                archive.extractall(work, filter="data")
        except tarfile.ReadError:
            raise BackupError("the archive is damaged: it is not a readable tar file") from None
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"the archive is damaged: {exc}") from None
        root = Path(work)
        for name, digest in manifest["members"].items():
            if _sha256(root / name) != digest:
                raise BackupError(f"the archive is damaged: {name} fails its checksum")
        if DB_MEMBER[connection.vendor] not in manifest["members"]:
            raise BackupError("the archive holds no database")
        yield manifest, root


def _restore_database(source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    else:
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                *args,
                "-d",
                name,
                str(source),
            ],
            env,
        )


def _swap_media(source: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
    if source.is_dir():
        shutil.copytree(source, incoming, dirs_exist_ok=True)
    old = media.with_name(media.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        media.replace(old)
    incoming.replace(media)
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(path: Path) -> dict[str, Any]:
    """Replace the database and media with the archive's, or refuse and change nothing."""
    with _checked_archive(path.resolve()) as (manifest, root):
        _restore_database(root / DB_MEMBER[connection.vendor])
        counts = row_counts()
        expected = manifest.get("row_counts", {})
        differing = sorted(t for t, n in expected.items() if counts.get(t) != n)
        if differing:
            raise BackupError(f"restored row counts differ from the backup's: {differing[0]}")
        _swap_media(root / "media")
    return manifest
