from django.core.management.base import BaseCommand, CommandParser

from seedbed.events.tasks import send_due_reminders, send_seat_mails


class Command(BaseCommand):
    help = (
        "Queue the event reminders that are due (24 hours and 1 hour before the start) and any "
        "seat mail a crash left unsent. Run it every five minutes from cron; the worker sends "
        "them, each at most once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="send them in this process instead of queueing"
        )

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            sent, seats = send_due_reminders.call(), send_seat_mails.call()
            self.stdout.write(f"Sent {sent} reminders and {seats} seat mails.")
            return
        result = send_due_reminders.enqueue()
        send_seat_mails.enqueue()
        self.stdout.write(f"Queued the due reminders (task {result.id}).")
