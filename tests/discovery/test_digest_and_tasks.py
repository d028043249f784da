"""The digest's "For you" section honours the member's setting and language; the cron command
and the tasks store suggestions; activity queues one delayed refresh per burst."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from seedbed.communities.models import Membership
from seedbed.discovery import services
from seedbed.discovery.models import EvaluationRun, Recommendation
from seedbed.notifications.services import send_digest
from tests.discovery.conftest import community, interested, join, store
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_the_digest_says_for_you_in_the_members_language(
    member, public_community, django_capture_on_commit_callbacks
):
    store(member, "community", public_community, params={"count": 5})
    member.languages = ["zh"]
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(member, "weekly")
    body = mail.outbox[-1].body
    assert "为你推荐：" in body
    assert "Fintech Founders — 热门：已有 5 位成员参与。" in body
    assert f"/c/{public_community.slug}/" in body


@pytest.mark.django_db
def test_no_for_you_section_when_the_member_turned_it_off(member, public_community):
    store(member, "community", public_community)
    services.set_digest_preference(member, False)
    assert not send_digest(member, "weekly")
    services.set_digest_preference(member, True)
    assert send_digest(member, "weekly")


@pytest.mark.django_db
def test_no_for_you_section_without_suggestions(member):
    assert not send_digest(member, "weekly")


@pytest.mark.django_db
def test_the_cron_command_refreshes_and_evaluates(db):
    people = MemberFactory.create_batch(6)
    a = community("Alpha", tags=["ai"], members=people)
    community("Beta", tags=["ai"], members=people[:4])
    newcomer = interested(MemberFactory(), "ai")
    join(a, newcomer)
    call_command("refresh_recommendations", "--now")
    assert Recommendation.objects.filter(member=newcomer).exists()
    run = EvaluationRun.objects.get()
    coverage = {k["kind"]: k for k in run.coverage["kinds"]}
    assert coverage["communities"]["items"] == 2
    assert coverage["communities"]["recommended"] == 1  # Beta, for the newcomer and two others
    assert coverage["communities"]["share"] == 0.5


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued(name: str) -> list:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=f"seedbed.discovery.tasks.{name}"))


@pytest.mark.django_db
def test_a_burst_of_activity_queues_one_delayed_refresh_of_that_member(
    database_tasks, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        clubs = [community(f"Club {n}") for n in range(3)]
        for club in clubs:
            Membership.objects.create(community=club, user=member)
    [queued] = _queued("refresh_member_recommendations")
    assert queued.args_kwargs["args"] == [member.pk]
    assert queued.run_after > timezone.now()
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_new_communities_queue_one_refresh_of_everyone(
    database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            community(f"New {n}")
    assert len(_queued("refresh_recommendations")) == 1


@pytest.mark.django_db
def test_with_the_immediate_backend_activity_never_runs_a_refresh_inline(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        club = community("Busy")
        Membership.objects.create(community=club, user=member)
    assert not Recommendation.objects.exists()
