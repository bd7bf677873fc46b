"""The django-ninja API under /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Every operation requires authentication (session + CSRF, or a bearer token; see ``auth.py``);
the OpenAPI document and the docs page are public. The docs page uses the Swagger UI bundled with
django-ninja (``ninja`` is in INSTALLED_APPS), so it works without internet access.
"""

from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from smeplan.api import errors
from smeplan.api.auth import api_auth
from smeplan.api.calls import router as calls_router

# 数据填报, the bureau side (issue 16 part 3)
from smeplan.api.campaigns import router as campaigns_router
from smeplan.api.evaluation import router as evaluation_router
from smeplan.api.flags import router as flags_router
from smeplan.api.imports import router as imports_router
from smeplan.api.obligations import router as obligations_router
from smeplan.api.organisations import router as organisations_router
from smeplan.api.portal import router as portal_router
from smeplan.api.portal_changes import router as portal_changes_router
from smeplan.api.programmes import router as programmes_router
from smeplan.api.recognition import router as recognition_router
from smeplan.api.reference import router as reference_router
from smeplan.api.reporting import router as reporting_router
from smeplan.api.targets import router as targets_router

DESCRIPTION = """陕西省中小企业主管部门信息系统（smeplan）接口。

**认证**：网页登录后的会话（写操作需在 `X-CSRFToken` 请求头中提供 CSRF 令牌），或 API 令牌
`Authorization: Bearer <令牌>`（由管理员执行 `python manage.py issue_token <用户名>` 签发，只显示一次）。
未认证返回 401。

**数据范围**：与网页相同——省级看全部，市级看所辖区县，县级看本县，企业用户只看本单位；
超出范围的单位返回 404（与不存在相同）。

**单位**：金额为万元，以两位小数的字符串表示（如 `"1234.50"`）；从业人员为整数（人）；
派生比率为小数形式的字符串（`"0.1234"` 即 12.34%）；缺失为 `null`，不以 0 代替。

**错误**：输入有误返回 422 `{"detail": "输入有误", "errors": {字段: [中文说明]}}`，提示与网页相同，
且不保存任何数据；无权操作 403；不存在或不在管辖范围 404。
"""


class JSONRendererUTF8(JSONRenderer):
    """Chinese text as UTF-8 characters rather than \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class SmeplanAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        """Like ninja's, but keeps a scalar input so the message can say what was received."""
        errors = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False, include_context=True):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                value = error.get("input")
                item = {
                    "type": error["type"],
                    "loc": (model.__ninja_param_source__, *loc),
                    "msg": error["msg"],
                    "ctx": {k: str(v) for k, v in (error.get("ctx") or {}).items()},
                }
                if isinstance(value, (str, int, float, bool)):
                    item["input"] = value
                errors.append(item)
        return ValidationError(errors)


api = SmeplanAPI(
    title="smeplan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=api_auth,
    renderer=JSONRendererUTF8(),
    docs=Swagger(settings={"persistAuthorization": True}),
)
errors.install(api)
api.add_router("", reference_router)
api.add_router("/organisations", organisations_router)
api.add_router("/imports", imports_router)
api.add_router("/programmes", programmes_router)
api.add_router("/recognition", recognition_router)
api.add_router("/calls", calls_router)
api.add_router("/recognition", obligations_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/reporting", reporting_router)
api.add_router("/flags", flags_router)
api.add_router("/targets", targets_router)

# 数据填报任务 (issue 16 part 4): /campaigns/tasks…, /campaigns/{campaign_id}/answers
from smeplan.api.campaign_tasks import router as campaign_tasks_router  # noqa: E402

api.add_router("/campaigns", campaign_tasks_router)
api.add_router("/campaigns", campaigns_router)  # 数据填报 (issue 16 part 3)
# issue 16 part 1: registration and the firm's accounts
api.add_router("/portal", portal_router)
# 本单位信息与企业信息变更申请 (issue 16 part 2)
api.add_router("/portal", portal_changes_router)
