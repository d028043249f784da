import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from seedbed.communities import services
from seedbed.communities.models import ContentStatus, Post, Reaction, Role
from seedbed.communities.services import posting
from seedbed.notifications.models import Notification
from tests.communities.conftest import add_member, client_for

pytestmark = pytest.mark.django_db


def _post(user, community, **fields):
    fields = {"title": "Raising a seed round", "body": "Any advice?", **fields}
    return services.create_post(user, community.slug, **fields)


def test_a_member_posts_markdown_that_is_rendered_and_sanitised(public, member_of_public):
    post = _post(
        member_of_public, public, body="**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert "<strong>bold</strong>" in post.body_html
    assert "<script>" not in post.body_html
    assert 'href="javascript' not in post.body_html


def test_outsiders_cannot_post_until_they_join(public, outsider):
    with pytest.raises(PermissionDenied):
        _post(outsider, public)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"title": "t" * 201}, "title"),
        ({"tags": [f"t{i}" for i in range(6)]}, "tags"),
    ],
)
def test_empty_or_oversized_posts_are_refused_naming_the_field(
    public, member_of_public, fields, field
):
    with pytest.raises(ValidationError) as error:
        _post(member_of_public, public, **fields)
    assert field in error.value.message_dict
    assert not Post.objects.exists()


def test_editing_marks_the_post_as_edited(public, member_of_public):
    post = _post(member_of_public, public)
    edited = services.edit_post(member_of_public, post.pk, body="Updated **text**")
    assert edited.edited_at is not None
    assert "<strong>text</strong>" in edited.body_html


