"""Organisations (单位) and their yearly figures.

Reads go through the registry / indicators selectors (scoped by ``scope_filter``): an
organisation outside the caller's scope answers 404, exactly like one that does not exist.
Writes go through the same services as the pages (validation, permission, revisions, audit).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status

from smeplan.accounts.scoping import scope_filter
from smeplan.api.schemas import (
    ERRORS,
    READ_ERRORS,
    FiguresCreateIn,
    FiguresOut,
    FiguresUpdateIn,
    FiguresYearOut,
    NameChangeOut,
    OrganisationCreateIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationQuery,
    OrganisationUpdateIn,
    RenameIn,
    RevisionOut,
    figures_year_out,
    figures_years_out,
    name_change_out,
    organisation_list_item,
    organisation_out,
    page_out,
    revision_out,
)
from smeplan.indicators.selectors import figures_get, figures_of, revisions_of
from smeplan.indicators.services import figures_create, figures_update
from smeplan.registry.models import OrganisationNameChange
from smeplan.registry.selectors import (
    OrganisationFilters,
    organisation_count,
    organisation_get,
    organisation_page,
)
from smeplan.registry.services import organisation_create, organisation_rename, organisation_update

router = Router(tags=["单位与年度数据"])

ABOVE_SCALE = {"true": "1", "false": "0"}


# --- reads -------------------------------------------------------------------------------------


@router.get("", response={200: OrganisationPage, **READ_ERRORS}, summary="单位列表（筛选、搜索、排序、分页）")
def organisation_list(request, filters: Query[OrganisationQuery]):
    """与网页单位列表相同的筛选条件，只返回当前用户管辖范围内的单位，名称按拼音排序。``total`` 为符合条件的
    单位数：数量较少时为准确数，较多时为数据库估计值（``total_is_estimate`` 为 true，网页显示为“约 N 家”）；
    ``has_next`` 表示是否还有下一页。"""
    query = OrganisationFilters(
        q=filters.q,
        city=filters.city.strip(),
        county=filters.county.strip(),
        section=filters.section.strip().upper(),
        division=filters.division.strip(),
        size_class=filters.size_class,
        above_scale=ABOVE_SCALE.get(filters.above_scale, filters.above_scale),
        kind=filters.kind,
        sort=filters.sort,
    )
    page = organisation_page(request.auth, query, filters.page, size=filters.page_size)
    count = organisation_count(request.auth, query)
    return {
        **page_out(page, organisation_list_item),
        "total": count.value,
        "total_is_estimate": not count.exact,
        "total_is_lower_bound": count.at_least,
    }


@router.get("/{int:org_id}", response={200: OrganisationOut, **READ_ERRORS}, summary="单位详情")
def organisation_detail(request, org_id: int):
    """单位的基本信息（不在管辖范围内的单位返回 404）。"""
    return organisation_out(organisation_get(request.auth, org_id))


@router.get("/{int:org_id}/figures", response={200: FiguresOut, **READ_ERRORS}, summary="年度数据及派生指标")
def organisation_figures(request, org_id: int):
    """各年度全部指标及派生指标（增速、利润率、税收占比、研发强度、资产负债率），派生指标为
    ``{value, status, reason}``：missing（数据不全）与 undefined（无法计算，基数 ≤ 0）分开表示。"""
    organisation = organisation_get(request.auth, org_id)
    return {
        "organisation_id": organisation.pk,
        "years": figures_years_out(figures_of(request.auth, organisation)),
    }


@router.get(
    "/{int:org_id}/revisions", response={200: list[RevisionOut], **READ_ERRORS}, summary="数据修订记录"
)
def organisation_revisions(
    request, org_id: int, year: int | None = None, limit: int = Query(200, ge=1, le=1000)
):
    """每个被修改的数值一条记录（修改人、时间、来源、原值 → 新值），最新的在前；可按年度筛选。"""
    organisation = organisation_get(request.auth, org_id)
    rows = revisions_of(request.auth, organisation, limit=limit, year=year)
    return [revision_out(r) for r in rows]


@router.get(
    "/{int:org_id}/name-history", response={200: list[NameChangeOut], **READ_ERRORS}, summary="更名记录"
)
def organisation_name_history(request, org_id: int):
    """更名记录，最新的在前。"""
    organisation = organisation_get(request.auth, org_id)
    changes = scope_filter(request.auth, OrganisationNameChange.objects.all(), organisation="organisation")
    changes = changes.filter(organisation_id=organisation.pk).select_related("recorded_by")
    return [name_change_out(c) for c in changes.order_by("-changed_on", "-id")]


# --- writes ------------------------------------------------------------------------------------


@router.post("", response={201: OrganisationOut, **ERRORS}, summary="登记单位")
def organisation_register(request, payload: OrganisationCreateIn):
    """主管部门工作人员在本辖区登记单位。输入有误时返回 422，逐字段列出全部问题（如统一社会信用代码校验码错误），
    不保存任何数据。"""
    organisation = organisation_create(actor=request.auth, data=payload.model_dump(exclude_unset=True))
    return Status(201, organisation_out(organisation_get(request.auth, organisation.pk)))


@router.patch("/{int:org_id}", response={200: OrganisationOut, **ERRORS}, summary="修改单位信息")
def organisation_change(request, org_id: int, payload: OrganisationUpdateIn):
    """只修改请求中给出的字段。企业用户可修改联系人、联系电话、成立日期、注册资本、建筑业资质和行业；
    名称、迁址（区县与地址）、登记注册类型及并购、重组、转让须提交信息变更申请（``/portal/changes``），由所在
    区县主管部门审核。名称请用更名接口（主管部门），统一社会信用代码不可修改。"""
    organisation = organisation_get(request.auth, org_id)
    organisation_update(
        actor=request.auth, organisation=organisation, data=payload.model_dump(exclude_unset=True)
    )
    return Status(200, organisation_out(organisation_get(request.auth, org_id)))


@router.post("/{int:org_id}/rename", response={200: OrganisationOut, **ERRORS}, summary="单位更名")
def organisation_change_name(request, org_id: int, payload: RenameIn):
    """主管部门为单位更名（企业更名请提交信息变更申请）。保留更名记录（原名称、新名称、日期），按曾用名仍可
    搜索到该单位。"""
    organisation = organisation_get(request.auth, org_id)
    organisation_rename(
        actor=request.auth,
        organisation=organisation,
        new_name=payload.new_name or "",
        changed_on=_date_or_error(payload.changed_on, field="changed_on", label="更名日期"),
    )
    return Status(200, organisation_out(organisation_get(request.auth, org_id)))


@router.post("/{int:org_id}/figures", response={201: FiguresYearOut, **ERRORS}, summary="新增年度数据")
def organisation_figures_create(request, org_id: int, payload: FiguresCreateIn):
    """新增一个年度的数据（请求体中给出 ``year``）。同一年度已有数据时返回 422，请改用 PATCH 修改。
    每个数值记入修订记录。数据核实提示（实缴税金或研发费用高于营业收入、营业收入变化 5 倍以上、
    利润总额正负号改变）返回 422（``warnings: true``），核实后以 ``confirm_warnings: true`` 重新提交。"""
    organisation = organisation_get(request.auth, org_id)
    data = payload.model_dump(exclude_unset=True)
    note = data.pop("note", None) or ""
    confirm = bool(data.pop("confirm_warnings", False))
    data.setdefault("year", None)
    figures = figures_create(
        actor=request.auth, organisation=organisation, data=data, note=_note(note), confirm_warnings=confirm
    )
    return Status(201, _year_out(request.auth, organisation, figures.year))


@router.patch(
    "/{int:org_id}/figures/{int:year}", response={200: FiguresYearOut, **ERRORS}, summary="修改年度数据"
)
def organisation_figures_change(request, org_id: int, year: int, payload: FiguresUpdateIn):
    """只修改请求中给出的指标（``null`` 或空字符串表示清除该项）；每个改动的数值记入修订记录。
    数据核实提示的处理同新增：核实后以 ``confirm_warnings: true`` 重新提交。"""
    organisation = organisation_get(request.auth, org_id)
    data = payload.model_dump(exclude_unset=True)
    note = data.pop("note", None) or ""
    confirm = bool(data.pop("confirm_warnings", False))
    figures_update(
        actor=request.auth,
        organisation=organisation,
        year=year,
        data=data,
        note=_note(note),
        confirm_warnings=confirm,
    )
    return Status(200, _year_out(request.auth, organisation, year))


# --- helpers -----------------------------------------------------------------------------------


def _year_out(user, organisation, year: int) -> dict:
    figures = figures_get(user, organisation, year)
    if figures is None:  # pragma: no cover - just written through the service
        raise Http404("年度数据不存在")
    return figures_year_out(figures, figures_get(user, organisation, year - 1))


def _note(note: str) -> str:
    note = " ".join(str(note).split())
    if len(note) > 200:
        raise ValidationError({"note": [f"修订说明不能超过200个字（现有{len(note)}个）"]})
    return note


def _date_or_error(raw: str | None, *, field: str, label: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    text = raw.strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError({field: [f"{label}应为日期（如 2024-06-30），收到“{raw}”"]})
