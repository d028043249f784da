"""Data builders shared by the page tests (not fixtures: the lead owns conftest.py)."""

from seedbed.matching import services
from tests.factories import MemberFactory


def more_projects(n: int, *, prefix: str = "Extra") -> list:
    """``n`` active projects, each with its own founder, sectors, tags and funding."""
    projects = []
    for i in range(n):
        founder = MemberFactory()
        projects.append(
            services.create_project(
                founder,
                name=f"{prefix} robotics {i}",
                one_liner="Factory automation with robot arms",
                description="Robot arms and computer vision for factories.",
                sectors=["hardware", "ai"],
                stage="seed",
                city="Shanghai",
                needs_funding=True,
                funding_min=100_000 + i,
                funding_max=900_000 + i,
                needs_mentoring=True,
                topics_sought=["pricing", f"topic {i}"],
                needs_talent=True,
                skills_sought=["computer vision", f"skill {i}"],
            )
        )
    return projects


def more_offers(n: int, *, kind: str = "investor", owner=None) -> list:
    """``n`` offers of one kind that match the robot-arm projects."""
    offers = []
    for i in range(n):
        fields = {
            "investor": {
                "stages": ["seed"],
                "ticket_min": 50_000,
                "ticket_max": 5_000_000,
                "regions": ["Shanghai"],
                "excluded_sectors": ["web3"],
            },
            "mentor": {"topics": ["pricing", "manufacturing"]},
            "talent": {"skills": ["computer vision"], "city": "Shanghai", "role_sought": "CTO"},
            "service": {"service_type": "legal", "price_band": "free", "topics": ["contracts"]},
        }[kind]
        offers.append(
            services.create_offer(
                owner or MemberFactory(),
                kind,
                title=f"{kind.title()} offer {i}",
                description="Robot arms, computer vision and factory automation.",
                sectors=["hardware"],
                **fields,
            )
        )
    return offers
