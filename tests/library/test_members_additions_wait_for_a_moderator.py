"""Members' additions are moderated like posts: pending until a moderator of the community
(or an operator, for the platform) approves; reportable; every decision is logged."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from seedbed.library import services
from seedbed.library.models import ResourceDecision, ResourceReport, ResourceStatus
from tests.library.conftest import api_for, client_for


def add(user, **fields):
    values = {"kind": "article", "title": "How we raised", "link": "https://example.org/a"}
    values.update(fields)
    return services.add_resource(user, **values)


def test_a_members_addition_is_seen_by_its_author_and_moderators_only(world):
    pending = add(world["member"], community=world["public"].slug)
    assert pending.status == ResourceStatus.PENDING
    for user in (world["member"], world["moderator"], world["owner"], world["operator"]):
        assert services.get_resource(user, pending.pk).resource == pending
    for user in (world["outsider"], None):
        with pytest.raises(Http404):
            services.get_resource(user, pending.pk)


def test_a_moderators_addition_is_published_at_once(world):
    assert add(world["moderator"], community=world["public"].slug).is_approved
    assert add(world["operator"]).is_approved
    assert not add(world["moderator"]).is_approved  # the platform is the operators'


def test_only_members_add_to_a_community(world):
    with pytest.raises(PermissionDenied):
        add(world["outsider"], community=world["public"].slug)
    with pytest.raises(Http404):
        add(world["outsider"], community=world["private"].slug)
    with pytest.raises(PermissionDenied):
        add(None)


def test_approving_publishes_and_is_logged(world):
    pending = add(world["member"], community=world["public"].slug)
    with pytest.raises(PermissionDenied):
        services.decide_resource(world["member"], pending.pk, "approve")
    with pytest.raises(Http404):
        services.decide_resource(world["outsider"], pending.pk, "approve")
    services.decide_resource(world["moderator"], pending.pk, "approve", "Good one")
    pending.refresh_from_db()
    assert pending.is_approved and pending.decided_by == world["moderator"]
    assert services.get_resource(world["outsider"], pending.pk)
    log = ResourceDecision.objects.get(resource=pending)
    assert (log.actor, log.status, log.note) == (world["moderator"], "approved", "Good one")


def test_a_platform_addition_waits_for_an_operator(world):
    pending = add(world["member"])
    with pytest.raises(Http404):
        services.decide_resource(world["moderator"], pending.pk, "approve")
    services.decide_resource(world["operator"], pending.pk, "approve")
    pending.refresh_from_db()
    assert pending.is_approved


def test_reporting_puts_it_in_the_queue_and_hiding_resolves_the_report(world):
    resource = world["public_resource"]
    with pytest.raises(PermissionDenied):
        services.report_resource(world["owner"], resource.pk, "mine")
    services.report_resource(world["member"], resource.pk, "Spam link")
    services.report_resource(world["member"], resource.pk, "Spam link again")
    assert ResourceReport.objects.filter(resource=resource).count() == 1
    slug = world["public"].slug
    assert [r.pk for r in services.moderation_queue(world["moderator"], slug)] == [resource.pk]
    assert [r.pk for r in services.moderation_queue(world["operator"])] == [resource.pk]
    with pytest.raises(PermissionDenied):
        services.moderation_queue(world["member"], slug)
    with pytest.raises(PermissionDenied):
        services.moderation_queue(world["moderator"])
    services.decide_resource(world["moderator"], resource.pk, "hide")
    assert list(services.moderation_queue(world["operator"])) == []
    assert ResourceReport.objects.get().status == "resolved"
    with pytest.raises(Http404):
        services.get_resource(world["member"], resource.pk)
    assert services.get_resource(world["owner"], resource.pk).resource.status == "hidden"


def test_a_bad_decision_is_a_clear_refusal(world):
    with pytest.raises(ValidationError) as refused:
        services.decide_resource(world["operator"], world["public_resource"].pk, "delete")
    assert "decision" in refused.value.message_dict


def test_the_queue_page_and_api_answer_moderators_only(world):
    pending = add(world["member"], community=world["public"].slug)
    page = client_for(world["operator"]).get(reverse("library:queue"))
    assert page.status_code == 200 and "How we raised" in page.text
    assert client_for(world["member"]).get(reverse("library:queue")).status_code == 403
    slug = world["public"].slug
    api = api_for(world["moderator"]).get(f"/api/v1/library/queue?community={slug}").json()
    assert [r["id"] for r in api["items"]] == [pending.pk]
    refused = api_for(world["member"]).get(f"/api/v1/library/queue?community={slug}")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    decided = api_for(world["moderator"]).post(
        f"/api/v1/library/resources/{pending.pk}/decision",
        json.dumps({"decision": "approve"}),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"


def test_the_add_page_stores_a_pending_resource(world):
    client = client_for(world["member"])
    response = client.post(
        reverse("library:add") + f"?community={world['public'].slug}",
        {
            "kind": "template",
            "title": "Pitch deck outline",
            "link": "https://example.org/deck",
            "language": "zh",
            "topics": "融资，pitch",
            "sectors": ["fintech"],
        },
    )
    assert response.status_code == 302
    resource = services.my_resources(world["member"]).get()
    assert resource.status == "pending" and resource.community == world["public"]
    assert sorted(t.name for t in resource.topics.all()) == ["pitch", "融资"]
    assert [s.slug for s in resource.sectors.all()] == ["fintech"]


def test_the_add_page_shows_bad_input_on_the_form(world):
    client = client_for(world["member"])
    response = client.post(
        reverse("library:add"),
        {"kind": "book", "title": "No link", "language": "en", "link": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert "https://" in response.text
    response = client.post(reverse("library:add"), {"kind": "book", "title": "x", "language": "en"})
    assert "Give a link, upload a file, or both." in response.text


def test_the_api_refuses_bad_input_with_the_envelope(world):
    api = api_for(world["member"])
    response = api.post(
        "/api/v1/library/resources",
        json.dumps({"kind": "book", "title": "T", "link": "ftp://x", "sectors": ["nope"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert "link" in fields or "sectors" in fields
    response = api.post(
        "/api/v1/library/resources",
        json.dumps({"kind": "poem", "title": "T"}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"
    created = api.post(
        "/api/v1/library/resources",
        json.dumps({"kind": "book", "title": "Lean \x07Startup", "link": "https://x.org"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["title"] == "Lean Startup" and created.json()["status"] == "pending"
