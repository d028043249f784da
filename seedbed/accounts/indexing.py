"""Keeps the search index in step with member profiles. A public profile is found by anyone,
a members-only one by signed-in members; an inactive account by no one (search also checks
``is_active`` live, so an account switched off in the admin vanishes at once). The e-mail
address is never indexed."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse

from seedbed.accounts.models import Role, Stage, User, Visibility
from seedbed.search import services as search
from seedbed.search.services import Document
from seedbed.search.text import both_languages


def _members(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(is_active=True).prefetch_related(
        "role_rows", "sectors", "skills", "interests"
    )


def _documents(users: Iterable[User]) -> Iterator[Document]:
    for user in users:
        labels = [Role(r.role).label for r in user.role_rows.all() if r.role in Role.values]
        if user.stage in Stage.values:
            labels.append(Stage(user.stage).label)
        words = [
            user.headline,
            user.bio,
            user.city,
            both_languages(labels),
            " ".join(f"{s.name_en} {s.name_zh}" for s in user.sectors.all()),
            " ".join(t.name for t in user.skills.all()),
            " ".join(t.name for t in user.interests.all()),
        ]
        yield Document(
            "member",
            user.pk,
            f"{user.display_name} @{user.handle}",
            " ".join(w for w in words if w),
            reverse("accounts:profile", args=[user.pk]),
            user.date_joined,
            is_public=user.visibility == Visibility.PUBLIC,
            members_only=True,
            owner_id=user.pk,
        )


def index_member(user: User) -> None:
    """Index this member's profile as it is now, or take it out when the account is off."""
    docs = list(_documents(_members(User.objects.filter(pk=user.pk))))
    if docs:
        search.index_documents(docs)
    else:
        search.remove_document("member", user.pk)


def rebuild() -> int:
    return search.replace_kind(["member"], _documents(_members(User.objects.order_by("pk"))))
