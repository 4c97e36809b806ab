"""Backups that restore (REL-5): taken while requests are being worked on, checked before restoring,
only into an empty installation, never with the secrets, and signed into afterwards."""

from __future__ import annotations

import json
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import select

from imi_app.accounts import auth
from imi_app.backup import archive
from imi_app.backup import database as stores
from imi_app.backup.archive import ATTACHMENTS, make_backup, restore_backup
from imi_app.backup.files import MANIFEST, BackupError, read_manifest
from imi_app.core import db
from imi_app.core.settings import get_settings
from imi_app.requests import actions as rq
from imi_app.requests import service
from imi_app.requests.models import Attachment, InfoRequest
from tests.support.backups import NOTE, forget, fresh_database, request_with_file
from tests.conftest import TEST_SECRETS
from tests.support import factories as f
from tests.support import request_factories as r


def _restored_versions(url: str) -> dict[int, int]:
    with db.get_engine(url).connect() as connection:
        return dict(connection.execute(select(InfoRequest.id, InfoRequest.version)).all())


def _backup_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- (1) consistent while a writer commits ---------------------------------------------------------

def test_a_backup_taken_while_requests_are_worked_on_restores_every_step_acknowledged_before_it(
        database, target, tmp_path):
    w = r.build_world()
    acknowledged: list[tuple[int, int]] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                request_id = request_with_file(w)  # saved, file attached and sent: one action
                acknowledged.append((request_id, r.load(request_id).version))
                done = r.step(rq.accept, w.b_handler, request_id)
                acknowledged.append((request_id, done.version))
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(acknowledged) < 6 and thread.is_alive():
            time.sleep(0.05)
        before = list(acknowledged)
        done = make_backup(tmp_path / "backups")
        during = len(acknowledged) - len(before)
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join()
    assert not failures, failures
    assert len(acknowledged) > len(before), "the writer kept committing after the backup began"

    target.use()
    restored = restore_backup(done.folder)
    versions = _restored_versions(target.url)
    missing = [(rid, version) for rid, version in before if versions.get(rid, -1) < version]
    assert missing == [], f"acknowledged steps missing from the restored copy ({during} committed meanwhile)"
    assert restored.manifest["row_counts"] == stores.row_counts(target.url)
    with db.get_engine(target.url).connect() as connection:
        stored = dict(connection.execute(select(Attachment.stored_name, Attachment.size)).all())
        if stores.is_sqlite(target.url):
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    files = get_settings().attachment_dir
    assert {p.name: p.stat().st_size for p in files.iterdir()} == stored
    assert all((files / name).read_bytes() == NOTE for name in stored)
    restored_files = [*files.iterdir()] + ([stores.sqlite_path(target.url)] if stores.is_sqlite(target.url) else [])
    assert {stat.S_IMODE(p.stat().st_mode) for p in restored_files} == {0o600}
    assert stat.S_IMODE(files.stat().st_mode) == 0o700


