"""Demo events: about forty salons, roadshows, tech meetups and competitions from five months
ago to two months ahead, with RSVPs, waitlists, check-ins and feedback; one upcoming roadshow
with 1:1 meeting requests and a built schedule; one past competition with scores.

Who comes to what follows the communities' data, because nothing else records it: members
RSVP to events of their own communities (anyone to platform events), the more they post the
more they come, and a member whose last post or reply is more than 45 days old stopped coming
a week after it. Capacities are never exceeded; a full event's waitlist is in join order.

Deterministic for a given random stream and ``now`` (ticket codes excepted: they are secrets);
every table is written with bulk inserts, and the number of RSVPs is bounded, so the step
costs a fixed handful of queries at any demo size.
"""

from __future__ import annotations

import math
import random
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import numpy as np
from django.db.models import Count, Max

from seedbed.accounts.models import MemberRole, User
from seedbed.accounts.models import Role as MemberRoleKind
from seedbed.communities.models import Membership, Post, Reply, Role
from seedbed.core.markdown import render_markdown
from seedbed.demo.accounts import DEMO_DOMAIN
from seedbed.demo.communities import SPECS
from seedbed.engine.matching import PREFERENCE_WEIGHTS, pair_weights, schedule_meetings
from seedbed.events.models import (
    RSVP,
    Criterion,
    Entry,
    Event,
    EventKind,
    EventSeries,
    Feedback,
    Judge,
    Meeting,
    MeetingParticipant,
    MeetingPreference,
    MeetingRole,
    MeetingSlot,
    RSVPStatus,
    Score,
)

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
QUIET_AFTER = 45 * DAY  # no post or reply for this long: the member has drifted away
STILL_CAME = 7 * DAY  # ... and came to events until a week after the last one
BATCH = 1000

SALON, ROADSHOW, MEETUP, COMPETITION = (
    EventKind.SALON,
    EventKind.ROADSHOW,
    EventKind.TECH_MEETUP,
    EventKind.COMPETITION,
)
SHANGHAI, BERLIN, SINGAPORE = "Asia/Shanghai", "Europe/Berlin", "Asia/Singapore"

VENUES = {
    "hub": ("Seedbed Hub 徐汇滨江", "上海市徐汇区龙腾大道 2555 号 5 楼"),
    "zhangjiang": ("张江人工智能岛 10 号楼报告厅", "上海市浦东新区张江路 665 号"),
    "jingan": ("WeWork 静安嘉里中心 3F", "上海市静安区南京西路 1515 号"),
    "yangpu": ("杨浦创业咖啡 Yangpu Startup Café", "上海市杨浦区政学路 77 号"),
    "shenzhen": ("深圳湾科技生态园 9 栋 B 座", "深圳市南山区高新南十道 9 号"),
    "hangzhou": ("梦想小镇 互联网村 3 号楼", "杭州市余杭区文一西路 1218 号"),
    "berlin": ("Factory Berlin Görlitzer Park", "Lohmühlenstraße 65, 12435 Berlin"),
    "singapore": ("BLOCK71 Singapore", "71 Ayer Rajah Crescent, Singapore 139951"),
}


@dataclass(frozen=True)
class _Spec:
    day: int  # the start's date, in days from today (in the event's time zone)
    kind: str
    community: str | None  # a community slug; None for a platform event
    title: str
    blurb: str
    size: int  # how many RSVPs it draws when the community is large enough
    capacity: int | str | None = None  # seats; "full": fewer seats than RSVPs; None: unlimited
    venue: str = "hub"
    tz: str = SHANGHAI
    at: tuple[int, int] = (19, 0)
    hours: float = 2.5
    online: bool = False  # True: also streamed; with venue "" an online-only event
    approval: bool = False
    role: str = ""  # "roadshow" or "competition": the one with meetings / scores
    by_demo: bool = False
    demo: str = ""  # the demo member's RSVP: "confirmed", "waitlisted" or "attended"
    mood: float = 0.0  # shifts feedback ratings (negative: a disappointing evening)


