from django.core.management.base import BaseCommand, CommandParser

from seedbed.insights.tasks_analysis import refresh_analyses


class Command(BaseCommand):
    help = (
        "Refresh what the sentiment, structure, forecast and turnout views read: score new and "
        "edited posts, rebuild the member graphs, refit the forecasts and forecast the turnout "
        "of upcoming events. Run it hourly from cron; the worker does the work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="run it in this process instead of queueing"
        )

    def handle(self, *args, now: bool = False, **options) -> None:
        if now:
            done = refresh_analyses.call()
            self.stdout.write(
                "Scored {sentiment} posts and replies; analysed {structure} member graphs; "
                "forecast {forecasts} scopes and {turnout} events.".format(**done)
            )
            return
        result = refresh_analyses.enqueue()
        self.stdout.write(f"Queued the analyses refresh (task {result.id}).")
