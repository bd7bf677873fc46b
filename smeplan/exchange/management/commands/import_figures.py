"""manage.py import_figures <file> --user USERNAME [--sheet NAME] [--year Y] [--confirm-warnings] [--dry-run]

Reads a spreadsheet (xlsx/xls/ods/csv), understands its layout, validates every row and — unless
``--dry-run`` or errors — writes it all or nothing through the same services as the page and the API.
Exit status 1 when the file is refused (errors, unreadable file, unconfirmed warnings).
"""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from smeplan.accounts.models import User
from smeplan.exchange.pipeline import parse_file
from smeplan.exchange.reading import ImportFileError
from smeplan.exchange.services import file_checksum, import_commit, import_validate

ISSUES_PRINTED = 200


class Command(BaseCommand):
    help = "导入年度数据电子表格（先校验全部数据，无错误时一次性写入）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="以该用户身份导入（决定可导入的区县范围）")
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
        started = time.perf_counter()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        try:
            parsed = parse_file(data, path.name, default_year=opts["year"], sheets=opts["sheet"])
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        if not parsed.layouts:
            raise CommandError("文件中没有可导入的工作表")
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
        )
        validated_s = time.perf_counter() - started
        self._print_issues(batch)
        self.stdout.write(
            f"导入#{batch.pk}：{batch.rows} 行，错误 {batch.error_count} 处，警告 {batch.warning_count} 条"
            f"（读取 {read_s:.1f} 秒，校验 {validated_s - read_s:.1f} 秒）"
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
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入#{batch.pk}：新增 {batch.new_count}，更新 {batch.updated_count}，"
                f"未变化 {batch.unchanged_count}，新登记单位 {batch.new_organisations}"
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