SPECS_EVENTS: list[_Spec] = [
    # Platform events, run by the operators.
    _Spec(
        -150,
        SALON,
        None,
        "Seedbed 创业者年会 Founders Summit",
        "一年一度的 Seedbed 创业者大会：主题演讲、圆桌和上百位创始人、投资人的交流。\n\n"
        "Our yearly gathering: keynotes, panels and a few hundred founders and investors.",
        160,
        None,
        "zhangjiang",
        at=(13, 30),
        hours=6,
        demo="attended",
    ),
    _Spec(
        -62,
        ROADSHOW,
        None,
        "Seedbed Demo Day 路演日 · Autumn Batch",
        "加速营秋季班 12 个项目登台路演，每个项目 5 分钟 + 3 分钟问答。\n\n"
        "Twelve teams from the autumn batch pitch: five minutes each plus three for questions.",
        120,
        200,
        "zhangjiang",
        at=(14, 0),
        hours=4,
    ),
    _Spec(
        -45,
        COMPETITION,
        None,
        "Climate Pitch Competition 气候科技创业大赛",
        "储能、碳管理、循环经济方向的创业项目同台竞技，评委按评分表打分，公开发布结果。\n\n"
        "Storage, carbon and circular-economy startups pitch to a jury that scores them on a "
        "published rubric.",
        70,
        120,
        "hub",
        at=(13, 30),
        hours=5,
        role="competition",
    ),
    _Spec(
        6,
        SALON,
        None,
        "线上分享：种子轮怎么融 How to Raise a Seed Round (Online)",
        "三位刚完成种子轮的创始人和一位早期投资人，线上分享从第一封邮件到交割的全过程。\n\n"
        "Three founders who just closed their seed rounds and an early-stage investor walk "
        "through the process, from the first e-mail to the close. Online only.",
        90,
        None,
        "",
        at=(20, 0),
        hours=1.5,
        online=True,
    ),
    _Spec(
        24,
        ROADSHOW,
        None,
        "Seedbed Demo Day 路演日 · Investor 1:1s",
        "上午路演，下午一对一：创始人和投资人提前选择想见的人，系统按偏好排出会面时间表。\n\n"
        "Pitches in the morning, 1:1 meetings in the afternoon: founders and investors say whom "
        "they want to meet and the scheduler fits the meetings into six slots at four tables.",
        100,
        150,
        "zhangjiang",
        at=(10, 0),
        hours=8,
        role="roadshow",
        demo="confirmed",
    ),
    # AI founders
    _Spec(
        -140,
        SALON,
        "ai-founders-alliance",
        "AI 创业沙龙：大模型落地",
        "大模型从演示到生产：成本、评测、数据闭环，三位创始人分享踩过的坑。",
        70,
        80,
        "jingan",
    ),
    _Spec(
        -96,
        SALON,
        "ai-founders-alliance",
        "AI 创业沙龙：Agent 的商业化",
        "Agent 产品怎么定价、怎么交付、客户到底为什么买单？",
        70,
        "full",
        "jingan",
    ),
    _Spec(
        -33,
        MEETUP,
        "ai-founders-alliance",
        "大模型应用评测实战 LLM Evals Workshop",
        "带上电脑：现场搭一套回归评测，覆盖检索、工具调用和多轮对话。",
        50,
        60,
        "zhangjiang",
        demo="attended",
    ),
    _Spec(
        12,
        SALON,
        "ai-founders-alliance",
        "AI 创业沙龙：出海与合规",
        "AI 产品出海：数据出境、欧盟 AI 法案和本地化，律师与创始人对谈。",
        70,
        "full",
        "jingan",
    ),
    # Fintech
    _Spec(
        -118,
        SALON,
        "fintech-founders-shanghai",
        "Fintech Founders Breakfast: Cross-border Payments",
        "Coffee, dumplings and an honest conversation about licences, banks and FX.",
        30,
        40,
        "jingan",
        at=(8, 30),
        hours=2,
    ),
    _Spec(
        -11,
        SALON,
        "fintech-founders-shanghai",
        "Regtech Roundtable: Living with the New Rules",
        "After the latest rules on lending and payments: what changes for startups, and what "
        "the regulators actually ask for.",
        35,
        40,
        "hub",
        mood=-1.2,
    ),
    _Spec(
        19,
        SALON,
        "fintech-founders-shanghai",
        "Fintech Founders Breakfast: Lending in 2027",
        "Where lending goes next year, with two founders and a risk officer.",
        30,
        "full",
        "jingan",
        at=(8, 30),
        hours=2,
    ),
    # Hard tech
    _Spec(
        -80,
        ROADSHOW,
        "hardtech-investment",
        "硬科技项目路演：芯片与先进制造",
        "8 个芯片、材料与先进制造项目路演，20 余家产业资本和早期基金到场。",
        50,
        80,
        "zhangjiang",
        at=(14, 0),
        hours=4,
    ),
    _Spec(
        -74,
        MEETUP,
        "climate-tech-builders",
        "Climate Tech Builders Meetup: Batteries & the Grid",
        "Lightning talks on storage dispatch, second-life batteries and grid software.",
        35,
        50,
        "hub",
    ),
    _Spec(
        -52,
        SALON,
        "go-global",
        "出海沙龙：欧洲市场合规与本地化 Going Global: Europe",
        "在柏林的中国团队和本地创始人：GDPR、雇佣、渠道。\n\n"
        "Chinese teams in Berlin and local founders on GDPR, hiring and channels.",
        40,
        50,
        "berlin",
        tz=BERLIN,
        at=(18, 30),
        online=True,
    ),
    _Spec(
        27,
        SALON,
        "go-global",
        "出海东南亚 Go Global Night Singapore",
        "东南亚市场怎么进：新加坡、印尼、越南的实战经验。\n\n"
        "Entering Southeast Asia from Singapore: entities, hiring and first customers.",
        40,
        "full",
        "singapore",
        tz=SINGAPORE,
    ),
    _Spec(
        -66,
        SALON,
        "women-in-deep-tech",
        "Women in Deep Tech Salon: Robotics Careers",
        "Engineers and founders on building a career, and a company, in robotics.",
        25,
        30,
        "yangpu",
    ),
    _Spec(
        -100,
        SALON,
        "campus-startup-camp",
        "高校创业营：找队友之夜 Co-founder Matching Night",
        "技术、产品、市场，每人一分钟自我介绍，然后自由组队。",
        40,
        50,
        "yangpu",
    ),
    _Spec(
        52,
        COMPETITION,
        "campus-startup-camp",
        "Campus Startup Challenge 2027 · 高校创业挑战赛",
        "面向在校生与应届生的创业比赛，报名截止前可随时修改项目材料。",
        40,
        None,
        "yangpu",
        at=(13, 0),
        hours=5,
    ),
    # Health tech: the demo member's field
    _Spec(
        -58,
        SALON,
        "healthtech-innovators",
        "医疗 AI 沙龙：从试点到采购 Clinical AI Salon",
        "医院信息科主任、医生和创始人一起聊：试点做完之后，采购流程怎么走。\n\n"
        "A CIO, two doctors and founders on what happens after the pilot.",
        30,
        40,
        "jingan",
    ),
    _Spec(
        8,
        SALON,
        "healthtech-innovators",
        "数字医疗创始人沙龙：医院采购怎么走 Selling to Hospitals",
        "招投标、信创、院内审批，一次讲清楚。\n\nTenders, approvals and who signs what.",
        30,
        40,
        "hub",
        demo="confirmed",
    ),
    _Spec(
        -112,
        SALON,
        "saas-growth-lab",
        "SaaS Pricing Teardown Night",
        "Bring your pricing page; three operators take it apart, kindly.",
        30,
        40,
        "jingan",
    ),
    _Spec(
        -20,
        SALON,
        "enterprise-services-zh",
        "ToB 回款与交付复盘会",
        "大客户回款慢、交付拖期怎么办？几位 ToB 创始人的真实复盘。",
        30,
        40,
        "hub",
        mood=-0.5,
    ),
    # Fundraising clinic
    _Spec(
        -135,
        SALON,
        "fundraising-clinic",
        "融资诊所：BP 现场点评 Deck Clinic #1",
        "五个项目现场讲 BP，三位投资人逐页点评。\n\nFive decks, three investors, page by page.",
        40,
        40,
        "hub",
    ),
    _Spec(
        -16,
        SALON,
        "fundraising-clinic",
        "融资诊所：BP 现场点评 Deck Clinic #2",
        "五个项目现场讲 BP，三位投资人逐页点评。\n\nFive decks, three investors, page by page.",
        40,
        40,
        "hub",
        demo="attended",
    ),
    _Spec(
        5,
        SALON,
        "fundraising-clinic",
        "融资诊所：BP 现场点评 Deck Clinic #3",
        "五个项目现场讲 BP，三位投资人逐页点评。\n\nFive decks, three investors, page by page.",
        40,
        "full",
        "hub",
        demo="waitlisted",
    ),
    _Spec(
        44,
        SALON,
        "fundraising-clinic",
        "投资人面对面 Investor Office Hours",
        "每位创始人与投资人单独交流 15 分钟；报名需审核，请在报名时简述项目。\n\n"
        "Fifteen minutes one-on-one with an investor; tell us about your company when you "
        "RSVP.",
        30,
        30,
        "jingan",
        at=(14, 0),
        hours=4,
        approval=True,
    ),
    _Spec(
        -88,
        MEETUP,
        "robotics-makers",
        "具身智能技术沙龙：机械臂与大模型",
        "机械臂控制、仿真到真机迁移、大模型做任务规划，三场技术分享加现场演示。",
        35,
        50,
        "zhangjiang",
    ),
    _Spec(
        -68,
        MEETUP,
        "chip-design",
        "芯片设计技术交流：RISC-V 流片经验",
        "从 RTL 到流片：IP 选型、验证和 MPW，过来人讲细节。",
        30,
        40,
        "zhangjiang",
    ),
    _Spec(
        -42,
        SALON,
        "shenzhen-hardware",
        "深圳硬件工厂参访日 Factory Tour Day",
        "参观两家 PCBA 工厂和一家注塑厂，中午一起吃饭聊量产。名额有限，需审核。",
        25,
        25,
        "shenzhen",
        at=(9, 30),
        hours=7,
        approval=True,
    ),
    _Spec(
        -158,
        MEETUP,
        "web3-builders",
        "Web3 Builders Meetup: ZK in Practice",
        "零知识证明在真实产品里的用法：性能、审计与开发工具。\n\n"
        "Zero-knowledge proofs in production: performance, audits and tooling.",
        30,
        50,
        "hangzhou",
    ),
    # Private communities
    _Spec(
        -47,
        SALON,
        "seed-founders-circle",
        "种子轮创始人闭门晚餐 Seed Founders Dinner",
        "十几位种子轮创始人的闭门晚餐，不录音、不外传。\n\n"
        "A dozen seed-stage founders, one table, nothing leaves the room.",
        14,
        14,
        "yangpu",
        approval=True,
        demo="attended",
    ),
    _Spec(
        18,
        SALON,
        "seed-founders-circle",
        "种子轮创始人闭门晚餐 · 冬季场 Seed Founders Dinner (Winter)",
        "冬季场：这次聊招聘第一位销售和下一轮的节奏。\n\n"
        "Winter edition: hiring the first salesperson and timing the next round.",
        16,
        12,
        "yangpu",
        approval=True,
        by_demo=True,
    ),
    _Spec(
        -26,
        SALON,
        "ceo-peer-group-sg",
        "CEO Peer Circle: Hiring Your First VP Sales",
        "A closed-door evening for the peer group: what went right and wrong with the first "
        "senior sales hire.",
        12,
        12,
        "singapore",
        tz=SINGAPORE,
    ),
    _Spec(
        10,
        MEETUP,
        "cybersecurity-startups",
        "Cybersecurity Startups Kickoff Meetup",
        "The community's first meetup: short intros, then talks on SOC 2 for startups and "
        "red-teaming LLM apps.",
        20,
        40,
        "hub",
        online=True,
    ),
]

