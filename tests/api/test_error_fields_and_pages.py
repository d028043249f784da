import pytest

from seedbed.communities import services as communities


@pytest.mark.parametrize(
    "path", ["/api/v1/events", "/api/v1/communities", "/api/v1/projects", "/api/v1/offers"]
)
def test_a_huge_page_number_is_422_naming_page_not_500(member_client, path):
    response = member_client.get(path, {"page": 10**30})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_a_field_called_body_is_named_in_a_422(member, member_client):
    community = communities.create_community(member, name="Field names")
    post = communities.create_post(member, community.slug, title="Hello", body="First")
    response = member_client.post(
        f"/api/v1/posts/{post.pk}/replies", {"body": 42}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
