"""The FMCG assortment of the demo distributor: a two-level category tree and, per leaf category,
pools of brands, products, flavours and pack sizes from which SKU names are built.

Brands are invented (青禾 is the demo brand company that authorises the distributor); prices are
plausible 2025 retail prices in CNY, tax included.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    label: str  # printed after the name: "500ml", "5L", "130抽×6包"
    unit: str  # base unit code (see UNITS)
    per_case: int  # base units in one case (箱)
    price: str  # list price of one base unit, CNY
    cases_per_pallet: int | None = None  # a pallet unit (托) for bulky fast movers


@dataclass(frozen=True)
class Product:
    name: str
    sizes: tuple[Size, ...]
    flavours: tuple[str, ...] = ("",)


@dataclass(frozen=True)
class Leaf:
    code: str
    name: str
    brands: tuple[str, ...]
    products: tuple[Product, ...]
    #: None: not perishable (no lot, no expiry)
    shelf_life_days: int | None
    #: relative share of the assortment
    weight: int = 1
    #: what the product's variants are called: 口味 (flavour) for food, 香型 (scent), 款式 (style)
    variant: str = "口味"


@dataclass(frozen=True)
class Root:
    code: str
    name: str
    leaves: tuple[Leaf, ...]


#: unit code → (name, decimal places); the base units, the case (箱) and the pallet (托)
UNITS: dict[str, tuple[str, int]] = {
    "BTL": ("瓶", 0),
    "CAN": ("罐", 0),
    "BOX": ("盒", 0),
    "PK": ("包", 0),
    "BAG": ("袋", 0),
    "BKT": ("桶", 0),
    "TUB": ("支", 0),
    "MP": ("提", 0),
    "BAR": ("条", 0),
    "CUP": ("杯", 0),
    "CS": ("箱", 0),
    "PL": ("托", 0),
}
CASE_UNIT = "CS"
PALLET_UNIT = "PL"

FLAVOURS_SODA = ("原味", "柠檬味", "白桃味", "青柠味", "荔枝味", "葡萄味", "无糖")
FLAVOURS_FRUIT = ("橙", "苹果", "芒果", "葡萄", "水蜜桃", "番石榴", "混合果蔬")
FLAVOURS_TEA = ("原味", "柠檬", "蜂蜜", "低糖", "无糖")
FLAVOURS_SPORT = ("柠檬味", "西柚味", "青柠味", "百香果味", "荔枝海盐味")
FLAVOURS_COFFEE = ("原味", "低糖", "无糖", "焦糖", "榛果")
FLAVOURS_CHIPS = ("原味", "番茄味", "烧烤味", "黄瓜味", "麻辣味", "海苔味", "芝士味")
FLAVOURS_BISCUIT = ("原味", "巧克力味", "奶油味", "草莓味", "葱香味", "芝麻味")
FLAVOURS_NUTS = ("原味", "焦糖味", "山核桃味", "五香味", "蜂蜜黄油味")
FLAVOURS_CANDY = ("原味", "草莓味", "葡萄味", "薄荷味", "榛仁", "海盐")
FLAVOURS_YOGURT = ("原味", "草莓", "黄桃", "蓝莓", "燕麦")
FLAVOURS_MILK_DRINK = ("原味", "草莓味", "麦香味", "红枣味")
SCENTS = ("薰衣草香", "茉莉香", "柠檬清香", "樱花香", "无香")
SCENTS_KITCHEN = ("柠檬", "绿茶", "生姜", "青柠")
SCENTS_CARE = ("薄荷", "茉莉", "海盐", "樱花", "绿茶")
PAPER = ("原生木浆", "竹浆本色", "加厚", "便携")

S = Size

# fmt: off
CATALOG: tuple[Root, ...] = (
    Root("BEV", "饮料", (
        Leaf("BEV-CSD", "碳酸饮料", ("青禾", "沁爽", "泡泡岛", "冰峰岭", "乐滋"), (
            Product("汽水", (S("330ml", "CAN", 24, "3.00", 60), S("500ml", "BTL", 24, "3.50", 50),
                             S("2L", "BTL", 6, "8.50")), FLAVOURS_SODA),
            Product("气泡水", (S("480ml", "BTL", 15, "5.00"), S("330ml", "CAN", 24, "4.50")),
                    FLAVOURS_SODA),
            Product("可乐", (S("330ml", "CAN", 24, "3.00", 60), S("1.25L", "BTL", 12, "6.50")),
                    ("原味", "无糖")),
            Product("苏打水", (S("410ml", "BTL", 15, "4.50"),), ("原味", "柠檬味", "青柠味")),
        ), 365, 3),
        Leaf("BEV-JUICE", "果汁饮料", ("鲜果坊", "青禾", "果然鲜", "橙意满满", "果园记"), (
            Product("果汁饮料", (S("450ml", "BTL", 15, "5.00"), S("1L", "BTL", 12, "9.80")),
                    FLAVOURS_FRUIT),
            Product("100%果汁", (S("250ml", "BOX", 24, "5.50"), S("1L", "BOX", 12, "15.80")),
                    FLAVOURS_FRUIT),
            Product("NFC鲜榨果汁", (S("300ml", "BTL", 12, "9.90"),), ("橙", "苹果", "芒果")),
            Product("果粒饮", (S("420ml", "BTL", 15, "4.50"),), ("橙", "葡萄", "水蜜桃")),
        ), 270, 2),
        Leaf("BEV-TEA", "茶饮料", ("青禾", "茶语", "山间茶事", "一叶知秋", "清茗"), (
            Product("冰红茶", (S("500ml", "BTL", 15, "3.50", 60), S("1L", "BTL", 12, "5.50"),
                               S("250ml", "BOX", 24, "2.50")), FLAVOURS_TEA),
            Product("绿茶", (S("500ml", "BTL", 15, "3.50", 60), S("1L", "BTL", 12, "5.50")),
                    FLAVOURS_TEA),
            Product("乌龙茶", (S("500ml", "BTL", 15, "5.00"),), ("原味", "无糖", "低糖")),
            Product("茉莉花茶", (S("500ml", "BTL", 15, "4.00"),), FLAVOURS_TEA),
            Product("大麦茶", (S("450ml", "BTL", 15, "4.00"),), ("原味", "无糖")),
            Product("奶茶", (S("500ml", "BTL", 15, "6.00"), S("280ml", "CUP", 12, "7.50")),
                    ("原味", "香芋", "草莓", "焦糖")),
        ), 365, 3),
        Leaf("BEV-WATER", "包装饮用水", ("泉之源", "青禾", "云岭山泉", "冰川纪", "清露"), (
            Product("饮用天然水", (S("380ml", "BTL", 24, "1.50", 60), S("550ml", "BTL", 24, "2.00", 60),
                                   S("1.5L", "BTL", 12, "4.00", 50), S("5L", "BKT", 4, "9.90", 40))),
            Product("天然矿泉水", (S("500ml", "BTL", 24, "3.00", 60), S("1.5L", "BTL", 12, "6.00", 50))),
            Product("饮用纯净水", (S("555ml", "BTL", 24, "1.50", 60), S("4.5L", "BKT", 4, "7.50", 40))),
            Product("弱碱性水", (S("500ml", "BTL", 24, "2.50", 60),), ("原味", "含锂")),
        ), 730, 3),
        Leaf("BEV-SPORT", "功能饮料", ("能量侠", "动力源", "沁爽", "极速", "元动力"), (
            Product("维生素饮料", (S("500ml", "BTL", 15, "5.00"),), FLAVOURS_SPORT),
            Product("电解质水", (S("600ml", "BTL", 15, "5.50"),), FLAVOURS_SPORT),
            Product("能量饮料", (S("250ml", "CAN", 24, "5.50", 60),), ("原味", "牛磺酸强化", "无糖")),
            Product("运动饮料", (S("600ml", "BTL", 15, "4.50"),), FLAVOURS_SPORT),
        ), 540, 2),
        Leaf("BEV-COFFEE", "即饮咖啡", ("咖啡时光", "青禾", "醇研", "豆语", "晨间"), (
            Product("拿铁", (S("268ml", "BTL", 15, "6.00"), S("180ml", "CAN", 24, "4.50")),
                    FLAVOURS_COFFEE),
            Product("美式咖啡", (S("268ml", "BTL", 15, "6.00"),), ("原味", "无糖")),
            Product("生椰拿铁", (S("250ml", "BTL", 15, "7.00"),), ("原味", "低糖")),
            Product("摩卡", (S("268ml", "BTL", 15, "6.50"),), ("原味", "焦糖")),
        ), 360, 1),
    )),
    Root("SNK", "休闲食品", (
        Leaf("SNK-PUFF", "膨化食品", ("脆脆乐", "香趣多", "小馋猫", "咔咔", "薯乐园"), (
            Product("薯片", (S("40g", "BAG", 50, "3.50"), S("70g", "BAG", 24, "6.50"),
                             S("135g", "BKT", 12, "9.90")), FLAVOURS_CHIPS),
            Product("玉米片", (S("60g", "BAG", 30, "4.50"),), ("原味", "番茄味", "芝士味")),
            Product("虾条", (S("50g", "BAG", 40, "3.00"),), ("原味", "烧烤味", "麻辣味")),
            Product("米饼", (S("150g", "BAG", 20, "7.90"),), ("原味", "海苔味", "芝士味")),
        ), 270, 3),
        Leaf("SNK-BISC", "饼干糕点", ("麦香园", "甜蜜屋", "好时光", "悠哈哈", "福满多"), (
            Product("苏打饼干", (S("100g", "PK", 30, "4.50"), S("400g", "BOX", 12, "12.90")),
                    FLAVOURS_BISCUIT),
            Product("夹心饼干", (S("100g", "PK", 30, "4.50"), S("390g", "BOX", 12, "13.90")),
                    FLAVOURS_BISCUIT),
            Product("曲奇", (S("200g", "BOX", 20, "15.80"),), ("原味", "巧克力味", "抹茶味")),
            Product("蛋黄派", (S("276g", "BOX", 12, "12.90"),), ("原味", "巧克力味")),
            Product("威化饼干", (S("150g", "PK", 24, "6.90"),), ("巧克力味", "奶油味", "草莓味")),
        ), 240, 3),
        Leaf("SNK-NUT", "坚果炒货", ("坚果先生", "山野果园", "福瓜", "粒粒香", "松林"), (
            Product("每日坚果", (S("25g×7袋", "BOX", 12, "29.90"), S("25g×30袋", "BOX", 6, "119.00")),
                    ("原味",)),
            Product("瓜子", (S("160g", "BAG", 20, "9.90"), S("500g", "BAG", 10, "25.90")), FLAVOURS_NUTS),
            Product("开心果", (S("200g", "BAG", 20, "32.90"),), ("原味", "盐焗味")),
            Product("碧根果", (S("200g", "BAG", 20, "29.90"),), ("奶油味", "焦糖味")),
            Product("花生", (S("350g", "BAG", 20, "12.90"),), ("五香味", "蒜香味", "麻辣味")),
        ), 180, 2),
        Leaf("SNK-CANDY", "糖果巧克力", ("甜蜜屋", "可可乐园", "糖小朵", "蜜语", "星糖"), (
            Product("牛奶巧克力", (S("43g", "BAR", 48, "5.50"), S("252g", "BOX", 12, "39.90")),
                    ("原味", "榛仁", "海盐")),
            Product("黑巧克力", (S("100g", "BAR", 24, "15.90"),), ("70%可可", "85%可可", "海盐")),
            Product("软糖", (S("100g", "BAG", 24, "7.90"),), FLAVOURS_CANDY),
            Product("硬糖", (S("150g", "BAG", 24, "8.90"),), FLAVOURS_CANDY),
            Product("口香糖", (S("40粒", "BKT", 24, "12.90"),), ("薄荷味", "西瓜味", "蓝莓味")),
        ), 360, 2),
        Leaf("SNK-NOODLE", "方便速食", ("面面俱到", "香满楼", "一碗香", "味之源", "老灶台"), (
            Product("红烧牛肉面", (S("桶装120g", "BKT", 12, "5.00"), S("袋装105g", "BAG", 24, "3.00"),
                                   S("五连包", "MP", 6, "14.50")), ("经典", "加辣")),
            Product("老坛酸菜牛肉面", (S("桶装120g", "BKT", 12, "5.00"), S("五连包", "MP", 6, "14.50")),
                    ("经典",)),
            Product("鲜虾鱼板面", (S("桶装100g", "BKT", 12, "5.00"),), ("经典",)),
            Product("自热米饭", (S("280g", "BOX", 12, "19.90"),), ("宫保鸡丁", "咖喱牛肉", "梅菜扣肉")),
            Product("酸辣粉", (S("130g", "BKT", 12, "6.50"),), ("经典", "特辣")),
        ), 180, 2),
    )),
    Root("DAIRY", "乳制品", (
        Leaf("DAIRY-UHT", "常温牛奶", ("牧场鲜", "蒙草原", "晨露", "青青牧场", "奶源地"), (
            Product("纯牛奶", (S("250ml", "BOX", 24, "3.50", 40), S("200ml", "BOX", 24, "3.00", 40),
                               S("1L", "BOX", 12, "12.50"))),
            Product("高钙牛奶", (S("250ml", "BOX", 24, "3.80", 40),)),
            Product("脱脂牛奶", (S("250ml", "BOX", 24, "4.00"),)),
            Product("有机纯牛奶", (S("250ml", "BOX", 12, "6.50"),)),
            Product("低乳糖牛奶", (S("250ml", "BOX", 12, "4.50"),)),
        ), 180, 3),
        Leaf("DAIRY-YOG", "低温酸奶", ("牧场鲜", "晨露", "优酪坊", "乳此新鲜", "北纬"), (
            Product("风味酸牛奶", (S("200g", "BOX", 12, "5.50"),), FLAVOURS_YOGURT),
            Product("老酸奶", (S("135g", "CUP", 12, "6.50"),), FLAVOURS_YOGURT),
            Product("希腊酸奶", (S("100g", "CUP", 12, "7.90"),), FLAVOURS_YOGURT),
        ), 21, 2),
        Leaf("DAIRY-DRINK", "乳饮料", ("晨露", "乐滋", "牧场鲜", "甜蜜屋", "小乳牛"), (
            Product("乳酸菌饮品", (S("100ml", "BTL", 50, "1.80"), S("340ml", "BTL", 15, "5.50")),
                    FLAVOURS_MILK_DRINK),
            Product("早餐奶", (S("250ml", "BOX", 24, "4.00"),), ("麦香味", "核桃味", "红枣味")),
            Product("核桃奶", (S("250ml", "CAN", 20, "4.50"),), ("原味", "低糖")),
            Product("花生牛奶", (S("250ml", "BOX", 24, "3.50"),), ("原味", "红枣味")),
        ), 180, 2),
        Leaf("DAIRY-FRESH", "低温鲜奶", ("牧场鲜", "晨露", "青青牧场", "北纬", "鲜语"), (
            Product("鲜牛奶", (S("250ml", "BTL", 12, "6.50"), S("950ml", "BTL", 6, "17.90"))),
            Product("巴氏杀菌鲜奶", (S("450ml", "BTL", 12, "12.90"),)),
            Product("A2β-酪蛋白鲜奶", (S("250ml", "BTL", 12, "9.90"),)),
        ), 7, 1),
    )),
    Root("HOME", "日化家清", (
        Leaf("HOME-LAUN", "洗衣用品", ("家洁宝", "净白", "清新一刻", "柔丝", "洁丽雅"), (
            Product("洗衣液", (S("1kg", "BTL", 12, "15.90"), S("2kg", "BTL", 6, "29.90"),
                               S("3kg", "BKT", 4, "42.90")), SCENTS),
            Product("洗衣粉", (S("1.5kg", "BAG", 10, "16.90"),), ("薰衣草香", "柠檬清香")),
            Product("洗衣凝珠", (S("30颗", "BOX", 12, "39.90"),), SCENTS),
            Product("衣物柔顺剂", (S("1L", "BTL", 12, "22.90"),), SCENTS),
        ), None, 2, "香型"),
        Leaf("HOME-KITCH", "厨房清洁", ("家洁宝", "净白", "洁丽雅", "清风", "亮洁"), (
            Product("洗洁精", (S("500g", "BTL", 20, "6.90"), S("1.1kg", "BTL", 12, "12.90"),
                               S("1.5kg", "BTL", 8, "15.90")), SCENTS_KITCHEN),
            Product("油污净", (S("500g", "BTL", 20, "14.90"),), ("柠檬", "无香")),
            Product("果蔬清洗剂", (S("1kg", "BTL", 12, "16.90"),), ("柠檬", "绿茶")),
        ), None, 1, "香型"),
        Leaf("HOME-PAPER", "纸品", ("白云朵", "柔丝", "竹韵", "棉柔", "清风"), (
            Product("抽纸", (S("100抽×3包", "MP", 16, "9.90"), S("130抽×6包", "MP", 8, "19.90")), PAPER),
            Product("卷纸", (S("10卷", "MP", 6, "25.90"), S("27卷", "MP", 2, "59.90")), PAPER),
            Product("湿巾", (S("80片", "PK", 24, "12.90"),), ("无香", "清香")),
            Product("手帕纸", (S("10包", "MP", 24, "6.90"),), ("无香", "清香")),
        ), None, 2, "款式"),
        Leaf("HOME-CARE", "个人护理", ("柔丝", "净白", "清新一刻", "蜜语", "海之蓝"), (
            Product("洗发水", (S("400ml", "BTL", 12, "29.90"), S("750ml", "BTL", 8, "45.90")), SCENTS_CARE),
            Product("沐浴露", (S("400ml", "BTL", 12, "26.90"), S("1L", "BTL", 6, "49.90")), SCENTS_CARE),
            Product("牙膏", (S("120g", "TUB", 48, "9.90"), S("180g", "TUB", 36, "14.90")),
                    ("薄荷", "绿茶", "海盐")),
            Product("洗手液", (S("500ml", "BTL", 12, "15.90"),), ("绿茶", "樱花", "柠檬")),
        ), None, 1, "香型"),
    )),
)
# fmt: on

#: used only when a leaf has no unused combination left (very large scales)
EDITIONS = ("家庭装", "促销装", "新品", "限定款", "量贩装", "礼盒装", "经典款", "升级版")

#: GS1 China company prefixes are 690–699 followed by 4 more digits (7 in all here).
GS1_CHINA = tuple(range(690, 700))

#: the brand company of the demo distributor (its SKUs carry `brand`)
DEMO_BRAND = "青禾"
