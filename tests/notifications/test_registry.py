"""Senders may only send kinds an app registered; a kind says itself from its registration."""

import pytest
from django.db.models import Q

from seedbed.notifications import registry, services
from seedbed.notifications.models import Notification
from seedbed.notifications.services import notify
from tests.notifications.conftest import client_for, send

pytestmark = pytest.mark.django_db


def test_an_unregistered_kind_is_refused_and_nothing_is_stored(reader, actor):
    with pytest.raises(ValueError, match="No notification kind 'poke'"):
        notify([reader], "poke", actor=actor)
    assert not Notification.objects.exists()


def test_a_notification_cannot_point_at_something_it_has_no_column_for(world, reader, actor):
    with pytest.raises(ValueError, match="cannot point at project"):
        notify([reader], "intro_requested", actor=actor, project=world["intro"].project)


def test_a_kind_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("mention", "x", names=dict, link=str)


def test_the_actor_is_never_told_and_each_recipient_once(world, reader, actor):
    notify([reader.pk, reader, actor], "join_request", actor=actor, community=world["community"])
    assert list(Notification.objects.values_list("recipient", flat=True)) == [reader.pk]


def test_a_stored_notification_of_a_kind_no_app_registers_is_left_out_not_an_error(
    world, reader, actor
):
    Notification.objects.create(recipient=reader, actor=actor, kind="retired_kind")
    send("invitation", world, reader, actor)
    assert services.unread_count(reader) == 1
    assert client_for(reader).get("/notifications/").status_code == 200


def test_a_new_kind_needs_only_its_registration(monkeypatch, world, reader, actor):
    monkeypatch.setitem(
        registry.KINDS,
        "welcome",
        registry.Kind(
            "welcome",
            "%(actor)s welcomes you to %(community)s.",
            names=lambda n: {"community": n.community.name},
            link=lambda n: "/welcome/",
            related=("community",),
            visible=lambda user: Q(community__name="Founders Circle"),
        ),
    )
    notify([reader], "welcome", actor=actor, community=world["community"])
    page = client_for(reader).get("/notifications/").content.decode()
    assert 'href="/welcome/">Alan Actor welcomes you to Founders Circle.</a>' in page
