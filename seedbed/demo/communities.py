"""Demo communities: about thirty bilingual communities with six months of posts, replies,
reactions, join requests, reports and notifications.

The data is shaped so that the analytics have something true to find: community sizes and
member activity are heavy-tailed, a cohort of once-active members drifted away two to four
months ago, one community went quiet and one is brand new, and one community has a recent
spike of frustrated posts. Nothing records who is in which group; only the data shows it.

Deterministic for a given random stream and ``now``; every row is written with bulk inserts,
and the number of posts is bounded, so a demo of 100,000 members still loads quickly.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse

from seedbed.accounts.models import MemberRole, User
from seedbed.accounts.models import Role as MemberRoleKind
from seedbed.communities import notifications as kinds
from seedbed.communities.models import (
    COLOURS,
    Community,
    ContentStatus,
    JoinRequest,
    Membership,
    ModerationAction,
    Post,
    Reaction,
    Reply,
    Report,
    Role,
    Visibility,
    hot_score,
)
from seedbed.core.markdown import plain_text, render_markdown
from seedbed.core.models import Sector
from seedbed.core.services import tags_named
from seedbed.demo.accounts import DEMO_DOMAIN, DEMO_MEMBER_EMAIL, DEMO_OPERATOR_EMAIL
from seedbed.notifications.models import Notification
from seedbed.search import text as search_text
from seedbed.search.models import SearchDocument

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
HISTORY_DAYS = 182
BATCH = 1000

# Communities -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    lang: str  # "zh", "en" or "mix"
    sector: str
    tags: tuple[str, ...]
    tagline_zh: str
    tagline_en: str
    visibility: str = Visibility.PUBLIC
    weight: float = 1.0  # how many members it attracts
    liveliness: float = 1.0  # how much its members post
    roles: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    age_days: int = 400
    owner: str = ""  # "operator", "staff" or "" (a member)
    dormant: bool = False
    negative_spike: bool = False


R = MemberRoleKind
PRIVATE, HIDDEN = Visibility.PRIVATE, Visibility.HIDDEN

SPECS: list[Spec] = [
    Spec(
        "seedbed-commons",
        "创业者广场 Seedbed Commons",
        "mix",
        "enterprise-saas",
        ("创业", "founders", "community"),
        "所有成员的公共广场：提问、求助、分享好消息。",
        "The square every member passes through: ask, help, share good news.",
        weight=22,
        liveliness=1.3,
        age_days=700,
        owner="operator",
        topics=("intro", "vendor", "event", "milestone"),
    ),
    Spec(
        "ai-founders-alliance",
        "AI 创业者联盟",
        "zh",
        "ai",
        ("人工智能", "大模型", "创业"),
        "大模型与 AI 应用创业者的交流圈，聊产品、技术、融资与落地。",
        "Founders building with large models and applied AI.",
        weight=10,
        liveliness=1.4,
        age_days=620,
        topics=("tech", "launch", "fundraising"),
    ),
    Spec(
        "fintech-founders-shanghai",
        "Fintech Founders Shanghai",
        "en",
        "fintech",
        ("fintech", "payments", "regulation"),
        "上海金融科技创业者：支付、合规、跨境。",
        "Payments, lending and regtech founders in and around Shanghai.",
        weight=3.5,
        liveliness=1.2,
        age_days=540,
        roles=(R.FOUNDER, R.INVESTOR),
        topics=("regulatory", "fundraising", "hiring"),
        negative_spike=True,
    ),
    Spec(
        "hardtech-investment",
        "硬科技投融资",
        "zh",
        "semiconductors",
        ("硬科技", "融资", "芯片"),
        "硬科技项目与投资人的对接社区：芯片、材料、先进制造。",
        "Where hard-tech founders and investors meet.",
        weight=4,
        liveliness=1.1,
        age_days=480,
        roles=(R.INVESTOR, R.FOUNDER),
        topics=("fundraising", "intro", "milestone"),
    ),
    Spec(
        "climate-tech-builders",
        "Climate Tech Builders",
        "en",
        "cleantech",
        ("climate", "energy", "carbon"),
        "气候科技创业者：储能、碳管理、循环经济。",
        "Storage, carbon accounting, circular economy: builders working on climate.",
        weight=3,
        age_days=450,
        topics=("fundraising", "event", "launch"),
    ),
    Spec(
        "go-global",
        "出海 Go Global",
        "mix",
        "ecommerce",
        ("出海", "cross-border", "跨境电商"),
        "中国团队出海实战：合规、渠道、本地化、招聘。",
        "Chinese teams going abroad (and foreign teams coming in): compliance, channels, hiring.",
        weight=7,
        liveliness=1.2,
        age_days=520,
        topics=("regulatory", "vendor", "intro"),
    ),
    Spec(
        "women-in-deep-tech",
        "Women in Deep Tech",
        "en",
        "hardware",
        ("deep tech", "diversity", "robotics"),
        "深科技领域的女性创业者与工程师互助社区。",
        "Women founders and engineers in deep tech, supporting each other.",
        weight=2,
        liveliness=1.1,
        age_days=380,
        topics=("event", "intro", "hiring"),
    ),
    Spec(
        "campus-startup-camp",
        "高校创业营",
        "zh",
        "edtech",
        ("高校", "学生创业", "教育"),
        "面向在校生与应届生的创业营：找队友、做项目、参加比赛。",
        "For students and recent graduates: find teammates, build, compete.",
        weight=3,
        age_days=600,
        owner="staff",
        roles=(R.TALENT, R.FOUNDER),
        topics=("cofounder", "event", "hiring"),
    ),
    Spec(
        "healthtech-innovators",
        "医疗创新 HealthTech Innovators",
        "mix",
        "healthtech",
        ("healthcare", "医疗健康", "数字医疗"),
        "数字医疗、医疗器械与医疗 AI 创业者。",
        "Digital health, medical devices and clinical AI founders.",
        weight=3,
        age_days=430,
        topics=("regulatory", "launch", "fundraising"),
    ),
    Spec(
        "saas-growth-lab",
        "SaaS Growth Lab",
        "en",
        "enterprise-saas",
        ("saas", "growth", "b2b sales"),
        "SaaS 增长实验室：定价、销售、留存。",
        "Pricing, sales and retention for B2B software.",
        weight=3,
        age_days=500,
        topics=("feedback", "tech", "hiring"),
    ),
    Spec(
        "enterprise-services-zh",
        "企业服务创业者",
        "zh",
        "enterprise-saas",
        ("企业服务", "saas", "销售"),
        "ToB 创业者的经验交流：获客、交付、回款。",
        "B2B founders in China: acquisition, delivery, getting paid.",
        weight=3,
        age_days=560,
        topics=("feedback", "vendor", "frustration"),
    ),
    Spec(
        "fundraising-clinic",
        "融资诊所 Fundraising Clinic",
        "mix",
        "fintech",
        ("融资", "fundraising", "term sheets"),
        "BP 点评、估值讨论、条款解读，投资人在线答疑。",
        "Deck reviews, valuations, term sheets; investors answer questions.",
        weight=8,
        liveliness=1.2,
        age_days=640,
        owner="staff",
        roles=(R.FOUNDER, R.INVESTOR, R.MENTOR),
        topics=("fundraising", "feedback", "intro"),
    ),
    Spec(
        "robotics-makers",
        "机器人与智能硬件",
        "zh",
        "hardware",
        ("机器人", "智能制造", "硬件"),
        "机器人、具身智能与智能硬件创业者。",
        "Robotics, embodied AI and smart hardware founders.",
        weight=2,
        age_days=410,
        topics=("tech", "vendor", "launch"),
    ),
    Spec(
        "chip-design",
        "芯片设计交流群",
        "zh",
        "semiconductors",
        ("芯片", "eda", "半导体"),
        "芯片设计、流片与国产化的技术交流。",
        "Chip design, tape-outs and local supply chains.",
        weight=1.5,
        age_days=390,
        topics=("tech", "vendor", "hiring"),
    ),
    Spec(
        "biotech-bench-to-market",
        "Biotech: Bench to Market",
        "en",
        "biotech",
        ("biotech", "clinical trials", "ip and patents"),
        "生物科技从实验室到市场：临床、知识产权、融资。",
        "From the lab to the market: trials, IP and funding.",
        weight=1.5,
        age_days=360,
        topics=("regulatory", "fundraising", "vendor"),
    ),
    Spec(
        "new-consumer-brands",
        "新消费品牌俱乐部",
        "zh",
        "consumer",
        ("消费升级", "品牌", "私域"),
        "新消费品牌创始人：渠道、私域、供应链与品牌。",
        "Consumer brand founders: channels, community commerce, supply chain.",
        weight=2,
        age_days=470,
        topics=("launch", "vendor", "frustration"),
    ),
    Spec(
        "open-source-founders",
        "Open Source Founders",
        "en",
        "enterprise-saas",
        ("open source", "devtools", "community"),
        "开源商业化：社区、许可证与商业模式。",
        "Commercial open source: community, licences and business models.",
        weight=2,
        age_days=420,
        topics=("tech", "launch", "feedback"),
    ),
    Spec(
        "shenzhen-hardware",
        "深圳硬件创业者",
        "zh",
        "hardware",
        ("深圳", "供应链", "硬件"),
        "在深圳做硬件：打样、工厂、认证与量产。",
        "Building hardware in Shenzhen: prototypes, factories, certification.",
        weight=2,
        age_days=530,
        topics=("vendor", "frustration", "event"),
    ),
    Spec(
        "smart-logistics",
        "智慧物流与供应链",
        "zh",
        "logistics",
        ("物流", "供应链", "数字化"),
        "物流科技与供应链数字化。",
        "Logistics tech and supply-chain software.",
        weight=1,
        age_days=340,
        topics=("vendor", "feedback", "hiring"),
    ),
    Spec(
        "ev-mobility-founders",
        "EV & Mobility Founders",
        "en",
        "mobility",
        ("mobility", "ev", "autonomous driving"),
        "新能源汽车与出行科技创业者。",
        "Electric vehicles, charging and mobility software.",
        weight=1,
        age_days=300,
        topics=("fundraising", "event", "tech"),
    ),
    Spec(
        "agrifood-innovation",
        "农业科技与食品创新 AgriFood",
        "mix",
        "agritech",
        ("农业", "agritech", "food"),
        "智慧农业、替代蛋白与食品科技。",
        "Smart farming, alternative proteins and food tech.",
        weight=1,
        age_days=330,
        topics=("launch", "vendor", "intro"),
    ),
    Spec(
        "indie-game-devs",
        "独立游戏开发者 Indie Game Devs",
        "mix",
        "gaming",
        ("游戏", "indie games", "steam"),
        "独立游戏开发者：发行、出海、众筹。",
        "Indie developers: publishing, Steam, crowdfunding.",
        weight=1.5,
        liveliness=1.1,
        age_days=450,
        topics=("launch", "feedback", "frustration"),
    ),
    Spec(
        "web3-builders",
        "Web3 Builders 区块链",
        "mix",
        "web3",
        ("web3", "区块链", "defi"),
        "区块链基础设施与应用开发者。",
        "Blockchain infrastructure and application builders.",
        weight=1.5,
        age_days=690,
        dormant=True,
        topics=("tech", "fundraising", "event"),
    ),
    Spec(
        "cybersecurity-startups",
        "Cybersecurity Startups",
        "en",
        "cybersecurity",
        ("security", "compliance", "zero trust"),
        "网络安全创业者：合规、零信任、攻防。",
        "Security founders: compliance, zero trust, red teams. Just started — say hello!",
        weight=0.7,
        age_days=20,
        topics=("tech", "intro", "hiring"),
    ),
    Spec(
        "social-impact-ventures",
        "Social Impact Ventures 社会创新",
        "mix",
        "social-impact",
        ("social impact", "社会创新", "esg"),
        "社会创新与影响力投资。",
        "Social enterprises and impact investing.",
        weight=1,
        age_days=500,
        topics=("event", "fundraising", "intro"),
    ),
    Spec(
        "seed-founders-circle",
        "种子轮创始人圈 Seed Founders Circle",
        "mix",
        "ai",
        ("种子轮", "seed", "founders"),
        "种子轮阶段创始人的私密互助圈：说真话，不外传。",
        "A private circle for seed-stage founders: candid, and it stays here.",
        visibility=PRIVATE,
        weight=3,
        liveliness=1.3,
        age_days=300,
        roles=(R.FOUNDER,),
        topics=("fundraising", "frustration", "feedback"),
    ),
    Spec(
        "angel-investors-club",
        "天使投资人俱乐部",
        "zh",
        "fintech",
        ("天使投资", "估值", "投后"),
        "天使投资人的项目分享与投后经验交流（需审核）。",
        "Angel investors share deal flow and portfolio support (by request).",
        visibility=PRIVATE,
        weight=2.5,
        age_days=580,
        owner="staff",
        roles=(R.INVESTOR,),
        topics=("fundraising", "intro", "regulatory"),
    ),
    Spec(
        "ceo-peer-group-sg",
        "CEO Peer Group Singapore",
        "en",
        "enterprise-saas",
        ("leadership", "peer group", "singapore"),
        "新加坡 CEO 同侪小组。",
        "A small peer group of CEOs in Singapore. Ask to join.",
        visibility=PRIVATE,
        weight=1.5,
        age_days=260,
        roles=(R.FOUNDER,),
        topics=("frustration", "hiring", "feedback"),
    ),
    Spec(
        "accelerator-spring-2026",
        "加速营 2026 春季班 Spring Batch",
        "mix",
        "ai",
        ("加速营", "demo day", "batch"),
        "Seedbed 加速营 2026 春季班学员专属空间。",
        "The Seedbed accelerator's spring 2026 batch.",
        visibility=PRIVATE,
        weight=2,
        liveliness=1.3,
        age_days=150,
        owner="staff",
        roles=(R.FOUNDER,),
        topics=("event", "milestone", "feedback"),
    ),
    Spec(
        "mentor-network",
        "导师网络 Mentor Network",
        "mix",
        "social-impact",
        ("mentoring", "导师", "office hours"),
        "导师之间的交流：辅导方法、案例与答疑时间安排。",
        "Mentors compare notes on cases, methods and office hours.",
        visibility=PRIVATE,
        weight=2,
        age_days=490,
        roles=(R.MENTOR,),
        topics=("intro", "event", "feedback"),
    ),
    Spec(
        "operators-lounge",
        "运营者内部群 Operators Lounge",
        "mix",
        "social-impact",
        ("运营", "operations", "programmes"),
        "社区运营团队内部讨论（仅受邀）。",
        "The operating team's back room (invitation only).",
        visibility=HIDDEN,
        weight=0.0,
        age_days=700,
        owner="operator",
        roles=(R.OPERATOR,),
        topics=("event", "feedback"),
    ),
    Spec(
        "portfolio-ceos",
        "Portfolio CEOs 被投企业 CEO 群",
        "mix",
        "fintech",
        ("portfolio", "被投企业", "ceo"),
        "被投企业 CEO 的私密交流群（仅受邀）。",
        "Portfolio company CEOs only (invitation only).",
        visibility=HIDDEN,
        weight=0.4,
        age_days=400,
        roles=(R.FOUNDER,),
        topics=("frustration", "hiring", "milestone"),
    ),
]

DEMO_COMMUNITIES = {  # the demo member's communities and his role there
    "seedbed-commons": Role.MEMBER,
    "ai-founders-alliance": Role.MEMBER,
    "healthtech-innovators": Role.MEMBER,
    "fundraising-clinic": Role.MEMBER,
    "seed-founders-circle": Role.MODERATOR,
}

# Words to fill templates with --------------------------------------------------------------------

CITIES = {
    "zh": ["上海", "北京", "深圳", "杭州", "成都", "广州", "苏州", "南京", "武汉", "西安"],
    "en": [
        "Shanghai",
        "Shenzhen",
        "Singapore",
        "Hong Kong",
        "Berlin",
        "London",
        "San Francisco",
        "Seoul",
        "Tokyo",
        "Beijing",
    ],
}
STAGES = {
    "zh": ["天使轮", "种子轮", "Pre-A 轮", "A 轮", "B 轮"],
    "en": ["pre-seed", "seed", "Series A", "Series B", "bridge"],
}
AMOUNTS = {
    "zh": ["300 万", "500 万", "800 万", "1500 万", "3000 万", "1 亿"],
    "en": ["$300k", "$750k", "$1.5M", "$3M", "$8M", "$12M"],
}
JOBS = {
    "zh": [
        "后端工程师",
        "算法工程师",
        "产品经理",
        "UI 设计师",
        "嵌入式工程师",
        "销售总监",
        "全栈开发",
        "数据分析师",
        "硬件工程师",
        "海外市场经理",
    ],
    "en": [
        "senior backend engineer",
        "machine learning engineer",
        "product designer",
        "growth lead",
        "senior embedded engineer",
        "head of sales",
        "full-stack developer",
        "data scientist",
        "firmware engineer",
        "community manager",
    ],
}
EVENTS = {
    "zh": ["路演日", "创始人晚餐会", "技术沙龙", "投资人面对面", "黑客松", "闭门分享会"],
    "en": [
        "demo day",
        "founder dinner",
        "pitch night",
        "AI meetup",
        "investor office hours",
        "hackathon",
    ],
}
VENDORS = {
    "zh": [
        "律师",
        "财务代账公司",
        "知识产权代理",
        "PCB 打样厂",
        "猎头",
        "云服务代理商",
        "公关公司",
        "报关行",
    ],
    "en": [
        "startup lawyer",
        "accountant",
        "IP attorney",
        "PCB manufacturer",
        "recruiter",
        "cloud reseller",
        "PR agency",
        "customs broker",
    ],
}
INVESTORS = {
    "zh": ["早期基金", "天使投资人", "产业资本", "政府引导基金", "美元基金"],
    "en": ["seed funds", "angels", "corporate VCs", "climate funds", "family offices"],
}
RULES = {
    "zh": [
        "数据出境安全评估",
        "支付牌照",
        "个人信息保护法",
        "医疗器械注册证",
        "ODI 备案",
        "VIE 架构",
        "高新技术企业认定",
        "跨境电商税务",
    ],
    "en": [
        "PIPL data-export rules",
        "a payments licence",
        "GDPR for a China-based team",
        "medical device registration",
        "ODI filing",
        "export controls",
        "the EU AI Act",
        "VAT for cross-border sales",
    ],
}
CUSTOMERS = {
    "zh": ["医院", "中小企业", "工厂", "学校", "连锁门店", "物流公司"],
    "en": [
        "clinics",
        "small businesses",
        "factories",
        "schools",
        "retail chains",
        "logistics firms",
    ],
}
PRODUCT_EN = (
    [
        "Nova",
        "Lumen",
        "Cargo",
        "Ledger",
        "Pulse",
        "Harbor",
        "Kite",
        "Atlas",
        "Sprout",
        "Orbit",
        "Quill",
        "Tidal",
        "Vela",
        "Mosaic",
        "Brisk",
        "Cobalt",
        "Fern",
        "Juniper",
    ],
    ["ly", "io", "AI", "Hub", "Flow", "Desk", "Labs", "Pay", "Ops", "Care", "Grid"],
)
PRODUCT_ZH = (
    ["智", "云", "小", "易", "快", "数", "链", "芯", "绿", "医", "灵", "星"],
    ["诊", "账", "仓", "学", "搭", "策", "行", "农", "安", "配", "测", "译"],
    ["通", "宝", "家", "管家", "助手", "星", "云", "盒"],
)
MONTHS = {
    "zh": [
        "一月",
        "二月",
        "三月",
        "四月",
        "五月",
        "六月",
        "七月",
        "八月",
        "九月",
        "十月",
        "十一月",
        "十二月",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

# Posts: title and body templates per topic, in both languages ----------------------------------

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"


@dataclass(frozen=True)
class Topic:
    mood: str
    tags: dict[str, list[str]]
    titles: dict[str, list[str]]
    bodies: dict[str, list[str]]
    replies: float  # mean number of replies
    reactions: tuple[str, ...] = ("like",)


TOPICS: dict[str, Topic] = {
    "fundraising": Topic(
        NEUTRAL,
        {"zh": ["融资", "估值"], "en": ["fundraising", "valuation"]},
        {
            "zh": [
                "{stage}估值怎么谈比较合理？",
                "{stage}融资，现在市场上大概什么节奏？",
                "第一次融资，{amount}的{stage}该找哪类投资人？",
                "{product}准备启动{stage}，求建议",
                "{city}有没有专投{sector}的{investor}？",
            ],
            "en": [
                "How are you pricing a {stage} round right now?",
                "Raising a {amount} {stage} for {product}: what should we expect?",
                "Which {investor} actually lead {stage} rounds in {sector}?",
                "SAFE or priced round for our {stage}?",
                "Is {amount} too much for a {stage} in {sector}?",
            ],
        },
        {
            "zh": [
                "我们做{sector}方向，服务{customer}，目前月收入刚过 50 万，计划融{amount}。"
                "想请教大家：现在{stage}的估值大概在什么区间？投资人最看重哪些数据？",
                "团队 8 个人，产品已经在{city}几家{customer}落地。准备启动{stage}，"
                "目标{amount}。BP 改了三版，还是不确定故事线对不对。",
            ],
            "en": [
                "We sell {product} to {customer}; revenue is about $40k a month and growing "
                "12% month over month. We plan to raise {amount}. What valuation range are you "
                "seeing for a {stage} in {sector} this quarter, and which metrics do investors "
                "push on?",
                "Team of eight, pilots with three {customer} in {city}. We are about to start "
                "our {stage} ({amount}) and would love a sanity check on the narrative.",
            ],
        },
        2.6,
        ("insightful", "like", "curious"),
    ),
    "intro": Topic(
        NEUTRAL,
        {"zh": ["引荐", "合作"], "en": ["intros", "partnerships"]},
        {
            "zh": [
                "求引荐：{sector}方向的{investor}",
                "有认识{city}{customer}采购负责人的朋友吗？",
                "想认识做{sector}的同行，交流一下",
                "{product}寻找渠道合作伙伴",
            ],
            "en": [
                "Looking for an intro to {investor} in {sector}",
                "Anyone know procurement leads at {customer} in {city}?",
                "Who should I talk to about {sector} partnerships in {city}?",
                "{product} is looking for channel partners",
            ],
        },
        {
            "zh": [
                "我们在做{product}，帮{customer}提效。想认识{sector}方向的{investor}或者潜在客户，"
                "有合适的朋友麻烦帮忙引荐一下，我可以先发一页纸介绍。"
            ],
            "en": [
                "We are building {product} for {customer}. I'd love warm intros to {investor} "
                "or potential design partners in {sector}; happy to send a one-pager first so "
                "you can forward it."
            ],
        },
        1.8,
        ("like", "support"),
    ),
    "hiring": Topic(
        NEUTRAL,
        {"zh": ["招聘"], "en": ["hiring"]},
        {
            "zh": [
                "招聘｜{city}{sector}团队招{job}",
                "{product}招{job}，期权丰厚",
                "内推：我们在招{job}（{city}/远程）",
            ],
            "en": [
                "Hiring: {job} for our {sector} startup in {city}",
                "{product} is hiring a {job} (remote-friendly)",
                "We're looking for a {job} — equity-heavy offer",
            ],
        },
        {
            "zh": [
                "我们是{city}的一家{sector}创业公司，刚完成{stage}融资，正在招{job}。\n\n"
                "要求：\n\n- 3 年以上相关经验\n- 能独立负责一个模块\n- 对{sector}有兴趣\n\n"
                "详情见 https://example.org/jobs ，也可以直接私信我。"
            ],
            "en": [
                "We're a {sector} startup in {city}, just closed our {stage}, and we're hiring a "
                "{job}.\n\nWhat we're looking for:\n\n- 3+ years of relevant experience\n"
                "- comfortable owning a whole area\n- curious about {sector}\n\n"
                "Details: https://example.org/jobs — or DM me."
            ],
        },
        1.0,
        ("like", "celebrate"),
    ),
    "event": Topic(
        POSITIVE,
        {"zh": ["活动", "回顾"], "en": ["events", "recap"]},
        {
            "zh": [
                "活动回顾｜{city}{event}",
                "{month}{event}圆满结束，谢谢大家",
                "{city}{event}的几点收获",
            ],
            "en": [
                "Recap: {event} in {city}",
                "Notes from last week's {event}",
                "Thank you for coming to the {month} {event}",
            ],
        },
        {
            "zh": [
                "感谢大家来参加{city}的{event}！现场来了 60 多位创始人和投资人，气氛很好。"
                "几个收获：\n\n1. 投资人更看重收入质量而不是增长速度\n"
                "2. {sector}的客户决策周期普遍变长\n3. 出海是很多团队的第二曲线\n\n"
                "照片和 PPT 整理在 [这里](https://example.org/events)。"
            ],
            "en": [
                "Thanks to everyone who came to the {event} in {city} — great energy, around "
                "sixty founders and investors. My takeaways:\n\n1. Investors care about revenue "
                "quality more than growth at any cost\n2. Sales cycles in {sector} are getting "
                "longer\n3. Going global is everyone's second act\n\nSlides and photos are "
                "[here](https://example.org/events)."
            ],
        },
        1.2,
        ("celebrate", "like", "insightful"),
    ),
    "launch": Topic(
        POSITIVE,
        {"zh": ["产品发布"], "en": ["launch"]},
        {
            "zh": [
                "{product}正式上线了 🎉",
                "我们的{sector}产品{product}开放内测",
                "{product}新版本发布：支持{customer}场景",
            ],
            "en": [
                "We just launched {product} 🎉",
                "{product} is now in open beta",
                "Launch day: {product} for {customer}",
            ],
        },
        {
            "zh": [
                "做了 9 个月，{product}终于上线了！主要帮{customer}解决{sector}里最繁琐的环节。"
                "特别感谢社区里几位朋友的反馈。欢迎试用：https://example.org/{slug}，"
                "有任何问题都可以留言，我们会认真看。"
            ],
            "en": [
                "After nine months of building, {product} is live! It helps {customer} with the "
                "most tedious part of {sector}. Huge thanks to everyone here who gave feedback "
                "on early versions. Try it at https://example.org/{slug} — we read every "
                "comment."
            ],
        },
        2.0,
        ("celebrate", "like", "support"),
    ),
    "milestone": Topic(
        POSITIVE,
        {"zh": ["好消息", "融资"], "en": ["milestone", "fundraising"]},
        {
            "zh": [
                "好消息：我们完成了{amount}{stage}融资",
                "{product}完成{stage}融资，感谢大家",
                "报喜！{product}的{stage}终于交割了",
            ],
            "en": [
                "We closed our {amount} {stage}!",
                "{product} closed its {stage} 🎉",
                "Good news from {product}: {stage} done",
            ],
        },
        {
            "zh": [
                "终于可以说了：{product}完成{amount}{stage}融资！从第一次在这里发帖问估值，"
                "到现在差不多一年。非常感谢社区里帮忙引荐和看 BP 的朋友们，太开心了。"
            ],
            "en": [
                "Finally allowed to share: {product} closed a {amount} {stage}! A year ago I "
                "asked this group how to price our first round. Thank you all for the intros "
                "and the brutal deck feedback — so grateful and excited for what's next."
            ],
        },
        2.2,
        ("celebrate", "support", "like"),
    ),
    "regulatory": Topic(
        NEUTRAL,
        {"zh": ["合规", "政策"], "en": ["regulation", "compliance"]},
        {
            "zh": [
                "关于{rule}的问题",
                "有人做过{rule}吗？周期多长？",
                "{sector}公司需要{rule}吗？",
            ],
            "en": [
                "Anyone dealt with {rule}?",
                "How long did {rule} take you?",
                "Does a startup in {sector} need {rule}?",
            ],
        },
        {
            "zh": [
                "我们{product}的客户里有不少{customer}，最近被问到{rule}的问题。"
                "想问问做过的朋友：大概需要准备哪些材料？找律师还是自己做？周期多长？"
            ],
            "en": [
                "Several customers (mostly {customer}) asked us about {rule}. For those who have "
                "been through it: what did you need to prepare, did you use a lawyer, and how "
                "long did it take end to end?"
            ],
        },
        2.8,
        ("insightful", "curious", "like"),
    ),
    "vendor": Topic(
        NEUTRAL,
        {"zh": ["求推荐"], "en": ["recommendations"]},
        {
            "zh": [
                "求推荐{city}靠谱的{vendor}",
                "谁认识{city}做创业公司业务的{vendor}？",
                "{vendor}怎么选？{city}有推荐吗",
            ],
            "en": [
                "Who knows a good {vendor} in {city}?",
                "Any recommendations? Looking for a good {vendor} in {city}",
                "Need a good {vendor} who understands startups",
            ],
        },
        {
            "zh": [
                "公司刚成立一年，之前的{vendor}不太靠谱，想换一家。预算有限，希望懂创业公司。"
                "有在{city}用过觉得不错的吗？"
            ],
            "en": [
                "We need a good {vendor} in {city} who has worked with early-stage companies. "
                "Budget is limited; responsiveness matters more than prestige. Who have you "
                "worked with and would hire again?"
            ],
        },
        2.6,
        ("like", "insightful"),
    ),
    "tech": Topic(
        NEUTRAL,
        {"zh": ["技术", "工程"], "en": ["engineering", "tech"]},
        {
            "zh": [
                "大模型应用怎么做评测？",
                "早期 MVP 用什么数据库？{product}的选型纠结",
                "云成本怎么降下来？我们每月账单翻倍了",
                "国产化适配踩坑记录",
            ],
            "en": [
                "How do you run evals for an LLM feature?",
                "Postgres or SQLite for an early MVP?",
                "Cutting our cloud bill in half at {product}",
                "Best way to do i18n in a web app?",
            ],
        },
        {
            "zh": [
                "{product}现在每天几千次调用，想建立一套简单的回归评测，目前这样写：\n\n"
                "```python\nfor case in cases:\n    answer = model(case.prompt)\n"
                "    assert grade(answer, case.expected) > 0.8\n```\n\n"
                "大家是怎么做的？有没有开源工具推荐？"
            ],
            "en": [
                "At {product} we serve a few thousand requests a day and want a simple "
                "regression suite. Right now it's roughly:\n\n```python\nfor case in cases:\n"
                "    answer = model(case.prompt)\n    assert grade(answer, case.expected) > 0.8\n"
                "```\n\nHow do you do it? Any open-source tools you like?"
            ],
        },
        2.4,
        ("insightful", "like", "curious"),
    ),
    "feedback": Topic(
        NEUTRAL,
        {"zh": ["求反馈"], "en": ["feedback"]},
        {
            "zh": [
                "求拍砖：{product}的定价方案",
                "{product}官网改版，求反馈",
                "帮忙看看我们的 BP 第一页",
            ],
            "en": [
                "Feedback wanted on {product}'s pricing page",
                "Roast our landing page: {product}",
                "Would you pay for this? {product} for {customer}",
            ],
        },
        {
            "zh": [
                "我们给{customer}做{product}，现在有三档定价：\n\n- 基础版 ¥99/月\n"
                "- 专业版 ¥399/月\n- 企业版 面议\n\n"
                "感觉中间档没人买，是不是定价有问题？欢迎直接拍砖。"
            ],
            "en": [
                "We sell {product} to {customer} with three tiers:\n\n- Starter $29/mo\n"
                "- Pro $99/mo\n- Enterprise: talk to us\n\nAlmost nobody picks Pro. Is the "
                "middle tier wrong, or the page? Be blunt."
            ],
        },
        2.4,
        ("curious", "insightful", "like"),
    ),
    "cofounder": Topic(
        NEUTRAL,
        {"zh": ["合伙人"], "en": ["co-founder"]},
        {
            "zh": ["寻找技术合伙人：{sector}方向", "{city}找联合创始人（产品/技术）"],
            "en": ["Looking for a technical co-founder in {sector}", "Co-founder search: {city}"],
        },
        {
            "zh": [
                "我之前在大厂做了 6 年{sector}相关业务，现在想做{product}，已经有两家{customer}"
                "愿意试点。想找一位技术合伙人，股份可以谈。"
            ],
            "en": [
                "I spent six years in {sector} sales and I'm now building {product}; two "
                "{customer} have agreed to pilot it. Looking for a technical co-founder — "
                "meaningful equity, of course."
            ],
        },
        1.8,
        ("like", "support"),
    ),
    "frustration": Topic(
        NEGATIVE,
        {"zh": ["复盘", "踩坑"], "en": ["lessons", "vent"]},
        {
            "zh": [
                "融资黄了，复盘一下",
                "被{vendor}坑了，大家避雷",
                "大客户拖欠回款三个月，心累",
                "{stage}谈到最后一步被放鸽子",
                "创业两年，第一次想放弃",
            ],
            "en": [
                "Our {stage} round fell through",
                "Burned by a {vendor} — be careful",
                "A big customer hasn't paid us in 90 days",
                "Term sheet pulled at the last minute",
                "Honestly exhausted after two years of this",
            ],
        },
        {
            "zh": [
                "说出来可能好受一点。{stage}谈了四个月，领投方在签 TS 前一周突然说投委会没过，"
                "理由很含糊。账上只剩 5 个月的钱了，非常失望，也很焦虑。有类似经历的朋友，"
                "后来是怎么处理的？",
                "之前找的{vendor}，合同签了、钱付了，结果交付一拖再拖，质量也很糟糕，"
                "沟通态度更差。太坑了，浪费了我们两个月。大家选{vendor}一定要先看案例。",
                "一家{customer}大客户，验收早就通过了，回款拖了三个月，每次都说在走流程。"
                "我们现金流被压得很紧，工资都快发不出来了，真的很无奈。大家遇到这种情况怎么催款？",
                "TS 都签了，尽调也做完了，{stage}在交割前被投资人放鸽子，理由是市场环境变化。"
                "团队士气很受打击，我也很失望。",
                "创业两年，产品改了三版，收入还是没起来，最近经常失眠，第一次认真想过要不要放弃。"
                "不知道大家是怎么熬过低谷的。",
            ],
            "en": [
                "Venting a little. We spent four months on our {stage}; a week before signing "
                "the lead said their IC passed, with no real reason. We have five months of "
                "runway left. Really disappointed and, honestly, scared. How did you handle "
                "it when this happened to you?",
                "We paid a {vendor} upfront, and delivery slipped again and again; the work was "
                "poor and the communication worse. A terrible experience that cost us two "
                "months. Check references before you sign anything.",
                "One of our biggest customers, a group of {customer}, signed off the project "
                "months ago and still hasn't paid. Every call is 'it's in process'. Payroll is "
                "getting tight and I'm frustrated. How do you chase this without losing them?",
                "Signed term sheet, diligence done, and our {stage} lead walked away a week "
                "before closing, citing 'market conditions'. The team is crushed and so am I.",
                "Two years in, three pivots, revenue still flat. I'm not sleeping well and for "
                "the first time I seriously thought about quitting. How did you get through "
                "the low points?",
            ],
        },
        3.2,
        ("support", "like"),
    ),
}

OPENINGS = {
    NEUTRAL: {
        "zh": ["各位好，", "请教一下：", "大家好，想问个问题。", ""],
        "en": ["Hi all,", "Hey everyone —", "Quick question for the group.", ""],
    },
    POSITIVE: {
        "zh": ["好消息分享一下！", "开心地宣布：", ""],
        "en": ["Some good news!", "Excited to share:", ""],
    },
    NEGATIVE: {
        "zh": ["有点沮丧，", "吐槽一下。", ""],
        "en": ["Not a fun week.", "Frustrated, so bear with me.", ""],
    },
}
CLOSINGS = {
    NEUTRAL: {
        "zh": ["先谢过各位！", "欢迎私信交流。", "有经验的朋友求指点 🙏", ""],
        "en": ["Thanks in advance!", "Any pointers appreciated.", "Happy to share notes.", ""],
    },
    POSITIVE: {
        "zh": ["谢谢大家一路支持！", "欢迎来交流 😄", ""],
        "en": ["Thank you all!", "Would love your feedback.", ""],
    },
    NEGATIVE: {
        "zh": ["谢谢听我吐槽。", "希望大家少踩坑。", ""],
        "en": ["Thanks for listening.", "Hope this saves someone the pain.", ""],
    },
}
MENTION_LINES = {
    "zh": ["@{h} 你之前是不是遇到过类似的情况？", "cc @{h}，想听听你的看法"],
    "en": ["cc @{h} — you've been through this, right?", "@{h} would love your take."],
}

REPLIES = {
    NEUTRAL: {
        "zh": [
            "我们去年也遇到过，建议先把{rule}的材料准备齐，找专业的{vendor}会省很多时间。",
            "同问，蹲一个答案。",
            "可以私信我，我把我们用过的{vendor}推荐给你。",
            "我的经验是先小范围试点，拿到数据再谈，{customer}更容易接受。",
            "{city}这边我认识几个做{sector}的，可以帮你引荐。",
            "估值别太纠结，找到对的领投更重要。",
            "这个问题很好，我们也在想。",
            "推荐看看这篇：https://example.org/guides ，写得很清楚。",
            "我们用的是开源方案，成本低很多，回头整理一下发出来。",
        ],
        "en": [
            "We went through the same last year — get the paperwork ready early and a good "
            "{vendor} will save you weeks.",
            "Following, same question here.",
            "DM me, happy to share the {vendor} we used.",
            "What worked for us: a small paid pilot first, then the big contract. {customer} "
            "like seeing numbers.",
            "I know a few people in {sector} in {city}, can intro.",
            "Don't over-optimise the valuation; the right lead matters more.",
            "Good question, we're wondering the same.",
            "This guide helped us a lot: https://example.org/guides",
            "We use an open-source setup, much cheaper. Will write it up.",
        ],
    },
    POSITIVE: {
        "zh": [
            "恭喜恭喜！🎉",
            "太棒了，实至名归！",
            "恭喜！期待下一步～",
            "厉害，学习了！",
            "谢谢分享，很有收获。",
            "恭喜，{product}做得真不错，我们也在用。",
        ],
        "en": [
            "Congrats! 🎉",
            "Amazing news, well deserved!",
            "Huge congrats, love to see it.",
            "Great write-up, thanks for sharing.",
            "So happy for you and the team!",
            "Congrats — {product} is great, we use it.",
        ],
    },
    NEGATIVE: {
        "zh": [
            "抱抱，我们也经历过，熬过去就好了。",
            "太坑了，能不能私信一下是哪家？我们避一下雷。",
            "别灰心，很多好公司都是在这种时候挺过来的。可以聊聊过桥方案。",
            "理解你的心情。建议先砍成本保现金流，再重新梳理投资人名单。",
            "同样被坑过，真的很糟心。",
            "加油！需要帮忙引荐的话随时说。",
        ],
        "en": [
            "Sorry you're going through this. We had the same and came out fine — hang in there.",
            "That's awful. Can you DM me the name so we avoid them?",
            "Don't lose heart; plenty of great companies had a round collapse. Happy to talk "
            "bridge options.",
            "Been there. Cut burn first, then rebuild the pipeline.",
            "Same experience here, it was terrible.",
            "Rooting for you. Ping me if an intro would help.",
        ],
    },
}
TOPIC_REPLIES = {
    "fundraising": {
        "zh": [
            "{stage}现在看团队和收入质量，估值别定太高，后面不好接。",
            "建议先找两三家{investor}摸一下反馈，再定节奏。",
            "我们上一轮用了三个月，TS 到交割又花了六周，现金流要留足。",
            "BP 第一页就把核心数据放出来，投资人只看前三页。",
        ],
        "en": [
            "For a {stage} right now, investors push hardest on retention and revenue quality.",
            "Talk to two or three {investor} first to calibrate, then run a tight process.",
            "Our last round took three months, plus six weeks from term sheet to close. "
            "Keep runway for that.",
            "Put your best metric on slide one. Nobody reads past slide three.",
        ],
    },
    "tech": {
        "zh": [
            "我们用一套固定的测试集加人工抽检，每次发版前跑一遍。",
            "早期直接用 PostgreSQL，省心，后面也不用迁移。",
            "云账单先看存储和出网流量，通常是大头。",
            "可以看看开源的评测框架，文档在 https://example.org/evals",
        ],
        "en": [
            "We keep a fixed eval set plus weekly human spot checks; it catches most regressions.",
            "Start with Postgres. Boring, and you won't have to migrate.",
            "Check storage and egress first, that's usually where the money goes.",
            "There's a decent open-source eval harness, notes at https://example.org/evals",
        ],
    },
    "vendor": {
        "zh": [
            "推荐我们合作的{vendor}，响应快，价格也合理，私信你联系方式。",
            "{city}这边我用过两家{vendor}，一家很好，一家很差，私聊。",
            "找{vendor}一定要先要案例和报价单，别先付全款。",
        ],
        "en": [
            "Our {vendor} in {city} has been great: fast and fairly priced. DM'd you.",
            "Used two in {city}: one excellent, one awful. Happy to share names privately.",
            "Ask any {vendor} for startup references and never pay everything upfront.",
        ],
    },
    "regulatory": {
        "zh": [
            "我们做{rule}大概花了两个多月，材料准备占一半时间。",
            "这个最好找专业律所，自己做容易反复补材料。",
            "政策最近有调整，注意看最新的官方解读。",
        ],
        "en": [
            "{rule} took us a bit over two months; half of it was preparing documents.",
            "Get a specialist lawyer for this, doing it yourself means endless back-and-forth.",
            "The rules changed recently, check the latest official guidance.",
        ],
    },
    "hiring": {
        "zh": ["已转发给朋友，{city}这边挺多合适的人选。", "薪资范围可以写出来，回复率会高很多。"],
        "en": [
            "Shared with a friend in {city} who might fit.",
            "Post the salary range — you'll get far more replies.",
        ],
    },
    "feedback": {
        "zh": [
            "中间档的差异点不够明显，建议把最受欢迎的功能放进专业版。",
            "首页第一屏看不出你们解决什么问题。",
        ],
        "en": [
            "The middle tier doesn't look different enough; move your most-used feature into Pro.",
            "Above the fold I can't tell what problem you solve.",
        ],
    },
}
DISAGREE = {
    "zh": ["说实话我不太同意，我们用过的{vendor}体验很差。", "这个思路有风险，慎重。"],
    "en": [
        "Honestly I disagree — our experience with a {vendor} was bad.",
        "I'd be careful with this; it backfired for us.",
    ],
}


# Members, as the loader sees them ---------------------------------------------------------------


@dataclass
class _Member:
    pk: int
    handle: str
    langs: frozenset[str]
    joined: datetime
    staff: bool
    sectors: set[str] = field(default_factory=set)
    interests: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    activity: float = 0.0
    start: datetime = field(init=False)  # when the member is active, set by _assign_activity
    end: datetime = field(init=False)

    def speaks(self, lang: str) -> bool:
        return lang == "mix" or lang in self.langs


def _load_members(now: datetime) -> list[_Member]:
    rows = (
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
        .order_by("pk")
        .values_list("pk", "handle", "email", "languages", "date_joined", "is_staff")
    )
    members, by_pk = [], {}
    for pk, handle, email, languages, joined, staff in rows:
        if email in (DEMO_MEMBER_EMAIL, DEMO_OPERATOR_EMAIL):
            # The fixed accounts are made "now"; in the story they have been here a while.
            joined = min(joined, now - 420 * DAY)
        m = _Member(pk, handle, frozenset(languages or ["en"]), joined, staff)
        members.append(m)
        by_pk[pk] = m
    for pk, slug in User.sectors.through.objects.values_list("user_id", "sector__slug"):
        if pk in by_pk:
            by_pk[pk].sectors.add(slug)
    for pk, name in User.interests.through.objects.values_list("user_id", "tag__name"):
        if pk in by_pk:
            by_pk[pk].interests.add(name)
    for pk, role in MemberRole.objects.values_list("user_id", "role"):
        if pk in by_pk:
            by_pk[pk].roles.add(role)
    return members


def _assign_activity(rng: random.Random, members: list[_Member], now: datetime) -> None:
    """Heavy-tailed activity: many quiet members, a few very active ones, and some who were
    active and stopped two to four months ago."""
    history = now - HISTORY_DAYS * DAY
    for m in members:
        r = rng.random()
        if r < 0.42:
            m.activity = 0.02
        elif r < 0.96:
            m.activity = min(rng.paretovariate(1.2), 40.0)
        else:
            m.activity = rng.uniform(15, 45)
        m.start = max(m.joined + HOUR, history)
        m.end = now - timedelta(minutes=10)
        if m.activity >= 1 and m.joined < now - 160 * DAY and rng.random() < 0.18:
            m.end = now - rng.uniform(62, 125) * DAY
    fixed = {m.handle: m for m in members if m.handle in ("demo", "operator")}
    if "demo" in fixed:
        fixed["demo"].activity, fixed["demo"].end = 1.5, now - timedelta(minutes=10)
    if "operator" in fixed:
        fixed["operator"].activity, fixed["operator"].end = 5.0, now - timedelta(minutes=5)


# Memberships ------------------------------------------------------------------------------------


def _affinity(spec: Spec, m: _Member, tags: set[str]) -> float:
    if spec.visibility == HIDDEN or spec.weight <= 0:
        return 0.0
    if spec.lang == "mix":
        score = 1.0
    elif spec.lang in m.langs:
        score = 1.2
    else:
        score = 0.04
    if spec.sector in m.sectors:
        score *= 5
    if tags & m.interests:
        score *= 3
    if spec.roles and m.roles.intersection(spec.roles):
        score *= 2.5
    if spec.visibility == PRIVATE:
        score *= 0.6
    return score * spec.weight


def _memberships(
    rng: random.Random, members: list[_Member], now: datetime, created: list[datetime]
) -> list[dict[int, datetime]]:
    """Who is in which community (member index → joined_at), by language, sector, interests
    and roles; how many communities a member joins is heavy-tailed too."""
    tag_sets = [set(s.tags) for s in SPECS]
    joined: list[dict[int, datetime]] = [{} for _ in SPECS]
    indices = range(len(SPECS))
    for i, m in enumerate(members):
        if m.handle in ("demo", "operator"):
            continue
        weights = [_affinity(s, m, tag_sets[c]) for c, s in enumerate(SPECS)]
        r = rng.random()
        k = 0 if r < 0.08 else 1 + int(rng.expovariate(0.55)) + int(m.activity**0.5 / 2)
        k = min(k, 12)
        chosen: set[int] = set()
        for _ in range(k * 3):
            if len(chosen) >= k:
                break
            chosen.add(rng.choices(indices, weights)[0])
        for c in sorted(chosen):
            joined[c][i] = _joined_at(rng, m, created[c], now, early=SPECS[c].dormant)
    smallest = min(6, len(members) // 10)
    for c, spec in enumerate(SPECS):
        if spec.visibility == HIDDEN or len(joined[c]) >= smallest:
            continue
        speakers = [
            i
            for i, m in enumerate(members)
            if m.speaks(spec.lang) and m.handle not in ("demo", "operator") and i not in joined[c]
        ]
        for i in rng.sample(speakers, k=min(len(speakers), smallest - len(joined[c]))):
            joined[c][i] = _joined_at(rng, members[i], created[c], now)
    by_handle = {m.handle: i for i, m in enumerate(members)}
    demo, operator = by_handle.get("demo"), by_handle.get("operator")
    staff = [i for i, m in enumerate(members) if m.staff]
    for c, spec in enumerate(SPECS):
        if demo is not None and spec.slug in DEMO_COMMUNITIES:
            joined[c][demo] = _joined_at(rng, members[demo], created[c], now)
        if operator is not None and (spec.owner == "operator" or spec.slug == "fundraising-clinic"):
            joined[c][operator] = _joined_at(rng, members[operator], created[c], now)
        if spec.visibility == HIDDEN and spec.roles == (R.OPERATOR,):
            for i in staff:
                joined[c][i] = _joined_at(rng, members[i], created[c], now)
        elif spec.visibility == HIDDEN:
            invited = [
                i
                for i, m in enumerate(members)
                if m.roles & set(spec.roles)
                and m.activity >= 1
                and m.handle not in ("demo", "operator")
            ]
            for i in rng.sample(invited, k=min(len(invited), max(6, len(members) // 40))):
                joined[c][i] = _joined_at(rng, members[i], created[c], now)
    return joined


def _joined_at(
    rng: random.Random, m: _Member, created: datetime, now: datetime, early: bool = False
) -> datetime:
    base = max(m.joined, created) + HOUR
    return base + (now - base) * (rng.random() ** 3) * (0.1 if early else 0.5)


def _pick_leaders(
    rng, spec: Spec, c: int, members, joined, created: datetime, now
) -> tuple[int, list[int]]:
    """An owner (an operator for a few communities) and one to three moderators."""
    inside = sorted(joined[c])
    by_handle = {m.handle: i for i, m in enumerate(members)}
    staff = [i for i, m in enumerate(members) if m.staff and m.handle != "operator"]
    if spec.owner == "operator" and "operator" in by_handle:
        owner = by_handle["operator"]
    elif spec.owner == "staff" and staff:
        owner = staff[c % len(staff)]
    else:
        early = [i for i in inside if members[i].joined < created and members[i].handle != "demo"]
        fits = [
            i
            for i in early
            if members[i].speaks(spec.lang)
            and members[i].roles & {R.FOUNDER, R.MENTOR, R.INVESTOR, R.OPERATOR}
        ]
        active = [i for i in fits if members[i].activity >= 1]
        owner = rng.choice(active or fits or early or inside or range(len(members)))
    want = 1 if len(inside) < 15 else (2 if len(inside) < 60 else 3)
    active = [
        i
        for i in inside
        if i != owner
        and members[i].activity >= 1
        and members[i].handle != "demo"
        and members[i].end > now - 30 * DAY
    ]
    moderators = rng.sample(active, k=min(want, len(active)))
    if spec.slug in DEMO_COMMUNITIES and DEMO_COMMUNITIES[spec.slug] == Role.MODERATOR:
        demo = by_handle.get("demo")
        if demo is not None and demo not in moderators:
            moderators.append(demo)
    return owner, moderators


# Text ------------------------------------------------------------------------------------------


class _Writer:
    """Fills the templates; every choice comes from the loader's rng."""

    def __init__(self, rng: random.Random, sectors: dict[str, Sector], now: datetime):
        self.rng = rng
        self.sectors = sectors
        self.now = now

    def product(self, lang: str) -> str:
        r = self.rng
        if lang == "zh":
            a, b, c = PRODUCT_ZH
            return r.choice(a) + r.choice(b) + r.choice(c)
        a, b = PRODUCT_EN
        return r.choice(a) + r.choice(b)

    def names(self, lang: str, spec: Spec, when: datetime) -> dict[str, str]:
        r = self.rng
        sector = self.sectors.get(spec.sector)
        return {
            "sector": (sector.name_zh if lang == "zh" else sector.name_en.lower())
            if sector
            else "",
            "city": r.choice(CITIES[lang]),
            "stage": r.choice(STAGES[lang]),
            "amount": r.choice(AMOUNTS[lang]),
            "job": r.choice(JOBS[lang]),
            "event": r.choice(EVENTS[lang]),
            "vendor": r.choice(VENDORS[lang]),
            "investor": r.choice(INVESTORS[lang]),
            "rule": r.choice(RULES[lang]),
            "customer": r.choice(CUSTOMERS[lang]),
            "product": self.product(lang),
            "month": MONTHS[lang][when.month - 1],
            "slug": spec.slug,
        }

    def fill(
        self,
        template: str,
        lang: str,
        spec: Spec,
        when: datetime,
        names: dict[str, str] | None = None,
    ) -> str:
        fresh = self.names(lang, spec, when)
        if names and names.get("lang") == lang:
            fresh.update(names)
        return template.format(**fresh)

    def post(
        self, topic: Topic, lang: str, spec: Spec, when: datetime, mention: str | None
    ) -> tuple[str, str, dict[str, str]]:
        """Title and body share their slot values, so the product in the title is the one
        the body talks about."""
        r = self.rng
        names = {**self.names(lang, spec, when), "lang": lang}
        j = r.randrange(len(topic.titles[lang]))
        title = topic.titles[lang][j].format(**names)
        bodies = topic.bodies[lang]
        body = bodies[j] if len(bodies) == len(topic.titles[lang]) else r.choice(bodies)
        parts = [r.choice(OPENINGS[topic.mood][lang]), body.format(**names)]
        if mention:
            parts.append(r.choice(MENTION_LINES[lang]).format(h=mention))
        parts.append(r.choice(CLOSINGS[topic.mood][lang]))
        return title, "\n\n".join(p for p in parts if p), names

    def reply(
        self,
        mood: str,
        lang: str,
        spec: Spec,
        when: datetime,
        mention: str | None,
        names: dict[str, str],
        topic: str = "",
    ) -> str:
        r = self.rng
        if topic in TOPIC_REPLIES and r.random() < 0.6:
            text = r.choice(TOPIC_REPLIES[topic][lang])
        elif mood == NEUTRAL and r.random() < 0.06:
            text = r.choice(DISAGREE[lang])
        elif mood != NEUTRAL and r.random() < 0.25:
            text = r.choice(REPLIES[NEUTRAL][lang])
        else:
            text = r.choice(REPLIES[mood][lang])
        text = self.fill(
            text,
            lang,
            spec,
            when,
            names,
        )
        if mention:
            text = f"@{mention} {text}"
        return text


