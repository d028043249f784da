"""The demo's resource matching: about sixty projects built by the demo's founders, forty
investor theses, forty mentors, sixty talent offers and fifteen services from members with those
roles, stored match scores, and some 120 intros over ten months in every state of the pipeline.

The demo (200 members) is loaded once for the module and wiped afterwards; tests that change the
database do it inside their own transaction, which is rolled back.
"""

import random
from collections import Counter, defaultdict
from datetime import timedelta
from statistics import mean

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Count
from django.utils import timezone

from seedbed.accounts.models import MemberRole, Role, Stage, User
from seedbed.communities.models import Community
from seedbed.core.models import Tag
from seedbed.demo import matching as matching_demo
from seedbed.demo.loader import load_demo
from seedbed.events.models import Event, EventSeries
from seedbed.matching import services
from seedbed.matching.models import (
    Intro,
    IntroMessage,
    IntroStatus,
    Match,
    MatchingRound,
    Offer,
    OfferKind,
    Outcome,
    Project,
    ProjectStatus,
    Proposal,
    ServiceType,
)
from seedbed.notifications.models import Notification
from seedbed.search.models import SearchDocument
from tests.factories import wipe_library_and_engagement

pytestmark = pytest.mark.django_db

ROLE_OF_KIND = {
    OfferKind.INVESTOR: Role.INVESTOR,
    OfferKind.MENTOR: Role.MENTOR,
    OfferKind.TALENT: Role.TALENT,
    OfferKind.SERVICE: Role.SERVICE_PROVIDER,
}
OUTCOMES_OF_KIND = {
    OfferKind.INVESTOR: {Outcome.INVESTED, Outcome.NO_DEAL},
    OfferKind.TALENT: {Outcome.HIRED, Outcome.NO_DEAL},
    OfferKind.MENTOR: {Outcome.MENTORED, Outcome.NO_DEAL},
    OfferKind.SERVICE: {Outcome.ENGAGED, Outcome.NO_DEAL},
}


def _has_chinese(value: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in value)


def _wipe_matching() -> None:
    MatchingRound.objects.all().delete()
    Project.objects.all().delete()
    Offer.objects.all().delete()


def _wipe() -> None:
    wipe_library_and_engagement()
    _wipe_matching()
    Event.objects.all().delete()
    EventSeries.objects.all().delete()
    SearchDocument.objects.all().delete()
    Community.objects.all().delete()
    User.objects.all().delete()
    Tag.objects.all().delete()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _wipe()
        assert load_demo(echo=lambda _line: None)
        yield timezone.now()
        _wipe()
        EmailAddress.objects.all().delete()


def _profiles() -> dict[int, dict]:
    people: dict[int, dict] = defaultdict(
        lambda: {"roles": set(), "sectors": set(), "skills": set(), "interests": set()}
    )
    for pk, role in MemberRole.objects.values_list("user_id", "role"):
        people[pk]["roles"].add(role)
    for pk, slug in User.sectors.through.objects.values_list("user_id", "sector__slug"):
        people[pk]["sectors"].add(slug)
    for pk, name in User.skills.through.objects.values_list("user_id", "tag__name"):
        people[pk]["skills"].add(name)
    for pk, name in User.interests.through.objects.values_list("user_id", "tag__name"):
        people[pk]["interests"].add(name)
    for pk, city, stage in User.objects.values_list("pk", "city", "stage"):
        people[pk] |= {"city": city, "stage": stage}
    return people


def _projects():
    return list(
        Project.objects.prefetch_related("team", "sectors", "skills_sought", "topics_sought")
    )


def _offers():
    return list(
        Offer.objects.select_related("owner").prefetch_related(
            "sectors", "excluded_sectors", "skills", "topics"
        )
    )


def test_there_are_about_sixty_projects_and_the_offers_the_issue_asks_for(demo):
    assert 50 <= Project.objects.count() <= 70
    kinds = Counter(Offer.objects.values_list("kind", flat=True))
    assert 34 <= kinds[OfferKind.INVESTOR] <= 46
    assert 34 <= kinds[OfferKind.MENTOR] <= 46
    assert 50 <= kinds[OfferKind.TALENT] <= 70
    assert 10 <= kinds[OfferKind.SERVICE] <= 20
    assert 100 <= Intro.objects.count() <= 140
    assert Offer.objects.filter(active=False).exists()
    assert Offer.objects.filter(active=True).count() > 0.85 * Offer.objects.count()


