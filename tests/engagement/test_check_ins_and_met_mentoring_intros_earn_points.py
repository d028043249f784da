"""Points from the other apps' events: a check-in (never an RSVP alone) and a mentoring intro
that was met; the reconciliation task earns what a signal missed and adds nothing twice."""

import pytest
from django.utils import timezone

from seedbed.engagement import rules, services, tasks
from seedbed.engagement.models import Action, PointEntry
from seedbed.events.models import RSVP
from seedbed.matching.models import Intro
from tests.engagement.conftest import attend, held_event, intro, offer_of, project_with, veteran

pytestmark = pytest.mark.django_db


def test_checking_in_earns_points_in_the_events_community_and_an_rsvp_alone_does_not(public):
    event = held_event(public)
    going, present = veteran(), veteran()
    RSVP.objects.create(event=event, user=going, status="confirmed")
    rsvp = attend(event, present)
    assert services.standing_of(going).balance == 0
    entry = PointEntry.objects.get(member=present)
    assert (entry.action, entry.amount, entry.community, entry.source_id) == (
        Action.ATTENDED,
        rules.POINTS[Action.ATTENDED],
        public,
        rsvp.pk,
    )
    rsvp.save()  # saved again: nothing more
    assert PointEntry.objects.filter(member=present).count() == 1


def test_a_met_mentoring_intro_earns_the_mentor_points_and_other_intros_do_not():
    mentor, investor, founder = veteran(), veteran(), veteran()
    project = project_with([founder], "acme")
    mentoring = intro(project, offer_of(mentor), status="accepted")
    assert services.standing_of(mentor).balance == 0
    mentoring.met_at = timezone.now()
    mentoring.save(update_fields=["met_at"])
    intro(project, offer_of(investor, "investor"), status="accepted", met_at=timezone.now())
    assert services.standing_of(mentor).balance == rules.POINTS[Action.INTRO_MET]
    assert services.standing_of(investor).balance == 0


def test_reconciliation_earns_what_signals_missed_and_a_second_run_adds_nothing(public):
    event = held_event(public)
    present = veteran()
    rsvp = RSVP.objects.create(event=event, user=present, status="confirmed")
    RSVP.objects.filter(pk=rsvp.pk).update(checked_in_at=timezone.now())  # no signal
    mentor = veteran()
    made = intro(project_with([veteran()], "beta"), offer_of(mentor), status="accepted")
    Intro.objects.filter(pk=made.pk).update(met_at=timezone.now())
    first = tasks.refresh_engagement.call()
    assert first["points"] == 2
    assert services.standing_of(present).balance == rules.POINTS[Action.ATTENDED]
    assert tasks.refresh_engagement.call()["points"] == 0
    assert PointEntry.objects.count() == 2


def test_the_refresh_command_runs_here_or_queues_and_refuses_negative_days(public):
    from io import StringIO

    from django.core.management import CommandError, call_command

    attend(held_event(public), veteran())
    out = StringIO()
    call_command("refresh_engagement", "--now", "--days", "0", stdout=out)
    assert "0 points entries" in out.getvalue()  # the signal earned it already
    with pytest.raises(CommandError):
        call_command("refresh_engagement", "--days", "-1")
    call_command("refresh_engagement", stdout=out)
    assert "Queued" in out.getvalue()
