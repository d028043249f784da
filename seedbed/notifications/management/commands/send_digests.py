from django.core.management.base import BaseCommand, CommandParser

from seedbed.notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Queue the e-mail digests (run daily and weekly from cron; the worker sends them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=["daily", "weekly"])

    def handle(self, *args, frequency: str, **options) -> None:
        result = send_digests.enqueue(frequency)
        self.stdout.write(f"Queued the {frequency} digests (task {result.id}).")
