"""Keeps the search index in step with communities, posts and replies. Called inside the
service's transaction, so the index never shows what the database has taken back."""

from django.urls import reverse

from seedbed.communities.models import Community, ContentStatus, Post, Reply, Visibility
from seedbed.core.markdown import plain_text
from seedbed.search import services as search


def index_community(community: Community, *, with_content: bool = False) -> None:
    is_public = community.visibility == Visibility.PUBLIC
    search.index_document(
        "community",
        community.pk,
        community_id=community.pk,
        is_public=is_public,
        title=community.name,
        body=plain_text(community.description),
        url=reverse("communities:detail", args=[community.slug]),
        created_at=community.created_at,
    )
    if with_content:
        search.set_community_visibility(community.pk, is_public=is_public)


def remove_community(community: Community) -> None:
    search.remove_community_documents(community.pk)


def index_post(post: Post) -> None:
    if post.status != ContentStatus.VISIBLE:
        return remove_post(post)
    search.index_document(
        "post",
        post.pk,
        community_id=post.community_id,
        is_public=post.community.visibility == Visibility.PUBLIC,
        title=post.title,
        body=plain_text(post.body),
        url=reverse("communities:post", args=[post.pk]),
        created_at=post.created_at,
    )
    return None


def remove_post(post: Post) -> None:
    search.remove_document("post", post.pk)
    for reply_id in post.replies.values_list("pk", flat=True):
        search.remove_document("reply", reply_id)


def index_reply(reply: Reply, post: Post) -> None:
    if reply.status != ContentStatus.VISIBLE or post.status != ContentStatus.VISIBLE:
        return remove_reply(reply)
    search.index_document(
        "reply",
        reply.pk,
        community_id=post.community_id,
        is_public=post.community.visibility == Visibility.PUBLIC,
        title=post.title,
        body=plain_text(reply.body),
        url=reverse("communities:post", args=[post.pk]) + f"#reply-{reply.pk}",
        created_at=reply.created_at,
    )
    return None


def remove_reply(reply: Reply) -> None:
    search.remove_document("reply", reply.pk)
