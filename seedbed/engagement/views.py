from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities import services as communities
from seedbed.communities.services import posting
from seedbed.core.pages import act, attempt
from seedbed.engagement import badges, services, trust
from seedbed.engagement.forms import AwardForm, MoveForm, ReasonForm, RewardForm
from seedbed.engagement.models import Redemption, Reward, RewardKind

LEDGER_ROWS = 100


def _int(value: str | None, default: int = 0) -> int:
    """A number from a form; ``default`` (which the service refuses) when it is none."""
    try:
        return int(value or "")
    except ValueError:
        return default


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "engagement/mine.html",
        {
            "standing": services.standing_of(user),
            "progress": trust.progress(user),
            "badges": badges.badges_of(user.pk),
            "entries": services.ledger(user, user.pk)[:LEDGER_ROWS],
            "redemptions": services.redemptions_for(user)[:LEDGER_ROWS],
        },
    )


@login_required
@require_POST
def leaderboard_visibility(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    hidden = request.POST.get("hidden") == "1"
    services.set_leaderboard_visibility(request.user, hidden)
    messages.success(
        request,
        _("You are hidden from public leaderboards.")
        if hidden
        else _("You are shown on public leaderboards."),
    )
    return redirect("engagement:mine")


def leaderboard(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    period = "month" if request.GET.get("period") == "month" else "all"
    board = services.leaderboard(request.user, slug=slug, period=period)
    return render(request, "engagement/leaderboard.html", {"board": board})


def rewards(request: HttpRequest) -> HttpResponse:
    standing = services.standing_of(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "engagement/rewards.html",
        {"rewards": services.rewards_on_offer(), "standing": standing},
    )


@login_required
@require_POST
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    return act(
        request,
        lambda: services.redeem(request.user, pk),
        fallback=reverse("engagement:rewards"),
        success=_("Redeemed: the operators will be in touch."),
    )


# Helpful replies and moving posts --------------------------------------------------------------


@login_required
@require_POST
def mark_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    reply, _access = communities.get_reply(request.user, pk)
    return act(
        request,
        lambda: posting.mark_helpful(request.user, pk),
        fallback=reverse("communities:post", args=[reply.post_id]) + f"#reply-{pk}",
        success=_("Marked helpful."),
    )


@login_required
def move_post(request: HttpRequest, pk: int) -> HttpResponse:
    post, access = communities.get_post(request.user, pk)
    if not access.can_pin:
        raise PermissionDenied
    form = MoveForm(request.user, post, request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: posting.move_post(request.user, pk, form.cleaned_data["community"]),
            form=form,
        )
        if outcome.ok:
            messages.success(request, _("The post was moved."))
            return redirect("communities:post", pk)
    return render(request, "engagement/move_post.html", {"form": form, "post": post})


# Operators -------------------------------------------------------------------------------------


def _operator(request: HttpRequest) -> None:
    if not is_operator(request.user):
        raise PermissionDenied


@login_required
def member_ledger(request: HttpRequest, member_id: int) -> HttpResponse:
    _operator(request)
    member = User.objects.filter(pk=member_id).first()
    entries = services.ledger(request.user, member_id)[:LEDGER_ROWS]
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.award_points(
                request.user, member_id, form.cleaned_data["amount"], form.cleaned_data["reason"]
            ),
            form=form,
        )
        if outcome.ok:
            messages.success(request, _("Points recorded."))
            return redirect("engagement:member_ledger", member_id)
    return render(
        request,
        "engagement/member_ledger.html",
        {
            "member": member,
            "standing": services.standing_of(member) if member else None,
            "entries": entries,
            "form": form,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def reverse_entry(request: HttpRequest, pk: int) -> HttpResponse:
    _operator(request)
    form = ReasonForm(request.POST)
    member_id = _int(request.POST.get("member"))
    fallback = reverse("engagement:member_ledger", args=[member_id]) if member_id else "/"
    if not form.is_valid():
        messages.error(request, _("Give a reason for the reversal."))
        return redirect(fallback)
    return act(
        request,
        lambda: services.reverse_entry(request.user, pk, form.cleaned_data["reason"]),
        fallback=fallback,
        success=_("The entry was reversed."),
    )


@login_required
def manage_rewards(request: HttpRequest) -> HttpResponse:
    _operator(request)
    form = RewardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request, lambda: services.create_reward(request.user, **form.cleaned_data), form=form
        )
        if outcome.ok:
            messages.success(request, _("The reward is on offer."))
            return redirect("engagement:manage_rewards")
    return render(
        request,
        "engagement/manage_rewards.html",
        {
            "form": form,
            "rewards": Reward.objects.all(),
            "pending": services.redemptions_for(request.user, everyone=True).filter(
                status=Redemption.Status.PENDING
            ),
            "kinds": RewardKind.choices,
        },
    )


@login_required
@require_POST
def update_reward(request: HttpRequest, pk: int) -> HttpResponse:
    _operator(request)
    changes = {
        "stock": _int(request.POST.get("stock"), -1),
        "active": request.POST.get("active") == "1",
    }
    return act(
        request,
        lambda: services.update_reward(request.user, pk, **changes),
        fallback=reverse("engagement:manage_rewards"),
        success=_("The reward was updated."),
    )


@login_required
@require_POST
def decide_redemption(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    _operator(request)
    call = {"fulfil": services.fulfil_redemption, "refund": services.refund_redemption}.get(
        decision
    )
    if call is None:
        raise PermissionDenied
    note = request.POST.get("note", "")
    return act(
        request,
        lambda: call(request.user, pk, note),
        fallback=reverse("engagement:manage_rewards"),
        success=_("Done."),
    )
