"""Backups that restore (REL-5): a consistent copy of the database and the attachments with a manifest,
and a restore that checks the manifest, refuses a non-empty target and migrates an older copy.

`python -m imi_app.manage backup` and `restore` (scripts/backup.sh, scripts/restore.sh) call
`archive.make_backup` and `archive.restore_backup`; docs/BACKUP.md says what is and is not copied.
"""
