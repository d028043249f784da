import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seedbed.demo.accounts import DEMO_MEMBER_EMAIL, DEMO_OPERATOR_EMAIL, DEMO_PASSWORD
from seedbed.demo.loader import load_demo


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"--members must be a whole number, not {value!r}") from None
    if not 1 <= number <= 1_000_000:
        raise CommandError("--members must be between 1 and 1,000,000")
    return number


class Command(BaseCommand):
    help = "Load the bilingual demo community into an empty database (does nothing if loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=str, default="200", help="how many members (200)")
        parser.add_argument("--seed", type=int, default=7, help="random seed (7)")

    def handle(self, *args, members: str, seed: int, **options) -> None:
        count = positive(members)
        started = time.perf_counter()
        if not load_demo(count, seed, echo=self.stdout.write):
            self.stdout.write("The demo data is already loaded; nothing to do.")
            return
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        self.stdout.write(
            f"  Log in as {DEMO_MEMBER_EMAIL} or {DEMO_OPERATOR_EMAIL}, password {DEMO_PASSWORD}"
        )
