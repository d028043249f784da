from django.core.management.base import BaseCommand, CommandError, CommandParser

from seedbed.engagement.tasks import RECONCILE_DAYS, refresh_engagement


class Command(BaseCommand):
    help = (
        "Queue the engagement refresh: points the live calls missed (reconciled over the last "
        "days), trust levels and badges. Idempotent; run it every 15 minutes from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="compute in this process instead of queueing"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=RECONCILE_DAYS,
            help="how many days of history to reconcile (0: all of it)",
        )

    def handle(self, *args, now: bool = False, days: int = RECONCILE_DAYS, **options) -> None:
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        window = days or None
        if now:
            result = refresh_engagement.call(days=window)
            self.stdout.write(
                f"{result['points']} points entries, {result['levels']} level changes, "
                f"{result['badges']} badges."
            )
            return
        queued = refresh_engagement.enqueue(days=window)
        self.stdout.write(f"Queued the engagement refresh (task {queued.id}).")
