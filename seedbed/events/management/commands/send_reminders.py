from django.core.management.base import BaseCommand, CommandParser

from seedbed.events.tasks import send_due_reminders


class Command(BaseCommand):
    help = (
        "Queue the event reminders that are due (24 hours and 1 hour before the start). Run it "
        "every five minutes from cron; the worker sends them, each at most once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="send them in this process instead of queueing"
        )

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            sent = send_due_reminders.call()
            self.stdout.write(f"Sent {sent} reminders.")
            return
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Queued the due reminders (task {result.id}).")
