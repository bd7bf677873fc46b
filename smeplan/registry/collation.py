"""Names sorted by pinyin (按拼音排序), on both databases.

PostgreSQL sorts with the ICU collation ``zh-x-icu`` (CLDR's pinyin order for Chinese: punctuation,
digits, Han characters by pinyin and tone, then Latin letters), served by the expression indexes of
migration ``registry.0005_name_search_table``. Nothing has to be kept in step: every write path
(services, imports, ``COPY``) is sorted the same way.

SQLite has no ICU. Every new connection gets the deterministic SQL function ``pinyin_key(text)``
(:func:`register_sqlite_functions`): a text whose byte order is the pinyin order, built in Python
from the readings of the ``pypinyin`` package (each Han character by its first, most common
reading). The list sorts by ``pinyin_key(name)``, served by expression indexes on it (migration
``registry.0005`` and, should a later migration rebuild the table, :func:`ensure_sqlite_indexes`
after every ``migrate``), so SQLite computes each key once, when a row is written — a 200,000-row
table is not re-sorted through Python on every page. (A connection without the function, such as the
``sqlite3`` shell, cannot write that table; and a new ``pypinyin`` reading needs ``REINDEX``: the
dependency is pinned.) The two databases agree on the order of letters and tones; characters with
several readings may sort under different ones (ICU puts 长 under zhǎng, pypinyin under cháng), so
no test depends on those.
"""

import unicodedata
from functools import lru_cache

from django.db.models import F, Func, TextField
from django.db.models.functions import Collate

POSTGRES_COLLATION = "zh-x-icu"
SQLITE_FUNCTION = "pinyin_key"

#: Categories, in ICU's zh order: punctuation and symbols, digits, Han, Latin letters, the rest.
_PUNCT, _DIGIT, _HAN, _LATIN, _OTHER = "01234"

#: The SQLite expression indexes (name, DDL) of the list's pinyin order.
SQLITE_INDEXES = (
    (
        "org_name_pinyin",
        "CREATE INDEX IF NOT EXISTS org_name_pinyin ON registry_organisation (pinyin_key(name), id)",
    ),
    (
        "org_county_name_pinyin",
        "CREATE INDEX IF NOT EXISTS org_county_name_pinyin"
        " ON registry_organisation (county_id, pinyin_key(name), id)",
    ),
)


class PinyinKey(Func):
    """SQLite: ``pinyin_key(expr)``."""

    function = SQLITE_FUNCTION
    output_field = TextField()


def pinyin_ordered(field: str, vendor: str) -> Func | F:
    """``field`` as the database sorts it in pinyin order (the plain field elsewhere)."""
    if vendor == "postgresql":
        return Collate(F(field), POSTGRES_COLLATION)
    if vendor == "sqlite":
        return PinyinKey(F(field))
    return F(field)


@lru_cache(maxsize=65536)
def _han_reading(char: str) -> tuple[str, str] | None:
    from pypinyin import Style, pinyin  # imported on first use: SQLite only, ≈ 50 MB of dictionaries

    reading = pinyin(char, style=Style.TONE3, heteronym=False, neutral_tone_with_five=True, errors="ignore")
    if not reading or not reading[0]:
        return None
    text = reading[0][0]
    if text and text[-1].isdigit():
        return text[:-1], text[-1]
    return text, "5"


def _is_han(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
    )


@lru_cache(maxsize=65536)
def _char_key(char: str) -> tuple[str, str]:
    """(primary, tie-break) weight of one character, as text compared by code point.

    Primary: its category (one digit), then — Han — the pinyin letters, the tone digit (a digit sorts
    before any letter, so "an" before "ang") and the character itself (homophones apart); — Latin —
    the base letter in lower case; — others — the character. Tie-break: case and accents of a Latin
    letter (lower case first, as ICU)."""
    if _is_han(char):
        reading = _han_reading(char)
        if reading is not None:
            return f"{_HAN}{reading[0]}{reading[1]}{char}", ""
        return f"{_HAN}\uffff{char}", ""
    if char.isdigit():
        return f"{_DIGIT}{unicodedata.digit(char, 0)}{char}", ""
    base = unicodedata.normalize("NFD", char)[0]
    if base.isascii() and base.isalpha():
        return f"{_LATIN}{base.lower()}", ("0" if char == base.lower() else "1") + char
    if unicodedata.category(char)[0] in "PSZC":
        return f"{_PUNCT}{char}", ""
    return f"{_OTHER}{char}", ""


def pinyin_key(text: str | None) -> str:
    """A text whose code point order is the pinyin order of ``text``: every character's primary
    weight, then (after U+0001, which sorts before any weight: a name before its extensions) the
    tie-breaks, then the text itself."""
    if not text:
        return ""
    keys = [_char_key(c) for c in text]
    return "".join(k[0] for k in keys) + "\x01" + "".join(k[1] for k in keys) + "\x01" + text


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give each new SQLite connection ``pinyin_key``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, pinyin_key, deterministic=True)


def ensure_sqlite_indexes(sender, using="default", **kwargs) -> None:
    """``post_migrate`` receiver: the SQLite expression indexes exist (a migration that rebuilds the
    table on SQLite recreates only the indexes Django knows)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if "registry_organisation" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for _name, ddl in SQLITE_INDEXES:
            cursor.execute(ddl)
