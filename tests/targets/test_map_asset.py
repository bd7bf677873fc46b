"""The county map built by scripts/build_assets.py (`make test` builds it first) and its decoder."""

import importlib.util
import json
from pathlib import Path

import pytest

from smeplan.regions.models import RegionAlias
from smeplan.regions.selectors import counties

ROOT = Path(__file__).resolve().parents[2]
ASSET = ROOT / "build" / "static" / "maps" / "shaanxi-counties.json"
WEST, SOUTH, EAST, NORTH = 105.4, 31.7, 111.3, 39.6


def _build_assets():
    spec = importlib.util.spec_from_file_location("build_assets", ROOT / "scripts" / "build_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def features() -> list[dict]:
    assert ASSET.exists(), f"{ASSET.relative_to(ROOT)} is missing: run `make assets` (make test does)"
    data = json.loads(ASSET.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return data["features"]


@pytest.mark.django_db
def test_one_feature_per_current_county_with_its_name_and_bureau_city(features):
    by_code = {f["properties"]["code"]: f for f in features}
    assert len(by_code) == len(features), "two features for one code"
    regions = {r.code: r for r in counties()}
    assert len(regions) == 107
    assert set(by_code) == set(regions)
    assert not set(by_code) & set(RegionAlias.objects.values_list("alias", flat=True))
    for code, region in regions.items():
        props = by_code[code]["properties"]
        assert props["name"] == region.name
        assert props["city"] == region.city_level_unit_code(), region.name
    assert by_code["610305"]["properties"]["name"] == "凤翔区"
    assert by_code["610403"]["properties"]["city"] == "619900"  # 杨陵区 → 杨凌示范区
    assert by_code["610581"]["properties"]["city"] == "610581"  # 韩城市 is its own city-level unit


def test_every_ring_is_closed_and_inside_shaanxi(features):
    for feature in features:
        geometry = feature["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        assert polygons
        for polygon in polygons:
            for ring in polygon:
                name = feature["properties"]["name"]
                assert len(ring) >= 4 and ring[0] == ring[-1], name
                for lon, lat in ring:
                    assert WEST <= lon <= EAST and SOUTH <= lat <= NORTH, (name, lon, lat)
                    assert round(lon, 4) == lon and round(lat, 4) == lat


def _encode(points: list[tuple[int, int]], offset: tuple[int, int]) -> str:
    """The encoder the decoder undoes: zig-zag deltas from the offset, each + 64, as characters."""
    out, (px, py) = [], offset
    for x, y in points:
        for delta in (x - px, y - py):
            out.append(chr(((delta << 1) ^ (delta >> 31)) + 64))
        px, py = x, y
    return "".join(out)


def test_decoder_reads_echarts_utf8_encoding():
    build_assets = _build_assets()
    # hand-encoded: start 0/0 ("@@"), +1/-1 ("BA"), -2/+3 ("CF") from the offset (1024, 2048)
    assert build_assets.decode_ring("@@BACF", [1024, 2048]) == [
        [1.0, 2.0],
        [1.0009765625, 1.9990234375],
        [0.9990234375, 2.0019531250],
    ]
    ring = [(111648, 35071), (111648, 35070), (111700, 35000), (111648, 35071)]
    encoded = _encode(ring, ring[0])
    assert build_assets.decode_ring(encoded, list(ring[0])) == [[x / 1024, y / 1024] for x, y in ring]
    collection = {
        "type": "FeatureCollection",
        "UTF8Encoding": True,
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "x"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[encoded]],
                    "encodeOffsets": [[list(ring[0])]],
                },
            },
        ],
    }
    decoded = build_assets.decode_geojson(collection)
    assert decoded["UTF8Encoding"] is False
    assert decoded["features"][0]["geometry"]["coordinates"] == [[[[x / 1024, y / 1024] for x, y in ring]]]
    assert "encodeOffsets" not in decoded["features"][0]["geometry"]
