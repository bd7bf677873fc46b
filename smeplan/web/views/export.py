"""导出: the enterprise list and its yearly figures, as .xlsx or .csv, and blank import templates.

Every export starts from :func:`smeplan.registry.selectors.organisation_search` with the list's
current filters (or :func:`organisations_visible_to` for one enterprise), so it goes through the one
scoping function, and is written by the export engine :mod:`smeplan.exchange.export`.

Rows are read with ``values_list(...).iterator(chunk_size=...)`` — one query, streamed (a server-side
cursor on PostgreSQL), no query per organisation. The figures are joined to the filtered
organisations in the same query with a ``FilteredRelation`` (LEFT JOIN … ON organisation = id AND
year BETWEEN …): the organisations are already scoped and figures are visible exactly when their
organisation is (:func:`smeplan.indicators.selectors.figures_visible_to` applies the same rule).

Size: the .xlsx exports run inline, in the request, up to the worksheet's capacity (1,048,576 rows
less the title and header rows, ``EXPORT_LIMIT``); a larger result is cut there with a clear
message and the page offers the .csv export, which streams without a limit. Running big exports as
background jobs (Celery, progress on the page) is later work of the import/background-job side.
"""

import datetime as dt
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import CharField, F, TextField
from django.db.models.functions import Collate
from django.http import Http404, HttpResponse
from django.utils import translation

from smeplan.exchange import export as engine
from smeplan.exchange.export import DATE, INTEGER, MONEY, PERSONS, Column, Export
from smeplan.indicators.models import FIGURE_FIELDS, FIGURE_NAMES
from smeplan.indicators.selectors import figures_by_organisation_year
from smeplan.registry.models import OrganisationKind, OwnershipType, SizeClass
from smeplan.registry.selectors import (
    OrganisationFilters,
    organisation_get,
    organisation_search,
    organisations_visible_to,
)
from smeplan.web import navigation
from smeplan.web.views.common import require_page
from smeplan.web.views.organisations import filters_from

#: Data rows of an inline .xlsx export: the worksheet's capacity (title and header rows excluded).
EXPORT_LIMIT = engine.XLSX_MAX_ROWS - 2
CHUNK = 5000
MAX_WIDE_YEARS = 10

COLUMNS: list[Column] = [
    Column("名称", width=36),
    Column("曾用名", width=24),
    Column("统一社会信用代码", width=22),
    Column("市级单位", width=12, shared=True),
    Column("区县", width=12, shared=True),
    Column("行业代码", width=9, shared=True),
    Column("行业名称", width=24, shared=True),
    Column("单位类型", width=12, shared=True),
    Column("企业规模", width=9, shared=True),
    Column("四上企业", width=9, shared=True),
    Column("划型依据年度", INTEGER, width=12),
    Column("成立日期", DATE, width=12),
    Column("注册资本", MONEY, width=16),
    Column("登记注册类型", width=12, shared=True),
    Column("地址", width=36),
    Column("联系人", width=10),
    Column("联系电话", width=14),
]
ORGANISATION_FIELDS = (
    "name",
    "former_names",
    "credit_code",
    "county__name",
    "county__parent__name",
    "county__parent__parent",
    "industry_id",
    "industry__name",
    "kind",
    "size_class",
    "above_scale",
    "classified_year",
    "founded_on",
    "registered_capital",
    "ownership_type",
    "address",
    "contact_person",
    "contact_phone",
)

