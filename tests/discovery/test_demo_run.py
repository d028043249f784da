"""A demo-sized run: the demo loader queues the suggestions at the end (computed here inline), for every kind, in a
time that suits a nightly job."""

import time

import pytest

from seedbed.accounts.models import User
from seedbed.demo.loader import load_demo
from seedbed.discovery.models import EvaluationRun, Kind, Recommendation
from seedbed.discovery.refresh import refresh


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_ends_with_suggestions_for_every_kind_and_a_refresh_is_quick(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # the worker's part, inline
        load_demo(members=80, echo=lambda _line: None)
    active = User.objects.filter(is_active=True).count()
    for kind in Kind.values:
        served = Recommendation.objects.filter(kind=kind).values("member").distinct().count()
        assert served >= 0.8 * active, kind
    assert EvaluationRun.objects.count() == 1
    started = time.perf_counter()
    refresh()
    assert time.perf_counter() - started < 60