def test_every_project_is_built_by_one_to_three_founders(demo):
    people = _profiles()
    for project in _projects():
        team = [m.pk for m in project.team.all()]
        assert 1 <= len(team) <= 3, project.name
        assert all(Role.FOUNDER in people[pk]["roles"] for pk in team), project.name
        assert project.created_by_id in team
    per_founder = Counter(Project.team.through.objects.values_list("user_id", flat=True))
    assert max(per_founder.values()) <= 2


def test_a_project_has_its_founders_sectors_stage_and_city(demo):
    people = _profiles()
    for project in _projects():
        lead = people[project.created_by_id]
        team_sectors = set().union(*(people[m.pk]["sectors"] for m in project.team.all()))
        sectors = {s.slug for s in project.sectors.all()}
        assert sectors and sectors <= team_sectors, project.name
        assert project.stage == lead["stage"], project.name
        assert project.city == lead["city"], project.name
        assert project.created_at >= max(m.date_joined for m in project.team.all())


def test_projects_have_chinese_and_english_names_and_plausible_details(demo):
    projects = _projects()
    assert sum(_has_chinese(p.name) for p in projects) >= 15
    assert sum(not _has_chinese(p.name) for p in projects) >= 10
    assert sum(_has_chinese(p.description) for p in projects) >= 15
    assert sum(not _has_chinese(p.description) for p in projects) >= 10
    assert len({p.one_liner for p in projects}) >= 30
    assert all(p.traction and p.description and p.one_liner for p in projects)
    for p in projects:
        if p.stage in (Stage.SERIES_A, Stage.GROWTH):
            assert p.has_paying_customers and p.has_working_product, p.name
        if p.has_paying_customers:
            assert p.stage != Stage.IDEA, p.name
    assert any(p.has_paying_customers for p in projects)
    assert any(not p.has_working_product for p in projects)


def test_active_projects_need_something_and_ask_for_what_their_stage_raises(demo):
    projects = _projects()
    active = [p for p in projects if p.status == ProjectStatus.ACTIVE]
    for p in active:
        assert p.needs_funding or p.needs_talent or p.needs_mentoring or p.needs_services
        if p.needs_funding:
            low, high = matching_demo.ASK[p.stage]
            assert low <= p.funding_min <= p.funding_max <= 2 * high, p.name
            assert p.funding_instrument in matching_demo.INSTRUMENTS[p.stage], p.name
            assert p.funding_notes
        else:
            assert p.funding_min is None and not p.funding_instrument
        if p.needs_talent:
            assert p.roles_sought and p.skills_sought.all(), p.name
        if p.needs_mentoring:
            assert p.topics_sought.all(), p.name
        if p.needs_services:
            assert p.services_sought and set(p.services_sought) <= set(ServiceType.values)
    for need in ("funding", "talent", "mentoring", "services"):
        share = sum(getattr(p, f"needs_{need}") for p in active) / len(active)
        assert 0.15 <= share <= 0.85, need
    seed = [p for p in active if p.stage == Stage.SEED and p.needs_funding]
    growth = [p for p in active if p.stage == Stage.GROWTH and p.needs_funding]
    if seed and growth:
        assert max(p.funding_max for p in seed) < min(p.funding_min for p in growth)


def test_some_older_projects_succeeded_or_closed_and_need_nothing_any_more(demo):
    projects = _projects()
    finished = [p for p in projects if p.status != ProjectStatus.ACTIVE]
    statuses = Counter(p.status for p in finished)
    assert statuses[ProjectStatus.SUCCEEDED] >= 2 and statuses[ProjectStatus.CLOSED] >= 2
    assert len(finished) <= len(projects) / 3
    for p in finished:
        assert p.created_at < demo - timedelta(days=300)
        assert p.created_at < p.updated_at < demo
        assert not (p.needs_funding or p.needs_talent or p.needs_mentoring or p.needs_services)
        if p.status == ProjectStatus.SUCCEEDED:
            assert p.stage != Stage.IDEA


