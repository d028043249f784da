import re

import pytest
from django.core import mail

from seedbed.accounts.models import MemberRole, User
from seedbed.communities.models import Ban, JoinRequest, Membership, Visibility
from seedbed.core.models import Sector, Tag
from seedbed.discovery.models import Recommendation
from tests.factories import PASSWORD, MemberFactory
from tests.site.conftest import client_for, make_community

pytestmark = pytest.mark.django_db

SIGNUP_PASSWORD = "an-Unusual-pass-99"
ROUTES = {
    # name: (method, path)
    "onboarding": ("get", "/welcome/"),
    "onboarding_interests": ("get", "/welcome/interests/"),
    "onboarding_communities": ("get", "/welcome/communities/"),
    "onboarding_join": ("post", "/welcome/communities/{slug}/join/"),
    "onboarding_profile": ("get", "/welcome/profile/"),
    "onboarding_skip": ("post", "/welcome/1/skip/"),
}


def sign_up_and_verify(client, email="ada@example.org") -> User:
    client.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "Ada Lovelace",
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )
    key = re.search(r"/accounts/confirm-email/(\S+)/", mail.outbox[-1].body).group(1)
    response = client.post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302 and response["Location"] == "/welcome/"
    return User.objects.get(email=email)


def newcomer(step=1, **fields) -> User:
    return MemberFactory(onboarding_step=step, **fields)


def interests(**data):
    return {"roles": ["founder"], "sectors": ["fintech"], "city": "Shanghai", **data}


@pytest.fixture
def fintech_club():
    club = make_community("Fintech founders", members=MemberFactory.create_batch(2))
    club.tags.add(Tag.objects.create(name="支付"))
    return club


@pytest.mark.slow
def test_sign_up_verify_onboard_join_a_suggested_community_and_see_suggestions_at_home(
    client, fintech_club
):
    other = make_community("Gardening")
    user = sign_up_and_verify(client)
    assert user.onboarding_step == 1
    assert client.get("/welcome/")["Location"] == "/welcome/interests/"
    body = client.get("/welcome/interests/").content.decode()
    assert "Step 1 of 3" in body and "Skip this step" in body

    response = client.post(
        "/welcome/interests/", interests(interests="支付，machine learning", city="上海")
    )
    assert response.status_code == 302 and response["Location"] == "/welcome/communities/"
    user.refresh_from_db()
    assert user.onboarding_step == 2 and user.city == "上海"
    assert set(user.interests.values_list("name", flat=True)) == {"支付", "machine learning"}
    assert list(user.role_rows.values_list("role", flat=True)) == ["founder"]

    body = client.get("/welcome/communities/").content.decode()
    assert "Step 2 of 3" in body
    assert body.index("Fintech founders") < body.index("Gardening")
    assert "Matches your interest in 支付." in body  # stored by the refresh step 1 queued
    assert Recommendation.objects.filter(member=user, kind="community").exists()
    answer = client.post(f"/welcome/communities/{fintech_club.slug}/join/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    card = answer.content.decode()
    assert "Joined" in card and "<html" not in card
    assert Membership.objects.filter(community=fintech_club, user=user).exists()
    assert not Membership.objects.filter(community=other, user=user).exists()

    assert client.post("/welcome/2/skip/")["Location"] == "/welcome/profile/"
    response = client.post(
        "/welcome/profile/",
        {
            "headline": "Payments founder",
            "bio": "Ten years in fintech.",
            "languages": ["zh", "en"],
            "visibility": "public",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    assert user.onboarding_step == 0 and user.headline == "Payments founder"
    assert user.languages == ["zh", "en"] and user.visibility == "public"

    home = client.get("/").content.decode()
    assert "Finish setting up" not in home
    assert "Welcome back, Ada Lovelace" in home
    for_you = home[home.index('id="for-you"') :]
    assert Recommendation.objects.filter(member=user).exists()
    assert "Gardening" in for_you and "Not interested" in for_you


def test_step_two_suggests_public_communities_sharing_my_sectors_or_interests_first(
    fintech_club,
):
    member = newcomer(step=2)
    member.sectors.set(Sector.objects.filter(slug="fintech"))
    make_community("Climate", sector=Sector.objects.get(slug="cleantech"))
    make_community("Everyone", members=MemberFactory.create_batch(4))
    make_community("Closed fintech", visibility=Visibility.PRIVATE, sector=member.sectors.get())
    fintech_club.sector = Sector.objects.get(slug="fintech")
    fintech_club.save()
    body = client_for(member).get("/welcome/communities/").content.decode()
    assert body.index("Fintech founders") < body.index("Everyone") < body.index("Climate")
    assert "Matches your interest in Fintech." in body
    assert "Popular: 4 members took part." in body and "New and open to everyone." in body
    assert "Closed fintech" not in body


def test_a_community_i_joined_or_am_banned_from_is_not_suggested_again(member, fintech_club):
    Membership.objects.create(community=fintech_club, user=member)
    banned = make_community("Banned from here")
    Ban.objects.create(community=banned, user=member)
    make_community("Still open")
    body = client_for(member).get("/welcome/communities/").content.decode()
    assert "Still open" in body
    assert "Fintech founders" not in body and "Banned from here" not in body


def test_joining_without_htmx_returns_to_step_two_with_a_welcome(member, fintech_club):
    response = client_for(member).post(
        f"/welcome/communities/{fintech_club.slug}/join/", follow=True
    )
    assert response.redirect_chain[-1][0] == "/welcome/communities/"
    assert "Welcome to Fintech founders!" in response.content.decode()


def test_asking_to_join_a_private_community_leaves_a_request_for_the_moderators(member):
    closed = make_community("Closed", visibility=Visibility.PRIVATE, owner=MemberFactory())
    answer = client_for(member).post(
        f"/welcome/communities/{closed.slug}/join/", HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200 and "Request sent" in answer.content.decode()
    assert JoinRequest.objects.filter(community=closed, user=member).exists()
    assert not Membership.objects.filter(community=closed, user=member).exists()


def test_joining_a_hidden_or_missing_community_answers_404(member):
    hidden = make_community("Board room", visibility=Visibility.HIDDEN)
    client = client_for(member)
    assert client.post(f"/welcome/communities/{hidden.slug}/join/").status_code == 404
    assert client.post("/welcome/communities/no-such-thing/join/").status_code == 404
    assert not Membership.objects.filter(user=member).exists()


def test_bad_interests_are_refused_with_clear_errors_and_nothing_typed_or_stored_is_lost(member):
    MemberRole.objects.create(user=member, role="mentor")
    member.city = "Beijing"
    member.save()
    client = client_for(member)
    too_many = ", ".join(f"tag{i}" for i in range(25))
    response = client.post(
        "/welcome/interests/", interests(interests=too_many, city="Hangzhou", sectors=["fintech"])
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["interests"] == ["At most 20 tags."]
    body = response.content.decode()
    assert "tag24" in body and 'value="Hangzhou"' in body
    member.refresh_from_db()
    assert member.city == "Beijing"
    assert list(member.role_rows.values_list("role", flat=True)) == ["mentor"]
    assert not member.interests.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"roles": ["astronaut"]}, "roles"),
        ({"roles": ["operator"]}, "roles"),
        ({"sectors": ["no-such-sector"]}, "sectors"),
        ({"city": "x" * 81}, "city"),
        ({"interests": "y" * 41}, "interests"),
    ],
)
def test_each_bad_interest_field_is_named_in_a_400(member, data, field):
    response = client_for(member).post("/welcome/interests/", interests(**data))
    assert response.status_code == 400
    assert response.context["form"].errors[field]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"visibility": "everyone"}, "visibility"),
        ({"languages": ["klingon"]}, "languages"),
        ({"headline": "h" * 141}, "headline"),
    ],
)
def test_bad_profile_details_are_refused_and_onboarding_stays_open(data, field):
    member = newcomer(step=3, headline="Old headline")
    fields = {"headline": "New", "bio": "Bio", "visibility": "public", **data}
    response = client_for(member).post("/welcome/profile/", fields)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    member.refresh_from_db()
    assert member.headline == "Old headline" and member.onboarding_step == 3


