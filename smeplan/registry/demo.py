"""演示省份 (demo province): a realistic, deterministic Shaanxi registry for demos and benchmarks.

:func:`generate` is pure (standard-library ``random`` seeded, no database): given the counties,
the industry classes and :class:`DemoParams` it yields :class:`Chunk` s of plain tuples
(organisations, yearly figures, name changes), always the same for the same parameters.
:func:`load_demo_province` writes them — ``bulk_create`` on SQLite, psycopg 3 ``COPY`` on
PostgreSQL — creates the demo users and records one ``demo.loaded`` audit event.

What the data looks like (plausible assumptions, not statistics; the README says which):

* the story firms first (:data:`STORY`: the enterprise users' firms in 雁塔区, fixed figures that
  meet the criteria of the tiers they apply for in the demo workflow);
* enterprises per county by ``data/demo_counties.csv`` (roughly economic size; 西安 ≈ 45 %), every
  county at least a few;
* industries from ``data/demo_industries.csv`` (≈ 375 GB/T 4754-2017 classes; wholesale/retail and
  manufacturing lead) times the city's multipliers of ``data/demo_industry_regions.csv``;
* names 区划简称 + 字号 + a word of the class + 组织形式 (西安秦川软件有限公司), unique (a
  distinguishing word is inserted on collision); about 2 % renamed (name history kept);
* last-year operating revenue log-normal per sector with a small median, so most firms are micro
  (≈ 80 %), then small, a few medium; employees from revenue over a log-normal labour productivity
  and assets from a log-normal asset/revenue ratio, so size classes follow;
* earlier years walk back with log growth = the firm's drift (steady fast growers, ordinary or
  shrinking firms) + the province's year + AR(1) noise, bounded (−45 % … +100 %); the founding
  year is a partial year; margins, tax and R&D intensity steady per firm (some loss makers and
  loss years); ≈ 3 % missing years (no row) and no figures before the founding year;
* size class and 四上 status of the latest year with figures computed with
  :mod:`smeplan.registry.classification` (a per-industry fast path, checked against it in tests).
"""

from __future__ import annotations

import csv
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
from pathlib import Path

from smeplan.registry import classification
from smeplan.registry.credit_code import make_credit_code

DEFAULT_ENTERPRISES = 20_000
DEFAULT_SEED = 2017
#: First year of figures of ``manage.py demo_province``: the demo's lists of past years
#: (``targets/demo.py``) start in 2017 and read the figures of the year before and its growth.
DEFAULT_FIRST_YEAR = 2014
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

DATA_DIR = Path(__file__).resolve().parent / "data"
#: Every county gets at least this many enterprises (when N allows).
MIN_PER_COUNTY = 3


@functools.cache
def county_weights() -> dict[str, float]:
    """County code → relative number of enterprises (``data/demo_counties.csv``)."""
    return {row["code"]: float(row["weight"]) for row in _read_csv(DATA_DIR / "demo_counties.csv")}


@dataclass(frozen=True)
class DemoIndustry:
    """A GB/T 4754 class the demo registers enterprises in: its province-wide weight and the
    industry words of its firms' names."""

    code: str
    name: str
    weight: float
    words: tuple[str, ...]


@functools.cache
def demo_industries() -> tuple[DemoIndustry, ...]:
    """The classes of ``data/demo_industries.csv``."""
    return tuple(
        DemoIndustry(row["code"], row["name"], float(row["weight"]), tuple(row["words"].split()))
        for row in _read_csv(DATA_DIR / "demo_industries.csv")
    )


@functools.cache
def industry_region_multipliers() -> dict[str, tuple[tuple[str, float], ...]]:
    """City-level unit code → ((selector, multiplier), …) of ``data/demo_industry_regions.csv``."""
    out: dict[str, list[tuple[str, float]]] = {}
    for row in _read_csv(DATA_DIR / "demo_industry_regions.csv"):
        out.setdefault(row["region"], []).append((row["selector"], float(row["multiplier"])))
    return {k: tuple(v) for k, v in out.items()}


def selector_covers(selector: str, code: str, section: str) -> bool:
    """A section letter covers its classes; a numeric selector the classes it prefixes."""
    return section == selector if selector.isalpha() else code.startswith(selector)


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
#: 建筑业资质 of construction firms (with one they are 四上): plausible, most small builders have none
CONSTRUCTION = (("general", 10), ("specialised", 25), ("none", 65))
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