def test_every_offer_belongs_to_a_member_with_the_matching_role(demo):
    people = _profiles()
    for offer in Offer.objects.all():
        assert ROLE_OF_KIND[offer.kind] in people[offer.owner_id]["roles"], offer.title
    assert not Offer.objects.filter(owner__is_staff=True).exists()
    per_owner = Counter(Offer.objects.values_list("owner_id", "kind"))
    assert max(per_owner.values()) <= 3


def test_investor_theses_back_contiguous_stages_with_tickets_that_fit_them(demo):
    people = _profiles()
    investors = [o for o in _offers() if o.kind == OfferKind.INVESTOR]
    order = list(Stage.values)
    for o in investors:
        ranks = [order.index(s) for s in o.stages]
        assert ranks and ranks == list(range(ranks[0], ranks[-1] + 1)), o.title
        assert o.ticket_min <= o.ticket_max
        for stage in o.stages:
            low, high = matching_demo.ASK[stage]
            assert o.ticket_min <= high and o.ticket_max >= low, (o.title, stage)
        sectors = {s.slug for s in o.sectors.all()}
        excluded = {s.slug for s in o.excluded_sectors.all()}
        owner = people[o.owner_id]["sectors"]
        assert owner <= sectors and len(sectors - owner) <= 1, o.title
        assert not sectors & excluded
        if o.regions:
            assert o.regions[0] == people[o.owner_id]["city"]
        assert 3 <= o.capacity <= 8
    assert sum(bool(o.excluded_sectors.all()) for o in investors) >= 5
    assert sum(not o.regions for o in investors) >= 5
    assert sum(bool(o.regions) for o in investors) >= 5
    assert sum(_has_chinese(o.title) for o in investors) >= 8
    assert sum(not _has_chinese(o.title) for o in investors) >= 5


def test_mentors_offer_two_to_eight_office_hours_on_topics_from_their_profile(demo):
    people = _profiles()
    mentors = [o for o in _offers() if o.kind == OfferKind.MENTOR]
    for o in mentors:
        topics = {t.name for t in o.topics.all()}
        profile = people[o.owner_id]
        assert topics and topics <= profile["skills"] | profile["interests"], o.title
        assert 2 <= o.capacity <= 8
        assert {s.slug for s in o.sectors.all()} == profile["sectors"]
    assert len({o.capacity for o in mentors}) >= 4


def test_talent_offers_list_the_members_skills_role_availability_and_place(demo):
    people = _profiles()
    talent = [o for o in _offers() if o.kind == OfferKind.TALENT]
    for o in talent:
        skills = {t.name for t in o.skills.all()}
        assert skills and skills <= people[o.owner_id]["skills"], o.title
        assert o.role_sought and o.availability and o.capacity == 1
        assert o.city == people[o.owner_id]["city"]
    assert 0.2 <= sum(o.remote for o in talent) / len(talent) <= 0.6
    assert len({o.availability for o in talent}) >= 3


def test_service_offers_name_a_service_their_provider_offers(demo):
    services_ = [o for o in _offers() if o.kind == OfferKind.SERVICE]
    assert all(o.service_type in ServiceType.values and o.price_band for o in services_)
    assert len({o.service_type for o in services_}) >= 4


def test_match_scores_were_stored_with_their_reasons(demo):
    matches = list(Match.objects.select_related("project", "offer"))
    assert len(matches) >= 500
    assert all(m.project.status == ProjectStatus.ACTIVE and m.offer.active for m in matches)
    assert all(0 < m.score <= 1 and m.reasons for m in matches)
    criteria = {c for m in matches for c, _values in m.reasons}
    assert {"sectors", "stage", "ticket", "skills", "topics", "text", "learned"} <= criteria
    kinds = {m.offer.kind for m in matches}
    assert kinds == set(OfferKind.values)


