"""schemathesis over /api/v1/openapi.json, through the Django WSGI app: generated valid and
invalid input for every operation, as two members and an operator, must never get a server
error, an undocumented status or a body off its documented shape, a refusal of valid input
or an acceptance of invalid input, or an answer that ignores its authentication.

The run is short and deterministic (a fixed seed, a few examples per operation); the long
variant, marked slow and run only with SCHEMATHESIS_LONG=1 (CI runs the slow tests too), tries
many more, as each caller."""

import json
import os
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from seedbed.accounts.models import PlatformRole
from seedbed.accounts.services import create_api_token
from seedbed.api import api
from seedbed.communities import services
from seedbed.communities.models import Membership, Visibility
from tests.factories import MemberFactory


def app(environ, start_response):
    """A fresh Django handler per request: middleware reads the settings when it is built,
    and each test's settings (no HTTPS redirect, the test host) must apply."""
    return get_wsgi_application()(environ, start_response)


schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.app = app
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    deterministic=True,
    # NUL is refused by design (422: PostgreSQL cannot store it), so valid data has none; and
    # text is what UTF-8 can carry (no lone surrogates).
    allow_x00=False,
    codec="utf-8",
)

# A schema-valid request may still break a business rule (a taken address, an e-mail that is
# no address): that is a 400 naming the rule, by design, not a schema too loose.
schema.config.checks.positive_data_acceptance.expected_statuses.append("400")

ACTORS = ["member", "other_member", "operator"]


@pytest.fixture
def tokens(db, settings):
    """Two members of a private community (one owns it) and an operator, with their tokens:
    ids in generated paths sometimes hit real rows rather than always answering 404."""
    settings.ALLOWED_HOSTS = ["localhost"]
    owner = MemberFactory()
    other = MemberFactory()
    operator = MemberFactory(roles=[PlatformRole.OPERATOR])
    community = services.create_community(owner, name="Fuzz", visibility=Visibility.PRIVATE)
    Membership.objects.create(community=community, user=other)
    services.create_post(other, community.slug, title="Fuzzed", body="A post")
    people = {"member": owner, "other_member": other, "operator": operator}
    # The raw WSGI app sends the request signals, whose handler would close the database
    # connection, and the test's transaction with it, as Django's own test client prevents.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {actor: create_api_token(user, "fuzz")[1] for actor, user in people.items()}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _exercise(case, tokens, actor):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[actor]}"})


FAST = settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FAST
def test_the_api_keeps_its_contract(case, tokens):
    """Each operation as one of the three callers, always the same one for the same operation."""
    _exercise(case, tokens, ACTORS[zlib.crc32(case.operation.label.encode()) % len(ACTORS)])


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("SCHEMATHESIS_LONG"),
    reason="about half an hour on two cores: run with SCHEMATHESIS_LONG=1",
)
@schema.parametrize()
@settings(FAST, max_examples=25, phases=list(Phase))
@pytest.mark.parametrize("actor", ACTORS)
def test_the_api_keeps_its_contract_for_longer(case, tokens, actor):
    _exercise(case, tokens, actor)
