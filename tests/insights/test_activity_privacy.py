"""Members never see anyone else's score, and the export names nobody: pseudonyms only, no
names or addresses, small cohorts not named, no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from seedbed.communities.models import Role
from seedbed.insights.models import MemberEngagement
from seedbed.insights.services import MIN_COHORT, pseudonym, safe_cell
from seedbed.insights.tasks import refresh_insights
from tests.factories import MemberFactory
from tests.insights.test_activity_refresh import community, join, post

CANARY_NAME = "Zyxwv Canaryname"
CANARY_MAIL = "canary-7f3a@leak.example"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def planted(db):
    """A community named like a formula, a canary member among ordinary ones: six who joined
    in one month (a cohort that may be named) and two alone in their months."""
    now = timezone.now()
    place = community("=HYPERLINK(evil)")
    owner = join(place, role=Role.OWNER, at=now - timedelta(days=3))
    canary = MemberFactory(display_name=CANARY_NAME, email=CANARY_MAIL, handle="zyxwv")
    join(place, canary, at=now - timedelta(days=200))
    crowd = [join(place, at=now - timedelta(days=100)) for _ in range(6)]
    for person in [canary, *crowd]:
        post(place, person, now - timedelta(days=1), title=f"Post by {person.display_name}")
    refresh_insights.call()
    return place, owner, canary, crowd


def export_rows(place, owner) -> tuple[str, list[dict[str, str]]]:
    response = client_for(owner).get(reverse("insights:community:export", args=[place.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    return text, list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_no_name_no_address_and_no_handle(planted):
    place, owner, canary, _crowd = planted
    text, rows = export_rows(place, owner)
    for secret in (CANARY_NAME, "Canaryname", CANARY_MAIL, "leak.example", "zyxwv", owner.email):
        assert secret.lower() not in text.lower()
    assert pseudonym(canary.pk) in {row["member"] for row in rows}
    assert str(canary.pk) not in {row["member"] for row in rows}


def test_pseudonyms_are_keyed_with_the_secret_key(planted, settings):
    _place, _owner, canary, _crowd = planted
    before = pseudonym(canary.pk)
    assert len(before) == 16 and before == pseudonym(canary.pk)
    settings.SECRET_KEY = "another-key-entirely-" * 3
    assert pseudonym(canary.pk) != before


def test_a_formula_in_a_community_name_is_neutralised(planted):
    place, owner, _canary, _crowd = planted
    text, rows = export_rows(place, owner)
    assert {row["community"] for row in rows} == {"'=HYPERLINK(evil)"}
    assert ",=HYPERLINK" not in text
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell(-3) == -3 and safe_cell("fine") == "fine"


def test_cohorts_smaller_than_five_are_not_named(planted):
    place, owner, canary, crowd = planted
    _text, rows = export_rows(place, owner)
    by_member = {row["member"]: row for row in rows}
    assert len(crowd) >= MIN_COHORT
    assert by_member[pseudonym(canary.pk)]["cohort"] == "suppressed"
    assert by_member[pseudonym(owner.pk)]["cohort"] == "suppressed"
    assert {by_member[pseudonym(p.pk)]["cohort"] for p in crowd} == {
        (timezone.localtime(timezone.now()) - timedelta(days=100)).strftime("%Y-%m")
    }


def test_a_member_sees_their_own_score_and_nobody_elses(planted):
    place, _owner, canary, crowd = planted
    mine = MemberEngagement.objects.get(member=canary, community=None)
    theirs = MemberEngagement.objects.get(member=crowd[0], community=place)
    text = client_for(canary).get(reverse("insights:my_activity")).content.decode()
    assert f"{mine.score:.1f}" in text
    assert crowd[0].display_name not in text
    assert MemberEngagement.objects.filter(member=crowd[0]).exists() and theirs.score >= 0


@pytest.mark.parametrize("name", ["overview", "members", "at_risk", "export"])
def test_a_plain_member_sees_no_page_about_others(planted, name):
    place, _owner, canary, _crowd = planted
    url = reverse(f"insights:community:{name}", args=[place.slug])
    response = client_for(canary).get(url)
    assert response.status_code == 403
    assert CANARY_NAME not in response.content.decode()
    assert client_for(canary).get(reverse(f"insights:platform:{name}")).status_code == 403