def _description(spec: Spec) -> str:
    zh = (
        f"{spec.tagline_zh}\n\n**我们聊什么：**\n\n"
        + "".join(f"- {t}\n" for t in spec.tags)
        + "\n社区公约：友善、具体、不发广告。详见 [社区指南](https://example.org/guidelines)。"
    )
    en = (
        f"{spec.tagline_en}\n\n**What we talk about:**\n\n"
        + "".join(f"- {t}\n" for t in spec.tags)
        + "\nBe kind, be specific, no spam. See the "
        "[community guidelines](https://example.org/guidelines)."
    )
    return {"zh": zh, "en": en}.get(spec.lang, f"{zh}\n\n---\n\n{en}")


WELCOME = {
    "zh": (
        "欢迎来到{name}｜新人请先读这里",
        "欢迎加入！这里是{tagline}\n\n发帖前请看看：\n\n1. 先做个自我介绍\n"
        "2. 提问时尽量具体：阶段、行业、遇到的问题\n3. 不发广告，招聘帖请带上 #招聘 标签\n\n"
        "有任何建议可以直接 @{owner}。",
    ),
    "en": (
        "Welcome to {name} — start here",
        "Welcome! {tagline}\n\nBefore posting:\n\n1. Introduce yourself in the intros "
        "thread\n2. Be specific when asking: stage, sector, what you tried\n"
        "3. No spam; job posts get the *hiring* tag\n\nSuggestions? Ping @{owner}.",
    ),
}
INTROS = {
    "zh": (
        "{month}自我介绍帖：你在做什么？",
        "新朋友越来越多，开个帖子大家互相认识一下。格式参考：\n\n- 名字 / 城市\n"
        "- 在做什么\n- 需要什么帮助\n- 能提供什么帮助",
    ),
    "en": (
        "{month} intros thread: what are you building?",
        "Lots of new faces — say hello below:\n\n- name / city\n- what you're building\n"
        "- what you need\n- how you can help others",
    ),
}
INTRO_REPLIES = {
    "zh": [
        "大家好，我在{city}做{product}，服务{customer}，正在找{job}。",
        "你好！{city}，{sector}方向创业第二年，欢迎交流。",
        "我是投资人，关注{sector}，{city}，欢迎发 BP。",
    ],
    "en": [
        "Hi! Based in {city}, building {product} for {customer}. Looking for a {job}.",
        "Hello from {city} — second year running a {sector} startup, happy to help.",
        "Investor here, focused on {sector}, based in {city}. Send decks my way.",
    ],
}
SPAM = {
    "zh": ("加微信领取融资秘籍，包过！", "100 家投资人名单打包出售，保证拿到 TS，加微信 xx-1234。"),
    "en": (
        "Guaranteed investor list — DM me",
        "Selling a list of 500 VCs who WILL fund you. Limited offer, DM now.",
    ),
}
REPORT_REASONS = [
    "Spam / 广告",
    "广告，和社区无关",
    "Off-topic and rude",
    "人身攻击",
    "Looks like a scam",
]


