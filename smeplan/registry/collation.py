"""Names sorted by pinyin (按拼音排序), on both databases.

PostgreSQL sorts with the ICU collation ``zh-x-icu`` (CLDR's pinyin order for Chinese: punctuation,
digits, Han characters by pinyin and tone, then Latin letters), served by the expression indexes of
migration ``registry.0005_name_search_table``. Nothing has to be kept in step: every write path
(services, imports, ``COPY``) is sorted the same way.

SQLite has no ICU; :func:`register_sqlite_collation` gives every new connection the collation
``pinyin``, which compares :func:`pinyin_key` — the same order built in Python from the readings of
the ``pypinyin`` package (each Han character by its first, most common reading). The two agree on the
order of letters and tones; characters with several readings may sort under different ones (ICU puts
长 under zhǎng, pypinyin under cháng), so no test depends on those.
"""

import unicodedata
from functools import lru_cache

from django.db.models import F, Func
from django.db.models.functions import Collate

POSTGRES_COLLATION = "zh-x-icu"
SQLITE_COLLATION = "pinyin"

#: Categories, in ICU's zh order: punctuation and symbols, digits, Han, Latin letters, the rest.
_PUNCT, _DIGIT, _HAN, _LATIN, _OTHER = range(5)


def collation_for(vendor: str) -> str | None:
    return {"postgresql": POSTGRES_COLLATION, "sqlite": SQLITE_COLLATION}.get(vendor)


def pinyin_ordered(field: str, vendor: str) -> Func | F:
    """``field`` with the pinyin collation of ``vendor`` (the plain field elsewhere)."""
    collation = collation_for(vendor)
    return Collate(F(field), collation) if collation else F(field)


@lru_cache(maxsize=65536)
def _han_reading(char: str) -> tuple[str, int] | None:
    from pypinyin import Style, pinyin  # imported on first use: SQLite only, ≈ 50 MB of dictionaries

    reading = pinyin(char, style=Style.TONE3, heteronym=False, neutral_tone_with_five=True, errors="ignore")
    if not reading or not reading[0]:
        return None
    text = reading[0][0]
    if text and text[-1].isdigit():
        return text[:-1], int(text[-1])
    return text, 5


def _is_han(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
    )


def _char_key(char: str) -> tuple[tuple, tuple]:
    """(primary, tertiary) weight of one character."""
    if _is_han(char):
        reading = _han_reading(char)
        if reading is not None:
            return (_HAN, reading[0], reading[1], ord(char)), (0,)
        return (_HAN, "\uffff", 9, ord(char)), (0,)
    if char.isdigit():
        return (_DIGIT, unicodedata.digit(char, 0), ord(char)), (0,)
    base = unicodedata.normalize("NFD", char)[0]
    if base.isascii() and base.isalpha():
        # Case and accents matter only when everything else is equal (lower case first, as ICU).
        return (_LATIN, base.lower()), (0 if char == base.lower() else 1, ord(char))
    category = unicodedata.category(char)
    if category[0] in "PSZC":
        return (_PUNCT, ord(char)), (0,)
    return (_OTHER, ord(char)), (0,)


@lru_cache(maxsize=200_000)
def pinyin_key(text: str) -> tuple:
    """A sort key of ``text`` in pinyin order: every character's primary weight first, then the
    tie-breaking (case, accents) weights, then the text itself."""
    keys = [_char_key(c) for c in text or ""]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys), text or ""


def _compare(a: str, b: str) -> int:
    ka, kb = pinyin_key(a), pinyin_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give each new SQLite connection the ``pinyin`` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
