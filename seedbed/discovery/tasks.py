"""Background work: the refresh of stored suggestions and the evaluation the operator page
reads. Pages never fit a model; these tasks do and store what they found."""

from django_tasks import task

from seedbed.discovery import evaluation, refresh


@task()
def refresh_recommendations() -> int:
    """Everyone's suggestions (cron, daily), then the evaluation table; returns rows stored."""
    stored = refresh.refresh()
    evaluation.evaluate_and_store()
    return stored


@task()
def refresh_member_recommendations(member_id: int) -> int:
    """One member's suggestions: after onboarding (cold start from declared interests) and
    after a burst of their activity."""
    return refresh.refresh([member_id])