# A weekly meetup series: occurrences before and after today.
SERIES_COMMUNITY = "open-source-founders"
SERIES_TITLE = "Rust Shanghai Meetup #{n}"
SERIES_FIRST_NUMBER = 9
SERIES_WEEKS = (-6, 2)  # six past occurrences (the first 38 days ago) and two to come
SERIES_BLURB = (
    "Every Wednesday: one talk, one code review, noodles afterwards. This week and the "
    "schedule of talks are in the community.\n\n每周三晚：一场分享、一段代码评审，结束一起吃面。"
)

KIND_AGENDA: dict[str, str] = {
    SALON: "- 签到与交流 Check-in & coffee\n- 主题分享 Talks\n- 圆桌讨论 Panel\n"
    "- 自由交流 Networking",
    ROADSHOW: "- 签到 Check-in\n- 项目路演 Pitches\n- 投资人点评 Investor feedback\n"
    "- 一对一交流 1:1 meetings",
    MEETUP: "- 签到 Check-in\n- 技术分享 Talks\n- 现场演示 Demos\n- 自由交流 Hallway track",
    COMPETITION: "- 签到 Check-in\n- 项目路演 Pitches (5 min + 3 min Q&A)\n- 评委打分 Judging\n"
    "- 颁奖 Awards",
}

FEEDBACK = {
    "good": {
        "zh": [
            "干货很多，认识了几位同行，下次还来。",
            "嘉宾分享很真诚，问答环节特别有收获。",
            "组织得很好，准时开始，交流时间也充足。",
            "认识了一位潜在客户，太值了！",
            "内容扎实，建议以后多办这种小范围的。",
        ],
        "en": [
            "Great speakers and a really open Q&A. Will come again.",
            "Met two people I'd been trying to reach for months. Worth it.",
            "Well run: started on time, and plenty of time to talk afterwards.",
            "Practical and honest. More of these, please!",
            "Loved the format — small enough to actually talk to everyone.",
        ],
    },
    "mixed": {
        "zh": [
            "内容还可以，但场地有点挤，听不太清。",
            "分享偏泛，希望下次更聚焦具体案例。",
            "交流时间太短了，建议少一个环节。",
        ],
        "en": [
            "Decent content, but the room was too crowded to hear well.",
            "A bit generic; I'd like more concrete cases next time.",
            "Too little time for networking.",
        ],
    },
    "bad": {
        "zh": [
            "比较失望，主题和宣传的不太一样，基本是广告。",
            "开始晚了四十分钟，体验很差。",
        ],
        "en": [
            "Disappointing — it turned into a sales pitch.",
            "Started 40 minutes late and ran out of time for questions.",
        ],
    },
}

