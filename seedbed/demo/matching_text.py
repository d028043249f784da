"""Words for the matching demo: what the demo's startups do, sector by sector, and what
investors, mentors, talent and providers say, in Chinese and in English."""

from seedbed.accounts.models import Stage
from seedbed.matching.models import DeclineReason, ServiceType

# What a startup of each sector does and the problem it solves: (pitch, problem).
PITCHES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "ai": {
        "en": [
            (
                "an AI copilot that drafts clinic paperwork from the consultation",
                "Doctors spend two hours a day on forms a model can fill in from the conversation.",
            ),
            (
                "computer vision that spots defects on small factories' production lines",
                "Manual inspection misses one defect in twenty and slows the line down.",
            ),
        ],
        "zh": [
            (
                "面向诊所的 AI 病历助手，从问诊对话自动生成病历",
                "医生每天要花两个小时写病历和填表，大模型可以从对话中自动完成。",
            ),
            (
                "用机器视觉为中小工厂做产线质检",
                "人工质检漏检率接近 5%，还拖慢了产线节拍。",
            ),
        ],
    },
    "fintech": {
        "en": [
            (
                "cash-flow forecasting and invoice financing for small businesses",
                "Small suppliers wait 90 days to be paid and banks will not lend against invoices.",
            ),
            (
                "cross-border payouts for marketplace sellers in Southeast Asia",
                "Sellers lose 4% on every payout to fees and poor exchange rates.",
            ),
        ],
        "zh": [
            (
                "为中小企业提供现金流预测和应收账款融资",
                "中小供应商的账期长达 90 天，银行又不认应收账款。",
            ),
            (
                "为跨境电商卖家提供多币种收款和结汇",
                "卖家每次回款要损失 3%–4% 的手续费和汇差。",
            ),
        ],
    },
    "healthtech": {
        "en": [
            (
                "remote monitoring for patients with chronic heart failure",
                "Half of heart-failure readmissions could be avoided with earlier warnings.",
            ),
            (
                "a booking and follow-up platform for dental clinics",
                "Dental clinics lose a fifth of their revenue to no-shows and missed follow-ups.",
            ),
        ],
        "zh": [
            (
                "慢病患者的居家远程监测与随访平台",
                "心衰患者出院后缺少随访，一半的再入院本可以提前预警。",
            ),
            (
                "基层医院的 AI 辅助影像诊断",
                "县级医院影像科医生紧缺，片子常常要等好几天才有人看。",
            ),
        ],
    },
    "biotech": {
        "en": [
            (
                "enzyme design for plastic-free food packaging",
                "Compostable packaging still costs three times as much as plastic.",
            ),
        ],
        "zh": [
            (
                "基于合成生物学的天然色素生产",
                "食品企业想替换人工色素，但天然色素价格贵、批次不稳定。",
            ),
        ],
    },
    "edtech": {
        "en": [
            (
                "adaptive maths practice for secondary schools",
                "Teachers cannot give thirty pupils thirty different exercises.",
            ),
        ],
        "zh": [
            (
                "面向职业院校的实训课程与虚拟仿真平台",
                "职业院校设备贵、更新慢，学生上手实操的机会太少。",
            ),
            (
                "AI 口语陪练，帮助中小学生练英语口语",
                "学生缺少开口练习的机会，外教课又太贵。",
            ),
        ],
    },
    "ecommerce": {
        "en": [
            (
                "a returns platform that resells returned goods within a week",
                "Returned goods sit in warehouses for months and lose half their value.",
            ),
        ],
        "zh": [
            (
                "帮助连锁门店做私域运营和社群团购的 SaaS",
                "门店客流下滑，会员数据散落在各个群里用不起来。",
            ),
            (
                "面向海外市场的国货品牌独立站代运营",
                "国货品牌出海缺少本地化运营和投放经验。",
            ),
        ],
    },
    "enterprise-saas": {
        "en": [
            (
                "contract management that reads every clause for mid-size companies",
                "Legal teams track renewals in spreadsheets and miss deadlines.",
            ),
            (
                "a procurement workflow for companies with 50 to 500 staff",
                "Purchase approvals go through e-mail and nobody knows what was spent.",
            ),
        ],
        "zh": [
            (
                "面向制造业的轻量级 MES 和排产系统",
                "中小工厂还在用 Excel 排产，插单一来就全乱了。",
            ),
            (
                "帮助中小企业管理合同和发票的智能财务助手",
                "财务人员每月要花一周时间对账和开票。",
            ),
        ],
    },
    "cleantech": {
        "en": [
            (
                "AI dispatch for commercial batteries that cuts peak charges",
                "Factories pay peak tariffs for a few hours a day that storage could shave off.",
            ),
            (
                "carbon accounting for exporters facing the EU's CBAM",
                "Exporters must report product emissions and have no data from suppliers.",
            ),
        ],
        "zh": [
            (
                "工商业储能的智能调度系统",
                "工厂的峰谷电价差越来越大，储能没有调度就赚不到钱。",
            ),
            (
                "面向出口企业的产品碳足迹核算",
                "欧盟碳边境调节机制要求申报碳排放，供应商数据却无从获取。",
            ),
        ],
    },
    "hardware": {
        "en": [
            (
                "low-cost robot arms with vision for small factories",
                "Industrial robots cost too much and take months to integrate.",
            ),
        ],
        "zh": [
            (
                "面向餐饮后厨的炒菜机器人",
                "后厨招工难、人员流动大，菜品口味难以统一。",
            ),
            (
                "用于仓库巡检的四足机器人",
                "大型仓库靠人工巡检，夜间和高处很难覆盖。",
            ),
        ],
    },
    "semiconductors": {
        "en": [
            (
                "an edge AI chip for battery-powered cameras",
                "Smart cameras drain their batteries in weeks when they run vision models.",
            ),
        ],
        "zh": [
            (
                "低功耗端侧 AI 芯片，用于智能门锁和摄像头",
                "电池供电的设备跑视觉算法，几周就没电了。",
            ),
            (
                "面向芯片封测厂的良率分析软件",
                "封测厂的良率数据分散在各台设备上，问题总是发现得太晚。",
            ),
        ],
    },
    "consumer": {
        "en": [
            (
                "a subscription for refillable household cleaning products",
                "A family throws away two hundred plastic bottles a year.",
            ),
        ],
        "zh": [
            (
                "面向年轻人的低糖茶饮品牌",
                "年轻消费者想喝得健康，市面上的茶饮糖分太高。",
            ),
            (
                "宠物健康管理 App 和智能喂食器",
                "宠物主人不知道宠物吃了多少、健康状况如何。",
            ),
        ],
    },
    "logistics": {
        "en": [
            (
                "cold-chain monitoring that predicts compressor failures",
                "One failed compressor spoils a truckload of vaccines or seafood.",
            ),
        ],
        "zh": [
            (
                "面向中小货主的整车运力撮合平台",
                "中小货主找车难，司机空驶率超过三成。",
            ),
            (
                "冷链运输全程温控与预警",
                "冷链断链导致生鲜损耗率高达 10%。",
            ),
        ],
    },
    "mobility": {
        "en": [
            (
                "fleet charging management for electric delivery vans",
                "Depots cannot charge a whole fleet overnight without a bigger grid connection.",
            ),
        ],
        "zh": [
            (
                "电动两轮车的换电网络",
                "外卖骑手每天要充两次电，充电一次就少跑好几单。",
            ),
        ],
    },
    "agritech": {
        "en": [
            (
                "agrivoltaic canopies that raise yields for shade crops",
                "Farmers and solar developers compete for the same land.",
            ),
        ],
        "zh": [
            (
                "为果园提供病虫害识别和精准施药",
                "果农靠经验打药，农药用量大、效果还不稳定。",
            ),
            (
                "连接合作社和社区门店的农产品直供平台",
                "农产品经过四五道中间商，农民卖不上价，消费者买得贵。",
            ),
        ],
    },
    "gaming": {
        "en": [
            (
                "a toolkit that lets indie studios localise games into ten languages",
                "Indie games lose most of their audience because they ship in one language.",
            ),
        ],
        "zh": [
            (
                "面向独立游戏团队的多语言本地化工具",
                "独立游戏只做一种语言，错过了大部分海外玩家。",
            ),
        ],
    },
    "media": {
        "en": [
            (
                "AI dubbing for educational video creators",
                "Creators cannot afford to dub their courses into other languages.",
            ),
        ],
        "zh": [
            (
                "帮助知识博主把长视频自动剪成短视频",
                "一条长视频剪成十条短视频，要花剪辑师一整天。",
            ),
        ],
    },
    "proptech": {
        "en": [
            (
                "heat-pump retrofits for old apartment blocks, financed per square metre",
                "Owners of old buildings cannot pay for a retrofit up front.",
            ),
        ],
        "zh": [
            (
                "面向工地的安全帽识别和人员定位",
                "工地安全巡查靠人工，违规行为很难及时发现。",
            ),
        ],
    },
    "cybersecurity": {
        "en": [
            (
                "phishing simulation and training for companies without a security team",
                "Nine in ten breaches at small companies start with a phishing e-mail.",
            ),
        ],
        "zh": [
            (
                "面向中小企业的数据安全合规检测",
                "个人信息保护法实施后，中小企业不知道自己的数据合不合规。",
            ),
        ],
    },
    "web3": {
        "en": [
            (
                "on-chain provenance for second-hand luxury goods",
                "Buyers of second-hand luxury goods cannot tell fakes from originals.",
            ),
        ],
        "zh": [
            (
                "基于区块链的供应链溯源服务",
                "品牌方无法证明原料来源，消费者也不相信纸面证书。",
            ),
        ],
    },
    "social-impact": {
        "en": [
            (
                "job matching for people with disabilities and inclusive employers",
                "Employers want to hire inclusively but do not know where to start.",
            ),
        ],
        "zh": [
            (
                "为乡村学校提供远程美育课程",
                "乡村学校缺少音乐和美术老师，很多孩子从没上过美术课。",
            ),
        ],
    },
}