def test_only_the_author_or_a_moderator_edits_or_deletes(public, member_of_public):
    post = _post(member_of_public, public)
    other = add_member(public)
    with pytest.raises(PermissionDenied):
        services.edit_post(other, post.pk, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.delete_post(other, post.pk)
    moderator = add_member(public, role=Role.MODERATOR)
    services.delete_post(moderator, post.pk)
    assert Post.objects.get(pk=post.pk).status == ContentStatus.REMOVED


def test_an_author_deletes_for_good(public, member_of_public):
    post = _post(member_of_public, public)
    services.delete_post(member_of_public, post.pk)
    assert not Post.objects.filter(pk=post.pk).exists()


def test_replies_are_chronological_and_notify_the_post_author(public, member_of_public):
    post = _post(member_of_public, public)
    replier = add_member(public)
    first = services.create_reply(replier, post.pk, body="First")
    second = services.create_reply(member_of_public, post.pk, body="Second")
    view = services.get_post(replier, post.pk)[1]
    assert list(services.post_replies(post, view)) == [first, second]
    assert Notification.objects.filter(recipient=member_of_public, kind="reply").count() == 1
    post.refresh_from_db()
    assert post.reply_count == 2


def test_a_mention_notifies_the_member_and_links_to_the_profile(public, member_of_public):
    mentioned = add_member(public)
    post = _post(member_of_public, public, body=f"Thanks @{mentioned.handle} for the intro")
    assert Notification.objects.filter(recipient=mentioned, kind="mention", post=post).exists()
    assert f'href="/members/{mentioned.pk}/"' in post.body_html


def test_a_mention_in_a_private_community_never_reaches_a_non_member(
    private, member_of_private, outsider
):
    _post(member_of_private, private, body=f"cc @{outsider.handle}")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_reactions_toggle_and_count(public, member_of_public):
    post = _post(member_of_public, public)
    reader = add_member(public)
    assert services.toggle_reaction(reader, kind="like", post_id=post.pk) is True
    assert services.toggle_reaction(reader, kind="celebrate", post_id=post.pk) is True
    post.refresh_from_db()
    assert post.reaction_count == 2
    assert services.toggle_reaction(reader, kind="like", post_id=post.pk) is False
    post.refresh_from_db()
    assert post.reaction_count == 1
    assert Reaction.objects.filter(user=reader).count() == 1
    with pytest.raises(ValidationError):
        services.toggle_reaction(reader, kind="angry", post_id=post.pk)


def test_two_toggles_at_the_same_moment_keep_the_stored_count_true(
    public, member_of_public, monkeypatch
):
    """The same reaction arrives twice at once: the second request finds nothing to take
    back, then finds the first one's row already there when it inserts."""
    post = _post(member_of_public, public)
    reader = add_member(public)
    delete = QuerySet.delete

    def other_request_gets_there_first(rows):
        found = delete(rows)
        monkeypatch.setattr(QuerySet, "delete", delete)
        services.toggle_reaction(reader, kind="like", post_id=post.pk)
        return found

    monkeypatch.setattr(QuerySet, "delete", other_request_gets_there_first)
    assert services.toggle_reaction(reader, kind="like", post_id=post.pk) is True
    post.refresh_from_db()
    assert post.reaction_count == Reaction.objects.filter(post=post).count() == 1


def test_an_edit_keeps_the_reactions_that_arrived_while_it_was_being_saved(
    public, member_of_public, monkeypatch
):
    post = _post(member_of_public, public)
    reply = services.create_reply(member_of_public, post.pk, body="r")
    reader = add_member(public)
    load_post, load_reply = posting.get_post, posting.get_reply

    def loaded_then_reacted(load, **target):
        def load_and_react(user, pk):
            loaded = load(user, pk)
            if user == member_of_public:
                services.toggle_reaction(reader, kind="like", **target)
            return loaded

        return load_and_react

    monkeypatch.setattr(posting, "get_post", loaded_then_reacted(load_post, post_id=post.pk))
    monkeypatch.setattr(posting, "get_reply", loaded_then_reacted(load_reply, reply_id=reply.pk))
    services.edit_post(member_of_public, post.pk, body="Edited")
    services.edit_reply(member_of_public, reply.pk, body="Edited")
    post.refresh_from_db()
    reply.refresh_from_db()
    assert (post.reaction_count, reply.reaction_count, post.reply_count) == (1, 1, 1)


def test_moderators_pin_posts_and_pinned_posts_come_first(public, member_of_public, owner):
    older = _post(member_of_public, public, title="Older")
    _post(member_of_public, public, title="Newer")
    with pytest.raises(PermissionDenied):
        services.set_pinned(member_of_public, older.pk, True)
    services.set_pinned(owner, older.pk, True)
    view = services.get_community(owner, public.slug)
    assert [p.title for p in services.community_posts(view)] == ["Older", "Newer"]


def test_the_hot_order_ranks_engagement_over_a_little_recency(public, member_of_public):
    quiet = _post(member_of_public, public, title="Quiet")
    busy = _post(member_of_public, public, title="Busy")
    Post.objects.filter(pk=busy.pk).update(
        created_at=quiet.created_at.replace(year=quiet.created_at.year)
    )
    for _ in range(5):
        services.create_reply(add_member(public), busy.pk, body="+1")
    newest = _post(member_of_public, public, title="Newest")
    view = services.get_community(member_of_public, public.slug)
    assert next(p.title for p in services.community_posts(view, order="hot")) == "Busy"
    assert next(p.title for p in services.community_posts(view)) == newest.title


def test_banned_members_can_neither_read_nor_post(public, owner, member_of_public):
    post = _post(owner, public)
    services.remove_member(owner, public.slug, member_of_public.pk, ban=True)
    with pytest.raises(Http404):
        services.get_post(member_of_public, post.pk)
    with pytest.raises((PermissionDenied, Http404)):
        services.create_reply(member_of_public, post.pk, body="let me in")


def test_the_post_page_shows_replies_and_reactions(public, member_of_public):
    post = _post(member_of_public, public, title="Hiring a CTO")
    services.create_reply(member_of_public, post.pk, body="DM me")
    response = client_for(member_of_public).get(f"/p/{post.pk}/")
    body = response.content.decode()
    assert "Hiring a CTO" in body and "DM me" in body and 'class="reactions"' in body


def test_posting_through_the_page_redirects_to_the_new_post(public, member_of_public):
    response = client_for(member_of_public).post(
        f"/c/{public.slug}/posts/",
        {"title": "Launch day", "body": "We launched!", "tags": "launch, 发布"},
    )
    post = Post.objects.get(title="Launch day")
    assert response.status_code == 302 and response["Location"] == f"/p/{post.pk}/"
    assert sorted(t.name for t in post.tags.all()) == ["launch", "发布"]


def test_an_htmx_reaction_returns_the_updated_buttons(public, member_of_public):
    post = _post(member_of_public, public)
    response = client_for(member_of_public).post(
        f"/p/{post.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()


def test_the_api_creates_lists_and_reacts(public, member_of_public):
    api = client_for(member_of_public)
    created = api.post(
        f"/api/v1/communities/{public.slug}/posts",
        json.dumps({"title": "API post", "body": "hello", "tags": ["api"]}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    post_id = created.json()["id"]
    listed = api.get(f"/api/v1/communities/{public.slug}/posts").json()
    assert [p["id"] for p in listed["items"]] == [post_id]
    reply = api.post(
        f"/api/v1/posts/{post_id}/replies",
        json.dumps({"body": "hi"}),
        content_type="application/json",
    )
    assert reply.status_code == 201
    on = api.post(
        f"/api/v1/posts/{post_id}/reactions",
        json.dumps({"kind": "like"}),
        content_type="application/json",
    )
    assert on.json() == {"on": True}


def test_an_empty_api_post_is_400_naming_the_field(public, member_of_public):
    response = client_for(member_of_public).post(
        f"/api/v1/communities/{public.slug}/posts",
        json.dumps({"title": "x", "body": "  "}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
