"""Search across everything: who finds which kind of thing, one hit per thread, reported and
cancelled things ranked low, tabs with counts, the page and the API, and the indexing hooks."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from seedbed.accounts import services as accounts
from seedbed.accounts.indexing import index_member
from seedbed.accounts.models import MemberRole
from seedbed.communities import services as communities
from seedbed.communities.models import Membership
from seedbed.events import services as events
from seedbed.events.indexing import index_event
from seedbed.events.models import Event
from seedbed.matching import services as matching
from seedbed.matching.indexing import index_offer, index_project
from seedbed.matching.models import Offer, Project
from seedbed.search import services as search
from seedbed.search.models import SearchDocument
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def keys(user, q, type=""):
    return [(h.kind, h.object_id) for h in search.search_everything(user, q, type=type).hits]


@pytest.fixture
def operator():
    user = MemberFactory(is_staff=True)
    MemberRole.objects.create(user=user, role="operator")
    return user


@pytest.fixture
def public(operator):
    return communities.create_community(operator, name="Open Garden", visibility="public")


@pytest.fixture
def private(operator):
    return communities.create_community(operator, name="Walled Garden", visibility="private")


def member_of(community):
    user = MemberFactory()
    Membership.objects.create(community=community, user=user)
    return user


def make_event(community, title, *, days=10, cancelled=False, **fields):
    starts = timezone.now() + timedelta(days=days)
    event = Event.objects.create(
        community=community,
        kind="salon",
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        cancelled_at=timezone.now() if cancelled else None,
        **fields,
    )
    index_event(event)
    return event


# Members -----------------------------------------------------------------------------------------


def test_visitors_find_public_profiles_and_members_also_find_members_only_ones():
    shown = MemberFactory(display_name="Xylo Public", visibility="public")
    hidden = MemberFactory(display_name="Xylo Private", visibility="members")
    index_member(shown)
    index_member(hidden)
    assert keys(None, "xylo") == [("member", shown.pk)]
    assert set(keys(MemberFactory(), "xylo")) == {("member", shown.pk), ("member", hidden.pk)}


def test_an_inactive_account_is_never_found_even_before_it_is_reindexed():
    gone = MemberFactory(display_name="Xylo Gone", visibility="public")
    index_member(gone)
    gone.is_active = False
    gone.save(update_fields=["is_active"])  # as the admin does, telling no one
    assert keys(None, "xylo") == [] and keys(MemberFactory(), "xylo") == []
    assert search.search_everything(MemberFactory(), "xylo").counts == {}


def test_a_profile_edit_reaches_search_after_the_commit(django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        accounts.update_profile(member, headline="Quokka breeder", skills=["zoology"])
    assert keys(MemberFactory(), "quokka") == [("member", member.pk)]
    assert keys(MemberFactory(), "zoology") == [("member", member.pk)]


# Projects and offers ---------------------------------------------------------------------------


def test_projects_and_offers_are_for_signed_in_members_only(django_capture_on_commit_callbacks):
    founder = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        project = matching.create_project(
            founder, name="Zebrafish Labs", one_liner="Zebrafish screening", stage="seed"
        )
        offer = matching.create_offer(founder, "mentor", title="Zebrafish husbandry advice")
    assert keys(None, "zebrafish") == []
    assert search.search_everything(None, "zebrafish").counts == {}
    assert set(keys(MemberFactory(), "zebrafish", "project")) == {
        ("project", project.pk),
        ("offer", offer.pk),
    }


def test_deal_fields_are_never_indexed():
    founder = MemberFactory()
    project = Project.objects.create(
        slug="deal",
        name="Deal Co",
        one_liner="Quiet",
        stage="seed",
        funding_min=1_234_567,
        funding_max=7_654_321,
        funding_instrument="safe",
        funding_notes="Valuation secret qxvaluation",
    )
    project.team.add(founder)
    offer = Offer.objects.create(
        kind="investor", owner=founder, title="Cheques", ticket_min=314_159, ticket_max=926_535
    )
    index_project(project)
    index_offer(offer)
    operator = MemberFactory(is_staff=True)
    for q in ("qxvaluation", "1234567", "7654321", "314159", "926535", "safe"):
        assert keys(operator, q) == [], q
    stored = " ".join(SearchDocument.objects.values_list("body", flat=True))
    assert "qxvaluation" not in stored and "1234567" not in stored and "314159" not in stored


def test_a_closed_offer_or_one_whose_owner_left_is_not_found(django_capture_on_commit_callbacks):
    owner = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        offer = matching.create_offer(owner, "mentor", title="Wombat consulting")
    searcher = MemberFactory()
    assert keys(searcher, "wombat") == [("offer", offer.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        matching.update_offer(owner, offer.pk, active=False)
    assert keys(searcher, "wombat") == []
    offer.active = True
    offer.save()
    index_offer(offer)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert keys(searcher, "wombat") == []


# Events ----------------------------------------------------------------------------------------


def test_an_event_follows_its_communitys_visibility_and_platform_events_are_public(public, private):
    open_event = make_event(public, "Narwhal salon")
    closed_event = make_event(private, "Narwhal dinner")
    platform = make_event(None, "Narwhal summit")
    expected_public = {("event", open_event.pk), ("event", platform.pk)}
    assert set(keys(None, "narwhal")) == expected_public
    assert set(keys(MemberFactory(), "narwhal")) == expected_public
    assert set(keys(member_of(private), "narwhal")) == expected_public | {
        ("event", closed_event.pk)
    }


def test_a_community_going_private_takes_its_events_out_of_public_search(public, operator):
    event = make_event(public, "Narwhal salon")
    communities.update_community(operator, public.slug, visibility="private")
    assert keys(None, "narwhal") == []
    assert keys(member_of(public), "narwhal") == [("event", event.pk)]


def test_a_cancelled_event_is_marked_and_ranks_below_a_running_one(
    public, operator, django_capture_on_commit_callbacks
):
    running = make_event(public, "Okapi night", days=10)
    cancelled = make_event(public, "Okapi night", days=10)
    with django_capture_on_commit_callbacks(execute=True):
        events.cancel_event(operator, cancelled.pk)
    hits = search.search_everything(None, "okapi").hits
    assert [(h.object_id, h.flag) for h in hits] == [(running.pk, ""), (cancelled.pk, "cancelled")]


def test_a_new_event_series_is_found_after_the_commit(
    public, operator, django_capture_on_commit_callbacks
):
    starts = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        first = events.create_event(
            operator,
            community=public.slug,
            kind="salon",
            title="Capybara circle",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            venue="Zoo",
            repeat="weekly",
            occurrences=3,
        )
    assert search.search_everything(None, "capybara", type="event").total == 3
    assert ("event", first.pk) in keys(None, "capybara")


# Threads, reports, moderation ------------------------------------------------------------------


def test_a_thread_is_one_hit_shown_by_its_best_matching_reply(public):
    author = member_of(public)
    post = communities.create_post(author, public.slug, title="Fintech hiring", body="Who?")
    for body in ["Following, same question here.", "+1", "Try the axolotl job board."]:
        last = communities.create_reply(member_of(public), post.pk, body=body)
    page = search.search_everything(None, "axolotl")
    assert [(h.kind, h.object_id) for h in page.hits] == [("reply", last.pk)]
    assert "Fintech hiring" in page.hits[0].title_html
    assert "<mark>axolotl</mark>" in page.hits[0].snippet_html
    assert page.counts == {"post": 1}
    fintech = search.search_everything(None, "fintech")
    assert [(h.kind, h.object_id) for h in fintech.hits] == [("post", post.pk)]


def test_a_noise_reply_is_not_found_by_its_threads_title(public):
    post = communities.create_post(member_of(public), public.slug, title="Axolotl care", body="x")
    communities.create_reply(member_of(public), post.pk, body="Following, same question here.")
    assert keys(None, "axolotl") == [("post", post.pk)]
    assert keys(None, "following") == [("reply", post.replies.get().pk)]


def test_reported_content_ranks_below_everything_else_and_hidden_content_never_shows(
    public, operator
):
    reported = communities.create_post(
        member_of(public), public.slug, title="Tapir tapir tapir", body="tapir tapir"
    )
    plain = communities.create_post(
        member_of(public), public.slug, title="Notes", body="tapir once"
    )
    hidden = communities.create_post(member_of(public), public.slug, title="Tapir", body="x")
    communities.report_content(member_of(public), reason="spam", post_id=reported.pk)
    communities.moderate(operator, action="hide", post_id=hidden.pk)
    assert keys(None, "tapir") == [("post", plain.pk), ("post", reported.pk)]


# Tabs and counts -------------------------------------------------------------------------------


def test_tabs_count_every_kind_while_a_type_shows_one(public):
    make_event(public, "Garden party")
    communities.create_post(member_of(public), public.slug, title="Garden tools", body="x")
    page = search.search_everything(None, "garden", type="event")
    assert page.counts == {"community": 1, "event": 1, "post": 1}
    assert [h.kind for h in page.hits] == ["event"] and page.total == 1


def test_past_the_candidates_counts_show_a_plus(public, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    for i in range(5):
        communities.create_post(member_of(public), public.slug, title=f"Lemur {i}", body="x")
    page = search.search_everything(None, "lemur")
    assert page.capped and len(page.hits) == 4
    html = Client().get("/search/", {"q": "lemur"}).content.decode()
    assert 'All <span class="muted">(3+)' in html and 'Posts <span class="muted">(3+)' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": ""}, "q"), ({"q": "a" * 201}, "q"), ({"q": "x", "type": "reply"}, "type")]
    + [({"q": "x", "page": p}, "page") for p in (0, 51)],
)
def test_bad_input_is_refused_naming_the_field(db, params, field):
    with pytest.raises(Exception) as refused:
        search.search_everything(None, **params)
    assert field in refused.value.message_dict  # type: ignore[attr-defined]


# The page and the API --------------------------------------------------------------------------


def test_the_page_shows_tabs_with_counts_and_marks_the_current_one(public):
    make_event(public, "Garden party")
    body = Client().get("/search/", {"q": "garden", "type": "event"}).content.decode()
    assert 'aria-current="page">Events' in body
    assert 'All <span class="muted">(2)</span>' in body
    assert "<mark>Garden</mark> party" in body and "search-community" not in body


@pytest.mark.parametrize(
    "params", [{"q": "x", "type": "bogus"}, {"q": "x", "page": "0"}, {"q": "x", "page": "z"}]
)
def test_the_page_answers_bad_input_with_a_400_and_a_message(db, params):
    response = Client().get("/search/", params)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


def test_the_page_without_a_query_is_just_the_form(db):
    response = Client().get("/search/")
    assert response.status_code == 200 and 'role="search"' in response.content.decode()


def test_the_api_gives_the_page_hits_with_the_same_visibility(public, private):
    make_event(public, "Narwhal salon")
    hidden = make_event(private, "Narwhal dinner")
    insider = member_of(private)
    client = Client()
    client.force_login(insider)
    body = client.get("/api/v1/search", {"q": "narwhal"}).json()
    service = search.search_everything(insider, "narwhal")
    assert [(h["kind"], h["object_id"]) for h in body["hits"]] == [
        (h.kind, h.object_id) for h in service.hits
    ]
    assert body["counts"] == {"event": 2} and body["total"] == 2
    assert {h["type"] for h in body["hits"]} == {"event"}
    outsider = Client().get("/api/v1/search", {"q": "narwhal"}).json()
    assert hidden.pk not in [h["object_id"] for h in outsider["hits"]]
    assert outsider["counts"] == {"event": 1}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "a" * 201}, "q"),
        ({"q": "x", "type": "reply"}, "type"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "page": "99999999999999999999"}, "page"),
        ({}, "q"),
    ],
)
def test_the_api_answers_bad_input_with_a_422_naming_the_field(db, params, field):
    response = Client().get("/api/v1/search", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["errors"]] == [field]


@pytest.mark.parametrize("size", [2, 30])
def test_the_page_and_the_api_have_a_fixed_query_budget(
    public, size, django_assert_max_num_queries
):
    for i in range(size):
        post = communities.create_post(
            member_of(public), public.slug, title=f"Garden {i}", body="soil"
        )
        communities.create_reply(member_of(public), post.pk, body="garden soil")
        make_event(public, f"Garden walk {i}")
    client = Client()
    client.force_login(member_of(public))
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "garden"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "gard"}).status_code == 200  # no word: fallback
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/search", {"q": "garden", "type": "post"}).status_code == 200


def test_reindex_search_rebuilds_every_kind_from_the_tables(public):
    communities.create_post(member_of(public), public.slug, title="Garden", body="x")
    make_event(public, "Garden party")
    member = MemberFactory(display_name="Gardener")
    project = Project.objects.create(slug="g", name="Garden Bot", one_liner="x", stage="seed")
    SearchDocument.objects.all().delete()
    call_command("reindex_search", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds == {"community", "post", "event", "member", "project"}
    assert ("member", member.pk) in keys(MemberFactory(), "gardener")
    assert ("project", project.pk) in keys(MemberFactory(), "garden", "project")


def test_the_page_and_the_api_speak_chinese(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = client.get("/search/", {"q": "融资"}).content.decode()
    assert "成员 <span" in body and "没有找到与“融资”相关的内容" in body
    refused = client.get("/api/v1/search", {"q": " "}).json()
    assert refused["errors"] == [{"field": "q", "message": "请输入要搜索的内容。"}]
