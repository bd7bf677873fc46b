"""Schemas (request and response shapes) of the API and the functions that fill them.

Units: money in 万元, serialised as a string with two decimals ("1234.50"); employees (从业人员) an
integer number of persons; derived rates as fractions in a string with four decimals ("0.1234" =
12.34%). A missing value is ``null``, never 0.

Write schemas accept numbers as JSON numbers OR strings (full-width digits and thousands separators
included): the services validate them and answer with the same Chinese messages as the pages.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, PlainValidator, StrictInt, StrictStr, create_model

from smeplan.indicators.derived import GROWTH_FIELDS, RATIOS, Derived
from smeplan.indicators.models import FIGURE_FIELDS, FIGURE_UNITS, FigureRevision
from smeplan.registry.models import Organisation, OrganisationKind, OrganisationNameChange
from smeplan.registry.selectors import SORTS

TWO = Decimal("0.01")
FOUR = Decimal("0.0001")

# --- formatting --------------------------------------------------------------------------------


def page_out(page, item) -> dict:
    """A page of a list (``registry.selectors.page_of``: no COUNT) as every list endpoint returns it."""
    return {
        "items": [item(x) for x in page.items],
        "page": page.number,
        "page_size": page.size,
        "has_next": page.has_next,
    }


def money(value) -> str | None:
    """万元 with two decimals as a string; None stays None."""
    if value is None:
        return None
    return str(Decimal(value).quantize(TWO))


def figure_value(field: str, value):
    """A figure as the API shows it: integer persons for employees, else a 2-decimal string."""
    if value is None:
        return None
    if FIGURE_UNITS.get(field) == "人":
        return int(value)
    return money(value)


def rate(value) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(FOUR))


# --- common ----------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")


class ValidationErrorOut(Schema):
    detail: str = Field(description="“输入有误”或“请求参数有误：…”")
    errors: dict[str, list[str]] = Field(
        description="每个有问题的字段及其中文说明（与网页表单的提示相同）；非字段错误放在 __all__ 下"
    )


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}

# --- regions and industries --------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="区划代码（GB/T 2260；杨凌示范区为内部代码 619900）")
    name: str
    level: Literal["province", "city", "county"] = Field(description="主管部门层级：省级 / 市级 / 县级")
    parent: str | None = Field(description="上级主管部门辖区的代码（主管部门层级，而非区划表）")
    is_county: bool = Field(
        description="是否为县级行政区（单位登记在县级行政区；韩城市既是市级单位又是县级行政区）"
    )
    in_scope: bool = Field(description="是否在当前用户的管辖范围内")


class RegionNode(RegionOut):
    children: list["RegionNode"] = Field(default_factory=list)


RegionNode.model_rebuild()


class RegionDetailOut(RegionOut):
    path: str = Field(description="主管部门层级路径，如 610000/610100/610113/")
    children: list[RegionOut] = Field(default_factory=list, description="直接下级")


def region_out(region, visible: set[str]) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id,
        "is_county": region.is_county,
        "in_scope": region.code in visible,
    }


class IndustryOut(Schema):
    code: str = Field(description="GB/T 4754-2017 代码：门类字母、大类2位、中类3位、小类4位")
    name: str
    level: Literal["section", "division", "group", "class"] = Field(description="门类 / 大类 / 中类 / 小类")
    section: str = Field(description="所属门类（A–T）")
    division: str = Field(description="所属大类（2位；门类本身为空）")
    parent: str | None


def industry_out(industry) -> dict | None:
    if industry is None:
        return None
    return {
        "code": industry.code,
        "name": industry.name,
        "level": industry.level,
        "section": industry.section,
        "division": industry.division,
        "parent": industry.parent_id,
    }


# --- organisations ---------------------------------------------------------------------------


class RegionRef(Schema):
    code: str
    name: str


class OrganisationListItem(Schema):
    id: int
    credit_code: str = Field(description="统一社会信用代码（18位）")
    name: str
    kind: str = Field(
        description="单位类型代码：" + "、".join(f"{v}（{label}）" for v, label in OrganisationKind.choices)
    )
    kind_label: str
    county: RegionRef = Field(description="所属区县")
    industry: IndustryOut | None
    size_class: str = Field(
        description="企业规模：large / medium / small / micro；空字符串表示无法判定（数据不全）"
    )
    size_class_label: str
    above_scale: bool | None = Field(description="是否四上企业；null 表示无法判定")
    classified_year: int | None = Field(description="规模与四上判定所依据的年度")


class OrganisationOut(OrganisationListItem):
    city: RegionRef | None = Field(description="所属市级单位（含杨凌示范区、韩城市）")
    former_names: list[str] = Field(description="曾用名")
    founded_on: dt.date | None = Field(description="成立日期")
    registered_capital: str | None = Field(description="注册资本（万元），两位小数的字符串")
    ownership_type: str = Field(description="登记注册类型代码")
    ownership_type_label: str
    construction_qualification: str = Field(description="建筑业资质代码（E 门类企业判定四上所需）")
    construction_qualification_label: str
    address: str
    contact_person: str
    contact_phone: str
    created_at: dt.datetime
    updated_at: dt.datetime


class OrganisationPage(Schema):
    items: list[OrganisationListItem]
    page: int = Field(description="页码（从 1 开始）")
    page_size: int
    has_next: bool = Field(description="是否还有下一页")
    total: int = Field(description="符合条件的单位数（数量较多时为估计值）")
    total_is_estimate: bool = Field(
        description="total 是否为估计值（数量较多时不逐条统计，以保证大表上的速度）"
    )
    total_is_lower_bound: bool = Field(
        description="为 true 时符合条件的单位多于 total（只数到 total 为止，网页显示为“超过 N 家”）"
    )


def organisation_list_item(org: Organisation) -> dict:
    return {
        "id": org.pk,
        "credit_code": org.credit_code,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "county": {"code": org.county.code, "name": org.county.name},
        "industry": industry_out(org.industry),
        "size_class": org.size_class,
        "size_class_label": str(org.get_size_class_display()) if org.size_class else "无法判定",
        "above_scale": org.above_scale,
        "classified_year": org.classified_year,
    }


def _city_of(county) -> dict | None:
    code = county.city_level_unit_code()
    if code == county.code:
        return {"code": county.code, "name": county.name}
    parent = county.parent
    if parent is not None and parent.code == code:
        return {"code": parent.code, "name": parent.name}
    return None


def organisation_out(org: Organisation) -> dict:
    return organisation_list_item(org) | {
        "city": _city_of(org.county),
        "former_names": [n for n in org.former_names.split("|") if n],
        "founded_on": org.founded_on,
        "registered_capital": money(org.registered_capital),
        "ownership_type": org.ownership_type,
        "ownership_type_label": str(org.get_ownership_type_display()) if org.ownership_type else "",
        "construction_qualification": org.construction_qualification,
        "construction_qualification_label": (
            str(org.get_construction_qualification_display()) if org.construction_qualification else ""
        ),
        "address": org.address,
        "contact_person": org.contact_person,
        "contact_phone": org.contact_phone,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
    }


class OrganisationQuery(Schema):
    """The list's filters: the same as the enterprise list page."""

    q: str = Field("", description="名称、曾用名片段，或统一社会信用代码（完整18位或至少6位前缀）")
    city: str = Field("", description="市级单位代码（如 610100 西安市，619900 杨凌示范区）")
    county: str = Field("", description="区县代码（如 610113 雁塔区）")
    section: str = Field("", description="行业门类（A–T）")
    division: str = Field("", description="行业大类（2位，如 33）")
    size_class: Literal["", "large", "medium", "small", "micro", "unknown"] = Field(
        "", description="企业规模；unknown 为无法判定"
    )
    above_scale: Literal["", "1", "0", "true", "false", "unknown"] = Field(
        "", description="四上企业：1/true 是，0/false 否，unknown 无法判定"
    )
    kind: Literal["", *OrganisationKind.values] = Field("", description="单位类型")
    sort: Literal[*SORTS] = Field("name", description="排序；前缀 - 表示倒序")
    page: int = Field(1, ge=1, description="页码（从 1 开始）")
    page_size: int = Field(20, ge=1, le=100, description="每页条数（1–100）")


