"""python manage.py demo_province — load the demo province (演示省份) into an empty registry."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from smeplan.registry.demo import (
    DEFAULT_ENTERPRISES,
    DEFAULT_FIRST_YEAR,
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    DemoParams,
    load_demo_province,
)


class Command(BaseCommand):
    help = (
        "生成演示用的陕西省企业名录、年度数据和演示用户（确定性：同一种子得到同一数据）。"
        "SQLite 用 bulk_create，PostgreSQL 用 COPY。演示密码仅供演示使用。"
    )

    def add_arguments(self, parser):
        last = timezone.localdate().year - 1
        parser.add_argument(
            "--enterprises", type=int, default=DEFAULT_ENTERPRISES, help="企业数量（默认 20000）"
        )
        parser.add_argument("--last-year", type=int, default=last, help=f"最后年度（默认 {last}）")
        parser.add_argument(
            "--first-year",
            type=int,
            default=None,
            help=f"起始年度（默认 {DEFAULT_FIRST_YEAR}，最后年度−5 更早时取后者：演示历年名单从 2017 年起，需要此前三年的数据）",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"全部演示用户的密码（默认 {DEFAULT_PASSWORD}，仅供演示）",
        )
        parser.add_argument("--if-empty", action="store_true", help="已有单位数据时不做任何事")
        parser.add_argument("--chunk-size", type=int, default=50_000, help="每批生成和写入的企业数")
        parser.add_argument(
            "--drop-indexes",
            choices=("auto", "yes", "no"),
            default="auto",
            help="PostgreSQL：加载前删除、加载后重建二级索引（auto：10 万家企业及以上时）",
        )

    def handle(self, *args, **options):
        last = options["last_year"]
        first = (
            options["first_year"] if options["first_year"] is not None else min(DEFAULT_FIRST_YEAR, last - 5)
        )
        if last > timezone.localdate().year:
            raise CommandError(f"最后年度 {last} 晚于今年")
        try:
            params = DemoParams(
                enterprises=options["enterprises"], first_year=first, last_year=last, seed=options["seed"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        drop = {"auto": None, "yes": True, "no": False}[options["drop_indexes"]]
        verbose = options["verbosity"] >= 2
        self.stdout.write(
            f"正在生成演示省份：{params.enterprises:,} 家企业，{params.first_year}–{params.last_year} 年，种子 {params.seed} …"
        )
        try:
            result = load_demo_province(
                params,
                password=options["password"],
                if_empty=options["if_empty"],
                chunk_size=options["chunk_size"],
                drop_indexes=drop,
                progress=self.stdout.write if verbose else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped:
            self.stdout.write(f"数据库中已有 {result.existing:,} 个单位，未加载演示数据（--if-empty）。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"演示省份已加载：{result.organisations:,} 家企业，{result.figures:,} 条年度数据，"
                f"{result.name_changes:,} 条更名记录，{result.users} 个演示用户，用时 {result.seconds:.1f} 秒。"
            )
        )
        if verbose:
            self.stdout.write(f"  分项用时（秒）：{result.timings}")