def test_the_backup_folder_and_its_files_are_private_and_listed_in_the_manifest(database, tmp_path):
    w = r.build_world()
    request_with_file(w)
    done = make_backup(tmp_path / "backups")
    assert stat.S_IMODE(done.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((done.folder / ATTACHMENTS).stat().st_mode) == 0o700
    files = _backup_files(done.folder)
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    manifest = read_manifest(done.folder)
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed | {MANIFEST} == {p.relative_to(done.folder).as_posix() for p in files}
    assert manifest["alembic_revision"] and manifest["created_at"].endswith("Z")
    assert manifest["row_counts"]["info_request"] == 1 and manifest["row_counts"]["attachment"] == 1
    assert [p.name for p in done.folder.parent.iterdir()] == [done.folder.name]  # no partial folder left


def _around_the_database_copy(monkeypatch, before, after) -> None:
    """Runs `before()` after the first pass over the attachments, `after()` once the database is copied."""
    for name in ("backup_sqlite", "backup_postgres"):
        def copied(url, target_file, real=getattr(stores, name)):
            before()
            snapshot = real(url, target_file)
            after()
            return snapshot
        monkeypatch.setattr(stores, name, copied)


def test_a_file_copied_while_it_was_still_being_written_is_copied_again_whole(database, tmp_path, monkeypatch):
    w = r.build_world()
    request_with_file(w)
    real_copy = archive.copy_private
    halves: list[str] = []

    def copy_half_the_first_time(source: Path, target_file: Path):
        if source.name not in halves:  # the first pass meets the file before its writer finished
            halves.append(source.name)
            target_file.write_bytes(source.read_bytes()[: len(NOTE) // 2])
            return None
        return real_copy(source, target_file)

    monkeypatch.setattr(archive, "copy_private", copy_half_the_first_time)
    folder = make_backup(tmp_path / "backups").folder
    assert [p.read_bytes() for p in (folder / ATTACHMENTS).iterdir()] == [NOTE]


def test_a_file_deleted_after_the_database_was_copied_fails_the_backup_and_leaves_no_folder(
        database, tmp_path, monkeypatch):
    w = r.build_world()
    live = get_settings().attachment_dir
    _around_the_database_copy(monkeypatch, lambda: request_with_file(w), lambda: [p.unlink() for p in live.iterdir()])
    with pytest.raises(BackupError, match="run the backup again"):
        make_backup(tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


# --- (2) a damaged or incomplete backup is refused -------------------------------------------------

def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _database_file(folder: Path) -> Path:
    return next(folder / name for name in (stores.SQLITE_FILE, stores.POSTGRES_FILE) if (folder / name).exists())


DAMAGES = {
    "database changed": lambda folder: (_flip_a_byte(_database_file(folder)), _database_file(folder).name),
    "attachment changed": lambda folder: (_flip_a_byte(next((folder / ATTACHMENTS).iterdir())),
                                          next((folder / ATTACHMENTS).iterdir()).name),
    "attachment missing": lambda folder: (lambda p: (p.unlink(), p.name))(next((folder / ATTACHMENTS).iterdir())),
    "extra file": lambda folder: ((folder / ATTACHMENTS / "planted").write_bytes(b"x"), "planted"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_or_incomplete_backup_is_refused_naming_the_file_and_the_target_is_untouched(
        database, target, tmp_path, damage):
    w = r.build_world()
    request_with_file(w)
    folder = make_backup(tmp_path / "backups").folder
    _, name = DAMAGES[damage](folder)
    target.use()
    with pytest.raises(BackupError, match=name):
        restore_backup(folder)
    assert target.is_untouched()


# SQLite only: PostgreSQL compares the counts after pg_restore has written (docs/BACKUP.md).
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_sqlite_copy_whose_rows_differ_from_its_manifest_is_refused_and_nothing_is_put_in_place(
        database, target, tmp_path):
    w = r.build_world()
    request_with_file(w)
    folder = make_backup(tmp_path / "backups").folder
    manifest = read_manifest(folder)
    manifest["row_counts"]["info_request"] += 1  # a request the copy lost
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target.use()
    with pytest.raises(BackupError, match="info_request: 1 instead of 2"):
        restore_backup(folder)
    assert stores.is_empty(target.url)
    assert list(target.data_dir.iterdir()) == []
    assert list(stores.sqlite_path(target.url).parent.iterdir()) == []


# --- (3) only into an empty installation ------------------------------------------------------------

def test_restoring_over_the_running_installation_is_refused_and_changes_nothing(database, tmp_path):
    w = r.build_world()
    request_id = request_with_file(w)
    folder = make_backup(tmp_path / "backups").folder
    r.step(rq.accept, w.b_handler, request_id)
    counts = stores.row_counts(get_settings().database_url)
    files = sorted(p.name for p in get_settings().attachment_dir.iterdir())
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(folder)
    assert stores.row_counts(get_settings().database_url) == counts
    assert r.load(request_id).status == "accepted"
    assert sorted(p.name for p in get_settings().attachment_dir.iterdir()) == files


def test_restoring_into_a_database_that_holds_data_is_refused_and_changes_nothing(database, target, tmp_path):
    w = r.build_world()
    request_with_file(w)
    folder = make_backup(tmp_path / "backups").folder
    target.use()
    db.migrate(target.url)
    f.authority("AT", name="Someone else's authority")
    counts = stores.row_counts(target.url)
    with pytest.raises(BackupError, match="is not empty"):
        restore_backup(folder)
    assert stores.row_counts(target.url) == counts
    assert not target.data_dir.exists()


def test_restoring_into_a_data_folder_that_holds_attachments_is_refused_and_changes_nothing(
        database, target, tmp_path):
    w = r.build_world()
    request_with_file(w)
    folder = make_backup(tmp_path / "backups").folder
    (target.data_dir / ATTACHMENTS).mkdir(parents=True)
    (target.data_dir / ATTACHMENTS / "someone-elses-file").write_bytes(b"keep me")
    target.use()
    with pytest.raises(BackupError, match="attachments folder .* is not empty"):
        restore_backup(folder)
    assert stores.is_empty(target.url)
    assert [p.name for p in (target.data_dir / ATTACHMENTS).iterdir()] == ["someone-elses-file"]


# --- (4) never the secrets --------------------------------------------------------------------------

def _readable(path: Path) -> bytes:
    """A file of the backup as text can be searched: a PostgreSQL dump's compressed data as its SQL."""
    if path.name == stores.POSTGRES_FILE:
        return subprocess.run(["pg_restore", "--file=-", str(path)], check=True, capture_output=True).stdout
    return path.read_bytes()


def test_the_backup_never_holds_the_secrets_of_env(database, tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text("".join(f"{k}={v}\n" for k, v in TEST_SECRETS.items()), encoding="utf-8")
    monkeypatch.chdir(project)
    w = r.build_world()
    request_with_file(w)
    auth.authenticate(w.a_handler.username, f.PASSWORD, f.chars_for(f.CODE, (2, 7, 11)))  # a session, a login
    folder = make_backup(tmp_path / "backups").folder
    contents = {p.relative_to(folder).as_posix(): _readable(p) for p in _backup_files(folder)}
    assert b"Dr. Kiss J" in contents[_database_file(folder).name]  # the search reaches the rows
    for name, text in contents.items():
        for secret in TEST_SECRETS.values():
            assert secret.encode() not in text, f"{name} holds a secret"
    assert ".env" not in {Path(name).name for name in contents}


# --- (5) the app works on the restored copy ------------------------------------------------------------

def test_a_user_signs_in_on_the_restored_copy_with_the_same_secrets_and_not_without_them(
        database, target, tmp_path, monkeypatch):
    w = r.build_world()
    request_id = request_with_file(w)
    folder = make_backup(tmp_path / "backups").folder
    target.use()
    restore_backup(folder)
    chars = f.chars_for(f.CODE, (2, 7, 11))
    result = auth.authenticate(w.a_handler.username, f.PASSWORD, chars)
    assert result.status == auth.OK
    user = auth.resolve_session(auth.redeem_ticket(result.ticket))
    assert user is not None and user.id == w.a_handler.id
    assert service.add_file(actor=user, request_id=r.new_request(w), filename="more.txt", data=NOTE).size == len(NOTE)
    assert r.load(request_id).status == "sent"

    monkeypatch.setenv("IMI_PASSWORD_PEPPER", "a-thief-does-not-have-the-pepper-0123456789")
    get_settings.cache_clear()
    assert auth.authenticate(w.a_handler2.username, f.PASSWORD, chars).status != auth.OK


def test_a_copy_of_a_schema_this_version_does_not_know_is_refused_and_the_target_is_untouched(
        database, target, tmp_path):
    folder = make_backup(tmp_path / "backups").folder
    manifest = read_manifest(folder)
    manifest["alembic_revision"] = "f00dfacef00d"  # made by a newer version of IMI
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target.use()
    with pytest.raises(BackupError, match="f00dfacef00d is unknown to this version"):
        restore_backup(folder)
    assert target.is_untouched()


def test_a_copy_of_an_older_schema_is_migrated_on_restore(database, target, tmp_path, monkeypatch):
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(db.alembic_config())
    older = scripts.get_revision(scripts.get_current_head()).down_revision
    source = fresh_database(tmp_path, database, "older")
    try:
        db.migrate(source, older)
        monkeypatch.setenv("IMI_DATABASE_URL", source)
        get_settings.cache_clear()
        done = make_backup(tmp_path / "backups")
        assert done.manifest["alembic_revision"] == older
        target.use()
        assert restore_backup(done.folder).manifest["migrated"] is True
    finally:
        forget(source)
    with db.get_engine(target.url).connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() \
            == scripts.get_current_head()