BRANDS_EN = (
    [
        *("Nova", "Lumen", "Cargo", "Ledger", "Pulse", "Harbor", "Kite", "Atlas", "Sprout"),
        *("Orbit", "Quill", "Tidal", "Vela", "Mosaic", "Brisk", "Cobalt", "Fern", "Juniper"),
        *("Volt", "Sage"),
    ],
    ["ly", "io", "AI", "Hub", "Flow", "Desk", "Labs", "Pay", "Ops", "Care", "Grid", "Loop"],
)

STAGE_LABEL: dict[str, dict[str, str]] = {
    "en": {
        Stage.IDEA: "idea-stage",
        Stage.PRE_SEED: "pre-seed",
        Stage.SEED: "seed",
        Stage.SERIES_A: "Series A",
        Stage.GROWTH: "growth-stage",
    },
    "zh": {
        Stage.IDEA: "创意期",
        Stage.PRE_SEED: "天使轮",
        Stage.SEED: "种子轮",
        Stage.SERIES_A: "A 轮",
        Stage.GROWTH: "成长期",
    },
}

TRACTION: dict[str, dict[str, list[str]]] = {
    Stage.IDEA: {
        "en": ["Interviewed {n} potential customers; {k} signed letters of intent."],
        "zh": ["访谈了 {n} 家潜在客户，拿到 {k} 份合作意向书。"],
    },
    Stage.PRE_SEED: {
        "en": ["Prototype in pilots with {k} customers; {n} people on the waiting list."],
        "zh": ["原型产品已在 {k} 家客户试点，等候名单 {n} 人。"],
    },
    Stage.SEED: {
        "en": ["{k} paying customers, ${n}k monthly revenue, growing 12% a month."],
        "zh": ["{k} 家付费客户，月收入 {n} 万元，月环比增长 12%。"],
    },
    Stage.SERIES_A: {
        "en": ["${m:.1f}M in annual recurring revenue from {k} customers; net retention 118%."],
        "zh": ["年经常性收入 {n}00 万元，{k} 家客户，净收入留存 118%。"],
    },
    Stage.GROWTH: {
        "en": ["${n}M revenue last year across {k} markets; EBITDA positive since Q2."],
        "zh": ["去年营收 {g} 亿元，覆盖 {k} 个省份，二季度起实现盈利。"],
    },
}

