"""One rule for whose profile a viewer may see, for a single member and for a whole queryset
(other apps filter their lists of members through it)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from seedbed.accounts.access import may_see_profile, visible_profiles
from seedbed.accounts.models import ApiToken, User, Visibility
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "public": MemberFactory(visibility=Visibility.PUBLIC),
        "members_only": MemberFactory(visibility=Visibility.MEMBERS),
        "gone": MemberFactory(visibility=Visibility.PUBLIC, is_active=False),
    }


def test_a_visitor_sees_only_active_public_profiles(people):
    visitor = AnonymousUser()
    assert set(User.objects.filter(visible_profiles(visitor))) == {people["public"]}
    assert [may_see_profile(visitor, m) for m in people.values()] == [True, False, False]


def test_a_member_sees_every_active_profile(people, member):
    seen = set(User.objects.filter(visible_profiles(member)))
    assert seen == {people["public"], people["members_only"], member}
    assert [may_see_profile(member, m) for m in people.values()] == [True, True, False]


def test_the_rule_reaches_members_through_a_relation(people, django_assert_num_queries):
    for m in people.values():
        ApiToken.objects.create(user=m, name="t", digest=f"d{m.pk}", hint="h")
    with django_assert_num_queries(1):
        owners = {t.user_id for t in ApiToken.objects.filter(visible_profiles(None, "user__"))}
    assert owners == {people["public"].pk}
