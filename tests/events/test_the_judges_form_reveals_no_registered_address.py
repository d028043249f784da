"""Issue #14, finding 5: the competition's judges form added a judge by e-mail address, so an
organiser could learn whether any address belongs to a member. Judges are now named by their
public @handle (the page) or id (the API); an e-mail address gets the same answer whether or
not anyone registered it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from seedbed.events import competitions, services
from seedbed.events.models import Judge
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cup(db):
    organiser, member = MemberFactory(is_staff=True), MemberFactory(email="known@example.org")
    start = timezone.now() + timedelta(days=5)
    event = services.create_event(
        organiser,
        kind="competition",
        title="Pitch cup",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue="Hub",
    )
    return organiser, member, event


def _page(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # CSRF tokens


def test_the_form_answers_alike_for_a_registered_and_an_unknown_address(cup):
    organiser, _member, event = cup
    client = Client()
    client.force_login(organiser)
    url = f"/events/{event.pk}/competition/judges/"
    known = client.post(url, {"member": "known@example.org"})
    unknown = client.post(url, {"member": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 400
    assert _page(known).replace("known@", "X@") == _page(unknown).replace("nobody@", "X@")
    assert not Judge.objects.exists()


def test_the_service_refuses_every_address_with_one_message(cup):
    organiser, member, event = cup
    answers = []
    for address in (member.email, member.email.upper(), "nobody@example.org"):
        with pytest.raises(ValidationError) as error:
            competitions.add_judge(organiser, event.pk, address)
        answers.append(error.value.message_dict)
    assert answers[0] == answers[1] == answers[2]
    assert "@handle" in answers[0]["member"][0]
    assert not Judge.objects.exists()


def test_judges_are_still_added_by_handle_or_id(cup):
    organiser, member, event = cup
    assert competitions.add_judge(organiser, event.pk, f"@{member.handle}").user == member
    client = Client()
    client.force_login(organiser)
    other = MemberFactory()
    response = client.post(
        f"/events/{event.pk}/competition/judges/", {"member": f"@{other.handle}"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/api/v1/events/{event.pk}/judges",
        {"user_id": MemberFactory().pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Judge.objects.filter(event=event).count() == 3
