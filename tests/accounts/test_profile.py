import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from seedbed.accounts.models import Role, Visibility
from seedbed.accounts.services import update_profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _profile_form(**overrides):
    data = {
        "display_name": "Grace Hopper",
        "handle": "grace",
        "headline": "Founder, compilers for clinics",
        "bio": "Built the first compiler.",
        "roles": ["founder", "mentor"],
        "city": "上海",
        "languages": ["en", "zh"],
        "stage": "seed",
        "sectors": ["ai", "healthtech"],
        "skills": "Python, 机器学习，Compilers",
        "interests": "open source",
        "visibility": "members",
    }
    data.update(overrides)
    return data


def test_a_member_edits_the_profile_and_sees_it_on_the_profile_page(member_client, member):
    response = member_client.post("/me/profile/", _profile_form())
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Grace Hopper"
    assert member.roles == ["founder", "mentor"]
    assert sorted(t.name for t in member.skills.all()) == ["compilers", "python", "机器学习"]
    assert {s.slug for s in member.sectors.all()} == {"ai", "healthtech"}
    assert member.visibility == Visibility.MEMBERS
    page = member_client.get(f"/members/{member.pk}/").content.decode()
    assert (
        "Grace Hopper" in page and "机器学习" in page and "Founder, compilers for clinics" in page
    )


def test_too_many_skills_are_a_form_error_and_nothing_is_saved(member_client, member):
    many = ", ".join(f"skill {i}" for i in range(25))
    response = member_client.post(
        "/me/profile/", _profile_form(skills=many, display_name="Changed")
    )
    assert response.status_code == 200
    assert "skills" in response.context["form"].errors
    member.refresh_from_db()
    assert member.display_name != "Changed"
    assert not member.skills.exists()


def test_a_member_who_is_not_staff_cannot_take_the_operator_role(member_client, member):
    response = member_client.post("/me/profile/", _profile_form(roles=["operator"]))
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert member.roles == []


def test_editing_a_profile_needs_a_login(client):
    response = client.get("/me/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_members_only_profile_is_hidden_from_visitors_but_shown_to_members(member_client):
    hidden = MemberFactory(visibility=Visibility.MEMBERS, display_name="Quiet Investor")
    assert Client().get(f"/members/{hidden.pk}/").status_code == 404
    response = member_client.get(f"/members/{hidden.pk}/")
    assert response.status_code == 200
    assert "Quiet Investor" in response.content.decode()


def test_a_public_profile_is_shown_to_visitors(client):
    shown = MemberFactory(visibility=Visibility.PUBLIC, roles=[Role.INVESTOR])
    response = client.get(f"/members/{shown.pk}/")
    assert response.status_code == 200
    assert shown.display_name in response.content.decode()


def test_a_missing_profile_is_404(client):
    assert client.get("/members/999999/").status_code == 404


def test_an_inactive_member_has_no_profile_page(member_client):
    gone = MemberFactory(is_active=False)
    assert member_client.get(f"/members/{gone.pk}/").status_code == 404


@pytest.mark.parametrize("handle", ["a", "bob-", "ann.", "-x", "Has Space", "王伟", "x" * 31])
def test_a_handle_that_cannot_be_mentioned_is_refused(member_client, member, handle):
    response = member_client.post("/me/profile/", _profile_form(handle=handle))
    assert response.status_code == 200
    assert "handle" in response.context["form"].errors


def test_a_taken_handle_is_refused(member_client, other_member):
    response = member_client.post("/me/profile/", _profile_form(handle=other_member.handle))
    assert "handle" in response.context["form"].errors


def test_a_deactivated_staff_account_cannot_take_the_operator_role():
    former = MemberFactory(is_staff=True, is_active=False)
    with pytest.raises(ValidationError) as refused:
        update_profile(former, roles=[Role.OPERATOR])
    assert "roles" in refused.value.message_dict
