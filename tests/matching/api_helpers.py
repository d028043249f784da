"""Helpers shared by the matching API tests: JSON requests, bearer-token clients, and data
builders for the query budgets."""

import json

from django.test import Client

from seedbed.accounts.services import create_api_token
from seedbed.matching import services
from tests.factories import MemberFactory


def send(client: Client, method: str, url: str, body=None):
    """A JSON request; ``body=None`` sends none."""
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def api_for(user) -> Client:
    """A client that signs in with a bearer token, as an integrator would."""
    if user is None:
        return Client()
    _token, secret = create_api_token(user, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def fields_named(response) -> list[str]:
    """The fields an error response names, without list positions ("stages.0" → "stages")."""
    return [e["field"].split(".")[0] for e in response.json()["errors"]]


def make_projects(n: int, *, founder=None, prefix: str = "Widget") -> list:
    """``n`` funded hardware projects, each with its own founder unless one is given."""
    return [
        services.create_project(
            founder or MemberFactory(),
            name=f"{prefix} {i}",
            one_liner=f"Robot arms for factories, take {i}",
            description="Robot arms with computer vision for small factories.",
            sectors=["hardware", "ai"],
            stage="seed",
            city="Shanghai",
            needs_funding=True,
            funding_min=100_000,
            funding_max=200_000,
            funding_notes=f"secret terms {i}",
            needs_mentoring=True,
            topics_sought=["pricing", f"topic {i}"],
            skills_sought=["computer vision"],
        )
        for i in range(n)
    ]


def make_offers(n: int, kind: str = "investor", *, owner=None) -> list:
    """``n`` offers of one kind that match ``make_projects``'s projects."""
    extra = (
        {"stages": ["seed"], "ticket_min": 50_000, "ticket_max": 500_000, "regions": ["Shanghai"]}
        if kind == "investor"
        else {"topics": ["pricing", "manufacturing"]}
    )
    return [
        services.create_offer(
            owner or MemberFactory(),
            kind,
            title=f"{kind.title()} offer {i}",
            description="Robot arms, computer vision and factory automation.",
            sectors=["hardware", "ai"],
            skills=["computer vision", f"skill {i}"],
            capacity=3,
            **extra,
        )
        for i in range(n)
    ]
