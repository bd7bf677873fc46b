"""The columnar store (``frame_store``) gives the frame the direct load (``frame_load``) gives — after
inserts, updates, deletes, an organisation leaving the enterprises, a write in raw SQL, new columns —
and it patches what changed instead of reading everything again; a fresh process reads the stored
state, not the tables; inside a transaction it sees its own writes and keeps nothing past a
rollback. Screening outcomes on both frames are the same. PostgreSQL and SQLite."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from smeplan.indicators.models import AnnualFigures
from smeplan.programmes import frame as frame_module
from smeplan.programmes import frame_store
from smeplan.programmes.engine import Averages, evaluate, outcome
from smeplan.programmes.frame import frame_cache_clear, frame_cached, frame_load
from smeplan.programmes.models import FrameChange, FrameState
from smeplan.registry.models import Organisation, OrganisationKind
from tests.programmes.helpers import firm, spec
from tests.programmes.test_frame_loading_and_vectorised_averages import FIELDS, _fixture, _same

KW = {"year": 2025, "years_back": 2, "fields": FIELDS, "since": {"rd_expense": 2025}}


def _fresh_process():
    """What a new process has: nothing in memory (the database, and its stored state, stay)."""
    frame_cache_clear()


@pytest.fixture
def counted(monkeypatch):
    """Every full read of the tables the store makes, by the columns it read. (These few firms
    change by more than the share above which the store reads everything again at scale: patch
    them all the same.)"""
    monkeypatch.setattr(frame_store, "REBUILD_SHARE", 1.0)
    builds = []
    real = frame_store._build

    def build(columns):
        builds.append(set(columns))
        return real(columns)

    monkeypatch.setattr(frame_store, "_build", build)
    return builds


def _write_every_kind(firms):
    """An update, a new enterprise with figures, deleted figure rows, a row moved to another year, a
    row deleted and written again, a deleted enterprise, one that is no longer an enterprise,
    changed attributes (and a classification of another year), a write in raw SQL that no Python
    code sees."""
    AnnualFigures.objects.filter(organisation=firms[0], year=2025).update(operating_revenue=Decimal("131.50"))
    newcomer = firm(
        county="610302",
        industry="C",
        y2024={"operating_revenue": "10", "tax_paid": "1"},
        y2025={"operating_revenue": "12.34", "employees": 7},
    )
    AnnualFigures.objects.filter(organisation=firms[3]).delete()
    AnnualFigures.objects.filter(organisation=firms[0], year=2023).update(year=2022)  # out of the years
    AnnualFigures.objects.filter(organisation=firms[1], year=2024).delete()  # deleted, then again
    AnnualFigures.objects.create(organisation=firms[1], year=2024, operating_revenue=Decimal("5.55"))
    firms[4].delete()
    Organisation.objects.filter(pk=firms[2].pk).update(kind=OrganisationKind.SERVICE_AGENCY)
    Organisation.objects.filter(pk=firms[1].pk).update(
        county_id="610113", industry_id="6311", classified_year=2023
    )
    table = AnnualFigures._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET total_profit = 99.99 WHERE organisation_id = %s AND year = 2024",  # noqa: S608
            [firms[0].pk],
        )
    return newcomer


def _outcomes(frame):
    specs = [
        spec("growth.operating_revenue", "gt", threshold="0.1"),
        spec("ratio.tax_ratio", "ge", reference="industry_average"),
    ]
    return outcome(evaluate(frame, specs, averages=Averages(frame=frame), area="province"), frame.n).tolist()


@pytest.mark.django_db(transaction=True)
def test_the_patched_store_equals_the_direct_load_after_every_kind_of_write(reference_data, counted):
    firms = _fixture()
    _fresh_process()
    first = frame_cached(**KW)
    _same(first, frame_load(**KW))
    assert len(counted) == 1 and FrameState.objects.count() == 1  # read once, stored for the others
    assert frame_cached(**KW) is first  # nothing written: the same frame, its memo with it

    newcomer = _write_every_kind(firms)
    patched = frame_cached(**KW)
    direct = frame_load(**KW)
    _same(patched, direct)
    assert len(counted) == 1  # patched, not read again
    ids = patched.ids.tolist()
    assert newcomer.pk in ids and firms[4].pk not in ids and firms[2].pk not in ids
    assert patched.figure("operating_revenue", 2025)[0][ids.index(firms[0].pk)] == 13150
    assert patched.figure("total_profit", 2024)[0][ids.index(firms[0].pk)] == 9999
    assert not patched.figure("operating_revenue", 2023)[1][ids.index(firms[3].pk)]
    assert not patched.figure("operating_revenue", 2023)[1][ids.index(firms[0].pk)]
    assert patched.figure("operating_revenue", 2024)[0][ids.index(firms[1].pk)] == 555
    assert _outcomes(patched) == _outcomes(direct)

    # other fields and years: the missing columns only are read, for every enterprise
    kw = {"year": 2024, "years_back": 3, "fields": ("total_assets", "operating_revenue")}
    _same(frame_cached(**kw), frame_load(**kw))
    assert len(counted) == 1


@pytest.mark.django_db(transaction=True)
def test_a_fresh_process_reads_the_stored_state_and_patches_it(reference_data, counted):
    firms = _fixture()
    _fresh_process()
    frame_cached(**KW)
    _fresh_process()
    again = frame_cached(**KW)  # a restart: the stored state, not the tables
    _same(again, frame_load(**KW))
    assert len(counted) == 1
    _write_every_kind(firms)
    _fresh_process()
    after = frame_cached(**KW)  # a worker started after a write: the stored state, patched
    _same(after, frame_load(**KW))
    assert len(counted) == 1


@pytest.mark.django_db(transaction=True)
def test_after_an_import_the_stored_state_is_brought_up_to_date_for_every_process(reference_data, counted):
    firms = _fixture()
    _fresh_process()
    frame_cached(**KW)
    stored = FrameState.objects.get()
    assert frame_store.store_refresh()  # nothing changed: the same state
    _write_every_kind(firms)
    assert frame_store.store_refresh()
    newer = FrameState.objects.get()
    assert newer.pk != stored.pk  # one state: the older one is gone
    assert not FrameChange.objects.exists() or not frame_store._changed(newer.seen)
    _fresh_process()
    _same(frame_cached(**KW), frame_load(**KW))
    assert len(counted) == 1


@pytest.mark.django_db(transaction=True)
def test_a_copy_older_than_the_pruned_log_is_replaced_by_the_stored_state(reference_data, counted):
    firms = _fixture()
    _fresh_process()
    frame_cached(**KW)
    old = frame_store._STORES[frame_store._db()]
    _write_every_kind(firms)
    frame_store.store_refresh()  # another process stores a newer state and prunes the log
    # (pruned as far as it goes: on a busy cluster another transaction may hold it back)
    FrameChange.objects.all().delete()
    FrameState.objects.update(
        horizon=frame_store._xmin(old.seen) + 1 if connection.vendor == "postgresql" else int(old.seen) + 1
    )
    frame_store._STORES[frame_store._db()] = old  # this process still holds the old copy
    frame_module._CACHE.clear()
    state = FrameState.objects.get()
    assert not frame_store._usable(old.seen, state.horizon)  # the log no longer reaches back to it
    _same(frame_cached(**KW), frame_load(**KW))
    assert len(counted) == 1


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_own_writes_are_seen_and_a_rollback_leaves_nothing_behind(reference_data):
    firms = _fixture()
    _fresh_process()
    before = frame_cached(**KW)
    pos = before.ids.tolist().index(firms[0].pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        AnnualFigures.objects.filter(organisation=firms[0], year=2025).update(
            operating_revenue=Decimal("555")
        )
        inside = frame_cached(**KW)
        assert inside.figure("operating_revenue", 2025)[0][pos] == 55500
        _same(inside, frame_load(**KW))
        # a service that fails (its savepoint rolled back) takes its writes with it
        with pytest.raises(ValueError), transaction.atomic():
            AnnualFigures.objects.filter(organisation=firms[0], year=2025).update(
                operating_revenue=Decimal("777")
            )
            assert frame_cached(**KW).figure("operating_revenue", 2025)[0][pos] == 77700
            raise ValueError("refused")
        assert frame_cached(**KW).figure("operating_revenue", 2025)[0][pos] == 55500
        raise RuntimeError("roll back")
    after = frame_cached(**KW)
    assert after.figure("operating_revenue", 2025)[0][pos] == 13000
    _same(after, frame_load(**KW))


@pytest.mark.django_db(transaction=True)
def test_every_write_to_the_organisations_and_figures_is_logged(reference_data):
    org = firm(y2025={"operating_revenue": "1"})
    _fresh_process()
    frame_cached(**KW)
    seen = frame_store._STORES[frame_store._db()].seen
    assert not frame_store._changed(seen)
    table = AnnualFigures._meta.db_table
    for sql in (
        f"UPDATE {table} SET tax_paid = 1 WHERE organisation_id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE organisation_id = %s",  # noqa: S608
        f"UPDATE {Organisation._meta.db_table} SET name = name WHERE id = %s",  # noqa: S608
    ):
        with connection.cursor() as cur:
            cur.execute(sql, [org.pk])
        assert frame_store._changed(seen), sql
        frame_cached(**KW)
        seen = frame_store._STORES[frame_store._db()].seen
        assert not frame_store._changed(seen)


@pytest.mark.django_db(transaction=True)
def test_a_large_import_brings_the_stored_frame_up_to_date_for_every_process(
    reference_data, client, settings, counted
):
    from smeplan.exchange.models import ImportBatch, ImportStatus
    from tests.factories import county_officer
    from tests.web.import_files import upload, xlsx_bytes

    org = firm(y2024={"operating_revenue": "40"}, y2025={"operating_revenue": "50", "employees": 5})
    _fresh_process()
    frame_cached(**KW)
    before = FrameState.objects.get()
    settings.SMEPLAN_IMPORT_BACKGROUND_BYTES = 1  # every file is a background job
    client.force_login(county_officer())
    client.post(
        "/imports/new/", {"file": upload(xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2025, 77, 6]]))}
    )
    batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/commit/")
    assert ImportBatch.objects.get().status == ImportStatus.COMMITTED
    after = FrameState.objects.get()
    assert after.pk != before.pk and not frame_store._changed(after.seen)  # stored by the job, current
    stored = frame_store._read_state(after.pk, after.seen)
    pos = stored.ids.tolist().index(org.pk)
    assert stored.columns[("operating_revenue", 2025)][pos] == 7700
    assert stored.columns[("employees", 2025)][pos] == 6
    _fresh_process()  # a web process started after the import: the stored state as it is
    _same(frame_cached(**KW), frame_load(**KW))
    assert len(counted) == 1


@pytest.mark.django_db(transaction=True)
def test_a_refresh_writes_only_the_arrays_that_changed(reference_data, counted):
    from smeplan.programmes.models import FrameColumn

    firms = _fixture()
    _fresh_process()
    frame_cached(**KW)
    rows_before = dict(FrameColumn.objects.values_list("name", "id"))
    AnnualFigures.objects.filter(organisation=firms[0], year=2024).update(tax_paid=Decimal("9.87"))
    AnnualFigures.objects.filter(organisation=firms[0], year=2025).update(tax_paid=Decimal("2"))  # as it was
    assert frame_store.store_refresh()
    rows_after = dict(FrameColumn.objects.values_list("name", "id"))
    assert rows_after.keys() == rows_before.keys()
    rewritten = {name for name in rows_after if rows_after[name] != rows_before[name]}
    assert rewritten == {"f:tax_paid:2024"}  # the rest moved to the new state, not written again
    _fresh_process()
    _same(frame_cached(**KW), frame_load(**KW))
    assert len(counted) == 1


@pytest.mark.django_db(transaction=True)
def test_the_size_class_of_year_t_follows_a_patched_figure(reference_data, counted):
    """An enterprise classified for another year is classified from its year-t figures: when only
    those change (no attribute), the patched frame classifies it again."""
    firm(y2025={"operating_revenue": "100", "employees": 10})
    stale = firm(y2025={"operating_revenue": "100", "employees": 10})
    _fresh_process()
    before = frame_cached(**KW)
    pos = before.ids.tolist().index(stale.pk)
    AnnualFigures.objects.filter(organisation=stale, year=2025).update(
        operating_revenue=Decimal("50000"), employees=900
    )
    after = frame_cached(**KW)
    _same(after, frame_load(**KW))
    assert after.size[pos] != before.size[pos]
    assert len(counted) == 1
