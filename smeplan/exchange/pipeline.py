"""From a file to records: read, understand (with the user's corrections), extract — one path for the
page, the API, the background job and ``manage.py import_figures``.

Options (``ImportBatch.options``; all optional):

``template``     a saved mapping (header text → target), applied to every sheet first;
``corrections``  {sheet name: {column letter: target or {"target", "year", "unit"}}} from the page;
``sheets``       the names of the sheets to import (default: every sheet with a recognisable header);
``default_year`` the year of sheets that have neither a year column nor years in the header;
``kind``         what the file is imported as: "figures" (年度数据), "organisations" (企业名录: registry
                 attributes, and the figures the file also carries), or "auto" (default: decided
                 from the columns, ``understanding.import_kind_of``).

A file whose sheets hold a header and no data row is refused (``MSG_HEADER_ONLY``), never
imported as zero rows; a header-only sheet next to sheets with data is a warning.

``progress(phase, fraction)`` is called now and then (fraction 0…1 of this phase); phases are the
Chinese words shown on the page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from smeplan.exchange.parsed import Issue, IssueLevel, ParsedRecord
from smeplan.exchange.reading import read_workbook
from smeplan.exchange.understanding import (
    Layout,
    apply_mapping,
    extract,
    finish_layout,
    import_kind_of,
    understand_workbook,
)

Progress = Callable[[str, float], None]

PHASE_READ = "读取文件"
PHASE_EXTRACT = "识别数据行"
PHASE_VALIDATE = "校验数据"
PHASE_WRITE = "写入数据库"
MSG_HEADER_ONLY = "文件只有表头，没有数据行"


def no_progress(phase: str, fraction: float) -> None:
    return None


@dataclass
class ParsedFile:
    layouts: list[Layout]
    records: list[ParsedRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # layout and cell problems, before validation
    sheet_names: list[str] = field(default_factory=list)  # every sheet of the file, for the page
    kind: str = "figures"  # what the file is imported as (ImportKind value)

    @property
    def layout_dict(self) -> dict:
        return {
            "sheets": [layout.to_dict() for layout in self.layouts],
            "all_sheets": list(self.sheet_names),
            "kind": self.kind,
        }


def _counted(
    rows: Iterable[list], total: int | None, phase: str, progress: Progress, every: int = 20_000
) -> Iterator[list]:
    total = max(total or 0, 1)  # unknown (a streamed CSV): the bar moves on at the next phase
    last = time.monotonic()
    for i, row in enumerate(rows):
        if i % every == 0 and time.monotonic() - last > 0.5:
            progress(phase, i / total)
            last = time.monotonic()
        yield row


def parse_file(
    source,
    file_name: str,
    *,
    template: dict | None = None,
    corrections: dict | None = None,
    sheets: Iterable[str] | None = None,
    default_year: int | None = None,
    kind: str | None = None,
    progress: Progress = no_progress,
) -> ParsedFile:
    """Read ``source`` (bytes or a path) and return its records; raises ``ImportFileError`` when the
    file cannot be read at all. Layout problems (no header, no credit-code column…) are errors in
    ``issues``; a sheet whose layout has errors yields no records."""
    progress(PHASE_READ, 0.0)
    # streamed: the sheets' first rows for understanding, then every row once, one at a time
    workbook = read_workbook(source, file_name, stream=True)
    progress(PHASE_READ, 1.0)
    names = [s.name for s in workbook.sheets]
    wanted = [s for s in sheets if s in names] if sheets else None
    layouts = understand_workbook(
        workbook, mapping=template or None, default_year=default_year, sheets=wanted
    )
    corrections = corrections or {}
    parsed = ParsedFile(layouts=[], sheet_names=names)
    if not layouts:
        parsed.issues.append(
            Issue(
                IssueLevel.ERROR,
                "",
                None,
                None,
                "",
                "文件中没有可导入的工作表（没有数据或没有选中任何工作表）",
            )
        )
        return parsed
    for layout in layouts:
        if corrections.get(layout.sheet):
            layout = apply_mapping(layout, corrections[layout.sheet])
        parsed.layouts.append(layout)
    parsed.kind = import_kind_of(parsed.layouts, kind)
    header_only = []
    for n, layout in enumerate(parsed.layouts):
        finish_layout(layout, parsed.kind)
        sheet = workbook.sheet(layout.sheet)

        def report(phase, fraction, n=n):
            progress(phase, (n + fraction) / len(layouts))

        rows = _counted(sheet.iter_rows(), sheet.row_count, PHASE_EXTRACT, report)
        extraction = extract(sheet, layout, rows=rows)
        parsed.records.extend(extraction.records)
        parsed.issues.extend(extraction.issues)  # the layout's own problems first, then the cells'
        if layout.ok and not extraction.data_rows and not any(i.row for i in extraction.issues):
            header_only.append(layout.sheet)
    readable = [layout.sheet for layout in parsed.layouts if layout.ok]
    if readable and len(header_only) == len(readable):
        sheet = header_only[0] if len(header_only) == 1 else ""
        parsed.issues.append(Issue(IssueLevel.ERROR, sheet, None, None, "", MSG_HEADER_ONLY))
    else:
        for name in header_only:
            parsed.issues.append(
                Issue(
                    IssueLevel.WARNING,
                    name,
                    None,
                    None,
                    "",
                    f"工作表“{name}”只有表头，没有数据行，该表不导入（可在识别结果中取消勾选该工作表）",
                )
            )
    progress(PHASE_EXTRACT, 1.0)
    return parsed