def _in(description: str):
    return Field(None, description=description)


# Numbers pass through untouched: the services parse them and word the errors (应为数字，收到“abc”),
# so a text in a number field gets the page's message rather than pydantic's.
Number = Annotated[
    str | int | float | None, PlainValidator(lambda v: v, json_schema_input_type=str | int | float | None)
]
Text = StrictStr | None
Code = StrictStr | StrictInt | None


class _WriteSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class OrganisationUpdateIn(_WriteSchema):
    """Only the fields present change. 名称用更名接口修改；统一社会信用代码不可修改。"""

    kind: Text = _in("单位类型代码或中文名（企业、基地运营机构、服务机构、金融机构、其他）")
    county: Code = _in("所属区县：代码（如 610113）或名称（如 雁塔区；旧名称亦可）")
    industry: Code = _in("GB/T 4754-2017 行业代码（小类4位，或更粗的代码），以字符串提供")
    founded_on: Text = _in("成立日期，如 2015-06-30")
    registered_capital: Number = _in("注册资本（万元）：数字或数字字符串")
    ownership_type: Text = _in("登记注册类型代码或中文名")
    construction_qualification: Text = _in("建筑业资质代码或中文名（E 门类企业）")
    address: Text = _in("地址（≤200字）")
    contact_person: Text = _in("联系人（≤40字）")
    contact_phone: Text = _in("联系电话（≤40字）")