PROJECTS = [
    ("VoltGrid 储能调度", "AI dispatch for commercial batteries; cuts peak charges by 18%."),
    ("CarbonLedger 碳账本", "Carbon accounting for exporters facing the EU's CBAM."),
    ("ReCell", "Second-life EV batteries graded and resold to small factories."),
    ("绿循 LoopPack", "Returnable packaging for food delivery, with deposit tracking."),
    ("SunFarm 光伏农场", "Agrivoltaics: solar canopies that raise yields for shade crops."),
    ("HeatWise", "Heat-pump retrofits for old apartment blocks, financed per square metre."),
    ("碳知道 CarbonIQ", "Supplier emissions data for manufacturers, filled in by the suppliers."),
    ("TideGen", "Small tidal turbines for island microgrids."),
    ("FerroCycle 铁循环", "Low-temperature steel-scrap sorting with computer vision."),
    ("CoolChain 冷链", "Cold-chain monitoring that predicts compressor failures."),
    ("AquaSense 水感", "Leak detection for city water networks from pressure data."),
    ("BioChar Works", "Biochar from crop waste, sold with verified removal credits."),
]
CAMPUS_PROJECTS = [
    ("课搭子 StudyBuddy", "Peer tutoring matched by course and timetable."),
    ("校园二手 CampusSwap", "A second-hand market that runs inside the student ID app."),
    ("实验室共享 LabShare", "Booking idle lab instruments across universities."),
    ("简历诊所 CV Clinic", "Alumni review student CVs in 15-minute calls."),
]
CRITERIA = [
    ("问题与市场 Problem & market", 3.0),
    ("团队 Team", 2.5),
    ("进展 Traction", 2.5),
    ("气候影响 Climate impact", 2.0),
]
CAMPUS_CRITERIA = [("创新性 Innovation", 1.0), ("可行性 Feasibility", 1.0), ("团队 Team", 1.0)]
JUDGE_BIAS = [-1.8, 1.6, 0.3, -0.2]  # a harsh judge, a lenient one, two in between


# Members as this loader sees them ---------------------------------------------------------------


@dataclass
class _Member:
    pk: int
    handle: str
    langs: frozenset[str]
    joined: datetime
    staff: bool
    roles: set[str] = field(default_factory=set)
    writes: int = 0  # posts and replies
    last: datetime | None = None  # the last post or reply
    until: datetime | None = None  # comes to events until then (None: still comes)

    @property
    def weight(self) -> float:
        return 0.15 + math.log1p(self.writes)

    def lang(self, rng: random.Random) -> str:
        if "zh" in self.langs and ("en" not in self.langs or rng.random() < 0.6):
            return "zh"
        return "en"


def _load_members(now: datetime) -> list[_Member]:
    rows = (
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
        .order_by("pk")
        .values_list("pk", "handle", "languages", "date_joined", "is_staff")
    )
    members = [
        _Member(pk, handle, frozenset(langs or ["en"]), joined, staff)
        for pk, handle, langs, joined, staff in rows
    ]
    by_pk = {m.pk: m for m in members}
    for pk, role in MemberRole.objects.values_list("user_id", "role"):
        if pk in by_pk:
            by_pk[pk].roles.add(role)
    for model in (Post, Reply):
        for pk, n, last in (
            model.objects.values("author_id")
            .annotate(n=Count("id"), last=Max("created_at"))
            .values_list("author_id", "n", "last")
        ):
            m = by_pk.get(pk)
            if m is not None:
                m.writes += n
                m.last = last if m.last is None else max(m.last, last)
    for m in members:
        if m.handle in ("demo", "operator"):
            m.joined = min(m.joined, now - 420 * DAY)
        if m.last is not None and m.last < now - QUIET_AFTER:
            m.until = m.last + STILL_CAME
    return members


@dataclass
class _Community:
    pk: int
    slug: str
    visibility: str
    created: datetime
    joined: dict[int, datetime] = field(default_factory=dict)  # member index → joined_at
    leaders: list[int] = field(default_factory=list)  # owner first, then moderators


def _load_communities(members: list[_Member]) -> dict[str, _Community]:
    """The demo's communities by their spec slug (a renamed address, kept when an earlier
    demo's community had it, still maps to its spec), with members and leaders."""
    index = {m.pk: i for i, m in enumerate(members)}
    slug_of = {spec.name: spec.slug for spec in SPECS}
    found: dict[int, _Community] = {}
    rows = (
        Membership.objects.filter(community__name__in=list(slug_of), user_id__in=list(index))
        .order_by("community_id", "user_id")
        .values_list(
            "community_id",
            "community__name",
            "community__visibility",
            "community__created_at",
            "user_id",
            "role",
            "joined_at",
        )
    )
    owners: dict[int, int] = {}
    for pk, name, visibility, created, user, role, joined in rows:
        c = found.setdefault(pk, _Community(pk, slug_of[name], visibility, created))
        c.joined[index[user]] = joined
        if role == Role.OWNER:
            owners[pk] = index[user]
        elif role == Role.MODERATOR:
            c.leaders.append(index[user])
    out: dict[str, _Community] = {}
    for pk in sorted(found):  # the newest community of a name wins
        c = found[pk]
        if pk in owners:
            c.leaders.insert(0, owners[pk])
        out[c.slug] = c
    return out


# Events -----------------------------------------------------------------------------------------


@dataclass
class _Plan:
    spec: _Spec
    event: Event
    community: _Community | None
    organiser: int | None
    forced: list[int] = field(default_factory=list)  # confirmed first, and come in person
    rsvps: list[RSVP] = field(default_factory=list)
    in_series: bool = False


def _since(members: list[_Member], community: _Community | None, i: int) -> datetime | None:
    """Since when member i could see the event (None: never, not being a member)."""
    if community is None:
        return members[i].joined
    joined = community.joined.get(i)
    return None if joined is None else max(joined, members[i].joined)


def _local(now: datetime, day: int, at: tuple[int, int], tz: zoneinfo.ZoneInfo) -> datetime:
    date = (now.astimezone(tz) + day * DAY).date()
    return datetime(date.year, date.month, date.day, at[0], at[1], tzinfo=tz)


