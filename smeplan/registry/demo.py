"""演示省份 (demo province): a realistic, deterministic Shaanxi registry for demos and benchmarks.

:func:`generate` is pure (standard-library ``random`` seeded, no database): given the counties,
the industry classes and :class:`DemoParams` it yields :class:`Chunk` s of plain tuples
(organisations, yearly figures, name changes), always the same for the same parameters.
:func:`load_demo_province` writes them — ``bulk_create`` on SQLite, psycopg 3 ``COPY`` on
PostgreSQL — creates the demo users and records one ``demo.loaded`` audit event.

What the data looks like:

* counties weighted by city-level unit (西安 35 %, 咸阳/宝鸡/渭南 9 % …) and, inside a city, districts
  (区) over county-level cities (市) over counties (县); every county gets a few enterprises;
* GB/T 4754-2017 classes across sections, manufacturing (C) ≈ 35 %, wholesale/retail (F) ≈ 20 %;
* names 区划简称 + 字号 + 行业词 + 组织形式 (西安秦川机械有限公司), unique (a distinguishing word is
  inserted on collision); about 2 % renamed (name history kept);
* last-year operating revenue log-normal per sector; employees from revenue over a log-normal
  labour productivity and assets from a log-normal asset/revenue ratio, so size classes follow;
  earlier years walk back with AR(1) log growth; profit margins ≈ 3–8 % with some losses, tax
  2–6 %, R&D concentrated in manufacturing, IT (63–65) and research (M); ≈ 3 % missing years
  (no row) and no figures before the founding year;
* size class and 四上 status of the latest year with figures computed with
  :mod:`smeplan.registry.classification` (a per-industry fast path, checked against it in tests).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import statistics
import time
from bisect import bisect
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from itertools import accumulate

from smeplan.registry import classification
from smeplan.registry.credit_code import make_credit_code

DEFAULT_ENTERPRISES = 20_000
DEFAULT_SEED = 2017
DEFAULT_PASSWORD = "smeplan-demo"  # noqa: S105 - a published demo password, not a secret
PROVINCE_CODE = "610000"
XIAN_CODE = "610100"

# --- parameters and output ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoParams:
    enterprises: int = DEFAULT_ENTERPRISES
    first_year: int = 2019
    last_year: int = 2024
    seed: int = DEFAULT_SEED

    def __post_init__(self):
        if self.enterprises < 0:
            raise ValueError("企业数量不能为负数")
        if self.first_year > self.last_year:
            raise ValueError(f"起始年度 {self.first_year} 晚于结束年度 {self.last_year}")
        if self.enterprises >= 100_000_000:
            raise ValueError("企业数量过大")


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city_code: str  # its city-level unit in the bureau hierarchy (杨凌示范区 619900, 韩城市 610581)
    city_name: str


#: Column order of the tuples in :attr:`Chunk.organisations`.
ORG_COLUMNS = (
    "id", "credit_code", "name", "former_names", "kind", "county_id", "industry_id", "founded_on",
    "registered_capital", "ownership_type", "construction_qualification", "address", "contact_person",
    "contact_phone", "size_class", "above_scale", "classified_year",
)  # fmt: skip
#: Column order of the tuples in :attr:`Chunk.figures` (money in 万元 as floats with 2 decimals).
FIGURE_COLUMNS = (
    "organisation_id", "year", "operating_revenue", "main_business_revenue", "total_profit", "tax_paid",
    "rd_expense", "employees", "total_assets", "total_liabilities", "new_product_revenue", "export_value",
)  # fmt: skip
#: Column order of the tuples in :attr:`Chunk.name_changes`.
NAME_CHANGE_COLUMNS = ("organisation_id", "old_name", "new_name", "changed_on")


@dataclass
class Chunk:
    organisations: list[tuple] = field(default_factory=list)
    figures: list[tuple] = field(default_factory=list)
    name_changes: list[tuple] = field(default_factory=list)


# --- reference tables ---------------------------------------------------------------------------

#: Share of enterprises per city-level unit (percent).
CITY_WEIGHTS = {
    "610100": 35,  # 西安
    "610200": 2,  # 铜川
    "610300": 9,  # 宝鸡
    "610400": 9,  # 咸阳
    "610500": 9,  # 渭南
    "610600": 5,  # 延安
    "610700": 6,  # 汉中
    "610800": 8,  # 榆林
    "610900": 4,  # 安康
    "611000": 3,  # 商洛
    "619900": 1,  # 杨凌示范区
    "610581": 2,  # 韩城市
}
#: Inside a city: districts attract more firms than county-level cities, those more than counties.
COUNTY_KIND_WEIGHTS = {"区": 3.0, "市": 2.0, "县": 1.0}
#: Every county gets at least this many enterprises (when N allows).
MIN_PER_COUNTY = 3

#: GB/T 4754-2017 sections (percent of enterprises). S (public administration) and T are not firms.
SECTION_WEIGHTS = {
    "A": 3, "B": 1, "C": 35, "D": 1, "E": 6, "F": 20, "G": 5, "H": 4, "I": 6, "J": 0.5, "K": 3, "L": 6,
    "M": 6, "N": 1.5, "O": 1.5, "P": 0.5, "Q": 0.5, "R": 1,
}  # fmt: skip
#: Division weights inside a section where not uniform (others of the section weigh 1).
DIVISION_WEIGHTS = {
    "16": 0.1, "51": 10, "52": 10, "53": 0.3, "54": 6, "55": 0.3, "56": 0.3, "57": 0.2, "58": 5, "59": 3,
    "60": 2, "63": 1.5, "64": 2.5, "65": 6, "66": 0, "67": 3, "68": 1, "69": 6,
}  # fmt: skip
#: Class weights where not uniform inside the division.
CLASS_WEIGHTS = {"7010": 6, "7020": 7, "7030": 4, "7040": 2, "7090": 1}

#: Industry words of names (行业用语) by division, falling back to the section.
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "A": ("农业", "农业科技", "生态农业"), "01": ("农业", "种植", "果业", "农产品", "生态农业"),
    "02": ("林业", "苗木"), "03": ("畜牧", "养殖", "牧业"), "04": ("渔业", "水产"), "05": ("农业服务", "农机服务"),
    "B": ("矿业", "能源"), "06": ("煤业", "矿业", "能源"), "07": ("石油", "天然气"), "11": ("油田服务", "矿业服务"),
    "13": ("粮油", "食品", "饲料"), "14": ("食品", "乳业", "调味品"), "15": ("酒业", "饮品", "茶业"),
    "16": ("烟草",), "17": ("纺织",), "18": ("服饰", "制衣"), "19": ("皮革", "鞋业"), "20": ("木业",),
    "21": ("家具",), "22": ("纸业", "包装"), "23": ("印务", "印刷"), "24": ("文体用品", "工艺品"),
    "25": ("石化", "能源化工"), "26": ("化工", "新材料"), "27": ("药业", "制药", "生物医药"), "28": ("化纤",),
    "29": ("塑胶", "橡塑"), "30": ("建材", "陶瓷", "玻璃"), "31": ("钢铁", "冶金"), "32": ("铝业", "有色金属"),
    "33": ("金属制品", "五金"), "34": ("机械", "机电", "装备"), "35": ("重工", "机械设备", "专用设备"),
    "36": ("汽车", "汽车零部件"), "37": ("航空", "轨道交通装备"), "38": ("电气", "电器", "电工"),
    "39": ("电子", "电子科技", "光电", "通信设备"), "40": ("仪器仪表", "仪表"), "41": ("工艺品",),
    "42": ("再生资源",), "43": ("设备维修", "机械维修"),
    "44": ("电力", "新能源", "热力"), "45": ("燃气",), "46": ("水务", "供水"),
    "47": ("建设", "建筑工程"), "48": ("路桥", "市政工程", "水利工程"), "49": ("安装工程", "机电安装"),
    "50": ("装饰工程", "建筑装饰"),
    "51": ("商贸", "贸易", "物资", "供应链", "实业"), "52": ("超市", "百货", "商业连锁", "零售"),
    "53": ("铁路运输",), "54": ("运输", "客运", "汽车运输"), "55": ("航运",), "56": ("航空服务",),
    "57": ("管道运输",), "58": ("物流", "货运代理"), "59": ("仓储", "物流"), "60": ("快递", "速递"),
    "61": ("酒店", "宾馆"), "62": ("餐饮", "餐饮管理", "食府"),
    "63": ("通信", "网络"), "64": ("网络科技", "信息", "互联网科技"),
    "65": ("软件", "信息技术", "科技", "数据科技", "智能科技"),
    "J": ("投资", "融资担保", "小额贷款", "资产管理"),
    "7010": ("房地产开发", "置业"), "7020": ("物业管理", "物业服务"), "7030": ("房产经纪",),
    "7040": ("房屋租赁",), "K": ("房地产",),
    "71": ("租赁", "设备租赁"), "72": ("商务咨询", "企业管理", "广告", "人力资源", "会展服务"),
    "73": ("科技", "技术研究"), "74": ("检测", "工程设计", "勘察设计", "测绘"),
    "75": ("科技", "技术服务", "环保科技", "生物科技"),
    "N": ("环保", "环境工程", "园林绿化", "水务管理"),
    "80": ("家政服务",), "81": ("汽车维修", "家电维修"), "82": ("洗涤", "美容美发", "摄影"),
    "P": ("教育科技", "培训"), "84": ("医疗", "健康管理"), "85": ("养老服务",),
    "86": ("文化传媒", "出版"), "87": ("影视", "文化传播"), "88": ("文化艺术",), "89": ("体育", "健身"),
    "90": ("娱乐",),
}  # fmt: skip

#: 字号 (trade names), most common first: drawn with Zipf-like weights, so some are frequent and
#: others rare (the search benchmark relies on that).
_TRADE_WORDS_TEXT = (
    "秦川 华阳 宏达 长安 汉唐 西部 恒通 鑫源 瑞丰 中天 泰和 华宇 永兴 振华 昌盛 兴盛 腾飞 天成 金泰 嘉禾 "
    "博远 众诚 德信 凯达 宏远 远航 东方 华夏 金鼎 银河 天和 润泽 丰泽 海川 云海 锦程 汇通 万通 通达 利民 "
    "惠民 安泰 康达 秦岭 渭河 汉江 终南 骊山 华山 太白 黄河 延河 古城 大唐 丝路 关中 陕北 陕南 秦风 秦汉 "
    "周原 三秦 西京 长城 华信 正大 恒泰 鸿基 盛达 隆昌 祥和 宝丰 福源 聚力 合众 联创 优创 卓越 智源 "
    "光华 明辉 晨光 朝阳 星辰 启明 天诚 天佑 金诚 信达 鑫盛 泰丰 恒昌 恒信 新天地 新世纪 中宏 中兴 中诚 "
    "同力 同创 瑞祥 瑞达 嘉信 嘉瑞 佳和 惠通 润丰 旭日 旭升 飞腾 腾达 凯旋 凯盛 汇丰 汇金 荣盛 荣达 "
    "华泰 华瑞 华恒 金源 金瑞 银泰 鼎泰 鼎新 鼎盛 盛世 世纪 百川 千禾 万家 万和 万隆 亿丰 兆丰 "
    "永盛 永和 长兴 长青 常青 青松 翠华 锦华 锦绣 绿源 碧水 蓝天 白鹿 金鹰 雄鹰 骏马 神龙 "
    "龙腾 凤鸣 麒麟 紫薇 紫金 黄土 沃土 丰收 金穗 禾丰 德润 厚德 尚德 明德 弘毅 致远 宁远 "
    "安康达 秦汉唐 中盛 北辰 南山 西岳 东岳 泾渭 汉水 丹江 洛河 秦巴 巴山 米仓 "
    "天润 地久 瀚海 浩宇 凌云 翔宇 展鹏 鹏程 宏图 远景 前程 思源 源通 通泰 泰安 安信 信和 和泰"
)
TRADE_WORDS = tuple(_TRADE_WORDS_TEXT.split())
#: Characters that make up the long tail of trade names (two of them, rarely repeated).
TRADE_CHARS = (
    "华瑞鑫盛达泰恒源丰宏德信嘉隆通祥安和兴鼎腾博远创新金宝天海中正明辉光永昌福聚润众联力科智优卓越"
    "振汇益康健美佳诚晟森林峰川秦汉唐长凯飞龙凤云星阳晨锦豪骏驰启航翔宇鹏程盈利万亿乾坤"
)
#: Inserted between 字号 and 行业词 when a name is taken.
_DISTINGUISHING_TEXT = (
    "新创 恒信 同创 汇智 宏业 伟业 启航 瑞达 鸿运 华兴 中联 力行 博创 明德 正和 远大 高新 精工 联合 开元"
)
DISTINGUISHING_WORDS = tuple(_DISTINGUISHING_TEXT.split())
ORG_FORMS = (("有限公司", 70), ("有限责任公司", 22), ("股份有限公司", 8))
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
    "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文辉斌鹏宇浩凯晨欣悦婷雪琳博涵"
_ROADS_TEXT = (
    "人民路 建设路 解放路 中山路 新华路 朝阳路 文化路 胜利路 友谊路 长安路 和平路 工业园路 创业大道 科技路 迎宾大道 "
    "滨河路 东风路 团结路 幸福路 学府路 经开大道 高新路 北大街 南大街 东大街 西大街 环城路 站前路"
)
ROADS = tuple(_ROADS_TEXT.split())
#: Telephone area codes of the city-level units.
AREA_CODES = {
    "610100": "029", "610200": "0919", "610300": "0917", "610400": "029", "610500": "0913", "610600": "0911",
    "610700": "0916", "610800": "0912", "610900": "0915", "611000": "0914", "619900": "029", "610581": "0913",
}  # fmt: skip
OWNERSHIP = (
    ("private", 80), ("joint_stock", 8), ("state_owned", 3), ("collective", 1), ("foreign", 2), ("hmt", 1),
    ("other", 5),
)  # fmt: skip
CONSTRUCTION = (("general", 30), ("specialised", 40), ("none", 30))
CAPITAL_STEPS = (
    10,
    30,
    50,
    100,
    200,
    300,
    500,
    800,
    1000,
    2000,
    3000,
    5000,
    8000,
    10000,
    20000,
    50000,
    100000,
)


@dataclass(frozen=True)
class SectorProfile:
    """Last-year economics of a sector: revenue median (万元) and log-sd, revenue per employee
    (万元), assets/revenue, profit margin, R&D (share of firms, median intensity), export share."""

    revenue: float
    sigma: float
    productivity: float
    asset_ratio: float
    margin: float = 0.055
    rd_share: float = 0.05
    rd_intensity: float = 0.01
    export_share: float = 0.0


PROFILES = {
    "A": SectorProfile(100, 1.4, 25, 1.5, 0.05),
    "B": SectorProfile(2500, 1.6, 80, 2.0, 0.08, 0.25, 0.01),
    "C": SectorProfile(1000, 1.6, 50, 1.1, 0.055, 0.55, 0.025, 0.12),
    "D": SectorProfile(3000, 1.5, 120, 3.0, 0.07, 0.25, 0.01),
    "E": SectorProfile(900, 1.6, 40, 1.2, 0.045, 0.15, 0.008),
    "51": SectorProfile(1000, 1.6, 150, 0.5, 0.03, 0.03, 0.005, 0.04),
    "52": SectorProfile(250, 1.4, 40, 0.6, 0.03),
    "G": SectorProfile(700, 1.5, 40, 1.0, 0.05),
    "H": SectorProfile(200, 1.2, 15, 0.8, 0.05),
    "I": SectorProfile(500, 1.6, 40, 0.8, 0.08, 0.75, 0.07, 0.05),
    "J": SectorProfile(900, 1.4, 100, 8.0, 0.10),
    "7010": SectorProfile(2500, 1.5, 200, 3.0, 0.09),
    "K": SectorProfile(400, 1.3, 15, 1.5, 0.06),
    "L": SectorProfile(400, 1.5, 40, 1.5, 0.06),
    "M": SectorProfile(350, 1.5, 35, 1.2, 0.08, 0.7, 0.08),
    "N": SectorProfile(400, 1.3, 25, 1.5, 0.05),
    "O": SectorProfile(150, 1.1, 12, 0.6, 0.05),
    "P": SectorProfile(200, 1.2, 15, 0.8, 0.06),
    "Q": SectorProfile(400, 1.3, 20, 1.0, 0.06),
    "R": SectorProfile(250, 1.3, 25, 1.2, 0.05),
}
FIRST_FOUNDING_YEAR = 1985


def short_name(name: str) -> str:
    """'雁塔区' → '雁塔', '杨凌示范区' → '杨凌', '韩城市' → '韩城' (the region part of a firm name)."""
    for suffix in ("示范区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _cum(weights) -> list[float]:
    return list(accumulate(weights))


def _pick(rng_random: Callable[[], float], items, cum: list[float]):
    return items[bisect(cum, rng_random() * cum[-1])]


# --- classification (fast path per industry, the real functions otherwise) --------------------


class Classifier:
    """Size class and 四上 status as :func:`classification.size_class` / :func:`above_scale` give
    them, with the threshold rows and the 四上 rule resolved once per (industry, year).

    The fast path applies the same rule as the module (large when every metric ≥ the SME upper
    bound, medium/small when every metric ≥ the lower bound, else micro; 四上 revenue ≥ threshold)
    to complete figures; anything else (undecidable industry, missing figure) calls the real
    function. ``tests/registry/test_demo_province.py`` checks both agree on generated data.
    """

    def __init__(self):
        self._size: dict[tuple[str, int], tuple | None] = {}
        self._scale: dict[tuple[str, int], tuple | None] = {}

    def size(self, industry: str, year: int, employees, revenue, assets) -> str:
        key = (industry, year)
        if key not in self._size:
            group = classification.industry_group_for(industry)
            rows = classification.load_size_class_table().for_year(year).get(group) if group else None
            self._size[key] = (
                tuple((r.metric, float(r.sme_upper), float(r.medium_min), float(r.small_min)) for r in rows)
                if rows
                else None
            )
        rows = self._size[key]
        values = {"employees": employees, "revenue": revenue, "assets": assets}
        if rows is None or any(values[m] is None for m, *_ in rows):
            return (
                classification.size_class(
                    industry_code=industry,
                    employees=employees,
                    operating_revenue=_dec(revenue),
                    total_assets=_dec(assets),
                    year=year,
                ).value
                or ""
            )
        if all(values[m] >= upper for m, upper, _, _ in rows):
            return "large"
        if all(values[m] >= medium for m, _, medium, _ in rows):
            return "medium"
        if all(values[m] >= small for m, _, _, small in rows):
            return "small"
        return "micro"

    def above_scale(self, industry: str, year: int, main_revenue, revenue, qualification: str) -> bool | None:
        key = (industry, year)
        if key not in self._scale:
            rules = classification.load_above_scale_rules()
            parsed = classification.parse_industry_code(industry, divisions=rules.divisions)
            possible = rules.resolve(parsed, year) if parsed is not None else set()
            rule = next(iter(possible)) if len(possible) == 1 else None
            if isinstance(rule, classification.AboveScaleRule):
                self._scale[key] = (rule.basis, float(rule.threshold_wan) if rule.threshold_wan else None)
            elif len(possible) == 1:  # covered by no rule: not in the 四上 scope
                self._scale[key] = ("outside", None)
            else:
                self._scale[key] = None
        rule = self._scale[key]
        if rule is not None:
            basis, threshold = rule
            if basis == "outside":
                return False
            if basis == "none":
                return True
            if basis == "qualification" and qualification:
                return qualification != "none"
            if basis == "main_business_revenue" and main_revenue is not None:
                return main_revenue >= threshold
            if basis == "operating_revenue" and revenue is not None:
                return revenue >= threshold
        return classification.above_scale(
            industry_code=industry,
            main_business_revenue=_dec(main_revenue),
            operating_revenue=_dec(revenue),
            construction_qualification=qualification or None,
            year=year,
        ).value


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.2f}")


# --- the generator ------------------------------------------------------------------------------


def _county_plan(rng: random.Random, counties: list[County], n: int) -> list[int]:
    """County index of each enterprise: at least a few per county, the rest weighted."""
    by_city: dict[str, list[int]] = {}
    for i, c in enumerate(counties):
        by_city.setdefault(c.city_code, []).append(i)
    weights = [0.0] * len(counties)
    for city, members in by_city.items():
        kind_w = [COUNTY_KIND_WEIGHTS.get(counties[i].name[-1], 1.0) for i in members]
        total = sum(kind_w)
        for i, w in zip(members, kind_w, strict=True):
            weights[i] = CITY_WEIGHTS.get(city, 1) * w / total
    base = min(MIN_PER_COUNTY, n // max(len(counties), 1))
    plan = [i for i in range(len(counties)) for _ in range(base)]
    plan += rng.choices(range(len(counties)), cum_weights=_cum(weights), k=n - len(plan))
    rng.shuffle(plan)
    return plan


def _industry_table(industries: list[tuple[str, str, str]]):
    """(codes, cumulative weights) over class codes: section share × division share × class share."""
    by_section: dict[str, dict[str, list[str]]] = {}
    for code, section, division in industries:
        if SECTION_WEIGHTS.get(section):
            by_section.setdefault(section, {}).setdefault(division, []).append(code)
    codes, weights = [], []
    for section, divisions in sorted(by_section.items()):
        div_w = {d: DIVISION_WEIGHTS.get(d, 1.0) for d in divisions}
        div_total = sum(div_w.values())
        for division, classes in sorted(divisions.items()):
            if not div_w[division]:
                continue
            cls_w = [CLASS_WEIGHTS.get(c, 1.0) for c in classes]
            cls_total = sum(cls_w)
            for code, w in zip(classes, cls_w, strict=True):
                codes.append(code)
                weights.append(SECTION_WEIGHTS[section] * div_w[division] / div_total * w / cls_total)
    return codes, _cum(weights)


@functools.cache
def _normal_table(size: int = 1 << 16) -> tuple[float, ...]:
    """Standard-normal quantiles at the midpoints of ``size`` equal-probability bins."""
    inv_cdf = statistics.NormalDist().inv_cdf
    return tuple(inv_cdf((i + 0.5) / size) for i in range(size))


def _words_for(code: str, section: str) -> tuple[str, ...]:
    return (
        INDUSTRY_WORDS.get(code) or INDUSTRY_WORDS.get(code[:2]) or INDUSTRY_WORDS.get(section) or ("实业",)
    )


def _profile_for(code: str, section: str) -> SectorProfile:
    return PROFILES.get(code) or PROFILES.get(code[:2]) or PROFILES[section]


def generate(
    params: DemoParams,
    counties: list[County],
    industries: list[tuple[str, str, str]],
    *,
    first_id: int = 1,
    chunk_size: int = 50_000,
) -> Iterator[Chunk]:
    """Yield the demo registry in chunks of ``chunk_size`` organisations.

    ``counties``: the county-level divisions (ordered by code); ``industries``: (class code,
    section, division) of GB/T 4754-2017 classes (ordered by code). Organisation ids run from
    ``first_id``. Deterministic: the same arguments give the same rows (chunking included).
    """
    rng = random.Random(params.seed)
    rnd, randrange, choice = rng.random, rng.randrange, rng.choice
    z_table, z_size = _normal_table(), len(_normal_table())

    def gauss(mu: float, sigma: float) -> float:  # random.gauss, by inverse-CDF table look-up (faster)
        return mu + sigma * z_table[int(rnd() * z_size)]

    n = params.enterprises
    years = range(params.first_year, params.last_year + 1)
    last = params.last_year
    county_plan = _county_plan(rng, counties, n)
    ind_codes, ind_cum = _industry_table(industries)
    ind_section = {code: section for code, section, _ in industries}
    words = {code: _words_for(code, ind_section[code]) for code in ind_codes}
    profiles = {code: _profile_for(code, ind_section[code]) for code in ind_codes}
    prefixes = [(short_name(c.city_name), short_name(c.name)) for c in counties]
    area = [AREA_CODES.get(c.city_code, "029") for c in counties]
    address_head = [
        "陕西省" + (c.city_name if c.city_name == c.name else c.city_name + c.name) for c in counties
    ]
    trade_cum = _cum(1.0 / (i + 3) for i in range(len(TRADE_WORDS)))
    form_names, form_cum = [f for f, _ in ORG_FORMS], _cum(w for _, w in ORG_FORMS)
    own_names, own_cum = [o for o, _ in OWNERSHIP], _cum(w for _, w in OWNERSHIP)
    cq_names, cq_cum = [q for q, _ in CONSTRUCTION], _cum(w for _, w in CONSTRUCTION)
    classifier = Classifier()
    serial_offset = randrange(100_000_000)
    used_names: set[str] = set()
    log, exp = math.log, math.exp

    def trade_word() -> str:
        if rnd() < 0.7:
            return _pick(rnd, TRADE_WORDS, trade_cum)
        return choice(TRADE_CHARS) + choice(TRADE_CHARS)

    def make_name(ci: int, code: str) -> str:
        city_short, county_short = prefixes[ci]
        r = rnd()
        prefix = "陕西" if r < 0.15 else city_short if r < 0.55 else county_short
        trade, word = trade_word(), choice(words[code])
        form = _pick(rnd, form_names, form_cum)
        name = f"{prefix}{trade}{word}{form}"
        tries = 0
        while name in used_names:
            extra = choice(DISTINGUISHING_WORDS) if tries < 10 else choice(TRADE_CHARS) + choice(TRADE_CHARS)
            name = f"{prefix}{trade}{extra}{word}{form}"
            tries += 1
        used_names.add(name)
        return name

    def person() -> str:
        given = choice(GIVEN_CHARS) + (choice(GIVEN_CHARS) if rnd() < 0.7 else "")
        return choice(SURNAMES) + given

    chunk = Chunk()
    for k in range(n):
        org_id = first_id + k
        ci = county_plan[k]
        county = counties[ci]
        code = _pick(rnd, ind_codes, ind_cum)
        section = ind_section[code]
        prof = profiles[code]
        name = make_name(ci, code)
        founded_year = max(FIRST_FOUNDING_YEAR, last - int(rng.expovariate(1 / 11)))
        founded_on = dt.date(founded_year, 1, 1) + dt.timedelta(days=randrange(365))
        qualification = _pick(rnd, cq_names, cq_cum) if section == "E" else ""

        # last-year economics
        revenue = prof.revenue * exp(gauss(0, prof.sigma))
        employees = revenue / (prof.productivity * exp(gauss(0, 0.5)))
        assets = revenue * prof.asset_ratio * exp(gauss(0, 0.5))
        margin_f = prof.margin + gauss(0, 0.035)
        tax_f = 0.02 + 0.04 * rnd()
        debt_f = 0.3 + 0.4 * rnd()
        main_f = 0.9 + 0.1 * rnd()
        rd_f = prof.rd_intensity * exp(gauss(0, 0.6)) if rnd() < prof.rd_share else 0.0
        rd_f = min(rd_f, 0.4)
        np_f = 0.05 + 0.55 * rnd() if section == "C" and rd_f and rnd() < 0.5 else 0.0
        ex_f = 0.05 + 0.55 * rnd() if prof.export_share and rnd() < prof.export_share else 0.0
        drift = 0.05 + gauss(0, 0.06)
        vol = min(0.35, max(0.08, 0.35 - 0.05 * log(max(revenue, 1.0), 10)))

        # walk back from the last year: AR(1) on log growth, young firms grow fast
        series = []
        g_prev = drift
        log_rev, log_emp, log_ast = log(revenue), log(max(employees, 1.0)), log(assets)
        for year in reversed(years):
            if year < founded_year:
                break
            rev_y = exp(log_rev)
            if year == founded_year:  # founded during the year: a partial year
                rev_y *= (13 - founded_on.month) / 12
            series.append((year, rev_y, exp(log_emp), exp(log_ast)))
            g = drift + 0.5 * (g_prev - drift) + gauss(0, vol) + (0.3 if year - founded_year <= 2 else 0.0)
            g_prev = g
            log_rev -= g
            log_emp -= 0.5 * g + gauss(0, 0.05)
            log_ast -= 0.6 * g + 0.02 + gauss(0, 0.05)

        latest = None
        for year, rev_y, emp_y, ast_y in reversed(series):
            if rnd() < 0.03:  # not reported that year
                continue
            rev = round(rev_y, 2)
            emp = max(1, int(emp_y + 0.5))
            ast = round(ast_y, 2)
            main = round(rev_y * main_f, 2)
            row = (
                org_id, year, rev, main,
                round(rev_y * (margin_f + gauss(0, 0.025)), 2),
                round(rev_y * max(0.0, tax_f + gauss(0, 0.004)), 2),
                round(rev_y * rd_f * exp(gauss(0, 0.15)), 2) if rd_f else 0.0,
                emp, ast,
                round(ast_y * min(0.95, max(0.05, debt_f + gauss(0, 0.03))), 2),
                round(rev_y * min(1.0, np_f * exp(gauss(0, 0.15))), 2) if np_f else 0.0,
                round(rev_y * min(1.0, ex_f * exp(gauss(0, 0.1))), 2) if ex_f else 0.0,
            )  # fmt: skip
            chunk.figures.append(row)
            latest = row

        if latest is None:
            size, scale, classified_year = "", None, None
        else:
            classified_year = latest[1]
            size = classifier.size(code, classified_year, latest[7], latest[2], latest[8])
            scale = classifier.above_scale(code, classified_year, latest[3], latest[2], qualification)

        former_names = ""
        if rnd() < 0.02 and founded_year < last:
            renames = 2 if rnd() < 0.1 else 1
            old = [make_name(ci, code) for _ in range(renames)]
            chain = [*old, name]
            span = (dt.date(last, 12, 31) - founded_on).days
            days = sorted(randrange(1, span) for _ in range(renames))
            for j in range(renames):
                changed_on = founded_on + dt.timedelta(days=days[j])
                chunk.name_changes.append((org_id, chain[j], chain[j + 1], changed_on))
            former_names = "|".join(old)

        capital_target = exp(log(max(revenue, 20.0)) * 0.8 + gauss(0, 0.8))
        capital = CAPITAL_STEPS[min(bisect(CAPITAL_STEPS, capital_target), len(CAPITAL_STEPS) - 1)]
        if rnd() < 0.6:
            phone = f"1{choice('35789')}{randrange(10**9):09d}"
        elif area[ci] == "029":  # 8-digit local numbers
            phone = f"029-{randrange(2, 9)}{randrange(10**7):07d}"
        else:
            phone = f"{area[ci]}-{randrange(2, 9)}{randrange(10**6):06d}"
        chunk.organisations.append(
            (
                org_id, make_credit_code(county.code, (serial_offset + k * 7919) % 100_000_000), name,
                former_names, "enterprise", county.code, code, founded_on, float(capital),
                _pick(rnd, own_names, own_cum), qualification,
                f"{address_head[ci]}{choice(ROADS)}{randrange(1, 300)}号", person(), phone, size, scale,
                classified_year,
            )
        )  # fmt: skip
        if len(chunk.organisations) >= chunk_size:
            yield chunk
            chunk = Chunk()
    if chunk.organisations:
        yield chunk


# --- loading into the database ------------------------------------------------------------------


def reference_data() -> tuple[list[County], list[tuple[str, str, str]]]:
    """Counties (with their city-level unit) and industry classes from the database."""
    from smeplan.industries.models import Industry, IndustryLevel
    from smeplan.regions.models import Region

    regions = {r.code: r for r in Region.objects.all()}
    counties = []
    for r in sorted((r for r in regions.values() if r.is_county), key=lambda r: r.code):
        city = regions.get(r.city_level_unit_code() or "") or r
        counties.append(County(r.code, r.name, city.code, city.name))
    industries = list(
        Industry.objects.filter(level=IndustryLevel.CLASS)
        .order_by("code")
        .values_list("code", "section", "division")
    )
    return counties, industries


@dataclass
class LoadResult:
    organisations: int = 0
    figures: int = 0
    name_changes: int = 0
    users: int = 0
    seconds: float = 0.0
    skipped: bool = False
    existing: int = 0
    timings: dict = field(default_factory=dict)


def load_demo_province(
    params: DemoParams,
    *,
    password: str = DEFAULT_PASSWORD,
    if_empty: bool = False,
    chunk_size: int = 50_000,
    drop_indexes: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Generate and write the demo province in one transaction; see the module docstring.

    Refuses (``ValueError``) when organisations exist, unless ``if_empty`` (then does nothing and
    returns ``skipped=True``). On PostgreSQL the secondary indexes of the two big tables are
    dropped and rebuilt around the COPY when ``drop_indexes`` (default: for 100,000+ enterprises).
    """
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from smeplan.audit.services import audit_record
    from smeplan.regions.models import Region
    from smeplan.registry.models import Organisation

    started = time.perf_counter()
    existing = Organisation.objects.count()
    if existing:
        if if_empty:
            return LoadResult(skipped=True, existing=existing)
        raise ValueError(
            f"数据库中已有 {existing} 个单位；演示数据只能加载到没有单位的数据库（可用 --if-empty 跳过）"
        )
    say = progress or (lambda _msg: None)
    counties, industries = reference_data()
    result = LoadResult()
    postgres = connection.vendor == "postgresql"
    if drop_indexes is None:
        drop_indexes = postgres and params.enterprises >= 100_000
    with transaction.atomic():
        first_id = (Organisation.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        writer = _PostgresWriter(drop_indexes) if postgres else _InsertWriter()
        writer.begin()
        gen_seconds = 0.0
        t = time.perf_counter()
        for chunk in generate(params, counties, industries, first_id=first_id, chunk_size=chunk_size):
            gen_seconds += time.perf_counter() - t
            writer.write(chunk)
            result.organisations += len(chunk.organisations)
            result.figures += len(chunk.figures)
            result.name_changes += len(chunk.name_changes)
            say(
                f"  {result.organisations:,} 家企业 / {result.figures:,} 条年度数据（{time.perf_counter() - started:.0f} 秒）"
            )
            t = time.perf_counter()
        result.timings["generate"] = round(gen_seconds, 1)
        result.timings["write"] = round(writer.seconds, 1)
        t = time.perf_counter()
        writer.finish()
        result.timings["indexes_and_analyze"] = round(time.perf_counter() - t, 1)
        result.users = _create_users(make_password(password))
        result.seconds = round(time.perf_counter() - started, 1)
        audit_record(
            actor=None,
            event_type="demo.loaded",
            subject=Region.objects.get(pk=PROVINCE_CODE),
            payload={
                **asdict(params),
                "organisations": result.organisations,
                "figures": result.figures,
                "name_changes": result.name_changes,
                "users": result.users,
                "seconds": result.seconds,
            },
        )
    return result


class _InsertWriter:
    """SQLite (any DB-API backend): ``executemany`` of the generated tuples in one transaction.

    ``bulk_create`` was measured at 24.6 s for 20,000 enterprises × 6 years (Django prepares every
    value of every model instance); inserting the same tuples directly takes a fraction of that.
    Values are adapted as Django's SQLite backend does: dates as ISO strings, the timestamp through
    ``adapt_datetimefield_value``, money as numbers (the NUMERIC column stores '1234.50' and 1234.5
    alike)."""

    def __init__(self):
        self.seconds = 0.0

    def begin(self):
        pass

    def write(self, chunk: Chunk):
        from django.db import connection
        from django.utils import timezone

        t = time.perf_counter()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cur:
            cur.executemany(
                _insert_sql("registry_organisation", (*ORG_COLUMNS, "created_at", "updated_at")),
                [(*row[:7], row[7].isoformat(), *row[8:], now, now) for row in chunk.organisations],
            )
            cur.executemany(
                _insert_sql("indicators_annualfigures", (*FIGURE_COLUMNS, "updated_at")),
                [(*row, now) for row in chunk.figures],
            )
            cur.executemany(
                _insert_sql("registry_organisationnamechange", (*NAME_CHANGE_COLUMNS, "recorded_at")),
                [(*row[:3], row[3].isoformat(), now) for row in chunk.name_changes],
            )
        self.seconds += time.perf_counter() - t

    def finish(self):
        pass


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    placeholders = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - constant names


class _PostgresWriter:
    """PostgreSQL: psycopg 3 ``COPY … FROM STDIN`` per chunk, inside the caller's transaction.

    With ``drop_indexes`` the secondary indexes, unique and foreign-key constraints of the three
    big tables (not primary keys or checks) are dropped first and re-created at the end from their
    catalogue definitions: building an index once is much cheaper than maintaining it row by row,
    and re-adding a foreign key validates it with one join instead of one deferred trigger per row.
    Then the id sequence is moved past the loaded ids and the tables are ANALYZEd.
    """

    TABLES = ("registry_organisation", "indicators_annualfigures", "registry_organisationnamechange")
    #: Written by the organisations' triggers during the COPY (registry migration 0005): its index
    #: is dropped and rebuilt with the others, and it is ANALYZEd for the search's statistics.
    DERIVED_TABLES = ("registry_organisation_namegram",)

    def __init__(self, drop_indexes: bool):
        self.drop_indexes = drop_indexes
        self.constraints: list[tuple[str, str, str, str]] = []  # (table, name, type, definition)
        self.indexes: list[tuple[str, str]] = []  # (name, CREATE INDEX …)
        self.seconds = 0.0

    def _cursor(self):
        from django.db import connection

        connection.ensure_connection()
        return connection.connection.cursor()

    def begin(self):
        with self._cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cur.execute("SET LOCAL synchronous_commit = off")
            if not self.drop_indexes:
                return
            cur.execute(
                """
                SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace AND c.contype IN ('f', 'u')
                ORDER BY c.contype DESC, t.relname, c.conname
                """,
                (list(self.TABLES),),
            )
            self.constraints = cur.fetchall()  # unique ('u') before foreign keys ('f')
            cur.execute(
                """
                SELECT i.relname, pg_get_indexdef(x.indexrelid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                ORDER BY i.relname
                """,
                (list(self.TABLES + self.DERIVED_TABLES),),
            )
            self.indexes = cur.fetchall()
            for table, name, _, _ in reversed(self.constraints):
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in self.indexes:
                cur.execute(f'DROP INDEX "{name}"')

    def write(self, chunk: Chunk):
        from django.utils import timezone

        t = time.perf_counter()
        now = timezone.now()
        with self._cursor() as cur:
            org_cols = ", ".join((*ORG_COLUMNS, "created_at", "updated_at"))
            with cur.copy(f"COPY registry_organisation ({org_cols}) FROM STDIN") as copy:
                for row in chunk.organisations:
                    copy.write_row((*row, now, now))
            fig_cols = ", ".join((*FIGURE_COLUMNS, "updated_at"))
            with cur.copy(f"COPY indicators_annualfigures ({fig_cols}) FROM STDIN") as copy:
                for row in chunk.figures:
                    copy.write_row((*row, now))
            nc_cols = ", ".join((*NAME_CHANGE_COLUMNS, "recorded_at"))
            with cur.copy(f"COPY registry_organisationnamechange ({nc_cols}) FROM STDIN") as copy:
                for row in chunk.name_changes:
                    copy.write_row((*row, now))
        self.seconds += time.perf_counter() - t

    def finish(self):
        with self._cursor() as cur:
            for table, name, contype, definition in self.constraints:
                if contype == "u":
                    cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            for _, definition in self.indexes:
                cur.execute(definition)
            for table, name, contype, definition in self.constraints:
                if contype == "f":
                    cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('registry_organisation', 'id'), "
                "(SELECT coalesce(max(id), 1) FROM registry_organisation))"
            )
            cur.execute(
                "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relnamespace = 'public'::regnamespace",
                (list(self.TABLES + self.DERIVED_TABLES),),
            )
            for (table,) in cur.fetchall():
                cur.execute(f"ANALYZE {table}")


