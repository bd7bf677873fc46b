"""What the foreign key of ``AnnualFigures.organisation`` would check, done by the write paths.

``AnnualFigures.organisation`` has no database constraint (see the ``FigureRevision`` docstring):
a DEFERRABLE INITIALLY DEFERRED constraint checks each inserted row on its own at COMMIT, 10^6
trigger events for a 10^6-row import. Every path that creates figure rows calls
:func:`organisations_lock` first, in its transaction, for all the organisations at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection

from smeplan.registry.models import Organisation


def id_array(ids: Iterable[int]) -> str:
    """The text form of a bigint array, for ``= ANY(%s::bigint[])``: one string parameter. psycopg
    would dump a list element by element (≈ 2 µs each: 10^6 ids over an import's five queries)."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


MISSING_MESSAGE = "有{n}家单位已被删除（例如 ID {pk}），未写入任何数据；请重新核对后再提交"


def organisations_lock(ids: Iterable[int]) -> None:
    """Lock the organisations ``ids`` against deletion until the end of the transaction (PostgreSQL:
    ONE ``SELECT … FOR KEY SHARE``, the lock the constraint's trigger took row by row: updates of
    the organisations still go ahead, a delete waits) and refuse (ValidationError) if one of them
    no longer exists. Elsewhere (SQLite: one writer at a time) an existence check."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    found: set[int] = set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id FROM {Organisation._meta.db_table} WHERE id = ANY(%s::bigint[]) FOR KEY SHARE",  # noqa: S608
                [id_array(wanted)],
            )
            found.update(pk for (pk,) in cur.fetchall())
    else:
        for i in range(0, len(wanted), 5_000):
            found.update(
                Organisation.objects.filter(pk__in=wanted[i : i + 5_000]).values_list("pk", flat=True)
            )
    if len(found) != len(wanted):
        missing = [pk for pk in wanted if pk not in found]
        raise ValidationError(MISSING_MESSAGE.format(n=len(missing), pk=missing[0]))