def _description(spec: _Spec, venue: tuple[str, str] | None) -> str:
    where = (
        f"**地点 Venue:** {venue[0]}，{venue[1]}"
        if venue
        else "**线上 Online:** 报名成功后可见会议链接。The link is shown once you are confirmed."
    )
    parts = [spec.blurb, "### 日程 Agenda", KIND_AGENDA[spec.kind], where]
    if spec.online and venue:
        parts.append("现场之外同步直播 · Also streamed for those who can't come in person.")
    if spec.approval:
        parts.append("报名需主办方审核。RSVPs are approved by the organisers.")
    return "\n\n".join(parts)


def _event(
    rng: random.Random, spec: _Spec, start: datetime, community: _Community | None, now: datetime
) -> Event:
    venue = VENUES.get(spec.venue)
    lead = rng.uniform(18, 40) * DAY
    created = start - lead
    if community is not None:
        created = max(created, community.created + DAY)
    created = min(created, now - rng.uniform(2, 30) * HOUR)
    description = _description(spec, venue)
    slug = quote_plus(spec.title.split(" ")[0].lower())
    return Event(
        kind=spec.kind,
        title=spec.title,
        description=description,
        description_html=render_markdown(description),
        starts_at=start,
        ends_at=start + timedelta(hours=spec.hours),
        time_zone=spec.tz,
        venue=venue[0] if venue else "",
        address=venue[1] if venue else "",
        map_url=f"https://www.openstreetmap.org/search?query={quote_plus(venue[1])}"
        if venue
        else "",
        online_url=f"https://meet.example.org/seedbed-{slug}-{start:%m%d}" if spec.online else "",
        rsvp_closes_at=start - 2 * HOUR if spec.kind != SALON or spec.approval else None,
        requires_approval=spec.approval,
        created_at=created,
    )


def _organiser(
    spec: _Spec, community: _Community | None, members, demo, operator, start
) -> int | None:
    if spec.by_demo and demo is not None:
        return demo
    if community is None:
        return operator
    leaders = [i for i in community.leaders if i != demo] or community.leaders
    for i in leaders:
        until = members[i].until
        if until is None or until > start:
            return i
    return leaders[0] if leaders else None


def _eligible(
    members: list[_Member],
    community: _Community | None,
    open_: datetime,
    close: datetime,
    start: datetime,
) -> list[tuple[int, datetime]]:
    """Who could have RSVPed, and from when: members of the community (anyone for a platform
    event) who joined before RSVPs closed and still came to events by then."""
    if community is None:
        pool = ((i, m.joined) for i, m in enumerate(members))
    else:
        pool = ((i, max(when, members[i].joined)) for i, when in sorted(community.joined.items()))
    out = []
    for i, since in pool:
        until = members[i].until
        if until is not None and until < start:
            continue
        if since < close - HOUR:
            out.append((i, max(since, open_)))
    return out


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k items without replacement, each drawn with probability proportional to its weight
    (Efraimidis–Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1.0 / w), n) for n, w in enumerate(weights)), reverse=True)
    return [items[n] for _key, n in keyed[:k]]


def _rsvps(rng: random.Random, plan: _Plan, members, demo: int | None, now: datetime) -> None:
    """Who said "going", when, and what became of it: confirmed in join order up to the
    capacity, then the waitlist; pending or declined where the organisers approve."""
    spec, event = plan.spec, plan.event
    upcoming = event.starts_at > now
    close = min(event.starts_at - HOUR, now - 10 * MINUTE)
    pool = _eligible(members, plan.community, event.created_at, close, event.starts_at)
    skip = {plan.organiser, *plan.forced}
    if upcoming or spec.demo:
        skip.add(demo)  # the demo member's own RSVPs are placed by hand
    pool = [(i, since) for i, since in pool if i not in skip]
    rate = 0.5 if plan.community is not None else 0.35
    k = min(spec.size, len(pool), max(3, round(len(pool) * rate)))
    if plan.forced:
        k = max(0, k - len(plan.forced))
    chosen = _weighted_sample(rng, pool, [members[i].weight for i, _s in pool], k)

    def moment(i: int, since: datetime, hi: datetime) -> datetime:
        until = members[i].until
        hi = min(hi, until) if until is not None else hi
        return since + max(hi - since, MINUTE) * (rng.random() ** 1.6)

    def not_before(i: int, when: datetime) -> datetime:
        since = _since(members, plan.community, i) or when
        return min(max(when, since + HOUR), close)

    people = [(moment(i, since, close), i) for i, since in chosen]
    early = event.created_at + rng.uniform(1, 20) * HOUR
    people += [(not_before(i, early + n * 7 * MINUTE), i) for n, i in enumerate(plan.forced)]
    comer = (
        demo
        if demo is not None
        and spec.demo in ("confirmed", "attended", "waitlisted")
        and (_since(members, plan.community, demo) or close) < close - DAY
        else None
    )
    if comer is not None and spec.demo != "waitlisted":
        people.append((not_before(comer, event.created_at + rng.uniform(20, 40) * HOUR), comer))
    people.sort()

    if spec.capacity == "full":
        # The seats went to the early ones: about three quarters of those who asked.
        event.capacity = max(2, round(len(people) * rng.uniform(0.68, 0.8)))
        if len(people) <= event.capacity:
            event.capacity = max(1, len(people) - 2)
    else:
        event.capacity = spec.capacity
    cap = event.capacity if event.capacity is not None else len(people) + 1

    if comer is not None and spec.demo == "waitlisted":
        at = min(cap, len(people))  # just after the seats ran out
        before = people[at - 1][0] if at else event.created_at
        after = people[at][0] if at < len(people) else close
        people.append((not_before(comer, before + (after - before) / 2), comer))
        people.sort()

    rows = []
    confirmed = 0
    for when, i in people:
        forced = i in plan.forced or (i == demo and spec.demo in ("confirmed", "attended"))
        if spec.approval and not forced:
            decided = not upcoming or when < now - 2 * DAY
            if not decided:
                status = RSVPStatus.PENDING
            elif confirmed < cap and rng.random() < 0.88:
                status = RSVPStatus.CONFIRMED
            else:
                status = RSVPStatus.DECLINED
        else:
            status = RSVPStatus.CONFIRMED if confirmed < cap else RSVPStatus.WAITLISTED
        confirmed += status == RSVPStatus.CONFIRMED
        updated = when
        if (
            status == RSVPStatus.CONFIRMED
            and not forced
            and event.capacity is None
            and rng.random() < 0.05
        ):
            # changed their mind; with no seat limit nobody was waiting for the seat
            status, confirmed = RSVPStatus.CANCELLED, confirmed - 1
            updated = min(when + rng.uniform(1, 96) * HOUR, close)
        elif spec.approval and status != RSVPStatus.PENDING:
            updated = min(when + rng.uniform(2, 30) * HOUR, close)
        rows.append(
            RSVP(
                user_id=members[i].pk,
                status=status,
                joined_at=when,
                updated_at=max(updated, when),
            )
        )
    plan.rsvps = rows


