"""Match pages (offers for a project, projects for an offer) and the wording of stored match
reasons, which other pages reuse through ``reason_phrases`` / ``match_reasons``."""

import pytest
from django.utils import translation

from seedbed.matching import services
from seedbed.matching.models import Intro, Match
from seedbed.matching.templatetags.matching_tags import percent, reason_phrases
from tests.matching.conftest import SECRET_TERMS, client_for
from tests.matching.page_data import more_offers, more_projects

AMOUNTS = ("1000000", "2000000", "1,000,000", "2,000,000", "500,000", "3,000,000")


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def matched(project, investor_offer, mentor_offer):
    services.refresh_matches()
    return {
        "investor": Match.objects.get(project=project, offer=investor_offer),
        "mentor": Match.objects.get(project=project, offer=mentor_offer),
    }


# Wording the reasons ----------------------------------------------------------------------------


def test_each_criterion_is_worded_in_english():
    reasons = [
        ["sectors", ["ai", "hardware"]],
        ["stage", ["pre_seed"]],
        ["ticket", []],
        ["region", ["shanghai"]],
        ["skills", ["computer vision"]],
        ["topics", ["pricing", "legal"]],
        ["text", ["0.26"]],
        ["learned", []],
    ]
    with translation.override("en"):
        assert reason_phrases(reasons) == [
            "Sectors: Artificial intelligence, Hardware and robotics",
            "Stage: Pre-seed",
            "Funding ask fits the ticket range",
            "Region: Shanghai",
            "Skills: computer vision",
            "Topics: pricing, Legal",
            "Similar descriptions (0.26)",
            "Weighed by past intro outcomes",
        ]


def test_sector_names_follow_the_active_language_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0), translation.override("zh-hans"):
        phrases = reason_phrases([["sectors", ["ai", "hardware"]], ["region", ["上海"]]])
    assert "人工智能" in phrases[0] and "硬件与机器人" in phrases[0]
    assert "Artificial intelligence" not in phrases[0]
    assert "上海" in phrases[1]


def test_unknown_or_malformed_reasons_are_skipped_and_never_fail():
    reasons = [["astrology", ["x"]], "garbage", ["sectors"], None, ["stage", ["seed"]]]
    with translation.override("en"):
        assert reason_phrases(reasons) == ["Stage: Seed"]
    assert reason_phrases(None) == [] and reason_phrases([]) == []
    assert reason_phrases([["sectors", ["unknown-sector"]]]) == ["Sectors: unknown-sector"]


def test_the_ticket_reason_never_carries_amounts():
    with translation.override("en"):
        assert reason_phrases([["ticket", ["1000000", "2000000"]]]) == [
            "Funding ask fits the ticket range"
        ]


def test_scores_are_shown_as_whole_percentages():
    assert percent(0.734) == "73%" and percent(1) == "100%" and percent(None) == ""


# Offers matched to a project --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_sees_matched_offers_with_score_and_reasons(founder, project, matched):
    page = body(client_for(founder).get(f"/projects/{project.slug}/matches/"))
    investor_match = matched["investor"]
    assert "Hardware seed fund" in page and "Pricing and manufacturing office hours" in page
    assert f"{round(investor_match.score * 100)}% match" in page
    assert "Sectors: Artificial intelligence, Hardware and robotics" in page
    assert "Stage: Seed" in page and "Funding ask fits the ticket range" in page
    assert "Region: Shanghai" in page and "Topics: manufacturing, pricing" in page
    assert "Similar descriptions (0." in page and "Shared terms:" in page
    assert investor_match.shared_terms[0] in page
    assert "Ivan Investor" in page


@pytest.mark.django_db
def test_matches_are_filtered_by_kind_tabs(founder, project, matched):
    page = body(client_for(founder).get(f"/projects/{project.slug}/matches/?kind=mentor"))
    assert "Pricing and manufacturing office hours" in page
    assert "Hardware seed fund" not in page
    assert 'href="?kind=investor"' in page


