import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed.discovery import services
from seedbed.discovery.models import Dismissal, Recommendation
from tests.discovery.conftest import client_for, store
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_a_stored_community_comes_back_as_a_suggestion_with_its_link_and_reason(
    member, public_community
):
    row = store(member, "community", public_community, params={"count": 4})
    [found] = services.suggestions_for(member, "communities")
    assert found.id == row.pk
    assert found.kind == "communities"
    assert found.object == public_community
    assert found.title == "Fintech Founders"
    assert found.url == f"/c/{public_community.slug}/"
    assert found.reason == "Popular: 4 members took part."


@pytest.mark.django_db
def test_visitors_get_no_suggestions(member, public_community):
    store(member, "community", public_community)
    assert services.suggestions_for(AnonymousUser(), "communities") == []
    assert services.suggestions_for(None, "communities") == []


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_naming_the_field(member):
    with pytest.raises(ValidationError) as refused:
        services.suggestions_for(member, "projects")
    assert "kind" in refused.value.message_dict


@pytest.mark.django_db
def test_a_dismissed_suggestion_is_gone_and_remembered(member, public_community):
    row = store(member, "community", public_community)
    services.dismiss_suggestion(member, row.pk)
    assert services.suggestions_for(member, "communities") == []
    assert Dismissal.objects.filter(member=member, kind="community").count() == 1
    # Even if a later refresh stored it again, it stays hidden.
    store(member, "community", public_community)
    assert services.suggestions_for(member, "communities") == []


@pytest.mark.django_db
def test_nobody_dismisses_another_members_suggestion(member, public_community):
    row = store(member, "community", public_community)
    with pytest.raises(Recommendation.DoesNotExist):
        services.dismiss_suggestion(MemberFactory(), row.pk)
    with pytest.raises(PermissionDenied):
        services.dismiss_suggestion(AnonymousUser(), row.pk)
    assert Recommendation.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_the_partial_dismisses_with_htmx_and_without_javascript(member, public_community):
    client = client_for(member)
    row = store(member, "community", public_community)
    page = client.get("/for-you/")
    assert f'hx-post="/for-you/{row.pk}/dismiss/"' in page.content.decode()
    answer = client.post(f"/for-you/{row.pk}/dismiss/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and answer.content == b""
    row = store(member, "event", member)  # any row
    answer = client.post(f"/for-you/{row.pk}/dismiss/", {"next": "/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