#: The organisation columns of the figure exports (the importer's header names).
FIGURE_KEY_COLUMNS: list[Column] = [
    Column("统一社会信用代码", width=22),
    Column("企业名称", width=36),
    Column("所属区县", width=12, shared=True),
    Column("市级单位", width=12, shared=True),
    Column("行业代码", width=9, shared=True),
    Column("行业名称", width=24, shared=True),
]
FIGURE_COLUMNS: list[Column] = [
    Column(label, PERSONS if unit == "人" else MONEY, width=14) for _f, label, unit in FIGURE_FIELDS
]
FILTER_LABELS = {
    "q": "检索词",
    "city": "市级单位",
    "county": "区县",
    "section": "行业门类",
    "division": "行业大类",
    "size_class": "企业规模",
    "above_scale": "四上",
    "kind": "单位类型",
}
SORT_LABELS = {
    "name": "名称",
    "-name": "名称（倒序）",
    "credit_code": "统一社会信用代码",
    "-credit_code": "统一社会信用代码（倒序）",
    "founded_on": "成立日期",
    "-founded_on": "成立日期（倒序）",
    "registered_capital": "注册资本",
    "-registered_capital": "注册资本（倒序）",
}


def _labels(choices) -> dict:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices}


def describe_filters(filters: OrganisationFilters) -> list[tuple[str, str]]:
    """The list's filters in words: region and industry names, choice labels."""
    from smeplan.industries.models import Industry
    from smeplan.regions.models import Region

    out = []
    for key, label in FILTER_LABELS.items():
        value = getattr(filters, key)
        if not value:
            continue
        if key in ("city", "county"):
            name = Region.objects.filter(pk=value).values_list("name", flat=True).first()
            value = f"{name}（{value}）" if name else value
        elif key in ("section", "division"):
            name = Industry.objects.filter(code=value).values_list("name", flat=True).first()
            value = f"{value} {name}" if name else value
        elif key == "size_class":
            value = _labels(SizeClass.choices).get(value, "未划型" if value == "unknown" else value)
        elif key == "above_scale":
            value = {"1": "是", "0": "否", "unknown": "无法判定"}.get(value, value)
        elif key == "kind":
            value = _labels(OrganisationKind.choices).get(value, value)
        out.append((label, value))
    if filters.sort and filters.sort != "name":
        out.append(("排序", SORT_LABELS.get(filters.sort, filters.sort)))
    return out


def _city(county: str, parent: str | None, grandparent) -> str:
    """The city-level unit: the county's parent, or the county itself when it sits under the province
    (韩城市)."""
    return parent if parent and grandparent else county


def _above_scale_text(value) -> str:
    return "无法判定" if value is None else ("是" if value else "否")


def organisation_rows(qs, limit: int | None):
    kinds = _labels(OrganisationKind.choices)
    sizes = _labels(SizeClass.choices)
    ownerships = _labels(OwnershipType.choices)
    rows = qs.values_list(*ORGANISATION_FIELDS)
    if limit is not None:
        rows = rows[: limit + 1]  # one more than the limit: the engine then knows the result was cut
    for (
        name,
        former,
        code,
        county,
        parent,
        grandparent,
        industry_code,
        industry_name,
        kind,
        size,
        above,
        classified_year,
        founded_on,
        capital,
        ownership,
        address,
        person,
        phone,
    ) in rows.iterator(chunk_size=CHUNK):
        yield (
            name,
            "、".join(n for n in former.split("|") if n) if former else "",
            code,
            _city(county, parent, grandparent),
            county,
            industry_code,
            industry_name,
            kinds.get(kind, kind),
            sizes.get(size, "未划型") if size else "未划型",
            _above_scale_text(above),
            classified_year,
            founded_on,
            capital,
            ownerships.get(ownership, "") if ownership else "",
            address,
            person,
            phone,
        )


def _organisation_export(request, limit: int | None) -> Export:
    user = request.user
    require_page(navigation.can_browse_registry(user))
    filters = filters_from(request.GET)
    export = Export(
        title="企业名录",
        actor=user,
        columns=COLUMNS,
        rows=organisation_rows(organisation_search(user, filters), limit),
        filters=describe_filters(filters),
        sheet_name="企业名录",
        freeze_columns=1,
        limit=limit,
        empty_message="没有符合条件的单位",
    )
    return export


def _case(column: str, labels: dict, default: str = "") -> str:
    whens = " ".join(f"WHEN {engine.sql_literal(k)} THEN {engine.sql_literal(v)}" for k, v in labels.items())
    return f"CASE {column} {whens} ELSE {engine.sql_literal(default)} END"


