"""Error answers of the API, all JSON with a Chinese ``detail``.

=====  ==============================================================================
401    not authenticated (no session, unknown or revoked token, inactive user)
403    ``PermissionDenied`` from a service / scoping check, or a failed CSRF check
404    ``Http404`` — also for organisations outside the caller's scope (same answer)
409    a concurrent write hit a unique constraint (retry); an action on a recognition application
       naming a version someone else has moved on from (``ApplicationConflict``, nothing changed)
422    ``ValidationError`` from the services: ``{"detail": "输入有误", "errors": {field: [messages]}}``
       with the same messages as the pages; plausibility warnings of figures not yet confirmed
       (``{"detail": "数据需要核实确认", "errors": {…}, "warnings": true}``: send again with
       ``confirm_warnings: true``); and request data that does not fit the schema
       (``{"detail": "请求参数有误：…", "errors": {field: [messages]}}``)
=====  ==============================================================================
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from smeplan.indicators.services import FiguresNeedConfirmation
from smeplan.recognition.services import ApplicationConflict

UNAUTHENTICATED = (
    "未登录或令牌无效：请先登录，或在请求头中提供有效的 API 令牌（Authorization: Bearer <令牌>）"
)
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
BODY_PARAMS = {"payload", "filters"}  # names of the handlers' schema parameters (not field names)

# pydantic error type → Chinese message (ctx values are interpolated).
MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "literal_error": "取值无效，可选：{expected}",
    "enum": "取值无效，可选：{expected}",
    "string_too_long": "不能超过 {max_length} 个字",
    "string_too_short": "至少 {min_length} 个字",
    "string_pattern_mismatch": "格式不正确",
    "extra_forbidden": "不支持此字段",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "date_parsing": "应为日期（如 2015-06-30）",
    "date_from_datetime_parsing": "应为日期（如 2015-06-30）",
    "json_invalid": "不是有效的 JSON",
}
READ_ONLY_HINTS = {
    "name": "名称不能在此修改：请使用 POST /api/v1/organisations/{id}/rename（保留更名记录）",
    "credit_code": "统一社会信用代码登记后不能修改",
}


UNION_TAGS = {"str", "int", "float", "bool", "none"}


def _field_of(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in BODY_PARAMS:
        parts = parts[1:]
    while parts and (parts[-1] in UNION_TAGS or "[" in parts[-1]):  # a union member's tag, not a field
        parts = parts[:-1]
    return ".".join(parts) or "__all__"


def _message(error: dict, field: str) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden" and field in READ_ONLY_HINTS:
        return READ_ONLY_HINTS[field]
    template = MESSAGES.get(kind)
    if template is None:
        return f"取值无效（{error.get('msg', kind)}）"
    try:
        text = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        text = template
    value = error.get("input")
    if kind not in ("missing", "extra_forbidden") and isinstance(value, (str, int, float, bool)):
        text += f"，收到“{value}”"
    if field == "__all__" and kind == "missing":
        text = "缺少请求体（JSON 对象）"
    return text


def ninja_errors_as_fields(errors: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        field = _field_of(error.get("loc", ()))
        message = _message(error, field)
        if message not in out.setdefault(field, []):
            out[field].append(message)
    return out


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (after ninja's defaults, which they override)."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="smeplan"'
        return response

    @api.exception_handler(DjangoValidationError)
    def invalid_input(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return api.create_response(request, {"detail": "输入有误", "errors": errors}, status=422)

    @api.exception_handler(ApplicationConflict)
    def stale_version(request, exc: ApplicationConflict):
        """A subclass of ValidationError: ninja looks handlers up along the MRO, so this one wins."""
        return api.create_response(request, {"detail": "；".join(exc.messages)}, status=409)

    @api.exception_handler(FiguresNeedConfirmation)
    def needs_confirmation(request, exc: FiguresNeedConfirmation):
        """Plausibility warnings, not errors: nothing saved; the same request with
        ``confirm_warnings: true`` saves it."""
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        errors["confirm_warnings"] = ["以上数据请核实；确认无误后以 confirm_warnings=true 重新提交"]
        return api.create_response(
            request, {"detail": "数据需要核实确认", "errors": errors, "warnings": True}, status=422
        )

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc: NinjaValidationError):
        errors = ninja_errors_as_fields(exc.errors)
        summary = "；".join(f"{field}：{'、'.join(messages)}" for field, messages in errors.items())
        return api.create_response(
            request, {"detail": f"请求参数有误：{summary}", "errors": errors}, status=422
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": str(exc) or "未找到"}, status=404)

    @api.exception_handler(IntegrityError)
    def conflict(request, exc):
        return api.create_response(
            request, {"detail": "数据已被他人同时修改（唯一性冲突），请刷新后重试"}, status=409
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        detail = str(exc)
        if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail = "请求体不是有效的 JSON"
        return api.create_response(request, {"detail": detail}, status=exc.status_code)
