"""The backup folder's files: private copies, their SHA-256, and the MANIFEST that lists them."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

MANIFEST = "MANIFEST"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def private_dir(path: Path, *, new: bool = False) -> Path:
    """The folder, made with mode 0700 if it is missing (a `new` one must be missing); an existing one keeps
    its mode: it is the operator's."""
    if new or not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700)
        path.chmod(0o700)
    return path


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def digest(path: Path) -> tuple[str, int]:
    """(SHA-256 in hex, size in bytes) of a file."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def copy_private(source: Path, target: Path) -> tuple[str, int]:
    """Copies `source` to a new file `target` (mode 0600, flushed to disk); returns the copy's digest."""
    sha, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
        while chunk := src.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return sha.hexdigest(), size


def listed_files(folder: Path) -> list[str]:
    """Every file below `folder` but the manifest, as sorted paths relative to it (with "/")."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if not path.is_dir() and path.relative_to(folder).as_posix() != MANIFEST)


def write_manifest(folder: Path, facts: dict) -> dict:
    """Writes MANIFEST last: `facts` and every file of the folder with its SHA-256 and size."""
    entries = []
    for name in listed_files(folder):
        sha, size = digest(folder / name)
        entries.append({"path": name, "sha256": sha, "size": size})
    manifest = {"format": FORMAT, **facts, "files": entries}
    fd = os.open(folder / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    return manifest


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"the {MANIFEST} of {folder} is not readable JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), list):
        raise BackupError(f"the {MANIFEST} of {folder} is not a manifest of format {FORMAT}")
    return manifest


def verify(folder: Path) -> dict:
    """The manifest, once every file it lists is there with its size and SHA-256 and no other file is."""
    if not folder.is_dir():
        raise BackupError(f"no backup folder at {folder}")
    manifest = read_manifest(folder)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    present = set(listed_files(folder))
    for name in sorted(set(listed) - present):
        raise BackupError(f"the backup is incomplete: {name} is listed in the {MANIFEST} but missing")
    for name in sorted(present - set(listed)):
        raise BackupError(f"the backup holds a file its {MANIFEST} does not list: {name}")
    for name, entry in sorted(listed.items()):
        sha, size = digest(folder / name)
        if (sha, size) != (entry["sha256"], entry["size"]):
            raise BackupError(f"the backup is damaged: {name} does not match its checksum in the {MANIFEST}")
    return manifest
