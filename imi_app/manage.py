"""Administrative commands: `python -m imi_app.manage migrate` brings the database schema up to date."""

from __future__ import annotations

import argparse

from imi_app.core.db import migrate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m imi_app.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the migrations to the database of the settings (IMI_DATABASE_URL)")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
        print("database schema up to date")


if __name__ == "__main__":
    main()
