"""后台管理 speaks Chinese: every application heading (AppConfig.verbose_name) and every model's name
is Chinese, and the index and every list page show no English headings, filters or event codes."""

import re

import pytest
from django.contrib import admin

from smeplan.audit.events import event_name
from smeplan.indicators.services import figures_update
from tests.web.helpers import text

LATIN = re.compile(r"[A-Za-z]{2,}")


def _latin(value) -> list[str]:
    return [w for w in LATIN.findall(str(value)) if w != "API"]


def test_every_admin_application_and_model_has_a_chinese_name():
    english = []
    for model in admin.site._registry:
        meta = model._meta
        for what, value in (
            ("app", meta.app_config.verbose_name),
            ("model", meta.verbose_name),
            ("plural", meta.verbose_name_plural),
        ):
            if _latin(value):
                english.append(f"{meta.label} {what}: {value}")
    assert english == []


def _visible(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<[^>]*class="[^"]*visually-hidden[^"]*"[^>]*>.*?</[^>]+>', " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.django_db
def test_the_admin_index_and_list_pages_show_no_english(client, admin_user, xian_officer, yanta_org):
    figures_update(actor=xian_officer, organisation=yanta_org, year=2024, data={"tax_paid": 160})
    client.force_login(admin_user)

    index = text(client.get("/admin/"))
    captions = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", index)
    assert len(captions) >= 6 and all(not _latin(c) for c in captions), captions
    assert "年度经营数据" in captions and "企业名录" in captions and "审计日志" in captions

    found = {}
    for model in admin.site._registry:
        path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        body = _visible(text(client.get(path)))
        main = body.split("数据与账号管理", 1)[-1]
        # the data rows of the lists may hold codes (信用代码, 行业门类 A…T); headings and filters may not
        thead = re.findall(r"<thead>(.*?)</thead>", text(client.get(path)), re.S)
        headings = [h for part in thead for h in re.findall(r"<th[^>]*>(.*?)</th>", part, re.S)]
        words = [w for h in headings for w in _latin(_visible(h))]
        words += [w for w in _latin(main) if w in {"Filter", "by", "Accounts", "Audit", "Registry"}]
        if words:
            found[path] = words
    assert found == {}


@pytest.mark.django_db
def test_the_admin_audit_list_names_events_and_objects_in_chinese(
    client, admin_user, xian_officer, yanta_org
):
    figures_update(actor=xian_officer, organisation=yanta_org, year=2024, data={"tax_paid": 160})
    client.force_login(admin_user)

    body = _visible(text(client.get("/admin/audit/auditevent/")))

    assert event_name("figures.updated") in body and "figures.updated" not in body
    assert "registry.organisation" not in body and "单位" in body


@pytest.mark.django_db
def test_admin_forms_offer_a_chinese_empty_choice(client, admin_user, yanta_org, english_catalog):
    """Django 6's "- Select an option -" has no Chinese in Django's catalog: the project's fills it
    (``english_catalog`` compiles every catalog under locale/, zh_Hans included)."""
    client.force_login(admin_user)

    body = text(client.get(f"/admin/registry/organisation/{yanta_org.pk}/change/"))

    assert "- 请选择 -" in body and "Select an option" not in body
