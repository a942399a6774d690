"""Chinese name pools for the demo data: people, shops, roads, fleets, mobile numbers, identity numbers.

Everything here is plain data and pure functions of a `random.Random`: the same seed gives the same
names. Pools are lists (never sets) so that iteration order, and therefore the output, is stable.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from qudao.parties.policies import resident_id_check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
)
GIVEN_FIRST = "子梓浩宇欣思佳俊雨嘉文志建晓海国永红春明丽家天一诗若雅晨宏立伟泽铭书可安"
GIVEN_SECOND = "轩涵然怡豪杰婷琪阳华平峰东辉敏静磊鑫涛博瑶颖彤强勇军霞燕芳娟超斌琳洁鹏飞"

#: prefixes of mainland mobile numbers in use (China Mobile, Unicom, Telecom, Broadnet)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "193",
    "195",
    "196",
    "197",
    "198",
    "199",
)

#: road names found in almost every Chinese city
ROADS = (
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "长江路",
    "和平路",
    "新华路",
    "文化路",
    "友谊路",
    "青年路",
    "健康路",
    "胜利路",
    "光明路",
    "朝阳路",
    "幸福路",
    "振兴路",
    "创业路",
    "学府路",
    "滨河路",
    "园区路",
    "工业路",
    "商贸路",
    "迎春路",
    "东环路",
    "西环路",
    "南环路",
    "北环路",
    "金桥路",
    "翠园路",
    "梅园路",
)

#: shop "字号" (trade names)
TRADE_NAMES = (
    "百顺",
    "恒丰",
    "鑫源",
    "福满",
    "永兴",
    "金鼎",
    "华盛",
    "万家",
    "佳美",
    "盛达",
    "富康",
    "顺心",
    "利民",
    "惠丰",
    "康乐",
    "宏达",
    "祥和",
    "隆昌",
    "新亚",
    "好又多",
    "益民",
    "吉祥",
    "丰泰",
    "嘉禾",
    "合众",
    "安居",
    "春晖",
    "德润",
    "泰和",
    "兴隆",
    "瑞丰",
    "旺角",
    "乐邻",
    "同心",
    "满堂红",
    "天天",
    "邻家",
    "晨光",
    "金穗",
    "福源",
)
KA_CHAINS = ("惠家乐", "苏福隆", "万佳福", "百汇", "吴越", "金太阳", "乐购佳", "邻里家", "优品汇", "天天鲜")
KA_SUFFIXES = ("超市", "生活超市", "量贩", "购物中心")
WHOLESALE_PATTERNS = ("{d}{t}副食品批发部", "{t}食品商贸有限公司", "{t}百货批发行", "{d}{t}粮油副食经营部")
RETAIL_PATTERNS = ("{t}便利店", "{s}记烟酒商行", "{t}超市", "{t}小卖部", "{t}食杂店", "{r}{t}便民店")
GROUP_BUY_PATTERNS = ("{t}社区团购点", "{d}{t}邻里团", "{t}团长驿站")
ECOMMERCE_PATTERNS = ("{t}食品旗舰店", "{t}优选网店", "{t}生鲜电商")
SOCIAL_PATTERNS = ("{t}社群分销", "{s}姐小铺", "{t}好物分享")

FLEET_PREFIXES = (
    "申城顺达",
    "云途",
    "金陵企业",
    "浦江",
    "钱塘",
    "江南快线",
    "东方畅行",
    "宁沪",
    "吴越通",
    "华商",
)
FLEET_SUFFIXES = (
    "汽车租赁有限公司",
    "出租汽车有限公司",
    "网约车服务有限公司",
    "物流有限公司",
    "商务用车服务有限公司",
)


def person_name(rng: random.Random) -> tuple[str, str]:
    """(family name, given name): one or two given characters, as in everyday names."""
    family = rng.choice(SURNAMES)
    given = (
        rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND) if rng.random() < 0.7 else rng.choice(GIVEN_SECOND)
    )
    return family, given


def mobile_number(rng: random.Random) -> str:
    """A valid-looking mainland mobile number (13800138000 style), 11 digits."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def resident_id(rng: random.Random, region_code: str, *, oldest: int = 1960, youngest: int = 2002) -> str:
    """A resident identity number with a real birth date and a correct check character (GB 11643)."""
    start = date(oldest, 1, 1)
    span = (date(youngest, 12, 31) - start).days
    born = start + timedelta(days=rng.randrange(span))
    body = f"{region_code}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
    return body + resident_id_check_char(body)


def street_address(rng: random.Random, roads: tuple[str, ...] = ROADS) -> str:
    return f"{rng.choice(roads)}{rng.randrange(1, 999)}号"


def fill(pattern: str, rng: random.Random, *, trade: str = "", district: str = "") -> str:
    """Fill a shop-name pattern: {t} trade name, {s} surname, {d} district stem, {r} road stem."""
    return pattern.format(
        t=trade or rng.choice(TRADE_NAMES),
        s=rng.choice(SURNAMES),
        d=district_stem(district),
        r=rng.choice(ROADS).removesuffix("路"),
    )


def district_stem(name: str) -> str:
    """浦东新区 → 浦东, 姑苏区 → 姑苏, 昆山市 → 昆山 (as shops name themselves)."""
    for suffix in ("新区", "区", "市", "县"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
