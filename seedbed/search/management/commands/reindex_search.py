from django.core.management.base import BaseCommand

from seedbed.search.rebuild import rebuild_everything


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the tables: communities, posts and replies, events, "
        "member profiles, projects and offers (after a tokenizer or ranking change, or to "
        "repair drift)."
    )

    def handle(self, *args, **options) -> None:
        total = rebuild_everything(echo=self.stdout.write)
        self.stdout.write(f"Reindexed {total} documents.")
