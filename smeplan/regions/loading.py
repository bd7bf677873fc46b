"""Builds the bureau hierarchy from the shipped GB/T 2260 table (data/shaanxi-divisions.csv)."""

import csv
from pathlib import Path

from smeplan.regions.models import HANCHENG_CODE, PROVINCE_CODE, YANGLING_CODE

DATA_DIR = Path(__file__).resolve().parent / "data"
YANGLING_COUNTY_CODE = "610403"  # 杨陵区, administered by 杨凌示范区


def read_divisions() -> list[dict]:
    with (DATA_DIR / "shaanxi-divisions.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def bureau_rows() -> list[dict]:
    """Rows (code, name, level, parent, admin_parent_code, is_county, path), parents first."""
    divisions = read_divisions()
    rows: dict[str, dict] = {}
    for d in divisions:
        rows[d["code"]] = {
            "code": d["code"],
            "name": d["name"],
            "level": d["level"],
            "parent": d["parent_code"] or None,
            "admin_parent_code": d["parent_code"],
            "is_county": d["level"] == "county",
        }
    rows[YANGLING_CODE] = {
        "code": YANGLING_CODE,
        "name": "杨凌示范区",
        "level": "city",
        "parent": PROVINCE_CODE,
        "admin_parent_code": "",
        "is_county": False,
    }
    rows[YANGLING_COUNTY_CODE]["parent"] = YANGLING_CODE
    rows[HANCHENG_CODE].update(level="city", parent=PROVINCE_CODE)

    def path(code: str) -> str:
        parent = rows[code]["parent"]
        return (path(parent) if parent else "") + code + "/"

    for r in rows.values():
        r["path"] = path(r["code"])
    return sorted(rows.values(), key=lambda r: (r["path"].count("/"), r["code"]))


def read_aliases() -> list[dict]:
    """The alias table; its ``verified`` column is the maintainers' (never shown, not loaded)."""
    with (DATA_DIR / "aliases.csv").open(encoding="utf-8") as fh:
        out = []
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            code = YANGLING_CODE if row["code"] == "YANGLING" else row["code"]
            out.append({"alias": row["alias"], "code": code, "note": row["note"]})
        return out


def load_regions(Region, RegionAlias) -> None:
    """Idempotently create/update every region and alias (used by the data migration)."""
    for r in bureau_rows():
        Region.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "level": r["level"],
                "parent_id": r["parent"],
                "admin_parent_code": r["admin_parent_code"],
                "is_county": r["is_county"],
                "path": r["path"],
            },
        )
    load_aliases(RegionAlias)


def load_aliases(RegionAlias) -> None:
    for a in read_aliases():
        RegionAlias.objects.update_or_create(
            alias=a["alias"], defaults={"region_id": a["code"], "note": a["note"]}
        )
