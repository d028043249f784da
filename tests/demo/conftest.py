import pytest


@pytest.fixture(autouse=True)
def _demo_refreshes_wait_in_the_queue(_test_settings, settings):
    """Loading the demo queues the suggestions, Insights and analyses refreshes for the worker;
    their own tests run them, so here they stay queued instead of running inline."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
