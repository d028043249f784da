"""Each "may this person see or do X" of matching has one answer (``matching.access``), and the
pages, the API and the services all give it: the "Ask for an intro" button appears exactly
when ``request_intro`` would accept, an intro's thread is readable in the API exactly when the
page shows it, and a matches link appears exactly to those who may open the matches."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from seedbed.matching import access, services
from seedbed.matching.models import Intro, IntroStatus, ProjectStatus
from tests.matching.api_helpers import api_for
from tests.matching.conftest import client_for


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _ask_buttons(text: str, slug: str, offer_id: int) -> bool:
    """Whether the page offers a request form for this pair."""
    url = reverse("matching:intro_request", args=[slug])
    return f'action="{url}"' in text and f'name="offer_id" value="{offer_id}"' in text


def _declined(days_ago: int, project, offer, asker, decider) -> Intro:
    intro = services.request_intro(asker, project.slug, offer.pk)
    services.answer_intro(decider, intro.pk, accept=False, reason="timing")
    Intro.objects.filter(pk=intro.pk).update(decided_at=timezone.now() - timedelta(days=days_ago))
    return intro


def _request_refusal(user, project, offer) -> str:
    """What ``request_intro`` says, or "" when it accepts (the intro is then removed again)."""
    try:
        intro = services.request_intro(user, project.slug, offer.pk)
    except (ValidationError, PermissionDenied) as exc:
        return " ".join(getattr(exc, "messages", None) or [str(exc)])
    intro.delete()
    return ""


def test_a_pair_declined_ten_days_ago_shows_the_reason_instead_of_the_button(
    project, investor_offer, founder, investor
):
    services.refresh_matches()
    _declined(10, project, investor_offer, founder, investor)
    again = timezone.localdate(timezone.now() + timedelta(days=80)).isoformat()
    reason = f"This intro was declined; it can be requested again from {again}."

    team_page = _text(
        client_for(founder).get(reverse("matching:project_matches", args=[project.slug]))
    )
    owner_page = _text(client_for(investor).get(reverse("matching:project", args=[project.slug])))

    for text in (team_page, owner_page):
        assert investor_offer.title in text
        assert not _ask_buttons(text, project.slug, investor_offer.pk)
        assert reason in text
    with pytest.raises(ValidationError) as refused:
        services.request_intro(founder, project.slug, investor_offer.pk)
    assert refused.value.messages == [reason]


def test_a_pair_declined_more_than_ninety_days_ago_shows_the_button_again(
    project, investor_offer, founder, investor
):
    services.refresh_matches()
    _declined(91, project, investor_offer, founder, investor)
    text = _text(client_for(founder).get(reverse("matching:project_matches", args=[project.slug])))
    assert _ask_buttons(text, project.slug, investor_offer.pk)
    assert services.request_intro(founder, project.slug, investor_offer.pk).pk


@pytest.mark.parametrize(
    "situation",
    ["nothing yet", "pending", "accepted", "declined lately", "declined long ago", "closed"],
)
@pytest.mark.parametrize("asker", ["team", "owner", "outsider", "operator"])
def test_the_pages_button_and_request_intro_always_agree(
    situation, asker, project, investor_offer, founder, investor, outsider, operator
):
    if situation == "pending":
        services.request_intro(founder, project.slug, investor_offer.pk)
    elif situation == "accepted":
        intro = services.request_intro(founder, project.slug, investor_offer.pk)
        services.answer_intro(investor, intro.pk, accept=True)
    elif situation.startswith("declined"):
        days = 10 if situation == "declined lately" else 120
        _declined(days, project, investor_offer, founder, investor)
    elif situation == "closed":
        project.status = ProjectStatus.CLOSED
        project.save(update_fields=["status"])
    user = {"team": founder, "owner": investor, "outsider": outsider, "operator": operator}[asker]

    [row] = services.ask_rows(user, [investor_offer], lambda offer: (project, offer))
    said = _request_refusal(user, project, investor_offer)

    assert (row.refusal is None) == (said == "")
    if row.refusal is not None:
        assert row.refusal.reason in said
    assert access.may_request_intro(user, project, investor_offer) == row.refusal


ACCEPTED, PENDING, DECLINED = "accepted", "pending", "declined"


@pytest.mark.parametrize("state", [ACCEPTED, PENDING, DECLINED])
@pytest.mark.parametrize("caller", ["team", "cofounder", "owner", "outsider", "operator"])
def test_the_api_and_the_intro_page_agree_on_who_reads_the_thread(
    state, caller, project, investor_offer, founder, cofounder, investor, outsider, operator
):
    intro = services.request_intro(founder, project.slug, investor_offer.pk)
    if state == ACCEPTED:
        services.answer_intro(investor, intro.pk, accept=True)
        services.post_intro_message(founder, intro.pk, "Thread canary 81")
    elif state == DECLINED:
        services.answer_intro(investor, intro.pk, accept=False, reason="timing")
    user = {
        "team": founder,
        "cofounder": cofounder,
        "owner": investor,
        "outsider": outsider,
        "operator": operator,
    }[caller]

    api = api_for(user).get(f"/api/v1/intros/{intro.pk}/messages")
    page = client_for(user).get(reverse("matching:intro", args=[intro.pk]))

    if caller == "outsider":
        assert (api.status_code, page.status_code) == (404, 404)
        return
    reads = services.get_intro(user, intro.pk).reads_thread
    assert reads == (state == ACCEPTED and caller != "operator")
    assert (api.status_code == 200) == reads
    assert api.status_code in (200, 403)
    text = _text(page)
    assert ('class="card thread"' in text) == reads
    assert ("Thread canary 81" in text) == (reads and state == ACCEPTED)
    if reads:
        assert [m["body"] for m in api.json()["items"]] == ["Thread canary 81"]


@pytest.mark.parametrize("caller", ["team", "owner", "outsider", "operator"])
def test_the_matches_links_show_exactly_where_the_matches_open(
    caller, project, investor_offer, founder, investor, outsider, operator
):
    services.refresh_matches()
    user = {"team": founder, "owner": investor, "outsider": outsider, "operator": operator}[caller]
    client = client_for(user)
    project_matches = reverse("matching:project_matches", args=[project.slug])
    offer_matches = reverse("matching:offer_matches", args=[investor_offer.pk])

    project_page = _text(client.get(reverse("matching:project", args=[project.slug])))
    offer_page = _text(client.get(reverse("matching:offer", args=[investor_offer.pk])))

    for link, page, api_url, may in (
        (
            project_matches,
            project_page,
            f"/api/v1/projects/{project.slug}/matches",
            access.sees_project_matches(user, project),
        ),
        (
            offer_matches,
            offer_page,
            f"/api/v1/offers/{investor_offer.pk}/matches",
            access.sees_offer_matches(user, investor_offer),
        ),
    ):
        assert (f'href="{link}"' in page) == may
        assert (client.get(link).status_code == 200) == may
        assert (api_for(user).get(api_url).status_code == 200) == may
    assert access.sees_project_matches(user, project) == (caller in ("team", "operator"))
    assert access.sees_offer_matches(user, investor_offer) == (caller in ("owner", "operator"))


def test_request_intro_asks_the_same_predicate_under_its_lock(
    project, investor_offer, founder, monkeypatch
):
    """The button's rule is the service's rule: refusing in the predicate refuses the request."""
    from seedbed.matching.services import intros

    monkeypatch.setattr(intros, "may_request_intro", lambda *_args: access.Refusal("Not today."))
    with pytest.raises(ValidationError) as refused:
        services.request_intro(founder, project.slug, investor_offer.pk)
    assert refused.value.messages == ["Not today."]
    assert not Intro.objects.filter(status=IntroStatus.REQUESTED).exists()
