"""The demo's points, trust levels, badges and rewards: points replayed from the demo's own
reactions, check-ins and met mentoring intros (each as of when it happened, so the anti-gaming
rules judge it as they would have), a few helpful marks and operator awards, rewards in both
languages with some redemptions, then the trust levels and badges the worker would compute."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from seedbed.accounts.models import User
from seedbed.communities.models import ContentStatus, Reply
from seedbed.engagement import badges, services, tasks
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
    marks = _helpful_marks(rng)
    earned = tasks.earn_from_history(None)
    operator = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    members = list(User.objects.filter(is_active=True, is_staff=False).order_by("pk"))
    awards = 0
    if operator is not None:
        for member in rng.sample(members, min(12, len(members))):
            services.award_points(
                operator, member.pk, rng.choice([20, 50, 100, 150]), rng.choice(AWARD_REASONS)
            )
            awards += 1
        for kind, title, price, stock in REWARDS:
            services.create_reward(operator, kind=kind, title=title, price=price, stock=stock)
    redeemed = 0
    rewards = list(Reward.objects.order_by("price"))
    rich = Standing.objects.filter(balance__gte=60).order_by("-balance", "member_id")[:8]
    for standing in rich:
        affordable = [r for r in rewards if r.price <= standing.balance]
        if affordable:
            services.redeem(standing.member, rng.choice(affordable).pk)
            redeemed += 1
    if operator is not None:
        for redemption in Redemption.objects.order_by("pk")[: redeemed // 2]:
            services.fulfil_redemption(operator, redemption.pk, "Handed over · 已兑现")
    hidden = Standing.objects.filter(
        member_id__in=[m.pk for m in rng.sample(members, min(3, len(members)))]
    ).update(hide_from_leaderboards=True)
    levels = tasks.recompute_levels(now)
    granted = badges.grant_badges(now)
    return {
        "helpful_marks": marks,
        "entries": earned + awards,
        "rewards": len(rewards),
        "redemptions": redeemed,
        "hidden": hidden,
        "levels": levels,
        "badges": granted,
        "earners": Standing.objects.filter(earned__gt=0).count(),
    }
