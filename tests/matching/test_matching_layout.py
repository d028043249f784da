"""Where the matching code lives: the services are a package of modules along their seams
that still answers every name other code imports from ``seedbed.matching.services``, and only
the adapter turns rows into the engine's arrays."""

import ast
import math
from pathlib import Path

import pytest

from seedbed.matching import adapter, services
from seedbed.matching.models import Match, MatchingRound, Proposal
from tests.factories import MemberFactory

MATCHING = Path(services.__file__).parent.parent
USED_ELSEWHERE = [
    # demo, tests, the Models page and the API import these from the package itself
    "create_project",
    "create_offer",
    "add_team_member",
    "refresh_matches",
    "request_intro",
    "answer_intro",
    "post_intro_message",
    "create_round",
    "send_round",
    "deal_access",
    "get_intro",
    "intro_thread",
    "IntroAccess",
    "Pipeline",
    "PIPELINE_STAGES",
]


def test_services_are_a_package_of_modules_along_their_seams():
    package = Path(services.__file__).parent
    modules = {p.stem for p in package.glob("*.py")}
    assert {"projects", "matches", "intros", "rounds"} <= modules
    sizes = {p.name: len(p.read_text().splitlines()) for p in package.glob("*.py")}
    assert max(sizes.values()) < 400, sizes


@pytest.mark.parametrize("name", USED_ELSEWHERE)
def test_the_package_still_answers_every_name_other_code_imports(name):
    assert hasattr(services, name)
    assert name in services.__all__


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize(
    "path",
    [
        MATCHING / "access.py",
        MATCHING / "api.py",
        MATCHING / "views.py",
        MATCHING / "views_intros.py",
        *sorted((MATCHING / "services").glob("*.py")),
    ],
    ids=lambda p: p.name,
)
def test_only_the_adapter_builds_engine_inputs(path):
    engine = {m for m in _imports(path) if m.startswith(("seedbed.engine", "numpy"))}
    assert not engine, f"{path.name} imports {engine}; ORM → engine code belongs in adapter.py"


@pytest.mark.django_db
def test_the_adapter_allocates_a_round_from_the_stored_scores_leaving_out_excluded_pairs(
    project, mentor_offer, operator
):
    other = services.create_offer(
        MemberFactory(), "mentor", title="More pricing hours", topics=["pricing"]
    )
    services.refresh_matches()
    stored = {m.offer_id: m for m in Match.objects.filter(project=project)}
    assert set(stored) == {mentor_offer.pk, other.pk}
    round_ = MatchingRound.objects.create(
        name="Spring", kind="mentor", fair=True, min_score=0.0, created_by=operator
    )

    adapter.allocate_round(round_, exclude={(project.pk, mentor_offer.pk)})

    [proposal] = Proposal.objects.filter(round=round_)
    assert (proposal.project_id, proposal.offer_id) == (project.pk, other.pk)
    assert proposal.reasons == stored[other.pk].reasons
    round_.refresh_from_db()
    assert round_.projects_covered == 1
    assert math.isclose(round_.total_score, stored[other.pk].score, abs_tol=1e-4)
