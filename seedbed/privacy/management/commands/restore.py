from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seedbed.privacy.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and uploaded files with a backup's. The whole archive is checked "
        "first; a refused restore changes nothing."
    )

    #: A backup or restore must run even while the site's checks warn (restoring is how one
    #: recovers from a bad state), and its output stays one line.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="an archive written by `seedbed backup`")

    def handle(self, *args, path: str, **options) -> None:
        try:
            manifest = restore_backup(Path(path))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc).splitlines()[0]) from None
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"restored {manifest['vendor']} backup of {manifest['created_at']}: {rows} rows"
        )