#: Plausible assumptions: most registered firms are small (the median firm has a few million yuan of
#: revenue and a handful of staff), with a long log-normal tail up to a few large ones.
PROFILES = {
    "A": SectorProfile(30, 1.3, 20, 1.5, 0.05),
    "B": SectorProfile(500, 1.6, 80, 2.0, 0.08, 0.2, 0.01),
    "C": SectorProfile(150, 1.6, 40, 1.1, 0.055, 0.45, 0.025, 0.10),
    "D": SectorProfile(500, 1.6, 120, 3.0, 0.07, 0.2, 0.01),
    "E": SectorProfile(180, 1.5, 35, 1.2, 0.045, 0.12, 0.008),
    "51": SectorProfile(170, 1.6, 120, 0.5, 0.03, 0.03, 0.005, 0.04),
    "52": SectorProfile(45, 1.4, 30, 0.6, 0.03),
    "G": SectorProfile(110, 1.4, 35, 1.0, 0.05),
    "H": SectorProfile(40, 1.2, 12, 0.8, 0.05),
    "I": SectorProfile(70, 1.5, 30, 0.8, 0.08, 0.7, 0.07, 0.03),
    "J": SectorProfile(120, 1.4, 80, 8.0, 0.10),
    "7010": SectorProfile(700, 1.6, 150, 3.0, 0.09),
    "K": SectorProfile(55, 1.3, 12, 1.5, 0.06),
    "L": SectorProfile(45, 1.5, 30, 1.5, 0.06),
    "M": SectorProfile(50, 1.5, 25, 1.2, 0.08, 0.6, 0.08),
    "N": SectorProfile(60, 1.3, 20, 1.5, 0.05),
    "O": SectorProfile(25, 1.1, 10, 0.6, 0.05),
    "P": SectorProfile(30, 1.2, 12, 0.8, 0.06),
    "Q": SectorProfile(55, 1.3, 18, 1.0, 0.06),
    "R": SectorProfile(35, 1.3, 20, 1.2, 0.05),
}
FIRST_FOUNDING_YEAR = 1985

#: Growth of revenue, year on year (log): drift per firm + the province's year + an AR(1) shock.
#: Plausible assumptions: most firms grow −20 %…+40 % a year; a few percent are fast growers
#: (20–38 % a year, steadily — the firms the growth tiers look for), some shrink; a rare jump.
GAZELLE_SHARE = 0.05
GAZELLE_SHARE_LARGER = 0.15  # of the firms with 2,000 万元 of revenue or more
DECLINER_SHARE = 0.16
JUMP_CHANCE = 0.02
#: The province's year: added to every firm's log growth into that year (plausible: 2020's slump
#: and 2021's rebound; other years 0).
YEAR_SHOCKS = {2020: -0.07, 2021: 0.05, 2022: -0.02}
#: Bounds of a year's revenue growth (−45 %, +100 %): heavy-tailed but bounded.
LOG_GROWTH_MIN = math.log(0.55)
LOG_GROWTH_MAX = math.log(2.0)
#: Share of firms making losses every year, and of a profitable firm's years with a loss.
LOSS_MAKER_SHARE = 0.10
LOSS_YEAR_CHANCE = 0.03


@dataclass(frozen=True)
class StoryFirm:
    """An enterprise of the demo's story: the enterprise users ``ent_1`` … ``ent_5`` belong to
    these, in :data:`STORY_COUNTY` (the county whose login ``demo_logins`` prints). Their figures
    are fixed so that each meets the criteria of the tier it applies for in the demo workflow
    (``recognition/demo.py``): revenue of the last year and its growth in the years before it
    (latest first; the last value repeats), margin, tax and R&D as shares of revenue."""

    name: str
    industry: str
    founded_years_ago: int
    revenue: float
    growth: tuple[float, ...]
    employees: int
    margin: float
    tax: float
    rd: float
    new_products: float = 0.0


