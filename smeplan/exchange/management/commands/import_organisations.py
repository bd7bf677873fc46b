"""manage.py import_organisations <file> --user USERNAME [options of import_figures]

The enterprise list (企业名录) by spreadsheet: ``import_figures --kind 企业名录`` under its own name —
organisations created or updated with their attributes (renames recorded), and the yearly figures
the same file carries. Every option of ``import_figures`` applies (``--map``, ``--template``,
``--dry-run``, ``--confirm-warnings`` …).
"""

from smeplan.exchange.management.commands.import_figures import Command as ImportCommand
from smeplan.exchange.models import ImportKind


class Command(ImportCommand):
    help = "导入企业名录电子表格（企业基本信息；先校验全部数据，无错误时一次性写入）"
    default_kind = ImportKind.ORGANISATIONS.value
