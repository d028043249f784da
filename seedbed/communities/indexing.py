"""Keeps the search index in step with communities, posts and replies. Called inside the
service's transaction, so the index never shows what the database has taken back.

A reply is indexed under its thread (``thread_id``) with the thread's title for display only,
so a reply such as "Following, same question here." is found by what it says, never by the
title it sits under, and search shows the thread once."""

from django.db.models import Count, Q
from django.urls import reverse

from seedbed.communities.models import Community, ContentStatus, Post, Reply, Visibility
from seedbed.core.markdown import plain_text
from seedbed.search import services as search
from seedbed.search.services import Document, engagement_boost


def _community_doc(community: Community, members: int) -> Document:
    return Document(
        "community",
        community.pk,
        community.name,
        plain_text(community.description),
        reverse("communities:detail", args=[community.slug]),
        community.created_at,
        community_id=community.pk,
        is_public=community.visibility == Visibility.PUBLIC,
        boost=engagement_boost(members),
    )


def index_community(community: Community, *, with_content: bool = False) -> None:
    if community.archived_at is not None:
        return remove_community(community)
    search.index_documents([_community_doc(community, community.memberships.count())])
    if with_content:
        search.set_community_visibility(
            community.pk, is_public=community.visibility == Visibility.PUBLIC
        )
    return None


def remove_community(community: Community) -> None:
    search.remove_community_documents(community.pk)


def _post_doc(post: Post, public: bool) -> Document:
    return Document(
        "post",
        post.pk,
        post.title,
        plain_text(post.body),
        reverse("communities:post", args=[post.pk]),
        post.created_at,
        community_id=post.community_id,
        is_public=public,
        thread_id=post.pk,
        boost=engagement_boost(2 * post.reply_count + post.reaction_count),
    )


def _reply_doc(reply: Reply, post: Post, public: bool) -> Document:
    return Document(
        "reply",
        reply.pk,
        post.title,
        plain_text(reply.body),
        reverse("communities:post", args=[post.pk]) + f"#reply-{reply.pk}",
        reply.created_at,
        community_id=post.community_id,
        is_public=public,
        thread_id=post.pk,
        boost=engagement_boost(reply.reaction_count),
        title_searchable=False,
    )


def index_post(post: Post) -> None:
    if post.status != ContentStatus.VISIBLE:
        return remove_post(post)
    search.index_documents([_post_doc(post, post.community.visibility == Visibility.PUBLIC)])
    return None


def remove_post(post: Post) -> None:
    search.remove_document("post", post.pk)
    search.remove_documents("reply", list(post.replies.values_list("pk", flat=True)))


def index_reply(reply: Reply, post: Post) -> None:
    if reply.status != ContentStatus.VISIBLE or post.status != ContentStatus.VISIBLE:
        return remove_reply(reply)
    public = post.community.visibility == Visibility.PUBLIC
    search.index_documents([_reply_doc(reply, post, public)])
    return None


def remove_reply(reply: Reply) -> None:
    search.remove_document("reply", reply.pk)


def rebuild() -> int:
    """Every searchable community, post and reply, from the tables (``reindex_search``)."""
    live = Q(archived_at__isnull=True)
    communities = Community.objects.filter(live).annotate(members=Count("memberships"))
    public = {c.pk: c.visibility for c in communities}
    done = search.replace_kind(
        ["community"],
        (_community_doc(c, c.members) for c in communities),
    )
    visible = ContentStatus.VISIBLE
    posts = Post.objects.filter(status=visible, community_id__in=list(public)).order_by("pk")
    done += search.replace_kind(
        ["post"],
        (_post_doc(p, public[p.community_id] == Visibility.PUBLIC) for p in posts.iterator()),
    )
    replies = (
        Reply.objects.filter(status=visible, post__in=posts).select_related("post").order_by("pk")
    )
    done += search.replace_kind(
        ["reply"],
        (
            _reply_doc(r, r.post, public[r.post.community_id] == Visibility.PUBLIC)
            for r in replies.iterator()
        ),
    )
    return done