def codepoint_ordered(qs):
    """The queryset with its text sort keys (name, credit code) given ``COLLATE "C"`` when that
    is the same order as the database's own collation (:func:`engine.sorts_by_codepoint`): the
    same rows in the same order, sorted several times faster for a whole-province export."""
    if not engine.sorts_by_codepoint(qs.db):
        return qs
    ordering = []
    for item in qs.query.order_by:
        if not isinstance(item, str):
            return qs
        name = item.lstrip("-")
        if "__" in name:  # a related field (the figures' year): left as it is
            ordering.append(item)
            continue
        try:
            field = qs.model._meta.get_field(name)
        except FieldDoesNotExist:
            return qs
        if isinstance(field, (CharField, TextField)):
            expression = Collate(F(name), "C")
            ordering.append(expression.desc() if item.startswith("-") else expression.asc())
        else:
            ordering.append(item)
    return qs.order_by(*ordering)


def organisation_copy_sql(qs, *, csv: bool = True) -> tuple[str, tuple]:
    """The enterprise list's columns computed by PostgreSQL around the scoped, filtered, sorted query
    (for ``COPY … TO STDOUT``), with the same labels as :func:`organisation_rows`. For .csv
    (``csv=True``) text is formula-escaped and dates are ISO; for .xlsx text is raw (the writer
    styles it) and a date is its Excel serial day."""
    inner, params = qs.values_list(*ORGANISATION_FIELDS).query.sql_with_params()
    t = engine.sql_text if csv else (lambda expression: expression)
    founded = "to_char(e.founded_on, 'YYYY-MM-DD')" if csv else "e.founded_on - DATE '1899-12-30'"
    columns = [
        t("e.name"),
        t("btrim(replace(e.former_names, '|', '、'), '、')"),
        t("e.credit_code"),
        t(
            'CASE WHEN e."county__parent__parent" IS NOT NULL THEN e."county__parent__name"'
            ' ELSE e."county__name" END'
        ),
        t('e."county__name"'),
        t("e.industry_id"),
        t('e."industry__name"'),
        _case("e.kind", _labels(OrganisationKind.choices)),
        _case("e.size_class", _labels(SizeClass.choices), "未划型"),
        "CASE WHEN e.above_scale IS NULL THEN '无法判定' WHEN e.above_scale THEN '是' ELSE '否' END",
        "e.classified_year",
        founded,
        "e.registered_capital",
        _case("e.ownership_type", _labels(OwnershipType.choices)),
        t("e.address"),
        t("e.contact_person"),
        t("e.contact_phone"),
    ]
    # only fixed column expressions and Django's own compiled SQL are interpolated; values are params
    return f"SELECT {', '.join(columns)} FROM ({inner}) AS e", params  # noqa: S608


@login_required
def organisation_export(request):
    """企业名录 (.xlsx) with the list's current filters."""
    export = _organisation_export(request, EXPORT_LIMIT)
    if connection.vendor == "postgresql":  # the same rows as text straight from COPY (see copy_rows)
        qs = codepoint_ordered(organisation_search(request.user, filters_from(request.GET)))
        qs = qs[: EXPORT_LIMIT + 1]
        export.rows = engine.copy_rows(*organisation_copy_sql(qs, csv=False))
    return engine.xlsx_response(export)


@login_required
def organisation_export_csv(request):
    """企业名录 (.csv, no row limit) with the list's current filters."""
    export = _organisation_export(request, None)
    if connection.vendor == "postgresql":
        qs = codepoint_ordered(organisation_search(request.user, filters_from(request.GET)))
        export.copy_sql = organisation_copy_sql(qs)
    return engine.csv_response(export)


# --- yearly figures ---------------------------------------------------------------------------------


def _year(value, default: int | None) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return year if 1949 <= year <= 2100 else default


