"""Its author or a moderator edits a resource; nobody else; adding too fast is refused."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from seedbed.core.ratelimit import RateLimited
from seedbed.library import services
from tests.library.conftest import api_for, client_for


def test_author_and_moderators_edit_others_may_not(world):
    resource = world["public_resource"]
    services.edit_resource(world["owner"], resource.pk, title="Open term sheet guide, v2")
    services.edit_resource(world["moderator"], resource.pk, topics=["term sheets", "融资"])
    resource.refresh_from_db()
    assert resource.title == "Open term sheet guide, v2"
    assert sorted(t.name for t in resource.topics.all()) == ["term sheets", "融资"]
    with pytest.raises(PermissionDenied):
        services.edit_resource(world["member"], resource.pk, title="Mine now")
    with pytest.raises(ValidationError) as refused:
        services.edit_resource(world["owner"], resource.pk, author=world["member"].pk)
    assert "author" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.edit_resource(world["owner"], resource.pk, link="")
    assert "link" in refused.value.message_dict


def test_the_edit_page_and_api(world):
    resource = world["public_resource"]
    assert (
        client_for(world["member"]).get(reverse("library:edit", args=[resource.pk])).status_code
        == 404
    )
    page = client_for(world["owner"]).get(reverse("library:edit", args=[resource.pk]))
    assert page.status_code == 200 and "fundraising" in page.text
    patched = api_for(world["owner"]).patch(
        f"/api/v1/library/resources/{resource.pk}",
        json.dumps({"level": "advanced", "description": "**Read first**"}),
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["level"] == "advanced"
    assert patched.json()["description_html"].strip() == "<p><strong>Read first</strong></p>"
    refused = api_for(world["member"]).patch(
        f"/api/v1/library/resources/{resource.pk}",
        json.dumps({"title": "x"}),
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_descriptions_are_rendered_safely(world):
    resource = services.add_resource(
        world["operator"],
        kind="article",
        title="Safe",
        link="https://example.org/s",
        description="<script>alert(1)</script> [x](javascript:alert(1))",
    )
    assert "<script" not in resource.description_html
    assert 'href="javascript' not in resource.description_html


def test_adding_too_fast_is_refused(world, settings):
    settings.POSTING_RATE_LIMITS = [(2, 60)]
    for i in range(2):
        services.add_resource(
            world["member"], kind="tool", title=f"Tool {i}", link="https://example.org/t"
        )
    with pytest.raises(RateLimited):
        services.add_resource(
            world["member"], kind="tool", title="One more", link="https://example.org/t"
        )
    response = api_for(world["member"]).post(
        "/api/v1/library/resources",
        json.dumps({"kind": "tool", "title": "Again", "link": "https://example.org/t"}),
        content_type="application/json",
    )
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
