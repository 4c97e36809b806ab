"""Making a backup folder, and restoring one into an empty installation.

A backup is built in a hidden `.partial` folder beside its final name and renamed once its MANIFEST
is written, so a folder without the prefix is always complete. The attachments are copied before
and after the database: a file is written before its row commits and removed only after its
deletion commits, so every file the copied database names is present in one of the two passes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from imi_app.backup import database
from imi_app.backup.files import BackupError, copy_private, fsync_dir, private_dir, verify, write_manifest
from imi_app.core import db
from imi_app.core.settings import get_settings

ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class Done:
    folder: Path
    manifest: dict
    seconds: float


@contextmanager
def _private_umask():
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _copy_one(source: Path, target: Path, name: str) -> bool:
    """Copies one attachment file; False if it is gone (removed meanwhile)."""
    try:
        copy_private(source / name, target / name)
    except FileNotFoundError:
        (target / name).unlink(missing_ok=True)
        return False
    return True


def _copy_attachments(source: Path, target: Path) -> set[str]:
    """The first pass: every file of the attachments folder as it is now; returns the names copied."""
    if not source.is_dir():
        return set()
    return {path.name for path in sorted(source.iterdir()) if path.is_file() and _copy_one(source, target, path.name)}


def _settle_attachments(source: Path, target: Path, copied: set[str], wanted: dict[str, int]) -> None:
    """The second pass: exactly the files the copied database names, each of the size it recorded. A file
    written after the first pass, or copied while it was still being written, is copied (again) now."""
    for name in copied - set(wanted):
        (target / name).unlink()
    for name, size in wanted.items():
        if name in copied and (target / name).stat().st_size == size:
            continue
        (target / name).unlink(missing_ok=True)
        if not _copy_one(source, target, name) or (target / name).stat().st_size != size:
            raise BackupError(f"the attachment file {name} was removed or changed while the backup ran "
                              "(its deletion was committed meanwhile): run the backup again")


def make_backup(parent: Path) -> Done:
    """A new backup folder under `parent`: the database, the attachments and the MANIFEST; never `.env`."""
    started = time.monotonic()
    settings = get_settings()
    url = settings.database_url
    now = datetime.now(UTC)
    name = f"imi-backup-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
    with _private_umask():
        private_dir(parent)
        staging = private_dir(parent / f".{name}.partial", new=True)
        try:
            files = private_dir(staging / ATTACHMENTS, new=True)
            copied = _copy_attachments(settings.attachment_dir, files)
            if database.is_sqlite(url):
                snapshot = database.backup_sqlite(url, staging / database.SQLITE_FILE)
            else:
                snapshot = database.backup_postgres(url, staging / database.POSTGRES_FILE)
            _settle_attachments(settings.attachment_dir, files, copied, snapshot.attachments)
            manifest = write_manifest(staging, {
                "created_at": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "database": "sqlite" if database.is_sqlite(url) else "postgresql",
                "alembic_revision": snapshot.revision,
                "row_counts": snapshot.row_counts,
            })
            fsync_dir(staging)
            folder = parent / name
            staging.rename(folder)
            fsync_dir(parent)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return Done(folder, manifest, time.monotonic() - started)


# --- restore -----------------------------------------------------------------------------------

def _known_revision(revision: object) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if not isinstance(revision, str) or not revision:
        return False
    try:
        return ScriptDirectory.from_config(db.alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _refuse_unless_empty(url: str, attachment_dir: Path) -> None:
    if not database.is_empty(url):
        where = database.sqlite_path(url) if database.is_sqlite(url) else "the database of IMI_DATABASE_URL"
        raise BackupError(f"refusing to restore: {where} is not empty. Restore only into a new, empty database "
                          "(nothing was changed)")
    if attachment_dir.exists() and any(attachment_dir.iterdir()):
        raise BackupError(f"refusing to restore: the attachments folder {attachment_dir} is not empty "
                          "(nothing was changed)")


def _compare_counts(url: str, expected: dict[str, int]) -> None:
    found = database.row_counts(url)
    wrong = sorted(t for t in set(expected) | set(found) if expected.get(t) != found.get(t))
    if wrong:
        details = ", ".join(f"{t}: {found.get(t)} instead of {expected.get(t)}" for t in wrong[:5])
        raise BackupError(f"the restored database does not hold the rows of the MANIFEST ({details})")


def _migrate(url: str, revision: str) -> bool:
    from alembic.script import ScriptDirectory

    if revision == ScriptDirectory.from_config(db.alembic_config()).get_current_head():
        return False
    try:
        db.migrate(url)
    finally:
        engine = db._ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()
    return True


def _copy_checked(backup: Path, name: str, target: Path, manifest: dict) -> None:
    """Copies a file of the backup and checks the copy against the manifest once more (the copy is what counts)."""
    entry = next(entry for entry in manifest["files"] if entry["path"] == name)
    if copy_private(backup / name, target) != (entry["sha256"], entry["size"]):
        raise BackupError(f"{name} changed while it was restored: check the backup's storage and try again")


def _restore_sqlite(backup: Path, manifest: dict, url: str) -> bool:
    """Restores into a hidden file beside the target, checks and migrates it there, then links it into place."""
    target = database.sqlite_path(url).resolve()
    private_dir(target.parent)
    staged = target.parent / f".{target.name}.restoring-{secrets.token_hex(4)}"
    try:
        _copy_checked(backup, database.SQLITE_FILE, staged, manifest)
        database.check_sqlite(staged)
        staged_url = f"sqlite:///{staged}"
        _compare_counts(staged_url, manifest["row_counts"])
        migrated = _migrate(staged_url, manifest["alembic_revision"])
        database.single_file(staged)
        if target.exists():  # a file without tables: checked by the caller
            target.unlink()
        try:
            os.link(staged, target)  # unlike a rename, never replaces a database that appeared meanwhile
        except FileExistsError:
            raise BackupError(f"refusing to restore: {target} appeared while the restore ran (nothing was "
                              "changed)") from None
        fsync_dir(target.parent)
    finally:
        for leftover in staged.parent.glob(f"{staged.name}*"):
            leftover.unlink()
    return migrated


def _restore_postgres(backup: Path, manifest: dict, url: str) -> bool:
    database.restore_postgres(backup / database.POSTGRES_FILE, url)
    _compare_counts(url, manifest["row_counts"])
    return _migrate(url, manifest["alembic_revision"])


def _stage_attachments(backup: Path, manifest: dict, attachment_dir: Path) -> Path:
    """The backup's attachments, each checked, in a hidden folder beside the attachments folder."""
    staged = private_dir(attachment_dir.parent / f".{attachment_dir.name}.restoring-{secrets.token_hex(4)}",
                         new=True)
    for path in sorted((backup / ATTACHMENTS).iterdir()) if (backup / ATTACHMENTS).is_dir() else []:
        _copy_checked(backup, f"{ATTACHMENTS}/{path.name}", staged / path.name, manifest)
    return staged


