"""The fast paths of the screening frame give the same numbers as the plain ones.

* PostgreSQL reads the frame as bytea aggregates through COPY (in a transaction on this connection;
  outside one in ``ctid`` ranges on parallel connections sharing an exported snapshot); the ORM path
  converts Decimals exactly. Both must give the same frame, including the classification of
  organisations whose cached size class is of another year and figures at the numeric(16,2) limit.
* The same-industry averages (bincount over distinct area × division × section, exact int sums)
  and the group resolution equal a brute-force Python computation.
* ``since`` reads fewer years and refuses the others; memoised criterion arrays are read-only and
  give the same statuses as a fresh frame.
"""

from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from smeplan.programmes import frame as frame_module
from smeplan.programmes.averages import MIN_GROUP, PROVINCE, operands, table_compute
from smeplan.programmes.engine import Averages, evaluate, since_of
from smeplan.programmes.frame import Frame, frame_load
from smeplan.registry.models import Organisation
from tests.programmes.helpers import firm, spec

FIELDS = ("operating_revenue", "tax_paid", "total_profit", "rd_expense", "employees")


def _big() -> str:
    """The largest figure the database keeps exactly: numeric(16,2)'s maximum on PostgreSQL; SQLite
    stores decimals as REAL (15 significant digits)."""
    return "99999999999999.99" if connection.vendor == "postgresql" else "9999999999999.99"


class _OrmVendor:
    """``connection`` as seen by frame.py, claiming another vendor: forces the ORM path."""

    vendor = "sqlite"

    def __getattr__(self, name):
        return getattr(connection, name)


def _fixture():
    big = _big()
    firms = [
        firm(
            y2023={"operating_revenue": "100.00", "tax_paid": "1.25", "total_profit": "-3.50"},
            y2024={"operating_revenue": "120.01", "tax_paid": None, "total_profit": "2"},
            y2025={"operating_revenue": "130", "tax_paid": "2", "rd_expense": "0.01", "employees": 12},
        ),
        firm(
            county="610302",
            industry="C",
            y2024={"operating_revenue": big, "total_assets": "5"},
            y2025={"operating_revenue": big, "main_business_revenue": "-" + big, "employees": 0},
        ),
        firm(county="610581", industry="01", y2025={"operating_revenue": "0.01", "total_assets": "40000"}),
        firm(industry="331", y2023={"operating_revenue": "7"}),
        firm(industry=None),
    ]
    # organisations classified for the screening year (their cached class is used as is); with
    # these the stale ones are few, so their classification figures are read by id
    current = [firms[0]] + [firm(y2025={"operating_revenue": str(k), "employees": k}) for k in range(20)]
    Organisation.objects.filter(pk__in=[o.pk for o in current]).update(
        size_class="small", above_scale=True, classified_year=2025
    )
    return firms


