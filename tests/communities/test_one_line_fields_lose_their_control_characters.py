"""A community's name, its tags and a removal's reason are single lines: a line break or a
control character in them would break e-mail subjects and calendar files downstream."""

import pytest
from django.core.exceptions import ValidationError

from seedbed.communities import services
from seedbed.communities.models import Community, ModerationAction
from tests.communities.conftest import client_for

pytestmark = pytest.mark.django_db

HOSTILE = "Climate\r\nBcc: victim@example.org\x00\x07 \u202eBuilders\u2028"


def test_creating_a_community_keeps_its_name_on_one_line(owner):
    community = services.create_community(owner, name=HOSTILE, tags=["clean\nenergy\x0b"])
    assert community.name == "Climate Bcc: victim@example.org Builders"
    assert [t.name for t in community.tags.all()] == ["clean energy"]


def test_renaming_a_community_keeps_its_name_on_one_line(owner, public):
    services.update_community(owner, public.slug, name="Renamed\nX-Header: 1")
    public.refresh_from_db()
    assert public.name == "Renamed X-Header: 1"


def test_a_name_of_only_control_characters_is_refused_as_empty(owner):
    with pytest.raises(ValidationError) as refused:
        services.create_community(owner, name="\r\n\u202e\x07")
    assert "name" in refused.value.message_dict
    assert not Community.objects.exists()


def test_the_api_stores_a_clean_name(owner):
    response = client_for(owner).post(
        "/api/v1/communities",
        {"name": "API\r\nclub", "visibility": "public"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["name"] == "API club"


def test_the_create_page_stores_a_clean_name(owner):
    response = client_for(owner).post(
        "/c/new/", {"name": "Page\tclub\u2029two", "visibility": "public"}
    )
    assert response.status_code == 302
    assert Community.objects.get().name == "Page club two"


def test_a_ban_reason_is_kept_on_one_line(owner, public, member_of_public):
    services.remove_member(owner, public.slug, member_of_public.pk, ban=True, reason="spam\r\nX")
    assert ModerationAction.objects.get(action="ban").note == "spam X"
