"""Creating communities is limited per member (COMMUNITY_CREATION_RATE_LIMITS), answered as
posting too fast is: the form again with a message and what was typed, 429 and Retry-After;
in the API, the 429 JSON error envelope. Operators, who set the platform up, are not limited."""

import pytest

from seedbed.accounts.models import MemberRole
from seedbed.communities import services
from seedbed.communities.models import Community
from seedbed.core.ratelimit import RateLimited
from tests.communities.conftest import client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.COMMUNITY_CREATION_RATE_LIMITS = [(2, 3600)]


def test_the_page_answers_429_with_retry_after_and_keeps_what_was_typed(tight, outsider):
    browser = client_for(outsider)
    for i in range(2):
        assert (
            browser.post("/c/new/", {"name": f"Club {i}", "visibility": "public"}).status_code
            == 302
        )
    response = browser.post(
        "/c/new/", {"name": "Third club", "description": "my long text", "visibility": "public"}
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    body = response.content.decode()
    assert "You are going very fast" in body and "my long text" in body
    assert Community.objects.count() == 2


def test_the_api_answers_429_in_the_error_envelope(tight, outsider):
    api = client_for(outsider)
    payload = {"name": "Club", "visibility": "public"}
    for _ in range(2):
        assert (
            api.post("/api/v1/communities", payload, content_type="application/json").status_code
            == 201
        )
    response = api.post("/api/v1/communities", payload, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Community.objects.count() == 2


def test_the_limit_is_per_member(tight, outsider, owner):
    for i in range(2):
        services.create_community(outsider, name=f"Club {i}")
    with pytest.raises(RateLimited):
        services.create_community(outsider, name="One too many")
    assert services.create_community(owner, name="Someone else's club").pk


def test_refused_input_does_not_use_up_the_limit(tight, outsider):
    for _ in range(3):
        response = client_for(outsider).post("/c/new/", {"name": "\n", "visibility": "public"})
        assert response.status_code == 200
    for i in range(2):
        services.create_community(outsider, name=f"Club {i}")


def test_operators_are_not_limited(tight):
    operator = MemberFactory(is_staff=True)
    MemberRole.objects.create(user=operator, role="operator")
    for i in range(4):
        services.create_community(operator, name=f"Club {i}")
    assert Community.objects.count() == 4
