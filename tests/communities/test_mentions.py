"""@mentions: whoever a post or reply links as mentioned is exactly whoever is told about it,
by handle or by a display name the community's members do not share, in Chinese and
English; private communities never tell or link an outsider."""

import re

import pytest

from seedbed.communities import services
from seedbed.notifications.models import Notification
from tests.communities.conftest import add_member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def linked(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/members/(\d+)/"', html)}


def told(**about) -> set[int]:
    return set(
        Notification.objects.filter(kind="mention", **about).values_list(
            "recipient_id", flat=True
        )
    )


@pytest.fixture
def people(public):
    return {
        "jia": add_member(public, MemberFactory(display_name="贾雨桐", handle="jia.yutong")),
        "umar": add_member(public, MemberFactory(display_name="Umar Chen", handle="uchen")),
        "ada": add_member(public, MemberFactory(display_name="Ada L", handle="ada_l")),
        "twin": add_member(public, MemberFactory(display_name="王伟")),
        "other_twin": add_member(public, MemberFactory(display_name="王伟")),
        "outside": MemberFactory(display_name="Olga Outside", handle="olga"),
    }


@pytest.mark.parametrize(
    "body",
    [
        "感谢@贾雨桐，thanks @Umar Chen and @ada_l!",
        "cc @JIA.YUTONG @uchen, @Ada_L.",
        "@贾雨桐 @uchen 和 @Ada L 一起",
    ],
)
def test_every_member_told_of_a_mention_is_linked_and_every_linked_one_is_told(
    public, owner, people, body
):
    post = services.create_post(owner, public.slug, title="Thanks", body=body)
    expected = {people[n].pk for n in ("jia", "umar", "ada")}
    assert linked(post.body_html) == expected
    assert told(post=post, reply=None) == expected


def test_a_shared_display_name_an_unknown_name_and_code_mention_nobody(public, owner, people):
    post = services.create_post(
        owner, public.slug, title="t", body="@王伟 @nobody `@贾雨桐` [@uchen](https://x.example)"
    )
    assert linked(post.body_html) == set()
    assert told(post=post) == set()


def test_replies_link_and_tell_the_same_members(public, owner, member_of_public, people):
    post = services.create_post(member_of_public, public.slug, title="t", body="b")
    reply = services.create_reply(owner, post.pk, body="@Umar Chen，@贾雨桐 看看")
    expected = {people["umar"].pk, people["jia"].pk}
    assert linked(reply.body_html) == expected
    assert told(reply=reply) == expected


def test_an_edit_links_and_tells_only_the_newly_mentioned(public, owner, people):
    post = services.create_post(owner, public.slug, title="t", body="hi @uchen")
    post = services.edit_post(owner, post.pk, body="hi @uchen and @贾雨桐")
    assert linked(post.body_html) == told(post=post) == {people["umar"].pk, people["jia"].pk}
    assert Notification.objects.filter(recipient=people["umar"], post=post).count() == 1


def test_the_author_mentioning_themselves_is_linked_but_not_told(public, owner):
    post = services.create_post(owner, public.slug, title="t", body=f"me: @{owner.handle}")
    assert linked(post.body_html) == {owner.pk}
    assert told(post=post) == set()


def test_a_private_community_neither_tells_nor_links_an_outsider(
    private, member_of_private, outsider
):
    insider = add_member(private, MemberFactory(display_name="Ines Insider"))
    post = services.create_post(
        member_of_private,
        private.slug,
        title="t",
        body=f"@{outsider.handle} @Oscar Outsider @Ines Insider",
    )
    assert linked(post.body_html) == told(post=post) == {insider.pk}
