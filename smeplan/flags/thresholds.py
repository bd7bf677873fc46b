"""The thresholds of the false-information hints, as data (``data/thresholds.csv``), versioned by the
year they take effect."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

THRESHOLDS_CSV = Path(__file__).parent / "data" / "thresholds.csv"
KEYS = (
    "growth_factor",
    "above_revenue_ratio",
    "identical_min_fields",
    "reversal_factor",
    "mismatch_change_ratio",
    "form_correction_factor",
)


@dataclass(frozen=True)
class Thresholds:
    growth_factor: Decimal
    above_revenue_ratio: Decimal
    identical_min_fields: int
    reversal_factor: Decimal
    mismatch_change_ratio: Decimal
    form_correction_factor: Decimal
    versions: tuple[tuple[str, int], ...] = ()  # (key, effective year) used

    def as_dict(self) -> dict:
        return {k: str(getattr(self, k)) for k in KEYS} | {"versions": dict(self.versions)}


@lru_cache(maxsize=4)
def _rows(path: Path = THRESHOLDS_CSV) -> tuple[tuple[int, str, Decimal], ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    out = []
    for n, row in enumerate(csv.DictReader(lines), start=2):
        key = row["key"].strip()
        if key not in KEYS:
            raise ValueError(f"{path.name} 第{n}行：未知的阈值“{key}”")
        out.append((int(row["effective_from_year"]), key, Decimal(row["value"].strip())))
    return tuple(out)


def thresholds_for(year: int, path: Path = THRESHOLDS_CSV) -> Thresholds:
    """The thresholds in force for detection year ``year``."""
    chosen: dict[str, tuple[int, Decimal]] = {}
    for effective, key, value in _rows(path):
        if effective <= year and (key not in chosen or effective >= chosen[key][0]):
            chosen[key] = (effective, value)
    missing = [k for k in KEYS if k not in chosen]
    if missing:
        raise ValueError(f"{year}年没有生效的阈值：{'、'.join(missing)}")
    values = {k: v for k, (_, v) in chosen.items()}
    values["identical_min_fields"] = int(values["identical_min_fields"])
    return Thresholds(**values, versions=tuple((k, chosen[k][0]) for k in KEYS))
