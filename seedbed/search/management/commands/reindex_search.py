from django.core.management.base import BaseCommand

from seedbed.search.services import reindex_all


class Command(BaseCommand):
    help = "Recompute the search index text of every document (after a tokenizer change)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Reindexed {reindex_all()} documents.")
