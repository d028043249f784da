from django.core.management.base import BaseCommand, CommandParser

from seedbed.insights.tasks import send_insights_report


class Command(BaseCommand):
    help = (
        "Queue the weekly Insights e-mail to every operator (movers, members at risk, mood). "
        "Run it weekly from cron; each operator gets at most one report a week however often "
        "it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="send in this process instead of queueing"
        )

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            sent = send_insights_report.call()
            self.stdout.write(f"Sent {sent} Insights reports.")
            return
        queued = send_insights_report.enqueue()
        self.stdout.write(f"Queued the weekly Insights reports (task {queued.id}).")
