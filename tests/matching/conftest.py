import pytest
from django.test import Client

from seedbed.matching import services
from tests.factories import MemberFactory

SECRET_TERMS = "Pre-money valuation 12,345,678; Sequoia-Canary-7Q9 leads"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def founder(db):
    return MemberFactory(display_name="Fang Founder", roles=["founder"])


@pytest.fixture
def cofounder(db):
    return MemberFactory(display_name="Cora Cofounder", roles=["founder"])


@pytest.fixture
def investor(db):
    return MemberFactory(display_name="Ivan Investor", roles=["investor"])


@pytest.fixture
def mentor(db):
    return MemberFactory(display_name="Mei Mentor", roles=["mentor"])


@pytest.fixture
def outsider(db):
    return MemberFactory(display_name="Otto Outsider")


@pytest.fixture
def operator(db):
    return MemberFactory(display_name="Opal Operator", roles=["operator"], is_staff=True)


@pytest.fixture
def project(founder, cofounder):
    project = services.create_project(
        founder,
        name="Robo Arm",
        one_liner="Low-cost robot arms for small factories",
        description="We build affordable robot arms with computer vision for small factories.",
        sectors=["hardware", "ai"],
        stage="seed",
        city="Shanghai",
        needs_funding=True,
        funding_min=1_000_000,
        funding_max=2_000_000,
        funding_instrument="equity",
        funding_notes=SECRET_TERMS,
        needs_mentoring=True,
        topics_sought=["pricing", "manufacturing"],
        needs_talent=True,
        skills_sought=["computer vision"],
    )
    services.add_team_member(founder, project.slug, cofounder.handle)
    return project


@pytest.fixture
def investor_offer(investor):
    return services.create_offer(
        investor,
        "investor",
        title="Hardware seed fund",
        description="We back robot arms, computer vision and factory automation at seed.",
        sectors=["hardware", "ai"],
        stages=["seed", "pre_seed"],
        ticket_min=500_000,
        ticket_max=3_000_000,
        regions=["Shanghai", "Shenzhen"],
        capacity=5,
    )


@pytest.fixture
def mentor_offer(mentor):
    return services.create_offer(
        mentor,
        "mentor",
        title="Pricing and manufacturing office hours",
        description="Twenty years in factory automation; pricing hardware products.",
        sectors=["hardware"],
        topics=["pricing", "manufacturing"],
        capacity=4,
    )