def test_every_intro_has_ordered_timestamps_and_a_consistent_state(demo):
    intros = list(Intro.objects.select_related("project", "offer"))
    teams = defaultdict(set)
    for project_id, user_id in Project.team.through.objects.values_list("project_id", "user_id"):
        teams[project_id].add(user_id)
    staff = set(User.objects.filter(is_staff=True).values_list("pk", flat=True))
    for i in intros:
        party = teams[i.project_id] | {i.offer.owner_id}
        assert i.created_at >= max(i.project.created_at, i.offer.created_at)
        assert demo - timedelta(days=305) < i.created_at < demo
        steps = [t for t in (i.created_at, i.decided_at, i.met_at, i.outcome_at) if t]
        assert steps == sorted(steps) and steps[-1] < demo, i
        assert i.requested_by_id in party | staff
        assert i.score is not None and 0 < i.score <= 1
        if i.status == IntroStatus.REQUESTED:
            assert i.decided_at is None and i.met_at is None and not i.outcome
            assert False not in (i.project_consent, i.offer_consent)
            assert not (i.project_consent and i.offer_consent)
            assert i.project.status == ProjectStatus.ACTIVE and i.offer.active
        elif i.status == IntroStatus.ACCEPTED:
            assert i.project_consent is True and i.offer_consent is True
            assert i.decided_at and i.decided_by_id in party
        elif i.status == IntroStatus.DECLINED:
            assert i.decline_reason and False in (i.project_consent, i.offer_consent)
            assert i.decided_at and i.decided_by_id in party and i.met_at is None
        else:
            assert i.decided_at and i.decided_by_id == i.requested_by_id
            assert i.met_at is None and not i.outcome
        if i.outcome:
            assert i.status == IntroStatus.ACCEPTED and i.met_at and i.outcome_at
            assert i.outcome in OUTCOMES_OF_KIND[i.offer.kind]
        if i.met_at:
            assert i.status == IntroStatus.ACCEPTED
        if i.project.status != ProjectStatus.ACTIVE:
            assert steps[-1] <= i.project.updated_at
    pending = Counter((i.project_id, i.offer_id) for i in intros if i.status == "requested")
    assert max(pending.values()) == 1


def test_intros_go_through_every_stage_of_the_pipeline_over_ten_months(demo):
    intros = list(Intro.objects.select_related("offer"))
    stages = Counter(i.stage for i in intros)
    assert stages["requested"] >= 12 and stages["declined"] >= 12
    assert stages["withdrawn"] >= 3 and stages["accepted"] >= 6
    assert stages["met"] >= 8 and stages["outcome"] >= 20
    outcomes = Counter(i.outcome for i in intros if i.outcome)
    assert set(outcomes) == set(Outcome.values)
    assert outcomes[Outcome.NO_DEAL] < sum(outcomes.values()) / 2
    assert Counter(i.offer.kind for i in intros).keys() == set(OfferKind.values)
    declined = [i for i in intros if i.status == IntroStatus.DECLINED]
    assert len({i.decline_reason for i in declined}) >= 3
    assert sum(bool(i.decline_note) for i in declined) >= len(declined) / 2
    ages = [(demo - i.created_at).days for i in intros]
    assert min(ages) <= 3 and max(ages) >= 240
    assert sum(age > 150 for age in ages) >= 20


def test_pending_intros_were_asked_by_either_side_or_proposed_by_an_operator(demo):
    pending = list(
        Intro.objects.filter(status=IntroStatus.REQUESTED).select_related("requested_by")
    )
    by_team = [i for i in pending if i.project_consent and i.offer_consent is None]
    by_owner = [i for i in pending if i.offer_consent and i.project_consent is None]
    proposed = [i for i in pending if i.requested_by.is_staff]
    assert len(by_team) >= 3 and len(by_owner) >= 3 and len(proposed) >= 2
    assert any(i.project_consent is None and i.offer_consent is None for i in proposed)
    notified = set(
        Notification.objects.filter(intro__in=pending, read_at__isnull=True).values_list(
            "intro_id", flat=True
        )
    )
    assert notified == {i.pk for i in pending}


def test_intros_are_drawn_mostly_from_good_matches(demo):
    intro_scores = list(Intro.objects.values_list("score", flat=True))
    all_scores = list(Match.objects.values_list("score", flat=True))
    assert mean(intro_scores) > mean(all_scores)
    accepted = Intro.objects.filter(status=IntroStatus.ACCEPTED).values_list("score", flat=True)
    declined = Intro.objects.filter(status=IntroStatus.DECLINED).values_list("score", flat=True)
    assert mean(accepted) > mean(declined)


