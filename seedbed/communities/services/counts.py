"""The counters stored on posts (replies, reactions, hotness), changed in the database and
never from a copy loaded earlier, so two requests at the same moment cannot overwrite each
other's count."""

from datetime import datetime

from django.db.models import F

from seedbed.communities.models import ContentStatus, Post, Reply, hot_score


def add_reactions(delta: int, *, post_id: int | None = None, reply_id: int | None = None) -> None:
    """Move a reaction counter by the rows this request really added or deleted."""
    if not delta:
        return
    if post_id is not None:
        Post.objects.filter(pk=post_id).update(reaction_count=F("reaction_count") + delta)
        refresh_hot(post_id)
    elif reply_id is not None:
        Reply.objects.filter(pk=reply_id).update(reaction_count=F("reaction_count") + delta)


def add_reply(post_id: int, now: datetime) -> None:
    Post.objects.filter(pk=post_id).update(reply_count=F("reply_count") + 1, last_activity_at=now)
    refresh_hot(post_id)


def recount_replies(post_id: int) -> None:
    count = Reply.objects.filter(post_id=post_id, status=ContentStatus.VISIBLE).count()
    Post.objects.filter(pk=post_id).update(reply_count=count)
    refresh_hot(post_id)


def refresh_hot(post_id: int) -> None:
    post = Post.objects.only("created_at", "reply_count", "reaction_count").get(pk=post_id)
    Post.objects.filter(pk=post_id).update(
        hot=hot_score(post.created_at, post.reply_count, post.reaction_count)
    )
