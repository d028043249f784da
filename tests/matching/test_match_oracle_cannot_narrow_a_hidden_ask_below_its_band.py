"""The attack of issue #14: any member opens an investor offer, moves its ticket range and
watches whether a project (and its "ticket" reason) appears among the offer's matches. On exact
amounts, a binary search recovered ``funding_min`` and ``funding_max`` to the dollar while the
API hid them. The hard filter now compares the published band, so the search ends on the band's
edges, which every member already sees."""

import pytest
from django.utils import translation

from seedbed.matching import services
from seedbed.matching.models import funding_band
from tests.factories import MemberFactory
from tests.matching.api_helpers import api_for
from tests.matching.conftest import client_for

pytestmark = pytest.mark.django_db

SECRET_MIN, SECRET_MAX = 1_234_567, 1_876_543
CEILING = 2**27


@pytest.fixture
def target(founder):
    return services.create_project(
        founder,
        name="Quiet Robotics",
        one_liner="Robot arms for small factories",
        description="Robot arms with computer vision for small factories.",
        sectors=["hardware"],
        stage="seed",
        needs_funding=True,
        funding_min=SECRET_MIN,
        funding_max=SECRET_MAX,
    )


@pytest.fixture
def attacker(db):
    """An ordinary member who says they are an investor; nobody checked."""
    return MemberFactory(display_name="Eve Eavesdropper")


def _oracle(attacker, offer_id: int, project, ticket_min, ticket_max) -> bool:
    """Move the ticket range, let the matches refresh as the worker would, and read the
    offer's matches as its owner may: is the project there, or its ticket reason?"""
    offer = services.offer_for_editing(attacker, offer_id)
    offer.ticket_min, offer.ticket_max = ticket_min, ticket_max
    offer.save(update_fields=["ticket_min", "ticket_max"])
    services.refresh_matches()
    _offer, matches = services.matches_for_offer(attacker, offer_id)
    found = [m for m in matches if m.project_id == project.pk]
    return bool(found) and any(key == "ticket" for key, _values in found[0].reasons)


def _smallest(predicate, lo: int, hi: int) -> int:
    """The smallest x in [lo, hi] with predicate(x) true, predicate monotone."""
    while lo < hi:
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


@pytest.mark.slow
def test_a_binary_search_over_ticket_ranges_stops_at_the_published_band(target, attacker):
    offer = services.create_offer(
        attacker,
        "investor",
        title="Totally real fund",
        description="Robot arms with computer vision for small factories.",
        sectors=["hardware"],
        stages=["seed"],
    )
    assert _oracle(attacker, offer.pk, target, 0, CEILING), "the probe must see the project"

    # funding_min is the smallest ticket_max that still matches (ticket_min 0);
    # funding_max is the largest ticket_min that still matches (no ticket_max).
    found_min = _smallest(lambda t: _oracle(attacker, offer.pk, target, 0, t), 0, CEILING)
    found_max = (
        _smallest(lambda t: not _oracle(attacker, offer.pk, target, t, None), 0, CEILING) - 1
    )

    assert (found_min, found_max) == (1_000_000, 2_500_000)
    published = api_for(attacker).get(f"/api/v1/projects/{target.slug}").json()
    assert published["funding_min"] is None and published["funding_max"] is None
    assert (published["funding_band_min"], published["funding_band_max"]) == (found_min, found_max)


def test_the_band_is_never_narrower_than_a_step_even_on_an_exact_edge():
    assert funding_band(1_000_000, 1_000_000) == (1_000_000, 2_500_000)
    assert funding_band(None, 80_000) == (None, 100_000)
    assert funding_band(600_000_000, None) == (100_000_000, None)
    assert funding_band(None, None) is None


def test_members_see_the_band_and_not_the_amounts_on_the_page_and_in_the_api(target, attacker):
    page = client_for(attacker).get(f"/projects/{target.slug}/").content.decode()
    assert "1,000,000 – 2,500,000" in page
    assert "1,234,567" not in page and "1,876,543" not in page
    body = api_for(attacker).get(f"/api/v1/projects/{target.slug}").json()
    assert (body["funding_band_min"], body["funding_band_max"]) == (1_000_000, 2_500_000)


def test_the_band_is_labelled_in_chinese_for_chinese_readers(target, attacker):
    language = translation.get_language()
    try:
        response = client_for(attacker).get(
            f"/projects/{target.slug}/", headers={"Accept-Language": "zh-hans"}
        )
    finally:
        translation.activate(language)
    assert "融资区间（美元）" in response.content.decode()


def test_a_project_not_raising_publishes_no_band(founder, attacker):
    quiet = services.create_project(
        founder, name="Not Raising", one_liner="x", stage="seed", funding_min=5, funding_max=9
    )
    assert quiet.funding_band is None
    body = api_for(attacker).get(f"/api/v1/projects/{quiet.slug}").json()
    assert body["funding_band_min"] is None and body["funding_band_max"] is None
