"""The database failing half-way through a request: the member gets a 503 (a page in the site's
layout, or the API's envelope), and what the request had already written is rolled back."""

import json

import pytest
from django.db import OperationalError
from django.test import Client

from seedbed.communities.models import Community, Membership
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outage_after_the_first_writes(monkeypatch):
    """The community and its owner's membership are written, then the database goes away."""
    calls = []

    def fail(community):
        calls.append(community.pk)
        assert Community.objects.filter(pk=community.pk).exists()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("seedbed.communities.indexing.index_community", fail)
    return calls


def test_a_page_answers_503_in_the_site_layout_and_keeps_nothing(outage_after_the_first_writes):
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    response = client.post("/c/new/", {"name": "Doomed", "visibility": "public"})
    assert outage_after_the_first_writes, "the outage never happened"
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Temporarily unavailable" in html
    assert 'class="topbar"' in html and member.display_name in html
    assert not Community.objects.filter(name="Doomed").exists()
    assert not Membership.objects.filter(user=member).exists()


def test_the_page_is_translated(outage_after_the_first_writes):
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(MemberFactory())
    response = client.post("/c/new/", {"name": "Doomed", "visibility": "public"})
    assert response.status_code == 503
    assert "暂时无法使用" in response.content.decode()


def test_the_api_answers_503_in_the_envelope_and_keeps_nothing(outage_after_the_first_writes):
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    response = client.post(
        "/api/v1/communities", json.dumps({"name": "Doomed"}), content_type="application/json"
    )
    assert outage_after_the_first_writes, "the outage never happened"
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "unavailable"
    assert response.json()["detail"]
    assert not Community.objects.filter(name="Doomed").exists()
    assert not Membership.objects.filter(user=member).exists()


def test_other_database_errors_are_not_disguised_as_an_outage(monkeypatch):
    """An integrity error is a bug to fix, not a reason to retry: it stays a 500."""
    from django.db import IntegrityError

    def fail(community):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("seedbed.communities.indexing.index_community", fail)
    client = Client(raise_request_exception=False)
    client.force_login(MemberFactory())
    assert client.post("/c/new/", {"name": "Doomed", "visibility": "public"}).status_code == 500
