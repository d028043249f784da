import pytest
from django.test import override_settings

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(scope="module", autouse=True)
def _module_demo_refreshes_wait_in_the_queue():
    """The modules load the demo once, outside any test's transaction, so its queued refreshes
    would be stored for good and seen by later tests: they go to a queue that keeps nothing."""
    with override_settings(TASKS=DUMMY_TASKS):
        yield


@pytest.fixture(autouse=True)
def _demo_refreshes_wait_in_the_queue(_test_settings, settings):
    """Loading the demo queues the suggestions, Insights and analyses refreshes for the worker;
    their own tests run them, so here they stay queued instead of running inline."""
    settings.TASKS = DUMMY_TASKS
