"""The `seedbed` command: Django's manage.py with short names for everyday work.

seedbed serve [ADDR:PORT]   run the web server (default 127.0.0.1:8000)
seedbed worker              run the background-task worker
seedbed demo [--members N]  load the demo community into an empty database
seedbed createoperator      create a staff member who sees the operator pages
seedbed engine ...          engine tools on CSV files (no database needed)
seedbed <manage.py command> anything else goes to Django (migrate, shell, ...)
"""

import os
import sys

ALIASES = {"serve": "runserver", "worker": "db_worker"}


def manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedbed.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "engine":
        from seedbed.engine.cli import main as engine_main

        return engine_main(args[1:])
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    return manage(["seedbed", *args])


if __name__ == "__main__":
    sys.exit(main())
