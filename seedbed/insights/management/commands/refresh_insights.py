from django.core.management.base import BaseCommand, CommandParser

from seedbed.insights.tasks import refresh_insights


class Command(BaseCommand):
    help = (
        "Queue the Insights refresh: engagement levels, churn risk and daily figures for every "
        "community and the platform. Run it hourly or nightly from cron; the worker computes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="compute in this process instead of queueing"
        )

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            result = refresh_insights.call()
            self.stdout.write(
                f"Refreshed {result['scopes']} scopes ({result['rows']} rows) "
                f"in {result['seconds']} s."
            )
            return
        queued = refresh_insights.enqueue()
        self.stdout.write(f"Queued the Insights refresh (task {queued.id}).")