# The loader -------------------------------------------------------------------------------------


@dataclass
class _PostDraft:
    c: int
    author: int
    title: str
    body: str
    lang: str
    mood: str
    topic: str
    tags: list[str]
    created: datetime
    pinned: bool = False
    status: str = ContentStatus.VISIBLE
    names: dict[str, str] = field(default_factory=dict)
    mentions: list[int] = field(default_factory=list)
    replies: list[_ReplyDraft] = field(default_factory=list)
    reactors: list[tuple[int, str, datetime]] = field(default_factory=list)


@dataclass
class _ReplyDraft:
    author: int
    body: str
    created: datetime
    status: str = ContentStatus.VISIBLE
    mentions: list[int] = field(default_factory=list)
    reactors: list[tuple[int, str, datetime]] = field(default_factory=list)


class _Community:
    """A community's members with their activity weights, for sampling who speaks when."""

    def __init__(
        self,
        c: int,
        spec: Spec,
        created: datetime,
        joined: dict[int, datetime],
        members: list[_Member],
    ):
        self.c, self.spec, self.created = c, spec, created
        self.joined = joined
        self.inside = sorted(joined)
        self.cum: list[float] = []
        total = 0.0
        for i in self.inside:
            total += members[i].activity
            self.cum.append(total)
        self.cum_react: list[float] = []
        total = 0.0
        for i in self.inside:
            total += 0.3 + members[i].activity
            self.cum_react.append(total)