def _same(a: Frame, b: Frame):
    assert a.ids.tolist() == b.ids.tolist()
    for name in ("county", "city", "division", "section", "size", "above", "founded"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert [a.industry_codes[i] if i >= 0 else None for i in a.industry] == [
        b.industry_codes[i] if i >= 0 else None for i in b.industry
    ]
    assert set(a.values) == set(b.values) and a.since == b.since
    for f in a.values:
        for y in range(a.since.get(f, a.first_year), a.year + 1):
            va, pa = a.figure(f, y)
            vb, pb = b.figure(f, y)
            assert pa.tolist() == pb.tolist(), (f, y)
            assert va.tolist() == vb.tolist(), (f, y)


def _orm_frame(monkeypatch, **kw):
    with monkeypatch.context() as m:
        m.setattr(frame_module, "connection", _OrmVendor())
        return frame_load(**kw)


@pytest.mark.django_db
def test_database_path_equals_the_orm_path(monkeypatch):
    firms = _fixture()
    kw = {"year": 2025, "years_back": 2, "fields": FIELDS, "since": {"rd_expense": 2025}}
    fast = frame_load(**kw)
    _same(fast, _orm_frame(monkeypatch, **kw))
    big = fast.ids.tolist().index(firms[1].pk)
    assert fast.figure("operating_revenue", 2025)[0][big] == int(Decimal(_big()) * 100)
    # one organisation only (the explanation's frame)
    kw1 = {"year": 2025, "years_back": 2, "fields": FIELDS, "organisation_ids": [firms[1].pk]}
    _same(frame_load(**kw1), _orm_frame(monkeypatch, **kw1))


@pytest.mark.django_db(transaction=True)
def test_parallel_snapshot_path_equals_the_orm_path(monkeypatch, reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("parallel reading is PostgreSQL only")
    _fixture()
    assert not connection.in_atomic_block
    kw = {"year": 2025, "years_back": 2, "fields": FIELDS, "since": {"rd_expense": 2025}}
    monkeypatch.setattr(frame_module.os, "cpu_count", lambda: 3)  # three ctid ranges on a tiny table
    _same(frame_load(**kw), _orm_frame(monkeypatch, **kw))


@pytest.mark.django_db
def test_since_reads_fewer_years_and_refuses_the_others():
    firm(
        y2024={"rd_expense": "1", "operating_revenue": "2"},
        y2025={"rd_expense": "3", "operating_revenue": "4"},
    )
    specs = [
        spec("ratio.rd_ratio", "ge", threshold="0.1"),
        spec("growth.operating_revenue", "gt", threshold="0.2", years=2),
    ]
    since = since_of(specs, 2025)
    assert since == {"rd_expense": 2025, "operating_revenue": 2023}
    frame = frame_load(year=2025, years_back=2, fields=("rd_expense", "operating_revenue"), since=since)
    assert frame.figure("rd_expense", 2025)[1].tolist() == [True]
    with pytest.raises(ValueError, match="not loaded"):
        frame.figure("rd_expense", 2024)
    assert frame.figure("operating_revenue", 2024)[1].tolist() == [True]


# --- averages and resolution against brute force (no database) ---------------------------------


def _random_frame(seed: int, n: int = 4000) -> Frame:
    rng = np.random.default_rng(seed)
    sections = np.array([0, ord("A"), ord("C"), ord("C"), ord("F"), ord("I")], dtype=np.uint8)
    s_idx = rng.integers(0, len(sections), n)
    section = sections[s_idx]
    division = np.where(
        section == 0, -1, np.where(rng.random(n) < 0.1, -1, rng.integers(1, 8, n) + 10 * s_idx)
    ).astype(np.int16)
    city = rng.choice(np.array([610100, 610300, 610581, 619900], dtype=np.int32), n)
    big = 10**16 - 1  # numeric(16,2) in cents
    values, present = {}, {}
    for f in ("operating_revenue", "rd_expense"):
        v = rng.integers(-(10**6), 10**6, (2, n))
        v[:, rng.random(n) < 0.05] = big  # sums far beyond 2^53
        v[:, rng.random(n) < 0.05] = 0
        values[f] = v.astype(np.int64)
        present[f] = rng.random((2, n)) < 0.9
    return Frame(
        year=2025,
        first_year=2024,
        ids=np.arange(1, n + 1, dtype=np.int64),
        county=city,
        city=city,
        industry=np.zeros(n, dtype=np.int32),
        industry_codes=["0000"],
        division=division,
        section=section,
        size=np.ones(n, dtype=np.int8),
        above=np.zeros(n, dtype=np.int8),
        founded=np.zeros(n, dtype=np.int16),
        values=values,
        present=present,
    )


def _brute_groups(frame, metric, year):
    num, den, _, ok = operands(frame, metric, year)
    groups: dict = {}
    for area_name in ("province", "city"):
        for kind in ("division", "section"):
            part: dict = {}
            for i in np.flatnonzero(ok).tolist():
                a = PROVINCE if area_name == "province" else int(frame.city[i])
                if kind == "division":
                    if frame.division[i] < 0:
                        continue
                    code = f"{int(frame.division[i]):02d}"
                else:
                    if frame.section[i] == 0:
                        continue
                    code = chr(int(frame.section[i]))
                g = part.setdefault((a, kind, code), [0, 0, 0])
                g[0] += int(num[i])
                g[1] += int(den[i])
                g[2] += 1
            # the table lists groups by area, then code (as the previous implementation did)
            for k in sorted(part, key=lambda k: (k[0], int(k[2]) if kind == "division" else ord(k[2]))):
                groups[k] = tuple(part[k])
    return groups


def _brute_resolve(frame, groups, area):
    index = {k: i for i, k in enumerate(groups)}
    out = []
    for i in range(frame.n):
        a = int(frame.city[i]) if area == "city" else PROVINCE
        d, s = int(frame.division[i]), int(frame.section[i])
        tries = ([(a, "division", f"{d:02d}")] if d >= 0 else []) + (
            [(a, "section", chr(s)), (PROVINCE, "section", chr(s))] if s else []
        )
        pick = next((index[k] for k in tries if k in groups and groups[k][2] >= MIN_GROUP), -1)
        flagged = False
        if pick < 0 and s and (PROVINCE, "section", chr(s)) in groups:
            pick, flagged = index[(PROVINCE, "section", chr(s))], True
        out.append((pick, flagged))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("metric", ["growth.operating_revenue", "ratio.rd_ratio"])
def test_vectorised_averages_and_resolution_equal_brute_force(seed, metric):
    frame = _random_frame(seed)
    table = table_compute(frame, metric, 2025)
    expected = _brute_groups(frame, metric, 2025)
    got = {k: (g.numerator, g.denominator, g.count) for k, g in table.groups.items()}
    assert list(got) == list(expected)
    assert got == expected
    assert table_compute(frame, metric, 2025) is table  # once per frame
    for area in ("province", "city"):
        chosen, flagged = table.resolve(frame, area)
        assert list(zip(chosen.tolist(), flagged.tolist(), strict=True)) == _brute_resolve(
            frame, expected, area
        )


def test_memoised_statuses_are_shared_read_only_and_equal_a_fresh_evaluation():
    specs = [
        spec("growth.operating_revenue", "gt", reference="industry_average"),
        spec("growth.operating_revenue", "gt", threshold="0.2"),
        spec("ratio.rd_ratio", "ge", reference="industry_average"),
    ]
    frame = _random_frame(7)
    first = evaluate(frame, specs, averages=Averages(frame=frame), area="city")
    again = evaluate(frame, specs, averages=Averages(frame=frame), area="city")
    fresh_frame = _random_frame(7)
    fresh = evaluate(fresh_frame, specs, averages=Averages(frame=fresh_frame), area="city")
    for a, b, c in zip(first, again, fresh, strict=True):
        assert a.details[0].status is b.details[0].status
        assert not a.details[0].status.flags.writeable
        assert a.status.tolist() == c.status.tolist()
    with pytest.raises(ValueError):
        first[0].details[0].status[0] = 0
    # a different threshold is not confused with a memoised one
    other = evaluate(frame, [spec("growth.operating_revenue", "gt", threshold="0.3")], averages=None)
    alone = evaluate(fresh_frame, [spec("growth.operating_revenue", "gt", threshold="0.3")], averages=None)
    assert other[0].status.tolist() == alone[0].status.tolist()
    assert other[0].status.tolist() != first[1].status.tolist()


@pytest.mark.parametrize("seed", [1, 2])
def test_sign_is_exact_on_every_path(seed):
    """sign(a/b − c/d): all-int64 (small scalars), float with int64 near-ties, float with Python
    near-ties (scalars beyond int64 products, per-row averages) — all equal Fraction arithmetic,
    including exact ties and values at the numeric(16,2) limit."""
    from fractions import Fraction

    from smeplan.programmes.engine import _sign

    rng = np.random.default_rng(seed)
    n = 3000
    b = rng.integers(1, 10**6, n).astype(np.int64)
    b[: n // 3] = rng.integers(10**15, 10**16, n // 3)
    for c, d in ((6, 5), (3, 1), (10**16 + 1, 10**16), (2**70 + 3, 2**69)):
        a = np.array([int(x) * c // d for x in b.tolist()], dtype=np.int64)  # ties and near-ties
        a[::7] += 1
        a[::11] -= 1
        where = rng.random(n) < 0.9
        got = _sign(a, b, c, d, where=where)
        want = [
            (Fraction(int(x), int(y)) > Fraction(c, d)) - (Fraction(int(x), int(y)) < Fraction(c, d))
            for x, y in zip(a, b, strict=True)
        ]
        assert got[where].tolist() == np.array(want)[where].tolist(), (c, d)
    cs = [2**66 + 5, 3, 10**15]
    ds = [2**65, 7, 10**15 - 1]
    pick = rng.integers(0, 3, n)
    a = np.array([int(b[i]) * cs[k] // ds[k] for i, k in enumerate(pick.tolist())], dtype=np.int64)
    got = _sign(
        a,
        b,
        np.array([float(cs[k]) for k in pick]),
        np.array([float(ds[k]) for k in pick]),
        c_exact=lambda i: cs[pick[i]],
        d_exact=lambda i: ds[pick[i]],
    )
    want = [
        (Fraction(int(x), int(y)) > Fraction(cs[k], ds[k]))
        - (Fraction(int(x), int(y)) < Fraction(cs[k], ds[k]))
        for x, y, k in zip(a, b, pick.tolist(), strict=True)
    ]
    assert got.tolist() == want


def test_the_memo_of_a_cached_frame_stays_bounded():
    from smeplan.programmes.engine import MEMO_LIMIT

    frame = _random_frame(3, n=500)
    for k in range(MEMO_LIMIT + 40):
        evaluate(frame, [spec("growth.operating_revenue", "gt", threshold=f"0.{k:03d}")], averages=None)
    kept = [k for k in frame.memo if k[0] in ("detail", "criterion", "category")]
    assert len(kept) <= MEMO_LIMIT
    # still right after evictions
    again = evaluate(frame, [spec("growth.operating_revenue", "gt", threshold="0.001")], averages=None)
    fresh = _random_frame(3, n=500)
    alone = evaluate(fresh, [spec("growth.operating_revenue", "gt", threshold="0.001")], averages=None)
    assert again[0].status.tolist() == alone[0].status.tolist()