def year_range(params, *, default_span: int | None) -> tuple[int | None, int | None]:
    """``year_from``/``year_to`` of the query string. With ``default_span`` (wide layout), missing
    bounds default to the last ``default_span`` completed years and the span is at most
    MAX_WIDE_YEARS."""
    this_year = dt.date.today().year
    if default_span is None:
        first, last = _year(params.get("year_from"), None), _year(params.get("year_to"), None)
    else:
        last = _year(params.get("year_to"), this_year - 1)
        first = _year(params.get("year_from"), last - default_span + 1)
    if first is not None and last is not None:
        if first > last:
            first, last = last, first
        if default_span is not None and last - first + 1 > MAX_WIDE_YEARS:
            first = last - MAX_WIDE_YEARS + 1
    return first, last


def _key_cells(row) -> tuple:
    _id, code, name, county, parent, grandparent, industry_code, industry_name = row[:8]
    return (code, name, county, _city(county, parent, grandparent), industry_code, industry_name)


def long_rows(qs, limit: int | None):
    """One row per organisation-year (organisations without figures in the range are left out)."""
    rows = qs
    if limit is not None:
        rows = rows[: limit + 1]
    for row in rows.iterator(chunk_size=CHUNK):
        yield (*_key_cells(row), *row[8:])


def wide_rows(qs, years: list[int], limit: int | None):
    """One row per organisation: for each year of ``years`` the figures (empty when absent)."""
    width = len(FIGURE_NAMES)
    position = {year: i * width for i, year in enumerate(years)}
    groups = groupby(qs.iterator(chunk_size=CHUNK), key=lambda r: r[0])
    for produced, (_org_id, group) in enumerate(groups, start=1):
        cells = [None] * (width * len(years))
        first = None
        for row in group:
            first = first or row
            year = row[8]
            if year in position:
                start = position[year]
                cells[start : start + width] = row[9:]
        yield (*_key_cells(first), *cells)
        if limit is not None and produced > limit:
            return


def long_copy_sql(qs, *, csv: bool = True) -> tuple[str, tuple]:
    """PostgreSQL: the long layout's columns around the figures query (for ``COPY … TO STDOUT``),
    the same cells as :func:`long_rows`: for .csv text formula-escaped, for .xlsx (``csv=False``,
    read with :func:`engine.copy_rows`) raw; numbers as PostgreSQL prints them."""
    inner, params = qs.query.sql_with_params()
    names = ["id", "code", "name", "county", "parent", "grandparent", "industry", "industry_name", "year"]
    figures = [f"f{i}" for i in range(len(FIGURE_NAMES))]
    t = engine.sql_text if csv else (lambda expression: expression)
    columns = [
        t("e.code"),
        t("e.name"),
        t("e.county"),
        t("CASE WHEN e.grandparent IS NOT NULL THEN e.parent ELSE e.county END"),
        t("e.industry"),
        t("e.industry_name"),
        "e.year",
        *(f"e.{f}" for f in figures),
    ]
    alias = ", ".join([*names, *figures])
    # only fixed column expressions and Django's own compiled SQL are interpolated; values are params
    return f"SELECT {', '.join(columns)} FROM ({inner}) AS e ({alias})", params  # noqa: S608


def _figures_export(request, layout: str, org_qs, filters_desc, limit: int | None) -> Export:
    user = request.user
    sort = request.GET.get("sort") or "name"
    if layout == "long":
        first, last = year_range(request.GET, default_span=None)
        qs = figures_by_organisation_year(org_qs, first, last, sort, with_figures_only=True)
        export = Export(
            title="年度数据（长表）",
            actor=user,
            columns=[*FIGURE_KEY_COLUMNS, Column("年度", INTEGER, width=8), *FIGURE_COLUMNS],
            rows=long_rows(qs, limit),
            filters=filters_desc + _years_desc(first, last),
            sheet_name="年度数据",
            freeze_columns=2,
            limit=limit,
            notes=[("从业人员单位", "人"), ("空白单元格", "无数据（不是 0）")],
            empty_message="没有符合条件的年度数据",
        )
    else:
        first, last = year_range(request.GET, default_span=3)
        years = list(range(first, last + 1))
        qs = figures_by_organisation_year(org_qs, first, last, sort, with_figures_only=False)
        export = Export(
            title="年度数据（宽表）",
            actor=user,
            columns=[*FIGURE_KEY_COLUMNS, *(FIGURE_COLUMNS * len(years))],
            rows=wide_rows(qs, years, limit),
            filters=filters_desc + _years_desc(first, last),
            sheet_name="年度数据",
            groups=[("", len(FIGURE_KEY_COLUMNS)), *((f"{y}年", len(FIGURE_COLUMNS)) for y in years)],
            freeze_columns=2,
            limit=limit,
            notes=[("从业人员单位", "人"), ("空白单元格", "无数据（不是 0）")],
            empty_message="没有符合条件的单位",
        )
    return export


