import pytest
from django.core.management import CommandError, call_command

from seedbed.accounts.models import MemberRole, Role, User
from seedbed.demo.accounts import DEMO_MEMBER_EMAIL, DEMO_OPERATOR_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        User.objects.order_by("email").values_list("email", "display_name", "city", "headline")
    )


def test_the_demo_loads_a_bilingual_community_with_every_role(client):
    call_command("demo", verbosity=0)
    assert User.objects.count() == 202
    roles = set(MemberRole.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    names = list(User.objects.values_list("display_name", flat=True))
    assert any("\u4e00" <= ch <= "\u9fff" for name in names for ch in name)
    assert any(name.isascii() for name in names)
    assert User.objects.filter(is_staff=True).count() >= 3
    assert client.login(email=DEMO_OPERATOR_EMAIL, password=DEMO_PASSWORD)
    assert client.login(email=DEMO_MEMBER_EMAIL, password=DEMO_PASSWORD)


def test_the_demo_queues_the_intelligence_and_engagement_refreshes_for_the_worker(
    django_capture_on_commit_callbacks,
):
    from django_tasks import default_task_backend
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # a run already waiting would be left to do the work
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", members="20", verbosity=0)
    queued = {result.task.name for result in default_task_backend.results}
    assert {
        "refresh_recommendations",
        "refresh_insights",
        "refresh_analyses",
        "refresh_engagement",
    } <= queued


def test_running_the_demo_twice_changes_nothing(capsys):
    call_command("demo", verbosity=0)
    before = _snapshot()
    call_command("demo")
    assert "already loaded" in capsys.readouterr().out
    assert _snapshot() == before


def test_the_demo_is_deterministic_for_a_seed(django_db_blocker):
    call_command("demo", members="50", verbosity=0)
    first = _snapshot()
    User.objects.all().delete()
    call_command("demo", members="50", verbosity=0)
    assert _snapshot() == first


@pytest.mark.slow
def test_the_demo_scales_by_bulk_inserts(django_assert_max_num_queries):
    # Batches, not rows: 5,000 members with their communities, events, matching data and the
    # search index of all of it in ~1,100 statements (SQLite caps the parameters per statement,
    # so a batch holds ~50 users or ~60 search documents; the few rewards and awards go through
    # the ledger's services); row by row would be tens of thousands.
    with django_assert_max_num_queries(1200):
        call_command("demo", members="5000", verbosity=0)
    assert User.objects.count() == 5002


@pytest.mark.parametrize("value", ["many", "0", "-3"])
def test_a_bad_member_count_is_a_clear_error(value):
    with pytest.raises(CommandError, match="--members"):
        call_command("demo", members=value)
