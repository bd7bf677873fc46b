import pytest

from smeplan.regions.selectors import region_resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("610113", "610113"),
        ("雁塔区", "610113"),
        ("陕西省西安市雁塔区", "610113"),
        ("西安市 雁塔区", "610113"),
        ("凤翔县", "610305"),
        ("610322", "610305"),
        ("户县", "610118"),
        ("高陵县", "610117"),
        ("彬县", "610482"),
        ("子长县", "610681"),
        ("旬阳县", "610981"),
        ("杨凌示范区", "619900"),
        ("韩城市", "610581"),
    ],
)
def test_current_and_old_names_resolve(text, code):
    assert region_resolve(text).code == code


@pytest.mark.parametrize("text", ["", None, "火星区", "999999"])
def test_unknown_regions_do_not_resolve(text):
    assert region_resolve(text) is None
