from django.core.management.base import BaseCommand, CommandParser

from seedbed.discovery.tasks import refresh_recommendations


class Command(BaseCommand):
    help = (
        "Queue the refresh of every member's suggestions and the evaluation the operator page "
        "shows (run daily from cron; the worker does the work). --now runs it here instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here, without the worker")

    def handle(self, *args, now: bool, **options) -> None:
        if now:
            stored = refresh_recommendations.call()
            self.stdout.write(f"Stored {stored} suggestions.")
            return
        result = refresh_recommendations.enqueue()
        self.stdout.write(f"Queued the refresh of suggestions (task {result.id}).")
