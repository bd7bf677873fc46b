"""manage.py programmes_load — the configured programmes, forms and rubrics from their data files
(``smeplan/programmes/data/configured/``). Idempotent; an administrator's edits are kept."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from smeplan.programmes import formdesign, rubric
from smeplan.programmes.configured import programme_files_load


class Command(BaseCommand):
    help = "载入认定项目数据文件（认定项目、梯队与认定条件；申报表；评分细则）"

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=None, help="认定项目文件所在目录（默认：系统自带的数据文件）")

    def handle(self, *args, folder=None, **options):
        try:
            programmes = programme_files_load(folder, report=self.stdout.write)
            forms = formdesign.form_files_load(None)
            rubrics = rubric.rubric_files_load()
        except ValidationError as exc:
            lines = [m for messages in exc.message_dict.values() for m in messages]
            raise CommandError("数据文件有误，未载入任何内容：\n" + "\n".join(lines)) from None
        self.stdout.write(f"认定项目：新建或补充 {programmes} 个（其余已是最新）")
        self.stdout.write(f"申报表：新增版本 {forms} 个")
        self.stdout.write(f"评分细则：新增版本 {rubrics} 个")
