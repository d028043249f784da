"""The demo's communities: bilingual, heavy-tailed, six months deep, consistent and searchable.

The demo (200 members) is loaded once for the module and wiped afterwards; tests that need an
empty database wipe it inside their own transaction, which is rolled back.
"""

import random
from collections import Counter
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.models import (
    Community,
    ContentStatus,
    JoinRequest,
    Membership,
    Post,
    Reaction,
    Reply,
    Report,
    Role,
    Visibility,
    hot_score,
)
from seedbed.core.models import Tag
from seedbed.demo.accounts import DEMO_MEMBER_EMAIL, DEMO_OPERATOR_EMAIL
from seedbed.demo.communities import SPECS, load_communities
from seedbed.demo.loader import load_demo
from seedbed.events.models import Event, EventSeries
from seedbed.matching.models import MatchingRound, Project
from seedbed.notifications.models import Notification
from seedbed.search import services as search
from seedbed.search import text as search_text
from seedbed.search.models import SearchDocument
from tests.factories import wipe_library_and_engagement

pytestmark = pytest.mark.django_db


def _has_chinese(value: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in value)


def _wipe() -> None:
    wipe_library_and_engagement()
    MatchingRound.objects.all().delete()
    Project.objects.all().delete()
    Event.objects.all().delete()  # platform events belong to no community
    EventSeries.objects.all().delete()
    SearchDocument.objects.all().delete()
    Community.objects.all().delete()
    User.objects.all().delete()
    Tag.objects.all().delete()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _wipe()
        assert load_demo(echo=lambda _line: None)
        yield timezone.now()
        _wipe()
        EmailAddress.objects.all().delete()


def test_there_are_about_thirty_communities_in_both_languages(demo):
    communities = list(Community.objects.select_related("sector").prefetch_related("tags"))
    assert 28 <= len(communities) <= 34
    assert sum(_has_chinese(c.name) for c in communities) >= 10
    assert sum(not _has_chinese(c.name) for c in communities) >= 5
    assert all(c.sector is not None and c.tags.all() for c in communities)
    assert all(c.description_html.startswith("<p>") for c in communities)
    titles = list(Post.objects.values_list("title", flat=True))
    assert sum(map(_has_chinese, titles)) > len(titles) / 5
    assert sum(not _has_chinese(t) for t in titles) > len(titles) / 5


def test_some_communities_are_private_or_hidden_and_each_has_an_owner(demo):
    visibility = Counter(Community.objects.values_list("visibility", flat=True))
    assert visibility[Visibility.PRIVATE] >= 4
    assert visibility[Visibility.HIDDEN] >= 2
    owners = set(Membership.objects.filter(role=Role.OWNER).values_list("community", "user"))
    for community in Community.objects.all():
        assert (community.pk, community.created_by_id) in owners, community.slug


def test_the_demo_member_and_the_operator_have_their_places(demo):
    demo_member = User.objects.get(email=DEMO_MEMBER_EMAIL)
    mine = Membership.objects.filter(user=demo_member).select_related("community")
    assert mine.count() >= 4
    assert mine.filter(community__visibility=Visibility.PRIVATE, role=Role.MODERATOR).exists()
    operator = User.objects.get(email=DEMO_OPERATOR_EMAIL)
    assert Membership.objects.filter(user=operator, role=Role.OWNER).exists()
    unread = Notification.objects.filter(recipient=demo_member, read_at__isnull=True)
    assert unread.filter(kind__in=["reply", "mention"]).exists()