FUNDING_NOTES = {
    "en": [
        "Pre-money valuation around {v}x the round; {p}% for product, the rest for sales.",
        "Lead investor wanted; two angels committed. Funds go to hiring and {m} months of runway.",
    ],
    "zh": [
        "投前估值约为本轮金额的 {v} 倍；{p}% 用于产品研发，其余用于市场拓展。",
        "寻找领投方，已有两位天使投资人确认跟投；资金用于招聘和 {m} 个月的运营。",
    ],
}

# (English title, Chinese title, English skills, Chinese skills) of the roles startups hire for.
HIRES = [
    (
        "machine learning engineer",
        "算法工程师",
        ["machine learning", "python", "nlp"],
        ["机器学习", "算法", "python"],
    ),
    (
        "LLM application engineer",
        "大模型应用工程师",
        ["nlp", "machine learning", "python"],
        ["大模型", "深度学习", "python"],
    ),
    (
        "backend engineer",
        "后端工程师",
        ["python", "django", "kubernetes"],
        ["后端开发", "python"],
    ),
    ("frontend engineer", "前端工程师", ["react", "typescript"], ["前端开发", "react"]),
    ("product designer", "产品设计师", ["ui design"], ["产品设计"]),
    ("embedded engineer", "嵌入式工程师", ["embedded systems", "rust"], ["嵌入式"]),
    ("mobile developer", "移动端工程师", ["ios", "android"], ["前端开发"]),
    (
        "data engineer",
        "数据工程师",
        ["data engineering", "python"],
        ["数据分析", "后端开发"],
    ),
    ("devops engineer", "运维开发工程师", ["devops", "kubernetes"], ["后端开发"]),
    (
        "computer vision engineer",
        "视觉算法工程师",
        ["computer vision", "machine learning"],
        ["深度学习", "算法"],
    ),
]

