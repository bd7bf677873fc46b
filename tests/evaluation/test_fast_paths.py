"""The fast paths of the evaluation run give the same numbers as the plain ones.

* The certified organisations' frame (``frame_load(organisation_ids=…)``) on PostgreSQL: index
  probes from one array literal, ``= ANY`` over the tables, and the figures read on a second
  connection in an exported snapshot (outside a transaction) all equal the ORM path.
* The ranks' tie-break asks for the credit codes of the tied rows only, and ranks as with every code.
* The stored same-industry averages kept in process follow every change of their rows.
* The results' binary COPY writes the same values as the text form (numeric with two decimals at
  its limits, NaN as NULL, floats bit for bit).
"""

import math
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from smeplan.evaluation import engine
from smeplan.evaluation.services import _copy_binary
from smeplan.programmes import frame as frame_module
from smeplan.programmes.averages import AverageTable, Group, tables_store, tables_stored_many
from smeplan.programmes.frame import frame_load
from smeplan.programmes.models import IndustryAverage
from tests.programmes.test_frame_loading_and_vectorised_averages import FIELDS, _fixture, _orm_frame, _same

METRIC = "growth.operating_revenue"


def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _ids(firms):
    ids = [o.pk for o in firms]
    return [*ids, ids[0], 10**12]  # a duplicate and an id that does not exist


@pytest.mark.django_db
@pytest.mark.parametrize("probe", [True, False])
def test_frame_by_ids_probes_and_scan_equal_the_orm_path(monkeypatch, probe):
    _postgres()
    firms = _fixture()
    monkeypatch.setattr(frame_module, "_use_probes", lambda count, reltuples: probe)
    kw = {
        "year": 2025,
        "years_back": 2,
        "fields": FIELDS,
        "since": {"rd_expense": 2025},
        "organisation_ids": _ids(firms),
    }
    fast = frame_load(**kw)
    assert fast.n == len(firms)
    _same(fast, _orm_frame(monkeypatch, **kw))
    _same(
        frame_load(**{**kw, "organisation_ids": [firms[1].pk]}),
        _orm_frame(monkeypatch, **{**kw, "organisation_ids": [firms[1].pk]}),
    )


@pytest.mark.django_db(transaction=True)
def test_frame_by_ids_on_two_connections_equals_the_orm_path(monkeypatch, reference_data):
    _postgres()
    firms = _fixture()
    assert not connection.in_atomic_block
    monkeypatch.setattr(frame_module, "PARALLEL_IDS", 1)
    kw = {"year": 2025, "years_back": 2, "fields": FIELDS, "organisation_ids": _ids(firms)}
    _same(frame_load(**kw), _orm_frame(monkeypatch, **kw))


def test_tie_break_asks_only_for_the_tied_codes():
    values = np.array([[0.1], [0.2], [0.1], [np.nan], [np.nan], [0.1], [0.3]])
    revenue = np.array([5.0, 1.0, 5.0, np.nan, np.nan, 7.0, 2.0])
    codes = np.array(["B", "X", "A", "D", "C", "Y", "Z"])
    asked = []

    def lookup(positions):
        asked.append(positions.tolist())
        return codes[positions].tolist()

    for method in (engine.MINMAX, engine.PERCENTILE):
        asked.clear()
        every = engine.evaluate(values, [1.0], method, revenue=revenue, codes=codes)
        lazy = engine.evaluate(values, [1.0], method, revenue=revenue, codes=lookup)
        assert lazy.rank.tolist() == every.rank.tolist()
        assert asked == [[0, 2, 3, 4]]  # same score and revenue: rows 0 and 2, and 3 and 4
    assert engine.evaluate(values[[1, 6]], [1.0], engine.MINMAX, codes=lookup).rank.tolist() == [2, 1]


def _table(numerator: int) -> AverageTable:
    group = Group(610000, "division", "33", numerator, 10000, 12)
    return AverageTable(METRIC, 2024, {(610000, "division", "33"): group})


def _numerators():
    table = tables_stored_many([(METRIC, 2024)])[(METRIC, 2024)]
    return None if table is None else [g.numerator for g in table.ordered]


@pytest.mark.django_db
def test_stored_averages_kept_in_process_follow_every_change():
    assert _numerators() is None
    tables_store([_table(11120)])
    first = tables_stored_many([(METRIC, 2024)])[(METRIC, 2024)]
    assert [g.numerator for g in first.ordered] == [11120]
    assert tables_stored_many([(METRIC, 2024), (METRIC, 2023)]) == {
        (METRIC, 2024): first,
        (METRIC, 2023): None,
    }
    tables_store([_table(22240)])  # recomputed: deleted and inserted again
    assert _numerators() == [22240]
    row = IndustryAverage.objects.get(year=2024, metric=METRIC)
    row.numerator = Decimal("333.33")  # edited and saved
    row.save()
    assert _numerators() == [33333]
    IndustryAverage.objects.filter(pk=row.pk).update(denominator=Decimal("200"))  # no computed_at
    assert [g.denominator for g in tables_stored_many([(METRIC, 2024)])[(METRIC, 2024)].ordered] == [20000]
    IndustryAverage.objects.all().delete()
    assert _numerators() is None


@pytest.mark.django_db
def test_binary_copy_writes_what_the_text_form_writes():
    _postgres()
    revenue = np.round(np.array([0.0, 0.01, -12.5, 99999999999999.99, 123456789.07, np.nan, 10000.0, 0.1]), 2)
    floats = np.array([0.1, -0.0, np.nan, 1e-300, 1 / 3, 100.00000000000001, math.pi, -2.5e15])
    ints = np.array([1, -1, 2**40, 0, 7, 8, 9, 2**62], dtype=np.int64)
    small = np.arange(8, dtype=np.int64) * 1000
    flags = np.array([True, False] * 4)
    data = _copy_binary(
        [("int8", ints), ("numeric2", revenue), ("float8", floats), ("int4", small), ("bool", flags)]
    )
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copy_check (i int8, r numeric(16,2), f float8, s int4, b bool)")
        with cur.cursor.copy("COPY copy_check FROM STDIN (FORMAT binary)") as copy:
            copy.write(data)
        cur.execute("SELECT i, r, f, s, b FROM copy_check")
        rows = cur.fetchall()
        cur.execute("DROP TABLE copy_check")
    assert [r[0] for r in rows] == ints.tolist()
    assert [r[1] for r in rows] == [
        None if math.isnan(v) else Decimal(repr(v)).quantize(Decimal("0.01")) for v in revenue.tolist()
    ]
    assert [None if r[2] is None else repr(r[2]) for r in rows] == [
        None if math.isnan(v) else repr(v) for v in floats.tolist()
    ]
    assert [r[3] for r in rows] == small.tolist()
    assert [r[4] for r in rows] == flags.tolist()