def _attendance(rng: random.Random, plan: _Plan, members, demo, now) -> list[Feedback]:
    """Check-ins (60–85% of the confirmed, the active more often) and feedback from some of
    those who came."""
    event, spec = plan.event, plan.spec
    if event.ends_at > now:
        return []
    by_pk = {m.pk: (i, m) for i, m in enumerate(members)}
    confirmed = [r for r in plan.rsvps if r.status == RSVPStatus.CONFIRMED]
    if not confirmed:
        return []
    must = {members[i].pk for i in plan.forced}
    if spec.demo == "attended" and demo is not None:
        must.add(members[demo].pk)
    rate = rng.uniform(0.62, 0.83)
    n = min(len(confirmed), max(round(len(confirmed) * rate), len(must)))
    first = [r for r in confirmed if r.user_id in must]
    others = [r for r in confirmed if r.user_id not in must]
    came = first + _weighted_sample(
        rng, others, [members[by_pk[r.user_id][0]].weight for r in others], n - len(first)
    )
    feedback = []
    for r in sorted(came, key=lambda r: r.joined_at):
        r.checked_in_at = event.starts_at + rng.uniform(-25, 45) * MINUTE
        i, m = by_pk[r.user_id]
        is_demo = i == demo
        if not is_demo and rng.random() > 0.22 + 0.08 * min(m.weight, 3.5):
            continue
        rating = rng.choices([5, 4, 3, 2, 1], [44, 36, 12, 6, 2])[0]
        if spec.mood and rng.random() < abs(spec.mood) / 2:
            rating = max(1, rating - rng.randint(1, 2))
        if is_demo:
            rating = 5 if spec.kind == MEETUP else 4
        band = "good" if rating >= 4 else ("mixed" if rating == 3 else "bad")
        comment = ""
        if is_demo or rng.random() < 0.65:
            comment = rng.choice(FEEDBACK[band][m.lang(rng)])
        when = min(event.ends_at + rng.uniform(0.5, 72) * HOUR, now - 5 * MINUTE)
        feedback.append(
            Feedback(
                event=event, user_id=r.user_id, rating=rating, comment=comment, created_at=when
            )
        )
    return feedback


# The roadshow -----------------------------------------------------------------------------------


def _roadshow_people(rng, members, demo, start: datetime) -> tuple[list[int], list[int]]:
    def fits(i: int, role: str) -> bool:
        m = members[i]
        return (
            role in m.roles
            and not m.staff
            and i != demo
            and (m.until is None or m.until > start)
            and m.joined < start - 30 * DAY
        )

    founders = [i for i in range(len(members)) if fits(i, MemberRoleKind.FOUNDER)]
    investors = [
        i
        for i in range(len(members))
        if fits(i, MemberRoleKind.INVESTOR) and MemberRoleKind.FOUNDER not in members[i].roles
    ]
    founders = _weighted_sample(rng, founders, [members[i].weight for i in founders], 11)
    investors = _weighted_sample(rng, investors, [members[i].weight for i in investors], 8)
    if demo is not None:
        founders.insert(0, demo)
    return founders, investors


def _roadshow(rng, plan: _Plan, founders: list[int], investors: list[int], members, demo) -> dict:
    """Participants, six slots at four tables, availability, must/like/no requests on both
    sides, and the schedule the engine builds from them (as an organiser's build would)."""
    event = plan.event
    people = [(i, MeetingRole.FOUNDER) for i in founders]
    people += [(i, MeetingRole.INVESTOR) for i in investors]
    participants = [
        MeetingParticipant(
            event=event,
            user_id=members[i].pk,
            role=role,
            max_meetings=(
                rng.choice([4, 5, 6])
                if role == MeetingRole.INVESTOR
                else (None if i == demo else rng.choice([None, 3, 4]))
            ),
        )
        for i, role in people
    ]
    MeetingParticipant.objects.bulk_create(participants)
    tz = event.tz
    first = event.starts_at.astimezone(tz).replace(hour=14, minute=0)
    slots = [
        MeetingSlot(
            event=event,
            starts_at=first + n * 25 * MINUTE,
            ends_at=first + n * 25 * MINUTE + 20 * MINUTE,
            tables=4,
        )
        for n in range(6)
    ]
    MeetingSlot.objects.bulk_create(slots)

    n_f, n_i, n_s = len(founders), len(investors), len(slots)
    free = []
    for i, _role in people:
        if i == demo:
            chosen = list(range(n_s))
        else:
            chosen = sorted(rng.sample(range(n_s), k=rng.randint(3, n_s)))
        free.append(chosen)
    Through = MeetingParticipant.available_slots.through
    Through.objects.bulk_create(
        [
            Through(meetingparticipant_id=p.pk, meetingslot_id=slots[s].pk)
            for p, chosen in zip(participants, free, strict=True)
            for s in chosen
        ]
    )

    wishes: dict[tuple[int, int], str] = {}  # (participant, other) by position → level

    def ask(who: int, others: list[int], musts: int, likes: int, noes: float) -> None:
        picks = rng.sample(others, k=min(len(others), musts + likes + 1))
        for n, other in enumerate(picks):
            level = "must" if n < musts else ("like" if n < musts + likes else "no")
            if level != "no" or rng.random() < noes:
                wishes[who, other] = level

    for f in range(n_f):
        ask(f, list(range(n_f, n_f + n_i)), 1 + (rng.random() < 0.4), rng.randint(2, 3), 0.25)
    for inv in range(n_f, n_f + n_i):
        ask(inv, list(range(n_f)), rng.randint(1, 2), rng.randint(2, 4), 0.15)
    if demo is not None and n_i:
        # The demo member asked to meet the first investor, who liked his company too.
        wishes[0, n_f], wishes[n_f, 0] = "must", "like"
    founder_side = np.zeros((n_f, n_i))
    investor_side = np.zeros((n_f, n_i))
    for (who, other), level in wishes.items():
        if who < n_f:
            founder_side[who, other - n_f] = PREFERENCE_WEIGHTS[level]
        else:
            investor_side[other, who - n_f] = PREFERENCE_WEIGHTS[level]
    MeetingPreference.objects.bulk_create(
        [
            MeetingPreference(
                event=event, participant=participants[who], other=participants[other], level=level
            )
            for (who, other), level in sorted(wishes.items())
        ]
    )

    def grid(rows: list[list[int]]) -> np.ndarray:
        out = np.zeros((len(rows), n_s), dtype=bool)
        for r, chosen in enumerate(rows):
            out[r, chosen] = True
        return out

    def limits(ps: list[MeetingParticipant]) -> np.ndarray:
        return np.array([n_s if p.max_meetings is None else p.max_meetings for p in ps])

    result = schedule_meetings(
        pair_weights(founder_side, investor_side),
        grid(free[:n_f]),
        grid(free[n_f:]),
        np.array([s.tables for s in slots]),
        limits(participants[:n_f]),
        limits(participants[n_f:]),
        time_limit=10.0,
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                event=event,
                slot=slots[m.slot],
                table=m.table,
                founder=participants[m.founder],
                investor=participants[n_f + m.investor],
                weight=m.weight,
            )
            for m in result.meetings
        ]
    )
    return {
        "participants": len(participants),
        "preferences": len(wishes),
        "meetings": len(result.meetings),
    }


