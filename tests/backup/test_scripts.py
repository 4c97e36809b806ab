"""scripts/backup.sh and scripts/restore.sh as an operator runs them: paths from where they are called,
the settings from the environment, a clear refusal and a non-zero exit when a restore cannot go on."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from imi_app.backup import database as stores
from tests.support import request_factories as r
from tests.support.backups import request_with_file

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / name), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_the_scripts_back_up_check_and_restore_once_and_then_refuse(database, target, tmp_path):
    w = r.build_world()
    request_with_file(w)
    backed_up = _script("backup.sh", "kept", cwd=tmp_path)
    assert backed_up.returncode == 0, backed_up.stderr
    (folder,) = (tmp_path / "kept").iterdir()
    relative = f"kept/{folder.name}"
    checked = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "imi_app.manage", "check-backup",
                              str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and "match the MANIFEST" in checked.stdout, checked.stderr

    restored = _script("restore.sh", relative, cwd=tmp_path, env=target.environment())
    assert restored.returncode == 0, restored.stderr
    assert stores.row_counts(target.url) == stores.row_counts(database)

    again = _script("restore.sh", relative, cwd=tmp_path, env=target.environment())
    assert again.returncode == 1
    assert "refusing to restore" in again.stderr and "nothing was changed" in again.stderr
    assert _script("restore.sh", cwd=tmp_path).returncode == 2