STORY_COUNTY = "610113"  # 雁塔区
STORY = (
    # ent_1: applies for 省级创业之星 (small, revenue ≥ 500 万元, below the 2,000 万元 of 规模以上服务业;
    # founded 3 years ago and in software: both priorities); its application waits at the county
    StoryFirm("西安云帆软件有限公司", "6513", 3, 1380.0, (0.24, 0.21, 0.18), 46, 0.09, 0.045, 0.11),
    # ent_2: 省级创业之星, certified in the demo workflow (a small manufacturer below 2,000 万元)
    StoryFirm("西安秦智机器人有限公司", "3491", 7, 1650.0, (0.19, 0.15, 0.12), 58, 0.07, 0.04, 0.06, 0.3),
    # ent_3: drafting an application for 省级成长之星 (revenue 2,000–10,000 万元, steady growth)
    StoryFirm("西安华信检测技术有限公司", "7452", 9, 4200.0, (0.26, 0.23, 0.2), 120, 0.11, 0.05, 0.07),
    # ent_4: 省级创业之星, returned by the county for a missing document
    StoryFirm("西安汉唐生物科技有限公司", "7512", 5, 780.0, (0.15, 0.12), 28, 0.08, 0.035, 0.05),
    # ent_5: 省级创业之星, on public notice now
    StoryFirm("西安锦程电子科技有限公司", "3982", 6, 1120.0, (0.17, 0.14), 35, 0.06, 0.04, 0.04, 0.2),
)