def test_a_few_accepted_intros_have_a_short_thread_between_their_two_sides(demo):
    messages = list(IntroMessage.objects.select_related("intro__offer"))
    threads = Counter(m.intro_id for m in messages)
    assert 5 <= len(threads) <= 10 and all(2 <= n <= 4 for n in threads.values())
    for m in messages:
        team = set(m.intro.project.team.values_list("pk", flat=True))
        assert m.intro.status == IntroStatus.ACCEPTED
        assert m.author_id in team | {m.intro.offer.owner_id}
        assert m.intro.decided_at <= m.created_at < demo
    assert any(_has_chinese(m.body) for m in messages)


def test_the_demo_member_has_a_project_with_matches_and_intros_to_answer(demo):
    member = User.objects.get(handle="demo")
    project = services.my_projects(member).get()
    assert {s.slug for s in project.sectors.all()} == {"ai", "healthtech"}
    assert project.needs_funding and project.needs_talent and project.needs_mentoring
    _project, matches = services.matches_for_project(member, project.slug)
    assert {m.offer.kind for m in matches} == set(OfferKind.values)
    waiting = list(services.awaiting_answer(member))
    assert waiting and all(i.project_id == project.pk for i in waiting)
    assert services.get_intro(member, waiting[0].pk).can_answer
    assert Notification.objects.filter(
        recipient=member, intro=waiting[0], read_at__isnull=True
    ).exists()
    accepted = services.intros_for(member).filter(status=IntroStatus.ACCEPTED)
    assert accepted.exists()
    assert IntroMessage.objects.filter(intro__in=accepted).exists()


def test_a_past_mentor_round_was_built_and_sent_by_the_operator(demo):
    round_ = MatchingRound.objects.get()
    assert round_.kind == OfferKind.MENTOR and round_.created_by.handle == "operator"
    assert round_.created_at < round_.sent_at < demo - timedelta(days=60)
    proposals = list(Proposal.objects.filter(round=round_).select_related("offer"))
    assert len(proposals) >= 5 and all(p.reasons for p in proposals)
    assert round_.projects_covered == len({p.project_id for p in proposals})
    assert round_.total_score == pytest.approx(sum(p.score for p in proposals), abs=1e-3)
    load = Counter(p.offer_id for p in proposals)
    assert all(load[p.offer_id] <= p.offer.capacity for p in proposals)
    sent = Intro.objects.filter(round=round_)
    assert set(sent.values_list("project_id", "offer_id")) == {
        (p.project_id, p.offer_id) for p in proposals
    }
    assert all(i.created_at == round_.sent_at for i in sent)
    assert sent.exclude(status=IntroStatus.REQUESTED).count() == len(proposals)


def _snapshot():
    projects = sorted(
        (p.slug, p.name, p.stage, p.status, tuple(sorted(m.handle for m in p.team.all())))
        for p in Project.objects.prefetch_related("team")
    )
    offers = sorted(Offer.objects.values_list("kind", "owner__handle", "title", "capacity"))
    intros = sorted(Intro.objects.values_list("project__slug", "offer__title", "status", "outcome"))
    return projects, offers, intros


def test_the_matching_demo_is_deterministic_for_a_seed(demo):
    _wipe_matching()
    matching_demo.load_matching(random.Random("7:matching"), demo)
    first = _snapshot()
    _wipe_matching()
    matching_demo.load_matching(random.Random("7:matching"), demo)
    assert _snapshot() == first
    assert len(first[0]) >= 50 and len(first[2]) >= 100


def test_the_matching_demo_grows_with_the_community_and_then_stops():
    assert matching_demo.scale(50) == pytest.approx(0.25)
    assert matching_demo.scale(200) == 1
    assert 1 < matching_demo.scale(300) < matching_demo.MAX_SCALE
    assert matching_demo.scale(5000) == matching_demo.scale(1_000_000) == matching_demo.MAX_SCALE


@pytest.mark.parametrize("factor", [1.0, matching_demo.MAX_SCALE])
def test_the_matching_step_writes_in_a_fixed_number_of_batches(
    demo, factor, monkeypatch, django_assert_max_num_queries
):
    # The step's size stops growing at MAX_SCALE, so this bounds it at any member count.
    _wipe_matching()
    monkeypatch.setattr(matching_demo, "scale", lambda _count: factor)
    with django_assert_max_num_queries(85):
        counts = matching_demo.load_matching(random.Random(3), demo)
    assert counts["projects"] == Project.objects.count() >= 55 * factor
    assert Project.objects.annotate(n=Count("team")).filter(n=0).count() == 0
