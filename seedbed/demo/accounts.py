"""Demo members: a bilingual startup community with plausible roles, skills and cities.

Deterministic for a given seed; written with bulk inserts so that 100,000 members load in
well under a minute or two.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from seedbed.accounts.models import MemberRole, Role, Stage, User, Visibility
from seedbed.core.models import Sector
from seedbed.core.services import tags_named

DEMO_DOMAIN = "demo.seedbed.org"
DEMO_PASSWORD = "seedbed-demo"  # noqa: S105  (published in the README on purpose)
DEMO_MEMBER_EMAIL = f"demo@{DEMO_DOMAIN}"
DEMO_OPERATOR_EMAIL = f"operator@{DEMO_DOMAIN}"
BATCH = 2000

ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "子涵",
    "欣怡",
    "浩然",
    "宇轩",
    "梓萱",
    "思远",
    "一鸣",
    "晓东",
    "嘉怡",
    "雨桐",
    "俊杰",
    "志强",
    "海燕",
    "建华",
    "文博",
    "佳琪",
    "天宇",
    "若曦",
]
EN_FIRST = [
    "Alice",
    "Ben",
    "Chloe",
    "Daniel",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kai",
    "Lena",
    "Marco",
    "Nina",
    "Oliver",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Xavier",
    "Yara",
    "Zoe",
    "Aiko",
    "Mateo",
    "Leila",
    "Noah",
]
EN_LAST = [
    "Anderson",
    "Becker",
    "Chen",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Kim",
    "Lopez",
    "Müller",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Walker",
    "Wong",
    "Yilmaz",
    "Zhang",
    "Nguyen",
    "Singh",
    "Costa",
    "Berg",
]
ZH_CITIES = ["上海", "北京", "深圳", "杭州", "成都", "广州", "苏州", "南京", "武汉", "西安"]
EN_CITIES = ["Singapore", "Hong Kong", "Berlin", "London", "San Francisco", "Seoul", "Tokyo"]

SKILLS_EN: dict[str, list[str]] = {
    Role.FOUNDER: [
        "product management",
        "fundraising",
        "go-to-market",
        "team building",
        "sales",
        "pricing",
        "growth",
        "b2b sales",
        "operations",
    ],
    Role.INVESTOR: [
        "due diligence",
        "valuation",
        "term sheets",
        "portfolio support",
        "board governance",
        "market sizing",
    ],
    Role.MENTOR: [
        "leadership",
        "fundraising",
        "go-to-market",
        "hiring",
        "pricing",
        "international expansion",
        "product strategy",
        "unit economics",
    ],
    Role.TALENT: [
        "python",
        "react",
        "machine learning",
        "data engineering",
        "ui design",
        "kubernetes",
        "rust",
        "ios",
        "android",
        "embedded systems",
        "nlp",
        "computer vision",
        "typescript",
        "django",
        "devops",
    ],
    Role.SERVICE_PROVIDER: [
        "legal",
        "accounting",
        "ip and patents",
        "hr services",
        "cloud hosting",
        "branding",
        "pr",
    ],
    Role.OPERATOR: ["community building", "event planning", "programme design"],
}
SKILLS_ZH: dict[str, list[str]] = {
    Role.FOUNDER: ["产品管理", "融资", "市场拓展", "团队管理", "销售", "增长", "运营"],
    Role.INVESTOR: ["尽职调查", "估值", "投后管理", "行业研究", "投资条款"],
    Role.MENTOR: ["领导力", "融资", "商业模式", "招聘", "出海", "产品战略", "财务规划"],
    Role.TALENT: [
        "机器学习",
        "前端开发",
        "后端开发",
        "数据分析",
        "产品设计",
        "深度学习",
        "嵌入式",
        "算法",
        "python",
        "react",
        "大模型",
    ],
    Role.SERVICE_PROVIDER: ["法律服务", "财税", "知识产权", "人力资源", "品牌设计", "云服务"],
    Role.OPERATOR: ["社区运营", "活动策划", "孵化服务"],
}
INTERESTS_EN = [
    "fintech",
    "climate",
    "ai safety",
    "open source",
    "robotics",
    "saas",
    "healthcare",
    "web3",
    "edtech",
    "deep tech",
    "consumer apps",
    "biotech",
]
INTERESTS_ZH = [
    "人工智能",
    "新能源",
    "医疗健康",
    "开源",
    "机器人",
    "企业服务",
    "出海",
    "硬科技",
    "消费升级",
    "智能制造",
    "芯片",
    "教育",
]
HEADLINES_EN: dict[str, list[str]] = {
    Role.FOUNDER: [
        "Founder building {s} for {m}",
        "Second-time founder in {s}",
        "Co-founder & CEO, {s} startup",
    ],
    Role.INVESTOR: [
        "Partner at a seed fund focused on {s}",
        "Angel investor in {s}",
        "Principal, early-stage {s} fund",
    ],
    Role.MENTOR: ["Mentor; ex-operator in {s}", "Advisor to {s} startups"],
    Role.TALENT: ["Engineer looking for a {s} team", "Designer interested in {s}"],
    Role.SERVICE_PROVIDER: ["Helping {s} startups with legal and finance"],
    Role.OPERATOR: ["Community manager at Seedbed"],
}
HEADLINES_ZH: dict[str, list[str]] = {
    Role.FOUNDER: ["{s}领域创业者", "连续创业者，专注{s}", "{s}初创公司联合创始人"],
    Role.INVESTOR: ["关注{s}的早期投资人", "天使投资人，看好{s}", "某基金合伙人，聚焦{s}"],
    Role.MENTOR: ["创业导师，{s}行业老兵", "{s}企业顾问"],
    Role.TALENT: ["工程师，寻找{s}团队机会", "设计师，对{s}感兴趣"],
    Role.SERVICE_PROVIDER: ["为{s}创业公司提供法律与财税服务"],
    Role.OPERATOR: ["Seedbed 社区运营"],
}
MARKETS_EN = ["clinics", "small businesses", "factories", "schools", "farmers", "developers"]
ROLE_WEIGHTS = [
    (Role.FOUNDER, 40),
    (Role.TALENT, 25),
    (Role.MENTOR, 14),
    (Role.INVESTOR, 12),
    (Role.SERVICE_PROVIDER, 9),
]


def _pick_roles(rng: random.Random) -> list[str]:
    roles, weights = zip(*ROLE_WEIGHTS, strict=True)
    first = rng.choices(roles, weights)[0]
    if rng.random() < 0.18:
        second = rng.choices(roles, weights)[0]
        return list(dict.fromkeys([first, second]))
    return [first]


def _member(rng: random.Random, index: int, sectors: list[Sector], password: str, now):
    chinese = rng.random() < 0.6
    roles = _pick_roles(rng)
    main = roles[0]
    sector = rng.choice(sectors)
    if chinese:
        name = rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN)
        city = rng.choice(ZH_CITIES)
        headline = rng.choice(HEADLINES_ZH[main]).format(s=sector.name_zh)
        languages = ["zh", "en"] if rng.random() < 0.5 else ["zh"]
    else:
        name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        city = rng.choice(EN_CITIES)
        headline = rng.choice(HEADLINES_EN[main]).format(
            s=sector.name_en.lower(), m=rng.choice(MARKETS_EN)
        )
        languages = ["en"] + (["zh"] if rng.random() < 0.2 else [])
    user = User(
        email=f"member{index}@{DEMO_DOMAIN}",
        handle=f"member{index}",
        display_name=name,
        password=password,
        headline=headline,
        city=city,
        languages=languages,
        stage=rng.choice(Stage.values) if Role.FOUNDER in roles else "",
        visibility=Visibility.PUBLIC if rng.random() < 0.7 else Visibility.MEMBERS,
        date_joined=now - timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 1440)),
    )
    skills_pool = SKILLS_ZH if chinese else SKILLS_EN
    interests_pool = INTERESTS_ZH if chinese else INTERESTS_EN
    skills = sorted({s for r in roles for s in rng.sample(skills_pool[r], k=3)})
    interests = rng.sample(interests_pool, k=rng.randint(1, 3))
    member_sectors = [sector, *rng.sample(sectors, k=rng.randint(0, 2))]
    return user, roles, member_sectors, skills, interests


def load_members(count: int = 200, seed: int = 7) -> dict:
    """Create `count` demo members plus a demo member and an operator with known logins."""
    rng = random.Random(seed)
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)
    sectors = list(Sector.objects.order_by("slug"))
    all_tag_names = {t for pool in (SKILLS_EN, SKILLS_ZH) for names in pool.values() for t in names}
    all_tag_names |= set(INTERESTS_EN) | set(INTERESTS_ZH)
    tags = {t.name: t for t in tags_named(sorted(all_tag_names))}

    fixed = [
        User(
            email=DEMO_OPERATOR_EMAIL,
            handle="operator",
            display_name="林晓 Lin Xiao",
            password=password,
            is_staff=True,
            headline="Seedbed 社区运营 · Community operator",
            city="上海",
            languages=["zh", "en"],
            visibility=Visibility.PUBLIC,
            date_joined=now - timedelta(days=420),
        ),
        User(
            email=DEMO_MEMBER_EMAIL,
            handle="demo",
            display_name="Demo Founder 演示创始人",
            password=password,
            headline="Founder building AI tools for clinics",
            city="上海",
            stage=Stage.SEED,
            languages=["en", "zh"],
            visibility=Visibility.PUBLIC,
            date_joined=now - timedelta(days=420),
        ),
    ]
    User.objects.bulk_create(fixed)
    fixed_roles = [[Role.OPERATOR], [Role.FOUNDER]]
    emails = [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in fixed]
    role_rows = [
        MemberRole(user=u, role=r) for u, rs in zip(fixed, fixed_roles, strict=True) for r in rs
    ]

    Through = {f: getattr(User, f).through for f in ("sectors", "skills", "interests")}
    links: dict[str, list] = {f: [] for f in Through}

    def add_links(user: User, member_sectors, skills, interests) -> None:
        links["sectors"] += [
            Through["sectors"](user_id=user.pk, sector_id=s.pk)
            for s in dict.fromkeys(member_sectors)
        ]
        links["skills"] += [Through["skills"](user_id=user.pk, tag_id=tags[n].pk) for n in skills]
        links["interests"] += [
            Through["interests"](user_id=user.pk, tag_id=tags[n].pk) for n in interests
        ]

    add_links(
        fixed[1],
        [s for s in sectors if s.slug in ("ai", "healthtech")],
        ["product management", "fundraising", "machine learning"],
        ["healthcare", "人工智能"],
    )

    def flush(force: bool = False) -> None:
        if force or len(role_rows) >= BATCH * 2:
            EmailAddress.objects.bulk_create(emails, batch_size=BATCH)
            MemberRole.objects.bulk_create(role_rows, batch_size=BATCH)
            for field, rows in links.items():
                Through[field].objects.bulk_create(rows, batch_size=BATCH)
            emails.clear()
            role_rows.clear()
            for rows in links.values():
                rows.clear()

    for start in range(0, count, BATCH):
        stop = min(count, start + BATCH)
        batch = [_member(rng, i, sectors, password, now) for i in range(start, stop)]
        users = User.objects.bulk_create([b[0] for b in batch], batch_size=BATCH)
        for user, (_u, roles, member_sectors, skills, interests) in zip(users, batch, strict=True):
            emails.append(EmailAddress(user=user, email=user.email, verified=True, primary=True))
            role_rows.extend(MemberRole(user=user, role=r) for r in roles)
            add_links(user, member_sectors, skills, interests)
        flush()
    flush(force=True)
    for index in range(3):
        operator = User.objects.get(email=f"member{index}@{DEMO_DOMAIN}") if index < count else None
        if operator is not None:
            User.objects.filter(pk=operator.pk).update(is_staff=True)
            MemberRole.objects.get_or_create(user=operator, role=Role.OPERATOR)
    return {"members": count + len(fixed)}


def is_loaded() -> bool:
    return User.objects.filter(email=DEMO_OPERATOR_EMAIL).exists()