def load_communities(rng: random.Random, now: datetime) -> dict:
    """Create the demo's communities and six months of their life. Returns counts by kind."""
    members = _load_members(now)
    if not members:
        return {"communities": 0, "posts": 0, "replies": 0, "reactions": 0}
    _assign_activity(rng, members, now)
    sectors = {s.slug: s for s in Sector.objects.all()}
    writer = _Writer(rng, sectors, now)
    by_handle = {m.handle: i for i, m in enumerate(members)}

    created = [now - spec.age_days * DAY - rng.uniform(0, 20) * HOUR for spec in SPECS]
    joined = _memberships(rng, members, now, created)
    leaders = []
    for c, spec in enumerate(SPECS):
        owner, moderators = _pick_leaders(rng, spec, c, members, joined, created[c], now)
        created[c] = max(created[c], members[owner].joined + DAY)
        for i in (owner, *moderators):
            joined[c].setdefault(i, _joined_at(rng, members[i], created[c], now))
        joined[c][owner] = created[c]
        leaders.append((owner, moderators))

    slugs = _free_slugs([spec.slug for spec in SPECS])
    communities = [
        Community(
            name=spec.name,
            slug=slugs[c],
            description=_description(spec),
            description_html=render_markdown(_description(spec)),
            sector=sectors.get(spec.sector),
            colour=COLOURS[c % len(COLOURS)],
            visibility=spec.visibility,
            created_by_id=members[leaders[c][0]].pk,
            created_at=created[c],
        )
        for c, spec in enumerate(SPECS)
    ]
    Community.objects.bulk_create(communities)
    tag_names = {t for s in SPECS for t in s.tags}
    tag_names |= {t for topic in TOPICS.values() for ts in topic.tags.values() for t in ts}
    tag_names |= {"招聘", "hiring", "welcome", "欢迎", "intros", "自我介绍"}
    tags = {t.name: t for t in tags_named(sorted(tag_names))}
    Community.tags.through.objects.bulk_create(
        [
            Community.tags.through(community_id=community.pk, tag_id=tags[t.casefold()].pk)
            for community, spec in zip(communities, SPECS, strict=True)
            for t in spec.tags
        ]
    )

    membership_rows = []
    for c, community in enumerate(communities):
        owner, moderators = leaders[c]
        for i, when in sorted(joined[c].items()):
            role = (
                Role.OWNER if i == owner else (Role.MODERATOR if i in moderators else Role.MEMBER)
            )
            membership_rows.append(
                Membership(
                    community_id=community.pk, user_id=members[i].pk, role=role, joined_at=when
                )
            )
    Membership.objects.bulk_create(membership_rows, batch_size=BATCH)

    views = [_Community(c, spec, created[c], joined[c], members) for c, spec in enumerate(SPECS)]
    drafts = _write_posts(rng, writer, members, views, leaders, by_handle, now)
    counts = _save_content(rng, drafts, communities, members, tags, now)
    counts["join_requests"] = _join_requests(rng, members, views, communities, leaders, now)
    _index_communities(communities)
    counts["communities"] = len(communities)
    counts["memberships"] = len(membership_rows)
    return counts