# Mentoring topics, the same topic in both languages where the profiles have both.
TOPICS = [
    ("fundraising", "融资"),
    ("go-to-market", "商业模式"),
    ("hiring", "招聘"),
    ("international expansion", "出海"),
    ("product strategy", "产品战略"),
    ("unit economics", "财务规划"),
    ("leadership", "领导力"),
    ("pricing", ""),
]

SERVICE_OF_SKILL = {
    "legal": ServiceType.LEGAL,
    "accounting": ServiceType.ACCOUNTING,
    "ip and patents": ServiceType.IP,
    "hr services": ServiceType.RECRUITING,
    "cloud hosting": ServiceType.CLOUD,
    "branding": ServiceType.DESIGN,
    "pr": ServiceType.MARKETING,
    "法律服务": ServiceType.LEGAL,
    "财税": ServiceType.ACCOUNTING,
    "知识产权": ServiceType.IP,
    "人力资源": ServiceType.RECRUITING,
    "品牌设计": ServiceType.DESIGN,
    "云服务": ServiceType.CLOUD,
}
SERVICE_LABEL = {
    ServiceType.LEGAL: ("legal counsel for startups", "创业公司法律顾问"),
    ServiceType.ACCOUNTING: ("bookkeeping, tax and audits", "代账、税务与审计"),
    ServiceType.CLOUD: ("cloud credits and architecture reviews", "云资源补贴与架构咨询"),
    ServiceType.DESIGN: ("brand identity and product design", "品牌与产品设计"),
    ServiceType.MARKETING: ("PR and launch campaigns", "公关与发布会策划"),
    ServiceType.RECRUITING: ("recruiting and HR outsourcing", "招聘与人力资源外包"),
    ServiceType.OFFICE: ("flexible office space", "联合办公空间"),
    ServiceType.IP: ("patent filing and IP strategy", "专利申请与知识产权布局"),
}
PROVIDERS = {
    "en": ["Brightline", "Keystone", "Northstar", "Clearwater", "Bluepeak", "Ironbridge"],
    "zh": ["汇智", "中和", "启航", "正信", "云帆", "立方"],
}
FUNDS = {
    "en": [
        "Northwind Ventures",
        "Harbor Seed",
        "Tidewater Capital",
        "Beacon Angels",
        "Lattice Partners",
        "Greenfield VC",
        "Kestrel Fund",
        "Summit Lane Capital",
    ],
    "zh": ["星河创投", "云起资本", "松禾天使", "启明星基金", "蓝湖资本", "青藤创投", "晨曦资本"],
}

