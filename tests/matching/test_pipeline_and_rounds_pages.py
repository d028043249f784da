"""The operators' pages: the intro pipeline (counts, outcomes, conversion rates, the funnel,
the filtered list) and matching rounds (build, read, send; proposals need both sides)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed.matching import services
from seedbed.matching.models import (
    Intro,
    IntroStatus,
    MatchingRound,
    Project,
    Proposal,
)
from tests.matching.intro_pages_helpers import (
    client_for,
    errors,
    intros_in_every_state,
    more_offers,
    page,
    post,
)

pytestmark = pytest.mark.django_db


def _pipeline(operator, **params):
    response = client_for(operator).get(reverse("matching:pipeline"), params)
    assert response.status_code == 200
    return response


def _figure(text: str, stage: str) -> int:
    found = re.search(rf'data-stage="{stage}"><span class="figure">(\d+)<', text)
    assert found, stage
    return int(found.group(1))


@pytest.fixture
def known_pipeline(project, investor_offer, founder):
    """Twelve mentor intros, two in each stage, and one investor intro that ended without a
    deal: every number on the page can be counted by hand."""
    intros_in_every_state(project, more_offers("mentor", 12), founder)
    now = timezone.now()
    Intro.objects.create(
        project=project,
        offer=investor_offer,
        requested_by=founder,
        status=IntroStatus.ACCEPTED,
        met_at=now,
        outcome="no_deal",
        outcome_at=now,
    )


def test_the_pipeline_numbers_match_the_data(operator, known_pipeline):
    response = _pipeline(operator)
    text = response.content.decode()

    stages = {"requested": 2, "accepted": 2, "declined": 2, "withdrawn": 2, "met": 2, "outcome": 3}
    assert {stage: _figure(text, stage) for stage in stages} == stages
    assert dict(response.context["outcomes"]) == {
        "Invested": 0,
        "Hired": 0,
        "Mentored": 2,
        "Service engaged": 0,
        "No deal": 1,
    }
    # acceptance 7 of 9 answered; meeting 5 of 7 accepted; deal 2 of 5 met
    assert [value for _label, value in response.context["rates"]] == ["78%", "71%", "40%"]
    rows = {
        str(row["label"]): (row["counts"], row["total"]) for row in response.context["kind_rows"]
    }
    assert rows["Mentor"] == ([2, 6, 2, 2], 12)
    assert rows["Investor"] == ([0, 1, 0, 0], 1)
    assert rows["Talent"] == ([0, 0, 0, 0], 0)
    assert response.context["page"].paginator.count == 13


def test_the_funnel_is_svg_drawn_with_attributes_only(operator, known_pipeline):
    text = _pipeline(operator).content.decode()
    svg = text[text.index("<svg") : text.index("</svg>")]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [440.0, round(440 * 7 / 13, 1), round(440 * 5 / 13, 1), round(440 * 2 / 13, 1)]
    assert "style" not in svg and "<script" not in svg


def test_an_empty_pipeline_shows_no_rate(operator):
    response = _pipeline(operator)
    assert [value for _label, value in response.context["rates"]] == ["—", "—", "—"]
    assert "No intro at this stage." in response.content.decode()


def test_the_pipeline_filters_by_stage_and_kind(operator, known_pipeline):
    met = _pipeline(operator, stage="met").context["page"]
    assert met.paginator.count == 2
    assert all(i.met_at and not i.outcome for i in met)
    investor = _pipeline(operator, kind="investor")
    assert [i.offer.kind for i in investor.context["page"]] == ["investor"]
    assert _figure(investor.content.decode(), "outcome") == 1
    assert _figure(investor.content.decode(), "requested") == 0
    both = _pipeline(operator, stage="outcome", kind="mentor").context["page"]
    assert {i.outcome for i in both} == {"mentored"}
    ignored = _pipeline(operator, stage="bogus", kind="spaceship")
    assert ignored.context["page"].paginator.count == 13


def test_the_pipeline_list_is_paginated_and_keeps_its_filters(operator, project, founder):
    intros_in_every_state(project, more_offers("mentor", 60), founder)
    first = _pipeline(operator, kind="mentor")
    assert len(first.context["page"]) == 50
    assert "?kind=mentor&amp;page=2" in first.content.decode()
    second = _pipeline(operator, kind="mentor", page=2)
    assert len(second.context["page"]) == 10


@pytest.mark.parametrize("size", [3, 15])
def test_the_pipeline_has_a_fixed_query_budget(
    operator, project, founder, size, django_assert_max_num_queries
):
    intros_in_every_state(project, more_offers("mentor", size), founder)
    client = client_for(operator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("matching:pipeline"))
    assert response.context["page"].paginator.count == size


def test_the_operator_overview_links_to_the_pipeline_and_the_rounds(operator):
    text = client_for(operator).get(reverse("operator")).content.decode()
    assert reverse("matching:pipeline") in text and reverse("matching:rounds") in text


# Rounds ----------------------------------------------------------------------------------------


@pytest.fixture
def scored(project, investor_offer, mentor_offer):
    services.refresh_matches()


def _create_round(operator, **data):
    fields = {"name": "Spring office hours", "kind": "mentor", "fair": "on", "min_score": "0.05"}
    return client_for(operator).post(reverse("matching:rounds"), {**fields, **data})


def test_the_new_round_form_starts_with_mentors_fair_and_the_default_score(operator):
    text = client_for(operator).get(reverse("matching:rounds")).content.decode()
    assert re.search(r'<option value="mentor" selected>', text)
    assert re.search(r'name="fair"[^>]*checked', text)
    assert 'value="0.05"' in text


def test_an_operator_builds_a_round_reads_it_and_sends_it(operator, scored, mentor, project):
    response = _create_round(operator)

    created = MatchingRound.objects.get()
    assert response["Location"] == reverse("matching:round", args=[created.pk])
    round_page = client_for(operator).get(response["Location"])
    text = round_page.content.decode()
    proposal = Proposal.objects.get(round=created)
    assert (proposal.project, proposal.offer.owner) == (project, mentor)
    assert "Robo Arm" in text and "Pricing and manufacturing office hours" in text
    assert "Mei Mentor" in text and "Topics:" in text
    assert f"{round(proposal.score * 100)}%" in text
    assert reverse("matching:round_send", args=[created.pk]) in text
    listing = client_for(operator).get(reverse("matching:rounds")).content.decode()
    assert "Spring office hours" in listing

    sent = client_for(operator).post(reverse("matching:round_send", args=[created.pk]))

    intro = Intro.objects.get(round=created)
    assert sent["Location"] == reverse("matching:round", args=[created.pk])
    assert (intro.project, intro.offer.owner, intro.status) == (project, mentor, "requested")
    text = client_for(operator).get(sent["Location"]).content.decode()
    assert reverse("matching:round_send", args=[created.pk]) not in text
    assert reverse("matching:intro", args=[intro.pk]) in text and "Requested" in text
    again = client_for(operator).post(reverse("matching:round_send", args=[created.pk]))
    assert errors(again) == ["This round was already sent."]
    assert Intro.objects.filter(round=created).count() == 1


def test_an_operator_proposal_needs_both_sides(operator, scored, founder, mentor, project):
    _create_round(operator)
    client_for(operator).post(reverse("matching:round_send", args=[MatchingRound.objects.get().pk]))
    intro = Intro.objects.get()
    assert "Waiting for both sides to answer." in page(operator, intro)
    assert "Waiting for your answer." in page(founder, intro)
    assert "proposed it in a matching round" in page(mentor, intro)

    post(founder, "intro_accept", intro)

    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.REQUESTED
    founder_page = page(founder, intro)
    assert "Waiting for the offer's owner to answer." in founder_page
    assert mentor.email not in founder_page

    post(mentor, "intro_accept", intro)

    assert Intro.objects.get(pk=intro.pk).status == IntroStatus.ACCEPTED
    assert mentor.email in page(founder, intro) and founder.email in page(mentor, intro)


def test_the_round_shows_the_intros_states_after_sending(operator, scored, mentor):
    _create_round(operator)
    created = MatchingRound.objects.get()
    client_for(operator).post(reverse("matching:round_send", args=[created.pk]))
    intro = Intro.objects.get()
    services.answer_intro(intro.project.team.first(), intro.pk, accept=True)
    services.answer_intro(mentor, intro.pk, accept=False, reason="no_capacity")
    text = client_for(operator).get(reverse("matching:round", args=[created.pk])).content.decode()
    assert "Declined" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"min_score": "2"}, "Enter a number between 0 and 1."),
        ({"min_score": "lots"}, "Enter a number between 0 and 1."),
        ({"name": "  "}, "This cannot be empty."),
        ({"kind": "spaceship"}, "Unknown value “spaceship”"),
    ],
)
def test_a_round_with_bad_input_is_refused_with_a_message(operator, scored, data, message):
    response = _create_round(operator, **data)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert not MatchingRound.objects.exists() and not Proposal.objects.exists()
    if "name" not in data:
        assert 'value="Spring office hours"' in text


def test_an_unknown_round_is_not_found_for_operators(operator):
    assert client_for(operator).get(reverse("matching:round", args=[999])).status_code == 404


def _round_with_proposals(operator, size: int, *, sent: bool) -> MatchingRound:
    offers = more_offers("mentor", size)
    projects = Project.objects.bulk_create(
        Project(slug=f"budget-{k}", name=f"Budget {k}", one_liner="x", stage="seed")
        for k in range(size)
    )
    created = MatchingRound.objects.create(name="Budget round", created_by=operator)
    Proposal.objects.bulk_create(
        Proposal(round=created, project=p, offer=o, score=0.5, reasons=[["topics", ["pricing"]]])
        for p, o in zip(projects, offers, strict=True)
    )
    if sent:
        services.send_round(operator, created.pk)
    return created


@pytest.mark.parametrize("sent", [False, True])
@pytest.mark.parametrize("size", [3, 15])
def test_the_round_page_has_a_fixed_query_budget(
    operator, size, sent, django_assert_max_num_queries
):
    created = _round_with_proposals(operator, size, sent=sent)
    client = client_for(operator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("matching:round", args=[created.pk]))
    assert response.content.decode().count("Topics: pricing") == size


@pytest.mark.parametrize("size", [3, 15])
def test_the_rounds_page_has_a_fixed_query_budget(operator, size, django_assert_max_num_queries):
    MatchingRound.objects.bulk_create(
        MatchingRound(name=f"Round {k}", created_by=operator) for k in range(size)
    )
    client = client_for(operator)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("matching:rounds"))
    assert response.content.decode().count("Round ") >= size