# --- users --------------------------------------------------------------------------------------


def demo_usernames() -> list[tuple[str, str, str | None]]:
    """(username, role, region code) of the bureau demo users (enterprise users come after)."""
    from smeplan.regions.models import Region, RegionLevel

    rows = [
        ("prov_admin", "provincial_admin", PROVINCE_CODE),
        ("prov_officer", "provincial_officer", PROVINCE_CODE),
        ("viewer", "viewer", PROVINCE_CODE),
        ("expert", "expert", None),
    ]
    for code in Region.objects.filter(level=RegionLevel.CITY).order_by("code").values_list("code", flat=True):
        rows.append((f"city_{code}", "city_officer", code))
    for code in Region.objects.filter(is_county=True).order_by("code").values_list("code", flat=True):
        rows.append((f"county_{code}", "county_officer", code))
    return rows


ROLE_TITLES = {
    "provincial_admin": "管理员",
    "provincial_officer": "工作人员",
    "viewer": "只读用户",
    "city_officer": "工作人员",
    "county_officer": "工作人员",
}


def _create_users(password_hash: str) -> int:
    """Create the demo users that do not exist yet, all with the same (pre-computed) hash."""
    from smeplan.accounts.models import User
    from smeplan.regions.models import Region
    from smeplan.registry.models import Organisation

    names = dict(Region.objects.values_list("code", "name"))
    users = []
    for username, role, region in demo_usernames():
        display = "评审专家（演示）" if role == "expert" else f"{names[region]}{ROLE_TITLES[role]}"
        users.append(
            User(
                username=username, password=password_hash, role=role, region_id=region, display_name=display,
                is_staff=role == "provincial_admin",
            )
        )  # fmt: skip
    xian_orgs = Organisation.objects.filter(
        county__path__startswith=f"{PROVINCE_CODE}/{XIAN_CODE}/"
    ).order_by("id")
    for n, (org_id, org_name) in enumerate(xian_orgs.values_list("id", "name")[:5], start=1):
        users.append(
            User(username=f"ent_{n}", password=password_hash, role="enterprise_user", organisation_id=org_id,
                 display_name=org_name[:60])
        )  # fmt: skip
    existing = set(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", flat=True)
    )
    new = [u for u in users if u.username not in existing]
    User.objects.bulk_create(new)
    return len(new)