# Competitions -----------------------------------------------------------------------------------


def _entrants(rng, members, pool: list[int], start: datetime, k: int) -> list[int]:
    fits = [
        i
        for i in pool
        if not members[i].staff
        and members[i].roles & {MemberRoleKind.FOUNDER, MemberRoleKind.TALENT}
        and (members[i].until is None or members[i].until > start)
        and members[i].joined < start - 20 * DAY
    ]
    return _weighted_sample(rng, fits, [members[i].weight for i in fits], k)


def _judges(rng, members, taken: set[int | None], start: datetime, k: int, community) -> list[int]:
    """Investors and mentors; a community's own first, then from the whole platform."""
    fits = [
        i
        for i, m in enumerate(members)
        if i not in taken
        and not m.staff
        and m.roles & {MemberRoleKind.INVESTOR, MemberRoleKind.MENTOR}
        and (m.until is None or m.until > start)
        and m.joined < start - 20 * DAY
    ]
    inside = [i for i in fits if community is not None and i in community.joined]
    outside = [i for i in fits if i not in inside]
    jury = _weighted_sample(rng, inside, [members[i].weight for i in inside], k)
    return jury + _weighted_sample(
        rng, outside, [members[i].weight for i in outside], k - len(jury)
    )


def _team(rng, members, i: int) -> str:
    name = members[i].handle
    others = rng.sample(["Li Na", "王磊", "Chen Yu", "Sam Patel", "刘洋", "Mia Wong"], k=2)
    return ", ".join([f"@{name}", *others[: rng.randint(0, 2)]])


@dataclass
class _Contest:
    plan: _Plan
    criteria: list[Criterion]
    entries: list[Entry]
    judges: list[Judge]
    scored: bool


def _prepare_competitions(rng, plans: list[_Plan], members, now) -> list[_Contest]:
    """The climate competition (past, judged, results published) and the campus challenge
    (entries still open, nobody judged yet). Entrants and judges come, confirmed."""
    contests = []
    for plan in plans:
        spec, event = plan.spec, plan.event
        scored = spec.role == "competition"
        names = CRITERIA if scored else CAMPUS_CRITERIA
        projects = PROJECTS if scored else CAMPUS_PROJECTS
        pool = (
            list(range(len(members))) if plan.community is None else sorted(plan.community.joined)
        )
        pool = [i for i in pool if i != plan.organiser]
        people = _entrants(rng, members, pool, event.starts_at, 10 if scored else 3)
        chosen_projects = rng.sample(projects, k=len(people))
        event.entries_close_at = event.starts_at - (10 if scored else 7) * DAY
        if scored:
            event.results_published_at = event.ends_at + rng.uniform(20, 50) * HOUR
        criteria = [
            Criterion(event=event, name=name, weight=weight, position=n)
            for n, (name, weight) in enumerate(names)
        ]
        close = min(event.entries_close_at, now) - HOUR
        entries = []
        for n, (i, (title, line)) in enumerate(zip(people, chosen_projects, strict=True)):
            opened = max(event.created_at, _since(members, plan.community, i) or event.created_at)
            when = opened + max(close - opened, HOUR) * (0.2 + 0.75 * n / max(1, len(people)))
            pitch = (
                f"**{title}** — {line}\n\n"
                f"- 阶段 Stage: {rng.choice(['MVP', 'pilot 试点', 'first revenue 首批收入'])}\n"
                f"- 团队 Team: {rng.randint(2, 9)} people\n"
                f"- 需要 Looking for: {rng.choice(['pilot customers', '种子轮融资', 'a CTO'])}"
            )
            slug = quote_plus(title.split(" ")[0].lower())
            entries.append(
                Entry(
                    event=event,
                    submitted_by_id=members[i].pk,
                    title=title,
                    team=_team(rng, members, i),
                    pitch=pitch,
                    deck_url=f"https://example.org/decks/{slug}.pdf",
                    submitted_at=min(when, close),
                )
            )
        taken = {*people, plan.organiser}
        wanted = 4 if scored else 2
        jury = _judges(rng, members, taken, event.starts_at, wanted, plan.community)
        judges = [Judge(event=event, user_id=members[j].pk) for j in jury]
        # Judges from outside a community judge without taking a seat among its members.
        plan.forced = [i for i in people + jury if _since(members, plan.community, i) is not None]
        contests.append(_Contest(plan, criteria, entries, judges, scored))
    return contests