def _years_desc(first, last) -> list[tuple[str, str]]:
    if first is None and last is None:
        return [("年度", "全部")]
    if first == last:
        return [("年度", str(first))]
    return [("年度", f"{first or '…'}–{last or '…'}")]


def _list_figures_export(request, layout: str, limit: int | None) -> Export:
    user = request.user
    require_page(navigation.can_browse_registry(user))
    if layout not in ("long", "wide"):
        raise Http404("未知的导出格式")
    filters = filters_from(request.GET)
    return _figures_export(
        request, layout, organisation_search(user, filters), describe_filters(filters), limit
    )


@login_required
def figures_export(request, layout: str):
    """年度数据 of the organisations in the current filtered list, long or wide, as .xlsx (the long
    layout's rows as text straight from COPY on PostgreSQL, as for the enterprise list)."""
    export = _list_figures_export(request, layout, EXPORT_LIMIT)
    if layout == "long" and connection.vendor == "postgresql":
        qs = _long_figures_qs(request)[: EXPORT_LIMIT + 1]
        export.rows = engine.copy_rows(*long_copy_sql(qs, csv=False))
    return engine.xlsx_response(export)


@login_required
def figures_export_csv(request, layout: str):
    """The same as .csv (no row limit); the long layout streams COPY's output on PostgreSQL."""
    export = _list_figures_export(request, layout, None)
    if layout == "long" and connection.vendor == "postgresql":
        export.copy_sql = long_copy_sql(_long_figures_qs(request))
    return engine.csv_response(export)


def _long_figures_qs(request):
    """The long layout's query of :func:`_figures_export` (same scope, filters, years and order),
    its text sort keys in code point order where that is the database's order."""
    first, last = year_range(request.GET, default_span=None)
    org_qs = organisation_search(request.user, filters_from(request.GET))
    sort = request.GET.get("sort") or "name"
    qs = figures_by_organisation_year(org_qs, first, last, sort, with_figures_only=True)
    return codepoint_ordered(qs)


@login_required
def organisation_figures_export(request, pk):
    """One enterprise's 年度数据 (long layout, every year) from its detail page."""
    user = request.user
    organisation = organisation_get(user, pk)
    org_qs = organisations_visible_to(user).filter(pk=organisation.pk)
    export = _figures_export(
        request,
        "long",
        org_qs,
        [("单位", f"{organisation.name}（{organisation.credit_code}）")],
        EXPORT_LIMIT,
    )
    export.title = f"年度数据_{organisation.name}"
    return engine.xlsx_response(export)


# --- blank import templates --------------------------------------------------------------------------


@login_required
def import_template(request, kind: str):
    """下载导入模板: a blank workbook with the headers the importer recognises and a 说明 sheet."""
    from smeplan.exchange import templates_xlsx

    require_page(navigation.can_browse_registry(request.user))
    template = templates_xlsx.TEMPLATES.get(kind)
    if template is None:
        raise Http404("未知的导入模板")
    response = HttpResponse(templates_xlsx.build(kind), content_type=engine.XLSX_CONTENT_TYPE)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, f"导入模板_{template.title}.xlsx")
    return response