class OrganisationCreateIn(OrganisationUpdateIn):
    credit_code: Text = _in("统一社会信用代码（18位；空格、全角字符、小写字母会自动规范化）")
    name: Text = _in("单位名称（≤120字）")


class RenameIn(_WriteSchema):
    new_name: Text = _in("新名称")
    changed_on: Text = _in("更名日期，如 2024-06-30；缺省为今天")


class NameChangeOut(Schema):
    old_name: str
    new_name: str
    changed_on: dt.date
    recorded_by: str | None
    recorded_at: dt.datetime


def name_change_out(change: OrganisationNameChange) -> dict:
    return {
        "old_name": change.old_name,
        "new_name": change.new_name,
        "changed_on": change.changed_on,
        "recorded_by": str(change.recorded_by) if change.recorded_by_id else None,
        "recorded_at": change.recorded_at,
    }


# --- yearly figures ----------------------------------------------------------------------------


def _figure_description(label: str, unit: str, *, output: bool) -> str:
    if unit == "人":
        return (
            f"{label}（人），整数；null 表示缺失"
            if output
            else f"{label}（人）：整数或数字字符串；null 或空字符串表示无数据"
        )
    if output:
        return f'{label}（万元），两位小数的字符串，如 "1234.50"；null 表示缺失'
    return f"{label}（万元）：数字或数字字符串（可含千位分隔符、全角数字）；null 或空字符串表示无数据"


class DerivedOut(Schema):
    value: str | None = Field(
        description="比率（小数形式，四位小数的字符串，0.1234 即 12.34%）；无法得出时为 null"
    )
    status: Literal["ok", "missing", "undefined"] = Field(
        description="ok 已计算；missing 数据不全（所需数值缺失）；undefined 无法计算（基数或分母 ≤ 0）"
    )
    reason: str = Field(description="missing / undefined 的中文原因")


def derived_out(d: Derived) -> dict:
    return {"value": rate(d.value), "status": str(d.status), "reason": d.reason}


DERIVED_LABELS: dict[str, str] = {f"{field}_growth": label for field, label in GROWTH_FIELDS.items()} | {
    name: label for name, (_, _, label) in RATIOS.items()
}

DerivedValuesOut = create_model(
    "DerivedValuesOut",
    __base__=Schema,
    **{
        name: (DerivedOut, Field(description=f"{label}（一处定义：smeplan.indicators.derived）"))
        for name, label in DERIVED_LABELS.items()
    },
)