@pytest.mark.django_db
def test_each_match_has_an_ask_button_until_an_intro_exists(
    founder, project, investor_offer, mentor_offer, matched
):
    url = f"/projects/{project.slug}/matches/"
    page = body(client_for(founder).get(url))
    assert page.count(f'action="/projects/{project.slug}/intro/"') == 2
    assert f'name="offer_id" value="{investor_offer.pk}"' in page
    intro = services.request_intro(founder, project.slug, mentor_offer.pk)
    page = body(client_for(founder).get(url))
    assert page.count(f'action="/projects/{project.slug}/intro/"') == 1
    assert f'name="offer_id" value="{mentor_offer.pk}"' not in page
    assert f"/intros/{intro.pk}/" in page


@pytest.mark.django_db
def test_the_ask_button_creates_an_intro_with_the_message(founder, project, mentor_offer, matched):
    client_for(founder).post(
        f"/projects/{project.slug}/intro/",
        {"offer_id": str(mentor_offer.pk), "message": "Office hours on pricing?"},
    )
    intro = Intro.objects.get(project=project, offer=mentor_offer)
    assert intro.message == "Office hours on pricing?" and intro.requested_by == founder


@pytest.mark.django_db
def test_an_operator_sees_a_projects_matches_but_gets_no_ask_button(operator, project, matched):
    page = body(client_for(operator).get(f"/projects/{project.slug}/matches/"))
    assert "Hardware seed fund" in page and "/intro/" not in page


@pytest.mark.django_db
def test_a_closed_project_has_matches_but_no_ask_button(founder, project, matched):
    services.update_project(founder, project.slug, status="closed")
    page = body(client_for(founder).get(f"/projects/{project.slug}/matches/"))
    assert "Hardware seed fund" in page and "/intro/" not in page


# Projects matched to an offer -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_offer_owner_sees_matched_projects_without_deal_data(
    investor, project, investor_offer, matched
):
    page = body(client_for(investor).get(f"/offers/{investor_offer.pk}/matches/"))
    assert "Robo Arm" in page and "Low-cost robot arms" in page
    assert f"{round(matched['investor'].score * 100)}% match" in page
    assert "Funding ask fits the ticket range" in page
    assert "Sequoia-Canary-7Q9" not in page and SECRET_TERMS not in page
    assert not any(amount in page for amount in AMOUNTS)
    assert f'action="/projects/{project.slug}/intro/"' in page
    assert f'name="offer_id" value="{investor_offer.pk}"' in page


@pytest.mark.django_db
def test_a_closed_offer_shows_its_matches_without_ask_buttons(investor, investor_offer, matched):
    services.update_offer(investor, investor_offer.pk, active=False)
    page = body(client_for(investor).get(f"/offers/{investor_offer.pk}/matches/"))
    assert "Robo Arm" in page and "/intro/" not in page and "closed to intros" in page


@pytest.mark.django_db
def test_the_project_matches_page_has_no_amounts_either(founder, project, matched):
    page = body(client_for(founder).get(f"/projects/{project.slug}/matches/"))
    assert "500,000" not in page and "500000" not in page and "3000000" not in page


@pytest.mark.django_db
def test_match_pages_render_in_chinese(founder, project, matched):
    client = client_for(founder)
    client.cookies["django_language"] = "zh-hans"
    page = body(client.get(f"/projects/{project.slug}/matches/"))
    assert "人工智能" in page and "硬件与机器人" in page


# Query budgets ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 15])
def test_match_pages_have_fixed_query_budgets(
    django_assert_max_num_queries, n, founder, investor, operator, project, investor_offer
):
    more_projects(n)
    more_offers(n, kind="investor")
    mentors = more_offers(n, kind="mentor")
    for offer in mentors[: n // 2]:
        services.request_intro(founder, project.slug, offer.pk)
    services.refresh_matches()
    assert Match.objects.filter(project=project).count() >= n
    team, owner, staff = client_for(founder), client_for(investor), client_for(operator)
    with django_assert_max_num_queries(11):
        assert team.get(f"/projects/{project.slug}/matches/").status_code == 200
    with django_assert_max_num_queries(11):
        assert team.get(f"/projects/{project.slug}/matches/?kind=mentor").status_code == 200
    with django_assert_max_num_queries(11):
        assert staff.get(f"/projects/{project.slug}/matches/").status_code == 200
    with django_assert_max_num_queries(11):
        assert owner.get(f"/offers/{investor_offer.pk}/matches/").status_code == 200
