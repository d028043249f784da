"""A small bilingual startup-community corpus with judged queries, for measuring ranking.

Everything is written the way the product writes it: communities, posts, replies and reports
through the communities services (which index as they write); events, profiles, projects and
offers as rows, indexed afterwards by the caller (``reindex_search`` does the same). Threads
carry the noise replies real threads get ("Following, same question here.", "关注，同问。"),
one reported spam post competes for 融资, one community is private, one account inactive, and
one project's funding notes hold a canary that no search may find.

Each judged query lists the things that should come first: grade 2 for the best answers, 1 for
relevant ones. Keys name things, not rows: ``community:fintech``, ``thread:T1``,
``event:E1``, ``member:liwei``, ``project:paybridge``, ``offer:O1``. A reply found on its own
counts as its thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from seedbed.accounts.models import MemberRole, User
from seedbed.communities import services as communities
from seedbed.communities.models import Community, Membership
from seedbed.events.models import Event
from seedbed.matching.models import Offer, Project
from tests.factories import MemberFactory

CANARY = "QXCANARYDEAL"

NOISE_EN = "Following, same question here."
NOISE_ZH = "关注，同问。"

COMMUNITIES = {
    "fintech": (
        "Fintech Founders Shanghai",
        "上海金融科技创业者社区：支付、风控、财富管理与监管科技。Founders building payments, "
        "lending and regtech in Shanghai.",
    ),
    "ai": (
        "AI Builders Beijing 人工智能创业者",
        "大模型、机器学习、计算机视觉的创业者和工程师交流。Engineers and founders building with "
        "machine learning and LLMs.",
    ),
    "health": (
        "医疗健康创业营 Health Tech Hub",
        "数字医疗、医疗器械、AI 辅助诊断。Digital health, medical devices and clinical AI.",
    ),
    "climate": (
        "Climate & Energy Founders 新能源创业",
        "储能、光伏、电动车充电、碳管理。Energy storage, solar, EV charging and carbon accounting.",
    ),
    "hardware": (
        "Hardware & Robotics 硬件与机器人",
        "机器人、芯片、物联网设备的研发与供应链。Robotics, chips, IoT devices and supply chain "
        "in Shenzhen.",
    ),
    "fundraising": (
        "Seed Fundraising Circle 天使轮融资交流",
        "第一次融资的创始人分享 BP、估值和投资人对接经验。First-time founders share pitch decks, "
        "valuation and investor intros.",
    ),
    "ecommerce": (
        "Cross-border E-commerce 跨境电商出海",
        "Amazon、Shopee 和 TikTok Shop 卖家与品牌出海交流。Sellers and brands going abroad.",
    ),
    "hiring": (
        "Startup Hiring & Talent 创业招聘",
        "招聘工程师、产品经理与合伙人。Hiring engineers, product managers and cofounders.",
    ),
}
PRIVATE = ("secret", "Secret Investors Club", "Fintech deal flow for members only.")

# key: (community, title, body, replies)
THREADS = {
    "T1": (
        "fundraising",
        "如何准备天使轮融资的BP？",
        "第一次融资，想请教商业计划书应该包含哪些内容，估值怎么定。",
        [NOISE_ZH, NOISE_EN, "建议先讲清楚市场规模和团队，财务预测不用太复杂。"],
    ),
    "T2": (
        "fintech",
        "Fintech regulation in China: what changes in 2026",
        "New rules for payment licences and lending platforms. How are fintech founders adapting?",
        [NOISE_EN, "+1", "We switched to a licensed partner for payments."],
    ),
    "T3": (
        "ai",
        "Fine-tuning LLMs on a budget",
        "We fine-tune open models for customer service. Which GPUs and tricks keep costs down?",
        [NOISE_EN, "LoRA and 4-bit quantisation cut our costs by 80%."],
    ),
    "T4": (
        "ai",
        "大模型在客服场景的落地经验",
        "我们把人工智能客服接入了电商平台，分享踩过的坑。",
        ["关注", "同问，期待更多细节", "我们也在做大模型客服，准确率是最大的问题。"],
    ),
    "T5": (
        "health",
        "AI 辅助诊断产品如何拿到医疗器械注册证",
        "二类医疗器械注册流程和临床试验要求。",
        [NOISE_ZH],
    ),
    "T6": (
        "climate",
        "Energy storage startups: who is hiring?",
        "Battery storage projects are growing fast; we are looking for BMS engineers.",
        [NOISE_EN],
    ),
    "T7": (
        "hardware",
        "深圳找硬件供应链合作伙伴",
        "我们在做扫地机器人，需要电机和传感器供应商。",
        ["关注", "可以联系华强北的方案商。"],
    ),
    "T8": (
        "ecommerce",
        "TikTok Shop 出海第一个月的数据",
        "美国站 GMV 和广告投放 ROI 分享。",
        [NOISE_EN, "关注"],
    ),
    "T9": (
        "hiring",
        "Hiring a CTO cofounder for a fintech startup",
        "We are a payments startup in Shanghai looking for a technical cofounder with risk "
        "control experience.",
        [NOISE_EN, "DM sent."],
    ),
    "T10": (
        "fundraising",
        "Valuation for a pre-seed AI startup",
        "Investors offered a 3M post-money valuation. Is that fair for an AI startup with pilots?",
        [NOISE_EN, "It depends on traction; get at least two term sheets."],
    ),
    "T11": (
        "fintech",
        "跨境支付牌照申请经验",
        "做跨境支付需要哪些牌照，审核周期多久？",
        [NOISE_ZH, "我们花了一年半才拿到。"],
    ),
    "T12": (
        "health",
        "Remote patient monitoring pilots with hospitals",
        "How do you structure a pilot with a tier-3 hospital for remote monitoring devices?",
        [NOISE_EN],
    ),
    "T13": (
        "ai",
        "计算机视觉在工业质检的应用",
        "用深度学习检测产品缺陷，如何收集训练数据？",
        ["关注"],
    ),
    "T14": (
        "climate",
        "Carbon accounting SaaS for exporters",
        "EU CBAM means exporters need carbon reports. Anyone building carbon accounting software?",
        [NOISE_EN, "Yes, we sell to steel exporters."],
    ),
    "T15": (
        "hardware",
        "Robotics demo day in Shenzhen: who is going?",
        "Looking to meet other robotics founders at the demo day.",
        [NOISE_EN],
    ),
    "T16": (
        "fundraising",
        "融资 低息贷款 快速到账",
        "低息贷款，融资快速到账，天使轮融资也可以，加微信。",
        [],
    ),
    "T17": (
        "hiring",
        "招聘：前端工程师（React）",
        "上海，金融科技公司，React 和 TypeScript。",
        ["关注"],
    ),
    "T18": (
        "ecommerce",
        "Shopee vs Lazada for first-time sellers",
        "Which marketplace is easier for a small brand entering Southeast Asia?",
        [NOISE_EN],
    ),
    "T19": (
        "fintech",
        "Open banking APIs in Asia",
        "Which banks in Singapore and Hong Kong offer open banking APIs for fintech startups?",
        [NOISE_EN],
    ),
    "T20": (
        "ai",
        "AI agents for sales teams",
        "Has anyone deployed AI agents that write outreach emails?",
        [NOISE_EN, "We tried; reply rates were low."],
    ),
    "T21": (
        "fundraising",
        "Slides from last week's fintech and AI meetup",
        "Thanks all for coming, the slides are in the shared drive.",
        [NOISE_EN] * 4 + ["Great AI panel, and the fintech demo was fun."],
    ),
    "T22": (
        "secret",
        "Fintech deal flow: 融资 pipeline",
        "Private notes on fintech rounds and 人工智能 deals.",
        [NOISE_EN],
    ),
}
SPAM = "T16"

# key: (community or None, kind, title, description, days from now, cancelled)
EVENTS = {
    "E1": (
        "fintech",
        "roadshow",
        "Fintech Demo Day Shanghai",
        "金融科技路演日：十家支付与风控初创公司上台路演。",
        20,
        False,
    ),
    "E2": (
        "ai",
        "tech_meetup",
        "AI Builders Meetup: LLM agents",
        "人工智能开发者聚会，讨论大模型智能体。",
        10,
        False,
    ),
    "E3": (
        "health",
        "salon",
        "医疗AI沙龙：从临床试验到注册证",
        "医疗器械注册和临床试验的经验分享。",
        15,
        False,
    ),
    "E4": (
        "fundraising",
        "salon",
        "天使投资人见面会 Angel Investor Office Hours",
        "与天使投资人一对一交流。Meet angel investors one to one.",
        7,
        False,
    ),
    "E5": (
        "climate",
        "competition",
        "Climate Tech Pitch Night",
        "Climate founders pitch to a jury.",
        30,
        True,
    ),
    "E6": (
        "hardware",
        "roadshow",
        "Robotics Demo Day Shenzhen 机器人展示日",
        "机器人初创公司现场演示。Robotics startups show their machines.",
        25,
        False,
    ),
    "E7": (
        None,
        "salon",
        "Cross-border E-commerce Summit 跨境电商峰会",
        "品牌出海、跨境电商平台和物流。",
        40,
        False,
    ),
    "E8": (
        "climate",
        "salon",
        "Energy Storage Salon 储能沙龙",
        "储能项目融资与工商业储能案例。Energy storage for factories.",
        12,
        False,
    ),
}

# handle: (display name, headline, bio, public, roles, skills, active)
MEMBERS = {
    "liwei": (
        "Li Wei 李伟",
        "Fintech founder, payments and risk control 支付风控创业者",
        "Building cross-border payment tools in Shanghai.",
        True,
        ["founder"],
        ["payments"],
        True,
    ),
    "zhangmin": (
        "Zhang Min 张敏",
        "AI investor 人工智能投资人",
        "Seed investor in AI and enterprise software.",
        False,
        ["investor"],
        [],
        True,
    ),
    "sarahchen": (
        "Sarah Chen",
        "Machine learning engineer, computer vision",
        "Five years of computer vision for manufacturing.",
        True,
        ["talent"],
        ["pytorch", "computer vision"],
        True,
    ),
    "wangfang": (
        "Wang Fang 王芳",
        "医疗器械注册顾问 Medical device regulatory consultant",
        "帮助医疗创业公司拿到注册证。",
        False,
        ["service_provider"],
        [],
        True,
    ),
    "tombaker": (
        "Tom Baker",
        "Mentor for hardware and robotics startups 硬件创业导师",
        "Twenty years in consumer electronics manufacturing.",
        True,
        ["mentor"],
        ["manufacturing"],
        True,
    ),
    "chengang": (
        "Chen Gang 陈刚",
        "跨境电商卖家 Amazon seller",
        "卖家居用品到美国和欧洲。",
        True,
        ["founder"],
        [],
        True,
    ),
    "ghost": (
        "Ghost Fintech Investor",
        "Fintech investor",
        "This account was switched off.",
        True,
        ["investor"],
        [],
        False,
    ),
    "liuyang": (
        "Liu Yang 刘洋",
        "Climate tech founder 储能 battery storage",
        "Battery storage for factories.",
        True,
        ["founder"],
        [],
        True,
    ),
}

# slug: (name, one-liner, description, team handle)
PROJECTS = {
    "paybridge": (
        "PayBridge 跨境支付",
        "Cross-border payments for small exporters",
        "为中小出口商提供跨境收款和结汇。",
        "liwei",
    ),
    "medsight": (
        "MedSight AI 医学影像",
        "AI-assisted diagnosis for CT scans",
        "人工智能辅助 CT 影像诊断，正在申请医疗器械注册证。",
        "wangfang",
    ),
    "voltstore": (
        "VoltStore 储能",
        "Energy storage systems for factories",
        "工厂储能系统，削峰填谷。",
        "liuyang",
    ),
    "roboclean": (
        "RoboClean 扫地机器人",
        "Robot vacuum for offices",
        "商用清洁机器人，面向写字楼。",
        "tombaker",
    ),
    "shoplink": (
        "ShopLink 出海",
        "TikTok Shop operations for Chinese brands",
        "帮助品牌 TikTok 出海，代运营。",
        "chengang",
    ),
}

# key: (kind, owner handle, title, description)
OFFERS = {
    "O1": (
        "investor",
        "zhangmin",
        "Seed fund for fintech and AI 金融科技与人工智能种子基金",
        "We lead pre-seed and seed rounds.",
    ),
    "O2": (
        "mentor",
        "tombaker",
        "Hardware manufacturing mentor 硬件量产导师",
        "Office hours on mass production, DFM and suppliers.",
    ),
    "O3": (
        "service",
        "wangfang",
        "Medical device registration service 医疗器械注册服务",
        "二类和三类医疗器械注册申报。",
    ),
    "O4": (
        "talent",
        "sarahchen",
        "Computer vision engineer available 计算机视觉工程师",
        "Open to a full-time role in Shanghai.",
    ),
    "O5": ("investor", "ghost", "Fintech angel cheques", "Small fintech cheques."),
}

JUDGED: list[tuple[str, dict[str, int]]] = [
    (
        "fintech",
        {
            "community:fintech": 2,
            "event:E1": 1,
            "thread:T2": 1,
            "project:paybridge": 1,
            "offer:O1": 1,
            "member:liwei": 1,
            "thread:T9": 1,
            "thread:T19": 1,
        },
    ),
    ("金融科技", {"community:fintech": 2, "event:E1": 1, "thread:T17": 1, "offer:O1": 1}),
    (
        "AI",
        {
            "community:ai": 2,
            "event:E2": 1,
            "thread:T20": 1,
            "thread:T10": 1,
            "thread:T5": 1,
            "project:medsight": 1,
            "offer:O1": 1,
        },
    ),
    (
        "人工智能",
        {
            "community:ai": 2,
            "event:E2": 1,
            "thread:T4": 1,
            "member:zhangmin": 1,
            "project:medsight": 1,
            "offer:O1": 1,
        },
    ),
    ("融资", {"community:fundraising": 2, "thread:T1": 2, "event:E8": 1}),
    ("天使轮", {"thread:T1": 2, "community:fundraising": 2}),
    (
        "payments",
        {
            "project:paybridge": 2,
            "community:fintech": 1,
            "thread:T9": 1,
            "member:liwei": 1,
            "thread:T2": 1,
        },
    ),
    (
        "支付",
        {
            "community:fintech": 2,
            "thread:T11": 2,
            "member:liwei": 1,
            "event:E1": 1,
        },
    ),
    ("LLM", {"thread:T3": 2, "event:E2": 2, "community:ai": 1}),
    ("大模型", {"thread:T4": 2, "community:ai": 1, "event:E2": 1}),
    (
        "医疗器械",
        {
            "thread:T5": 2,
            "offer:O3": 2,
            "member:wangfang": 1,
            "community:health": 1,
            "event:E3": 1,
            "project:medsight": 1,
        },
    ),
    ("medical device", {"offer:O3": 2, "member:wangfang": 2, "community:health": 1}),
    (
        "储能",
        {"event:E8": 2, "project:voltstore": 2, "community:climate": 1, "member:liuyang": 1},
    ),
    (
        "energy storage",
        {
            "project:voltstore": 2,
            "event:E8": 2,
            "thread:T6": 2,
            "community:climate": 1,
        },
    ),
    (
        "robotics",
        {
            "community:hardware": 2,
            "event:E6": 2,
            "thread:T15": 1,
            "member:tombaker": 1,
        },
    ),
    (
        "机器人",
        {
            "community:hardware": 2,
            "event:E6": 2,
            "project:roboclean": 2,
            "thread:T7": 1,
        },
    ),
    ("TikTok", {"thread:T8": 2, "project:shoplink": 2, "community:ecommerce": 1}),
    ("跨境电商", {"community:ecommerce": 2, "event:E7": 2, "member:chengang": 1}),
    (
        "cross-border",
        {"project:paybridge": 2, "community:ecommerce": 2, "event:E7": 2, "member:liwei": 1},
    ),
    ("hiring", {"community:hiring": 2, "thread:T6": 1, "thread:T9": 1}),
    ("招聘", {"community:hiring": 2, "thread:T17": 2}),
    ("CTO cofounder", {"thread:T9": 2}),
    ("valuation", {"thread:T10": 2, "community:fundraising": 1}),
    ("估值", {"thread:T1": 2, "community:fundraising": 1}),
    ("carbon", {"thread:T14": 2, "community:climate": 1}),
    ("computer vision", {"member:sarahchen": 2, "offer:O4": 2}),
    ("计算机视觉", {"thread:T13": 2, "offer:O4": 2, "community:ai": 1}),
    ("Shopee", {"thread:T18": 2, "community:ecommerce": 1}),
    ("demo day", {"event:E1": 2, "event:E6": 2, "thread:T15": 1}),
    ("路演", {"event:E1": 2, "event:E6": 1}),
    ("hardware mentor", {"offer:O2": 2, "member:tombaker": 2}),
    ("监管", {"community:fintech": 2}),
    ("open banking", {"thread:T19": 2}),
    ("Li Wei", {"member:liwei": 2}),
    ("张敏", {"member:zhangmin": 2}),
    ("angel investor", {"event:E4": 2}),
    ("remote monitoring", {"thread:T12": 2}),
    ("pitch night", {"event:E5": 2}),
]

NEVER = {"thread:T22", "member:ghost", "offer:O5", f"canary:{CANARY}"}
"""What the searcher must never see: a private community's thread, an inactive account and
its offer."""


@dataclass
class Corpus:
    searcher: User
    keys: dict[tuple[str, int], str] = field(default_factory=dict)
    thread_of_reply: dict[int, int] = field(default_factory=dict)
    moderator: User | None = None

    def key(self, kind: str, object_id: int) -> str:
        """The judged key of a hit; a reply is its thread."""
        if kind == "reply":
            kind, object_id = "post", self.thread_of_reply[object_id]
        return self.keys.get((kind, object_id), f"{kind}:{object_id}")


def build() -> Corpus:
    now = timezone.now()
    operator = MemberFactory(is_staff=True, display_name="Operator")
    MemberRole.objects.create(user=operator, role="operator")
    searcher = MemberFactory(display_name="Searcher")
    corpus = Corpus(searcher=searcher, moderator=operator)
    slugs: dict[str, Community] = {}
    for key, (name, description) in COMMUNITIES.items():
        community = communities.create_community(
            operator, name=name, description=description, visibility="public"
        )
        slugs[key] = community
        corpus.keys[("community", community.pk)] = f"community:{key}"
        Membership.objects.get_or_create(community=community, user=searcher)
    secret = communities.create_community(
        operator, name=PRIVATE[1], description=PRIVATE[2], visibility="private"
    )
    slugs[PRIVATE[0]] = secret
    corpus.keys[("community", secret.pk)] = f"community:{PRIVATE[0]}"

    people: dict[str, User] = {}
    for handle, (name, headline, bio, public, roles, _skills, active) in MEMBERS.items():
        user = MemberFactory(
            display_name=name,
            handle=handle,
            headline=headline,
            bio=bio,
            visibility="public" if public else "members",
            is_active=active,
        )
        for role in roles:
            MemberRole.objects.create(user=user, role=role)
        people[handle] = user
        corpus.keys[("member", user.pk)] = f"member:{handle}"

    for n, (key, (where, title, body, replies)) in enumerate(THREADS.items()):
        community = slugs[where]
        author = MemberFactory()
        Membership.objects.create(community=community, user=author)
        post = communities.create_post(author, community.slug, title=title, body=body)
        corpus.keys[("post", post.pk)] = f"thread:{key}"
        for reply_body in replies:
            replier = MemberFactory()
            Membership.objects.create(community=community, user=replier)
            reply = communities.create_reply(replier, post.pk, body=reply_body)
            corpus.thread_of_reply[reply.pk] = post.pk
        if key == SPAM:
            communities.report_content(searcher, reason="spam", post_id=post.pk)
        del n

    for key, (where, kind, title, description, days, cancelled) in EVENTS.items():
        starts = now + timedelta(days=days)
        event = Event.objects.create(
            community=slugs[where] if where else None,
            created_by=operator,
            kind=kind,
            title=title,
            description=description,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            cancelled_at=now if cancelled else None,
        )
        corpus.keys[("event", event.pk)] = f"event:{key}"

    for slug, (name, one_liner, description, team) in PROJECTS.items():
        project = Project.objects.create(
            slug=slug,
            name=name,
            one_liner=one_liner,
            description=description,
            stage="seed",
            needs_funding=True,
            funding_min=1_000_000,
            funding_max=3_000_000,
            funding_notes=f"Valuation 80M RMB pre-money {CANARY}",
        )
        project.team.add(people[team])
        corpus.keys[("project", project.pk)] = f"project:{slug}"

    for key, (kind, owner, title, description) in OFFERS.items():
        offer = Offer.objects.create(
            kind=kind,
            owner=people[owner],
            title=title,
            description=description,
            ticket_min=500_000 if kind == "investor" else None,
            ticket_max=2_000_000 if kind == "investor" else None,
        )
        corpus.keys[("offer", offer.pk)] = f"offer:{key}"
    return corpus


# Measures ----------------------------------------------------------------------------------------


def judged_keys(ranked: list[str]) -> list[str]:
    """The ranked keys with repeats dropped: a thread found twice is found once."""
    return list(dict.fromkeys(ranked))


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    """1/rank of the first thing graded 2 (the answers that should come first)."""
    best = {k for k, g in grades.items() if g == max(grades.values())}
    for rank, key in enumerate(judged_keys(ranked), start=1):
        if key in best:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain over the first ``k`` distinct things, with gain
    2**grade - 1."""
    gains = [2 ** grades.get(key, 0) - 1 for key in judged_keys(ranked)[:k]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:k]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0