def _write_competitions(rng, contests: list[_Contest]) -> dict:
    """Rubrics, entries, judges with a couple of conflicts, and the scores: one per judge,
    entry and criterion except where the judge has a conflict, from a harsh judge to a
    lenient one."""
    Criterion.objects.bulk_create([c for x in contests for c in x.criteria])
    Entry.objects.bulk_create([e for x in contests for e in x.entries])
    Judge.objects.bulk_create([j for x in contests for j in x.judges])
    Through = Judge.conflicts.through
    conflicts, scores = [], []
    for x in contests:
        if not (x.scored and x.judges and x.entries):
            continue
        n_e, n_j = len(x.entries), len(x.judges)
        # Two judges know a team: one invested in it, one advised it.
        clashes = {(0, n_e // 3), (min(2, n_j - 1), (2 * n_e) // 3)}
        conflicts += [
            Through(judge_id=x.judges[j].pk, entry_id=x.entries[e].pk) for j, e in sorted(clashes)
        ]
        quality = [rng.uniform(4.5, 8.5) for _ in x.entries]
        facet = [[rng.gauss(0, 0.9) for _ in x.criteria] for _ in x.entries]
        for j, judge in enumerate(x.judges):
            bias = JUDGE_BIAS[j % len(JUDGE_BIAS)]
            for e, entry in enumerate(x.entries):
                if (j, e) in clashes:
                    continue
                for c, criterion in enumerate(x.criteria):
                    value = quality[e] + facet[e][c] + bias + rng.gauss(0, 0.8)
                    scores.append(
                        Score(
                            judge=judge,
                            entry=entry,
                            criterion=criterion,
                            value=min(10, max(1, round(value))),
                        )
                    )
    Through.objects.bulk_create(conflicts)
    Score.objects.bulk_create(scores, batch_size=BATCH)
    return {
        "entries": sum(len(x.entries) for x in contests),
        "judges": sum(len(x.judges) for x in contests),
        "conflicts": len(conflicts),
        "scores": len(scores),
    }


# The loader -------------------------------------------------------------------------------------


def load_events(rng: random.Random, now: datetime) -> dict:
    """Create the demo's events and everything around them. Returns counts by kind."""
    members = _load_members(now)
    communities = _load_communities(members)
    by_handle = {m.handle: i for i, m in enumerate(members)}
    demo, operator = by_handle.get("demo"), by_handle.get("operator")

    plans: list[_Plan] = []
    for spec in SPECS_EVENTS:
        community = communities.get(spec.community) if spec.community else None
        if spec.community and community is None:
            continue
        start = _local(now, spec.day, spec.at, zoneinfo.ZoneInfo(spec.tz))
        event = _event(rng, spec, start, community, now)
        organiser = _organiser(spec, community, members, demo, operator, start)
        plans.append(_Plan(spec, event, community, organiser))

    series = None
    weekly = communities.get(SERIES_COMMUNITY)
    if weekly is not None:
        series_spec = _Spec(
            day=0,
            kind=MEETUP,
            community=SERIES_COMMUNITY,
            title="",
            blurb=SERIES_BLURB,
            size=22,
            capacity=25,
            venue="yangpu",
            at=(19, 30),
            hours=2,
        )
        tz = zoneinfo.ZoneInfo(SHANGHAI)
        first = _local(now, SERIES_WEEKS[0] * 7 + 4, series_spec.at, tz)
        organiser = _organiser(series_spec, weekly, members, demo, operator, first)
        series = EventSeries(
            frequency=EventSeries.Frequency.WEEKLY,
            created_by_id=members[organiser].pk if organiser is not None else None,
            created_at=max(first - 20 * DAY, weekly.created + DAY),
        )
        count = SERIES_WEEKS[1] - SERIES_WEEKS[0]
        for n in range(count):
            naive = first.replace(tzinfo=None) + timedelta(weeks=n)
            spec = replace(
                series_spec,
                title=SERIES_TITLE.format(n=SERIES_FIRST_NUMBER + n),
                capacity="full" if n == count - 2 else 25,
            )
            event = _event(rng, spec, naive.replace(tzinfo=tz), weekly, now)
            event.created_at = min(series.created_at, now - HOUR)
            plans.append(_Plan(spec, event, weekly, organiser, in_series=True))

    for plan in plans:
        if plan.organiser is not None:
            plan.event.created_by_id = members[plan.organiser].pk
        if plan.community is not None:
            plan.event.community_id = plan.community.pk

    roadshow = next((p for p in plans if p.spec.role == "roadshow"), None)
    founders: list[int] = []
    investors: list[int] = []
    if roadshow is not None:
        founders, investors = _roadshow_people(rng, members, demo, roadshow.event.starts_at)
        roadshow.forced = [i for i in founders + investors if i != demo]
    competitions = [p for p in plans if p.spec.kind == COMPETITION]

    # Entrants, judges and roadshow participants are chosen before the RSVPs, which seat them
    # first; the RSVPs set the capacities of "full" events, so events are written after them.
    plans.sort(key=lambda p: (p.event.starts_at, p.event.title))
    if series is not None:
        EventSeries.objects.bulk_create([series])
        for p in plans:
            if p.in_series:
                p.event.series = series
    contests = _prepare_competitions(rng, competitions, members, now)
    for plan in plans:
        _rsvps(rng, plan, members, demo, now)
    Event.objects.bulk_create([p.event for p in plans])
    competition_counts = _write_competitions(rng, contests)

    rsvps, feedback = [], []
    for plan in plans:
        for r in plan.rsvps:
            r.event = plan.event
        feedback += _attendance(rng, plan, members, demo, now)
        rsvps += plan.rsvps
    RSVP.objects.bulk_create(rsvps, batch_size=BATCH)
    Feedback.objects.bulk_create(feedback, batch_size=BATCH)

    meetings = {"participants": 0, "preferences": 0, "meetings": 0}
    if roadshow is not None:
        meetings = _roadshow(rng, roadshow, founders, investors, members, demo)

    past = sum(p.event.ends_at < now for p in plans)
    return {
        "events": len(plans),
        "past": past,
        "upcoming": len(plans) - past,
        "rsvps": len(rsvps),
        "check_ins": sum(r.checked_in_at is not None for r in rsvps),
        "feedback": len(feedback),
        **meetings,
        **competition_counts,
    }