def _free_slugs(wanted: list[str]) -> list[str]:
    """The demo's addresses, or numbered ones where a community (one a member made, or one
    left behind by an earlier demo whose members were deleted) already has the address."""
    taken = set(
        Community.objects.filter(
            slug__regex=r"^(" + "|".join(wanted) + r")(-[0-9]+)?$"
        ).values_list("slug", flat=True)
    )
    out = []
    for slug in wanted:
        free, n = slug, 2
        while free in taken:
            free, n = f"{slug}-{n}", n + 1
        taken.add(free)
        out.append(free)
    return out


def _post_budget(member_count: int) -> int:
    return min(3600, 800 + member_count // 6, 300 + 3 * member_count)


def _write_posts(
    rng, writer: _Writer, members, views: list[_Community], leaders, by_handle, now
) -> list[_PostDraft]:
    budget = _post_budget(len(members))
    shares = [v.spec.liveliness * (max(len(v.inside), 1) ** 0.75) for v in views]
    total = sum(shares)
    drafts: list[_PostDraft] = []
    for v, share in zip(views, shares, strict=True):
        owner, moderators = leaders[v.c]
        drafts += _pinned_posts(rng, writer, members, v, owner, moderators, now)
        quota = max(4, round(budget * share / total))
        for _ in range(quota):
            draft = _one_post(rng, writer, members, v, now)
            if draft is not None:
                drafts.append(draft)
    demo = by_handle.get("demo")
    if demo is not None:
        drafts += _demo_posts(rng, writer, members, views, demo, now)
    drafts += _spam_posts(rng, writer, members, views, now)
    for d in drafts:
        _add_replies(rng, writer, members, views[d.c], d, now)
        _add_reactions(rng, members, views[d.c], d, now)
    return drafts


def _window(m: _Member, v: _Community, i: int) -> tuple[datetime, datetime]:
    return max(m.start, v.joined[i], v.created), m.end


def _when(rng: random.Random, lo: datetime, hi: datetime, v: _Community, now: datetime):
    """A moment in [lo, hi], later more likely (the community grows); a dormant community's
    talk bunches up months ago."""
    u = rng.random()
    if v.spec.dormant:
        if rng.random() < 0.9 and lo < now - 95 * DAY:
            hi = min(hi, now - 95 * DAY)
        f = u**1.4
    else:
        f = u**0.75
    if hi <= lo:
        return None
    return lo + (hi - lo) * f


def _language(rng: random.Random, m: _Member, spec: Spec) -> str:
    if spec.lang in ("zh", "en"):
        if spec.lang in m.langs:
            return spec.lang
        return next(iter(sorted(m.langs)))
    if len(m.langs) > 1:
        return rng.choice(["zh", "en"])
    return next(iter(m.langs))


def _sample(rng: random.Random, v: _Community, cum: list[float]) -> int | None:
    if not v.inside or cum[-1] <= 0:
        return None
    return rng.choices(v.inside, cum_weights=cum)[0]


def _pick_topic(rng: random.Random, v: _Community, when: datetime, now: datetime) -> str:
    if v.spec.negative_spike and when > now - 16 * DAY and rng.random() < 0.55:
        return rng.choice(["frustration", "regulatory"])
    names = list(TOPICS)
    weights = [4.0 if n in v.spec.topics else 1.0 for n in names]
    weights[names.index("frustration")] *= 0.7
    return rng.choices(names, weights)[0]


def _one_post(rng, writer: _Writer, members, v: _Community, now) -> _PostDraft | None:
    for _ in range(8):
        i = _sample(rng, v, v.cum)
        if i is None:
            return None
        m = members[i]
        lo, hi = _window(m, v, i)
        when = _when(rng, lo, hi, v, now)
        if when is not None:
            break
    else:
        return None
    topic_name = _pick_topic(rng, v, when, now)
    topic = TOPICS[topic_name]
    lang = _language(rng, m, v.spec)
    mention = None
    if rng.random() < 0.08:
        j = _sample(rng, v, v.cum)
        if j is not None and j != i:
            mention = j
    title, body, names = writer.post(
        topic, lang, v.spec, when, members[mention].handle if mention is not None else None
    )
    mood = topic.mood
    if v.spec.negative_spike and when > now - 16 * DAY and topic_name == "regulatory":
        worry = (
            "这次监管收紧让我们非常被动，两个大客户都暂停了合作，很焦虑。"
            if lang == "zh"
            else "This crackdown has been brutal for us — two key customers paused and we're "
            "worried."
        )
        head, _sep, tail = body.rpartition("\n\n")
        body = f"{head}\n\n{worry}\n\n{tail}" if head else f"{body}\n\n{worry}"
        mood = NEGATIVE
    chosen_tags = [*topic.tags[lang][: 1 + (rng.random() < 0.5)]]
    if rng.random() < 0.5:
        chosen_tags.append(rng.choice(v.spec.tags))
    return _PostDraft(
        v.c,
        i,
        title,
        body,
        lang,
        mood,
        topic_name,
        list(dict.fromkeys(t.casefold() for t in chosen_tags)),
        when,
        names=names,
        mentions=[mention] if mention is not None else [],
    )


def _pinned_posts(rng, writer, members, v: _Community, owner, moderators, now):
    spec = v.spec
    lang = "zh" if spec.lang == "zh" else "en"
    if spec.lang == "mix" and "zh" in members[owner].langs:
        lang = "zh"
    start = max(v.created, now - (HISTORY_DAYS - 2) * DAY) + rng.uniform(1, 30) * HOUR
    title, body = WELCOME[lang]
    tagline = spec.tagline_zh if lang == "zh" else spec.tagline_en
    welcome = _PostDraft(
        v.c,
        owner,
        title.format(name=spec.name),
        body.format(tagline=tagline, owner=members[owner].handle),
        lang,
        POSITIVE,
        "welcome",
        ["欢迎" if lang == "zh" else "welcome"],
        start,
        pinned=True,
    )
    author = moderators[0] if moderators else owner
    when = max(now - rng.uniform(18, 28) * DAY, v.joined[author] + HOUR, start + HOUR)
    if spec.dormant:
        when = max(start + HOUR, now - rng.uniform(120, 150) * DAY)
    title, body = INTROS[lang]
    month = MONTHS[lang][when.month - 1]
    intros = _PostDraft(
        v.c,
        author,
        title.format(month=month) + f" · {spec.name}",
        body,
        lang,
        NEUTRAL,
        "intros",
        ["自我介绍" if lang == "zh" else "intros"],
        min(when, now - HOUR),
        pinned=True,
    )
    return [welcome, intros]


def _demo_posts(rng, writer, members, views, demo, now) -> list[_PostDraft]:
    """Two recent posts by the demo member, so his notifications have something in them."""
    out = []
    for slug, topic_name, age in (
        ("seed-founders-circle", "feedback", 3.2),
        ("ai-founders-alliance", "launch", 9.5),
    ):
        v = next(v for v in views if v.spec.slug == slug)
        when = now - age * DAY
        lang = "zh" if v.spec.lang == "zh" else "en"
        title, body, names = writer.post(TOPICS[topic_name], lang, v.spec, when, None)
        out.append(
            _PostDraft(
                v.c,
                demo,
                title,
                body,
                lang,
                TOPICS[topic_name].mood,
                topic_name,
                list(TOPICS[topic_name].tags[lang][:1]),
                when,
                names=names,
            )
        )
    return out


def _spam_posts(rng, writer, members, views, now) -> list[_PostDraft]:
    """Spam for the moderation queue: one still visible and reported, one already hidden."""
    out = []
    for slug, status, age in (
        ("seedbed-commons", ContentStatus.VISIBLE, 1.5),
        ("ai-founders-alliance", ContentStatus.HIDDEN, 12),
        ("seed-founders-circle", ContentStatus.VISIBLE, 2.5),
    ):
        v = next(v for v in views if v.spec.slug == slug)
        quiet = [
            i
            for i in v.inside
            if members[i].activity < 1
            and members[i].end > now - DAY
            and v.joined[i] < now - age * DAY
        ]
        if not quiet:
            continue
        i = rng.choice(quiet)
        lang = "zh" if "zh" in members[i].langs else "en"
        title, body = SPAM[lang]
        out.append(
            _PostDraft(
                v.c, i, title, body, lang, NEUTRAL, "spam", [], now - age * DAY, status=status
            )
        )
    return out


def _add_replies(rng, writer: _Writer, members, v: _Community, d: _PostDraft, now) -> None:
    if d.topic == "spam":
        return
    mean = {"welcome": 3.0, "intros": 7.0}.get(d.topic) or TOPICS[d.topic].replies
    mean *= min(1.0, max(0.5, (len(v.inside) / 25) ** 0.3)) * v.spec.liveliness
    n = min(int(rng.expovariate(1 / mean) + 0.5), 30)
    if d.author == _demo_index(members) and d.created > now - 12 * DAY:
        n = max(n, 5)  # the demo member finds answers waiting
    t = d.created
    for _ in range(n):
        t = t + timedelta(hours=rng.expovariate(1 / 9)) + timedelta(minutes=rng.uniform(3, 60))
        if t >= now:
            break
        for _try in range(6):
            i = _sample(rng, v, v.cum_react if rng.random() < 0.3 else v.cum)
            if i is None:
                return
            lo, hi = _window(members[i], v, i)
            previous = d.replies[-1].author if d.replies else None
            if lo <= t <= hi and i not in (d.author, previous):
                break
        else:
            continue
        lang = d.lang if members[i].speaks(d.lang) else _language(rng, members[i], v.spec)
        mention = None
        if rng.random() < 0.1 and d.author != i:
            mention = d.author
        if d.topic == "intros":
            body = writer.fill(rng.choice(INTRO_REPLIES[lang]), lang, v.spec, t)
        else:
            body = writer.reply(
                d.mood,
                lang,
                v.spec,
                t,
                members[mention].handle if mention is not None else None,
                d.names,
                d.topic,
            )
        d.replies.append(_ReplyDraft(i, body, t, mentions=[mention] if mention is not None else []))
    if d.replies and rng.random() < 0.02:
        d.replies[-1].status = ContentStatus.HIDDEN


def _demo_index(members) -> int | None:
    for i, m in enumerate(members):
        if m.handle == "demo":
            return i
    return None


REACTIONS_BY_MOOD = {
    POSITIVE: (["celebrate", "like", "support", "insightful"], [5, 4, 2, 1]),
    NEUTRAL: (["like", "insightful", "curious", "support"], [5, 3, 2, 1]),
    NEGATIVE: (["support", "like", "curious"], [6, 2, 1]),
}


def _reactors(rng, members, v: _Community, author: int, since: datetime, k: int, now):
    seen: set[int] = {author}
    out: list[tuple[int, datetime]] = []
    for _ in range(k * 3):
        if len(out) >= k:
            break
        i = _sample(rng, v, v.cum_react)
        if i is None or i in seen:
            continue
        t = since + timedelta(hours=rng.expovariate(1 / 14))
        lo, hi = _window(members[i], v, i)
        if not (lo <= t <= hi and t < now):
            continue
        seen.add(i)
        out.append((i, t))
    return out


def _add_reactions(rng, members, v: _Community, d: _PostDraft, now) -> None:
    if d.topic == "spam":
        return
    size = min(1.3, (len(v.inside) / 25) ** 0.35) if v.inside else 0
    k = int((rng.paretovariate(1.5) - 1) * 1.8 * size + (1.5 if d.mood == POSITIVE else 0))
    k = min(k, 60, max(len(v.inside) - 1, 0))
    kinds, weights = REACTIONS_BY_MOOD[d.mood]
    for i, t in _reactors(rng, members, v, d.author, d.created, k, now):
        d.reactors.append((i, rng.choices(kinds, weights)[0], t))
    for reply in d.replies:
        if rng.random() < 0.16:
            k = 1 + int(rng.expovariate(0.8))
            for i, t in _reactors(rng, members, v, reply.author, reply.created, k, now):
                reply.reactors.append((i, "like" if rng.random() < 0.7 else "insightful", t))


def _mention_url_for(members):
    by_handle = {m.handle: m.pk for m in members}

    def mention_url(name: str) -> str | None:
        pk = by_handle.get(name.lower())
        return reverse("accounts:profile", args=[pk]) if pk else None

    return mention_url


def _save_content(rng, drafts: list[_PostDraft], communities, members, tags, now) -> dict:
    mention_url = _mention_url_for(members)
    drafts.sort(key=lambda d: (d.created, d.c, d.title))
    posts = []
    for d in drafts:
        visible = [r for r in d.replies if r.status == ContentStatus.VISIBLE]
        last = max([d.created, *(r.created for r in visible)])
        posts.append(
            Post(
                community_id=communities[d.c].pk,
                author_id=members[d.author].pk,
                title=d.title,
                body=d.body,
                body_html=render_markdown(d.body, mention_url=mention_url),
                pinned=d.pinned,
                status=d.status,
                created_at=d.created,
                last_activity_at=last,
                reply_count=len(visible),
                reaction_count=len(d.reactors),
                hot=hot_score(d.created, len(visible), len(d.reactors)),
            )
        )
    Post.objects.bulk_create(posts, batch_size=BATCH)
    Post.tags.through.objects.bulk_create(
        [
            Post.tags.through(post_id=p.pk, tag_id=tags[t].pk)
            for p, d in zip(posts, drafts, strict=True)
            for t in d.tags
            if t in tags
        ],
        batch_size=BATCH,
    )

    replies, reply_drafts, reply_posts = [], [], []
    for p, d in zip(posts, drafts, strict=True):
        for r in d.replies:
            replies.append(
                Reply(
                    post_id=p.pk,
                    author_id=members[r.author].pk,
                    body=r.body,
                    body_html=render_markdown(r.body, mention_url=mention_url),
                    status=r.status,
                    created_at=r.created,
                    reaction_count=len(r.reactors),
                )
            )
            reply_drafts.append(r)
            reply_posts.append((p, d))
    Reply.objects.bulk_create(replies, batch_size=BATCH)

    reactions = [
        Reaction(user_id=members[i].pk, post_id=p.pk, kind=kind, created_at=t)
        for p, d in zip(posts, drafts, strict=True)
        for i, kind, t in d.reactors
    ]
    reactions += [
        Reaction(user_id=members[i].pk, reply_id=reply.pk, kind=kind, created_at=t)
        for reply, r in zip(replies, reply_drafts, strict=True)
        for i, kind, t in r.reactors
    ]
    Reaction.objects.bulk_create(reactions, batch_size=BATCH)

    notifications = _notifications(
        rng, posts, drafts, replies, reply_drafts, reply_posts, communities, members, now
    )
    Notification.objects.bulk_create(notifications, batch_size=BATCH)
    reports = _reports(
        rng, posts, drafts, replies, reply_drafts, reply_posts, communities, members, now
    )
    _index_content(posts, drafts, replies, reply_drafts, reply_posts, communities)
    return {
        "posts": len(posts),
        "replies": len(replies),
        "reactions": len(reactions),
        "notifications": len(notifications),
        "reports": reports,
    }


def _notifications(
    rng, posts, drafts, replies, reply_drafts, reply_posts, communities, members, now
) -> list[Notification]:
    """Mentions and replies from the last two months; the older ones read, the newest not
    (the demo member has a handful waiting)."""
    horizon = now - 60 * DAY
    out = []

    def add(recipient: int, kind: str, actor: int, c: int, post, reply, when: datetime):
        if recipient == actor or when < horizon:
            return
        fresh = when > now - (10 if members[recipient].handle == "demo" else 4) * DAY
        read = (
            None
            if fresh and rng.random() < 0.85
            else min(now, when + timedelta(hours=rng.uniform(1, 48)))
        )
        out.append(
            Notification(
                recipient_id=members[recipient].pk,
                kind=kind,
                actor_id=members[actor].pk,
                community_id=communities[c].pk,
                post_id=post.pk,
                reply_id=reply.pk if reply is not None else None,
                created_at=when,
                read_at=read,
            )
        )

    for p, d in zip(posts, drafts, strict=True):
        if d.status == ContentStatus.VISIBLE:
            for j in d.mentions:
                add(j, kinds.MENTION, d.author, d.c, p, None, d.created)
    for reply, r, (p, d) in zip(replies, reply_drafts, reply_posts, strict=True):
        if r.status != ContentStatus.VISIBLE or d.status != ContentStatus.VISIBLE:
            continue
        for j in r.mentions:
            add(j, kinds.MENTION, r.author, d.c, p, reply, r.created)
        if d.author not in r.mentions:
            add(d.author, kinds.REPLY, r.author, d.c, p, reply, r.created)
    return out


def _reports(
    rng, posts, drafts, replies, reply_drafts, reply_posts, communities, members, now
) -> int:
    """Open reports on the visible spam and on a heated reply; a resolved one (and the audit
    trail) for the spam a moderator already hid."""
    rows, actions = [], []
    moderators: dict[int, list[int]] = defaultdict(list)
    for ms in (
        Membership.objects.filter(community__in=communities, role__in=[Role.OWNER, Role.MODERATOR])
        .order_by("pk")
        .values_list("community_id", "user_id")
    ):
        moderators[ms[0]].append(ms[1])
    for p, d in zip(posts, drafts, strict=True):
        if d.topic != "spam":
            continue
        community = communities[d.c]
        reporters = [
            members[i].pk
            for i in rng.sample(range(len(members)), k=min(3, len(members)))
            if members[i].pk != p.author_id
        ]
        for k, pk in enumerate(reporters[: 2 if d.status == ContentStatus.VISIBLE else 1]):
            resolved = d.status == ContentStatus.HIDDEN
            mod = moderators[community.pk][0]
            rows.append(
                Report(
                    community_id=community.pk,
                    reporter_id=pk,
                    post_id=p.pk,
                    reason=REPORT_REASONS[k % len(REPORT_REASONS)],
                    status=Report.Status.RESOLVED if resolved else Report.Status.OPEN,
                    created_at=d.created + timedelta(hours=2 + k),
                    resolved_by_id=mod if resolved else None,
                    resolved_at=d.created + 6 * HOUR if resolved else None,
                )
            )
            if resolved:
                actions.append(
                    ModerationAction(
                        community_id=community.pk,
                        actor_id=mod,
                        action=ModerationAction.Action.HIDE,
                        target_user_id=p.author_id,
                        post_id=p.pk,
                        created_at=d.created + 6 * HOUR,
                    )
                )
    heated = [
        (reply, r, p, d)
        for reply, r, (p, d) in zip(replies, reply_drafts, reply_posts, strict=True)
        if r.status == ContentStatus.VISIBLE
        and d.mood == NEUTRAL
        and d.status == ContentStatus.VISIBLE
        and r.created > now - 20 * DAY
    ]
    for reply, r, p, d in heated[:: max(1, len(heated) // 3)][:3]:
        rows.append(
            Report(
                community_id=communities[d.c].pk,
                reporter_id=members[d.author].pk,
                post_id=p.pk,
                reply_id=reply.pk,
                reason=REPORT_REASONS[2],
                created_at=r.created + HOUR,
            )
        )
    for reply, r, (p, d) in zip(replies, reply_drafts, reply_posts, strict=True):
        if r.status == ContentStatus.HIDDEN:
            mod = moderators[communities[d.c].pk][0]
            actions.append(
                ModerationAction(
                    community_id=communities[d.c].pk,
                    actor_id=mod,
                    action=ModerationAction.Action.HIDE,
                    target_user_id=reply.author_id,
                    post_id=p.pk,
                    reply_id=reply.pk,
                    created_at=r.created + 3 * HOUR,
                )
            )
    Report.objects.bulk_create(rows)
    ModerationAction.objects.bulk_create(actions)
    return len(rows)


def _join_requests(rng, members, views: list[_Community], communities, leaders, now) -> int:
    """A few members waiting to get into each private community (and a few turned down)."""
    requests, notes = [], []
    messages = {
        "zh": ["你好，我在做相关方向，希望加入交流。", "朋友推荐来的，申请加入～"],
        "en": [
            "Hi! Working in this space, would love to join.",
            "A friend in the group suggested I apply.",
        ],
    }
    for v, community in zip(views, communities, strict=True):
        if v.spec.visibility != PRIVATE:
            continue
        outside = [
            i
            for i, m in enumerate(members)
            if i not in v.joined and m.speaks(v.spec.lang) and m.end > now - DAY
        ]
        picked = rng.sample(outside, k=min(len(outside), rng.randint(2, 4) + 1))
        owner, moderators = leaders[v.c]
        for n, i in enumerate(picked):
            lang = "zh" if "zh" in members[i].langs and v.spec.lang != "en" else "en"
            pending = n > 0
            when = now - rng.uniform(0.2, 9 if pending else 40) * DAY
            requests.append(
                JoinRequest(
                    community_id=community.pk,
                    user_id=members[i].pk,
                    message=rng.choice(messages[lang]),
                    created_at=when,
                    status=JoinRequest.Status.PENDING if pending else JoinRequest.Status.DECLINED,
                    decided_by_id=None if pending else members[owner].pk,
                    decided_at=None if pending else when + DAY,
                )
            )
            if pending:
                notes += [
                    Notification(
                        recipient_id=members[j].pk,
                        kind=kinds.JOIN_REQUEST,
                        actor_id=members[i].pk,
                        community_id=community.pk,
                        created_at=when,
                    )
                    for j in (owner, *moderators)
                ]
    JoinRequest.objects.bulk_create(requests)
    Notification.objects.bulk_create(notes)
    return sum(r.status == JoinRequest.Status.PENDING for r in requests)


# Search -----------------------------------------------------------------------------------------
# The same documents seedbed.communities.indexing writes, in bulk: one upsert per post would
# cost thousands of statements, and the demo has to load as a handful of batches.


def _document(
    kind: str,
    object_id: int,
    *,
    community_id: int,
    is_public: bool,
    title: str,
    body: str,
    url: str,
    created_at: datetime,
) -> SearchDocument:
    title, body = search_text.clean(title), search_text.clean(body)
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        community_id=community_id,
        is_public=is_public,
        title=title,
        body=body,
        url=search_text.clean(url),
        created_at=created_at,
        index_title=search_text.index_text(title),
        index_text=search_text.index_text(body),
    )


def _index_content(posts, drafts, replies, reply_drafts, reply_posts, communities) -> None:
    public = {c.pk: c.visibility == Visibility.PUBLIC for c in communities}
    post_url = reverse("communities:post", args=[0])[: -len("0/")]
    docs = [
        _document(
            "post",
            p.pk,
            community_id=p.community_id,
            is_public=public[p.community_id],
            title=p.title,
            body=plain_text(p.body),
            url=f"{post_url}{p.pk}/",
            created_at=p.created_at,
        )
        for p in posts
        if p.status == ContentStatus.VISIBLE
    ]
    docs += [
        _document(
            "reply",
            reply.pk,
            community_id=p.community_id,
            is_public=public[p.community_id],
            title=p.title,
            body=plain_text(reply.body),
            url=f"{post_url}{p.pk}/#reply-{reply.pk}",
            created_at=reply.created_at,
        )
        for reply, (p, _d) in zip(replies, reply_posts, strict=True)
        if reply.status == ContentStatus.VISIBLE and p.status == ContentStatus.VISIBLE
    ]
    SearchDocument.objects.bulk_create(docs, batch_size=BATCH)


def _index_communities(communities) -> None:
    SearchDocument.objects.bulk_create(
        [
            _document(
                "community",
                c.pk,
                community_id=c.pk,
                is_public=c.visibility == Visibility.PUBLIC,
                title=c.name,
                body=plain_text(c.description),
                url=reverse("communities:detail", args=[c.slug]),
                created_at=c.created_at,
            )
            for c in communities
        ]
    )


__all__ = ["SPECS", "load_communities"]
