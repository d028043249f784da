"""The member graph: clusters, influencers, bridges and isolated newcomers found on a graph with
a known answer; the picture and its tables; and the "introduce" action (who may, bad ids, each
pair once, the pace, CSRF, the audit log, the notification in both languages)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from seedbed.accounts.models import User
from seedbed.communities import services
from seedbed.communities.models import Membership
from seedbed.core.models import Sector
from seedbed.insights import analysis, analysis_structure
from seedbed.insights.alerts import INTRODUCED, INTRODUCED_BY_SITE
from seedbed.insights.models import StoredAnalysis
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import say
from tests.factories import MemberFactory
from tests.insights.test_analysis_fixtures import client_for, join, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    """Two groups of three who reply to each other, one member who talks to both groups, and a
    newcomer who talks to nobody and shares a sector with one member of the first group."""
    community = world["public"]
    long_ago = timezone.now() - timedelta(days=90)
    people = {
        name: join(community, MemberFactory(display_name=name), joined_at=long_ago)
        for name in ["Ann", "Amy", "Abe", "Ben", "Bea", "Bob", "Xia"]
    }
    User.objects.filter(pk__in=[u.pk for u in people.values()]).update(date_joined=long_ago)
    Membership.objects.filter(community=community).exclude(user__in=people.values()).update(
        joined_at=long_ago
    )

    def talk(a: str, b: str, times: int = 2) -> None:
        first = services.create_post(people[a], community.slug, title=f"{a} asks", body="Hello")
        for _ in range(times):
            services.create_reply(people[b], first.pk, body="Hi")

    for group in (["Ann", "Amy", "Abe"], ["Ben", "Bea", "Bob"]):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                talk(a, b, 3)
    talk("Xia", "Ann", 1)
    talk("Xia", "Ben", 1)
    sector = Sector.objects.get_or_create(
        slug="climate-test", defaults={"name_en": "Climate", "name_zh": "气候"}
    )[0]
    newcomer = join(community, MemberFactory(display_name="Nia New"))
    newcomer.sectors.add(sector)
    people["Amy"].sectors.add(sector)
    people["Nia New"] = newcomer
    analysis_structure.store_scope(community)
    analysis_structure.store_scope(None)
    return people


def stored(community):
    return StoredAnalysis.objects.get(kind=analysis_structure.KIND, community=community).payload


def test_the_two_groups_are_two_clusters_and_the_go_between_is_the_first_bridge(world, town):
    data = stored(world["public"])
    cluster = {n["id"]: n["cluster"] for n in data["nodes"]}
    ann, ben = cluster[town["Ann"].pk], cluster[town["Ben"].pk]
    assert ann != ben
    assert {cluster[town[n].pk] for n in ["Ann", "Amy", "Abe"]} == {ann}
    assert {cluster[town[n].pk] for n in ["Ben", "Bea", "Bob"]} == {ben}
    assert data["bridges"][0] == town["Xia"].pk
    assert set(data["influencers"][:7]) == {
        town[n].pk for n in ["Ann", "Amy", "Abe", "Ben", "Bea", "Bob", "Xia"]
    }
    assert data["members"] == Membership.objects.filter(community=world["public"]).count()
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in data["nodes"])


def test_the_isolated_newcomer_is_offered_the_member_who_shares_their_sector_first(world, town):
    newcomers = {n["id"]: n for n in stored(world["public"])["newcomers"]}
    nia = newcomers[town["Nia New"].pk]
    assert nia["ties"] == 0
    assert nia["suggest"][0] == town["Amy"].pk
    assert len(nia["suggest"]) == analysis_structure.SUGGESTIONS
    assert town["Ann"].pk not in newcomers  # joined long ago


def test_the_layout_is_the_same_on_every_run(world, town):
    first = stored(world["public"])
    analysis_structure.store_scope(world["public"])
    assert stored(world["public"]) == first


def test_the_page_draws_the_graph_with_a_title_and_lists_people_in_tables(world, town):
    text = (
        client_for(world["owner"])
        .get(reverse("insights:community:structure", args=[world["public"].slug]))
        .content.decode()
    )
    assert 'role="img" aria-labelledby="graph-title graph-desc"' in text
    assert '<title id="graph-title">The member graph, coloured by cluster</title>' in text
    assert text.count("<circle ") == len(stored(world["public"])["nodes"])
    bridges = text[text.index('id="bridges"') : text.index('id="newcomers"')]
    assert "Xia" in bridges
    assert "Introduce Nia New to Amy" in text


def test_a_member_who_left_is_no_longer_named(world, town):
    Membership.objects.filter(community=world["public"], user=town["Xia"]).delete()
    text = (
        client_for(world["owner"])
        .get(reverse("insights:community:structure", args=[world["public"].slug]))
        .content.decode()
    )
    assert "Xia" not in text


def test_the_page_says_when_nothing_is_analysed_yet(world):
    text = (
        client_for(world["owner"])
        .get(reverse("insights:community:structure", args=[world["public"].slug]))
        .content.decode()
    )
    assert "not ready yet" in text


# Introducing -----------------------------------------------------------------------------------


def introduce(client, world, town, member="Amy", newcomer="Nia New", slug=None):
    slug = slug or world["public"].slug
    url = reverse("insights:community:introduce", args=[slug])
    return client.post(url, {"newcomer": town[newcomer].pk, "member": town[member].pk})


def test_introducing_tells_both_members_about_each_other_and_logs_who_did_it(world, town):
    response = introduce(client_for(world["owner"]), world, town)
    assert response.status_code == 302 and response["Location"].endswith("#newcomers")
    sent = {n.recipient_id: n for n in Notification.objects.filter(kind=INTRODUCED)}
    nia, amy = town["Nia New"], town["Amy"]
    assert set(sent) == {nia.pk, amy.pk}
    assert say(sent[nia.pk]).text == (
        "The organisers of Climate Builders suggest you meet Amy: you may have a lot to share."
    )
    assert say(sent[nia.pk]).url == reverse("accounts:profile", args=[amy.pk])
    assert say(sent[amy.pk]).text.endswith("suggest you meet Nia New: you may have a lot to share.")
    with translation.override("zh-hans"):
        chinese = say(sent[nia.pk]).text
    assert chinese == "Climate Builders 的组织者建议你认识一下 Amy：你们可能有很多可以交流。"
    log = StoredAnalysis.objects.get(kind=analysis.INTRODUCTIONS, community=world["public"])
    (entry,) = log.payload["log"]
    assert (entry["by"], entry["newcomer"], entry["member"]) == (world["owner"].pk, nia.pk, amy.pk)
    page = client_for(world["moderator"]).get(
        reverse("insights:community:structure", args=[world["public"].slug])
    )
    text = page.content.decode()
    assert "Introduced to Amy" in text and "Introduce Nia New to Amy" not in text
    assert "Olivia Owner" in text[text.index('id="introductions"') :]


def test_a_pair_is_introduced_only_once(world, town):
    client = client_for(world["operator"])
    introduce(client, world, town)
    response = introduce(client, world, town)
    assert response.status_code == 302
    assert Notification.objects.filter(kind=INTRODUCED).count() == 2
    followed = client.get(response["Location"]).content.decode()
    assert "Nia New and Amy were already introduced." in followed


def test_the_platform_wide_introduction_has_its_own_sentence(world, town):
    platform = stored(None)
    newcomer = next(n for n in platform["newcomers"] if n["id"] == town["Nia New"].pk)
    member = newcomer["suggest"][0]
    response = client_for(world["operator"]).post(
        reverse("insights:platform:introduce"), {"newcomer": newcomer["id"], "member": member}
    )
    assert response.status_code == 302
    notification = Notification.objects.get(kind=INTRODUCED_BY_SITE, recipient=town["Nia New"])
    assert say(notification).text.startswith("The Seedbed team suggests you meet ")
    with translation.override("zh-hans"):
        assert say(notification).text.startswith("Seedbed 团队建议你认识一下 ")


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"newcomer": "abc", "member": "1"}, 400),
        ({"newcomer": "1", "member": ""}, 400),
        ({"newcomer": "999999", "member": "999998"}, 404),
    ],
)
def test_bad_ids_get_a_clear_4xx_and_send_nothing(world, town, data, status):
    url = reverse("insights:community:introduce", args=[world["public"].slug])
    response = client_for(world["owner"]).post(url, data)
    assert response.status_code == status
    assert not Notification.objects.filter(kind=INTRODUCED).exists()


def test_a_pair_that_was_not_suggested_is_404(world, town):
    response = introduce(client_for(world["owner"]), world, town, member="Ben", newcomer="Ann")
    assert response.status_code == 404
    outsider = MemberFactory()
    url = reverse("insights:community:introduce", args=[world["public"].slug])
    response = client_for(world["owner"]).post(
        url, {"newcomer": outsider.pk, "member": town["Amy"].pk}
    )
    assert response.status_code == 404


def test_a_suggestion_to_someone_who_left_is_404(world, town):
    Membership.objects.filter(community=world["public"], user=town["Amy"]).delete()
    assert introduce(client_for(world["owner"]), world, town).status_code == 404


def test_introductions_are_rate_limited_with_a_retry_after(world, town, monkeypatch):
    monkeypatch.setattr(analysis, "INTRODUCE_LIMITS", [(1, 60)])
    client = client_for(world["owner"])
    assert introduce(client, world, town).status_code == 302
    second = stored(world["public"])["newcomers"]
    other = next(n for n in second if n["id"] == town["Nia New"].pk)["suggest"][1]
    response = client.post(
        reverse("insights:community:introduce", args=[world["public"].slug]),
        {"newcomer": town["Nia New"].pk, "member": other},
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert Notification.objects.filter(kind=INTRODUCED).count() == 2


def test_introducing_needs_the_csrf_token(world, town):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])
    assert introduce(client, world, town).status_code == 403
    assert not Notification.objects.filter(kind=INTRODUCED).exists()


def test_a_member_or_the_owner_of_another_community_cannot_introduce(world, town):
    for who in ("member", "other_owner"):
        assert introduce(client_for(world[who]), world, town).status_code == 403
    private = world["private"].slug
    assert introduce(client_for(world["other_owner"]), world, town, slug=private).status_code == 404
    assert not Notification.objects.filter(kind=INTRODUCED).exists()


def test_the_picture_keeps_members_without_ties_on_a_bottom_row_so_the_rest_fill_it():
    import networkx as nx

    from seedbed.insights.analysis_structure import _layout

    graph = nx.Graph()
    graph.add_weighted_edges_from([(1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0), (4, 1, 1.0)])
    graph.add_nodes_from([8, 9])
    placed = _layout(graph, [1, 2, 3, 4, 8, 9])
    assert placed[8][1] == placed[9][1] == 1.0 and placed[8][0] < placed[9][0]
    tied = [placed[n] for n in (1, 2, 3, 4)]
    assert min(x for x, _ in tied) == 0.0 and max(x for x, _ in tied) == 1.0
    assert max(y for _, y in tied) == 0.88