ASK_MESSAGES = {
    "investor": {
        "en": [
            "We are raising our {stage} round and your thesis fits us well. Could we talk?",
            "Your portfolio in {sector} is close to what we do; we would love your view.",
        ],
        "zh": [
            "我们正在进行{stage}融资，和您的投资方向很契合，希望能约个时间聊聊。",
            "看到您在{sector}领域的布局，和我们的方向很接近，想听听您的建议。",
        ],
    },
    "talent": {
        "en": ["We are hiring and your skills are exactly what we need. Coffee this week?"],
        "zh": ["我们正在招人，您的技能正是我们需要的，这周方便喝杯咖啡吗？"],
    },
    "mentor": {
        "en": ["We would value an office hour on {topic}; we are stuck on it right now."],
        "zh": ["想预约一次关于{topic}的办公时间，我们正卡在这个问题上。"],
    },
    "service": {
        "en": ["We need help with {topic}; could you send us your member offer?"],
        "zh": ["我们需要{topic}方面的服务，能否介绍一下会员优惠？"],
    },
}
OFFER_ASKS = {
    "investor": {
        "en": ["I like what you are building in {sector}. Are you raising this year?"],
        "zh": ["很看好你们在{sector}方向的探索，今年有融资计划吗？"],
    },
    "talent": {
        "en": ["I saw you are hiring; I would like to hear more about the role."],
        "zh": ["看到你们在招人，想进一步了解这个岗位。"],
    },
    "mentor": {
        "en": ["Happy to give you an office hour if it helps; I have seen this problem before."],
        "zh": ["如果有帮助，可以给你们一次办公时间，这个问题我以前遇到过。"],
    },
    "service": {
        "en": ["We support startups at your stage with a member discount; happy to talk."],
        "zh": ["我们为这个阶段的创业公司提供会员优惠，欢迎交流。"],
    },
}
OPERATOR_MESSAGE = (
    "社区团队根据匹配度推荐双方认识。 The community team suggests this intro from your match."
)
DECLINE_NOTES: dict[str, dict[str, list[str]]] = {
    DeclineReason.NOT_A_FIT: {
        "en": ["Outside our focus for now.", "We look for a different business model."],
        "zh": ["目前不在我们的关注范围内。", "和我们期待的商业模式不太一样。"],
    },
    DeclineReason.TIMING: {
        "en": ["Too early for us; let's talk again after the next milestone."],
        "zh": ["现在还偏早，等下一个里程碑之后再聊。"],
    },
    DeclineReason.NO_CAPACITY: {
        "en": ["My calendar is full this quarter."],
        "zh": ["这个季度的时间已经排满了。"],
    },
    DeclineReason.OTHER: {
        "en": ["We already work with someone for this."],
        "zh": ["这方面我们已经有合作方了。"],
    },
}
THREADS = {
    "en": [
        "Thanks for accepting! Would Tuesday or Thursday afternoon work for a call?",
        "Thursday 3 pm works. I will send a calendar invite.",
        "Great. I will share our deck and latest numbers before then.",
        "Thanks for your time today; the notes are in the shared folder.",
    ],
    "zh": [
        "感谢接受介绍！周二或周四下午方便通个电话吗？",
        "周四下午三点可以，我发个会议邀请。",
        "好的，我们会提前把 BP 和最新数据发给您。",
        "今天聊得很有收获，会议纪要放在共享文件夹里了。",
    ],
}
ROUND_NAME = "导师办公时间配对 · Mentor office hours, {month}"
