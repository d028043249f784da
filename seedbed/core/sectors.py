"""The sector taxonomy, in both interface languages. A data migration loads it."""

SECTORS: list[tuple[str, str, str]] = [
    ("ai", "Artificial intelligence", "人工智能"),
    ("fintech", "Fintech", "金融科技"),
    ("healthtech", "Health tech", "医疗健康"),
    ("biotech", "Biotech", "生物科技"),
    ("edtech", "Education", "教育科技"),
    ("ecommerce", "E-commerce and retail", "电商零售"),
    ("enterprise-saas", "Enterprise software", "企业服务"),
    ("cleantech", "Climate and energy", "清洁能源与气候"),
    ("hardware", "Hardware and robotics", "硬件与机器人"),
    ("semiconductors", "Semiconductors", "半导体"),
    ("consumer", "Consumer", "消费"),
    ("logistics", "Logistics and supply chain", "物流与供应链"),
    ("mobility", "Mobility and automotive", "出行与汽车"),
    ("agritech", "Agriculture and food", "农业与食品"),
    ("gaming", "Games and entertainment", "游戏与娱乐"),
    ("media", "Media and content", "内容与媒体"),
    ("proptech", "Real estate and construction", "地产与建筑科技"),
    ("cybersecurity", "Cybersecurity", "网络安全"),
    ("web3", "Web3 and blockchain", "Web3 与区块链"),
    ("social-impact", "Social impact", "社会影响力"),
]
