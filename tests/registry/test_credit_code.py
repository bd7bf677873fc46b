"""统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714) — pure tests, no Django."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smeplan.registry.credit_code import (
    ALPHABET,
    CreditCodeError,
    compute_check_character,
    compute_org_check_character,
    is_valid_credit_code,
    make_credit_code,
    normalise_credit_code,
    validate_credit_code,
)

# Examples of /work/shared/domain/README.md.
README_VALID = [
    "91350100M000100Y43",  # letters in the organisation-code body (M, Y)
    "91110108551385082Q",
    "91110000600037341L",
    "91440300708461136T",
    "914403001922038216",
]
README_INVALID = "913400007117030788"

SHAANXI_REGIONS = ["610000", "610102", "610118", "610305", "610403", "610482", "610581", "610681", "610981"]


# --- README examples --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", README_VALID)
def test_readme_valid_examples_pass(code):
    assert validate_credit_code(code) == code
    assert is_valid_credit_code(code)
    assert compute_check_character(code[:17]) == code[17]
    assert compute_org_check_character(code[8:16]) == code[16]


def test_readme_invalid_example_fails_the_organisation_code_check():
    # Body 71170307 × weights 3,7,9,10,5,8,4,2 → Σ = 145, 145 mod 11 = 2, 11 − 2 = 9 ≠ 8.
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code(README_INVALID)
    assert exc.value.code == "org_check_char"
    assert exc.value.position == 17
    assert exc.value.message == "第17位组织机构代码校验码应为“9”，实际为“8”（GB 11714）"
    assert str(exc.value) == exc.value.message
    assert isinstance(exc.value, ValueError)
    assert not is_valid_credit_code(README_INVALID)


# --- normalisation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("91350100m000100y43", "91350100M000100Y43"),  # lower case
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width digits and letters
        ("９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"),  # full-width lower case
        ("  9135 0100 M000 100Y 43\t\n", "91350100M000100Y43"),  # spaces, tab, newline
        ("\u30009135\u30000100M000100Y43\u3000", "91350100M000100Y43"),  # U+3000 ideographic space
        ("\ufeff91350100\u200bM000100Y43", "91350100M000100Y43"),  # BOM and zero-width space
        ("", ""),
        ("９１-x", "91-X"),
    ],
)
def test_normalise(raw, expected):
    assert normalise_credit_code(raw) == expected


def test_normalise_does_not_fold_look_alike_characters():
    # NFKC would turn '①' into '1' and 'Ⅻ' into 'XII'; we keep them so that validation rejects them.
    assert normalise_credit_code("①Ⅻ") == "①Ⅻ"


@pytest.mark.parametrize(
    "raw", ["91350100m000100y43", " ９１３５０１００Ｍ０００１００Ｙ４３　", "9135 0100 M000 100Y 43"]
)
def test_validate_returns_normalised_code(raw):
    assert validate_credit_code(raw) == "91350100M000100Y43"


# --- each error kind ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\u3000\u3000", None])
def test_empty(raw):
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code(raw)
    assert (exc.value.code, exc.value.message) == ("empty", "请填写统一社会信用代码")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("91110108551385082", "统一社会信用代码应为18位，实际为17位"),
        ("91110108551385082QQ", "统一社会信用代码应为18位，实际为19位"),
        ("9", "统一社会信用代码应为18位，实际为1位"),
        ("9111010855138508I", "统一社会信用代码应为18位，实际为17位"),  # length is checked before characters
    ],
)
def test_length(raw, message):
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code(raw)
    assert (exc.value.code, exc.value.message) == ("length", message)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters(letter):
    code = "9111" + letter + "108551385082Q"
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "forbidden_char"
    assert exc.value.position == 5
    assert exc.value.message == f"第5位字符“{letter}”不允许使用（代码中不得出现 I、O、S、V、Z）"


@pytest.mark.parametrize(
    ("code", "position", "char"),
    [
        ("9111-108551385082Q", 5, "-"),
        ("91110108551385082中", 18, "中"),
        ("_1110108551385082Q", 1, "_"),
        ("911101085513850.2Q", 16, "."),
        ("9111010855138508①Q", 17, "①"),
    ],
)
def test_characters_outside_the_alphabet(code, position, char):
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "forbidden_char"
    assert exc.value.position == position
    assert exc.value.message == (
        f"第{position}位字符“{char}”不是有效字符（只能使用数字和除 I、O、S、V、Z 以外的大写字母）"
    )


def test_first_bad_position_is_reported():
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("91O1-10855138508IQ")
    assert exc.value.position == 3
    assert "“O”" in exc.value.message


def test_forbidden_character_is_reported_before_check_characters():
    # Position 18 'Z' is both a wrong check character and a forbidden letter: the letter wins.
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("91110108551385082Z")
    assert exc.value.code == "forbidden_char"


def test_org_check_is_reported_before_final_check():
    # Both the organisation-code check (17) and the final check (18) are wrong here.
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("911101085513850830")
    assert exc.value.code == "org_check_char"
    assert exc.value.message == "第17位组织机构代码校验码应为“2”，实际为“3”（GB 11714）"


@pytest.mark.parametrize(
    ("code", "expected", "actual"),
    [
        ("911101085513850828", "Q", "8"),
        ("91350100M000100Y40", "3", "0"),
        ("91110000600037341Y", "L", "Y"),
    ],
)
def test_final_check_character(code, expected, actual):
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "check_char"
    assert exc.value.position == 18
    assert exc.value.message == f"第18位校验码应为“{expected}”，实际为“{actual}”"


# --- the check-character helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("00000000", "0"),  # Σ = 0 → 11 − 0 = 11 → '0'
        ("40000000", "X"),  # Σ = 12, 12 mod 11 = 1 → 10 → 'X'
        ("00000001", "9"),  # Σ = 2 → 9
        ("00000100", "3"),  # Σ = 8 → 3
        ("M000100Y", "4"),  # GB 11714 letter values: M = 22, Y = 34 (not their GB 32100 indices 21, 30)
        ("I0000000", "1"),  # I is allowed in GB 11714 (value 18) though not in a credit code
        ("0000000A", "2"),  # A = 10, Σ = 20, 20 mod 11 = 9 → 11 − 9 = 2
    ],
)
def test_compute_org_check_character(body, check):
    assert compute_org_check_character(body) == check


@pytest.mark.parametrize("body", ["0000000", "000000000", "0000000a", "0000000-"])
def test_compute_org_check_character_rejects_bad_input(body):
    with pytest.raises(ValueError):
        compute_org_check_character(body)


def test_compute_check_character_uses_the_31_character_alphabet():
    assert compute_check_character("91350100M000100Y4") == "3"
    assert compute_check_character("00000000000000000") == "0"
    # '1' at position 1 (weight 1) → Σ = 1 → (31 − 1) mod 31 = 30 → 'Y'
    assert compute_check_character("10000000000000000") == "Y"
    # 'A' (value 10) at position 2 (weight 3) → Σ = 30 → 1
    assert compute_check_character("0A000000000000000") == "1"


@pytest.mark.parametrize("first17", ["0" * 16, "0" * 18, "0" * 16 + "I"])
def test_compute_check_character_rejects_bad_input(first17):
    with pytest.raises(ValueError):
        compute_check_character(first17)


# --- the generator ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", SHAANXI_REGIONS)
@pytest.mark.parametrize("serial", [0, 1, 9, 10, 9999, 10_000, 12_345_678, 99_999_999])
def test_make_credit_code_is_valid(region, serial):
    code = make_credit_code(region, serial)
    assert validate_credit_code(code) == code
    assert code.startswith("91" + region)
    assert code[8:16] == f"{serial:08d}"


@pytest.mark.parametrize("prefix", ["91", "92", "93", "Y1", "51"])
def test_make_credit_code_prefixes(prefix):
    code = make_credit_code("610102", 4321, prefix=prefix)
    assert code[:2] == prefix
    assert validate_credit_code(code) == code


def test_make_credit_code_is_deterministic_and_unique():
    codes = {make_credit_code(region, serial) for region in SHAANXI_REGIONS for serial in range(2000)}
    assert len(codes) == len(SHAANXI_REGIONS) * 2000
    assert make_credit_code("610102", 77) == make_credit_code("610102", 77)


def test_make_credit_code_matches_the_reference_helpers():
    for serial in range(0, 100_000_000, 7_654_321):
        head = f"91610102{serial:08d}"
        org = compute_org_check_character(head[8:])
        first17 = head + org
        assert make_credit_code("610102", serial) == first17 + compute_check_character(first17)


@pytest.mark.parametrize(
    ("region", "serial", "prefix"),
    [
        ("610102", -1, "91"),
        ("610102", 100_000_000, "91"),
        ("61010", 1, "91"),
        ("6101022", 1, "91"),
        ("61010A", 1, "91"),
        ("６１０１０２", 1, "91"),
        ("610102", 1, "9"),
        ("610102", 1, "9I"),
    ],
)
def test_make_credit_code_rejects_bad_input(region, serial, prefix):
    with pytest.raises(ValueError):
        make_credit_code(region, serial, prefix=prefix)


def test_make_credit_code_is_fast():
    # The demo generator calls it ~1,000,000 times; the target is < 5 µs a call (lenient bound here).
    make_credit_code("610102", 0)
    n = 50_000
    start = time.perf_counter()
    for serial in range(n):
        make_credit_code("610102", serial)
    assert (time.perf_counter() - start) / n < 20e-6


# --- properties ------------------------------------------------------------------------------------------

regions = st.integers(min_value=0, max_value=999_999).map(lambda n: f"{n:06d}")
serials = st.integers(min_value=0, max_value=99_999_999)
prefixes = st.sampled_from(["91", "92", "93", "11", "51", "Y1"])


@settings(database=None, max_examples=500)
@given(region=regions, serial=serials, prefix=prefixes)
def test_property_generated_codes_validate(region, serial, prefix):
    code = make_credit_code(region, serial, prefix=prefix)
    assert validate_credit_code(code) == code


@settings(database=None, max_examples=1000)
@given(
    region=regions,
    serial=serials,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(ALPHABET + "IOSVZ-中"),
)
def test_property_any_single_character_change_is_rejected(region, serial, position, replacement):
    code = make_credit_code(region, serial)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_credit_code(changed)


@pytest.mark.parametrize("code", README_VALID)
def test_every_single_character_change_of_readme_examples_is_rejected(code):
    for position in range(18):
        for replacement in ALPHABET:
            if replacement != code[position]:
                changed = code[:position] + replacement + code[position + 1 :]
                assert not is_valid_credit_code(changed), changed
