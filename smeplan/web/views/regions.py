"""区域概况: a region's children with counts by size class and by industry section.

One GROUP BY query over the organisations in scope (county × size class × section × 四上), rolled
up to the region's children by materialised path in Python — the same cost for 12 children or 107.
"""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from smeplan.accounts.scoping import regions_filter, scope_for
from smeplan.industries.selectors import sections
from smeplan.regions.models import Region
from smeplan.registry.models import SizeClass
from smeplan.registry.selectors import organisation_breakdown
from smeplan.web import navigation
from smeplan.web.views.common import require_page

SIZE_KEYS = [value for value, _label in SizeClass.choices] + [""]


@login_required
def region_index(request):
    user = request.user
    require_page(navigation.can_view_regions(user))
    top = regions_filter(user, Region.objects.all()).order_by("path").first()
    if top is None:
        raise Http404("没有可查看的区域")
    return redirect("region_detail", code=top.code)


@login_required
def region_detail(request, code):
    user = request.user
    require_page(navigation.can_view_regions(user))
    visible = regions_filter(user, Region.objects.all())
    region = visible.filter(pk=code).select_related("parent").first()
    if region is None:
        raise Http404("区域不存在或不在您的管辖范围内")
    children = list(visible.filter(parent=region).order_by("code"))
    rows_are_children = bool(children)
    if not children:
        children = [region]  # a county (or 韩城市, its own county): one row, itself
    county_paths = dict(
        visible.filter(path__startswith=region.path, is_county=True).values_list("code", "path")
    )
    child_of = {}
    for county_code, path in county_paths.items():
        for child in children:
            if path.startswith(child.path):
                child_of[county_code] = child.code
                break

    whole_province = scope_for(user).everything and region.parent_id is None
    breakdown = organisation_breakdown(user, None if whole_province else set(county_paths))

    size = {c.code: defaultdict(int) for c in children}
    above = defaultdict(int)
    by_section = defaultdict(lambda: defaultdict(int))
    size_total = defaultdict(int)
    for row in breakdown:
        child = child_of.get(row["county_id"])
        if child is None:
            continue
        n = row["n"]
        size[child][row["size_class"] or ""] += n
        size_total[row["size_class"] or ""] += n
        if row["above_scale"]:
            above[child] += n
        by_section[row["industry__section"] or ""][child] += n

    child_rows = []
    for c in children:
        counts = size[c.code]
        total = sum(counts.values())
        child_rows.append(
            {
                "region": c,
                "link": c.code != region.code,
                "filter": ("county" if c.is_county else "city", c.code),
                "sizes": [counts.get(k, 0) for k in SIZE_KEYS],
                "total": total,
                "above": above[c.code],
            }
        )
    section_rows = []
    for s in [*sections(), None]:
        key = s.code if s is not None else ""
        counts = by_section.get(key, {})
        total = sum(counts.values())
        if s is None and not total:
            continue
        section_rows.append(
            {
                "code": key,
                "name": s.name if s is not None else _("未填行业"),
                "cells": [counts.get(c.code, 0) for c in children],
                "total": total,
            }
        )
    context = {
        "region": region,
        "ancestors": _ancestors(visible, region),
        "children": children,
        "rows_are_children": rows_are_children,
        "child_rows": child_rows,
        "size_headers": [label for _value, label in SizeClass.choices] + [_("未划型")],
        "size_totals": [size_total.get(k, 0) for k in SIZE_KEYS],
        "grand_total": sum(size_total.values()),
        "above_total": sum(above.values()),
        "section_rows": section_rows,
        "region_filter": "county" if region.is_county else ("city" if region.parent_id else ""),
    }
    return render(request, "web/region_detail.html", context)


def _ancestors(visible, region) -> list[Region]:
    """The visible regions above ``region`` (for the breadcrumb), top first."""
    codes = region.path.strip("/").split("/")[:-1]
    found = {r.code: r for r in visible.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]