_figures_out_fields = {
    field: (
        int | None if unit == "人" else str | None,
        Field(description=_figure_description(label, unit, output=True)),
    )
    for field, label, unit in FIGURE_FIELDS
}
FiguresYearOut = create_model(
    "FiguresYearOut",
    __base__=Schema,
    year=(int, Field(description="年度")),
    **_figures_out_fields,
    derived=(DerivedValuesOut, Field(description="派生指标：增速与上年（year−1）比较；比率为当年数值之比")),
    updated_at=(dt.datetime, ...),
)


class FiguresOut(Schema):
    organisation_id: int
    years: list[FiguresYearOut] = Field(description="各年度数据，按年度升序")  # type: ignore[valid-type]


_figures_in_fields = {
    field: (Number, Field(None, description=_figure_description(label, unit, output=False)))
    for field, label, unit in FIGURE_FIELDS
}
FiguresUpdateIn = create_model(
    "FiguresUpdateIn",
    __base__=_WriteSchema,
    **_figures_in_fields,
    note=(Text, Field(None, description="修订说明（≤200字），记入每条修订记录")),
    confirm_warnings=(
        bool,
        Field(
            False,
            description="数据核实提示（如实缴税金高于营业收入、利润总额正负号改变）已核实无误时为 true；"
            "为 false 且有提示时返回 422，errors 中列出各项提示，不保存任何数据",
        ),
    ),
)
FiguresCreateIn = create_model(
    "FiguresCreateIn",
    __base__=FiguresUpdateIn,
    year=(Number, Field(None, description="年度（四位数字，不晚于当前年度）")),
)


def figures_year_out(figures, previous) -> dict:
    from smeplan.indicators.derived import year_derived

    return {
        "year": figures.year,
        **{field: figure_value(field, getattr(figures, field)) for field, _, _ in FIGURE_FIELDS},
        "derived": {name: derived_out(d) for name, d in year_derived(figures, previous).items()},
        "updated_at": figures.updated_at,
    }


def figures_years_out(rows) -> list[dict]:
    """Every year with its derived values; growth compares with the row of year−1 (if any)."""
    by_year = {row.year: row for row in rows}
    return [figures_year_out(row, by_year.get(row.year - 1)) for row in sorted(rows, key=lambda r: r.year)]


class RevisionOut(Schema):
    id: int | None = Field(
        description="修订记录编号；null：导入新建该年度数据时写入的首次值（其来历记录在导入批次上，见 import_batch）"
    )
    import_batch: int | None = Field(None, description="写入该值的导入批次编号；null：非导入写入")
    year: int
    field: str = Field(description="指标字段名")
    field_label: str = Field(description="指标中文名")
    unit: str = Field(description="单位：万元 或 人")
    old_value: str | None = Field(description="原值（万元两位小数；从业人员为整数）；null 表示原来没有数据")
    new_value: str | None = Field(description="新值；null 表示删除了数据")
    source: str = Field(
        description="来源：enterprise 企业填报 / bureau 主管部门录入 / statistics_import 统计数据导入"
    )
    source_label: str
    note: str
    actor: str | None = Field(description="修改人")
    created_at: dt.datetime


def _revision_value(field: str, value) -> str | None:
    v = figure_value(field, value)
    return None if v is None else str(v)


def revision_out(rev: FigureRevision) -> dict:
    return {
        "id": rev.pk,
        "import_batch": rev.import_batch_id,
        "year": rev.year,
        "field": rev.field,
        "field_label": rev.field_label,
        "unit": FIGURE_UNITS.get(rev.field, ""),
        "old_value": _revision_value(rev.field, rev.old_value),
        "new_value": _revision_value(rev.field, rev.new_value),
        "source": rev.source,
        "source_label": str(rev.get_source_display()),
        "note": rev.note,
        "actor": str(rev.actor) if rev.actor_id else None,
        "created_at": rev.created_at,
    }
