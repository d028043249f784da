"""Background work of the analyses: sentiment after each post, reply or edit; the member graph,
the forecasts and the turnout forecasts on a schedule (``seedbed refresh_analyses``). Pages
only read what these store."""

from __future__ import annotations

from django_tasks import task


@task()
def score_sentiment() -> int:
    """Score new and edited posts and replies, then alert on communities whose day turned
    negative; returns how many were scored."""
    from seedbed.insights import analysis_sentiment

    scored = analysis_sentiment.score_new_content()
    analysis_sentiment.alert_on_negative_days()
    return scored


@task()
def refresh_structure() -> int:
    """The member graph of every active community and of the platform; returns the scopes."""
    from seedbed.insights import analysis_structure

    return analysis_structure.refresh_all()


@task()
def refresh_forecasts() -> int:
    from seedbed.insights import analysis_forecasts

    return analysis_forecasts.refresh_all()


@task()
def refresh_turnout() -> int:
    """Expected attendance of upcoming events; returns how many events were forecast."""
    from seedbed.insights import analysis_turnout

    return analysis_turnout.refresh_turnout()


@task()
def refresh_analyses() -> dict[str, int]:
    """Everything the analysis pages read, refreshed in one run (the schedule's entry point)."""
    return {
        "sentiment": score_sentiment.call(),
        "structure": refresh_structure.call(),
        "forecasts": refresh_forecasts.call(),
        "turnout": refresh_turnout.call(),
    }
