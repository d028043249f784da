"""Sentiment: the scoring task (incremental, idempotent, edits rescored, deletions dropped,
queued once per burst of writes), the negative-day alert (once per community and day, to the
right people, in both languages), and the page (the trend, the most negative posts, and private
content never shown to anyone who may not read it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from seedbed.communities import services
from seedbed.communities.models import ContentStatus, Post
from seedbed.engagement.models import Standing, TrustLevel
from seedbed.insights import analysis_sentiment
from seedbed.insights.alerts import NEGATIVE_SENTIMENT
from seedbed.insights.analysis_sentiment import (
    ALERT_MIN_POSTS,
    alert_on_negative_days,
    score_new_content,
)
from seedbed.insights.models import ContentSentiment
from seedbed.insights.tasks_analysis import score_sentiment
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import say
from tests.factories import MemberFactory
from tests.insights.test_analysis_fixtures import client_for, join, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

SOUR = "This is awful and I am furious."
SWEET = "Wonderful news, thank you all!"


@pytest.fixture(autouse=True)
def _established_authors(world):
    """These tests write more than a new member's ten posts a day: their authors have earned
    the Member level already."""
    for key in ("member", "owner", "moderator"):
        if key in world:
            Standing.objects.update_or_create(
                member=world[key], defaults={"level": TrustLevel.MEMBER}
            )


def post(world, text: str, community: str = "public", author: str = "member", title="Note"):
    return services.create_post(world[author], world[community].slug, title=title, body=text)


# Scoring ---------------------------------------------------------------------------------------


def test_scoring_twice_scores_nothing_the_second_time_and_changes_no_row(world):
    first = post(world, SWEET)
    services.create_reply(world["moderator"], first.pk, body="Terrible, I hate this.")
    assert score_new_content() == 2
    rows = list(ContentSentiment.objects.order_by("kind").values())
    assert [r["label"] for r in rows] == ["positive", "negative"]
    assert rows[0]["community_id"] == world["public"].pk
    assert rows[1]["author_id"] == world["moderator"].pk
    assert score_new_content() == 0
    assert list(ContentSentiment.objects.order_by("kind").values()) == rows


def test_an_edited_post_is_scored_again_and_keeps_when_it_was_written(world):
    written = post(world, SWEET)
    score_new_content()
    services.edit_post(world["member"], written.pk, body=SOUR)
    assert score_new_content() == 1
    row = ContentSentiment.objects.get(kind="post", object_id=written.pk)
    assert row.label == "negative"
    assert row.written_at == written.created_at
    assert score_new_content() == 0


def test_a_deleted_post_loses_its_score(world):
    gone, kept = post(world, SOUR), post(world, SWEET)
    score_new_content()
    services.delete_post(world["member"], gone.pk)
    score_new_content()
    assert list(ContentSentiment.objects.values_list("object_id", flat=True)) == [kept.pk]


def test_scoring_goes_in_batches_and_misses_nothing(world):
    for i in range(7):
        post(world, SOUR if i % 2 else SWEET, title=f"Note {i}")
    assert score_new_content(batch=3) == 7
    assert ContentSentiment.objects.count() == 7


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_writing_and_editing_posts_and_replies_queue_one_scoring_run(
    world, database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(world, SWEET)
        reply = services.create_reply(world["moderator"], first.pk, body="Fine.")
        services.edit_post(world["member"], first.pk, body=SOUR)
        services.edit_reply(world["moderator"], reply.pk, body="Not fine.")
    queued = DBTaskResult.objects.ready().filter(task_path=score_sentiment.module_path)
    assert queued.count() == 1


# The alert -------------------------------------------------------------------------------------


def sour_day(world, n: int = ALERT_MIN_POSTS, community: str = "public") -> None:
    for i in range(n):
        post(world, SOUR, community=community, title=f"Complaint {i}")


def alerts(kind=NEGATIVE_SENTIMENT):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_a_sour_day_alerts_the_owner_moderators_and_operators_once(world):
    sour_day(world)
    score_sentiment.call()
    expected = sorted([world["owner"].pk, world["moderator"].pk, world["operator"].pk])
    assert alerts() == expected
    post(world, SOUR, title="One more")
    score_sentiment.call()
    assert alert_on_negative_days() == []
    assert alerts() == expected


def test_the_next_sour_day_alerts_again(world):
    sour_day(world)
    score_sentiment.call()
    tomorrow = timezone.now() + timedelta(days=1)
    ContentSentiment.objects.update(written_at=tomorrow)
    assert alert_on_negative_days(tomorrow) == [world["public"].pk]
    assert len(alerts()) == 6


def test_each_community_gets_its_own_alert(world):
    sour_day(world)
    sour_day(world, community="private")
    score_sentiment.call()
    assert sorted(
        Notification.objects.filter(kind=NEGATIVE_SENTIMENT).values_list("community_id", flat=True)
    ) == sorted([world["public"].pk] * 3 + [world["private"].pk] * 3)


def test_too_few_posts_or_too_small_a_share_alert_nobody(world):
    sour_day(world, ALERT_MIN_POSTS - 1)
    score_sentiment.call()
    assert alerts() == []
    for i in range(ALERT_MIN_POSTS * 2):
        post(world, SWEET, title=f"Cheer {i}")
    score_sentiment.call()
    assert alerts() == []


def test_the_alert_reads_as_a_sentence_in_english_and_chinese_and_leads_to_the_page(world):
    sour_day(world)
    score_sentiment.call()
    alert = Notification.objects.filter(kind=NEGATIVE_SENTIMENT).first()
    said = say(alert)
    assert said.text == (
        "Many of today's posts and replies in Climate Builders read as negative: "
        "have a look at its sentiment page."
    )
    assert said.url == reverse("insights:community:sentiment", args=[world["public"].slug])
    with translation.override("zh-hans"):
        chinese = say(alert).text
    assert "Climate Builders" in chinese and "negative" not in chinese and "情绪" in chinese


def test_a_moderator_sees_the_alert_once_however_many_members_the_community_has(world):
    from seedbed.notifications.services import notifications_for, unread_count

    for _ in range(3):
        join(world["public"], MemberFactory())
    sour_day(world)
    score_sentiment.call()
    asked = post(world, SWEET, author="moderator", title="A question")
    services.create_reply(world["member"], asked.pk, body="An answer.")
    kinds = list(notifications_for(world["moderator"]).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(set(kinds)) and NEGATIVE_SENTIMENT in kinds
    assert unread_count(world["moderator"]) == len(kinds) == 2


def test_a_member_who_is_no_longer_a_moderator_no_longer_sees_the_alert(world):
    sour_day(world)
    score_sentiment.call()
    inbox = reverse("notifications:inbox")
    assert "read as negative" in client_for(world["moderator"]).get(inbox).content.decode()
    join(world["public"], world["moderator"], role="member")
    assert "read as negative" not in client_for(world["moderator"]).get(inbox).content.decode()


# The page --------------------------------------------------------------------------------------


def test_the_page_shows_the_weekly_shares_and_the_most_negative_posts_first(world):
    post(world, SWEET, title="Good news")
    sour = post(world, SOUR, title="Very bad week")
    score_new_content()
    response = client_for(world["owner"]).get(
        reverse("insights:community:sentiment", args=[world["public"].slug])
    )
    text = response.content.decode()
    assert response.status_code == 200
    this_week = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert f'<th scope="row">{this_week.isoformat()}</th><td class="num">50.0</td>' in text
    negatives = text[text.index('id="most-negative"') :]
    assert "Very bad week" in negatives and "Good news" not in negatives
    assert reverse("communities:post", args=[sour.pk]) in negatives
    assert reverse("communities:moderation", args=[world["public"].slug]) in negatives


def test_private_posts_are_never_listed_to_an_operator_who_is_not_a_member(world):
    post(world, SOUR, community="private", title="Private grief")
    post(world, SOUR, community="public", title="Public grief")
    score_new_content()
    platform = client_for(world["operator"]).get(reverse("insights:platform:sentiment"))
    text = platform.content.decode()
    assert "Public grief" in text
    assert "Private grief" not in text and SOUR not in text.split("Public grief")[0]
    assert "Founders Circle" in text  # its figures, in the table of communities
    inside = client_for(world["operator"]).get(
        reverse("insights:community:sentiment", args=[world["private"].slug])
    )
    assert "Private grief" not in inside.content.decode()
    owner = client_for(world["owner"]).get(
        reverse("insights:community:sentiment", args=[world["private"].slug])
    )
    assert "Private grief" in owner.content.decode()


def test_hidden_posts_and_other_communities_posts_are_not_listed(world):
    hidden = post(world, SOUR, title="Taken down")
    Post.objects.filter(pk=hidden.pk).update(status=ContentStatus.HIDDEN)
    elsewhere = MemberFactory()
    club = services.create_community(elsewhere, name="Another Place")
    services.create_post(elsewhere, club.slug, title="Somewhere else", body=SOUR)
    score_new_content()
    text = (
        client_for(world["owner"])
        .get(reverse("insights:community:sentiment", args=[world["public"].slug]))
        .content.decode()
    )
    assert "Taken down" not in text and "Somewhere else" not in text


def test_the_page_says_when_nothing_is_scored_yet(world):
    text = (
        client_for(world["owner"])
        .get(reverse("insights:community:sentiment", args=[world["public"].slug]))
        .content.decode()
    )
    assert "Nothing scored in these weeks yet" in text


def test_a_reply_is_listed_as_a_reply_to_its_post(world):
    first = post(world, SWEET, title="Launch day")
    reply = services.create_reply(world["moderator"], first.pk, body="Terrible, I hate this.")
    score_new_content()
    items = analysis_sentiment.most_negative(world["public"], world["owner"])
    assert [(i.kind, i.reply.pk if i.reply else None) for i in items] == [("reply", reply.pk)]
