from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seedbed.privacy.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and uploaded files to one archive (tar) with a checked manifest."

    #: A backup or restore must run even while the site's checks warn (restoring is how one
    #: recovers from a bad state), and its output stays one line.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive to write, e.g. seedbed-2026-12-07.tar")

    def handle(self, *args, path: str, **options) -> None:
        try:
            manifest = create_backup(Path(path))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc).splitlines()[0]) from None
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"backed up {manifest['vendor']}: {rows} rows in {len(manifest['row_counts'])} "
            f"tables, {len(manifest['members']) - 1} media files → {path}"
        )
