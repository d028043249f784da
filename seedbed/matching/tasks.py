from django_tasks import task

from seedbed.matching import adapter


@task()
def refresh_match_scores() -> int:
    """Rescore all active projects against all active offers; returns the matches stored."""
    return adapter.refresh_matches()
