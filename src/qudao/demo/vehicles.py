"""The auto dealer group's world: its brands, their vehicle models, parts and workshop services.

Brands are real manufacturers selling in China; series, trims and prices are close to their
2024–2025 price lists (指导价, CNY) but are demo values, not quotations. Part numbers follow each
maker's style (Toyota 5-5 groups, VW "06L 115 562 B" groups, BYD 8 digits + suffix) and are generated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    series: str
    model_year: int
    trim: str
    powertrain: str  # catalog.choices.Powertrain value
    msrp: str


@dataclass(frozen=True)
class BrandSpec:
    key: str  # short code used in SKUs and site codes
    code: str  # Company.code
    name: str
    short_name: str
    region_code: str
    address: str
    part_style: str  # "toyota" | "vw" | "byd"
    models: tuple[ModelSpec, ...]


BRANDS: tuple[BrandSpec, ...] = (
    BrandSpec(
        "BYD",
        "BYD-AUTO",
        "比亚迪汽车工业有限公司",
        "比亚迪",
        "440310",
        "广东省深圳市坪山区比亚迪路3009号",
        "byd",
        (
            ModelSpec("秦PLUS", 2025, "DM-i 120KM 领先型", "phev", "79800"),
            ModelSpec("秦PLUS", 2025, "EV 420KM 领先型", "bev", "99800"),
            ModelSpec("汉", 2025, "EV 605KM 尊贵型", "bev", "209800"),
            ModelSpec("宋PLUS", 2025, "DM-i 112KM 旗舰型", "phev", "139800"),
            ModelSpec("海豚", 2025, "EV 420KM 活力版", "bev", "99800"),
            ModelSpec("元PLUS", 2025, "EV 510KM 领先型", "bev", "129800"),
        ),
    ),
    BrandSpec(
        "GTMC",
        "GAC-TOYOTA",
        "广汽丰田汽车有限公司",
        "广汽丰田",
        "440115",
        "广东省广州市南沙区黄阁镇丰田大道1号",
        "toyota",
        (
            ModelSpec("凯美瑞", 2024, "2.0E 精英版", "ice", "171800"),
            ModelSpec("凯美瑞", 2024, "双擎 2.0HEV 豪华版", "hev", "199800"),
            ModelSpec("汉兰达", 2024, "双擎 2.5L 四驱精英版 7座", "hev", "279800"),
            ModelSpec("雷凌", 2024, "双擎 1.8L 领先版", "hev", "135800"),
            ModelSpec("锋兰达", 2024, "2.0L CVT 精英版", "ice", "139800"),
            ModelSpec("bZ4X", 2024, "长续航 Pro 两驱", "bev", "199800"),
        ),
    ),
    BrandSpec(
        "SVW",
        "SAIC-VW",
        "上汽大众汽车有限公司",
        "上汽大众",
        "310114",
        "上海市嘉定区安亭镇洛浦路63号",
        "vw",
        (
            ModelSpec("朗逸", 2024, "新锐 1.5L 自动 满逸版", "ice", "119900"),
            ModelSpec("帕萨特", 2024, "Pro 380TSI 龙耀版", "ice", "239900"),
            ModelSpec("途观L Pro", 2024, "380TSI 四驱 R-Line 智驾版", "ice", "279900"),
            ModelSpec("途岳", 2024, "300TSI 两驱 豪华版", "ice", "179900"),
            ModelSpec("ID.4 X", 2024, "纯净智享版", "bev", "175900"),
        ),
    ),
)


@dataclass(frozen=True)
class PartSpec:
    key: str
    name: str
    unit: str  # unit code (see AUTO_UNITS)
    category: str  # leaf category code
    price: str
    #: part-number group per style (Toyota 5-digit group, VW main group, BYD 8-digit stem)
    groups: dict[str, str]
    combustion_only: bool = False
    electric_only: bool = False


PARTS: tuple[PartSpec, ...] = (
    PartSpec(
        "OILF",
        "机油滤清器",
        "EA",
        "PART-MAINT",
        "68.00",
        {"toyota": "04152", "vw": "115", "byd": "1012"},
        combustion_only=True,
    ),
    PartSpec(
        "AIRF",
        "空气滤清器滤芯",
        "EA",
        "PART-MAINT",
        "128.00",
        {"toyota": "17801", "vw": "129", "byd": "1109"},
        combustion_only=True,
    ),
    PartSpec(
        "CABF", "空调滤清器滤芯", "EA", "PART-MAINT", "98.00", {"toyota": "87139", "vw": "819", "byd": "8107"}
    ),
    PartSpec(
        "PLUG",
        "火花塞",
        "PC",
        "PART-MAINT",
        "85.00",
        {"toyota": "90919", "vw": "905", "byd": "3707"},
        combustion_only=True,
    ),
    PartSpec(
        "WIPER", "雨刮片（对）", "PR", "PART-MAINT", "168.00", {"toyota": "85222", "vw": "955", "byd": "5205"}
    ),
    PartSpec(
        "PADF",
        "前刹车片（套）",
        "SET",
        "PART-BRAKE",
        "480.00",
        {"toyota": "04465", "vw": "698", "byd": "3501"},
    ),
    PartSpec(
        "PADR",
        "后刹车片（套）",
        "SET",
        "PART-BRAKE",
        "420.00",
        {"toyota": "04466", "vw": "698", "byd": "3502"},
    ),
    PartSpec(
        "DISC", "前刹车盘", "EA", "PART-BRAKE", "650.00", {"toyota": "43512", "vw": "615", "byd": "3501"}
    ),
    PartSpec(
        "BATT", "12V蓄电池", "EA", "PART-ELEC", "880.00", {"toyota": "28800", "vw": "915", "byd": "3703"}
    ),
    PartSpec(
        "LAMP", "左前大灯总成", "EA", "PART-BODY", "3280.00", {"toyota": "81150", "vw": "941", "byd": "4121"}
    ),
    PartSpec(
        "MIRR",
        "右外后视镜总成",
        "EA",
        "PART-BODY",
        "1260.00",
        {"toyota": "87910", "vw": "857", "byd": "8202"},
    ),
    PartSpec(
        "BUMP", "前保险杠皮", "EA", "PART-BODY", "1850.00", {"toyota": "52119", "vw": "807", "byd": "2803"}
    ),
    PartSpec(
        "OIL",
        "全合成机油 0W-20 4L",
        "BKT",
        "PART-FLUID",
        "428.00",
        {"toyota": "08880", "vw": "G052", "byd": "9001"},
        combustion_only=True,
    ),
    PartSpec(
        "COOL",
        "长效冷却液 4L",
        "BKT",
        "PART-FLUID",
        "168.00",
        {"toyota": "08889", "vw": "G013", "byd": "9002"},
    ),
    PartSpec(
        "BRKF",
        "制动液 DOT4 1L",
        "BTL",
        "PART-FLUID",
        "98.00",
        {"toyota": "08823", "vw": "B000", "byd": "9003"},
    ),
    PartSpec(
        "ATF",
        "自动变速箱油 1L",
        "BTL",
        "PART-FLUID",
        "135.00",
        {"toyota": "08886", "vw": "G055", "byd": "9004"},
        combustion_only=True,
    ),
    PartSpec(
        "EVCL",
        "动力电池冷却液 4L",
        "BKT",
        "PART-FLUID",
        "260.00",
        {"toyota": "08889", "vw": "G012", "byd": "9005"},
        electric_only=True,
    ),
    PartSpec(
        "CHGR",
        "随车交流充电枪 7kW",
        "EA",
        "PART-ELEC",
        "1680.00",
        {"toyota": "G9060", "vw": "971", "byd": "1025"},
        electric_only=True,
    ),
)

#: parts replaced by a new number: (brand key, part key, date the new number takes over, note)
SUPERSESSIONS: tuple[tuple[str, str, str, str], ...] = (
    ("GTMC", "OILF", "2023-07-01", "滤纸材料升级，新旧件可互换"),
    ("GTMC", "PADF", "2024-03-15", "低噪音配方，新旧件可互换"),
    ("SVW", "CABF", "2023-11-01", "新增活性炭层"),
    ("SVW", "PLUG", "2024-01-01", "铱金电极，更换周期延长"),
    ("BYD", "WIPER", "2024-06-01", "无骨雨刮替代有骨雨刮"),
)


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    unit: str
    category: str
    price: str


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("SVC-MAINT-S", "常规保养（小保养）工时", "JOB", "SVC-MAINT", "180.00"),
    ServiceSpec("SVC-MAINT-L", "深度保养（大保养）工时", "JOB", "SVC-MAINT", "480.00"),
    ServiceSpec("SVC-OIL", "更换机油机滤工时", "JOB", "SVC-MAINT", "80.00"),
    ServiceSpec("SVC-EV-CHECK", "新能源三电系统检测", "JOB", "SVC-MAINT", "199.00"),
    ServiceSpec("SVC-ALIGN", "四轮定位", "JOB", "SVC-REPAIR", "200.00"),
    ServiceSpec("SVC-BAL", "轮胎动平衡（四轮）", "JOB", "SVC-REPAIR", "120.00"),
    ServiceSpec("SVC-BRAKE", "更换刹车片工时", "JOB", "SVC-REPAIR", "150.00"),
    ServiceSpec("SVC-AC", "空调系统清洗消毒", "JOB", "SVC-REPAIR", "260.00"),
    ServiceSpec("SVC-LABOUR", "机电维修工时", "HR", "SVC-REPAIR", "180.00"),
    ServiceSpec("SVC-PAINT", "钣金喷漆（每面）", "FACE", "SVC-BODY", "650.00"),
    ServiceSpec("SVC-WASH", "精致洗车", "JOB", "SVC-BODY", "60.00"),
    ServiceSpec("SVC-COAT", "漆面镀晶", "JOB", "SVC-BODY", "1280.00"),
)

#: powertrain → how a Chinese price list names it
POWERTRAIN_NAMES = {
    "ice": "燃油",
    "hev": "油电混动",
    "phev": "插电混动",
    "erev": "增程式电动",
    "bev": "纯电动",
}

#: unit code → (name, decimal places, kind)
AUTO_UNITS: dict[str, tuple[str, int, str]] = {
    "VEH": ("台", 0, "count"),
    "EA": ("个", 0, "count"),
    "PC": ("支", 0, "count"),
    "PR": ("对", 0, "count"),
    "SET": ("套", 0, "count"),
    "BKT": ("桶", 0, "count"),
    "BTL": ("瓶", 0, "count"),
    "JOB": ("次", 0, "count"),
    "HR": ("工时", 1, "count"),
    "FACE": ("面", 0, "count"),
}

#: (root code, root name, ((leaf code, leaf name), …))
AUTO_CATEGORIES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("VEH", "整车", (("VEH-NEV", "新能源车"), ("VEH-ICE", "燃油及混动车"))),
    (
        "PART",
        "配件",
        (
            ("PART-MAINT", "保养件"),
            ("PART-BRAKE", "制动系统"),
            ("PART-ELEC", "电器"),
            ("PART-BODY", "车身覆盖件"),
            ("PART-FLUID", "油液"),
        ),
    ),
    ("SVC", "工时服务", (("SVC-MAINT", "保养服务"), ("SVC-REPAIR", "维修服务"), ("SVC-BODY", "钣喷美容"))),
)


@dataclass(frozen=True)
class StoreSpec:
    city_code: str
    brand_key: str
    district_code: str  # where the first store of this brand in the city is
    roads: tuple[str, ...]  # real roads of that district


# fmt: off
#: 3 cities, 2 brands' stores each; with scale N a brand gets N stores there, the others in the
#: city's other districts (on common road names)
STORES: tuple[StoreSpec, ...] = (
    StoreSpec("310100", "BYD", "310115", ("川沙路", "龙东大道", "康桥路", "沪南公路")),
    StoreSpec("310100", "SVW", "310112", ("沪闵路", "虹梅南路", "莘松路", "七莘路")),
    StoreSpec("330100", "GTMC", "330106", ("古墩路", "文一西路", "留和路", "天目山路")),
    StoreSpec("330100", "BYD", "330108", ("江南大道", "滨盛路", "江虹路", "长河路")),
    StoreSpec("320100", "SVW", "320106", ("中山北路", "江东北路", "模范马路", "定淮门大街")),
    StoreSpec("320100", "GTMC", "320115", ("双龙大道", "天元中路", "将军大道", "胜太路")),
)
# fmt: on
CITY_KEYS = {"310100": "SH", "330100": "HZ", "320100": "NJ"}
