"""Every audit event type any code records has a Chinese name in the one registry
(``smeplan.audit.events``), and every payload key it writes reads as a Chinese label — read from the
code itself: every call that passes ``event_type=`` (``audit_record`` and the helpers that hand an event type and payload on to it)."""

import ast
from pathlib import Path

import pytest
from django.contrib import admin

from smeplan.audit.events import EVENT_NAMES, field_spec
from smeplan.recognition import workflow as recognition_workflow
from smeplan.reporting import workflow as reporting_workflow
from smeplan.web.admin import AuditedAdmin

SOURCE = Path(__file__).resolve().parents[2] / "smeplan"
#: payload keys read as a shape (“字段：旧值 → 新值” over the subject's fields), not as a value
SHAPES = {"before", "after", "changes", "values"}


def _recording_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            args = {k.arg for k in node.keywords}
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            # audit_record, and helpers handing an event type and its payload on to it
            if "event_type" in args and (name == "audit_record" or "payload" in args):
                calls.append((str(path.relative_to(SOURCE.parent)), node.lineno, node))
    return calls


def _expand(node: ast.expr, where: str) -> list[str]:
    """The event types an ``event_type=`` expression can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _expand(node.body, where) + _expand(node.orelse, where)
    if isinstance(node, ast.Name):
        return []  # passed through: its callers' literals are collected where they are written
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        prefix = head.value if isinstance(head, ast.Constant) else ""
        if prefix == "application.":
            return [f"application.{t.action}" for t in recognition_workflow.TRANSITIONS]
        if prefix == "reporting.plan_":
            return [f"reporting.plan_{t.action}" for t in reporting_workflow.TRANSITIONS]
        if prefix == "" and "web/admin.py" in where:  # AuditedAdmin: <model>.created / <model>.updated
            models = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedAdmin)]
            assert models, "no model is edited through AuditedAdmin"
            return [f"{m._meta.model_name}.{what}" for m in models for what in ("created", "updated")]
    raise AssertionError(f"{where}: the event type {ast.unparse(node)} cannot be listed; write it out")


def _recorded() -> list[tuple[str, str, list[str]]]:
    """(where, event type, literal payload keys) of every recording call."""
    out = []
    for path, line, call in _recording_calls():
        where = f"{path}:{line}"
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        keys = []
        if isinstance(kw.get("payload"), ast.Dict):
            keys = [k.value for k in kw["payload"].keys if isinstance(k, ast.Constant)]
        for event_type in _expand(kw["event_type"], where):
            out.append((where, event_type, keys))
    return out


def test_the_code_records_the_event_types_expected():
    types = {t for _, t, _ in _recorded()}
    assert {"application.submit", "application.certify", "organisation.renamed", "user.updated"} <= types
    assert {"evaluation.proposals_confirmed", "reporting.plan_approve"} <= types
    assert len(types) > 60


@pytest.mark.django_db
def test_every_event_type_recorded_has_a_chinese_name():
    missing = sorted({f"{t}（{where}）" for where, t, _ in _recorded() if t not in EVENT_NAMES})
    assert missing == []


def test_every_payload_key_written_has_a_label():
    missing = sorted(
        {
            f"{t}: {key}（{where}）"
            for where, t, keys in _recorded()
            for key in keys
            if key not in SHAPES and field_spec(t, key) is None
        }
    )
    assert missing == []


def test_names_are_chinese():
    assert all(
        not any("a" <= ch.lower() <= "z" for ch in name.replace("API", "")) for name in EVENT_NAMES.values()
    )
