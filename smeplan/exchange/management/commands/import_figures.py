"""manage.py import_figures <file> --user USERNAME [--kind 自动识别|年度数据|企业名录] [--map 列名=字段 …]
[--template 名称] [--sheet NAME] [--year Y] [--confirm-warnings] [--dry-run]

Reads a spreadsheet (xlsx/xls/ods/csv), understands its layout, validates every row and — unless
``--dry-run`` or errors — writes it all or nothing through the same services as the page and the API.

``--kind`` says what the file is imported as: 年度数据 (yearly figures), 企业名录 (the registry:
organisations created or updated with their attributes, renames recorded, and the figures the file
also carries) or 自动识别 (default: decided from the columns, as on the page).

Column corrections, as on the page: ``--map 列名=字段`` (repeatable) reads the column whose header
(or column letter) is 列名 as 字段 — the Chinese field name the page shows (营业收入, 所属区县,
行业代码, 不导入 …) or its internal key (operating_revenue …); ``--map 列名=字段/年度`` and
``--map 列名=字段/年度/单位`` also give the column's year and unit (元, 千元, 万元, 百万元, 亿元, 人).
``--template 名称`` reads the file with a saved column mapping template (列对应模板) the user may use;
``--map`` corrections apply on top of it. An unknown column, field or template is refused with a
Chinese message before anything is read into the database.

Exit status 1 when the file is refused (errors, unreadable file, unconfirmed warnings).
"""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from smeplan.accounts.models import User
from smeplan.exchange.models import KIND_AUTO
from smeplan.exchange.pipeline import parse_file
from smeplan.exchange.reading import ImportFileError
from smeplan.exchange.selectors import templates_visible_to
from smeplan.exchange.services import file_checksum, import_commit, import_validate
from smeplan.exchange.synonyms import MONEY_UNITS, PERSON_UNITS, TARGET_LABELS, normalise, target_of
from smeplan.exchange.uploads import kind_choice_clean

ISSUES_PRINTED = 200
UNITS = [*MONEY_UNITS, *PERSON_UNITS]


def parse_map(entries: list[str]) -> dict[str, dict]:
    """``["营收=营业收入", "C=利润总额/2023/元"]`` → {column: {"target", "year"?, "unit"?,
    "optional"}}; raises CommandError naming the entry and what is wrong."""
    mapping: dict[str, dict] = {}
    fields = "、".join(dict.fromkeys(TARGET_LABELS.values()))
    for entry in entries or []:
        column, sep, spec = str(entry).partition("=")
        column = column.strip()
        if not sep or not column or not spec.strip():
            raise CommandError(f"--map “{entry}”格式有误：应为 列名=字段，如 --map 营收=营业收入")
        parts = [p.strip() for p in spec.split("/")]
        target = target_of(parts[0])
        if target is None:
            raise CommandError(f"--map “{entry}”：“{parts[0]}”不是可导入的字段；可选：{fields}")
        item: dict = {"target": target, "optional": True}
        if len(parts) > 1 and parts[1]:
            if (
                not parts[1].removesuffix("年").isdigit()
                or not 1949 <= int(parts[1].removesuffix("年")) <= 2100
            ):
                raise CommandError(f"--map “{entry}”：年度“{parts[1]}”应为四位年份，如 2023")
            item["year"] = int(parts[1].removesuffix("年"))
        if len(parts) > 2 and parts[2]:
            if parts[2] not in UNITS:
                raise CommandError(f"--map “{entry}”：单位“{parts[2]}”无效；可选：{'、'.join(UNITS)}")
            item["unit"] = parts[2]
        if len(parts) > 3:
            raise CommandError(f"--map “{entry}”格式有误：应为 列名=字段[/年度[/单位]]")
        mapping[column] = item
    return mapping


def template_named(actor, name: str):
    """The saved template ``name`` the user may use (their own first); CommandError otherwise."""
    visible = templates_visible_to(actor)
    matches = list(visible.filter(name=name.strip()))
    if not matches:
        names = "、".join(dict.fromkeys(t.name for t in visible[:50])) or "（无）"
        raise CommandError(f"没有名为“{name}”的列对应模板（您可以使用的模板：{names}）")
    own = [t for t in matches if t.owner_id == actor.pk]
    if len(own) == 1 or len(matches) == 1:
        return (own or matches)[0]
    owners = "、".join(str(t.owner or "（已删除的用户）") for t in matches)
    raise CommandError(
        f"有多个名为“{name}”的列对应模板（创建人：{owners}），请在页面上另存一个不同的名称后再用"
    )


def unknown_columns(mapping: dict, layouts) -> list[str]:
    """The ``--map`` columns that are neither a header nor a column letter of any sheet read."""
    headers, letters = set(), set()
    for layout in layouts:
        for column in layout.columns:
            letters.add(column.letter)
            if column.header:
                headers.add(normalise(column.header))
                headers.update(normalise(part) for part in column.header.split(" / "))
    return [key for key in mapping if key.upper() not in letters and normalise(key) not in headers]


