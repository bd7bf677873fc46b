"""A criterion as a plain value (:class:`CriterionSpec`): built from a stored :class:`Criterion`, from a
form or API payload, checked with Chinese messages, and described in words. The engine evaluates
specs, so the live preview of an unsaved edit and a stored version go through the same code."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from smeplan.programmes.metrics import METRICS, Metric
from smeplan.programmes.models import CriterionRole, Operator, Reference

OPERATOR_TEXT = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
MAX_YEARS = 5


@dataclass(frozen=True)
class CriterionSpec:
    metric: str
    operator: str = ""
    reference: str = Reference.THRESHOLD
    threshold: Decimal | None = None
    threshold_high: Decimal | None = None
    choices: tuple[str, ...] = ()
    years: int = 1
    role: str = CriterionRole.REQUIRED
    label: str = ""
    position: int = 0

    @property
    def m(self) -> Metric:
        return METRICS[self.metric]

    @property
    def is_manual(self) -> bool:
        return self.role == CriterionRole.MANUAL or self.m.kind == "manual"

    @property
    def decides(self) -> bool:
        """Required criteria decide the outcome; priority marks and manual checks do not."""
        return self.role == CriterionRole.REQUIRED and not self.is_manual

    @property
    def uses_average(self) -> bool:
        return self.reference == Reference.INDUSTRY_AVERAGE

    @classmethod
    def from_model(cls, c) -> CriterionSpec:
        return cls(
            metric=c.metric,
            operator=c.operator,
            reference=c.reference,
            threshold=c.threshold,
            threshold_high=c.threshold_high,
            choices=tuple(str(v) for v in (c.choices or [])),
            years=c.years,
            role=c.role,
            label=c.label,
            position=c.position,
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["threshold"] = None if self.threshold is None else str(self.threshold)
        data["threshold_high"] = None if self.threshold_high is None else str(self.threshold_high)
        data["choices"] = list(self.choices)
        return data

    def describe(self) -> str:
        """In words, e.g. "营业收入增速 > 同行业平均（连续 2 年）"."""
        m = self.m
        if self.is_manual:
            return f"{self.label or m.label}（由审核人员核实）"
        if self.operator in ("in", "not_in"):
            labels = dict(m.choices)
            values = "、".join(labels.get(v, v) for v in self.choices)
            text = f"{m.label}{'属于' if self.operator == 'in' else '不属于'}：{values}"
        elif self.operator == "between":
            text = f"{format_threshold(m, self.threshold)} ≤ {m.label} < {format_threshold(m, self.threshold_high)}"
        else:
            target = "同行业平均" if self.uses_average else format_threshold(m, self.threshold)
            text = f"{m.label} {OPERATOR_TEXT.get(self.operator, self.operator)} {target}"
        if self.years > 1:
            text += f"（连续 {self.years} 年）"
        if self.role == CriterionRole.PRIORITY:
            text += "（优先条件）"
        return text


def format_threshold(m: Metric, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if m.is_rate:
        return f"{(value * 100).normalize():f}%"
    text = f"{value.normalize():f}"
    return f"{text} {m.unit}".strip()


def _decimal(raw, where: str, errors: dict, key: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        errors.setdefault(key, []).append(f"{where}：“{raw}”不是数字")
        return None
    if not value.is_finite():
        errors.setdefault(key, []).append(f"{where}：“{raw}”不是有效数字")
        return None
    return value


def spec_clean(data: dict, *, index: int = 0) -> tuple[CriterionSpec | None, dict[str, list[str]]]:
    """A criterion from a form/API dict → (spec, {}) or (None, {field: [Chinese messages]}).

    Rates (growths, ratios) are entered and stored as fractions (0.2 = 20%); a value written with
    a percent sign ("20%") is converted."""
    errors: dict[str, list[str]] = {}
    where = f"第 {index + 1} 条条件"
    code = str(data.get("metric") or "").strip()
    m = METRICS.get(code)
    if m is None:
        return None, {f"criteria.{index}.metric": [f"{where}：未知指标“{code}”"]}
    role = data.get("role") or CriterionRole.REQUIRED
    if role not in CriterionRole.values:
        errors.setdefault(f"criteria.{index}.role", []).append(f"{where}：性质“{role}”无效")
    label = str(data.get("label") or "").strip()[:200]
    if m.kind == "manual" or role == CriterionRole.MANUAL:
        if errors:
            return None, errors
        return CriterionSpec(
            metric=code, role=CriterionRole.MANUAL, label=label or m.label, position=index
        ), {}
    operator = data.get("operator") or ""
    reference = data.get("reference") or Reference.THRESHOLD
    if operator not in Operator.values:
        errors.setdefault(f"criteria.{index}.operator", []).append(f"{where}：请选择比较方式")
    if reference not in Reference.values:
        errors.setdefault(f"criteria.{index}.reference", []).append(f"{where}：比较对象“{reference}”无效")
    if m.kind == "category" and operator not in ("in", "not_in"):
        errors.setdefault(f"criteria.{index}.operator", []).append(
            f"{where}：{m.label}只能用“属于/不属于”比较"
        )
    if m.kind != "category" and operator in ("in", "not_in"):
        errors.setdefault(f"criteria.{index}.operator", []).append(
            f"{where}：{m.label}是数值，不能用“属于/不属于”"
        )
    if reference == Reference.INDUSTRY_AVERAGE and not m.averageable:
        errors.setdefault(f"criteria.{index}.reference", []).append(
            f"{where}：只有增速和比率可以与同行业平均比较，{m.label}不可以"
        )
    if reference == Reference.INDUSTRY_AVERAGE and operator == "between":
        errors.setdefault(f"criteria.{index}.operator", []).append(f"{where}：与同行业平均比较不能用“介于”")

    def rate(raw):
        if isinstance(raw, str) and raw.strip().endswith("%"):
            value = _decimal(raw.strip()[:-1], where, errors, f"criteria.{index}.threshold")
            return None if value is None else value / 100
        return _decimal(raw, where, errors, f"criteria.{index}.threshold")

    threshold = rate(data.get("threshold"))
    high = rate(data.get("threshold_high"))
    choices = data.get("choices") or []
    if isinstance(choices, str):
        choices = [c.strip() for c in choices.replace("，", ",").replace("、", ",").split(",") if c.strip()]
    choices = tuple(str(c) for c in choices)
    if operator in ("in", "not_in"):
        if not choices:
            errors.setdefault(f"criteria.{index}.choices", []).append(f"{where}：请选择取值")
        allowed = {v for v, _ in m.choices}
        bad = [c for c in choices if allowed and c not in allowed]
        if bad:
            errors.setdefault(f"criteria.{index}.choices", []).append(
                f"{where}：{m.label}没有取值“{'、'.join(bad)}”"
            )
    elif reference == Reference.THRESHOLD and operator:
        if threshold is None and f"criteria.{index}.threshold" not in errors:
            errors.setdefault(f"criteria.{index}.threshold", []).append(f"{where}：请填写阈值")
        if operator == "between":
            if high is None:
                errors.setdefault(f"criteria.{index}.threshold_high", []).append(f"{where}：请填写上限")
            elif threshold is not None and high <= threshold:
                errors.setdefault(f"criteria.{index}.threshold_high", []).append(f"{where}：上限应大于下限")
    try:
        years = int(data.get("years") or 1)
    except (TypeError, ValueError):
        years = 0
    if not 1 <= years <= MAX_YEARS:
        errors.setdefault(f"criteria.{index}.years", []).append(f"{where}：连续年数应为 1 到 {MAX_YEARS}")
    elif years > 1 and m.kind in ("category", "number"):
        errors.setdefault(f"criteria.{index}.years", []).append(
            f"{where}：{m.label}只按筛选年度判断，连续年数应为 1"
        )
    if errors:
        return None, errors
    return (
        CriterionSpec(
            metric=code,
            operator=operator,
            reference=reference,
            threshold=threshold if reference == Reference.THRESHOLD else None,
            threshold_high=high if operator == "between" else None,
            choices=choices if operator in ("in", "not_in") else (),
            years=years,
            role=role,
            label=label,
            position=index,
        ),
        {},
    )


def specs_clean(items: list[dict]) -> list[CriterionSpec]:
    """Every criterion of an edit; raises one ValidationError listing every problem."""
    errors: dict[str, list[str]] = {}
    specs: list[CriterionSpec] = []
    if not items:
        raise ValidationError({"criteria": ["至少需要一条认定条件"]})
    for i, item in enumerate(items):
        spec, problems = spec_clean(item, index=i)
        errors.update(problems)
        if spec is not None:
            specs.append(spec)
    if errors:
        raise ValidationError(errors)
    return specs
