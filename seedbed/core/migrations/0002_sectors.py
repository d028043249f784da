from django.db import migrations

# The taxonomy as it stood when this migration was written. A migration must give the same
# result whenever it runs, so it carries its data instead of importing seedbed.core.sectors;
# a later change to the taxonomy gets a migration of its own.
SECTORS = [
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


def load_sectors(apps, schema_editor):
    Sector = apps.get_model("core", "Sector")
    for slug, name_en, name_zh in SECTORS:
        Sector.objects.update_or_create(slug=slug, defaults={"name_en": name_en, "name_zh": name_zh})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_sectors, migrations.RunPython.noop)]