def test_each_step_can_be_skipped_and_skipping_the_last_one_ends_onboarding():
    member = newcomer()
    client = client_for(member)
    assert client.post("/welcome/1/skip/")["Location"] == "/welcome/communities/"
    assert client.post("/welcome/2/skip/")["Location"] == "/welcome/profile/"
    assert "Step 3 of 3" in client.get("/welcome/profile/").content.decode()
    assert client.post("/welcome/3/skip/")["Location"] == "/"
    member.refresh_from_db()
    assert member.onboarding_step == 0


def test_without_e_mail_verification_sign_up_leads_straight_to_onboarding(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "bo@example.org",
            "display_name": "Bo",
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/welcome/"
    assert User.objects.get(email="bo@example.org").onboarding_step == 1


def test_a_member_who_stopped_halfway_resumes_at_that_step_when_logging_in():
    member = newcomer(step=2)
    client = client_for()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response["Location"] == "/welcome/"
    assert client.get("/welcome/")["Location"] == "/welcome/communities/"


def test_existing_members_log_in_to_the_home_page_not_to_onboarding(member):
    response = client_for().post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response["Location"] == "/"


def test_a_next_link_still_wins_over_onboarding():
    member = newcomer()
    response = client_for().post(
        "/accounts/login/?next=/events/", {"login": member.email, "password": PASSWORD}
    )
    assert response["Location"] == "/events/"


def test_revisiting_an_earlier_step_does_not_move_the_resume_point_back(member):
    member = newcomer(step=3)
    client_for(member).post("/welcome/1/skip/")
    member.refresh_from_db()
    assert member.onboarding_step == 3


def test_a_member_who_finished_may_use_the_pages_without_being_put_back_into_onboarding(member):
    client = client_for(member)
    assert client.post("/welcome/interests/", interests()).status_code == 302
    member.refresh_from_db()
    assert member.onboarding_step == 0 and member.city == "Shanghai"


def test_skipping_an_unknown_step_answers_404_and_skip_only_takes_post(member):
    client = client_for(member)
    assert client.post("/welcome/4/skip/").status_code == 404
    assert client.post("/welcome/0/skip/").status_code == 404
    assert client.get("/welcome/1/skip/").status_code == 405


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_visitors_are_sent_to_log_in_from_every_onboarding_page(name, fintech_club):
    method, path = ROUTES[name]
    response = getattr(client_for(), method)(path.format(slug=fintech_club.slug))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Membership.objects.filter(community=fintech_club, user=None).exists()


def test_every_onboarding_route_is_in_the_permission_table():
    from django.urls import get_resolver

    names = {getattr(p, "name", None) or "" for p in get_resolver().url_patterns} & {
        n for n in get_resolver().reverse_dict if isinstance(n, str)
    }
    names = {n for n in names if n.startswith("onboarding")}
    assert names == set(ROUTES)


def test_the_onboarding_pages_render_in_chinese():
    member = newcomer()
    client = client_for(member, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = client.get("/welcome/interests/").content.decode()
    assert "第 1 步，共 3 步" in body and "跳过这一步" in body
    assert "Skip this step" not in body
    assert "第 2 步，共 3 步" in client.get("/welcome/communities/").content.decode()
