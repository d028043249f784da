"""Slides after a salon, the recording after a meetup: organisers attach resources to events,
authors and moderators to posts; readers see only what they may see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership
from seedbed.events import services as events
from seedbed.library import services
from tests.events.conftest import event_fields
from tests.factories import MemberFactory
from tests.library.conftest import client_for


@pytest.fixture
def salon(world):
    return events.create_event(world["owner"], community=world["public"].slug, **event_fields())


def render_tag(obj, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load library_tags %}{% resources_for obj %}")
    return template.render(Context({"obj": obj, "user": user, "request": request}))


def test_organisers_attach_and_detach_event_resources(world, salon):
    services.attach_to_event(world["owner"], salon.pk, world["public_resource"].pk)
    services.attach_to_event(world["owner"], salon.pk, world["public_resource"].pk)
    assert [r.pk for r in services.resources_of_event(None, salon.pk)] == [
        world["public_resource"].pk
    ]
    with pytest.raises(PermissionDenied):
        services.attach_to_event(world["member"], salon.pk, world["platform_resource"].pk)
    services.detach_from_event(world["owner"], salon.pk, world["public_resource"].pk)
    assert list(services.resources_of_event(None, salon.pk)) == []


def test_post_authors_and_moderators_attach(world):
    post = community_services.create_post(
        world["member"], world["private"].slug, title="Our deck", body="See the cap table."
    )
    services.attach_to_post(world["member"], post.pk, world["private_resource"].pk)
    with pytest.raises(Http404):
        services.attach_to_post(world["outsider"], post.pk, world["platform_resource"].pk)
    bystander = MemberFactory()
    Membership.objects.create(community=world["private"], user=bystander)
    with pytest.raises(PermissionDenied):
        services.attach_to_post(bystander, post.pk, world["platform_resource"].pk)
    services.attach_to_post(world["moderator"], post.pk, world["platform_resource"].pk)
    assert len(services.resources_of_post(world["member"], post.pk)) == 2
    with pytest.raises(Exception) as refused:
        services.resources_of_post(world["outsider"], post.pk)
    assert refused.typename == "Http404"


def test_the_tag_lists_resources_and_offers_the_form_to_organisers_only(world, salon):
    services.attach_to_event(world["owner"], salon.pk, world["public_resource"].pk)
    for_member = render_tag(salon, world["member"])
    assert "Open term sheet guide" in for_member and "Attach a resource" not in for_member
    for_organiser = render_tag(salon, world["owner"])
    assert "Attach a resource" in for_organiser and "Deep Learning" in for_organiser
    assert "Secret cap table" not in for_organiser  # a private resource for a public event


def test_the_attach_view_answers_for_events_and_posts(world, salon):
    client = client_for(world["owner"])
    response = client.post(
        f"/library/attach/event/{salon.pk}/", {"resource": world["platform_resource"].pk}
    )
    assert response.status_code == 302
    assert [r.title for r in services.resources_of_event(None, salon.pk)] == ["Deep Learning"]
    refused = client_for(world["member"]).post(
        f"/library/attach/event/{salon.pk}/", {"resource": world["platform_resource"].pk}
    )
    assert refused.status_code == 403
    assert client.post(f"/library/attach/poster/{salon.pk}/", {"resource": 1}).status_code == 404


def test_the_post_page_shows_its_resources_to_its_readers(world):
    post = community_services.create_post(
        world["member"], world["private"].slug, title="Our deck", body="See the cap table."
    )
    services.attach_to_post(world["member"], post.pk, world["private_resource"].pk)
    page = client_for(world["member"]).get(f"/p/{post.pk}/")
    assert page.status_code == 200 and "Secret cap table" in page.content.decode()
    assert client_for(world["outsider"]).get(f"/p/{post.pk}/").status_code == 404


def test_the_event_page_shows_its_resources(world, salon):
    services.attach_to_event(world["owner"], salon.pk, world["public_resource"].pk)
    page = client_for(world["member"]).get(f"/events/{salon.pk}/")
    assert page.status_code == 200 and "Open term sheet guide" in page.content.decode()
