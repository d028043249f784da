from django_tasks import task

from seedbed.matching import adapter, predictive


@task()
def refresh_match_scores() -> int:
    """Rescore all active projects against all active offers; returns the matches stored."""
    return adapter.refresh_matches()


@task()
def refit_models() -> int:
    """Fit the Models page's models on the platform's data and store them; returns the row."""
    return predictive.refit_models().pk
