"""Reference data: the region tree (bureau hierarchy) and GB/T 4754-2017 industries.

Both are public reference data (every signed-in user reads the whole tree, e.g. to fill filters);
``in_scope`` tells which regions the caller administers (decided by ``regions_filter``).
"""

from django.db.models import Q
from django.http import Http404
from ninja import Router

from smeplan.accounts.scoping import regions_filter
from smeplan.api.schemas import (
    READ_ERRORS,
    IndustryOut,
    RegionDetailOut,
    RegionNode,
    industry_out,
    region_out,
)
from smeplan.industries.models import Industry, IndustryLevel
from smeplan.regions.models import Region

router = Router(tags=["参考数据"])


def _visible_codes(user) -> set[str]:
    return set(regions_filter(user, Region.objects.all()).values_list("code", flat=True))


@router.get("/regions", response={200: list[RegionNode], **READ_ERRORS}, summary="区划树（主管部门层级）")
def regions_tree(request):
    """主管部门层级的完整区划树：省、12 个市级单位（10 个设区市、杨凌示范区、韩城市）和 107 个县级行政区。
    ``in_scope`` 表示是否在当前用户的管辖范围内。"""
    visible = _visible_codes(request.auth)
    nodes = {}
    roots = []
    for region in Region.objects.order_by("path"):
        node = region_out(region, visible) | {"children": []}
        nodes[region.code] = node
        parent = nodes.get(region.parent_id)
        (parent["children"] if parent is not None else roots).append(node)
    return roots


@router.get("/regions/{code}", response={200: RegionDetailOut, **READ_ERRORS}, summary="区划详情")
def region_detail(request, code: str):
    """一个区划及其直接下级。"""
    region = Region.objects.filter(pk=code.strip()).first()
    if region is None:
        raise Http404(f"区划“{code}”不存在")
    visible = _visible_codes(request.auth)
    children = Region.objects.filter(parent=region).order_by("code")
    return region_out(region, visible) | {
        "path": region.path,
        "children": [region_out(c, visible) for c in children],
    }


@router.get(
    "/industries", response={200: list[IndustryOut], **READ_ERRORS}, summary="行业分类（GB/T 4754-2017）"
)
def industries(
    request, level: IndustryLevel | None = None, section: str = "", division: str = "", q: str = ""
):
    """按层级（section 门类 / division 大类 / group 中类 / class 小类）、门类字母、大类（2位）筛选；
    ``q`` 为代码前缀或名称片段。"""
    qs = Industry.objects.all()
    if level:
        qs = qs.filter(level=level)
    if section:
        qs = qs.filter(section=section.strip().upper())
    if division:
        qs = qs.filter(division=division.strip())
    q = q.strip()
    if q:
        qs = qs.filter(Q(code__startswith=q.upper()) | Q(name__contains=q))
    return [industry_out(i) for i in qs.order_by("section", "division", "code")]
