from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seedbed.matching.encryption import reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first of FIELD_ENCRYPTION_KEYS (key "
        "rotation: put the new key first, run this, then drop the old key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options) -> None:
        try:
            counts = reencrypt_all(batch_size=batch_size)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(f"Done: {sum(counts.values())} values now use the first key.")
