"""The demo's points and rewards: helpful marks, operator awards, rewards in both languages and
some redemptions. The worker then replays the demo's own reactions, check-ins and met mentoring
intros through the ledger (each as of when it happened, so the anti-gaming rules judge it as
they would have) and computes trust levels and badges."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from seedbed.accounts.models import User
from seedbed.communities.models import ContentStatus, Reply
from seedbed.engagement import services
from seedbed.engagement.models import HelpfulMark, Redemption, Reward, Standing

REWARDS = [
    ("office_hours", "Office hour with a mentor · 导师一对一答疑", 120, 6),
    ("event_seat", "A seat at the sold-out Demo Day · 满员路演日的一个席位", 80, 4),
    ("pitch_slot", "A 5-minute pitch slot at Demo Day · 路演日 5 分钟路演机会", 200, 3),
    ("merchandise", "Seedbed hoodie · Seedbed 连帽衫", 60, 25),
]
AWARD_REASONS = [
    "Hosted the AI founders salon · 主持 AI 创业者沙龙",
    "Wrote the fundraising FAQ · 撰写融资常见问题",
    "Welcomed ten newcomers · 欢迎了十位新成员",
    "Judged the spring competition · 担任春季大赛评委",
]


def _helpful_marks(rng: random.Random) -> int:
    """The asker marks the first reply by someone else helpful on about a third of the threads."""
    marks = []
    seen: set[int] = set()
    replies = Reply.objects.filter(status=ContentStatus.VISIBLE, post__status=ContentStatus.VISIBLE)
    for reply in replies.select_related("post").order_by("post_id", "created_at", "id"):
        if reply.post_id in seen or reply.author_id == reply.post.author_id:
            continue
        seen.add(reply.post_id)
        if rng.random() < 0.35:
            marks.append(
                HelpfulMark(
                    reply=reply,
                    post=reply.post,
                    marked_by_id=reply.post.author_id,
                    created_at=reply.created_at + timedelta(hours=rng.randint(1, 30)),
                )
            )
    HelpfulMark.objects.bulk_create(marks, ignore_conflicts=True)
    return len(marks)


def load_engagement(rng: random.Random, now: datetime) -> dict[str, int]:
    """Helpful marks, operator awards, rewards and a few redemptions paid from the awards. The
    points the demo's history earned (reactions, check-ins, helpful marks, met intros), the trust
    levels and the badges are the worker's job, as they are live: replaying thousands of
    reactions through the ledger's rules row by row would make `seedbed demo` wait for it, so the
    loader queues ``refresh_engagement(days=None)`` instead."""
    marks = _helpful_marks(rng)
    operator = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    members = list(User.objects.filter(is_active=True, is_staff=False).order_by("pk"))
    awards = 0
    if operator is not None:
        for member in rng.sample(members, min(12, len(members))):
            services.award_points(
                operator, member.pk, rng.choice([60, 100, 150, 200]), rng.choice(AWARD_REASONS)
            )
            awards += 1
        for kind, title, price, stock in REWARDS:
            services.create_reward(operator, kind=kind, title=title, price=price, stock=stock)
    redeemed = 0
    rich = Standing.objects.filter(balance__gte=60).order_by("-balance", "member_id")[:8]
    for standing in rich:
        affordable = list(
            Reward.objects.filter(price__lte=standing.balance, stock__gt=0).order_by("price")
        )
        if affordable:
            services.redeem(standing.member, rng.choice(affordable).pk)
            redeemed += 1
    if operator is not None:
        for redemption in Redemption.objects.order_by("pk")[: redeemed // 2]:
            services.fulfil_redemption(operator, redemption.pk, "Handed over · 已兑现")
    shy = [m.pk for m in rng.sample(members, min(3, len(members)))]
    Standing.objects.bulk_create([Standing(member_id=pk) for pk in shy], ignore_conflicts=True)
    hidden = Standing.objects.filter(member_id__in=shy).update(hide_from_leaderboards=True)
    return {
        "helpful_marks": marks,
        "entries": awards,
        "rewards": Reward.objects.count(),
        "redemptions": redeemed,
        "hidden": hidden,
    }