def test_community_sizes_are_heavy_tailed(demo):
    sizes = sorted(Community.objects.annotate(n=Count("memberships")).values_list("n", flat=True))
    median = sizes[len(sizes) // 2]
    assert sizes[-1] >= 4 * median
    assert sizes[0] >= 3


def test_members_join_communities_in_their_language_and_sector(demo):
    language = {spec.slug: spec.lang for spec in SPECS}
    rows = list(
        Membership.objects.filter(role=Role.MEMBER).values_list(
            "user__languages", "community__slug"
        )
    )
    zh_only = [slug for langs, slug in rows if langs == ["zh"]]
    en_only = [slug for langs, slug in rows if "zh" not in langs]
    assert zh_only and en_only
    assert sum(language[s] == "en" for s in zh_only) < 0.1 * len(zh_only)
    assert sum(language[s] == "zh" for s in en_only) < 0.1 * len(en_only)
    # a community's sector attracts its members: twice as many share it as chance would give
    same_sector = (
        Membership.objects.filter(role=Role.MEMBER, user__sectors=F("community__sector"))
        .values("pk")
        .distinct()
        .count()
    )
    in_sector = Counter(User.sectors.through.objects.values_list("sector__slug", flat=True))
    sector_of = dict(Community.objects.values_list("slug", "sector__slug"))
    chance = sum(in_sector[sector_of[slug]] for _langs, slug in rows) / User.objects.count()
    assert same_sector > 2 * chance


def test_posts_span_the_last_six_months(demo):
    stamps = list(Post.objects.values_list("created_at", flat=True))
    stamps += list(Reply.objects.values_list("created_at", flat=True))
    assert min(stamps) <= demo - timedelta(days=150)
    assert min(stamps) >= demo - timedelta(days=186)
    assert max(stamps) >= demo - timedelta(days=2)
    assert max(stamps) <= demo
    assert Post.objects.filter(pinned=True).values("community").distinct().count() == (
        Community.objects.count()
    )


def test_a_few_members_write_most_of_the_posts(demo):
    per_author = sorted(
        Counter(Post.objects.values_list("author_id", flat=True)).values(), reverse=True
    )
    top = per_author[: max(1, len(per_author) // 10)]
    assert sum(top) >= 0.4 * sum(per_author)
    members = User.objects.count()
    assert len(per_author) < 0.7 * members  # many members never post


def test_a_cohort_of_once_active_members_has_drifted_away(demo):
    """At least five members wrote five or more posts and replies more than 60 days ago and
    nothing in the last 45 days; without the drifting cohort the demo has none."""
    old, recent = Counter(), set()
    rows = list(Post.objects.values_list("author_id", "created_at"))
    rows += list(Reply.objects.values_list("author_id", "created_at"))
    for author, when in rows:
        if when < demo - timedelta(days=60):
            old[author] += 1
        if when > demo - timedelta(days=45):
            recent.add(author)
    drifted = [a for a, n in old.items() if n >= 5 and a not in recent]
    assert len(drifted) >= 5
    still_members = Membership.objects.filter(user_id__in=drifted).values("user").distinct()
    assert still_members.count() == len(drifted)


def test_counters_equal_the_real_replies_and_reactions(demo):
    posts = Post.objects.annotate(
        replies_n=Count("replies", filter=Q(replies__status=ContentStatus.VISIBLE), distinct=True),
        reactions_n=Count("reactions", distinct=True),
    )
    checked = 0
    for post in posts:
        assert post.reply_count == post.replies_n, post.title
        assert post.reaction_count == post.reactions_n, post.title
        assert post.hot == pytest.approx(
            hot_score(post.created_at, post.reply_count, post.reaction_count)
        )
        assert post.last_activity_at >= post.created_at
        assert post.body_html
        checked += 1
    assert checked > 500
    assert Reply.objects.exclude(status=ContentStatus.VISIBLE).exists()
    for reply in Reply.objects.annotate(n=Count("reactions")).filter(reaction_count__gt=0)[:200]:
        assert reply.reaction_count == reply.n
    assert Reaction.objects.filter(reply__isnull=False).exists()
    # every reaction is by a member of the post's community
    outsiders = Reaction.objects.filter(post__isnull=False).exclude(
        user__memberships__community=F("post__community")
    )
    assert not outsiders.exists()


def test_mentions_link_to_real_members_and_some_posts_use_markdown(demo):
    linked = Post.objects.filter(body_html__contains='href="/members/').count()
    linked += Reply.objects.filter(body_html__contains='href="/members/').count()
    assert linked >= 20
    assert Post.objects.filter(body_html__contains="<li>").count() >= 20
    assert Post.objects.filter(body_html__contains="<pre>").exists()
    assert Post.objects.filter(body_html__contains="https://example.org").count() >= 20


def test_moderators_have_requests_reports_and_a_hidden_post_waiting(demo):
    pending = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
    assert pending.count() >= 5
    assert set(pending.values_list("community__visibility", flat=True)) == {Visibility.PRIVATE}
    members = set(Membership.objects.values_list("community", "user"))
    assert not [r for r in pending.values_list("community", "user") if r in members]
    assert Report.objects.filter(status=Report.Status.OPEN).count() >= 3
    assert Post.objects.filter(status=ContentStatus.HIDDEN).exists()


def _rarest_token(title: str, frequency: Counter) -> str:
    """The title's least common word among those that segment alone as they do in the title
    (jieba may cut an invented name such as 易测云 differently without its context)."""
    words = [t for t in dict.fromkeys(search_text.tokens(title)) if len(t) >= 2]
    stable = [t for t in words if search_text.parse_query(t).tokens == (t,)]
    return min(stable or words, key=lambda t: (frequency[t], -len(t), t))


def _found(post: Post, query: str, member_of: list[int]) -> bool:
    offset = 0
    while True:
        page = search.search(
            query, member_community_ids=member_of, kinds=["post"], limit=100, offset=offset
        )
        if any(hit.object_id == post.pk for hit in page.hits):
            return True
        offset += 100
        if offset >= page.total:
            return False


def test_every_visible_post_is_found_by_a_word_from_its_title(demo):
    posts = list(Post.objects.filter(status=ContentStatus.VISIBLE).select_related("community"))
    frequency = Counter(t for p in posts for t in set(search_text.tokens(p.title)))
    missing = [
        p.title for p in posts if not _found(p, _rarest_token(p.title, frequency), [p.community_id])
    ]
    assert missing == []
    hidden = Post.objects.filter(status=ContentStatus.HIDDEN).first()
    assert not SearchDocument.objects.filter(kind="post", object_id=hidden.pk).exists()


def test_posts_of_private_and_hidden_communities_are_not_found_by_outsiders(demo):
    closed = list(
        Post.objects.filter(status=ContentStatus.VISIBLE)
        .exclude(community__visibility=Visibility.PUBLIC)
        .select_related("community")[:40]
    )
    assert closed
    all_posts = Post.objects.values_list("title", flat=True)
    frequency = Counter(t for title in all_posts for t in set(search_text.tokens(title)))
    for post in closed:
        word = _rarest_token(post.title, frequency)
        assert not _found(post, word, [])
        assert _found(post, word, [post.community_id])


@pytest.mark.slow
def test_the_same_seed_gives_the_same_posts_and_another_seed_does_not(demo):
    def snapshot():
        return sorted(
            Post.objects.values_list(
                "community__slug", "author__handle", "title", "reply_count", "reaction_count"
            )
        )

    _wipe()
    load_demo(members=60, seed=11, echo=lambda _line: None)
    first = snapshot()
    _wipe()
    load_demo(members=60, seed=11, echo=lambda _line: None)
    assert snapshot() == first
    _wipe()
    load_demo(members=60, seed=12, echo=lambda _line: None)
    assert snapshot() != first


def test_the_loader_uses_only_the_random_stream_it_is_given(demo):
    _wipe()
    load_demo(members=40, seed=3, echo=lambda _line: None)
    snapshot = sorted(Post.objects.values_list("title", flat=True))
    SearchDocument.objects.all().delete()
    Community.objects.all().delete()
    random.seed(99)
    now = timezone.now()
    load_communities(random.Random("3:communities"), now)
    assert sorted(Post.objects.values_list("title", flat=True)) == snapshot


def test_running_the_demo_command_twice_is_harmless(demo, capsys):
    _wipe()
    call_command("demo", members="60", verbosity=0)
    counts = (
        Community.objects.count(),
        Post.objects.count(),
        Reply.objects.count(),
        SearchDocument.objects.count(),
    )
    assert counts[1] > 0
    call_command("demo", members="60")
    assert "already loaded" in capsys.readouterr().out
    assert counts == (
        Community.objects.count(),
        Post.objects.count(),
        Reply.objects.count(),
        SearchDocument.objects.count(),
    )