def story_firms(
    counties: list[County], industries: list[tuple[str, str, str]], n: int
) -> tuple[StoryFirm, ...]:
    """The story firms the generator writes first (ids ``first_id`` …): all of :data:`STORY` when
    the county and the classes exist and ``n`` leaves room for the rest of the province; none
    otherwise."""
    codes = {code for code, _, _ in industries}
    if (
        n < 20 * len(STORY)
        or not any(c.code == STORY_COUNTY for c in counties)
        or any(s.industry not in codes for s in STORY)
    ):
        return ()
    return STORY


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


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV whose lines starting with ``#`` are comments."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _county_plan(rng: random.Random, counties: list[County], n: int) -> list[int]:
    """County index of each enterprise: at least a few per county, the rest by the county weights."""
    known = county_weights()
    weights = [known.get(c.code, 1.0) for c in counties]
    base = min(MIN_PER_COUNTY, n // max(len(counties), 1))
    plan = [i for i in range(len(counties)) for _ in range(base)]
    plan += rng.choices(range(len(counties)), cum_weights=_cum(weights), k=n - len(plan))
    rng.shuffle(plan)
    return plan


def _industry_tables(industries: list[tuple[str, str, str]], cities: list[str]):
    """Per city-level unit: (class codes, cumulative weights) — the demo classes present in
    ``industries``, each weighted by ``demo_industries.csv`` times the city's multipliers."""
    section_of = {code: section for code, section, _ in industries}
    rows = [d for d in demo_industries() if d.code in section_of]
    codes = [d.code for d in rows]
    multipliers = industry_region_multipliers()
    tables = {}
    for city in cities:
        rules = multipliers.get(city, ())
        weights = []
        for d in rows:
            w = d.weight
            for selector, m in rules:
                if selector_covers(selector, d.code, section_of[d.code]):
                    w *= m
            weights.append(w)
        tables[city] = (codes, _cum(weights))
    return tables


@functools.cache
def _normal_table(size: int = 1 << 16) -> tuple[float, ...]:
    """Standard-normal quantiles at the midpoints of ``size`` equal-probability bins."""
    inv_cdf = statistics.NormalDist().inv_cdf
    return tuple(inv_cdf((i + 0.5) / size) for i in range(size))


def _profile_for(code: str, section: str) -> SectorProfile:
    return PROFILES.get(code) or PROFILES.get(code[:2]) or PROFILES[section]


def _story_rows(story: StoryFirm, org_id: int, params: DemoParams) -> list[tuple]:
    """Figure rows of a story firm (FIGURE_COLUMNS), from its founding year or the first year."""
    last = params.last_year
    first = max(params.first_year, last - story.founded_years_ago)
    rows = []
    revenue = story.revenue
    for i, year in enumerate(range(last, first - 1, -1)):
        employees = max(1, round(story.employees * (revenue / story.revenue) ** 0.5))
        assets = revenue * 0.9
        rows.append(
            (
                org_id, year, round(revenue, 2), round(revenue * 0.97, 2), round(revenue * story.margin, 2),
                round(revenue * story.tax, 2), round(revenue * story.rd, 2), employees, round(assets, 2),
                round(assets * 0.45, 2), round(revenue * story.new_products, 2), 0.0,
            )
        )  # fmt: skip
        growth = story.growth[min(i, len(story.growth) - 1)]
        revenue /= 1 + growth
    rows.reverse()
    return rows


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
    ``first_id``; the story firms (:func:`story_firms`) come first. Deterministic: the same
    arguments give the same rows (chunking included).
    """
    rng = random.Random(params.seed)
    rnd, randrange, choice = rng.random, rng.randrange, rng.choice
    z_table, z_size = _normal_table(), len(_normal_table())

    def gauss(mu: float, sigma: float) -> float:  # random.gauss, by inverse-CDF table look-up (faster)
        return mu + sigma * z_table[int(rnd() * z_size)]

    n = params.enterprises
    years = range(params.first_year, params.last_year + 1)
    last = params.last_year
    story = story_firms(counties, industries, n)
    county_plan = _county_plan(rng, counties, n - len(story))
    cities = sorted({c.city_code for c in counties})
    tables = _industry_tables(industries, cities)
    county_table = [tables[c.city_code] for c in counties]
    ind_section = {code: section for code, section, _ in industries}
    words = {d.code: d.words for d in demo_industries() if d.code in ind_section}
    profiles = {code: _profile_for(code, ind_section[code]) for code in words}
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
    year_shock = {year: YEAR_SHOCKS.get(year, 0.0) for year in years}
    used_names: set[str] = {s.name for s in story}
    log, exp = math.log, math.exp
    g_min, g_max = LOG_GROWTH_MIN, LOG_GROWTH_MAX

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

    def phone_for(ci: int) -> str:
        if rnd() < 0.6:
            return f"1{choice('35789')}{randrange(10**9):09d}"
        if area[ci] == "029":  # 8-digit local numbers
            return f"029-{randrange(2, 9)}{randrange(10**7):07d}"
        return f"{area[ci]}-{randrange(2, 9)}{randrange(10**6):06d}"

    chunk = Chunk()
    story_county = next((i for i, c in enumerate(counties) if c.code == STORY_COUNTY), 0)
    for k, firm in enumerate(story):
        org_id = first_id + k
        county = counties[story_county]
        founded_on = dt.date(last - firm.founded_years_ago, 1, 1) + dt.timedelta(days=randrange(365))
        rows = _story_rows(firm, org_id, params)
        chunk.figures.extend(rows)
        latest = rows[-1]
        size = classifier.size(firm.industry, last, latest[7], latest[2], latest[8])
        scale = classifier.above_scale(firm.industry, last, latest[3], latest[2], "")
        chunk.organisations.append(
            (
                org_id, make_credit_code(county.code, (serial_offset + k * 7919) % 100_000_000), firm.name, "",
                "enterprise", county.code, firm.industry, founded_on, 1000.0, "private", "",
                f"{address_head[story_county]}{choice(ROADS)}{randrange(1, 300)}号", person(),
                phone_for(story_county), size, scale, last,
            )
        )  # fmt: skip
    for k in range(len(story), n):
        org_id = first_id + k
        ci = county_plan[k - len(story)]
        county = counties[ci]
        ind_codes, ind_cum = county_table[ci]
        code = _pick(rnd, ind_codes, ind_cum)
        section = ind_section[code]
        prof = profiles[code]
        name = make_name(ci, code)
        founded_year = max(FIRST_FOUNDING_YEAR, last - int(rng.expovariate(1 / 11)))
        founded_on = dt.date(founded_year, 1, 1) + dt.timedelta(days=randrange(365))
        qualification = _pick(rnd, cq_names, cq_cum) if section == "E" else ""

        # last-year economics, and the firm's kind of growth: fast and steady (more often among the
        # larger firms: a fast grower does not stay small), ordinary, or shrinking
        revenue = prof.revenue * exp(gauss(0, prof.sigma))
        u = rnd()
        gazelles = GAZELLE_SHARE if revenue < 2000 else GAZELLE_SHARE_LARGER
        if u < gazelles:
            drift, steady = 0.18 + 0.14 * rnd(), 0.4
        elif u < gazelles + DECLINER_SHARE:
            drift, steady = gauss(-0.07, 0.04), 1.0
        else:
            drift, steady = gauss(0.04, 0.04), 1.0
        fast = steady < 1.0
        employees = revenue / (prof.productivity * exp(gauss(0, 0.5)))
        assets = revenue * prof.asset_ratio * exp(gauss(0, 0.5))
        if rnd() < LOSS_MAKER_SHARE and not fast:
            margin_f = -(0.01 + 0.07 * rnd())
        else:
            margin_f = prof.margin * exp(gauss(0, 0.4)) * (1.3 if fast else 1.0)
        tax_f = 0.015 + 0.045 * rnd()
        debt_f = 0.3 + 0.4 * rnd()
        main_f = 0.9 + 0.1 * rnd()
        rd_f = 0.0
        if rnd() < (
            max(0.6, min(0.95, prof.rd_share * 1.6)) if fast else prof.rd_share
        ):  # fast growers innovate
            rd_f = min(0.4, prof.rd_intensity * exp(gauss(0, 0.6)) * (1.5 if fast else 1.0))
        np_f = 0.05 + 0.55 * rnd() if section == "C" and rd_f and rnd() < 0.5 else 0.0
        ex_f = 0.05 + 0.55 * rnd() if prof.export_share and rnd() < prof.export_share else 0.0
        vol = min(0.22, max(0.06, 0.26 - 0.04 * log(max(revenue, 1.0), 10))) * steady
        jump_chance = JUMP_CHANCE if revenue < 2000 else 0.0  # lumpy years are a small firm's

        # walk back from the last year: log growth = drift + the year's shock + AR(1) noise (young
        # firms grow faster; the founding year is a partial year), bounded
        series = []
        shock = 0.0
        log_rev, log_emp, log_ast = log(revenue), log(max(employees, 1.0)), log(assets)
        for year in reversed(years):
            if year < founded_year:
                break
            series.append((year, exp(log_rev), exp(log_emp), exp(log_ast)))
            if year - 1 == founded_year:
                g = -log(0.6 + 0.3 * rnd())  # the founding year had 60–90 % of a full year's revenue
            else:
                shock = 0.3 * shock + gauss(0, vol)
                if rnd() < jump_chance:
                    shock += gauss(0, 0.3)
                g = drift + year_shock[year] + shock + (0.06 if year - founded_year <= 2 else 0.0)
            g = g_min if g < g_min else g_max if g > g_max else g
            log_rev -= g
            log_emp -= 0.5 * g + gauss(0, 0.04)
            log_ast -= 0.6 * g + 0.02 + gauss(0, 0.04)

        latest = None
        for year, rev_y, emp_y, ast_y in reversed(series):
            if rnd() < 0.03:  # not reported that year
                continue
            margin_y = margin_f * exp(gauss(0, 0.1 * steady))
            if margin_f > 0 and rnd() < LOSS_YEAR_CHANCE:
                margin_y = -margin_f * (0.2 + 0.8 * rnd())
            rev = round(rev_y, 2)
            emp = max(1, int(emp_y + 0.5))
            ast = round(ast_y, 2)
            main = round(rev_y * main_f, 2)
            row = (
                org_id, year, rev, main,
                round(rev_y * margin_y, 2),
                round(rev_y * tax_f * exp(gauss(0, 0.06 * steady)), 2),
                round(rev_y * rd_f * exp(gauss(0, 0.1)), 2) if rd_f else 0.0,
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
        chunk.organisations.append(
            (
                org_id, make_credit_code(county.code, (serial_offset + k * 7919) % 100_000_000), name,
                former_names, "enterprise", county.code, code, founded_on, float(capital),
                _pick(rnd, own_names, own_cum), qualification,
                f"{address_head[ci]}{choice(ROADS)}{randrange(1, 300)}号", person(), phone_for(ci), size, scale,
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
        story = story_firms(counties, industries, params.enterprises)
        result.users = _create_users(
            make_password(password), story_ids=list(range(first_id, first_id + len(story)))
        )
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


def _create_users(password_hash: str, story_ids: list[int] | None = None) -> int:
    """Create the demo users that do not exist yet, all with the same (pre-computed) hash. The
    enterprise users ``ent_1`` … belong to the story firms (``story_ids``), else to the first
    enterprises of 西安."""
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
    if story_ids:
        firms = Organisation.objects.filter(pk__in=story_ids).order_by("id")
    else:
        firms = Organisation.objects.filter(
            county__path__startswith=f"{PROVINCE_CODE}/{XIAN_CODE}/"
        ).order_by("id")
    for n, (org_id, org_name) in enumerate(firms.values_list("id", "name")[:5], start=1):
        users.append(
            User(username=f"ent_{n}", password=password_hash, role="enterprise_user", organisation_id=org_id,
                 display_name=org_name[:60], is_organisation_admin=True)
        )  # fmt: skip
    existing = set(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", flat=True)
    )
    new = [u for u in users if u.username not in existing]
    User.objects.bulk_create(new)
    return len(new)
