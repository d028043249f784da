import json

import pytest

from seedbed.accounts.services import create_api_token
from seedbed.communities.models import Post
from tests.communities.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.POSTING_RATE_LIMITS = [(3, 60)]


def test_posting_too_fast_on_the_page_is_429_with_retry_after_and_keeps_the_text(
    tight, public, member_of_public
):
    browser = client_for(member_of_public)
    for i in range(3):
        assert (
            browser.post(f"/c/{public.slug}/posts/", {"title": f"t{i}", "body": "b"}).status_code
            == 302
        )
    response = browser.post(f"/c/{public.slug}/posts/", {"title": "fourth", "body": "my long text"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "my long text" in response.content.decode()
    assert Post.objects.count() == 3


def test_replying_too_fast_on_the_page_is_429_with_retry_after_and_keeps_the_text(
    tight, public, member_of_public
):
    browser = client_for(member_of_public)
    post = Post.objects.create(community=public, author=member_of_public, title="t", body="b")
    for i in range(3):
        assert browser.post(f"/p/{post.pk}/replies/", {"body": f"r{i}"}).status_code == 302
    response = browser.post(f"/p/{post.pk}/replies/", {"body": "my careful answer"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "my careful answer" in response.content.decode()


def test_posting_too_fast_through_the_api_is_429_json_with_retry_after(
    tight, public, member_of_public
):
    _token, secret = create_api_token(member_of_public, "bot")
    api = client_for(None)
    url = f"/api/v1/communities/{public.slug}/posts"
    for i in range(3):
        assert (
            api.post(
                url,
                json.dumps({"title": f"t{i}", "body": "b"}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
            ).status_code
            == 201
        )
    response = api.post(
        url,
        json.dumps({"title": "x", "body": "b"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]


def test_the_limit_is_per_member_so_a_new_token_does_not_reset_it(tight, public, member_of_public):
    for name in ("a", "b", "c", "d"):
        _token, secret = create_api_token(member_of_public, name)
        response = client_for(None).post(
            f"/api/v1/communities/{public.slug}/posts",
            json.dumps({"title": name, "body": "b"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code == 429
    assert Post.objects.count() == 3


def test_other_members_are_not_slowed_by_someone_elses_limit(
    tight, public, member_of_public, owner
):
    browser = client_for(member_of_public)
    for i in range(4):
        browser.post(f"/c/{public.slug}/posts/", {"title": f"t{i}", "body": "b"})
    response = client_for(owner).post(f"/c/{public.slug}/posts/", {"title": "mine", "body": "b"})
    assert response.status_code == 302
