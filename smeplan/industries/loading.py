"""Loads GB/T 4754-2017 from data/gbt4754-2017.csv (shipped) into Industry rows."""

import csv
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754-2017.csv"


def industry_rows() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    codes = {r["code"] for r in rows}
    out = []
    for r in rows:
        code, level = r["code"], r["level"]
        if level == "section":
            parent, division = None, ""
        elif level == "division":
            parent, division = r["section"], code
        elif level == "group":
            parent, division = code[:2], code[:2]
        else:  # class: its group, or (single-class group listed only as the class) its division
            parent = code[:3] if code[:3] in codes else code[:2]
            division = code[:2]
        out.append(
            {
                "code": code,
                "name": r["name"],
                "level": level,
                "section": r["section"],
                "division": division,
                "parent": parent,
            }
        )
    return out


def load_industries(Industry) -> None:
    """Create every code once (idempotent); the CSV lists parents before children."""
    existing = set(Industry.objects.values_list("code", flat=True))
    Industry.objects.bulk_create(
        [
            Industry(
                code=r["code"],
                name=r["name"],
                level=r["level"],
                section=r["section"],
                division=r["division"],
                parent_id=r["parent"],
            )
            for r in industry_rows()
            if r["code"] not in existing
        ],
        batch_size=500,
    )
