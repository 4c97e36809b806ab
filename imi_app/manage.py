"""Administrative commands.

- `python -m imi_app.manage migrate` brings the database schema up to date.
- `python -m imi_app.manage backup [FOLDER]` writes a new backup folder under FOLDER (default `backups`);
  `python -m imi_app.manage restore BACKUP` restores one into an empty installation, and
  `python -m imi_app.manage check-backup BACKUP` checks its files against its MANIFEST (docs/BACKUP.md).
- `python -m imi_app.manage nginx-config --frontend DIR --backend 127.0.0.1:8001 --backend 127.0.0.1:8002`
  prints the nginx site for a larger installation (deploy/nginx/imi.conf with its values filled in).
- `python -m imi_app.manage figures [--fix]` derives every request's scoreboard figures from its timeline again,
  reports each difference from the stored ones and, with --fix, repairs them (exit code 1: differences left).
- `python -m imi_app.manage retention [--dry-run]` blocks and deletes the personal data whose period has passed
  and deletes expired drafts (requests.retention; the app runs it daily); --dry-run lists what it would do.
- `python -m imi_app.manage area-retention CODE [--block MONTHS] [--delete MONTHS]` gives a legislative area
  its own periods where its law asks for longer ones; without either option the area takes the installation's.
- `python -m imi_app.manage verify-audit` checks the audit log's hash chain: OK, or the id of the first entry
  whose hash does not follow (exit code 1). A changed entry is named itself, a deleted one by the entry after it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from imi_app.backup.archive import make_backup, restore_backup
from imi_app.backup.files import BackupError, verify
from imi_app.core.db import migrate
from imi_app.core.settings import get_settings
from imi_app.requests.attachments import upload_body_limit

NGINX_TEMPLATE = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "imi.conf"


def nginx_config(*, frontend: str, backends: list[str], listen: str = "80", server_name: str | None = None) -> str:
    """The nginx site: static files from `frontend`, the event socket and HTTP routes to `backends`."""
    settings = get_settings()
    values = dict(
        BACKENDS="\n".join(f"    server {backend} max_fails=1 fail_timeout=5s;" for backend in backends),
        LISTEN=listen,
        SERVER_NAME=server_name or urlsplit(settings.public_url).hostname or "_",
        FRONTEND=str(Path(frontend).resolve()),
        BODY_LIMIT=str(upload_body_limit()),  # the same limit as the app's upload guard
    )
    site = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        site = site.replace("{{" + name + "}}", value)
    return site


def _backup_or_restore(args: argparse.Namespace) -> None:
    if args.command == "backup":
        done = make_backup(Path(args.folder))
        counts = done.manifest["row_counts"]
        print(f"backup written to {done.folder} in {done.seconds:.2f} s: {len(done.manifest['files'])} files, "
              f"{counts.get('info_request', 0)} requests, {counts.get('user', 0)} users, revision "
              f"{done.manifest['alembic_revision']}. Keep .env (the secrets) safe and apart from it.")
    elif args.command == "check-backup":
        manifest = verify(Path(args.backup))
        print(f"{args.backup}: all {len(manifest['files'])} files match the MANIFEST (made {manifest['created_at']}, "
              f"revision {manifest['alembic_revision']})")
    else:
        done = restore_backup(Path(args.backup))
        note = ", then migrated to the current schema" if done.manifest["migrated"] else ""
        print(f"restored {done.folder} (made {done.manifest['created_at']}) in {done.seconds:.2f} s: manifest, "
              f"integrity and row counts checked{note}. Start the app with the .env of the backed-up installation.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m imi_app.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the migrations to the database of the settings (IMI_DATABASE_URL)")
    backup = commands.add_parser("backup", help="write a consistent backup of the database and the attachments")
    backup.add_argument("folder", nargs="?", default="backups", help="where the new backup folder goes")
    restore = commands.add_parser("restore", help="restore a backup into an empty database and data folder")
    restore.add_argument("backup", help="the backup folder (the one holding MANIFEST)")
    check = commands.add_parser("check-backup", help="check a backup's files against its MANIFEST, change nothing")
    check.add_argument("backup", help="the backup folder (the one holding MANIFEST)")
    site = commands.add_parser("nginx-config", help="print the nginx site for the frontend and backend workers")
    site.add_argument("--frontend", required=True, help="the exported frontend (the build's client folder)")
    site.add_argument("--backend", action="append", required=True, help="host:port of a worker; repeat per worker")
    site.add_argument("--listen", default="80", help="nginx's listen parameter (default 80)")
    site.add_argument("--server-name", default=None, help="default: the host of IMI_PUBLIC_URL")
    figures = commands.add_parser("figures", help="check the scoreboard figures against the timelines")
    figures.add_argument("--fix", action="store_true", help="write the figures derived from the timelines")
    commands.add_parser("verify-audit", help="check the audit log's hash chain, change nothing")
    retention = commands.add_parser("retention", help="block and delete personal data whose period has passed")
    retention.add_argument("--dry-run", action="store_true", help="print what a run would do now, change nothing")
    periods = commands.add_parser("area-retention", help="a legislative area's own blocking and deletion periods")
    periods.add_argument("code", help="the area's code, e.g. professional_qualifications")
    periods.add_argument("--block", type=int, default=None, help="months after closure (at most 18)")
    periods.add_argument("--delete", type=int, default=None, help="months after closure")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
        print("database schema up to date")
    elif args.command in ("backup", "restore", "check-backup"):
        try:
            _backup_or_restore(args)
        except BackupError as error:
            print(f"{args.command}: {error}", file=sys.stderr)
            raise SystemExit(1) from None
    elif args.command == "nginx-config":
        print(nginx_config(frontend=args.frontend, backends=args.backend, listen=args.listen,
                           server_name=args.server_name), end="")
    elif args.command == "figures":
        raise SystemExit(check_figures(fix=args.fix))
    elif args.command == "verify-audit":
        raise SystemExit(verify_audit())
    elif args.command == "retention":
        retention_run(dry_run=args.dry_run)
    elif args.command == "area-retention":
        raise SystemExit(area_retention(args.code, block=args.block, delete=args.delete))


RETENTION_PHASES = (("drafts_warned", "drafts whose authors {} warned"), ("drafts_deleted", "drafts {} deleted"),
                    ("blocked", "requests whose personal data {} blocked"),
                    ("deleted", "requests whose personal data {} deleted"))


def retention_run(*, dry_run: bool) -> None:
    from imi_app import schema  # noqa: F401 - registers the tables
    from imi_app.requests.retention import run_retention

    report = run_retention(dry_run=dry_run)
    would = "would be " if dry_run else ""
    for name, label in RETENTION_PHASES:
        cases = report.case_ids.get(name, [])
        listed = ", ".join(cases[:20]) + (f" and {len(cases) - 20} more" if len(cases) > 20 else "")
        print(f"{len(cases)} {label.format('would be' if dry_run else 'were')}" + (f": {listed}" if cases else ""))
    print(f"{report.mails_deleted} sent mails {would}deleted, {report.files_removed} attachment files {would}removed"
          + ("" if dry_run else f", {report.reports_sent} monthly reports queued"))
    if dry_run:
        print("dry run: nothing was changed")


def area_retention(code: str, *, block: int | None, delete: int | None) -> int:
    from imi_app import schema  # noqa: F401 - registers the tables
    from imi_app.core.db import session_scope
    from imi_app.requests.retention import set_area_periods

    settings = get_settings()
    try:
        with session_scope() as session:
            set_area_periods(session, code, block_months=block, delete_months=delete)
    except ValueError as error:
        print(f"area-retention: {error}", file=sys.stderr)
        return 1
    print(f"{code}: personal data blocked {block or settings.retention_block_months} and deleted "
          f"{delete or settings.retention_delete_months} months after closure"
          + ("" if block or delete else " (the installation's periods)"))
    return 0


def verify_audit() -> int:
    from imi_app.core.audit import verify_chain
    from imi_app.core.db import session_scope

    with session_scope(read_only=True) as session:
        broken, checked = verify_chain(session)
    if broken is None:
        print(f"audit log OK: {checked} entries, the hash chain holds")
        return 0
    print(f"audit log broken: entry {broken} does not follow from the entry before it "
          "(changed, or an entry before it was removed)", file=sys.stderr)
    return 1


def check_figures(*, fix: bool) -> int:
    from imi_app import schema  # noqa: F401 - registers the tables
    from imi_app.core.db import session_scope
    from imi_app.requests.figures import rebuild

    with session_scope() as session:
        differences = rebuild(session, fix=fix)
    for d in differences[:50]:
        print(f"request {d.request_id}: {d.field} stored {d.stored!r}, timeline says {d.derived!r}")
    requests = len({d.request_id for d in differences})
    print(f"{requests} request(s) differ from their timeline" + (", now repaired" if fix and requests else ""))
    return 1 if differences and not fix else 0


if __name__ == "__main__":
    main()
