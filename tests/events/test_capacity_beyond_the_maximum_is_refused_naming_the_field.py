"""Issue #14, finding 3: a capacity of 2³¹ or more through the API gave a 500 (the column is a
32-bit integer). Every way of setting a capacity refuses more than `MAX_CAPACITY` by name."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from seedbed.events import services
from seedbed.events.models import MAX_CAPACITY, Event
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
TOO_MANY = [MAX_CAPACITY + 1, 2**31 - 1, 2**31, 2**63, 10**30]


@pytest.fixture
def organiser(db):
    return MemberFactory(is_staff=True)


@pytest.fixture
def event(organiser):
    return services.create_event(organiser, **event_fields(capacity=5))


def _api(user, method: str, url: str, body: dict):
    client = Client()
    client.force_login(user)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _names_capacity(response) -> None:
    assert response.status_code in (400, 422), response.content
    body = response.json()
    assert body["code"] in ("invalid_input", "rule_broken")
    assert "capacity" in {error["field"] for error in body["errors"]}, body


@pytest.mark.parametrize("capacity", TOO_MANY)
def test_the_api_refuses_a_capacity_above_the_maximum(organiser, event, capacity):
    _names_capacity(
        _api(organiser, "put", f"/api/v1/events/{event.pk}/capacity", {"capacity": capacity})
    )
    _names_capacity(_api(organiser, "patch", f"/api/v1/events/{event.pk}", {"capacity": capacity}))
    body = {
        "kind": "salon",
        "title": "Huge",
        "venue": "Stadium",
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "capacity": capacity,
    }
    _names_capacity(_api(organiser, "post", "/api/v1/events", body))
    assert Event.objects.get(pk=event.pk).capacity == 5
    assert Event.objects.count() == 1


def test_the_maximum_itself_is_accepted(organiser, event):
    response = _api(
        organiser, "put", f"/api/v1/events/{event.pk}/capacity", {"capacity": MAX_CAPACITY}
    )
    assert response.status_code == 200, response.content
    assert Event.objects.get(pk=event.pk).capacity == MAX_CAPACITY


def test_the_services_refuse_a_capacity_above_the_maximum(organiser, event):
    for change in (
        lambda: services.set_capacity(organiser, event.pk, 2**31),
        lambda: services.update_event(organiser, event.pk, capacity=2**31),
        lambda: services.create_event(organiser, **event_fields(capacity=2**31)),
    ):
        with pytest.raises(ValidationError) as error:
            change()
        assert "capacity" in error.value.message_dict
    assert Event.objects.get(pk=event.pk).capacity == 5


def test_the_forms_refuse_a_capacity_above_the_maximum_with_a_message(organiser, event):
    client = Client()
    client.force_login(organiser)
    response = client.post(f"/events/{event.pk}/capacity/", {"capacity": str(2**31)}, follow=True)
    assert response.status_code == 200
    assert str(MAX_CAPACITY) in response.content.decode().replace(",", "")
    local = event.starts_at.strftime("%Y-%m-%dT%H:%M")
    data = {
        "kind": "salon",
        "title": "Huge",
        "time_zone": "UTC",
        "starts_at": local,
        "ends_at": event.ends_at.strftime("%Y-%m-%dT%H:%M"),
        "venue": "Stadium",
        "capacity": str(2**31),
    }
    response = client.post("/events/new/", data)
    assert response.status_code in (200, 400)
    assert "capacity" in response.context["form"].errors
    response = client.post(f"/events/{event.pk}/edit/", data | {"scope": "one"})
    assert response.status_code in (200, 400)
    assert "capacity" in response.context["form"].errors
    assert Event.objects.get(pk=event.pk).capacity == 5
    assert Event.objects.count() == 1
