"""SQLite sorts names by ``pinyin_key`` (built from pypinyin's readings); PostgreSQL by the ICU
collation zh-x-icu. The key follows ICU's order: punctuation, digits, Han characters by pinyin and
tone, then Latin letters; a name before its extensions; lower case before upper case only when all
else is equal."""

import pytest
from django.db import connection

from smeplan.registry.collation import pinyin_key

# The order zh-x-icu gives (checked on PostgreSQL below), with no character of several readings.
ICU_ORDER = [
    "（株）",
    "123",
    "阿",
    "啊",
    "爱",
    "安康公司",
    "宝鸡",
    "北京",
    "山西",
    "陕西",
    "西安",
    "西安市",
    "西安b公司",
    "西安B公司",
    "雁塔公司",
    "张",
    "a",
    "A公司",
    "alpha",
    "bei",
    "Bei",
    "Zeta",
]


def test_the_key_sorts_as_the_icu_collation_does():
    assert sorted(reversed(ICU_ORDER), key=pinyin_key) == ICU_ORDER


def test_tones_and_letters_of_the_reading_decide_before_the_character():
    # ān (安) < àn (岸) < áng (昂): letters first ("an" before "ang"), then the tone
    assert sorted(["昂", "岸", "安"], key=pinyin_key) == ["安", "岸", "昂"]


@pytest.mark.django_db
def test_postgresql_sorts_those_names_the_same_way():
    if connection.vendor != "postgresql":
        pytest.skip("the ICU collation is PostgreSQL's; SQLite uses the key itself")
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT n FROM unnest(%s::text[]) AS t(n) ORDER BY n COLLATE "zh-x-icu"',
            [list(reversed(ICU_ORDER))],
        )
        assert [row[0] for row in cursor.fetchall()] == ICU_ORDER
