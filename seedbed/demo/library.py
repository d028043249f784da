"""The demo's learning library: a bilingual shelf with the classics the platform's founding
brief names (Goodfellow, Bengio and Courville's *Deep Learning*; Harrington's *Machine Learning
in Action*, 《机器学习实战》; Andrew Ng's machine-learning course), the founder's templates
(term sheet, pitch-deck outline, cap table), a few community resources (one of a private
community, seen only by its members), the tracks "Fundraising 101" and "大模型应用创业", and
ratings, reviews, saves and done marks from members who may see each resource.

Links only (no uploaded files). Deterministic for a given random stream and ``now``; every
table is written with bulk inserts."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from seedbed.accounts.models import User
from seedbed.communities.models import Community, Membership
from seedbed.core.markdown import render_markdown
from seedbed.core.models import Sector
from seedbed.core.services import tags_named
from seedbed.demo.accounts import DEMO_DOMAIN, DEMO_OPERATOR_EMAIL
from seedbed.library.models import (
    LibraryEntry,
    Rating,
    Resource,
    ResourceStatus,
    Track,
    TrackFollow,
    TrackItem,
)

# (key, kind, title, description, link, language, level, topics, sectors, community slug)
SHELF: list[tuple[str, str, str, str, str, str, str, tuple[str, ...], tuple[str, ...], str]] = [
    (
        "deep-learning",
        "book",
        "Deep Learning (Goodfellow, Bengio, Courville)",
        "The standard textbook: linear algebra and probability, deep feed-forward networks, "
        "regularisation, optimisation, CNNs, sequence models and the research frontier. "
        "Free to read online.",
        "https://www.deeplearningbook.org/",
        "en",
        "advanced",
        ("deep learning", "machine learning", "深度学习"),
        ("ai",),
        "",
    ),
    (
        "ml-in-action",
        "book",
        "机器学习实战 Machine Learning in Action (Peter Harrington)",
        "用 Python 从零实现 kNN、决策树、朴素贝叶斯、逻辑回归、SVM、AdaBoost、k-means 与推荐。"
        "Hands-on Python implementations of the classic algorithms.",
        "https://www.manning.com/books/machine-learning-in-action",
        "both",
        "beginner",
        ("machine learning", "机器学习", "python"),
        ("ai",),
        "",
    ),
    (
        "ng-ml",
        "course",
        "Machine Learning (Andrew Ng)",
        "吴恩达的机器学习课程：监督学习、无监督学习与实践建议。The course that taught a "
        "generation: supervised and unsupervised learning, and how to make models work.",
        "https://www.coursera.org/specializations/machine-learning-introduction",
        "both",
        "beginner",
        ("machine learning", "机器学习", "course"),
        ("ai",),
        "",
    ),
    (
        "term-sheet",
        "template",
        "Seed term sheet template 种子轮投资条款清单模板",
        "A plain-language seed term sheet: valuation, option pool, liquidation preference, "
        "pro-rata, board. 逐条中文注释，适合第一次谈条款的创始人。",
        "https://example.org/templates/seed-term-sheet",
        "both",
        "beginner",
        ("fundraising", "融资", "term sheets"),
        ("fintech",),
        "",
    ),
    (
        "pitch-deck",
        "template",
        "Pitch deck outline: 12 slides 路演 BP 大纲",
        "Problem, solution, why now, market, product, traction, business model, competition, "
        "team, financials, the ask, use of funds. 每页写什么、不写什么。",
        "https://example.org/templates/pitch-deck-outline",
        "both",
        "beginner",
        ("fundraising", "融资", "pitch"),
        (),
        "",
    ),
    (
        "cap-table",
        "template",
        "Cap table spreadsheet 股权结构表",
        "Founders, option pool, SAFE conversion and a priced round, with dilution per round. "
        "含期权池与可转债换股计算。",
        "https://example.org/templates/cap-table",
        "both",
        "intermediate",
        ("fundraising", "融资", "cap table"),
        ("fintech",),
        "",
    ),
    (
        "safe-primer",
        "article",
        "How a SAFE converts: a worked example",
        "Valuation caps, discounts and most-favoured-nation clauses with numbers.",
        "https://example.org/articles/safe-conversion",
        "en",
        "intermediate",
        ("fundraising", "venture capital"),
        ("fintech",),
        "",
    ),
    (
        "vc-math",
        "video",
        "风险投资的基本算术 VC math in 20 minutes",
        "基金规模、回报倍数与为什么投资人在乎市场天花板。",
        "https://example.org/videos/vc-math",
        "zh",
        "beginner",
        ("融资", "风险投资", "fundraising"),
        (),
        "",
    ),
    (
        "attention",
        "paper",
        "Attention Is All You Need",
        "The Transformer paper behind today's large language models.",
        "https://arxiv.org/abs/1706.03762",
        "en",
        "advanced",
        ("deep learning", "大模型", "llm"),
        ("ai",),
        "",
    ),
    (
        "llm-apps",
        "article",
        "大模型应用创业：从 Demo 到产品",
        "提示工程、检索增强（RAG）、评测与成本控制；什么样的场景值得做。",
        "https://example.org/articles/llm-app-startups",
        "zh",
        "intermediate",
        ("大模型", "llm", "产品管理"),
        ("ai", "enterprise-saas"),
        "",
    ),
    (
        "rag-course",
        "course",
        "Building RAG applications 检索增强生成实战",
        "Chunking, embeddings, retrieval, evaluation; a hands-on course with notebooks.",
        "https://example.org/courses/rag",
        "both",
        "intermediate",
        ("llm", "大模型", "machine learning"),
        ("ai",),
        "",
    ),
    (
        "llm-eval",
        "tool",
        "LLM evaluation checklist 大模型应用评测清单",
        "What to measure before launch: accuracy on your own cases, refusal, latency, cost.",
        "https://example.org/tools/llm-eval-checklist",
        "both",
        "intermediate",
        ("llm", "大模型", "quality"),
        ("ai",),
        "",
    ),
    (
        "lean-startup",
        "book",
        "The Lean Startup 精益创业",
        "Build–measure–learn, minimum viable products and validated learning.",
        "https://theleanstartup.com/",
        "both",
        "beginner",
        ("product management", "产品管理", "growth"),
        (),
        "",
    ),
    (
        "hiring-first",
        "article",
        "早期团队招聘：前十个人 Hiring your first ten",
        "Where to find them, how to interview, what to offer (salary and options).",
        "https://example.org/articles/first-ten-hires",
        "both",
        "beginner",
        ("hiring", "招聘", "team building"),
        (),
        "",
    ),
    (
        "ai-community-notes",
        "article",
        "AI 创业者联盟：模型选型笔记",
        "联盟成员整理的开源与商用模型对比，持续更新。",
        "https://example.org/ai-founders/model-notes",
        "zh",
        "intermediate",
        ("大模型", "llm"),
        ("ai",),
        "ai-founders-alliance",
    ),
    (
        "clinic-deck-reviews",
        "video",
        "Fundraising Clinic: three deck teardowns",
        "Recorded at the clinic's salon: what investors noticed on each slide.",
        "https://example.org/fundraising-clinic/teardowns",
        "en",
        "intermediate",
        ("fundraising", "pitch"),
        (),
        "fundraising-clinic",
    ),
    (
        "circle-data-room",
        "template",
        "Seed Founders Circle: data-room checklist (members only)",
        "The checklist the circle's founders use before due diligence.",
        "https://example.org/seed-founders-circle/data-room",
        "en",
        "intermediate",
        ("fundraising", "due diligence"),
        (),
        "seed-founders-circle",
    ),
]

TRACKS: list[tuple[str, str, str, list[str]]] = [
    (
        "Fundraising 101",
        "From your first deck to a signed term sheet. 从第一份 BP 到签下投资条款。",
        "",
        ["pitch-deck", "vc-math", "safe-primer", "term-sheet", "cap-table"],
    ),
    (
        "大模型应用创业",
        "打好机器学习基础，再做一个真正可用的大模型应用。"
        "Foundations first, then a real LLM product.",
        "",
        [
            "ng-ml",
            "ml-in-action",
            "deep-learning",
            "attention",
            "rag-course",
            "llm-eval",
            "llm-apps",
        ],
    ),
    (
        "Fundraising Clinic: before you pitch",
        "The clinic's own path, with the recording of its teardown salon.",
        "fundraising-clinic",
        ["pitch-deck", "clinic-deck-reviews", "term-sheet"],
    ),
]

REVIEWS = {
    "en": [
        "Clear and practical.",
        "Worth the time.",
        "A bit long, but solid.",
        "Used it this week.",
    ],
    "zh": ["很实用。", "讲得清楚，推荐。", "有点长，但值得。", "这周就用上了。"],
}


def load_library(rng: random.Random, now: datetime) -> dict[str, int]:
    """Write the demo library. Returns how many resources, tracks, ratings, done marks, saves
    and follows it wrote."""
    operator = User.objects.get(email=DEMO_OPERATOR_EMAIL)
    slugs = {row[9] for row in SHELF if row[9]}
    communities = {c.slug: c for c in Community.objects.filter(slug__in=slugs)}
    sectors = {s.slug: s for s in Sector.objects.all()}

    resources: dict[str, Resource] = {}
    rows = []
    for key, kind, title, text, link, language, level, _t, _s, community in SHELF:
        if community and community not in communities:
            continue
        created = now - timedelta(days=rng.randint(5, 400))
        rows.append(
            Resource(
                kind=kind,
                title=title,
                description=text,
                description_html=render_markdown(text),
                link=link,
                language=language,
                level=level,
                community=communities.get(community),
                author=operator,
                status=ResourceStatus.APPROVED,
                created_at=created,
                decided_by=operator,
                decided_at=created,
            )
        )
        resources[key] = rows[-1]
    Resource.objects.bulk_create(rows)

    topic_rows, sector_rows = [], []
    TopicLink, SectorLink = Resource.topics.through, Resource.sectors.through
    all_topics = {t.name: t for t in tags_named({t for row in SHELF for t in row[7]})}
    for key, *_rest in SHELF:
        if key not in resources:
            continue
        row = next(r for r in SHELF if r[0] == key)
        resource = resources[key]
        topic_rows += [
            TopicLink(resource_id=resource.pk, tag_id=all_topics[t.casefold()].pk) for t in row[7]
        ]
        sector_rows += [
            SectorLink(resource_id=resource.pk, sector_id=sectors[s].pk)
            for s in row[8]
            if s in sectors
        ]
    TopicLink.objects.bulk_create(topic_rows, ignore_conflicts=True)
    SectorLink.objects.bulk_create(sector_rows, ignore_conflicts=True)

    tracks, items = [], []
    for title, text, community, keys in TRACKS:
        if community and community not in communities:
            continue
        track = Track(
            title=title,
            description=text,
            description_html=render_markdown(text),
            community=communities.get(community),
            created_by=operator,
            created_at=now - timedelta(days=rng.randint(5, 90)),
        )
        tracks.append(track)
        items.append((track, [resources[k] for k in keys if k in resources]))
    Track.objects.bulk_create(tracks)
    TrackItem.objects.bulk_create(
        [
            TrackItem(track=track, resource=resource, position=i)
            for track, chosen in items
            for i, resource in enumerate(chosen)
        ]
    )

    members = list(
        User.objects.filter(is_active=True, email__endswith=f"@{DEMO_DOMAIN}")
        .exclude(pk=operator.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    joined: dict[int, set[int]] = {}
    for community_id, user_id in Membership.objects.filter(
        community__in=communities.values()
    ).values_list("community_id", "user_id"):
        joined.setdefault(community_id, set()).add(user_id)

    ratings, entries = [], []
    for key, resource in resources.items():
        readers = (
            sorted(joined.get(resource.community_id, set())) if resource.community_id else members
        )
        if not readers:
            continue
        popular = key in ("deep-learning", "ml-in-action", "ng-ml", "pitch-deck", "term-sheet")
        size = min(len(readers), rng.randint(8, 30) if popular else rng.randint(2, 12))
        for user_id in rng.sample(readers, size):
            when = resource.created_at + (now - resource.created_at) * rng.random()
            done = rng.random() < 0.6
            entries.append(
                LibraryEntry(
                    resource=resource,
                    user_id=user_id,
                    saved_at=when if not done or rng.random() < 0.3 else None,
                    done_at=when if done else None,
                )
            )
            if done and rng.random() < 0.7:
                stars = rng.choices([5, 4, 3, 2], weights=[5, 4, 2, 1])[0]
                review = ""
                if rng.random() < 0.4:
                    review = rng.choice(REVIEWS["zh" if resource.language == "zh" else "en"])
                ratings.append(
                    Rating(
                        resource=resource,
                        user_id=user_id,
                        stars=stars,
                        review=review,
                        created_at=when,
                        updated_at=when,
                    )
                )
    LibraryEntry.objects.bulk_create(entries)
    Rating.objects.bulk_create(ratings)
    for resource in resources.values():
        mine = [r.stars for r in ratings if r.resource is resource]
        resource.rating_count, resource.rating_sum = len(mine), sum(mine)
    Resource.objects.bulk_update(list(resources.values()), ["rating_count", "rating_sum"])

    follows = []
    for track, _chosen in items:
        readers = sorted(joined.get(track.community_id, set())) if track.community_id else members
        follows += [
            TrackFollow(track=track, user_id=u, followed_at=track.created_at)
            for u in rng.sample(readers, min(len(readers), rng.randint(3, 20)))
        ]
    TrackFollow.objects.bulk_create(follows)
    return {
        "resources": len(resources),
        "tracks": len(tracks),
        "ratings": len(ratings),
        "done": sum(1 for e in entries if e.done_at),
        "saved": sum(1 for e in entries if e.saved_at),
        "follows": len(follows),
    }