class Command(BaseCommand):
    help = "导入年度数据或企业名录电子表格（先校验全部数据，无错误时一次性写入）"
    default_kind = KIND_AUTO

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="以该用户身份导入（决定可导入的区县范围）")
        parser.add_argument(
            "--kind",
            default=self.default_kind,
            help="导入内容：自动识别（默认）、年度数据、企业名录（或 auto / figures / organisations）",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="列名=字段",
            help="更正某列的识别结果（可重复）：列名为表头或列字母，字段为页面上的中文名称（如 营业收入、"
            "不导入）或字段代码；可加 /年度/单位，如 --map 营收=营业收入/2023/元",
        )
        parser.add_argument("--template", metavar="名称", help="按已保存的列对应模板识别各列")
        parser.add_argument("--sheet", action="append", help="只导入该工作表（可重复）")
        parser.add_argument("--year", type=int, help="表中没有年度列时的数据年度")
        parser.add_argument("--confirm-warnings", action="store_true", help="确认全部警告并导入")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        try:
            actor = User.objects.get(username=opts["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"用户“{opts['user']}”不存在或已停用") from None
        try:
            kind = kind_choice_clean(opts["kind"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        corrections = parse_map(opts["map"])
        template = template_named(actor, opts["template"]) if opts["template"] else None
        mapping = {**(dict(template.mapping) if template else {}), **corrections}
        default_year = opts["year"] or (template.default_year if template else None)
        started = time.perf_counter()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            parsed = parse_file(
                data,
                path.name,
                default_year=default_year,
                sheets=opts["sheet"],
                template=mapping or None,
                kind=kind,
            )
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        if not parsed.layouts:
            raise CommandError("文件中没有可导入的工作表")
        missing = unknown_columns(corrections, parsed.layouts)
        if missing:
            shown = "、".join(f"{c.letter} {c.header}" for c in parsed.layouts[0].columns if c.header)
            raise CommandError(
                f"--map 中的列“{'”“'.join(missing)}”在文件中不存在（可用表头或列字母；"
                f"工作表“{parsed.layouts[0].sheet}”的列：{shown}）"
            )
        records, issues = parsed.records, parsed.issues
        read_s = time.perf_counter() - started
        batch = import_validate(
            actor=actor,
            file_name=path.name,
            checksum=file_checksum(data),
            file_size=len(data),
            records=records,
            sheet_issues=issues,
            layout=parsed.layout_dict,
            kind=parsed.kind,
            options={
                "kind": kind,
                "default_year": default_year,
                "template": dict(template.mapping) if template else {},
                "map": {k: {x: y for x, y in v.items() if x != "optional"} for k, v in corrections.items()},
                "sheets": opts["sheet"] or [],
            },
            mapping_template=template,
        )
        validated_s = time.perf_counter() - started
        self._print_issues(batch)
        self.stdout.write(
            f"导入#{batch.pk}（{batch.get_kind_display()}）：{batch.rows} 行，错误 {batch.error_count} 处，"
            f"警告 {batch.warning_count} 条（读取 {read_s:.1f} 秒，校验 {validated_s - read_s:.1f} 秒）"
        )
        if batch.error_count:
            raise CommandError(batch.error_message)
        if opts["dry_run"]:
            self.stdout.write("仅校验（--dry-run），未写入任何数据")
            return
        if batch.warning_count and not opts["confirm_warnings"]:
            raise CommandError("有警告需要确认：核实后加 --confirm-warnings 重新运行")
        try:
            batch = import_commit(
                actor=actor,
                batch=batch,
                records=records,
                sheet_issues=issues,
                confirm_warnings=opts["confirm_warnings"],
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        # the screening frame's stored columns, patched now for the processes that read them next
        from smeplan.programmes.frame_store import store_refresh

        store_refresh()
        registry = ""
        if batch.kind == "organisations":
            registry = f"更新基本信息 {batch.updated_organisations}，更名 {batch.renamed_organisations}，"
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入#{batch.pk}：新增 {batch.new_count}，更新 {batch.updated_count}，"
                f"未变化 {batch.unchanged_count}，新登记单位 {batch.new_organisations}，{registry}"
                f"（共 {time.perf_counter() - started:.1f} 秒）"
            )
        )

    def _print_issues(self, batch):
        for issue in batch.issues[:ISSUES_PRINTED]:
            where = issue["sheet"] or ""
            if issue["row"]:
                where += f"!{issue['column'] or ''}{issue['row']}"
            level = "错误" if issue["level"] == "error" else "警告"
            value = f"“{issue['value']}”" if issue["value"] else ""
            self.stdout.write(f"[{level}] {where} {value} {issue['message']}".replace("  ", " "))
        rest = len(batch.issues) - ISSUES_PRINTED + batch.issues_omitted
        if rest > 0:
            self.stdout.write(f"……另有 {rest} 条问题未列出")