def _place_attachments(staged: Path, attachment_dir: Path) -> None:
    if attachment_dir.exists():
        attachment_dir.rmdir()  # empty, checked before; rmdir refuses a folder that is not
    staged.rename(attachment_dir)
    fsync_dir(attachment_dir.parent)


def restore_backup(backup: Path) -> Done:
    """Restores `backup` into the configured, empty database and attachments folder.

    Refuses, changing nothing, when a file of the backup is missing, extra or damaged, when the copy is
    of a newer schema than this code knows, or when the database or the attachments folder is not empty.
    """
    started = time.monotonic()
    settings = get_settings()
    url = settings.database_url
    manifest = verify(backup)
    kind = "sqlite" if database.is_sqlite(url) else "postgresql"
    if manifest.get("database") != kind:
        raise BackupError(f"the backup is of a {manifest.get('database')} database, IMI_DATABASE_URL names "
                          f"a {kind} one (nothing was changed)")
    if not _known_revision(manifest["alembic_revision"]):
        raise BackupError(f"the backup's schema revision {manifest['alembic_revision']} is unknown to this "
                          "version of IMI: restore it with the version that made it, or a newer one")
    _refuse_unless_empty(url, settings.attachment_dir)
    with _private_umask():
        private_dir(settings.data_dir)
        staged = _stage_attachments(backup, manifest, settings.attachment_dir)
        try:
            migrated = (_restore_sqlite if kind == "sqlite" else _restore_postgres)(backup, manifest, url)
            _place_attachments(staged, settings.attachment_dir)
        finally:
            shutil.rmtree(staged, ignore_errors=True)  # gone already once placed
    return Done(backup, {**manifest, "migrated": migrated}, time.monotonic() - started)
