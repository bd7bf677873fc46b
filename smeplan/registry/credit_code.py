"""统一社会信用代码 (unified social credit code, GB 32100-2015) and 组织机构代码 (organisation code, GB 11714).

Layout of the 18 characters (GB 32100-2015 §4):

==========  ====================================================================
position    meaning
==========  ====================================================================
1           登记管理部门代码 (registering authority), e.g. ``9`` 市场监督管理（工商）
2           机构类别代码 (entity type): ``91`` enterprise, ``92`` 个体工商户, ``93`` 农民专业合作社
3–8         登记管理机关行政区划码 (GB/T 2260 region of the registering office)
9–17        主体标识码 = 组织机构代码 (GB 11714): 8-character body + its own check character
18          校验码 (check character over positions 1–17)
==========  ====================================================================

Two different check algorithms are involved and they value letters DIFFERENTLY:

* GB 32100 check (position 18): a character's value is its index in the 31-character alphabet
  ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z), weights ``3^(i-1) mod 31``;
  check = ``alphabet[(31 - Σ mod 31) mod 31]``.
* GB 11714 check (position 17): digits are their value, letters ``A=10, B=11, … Z=35`` (the full
  Latin alphabet, so e.g. ``M`` = 22 here but 21 in the GB 32100 alphabet), weights
  ``3, 7, 9, 10, 5, 8, 4, 2``; ``c = 11 - (Σ mod 11)``, 10 → ``X``, 11 → ``0``.

Everything here is pure Python (no Django): the validators are used by forms, the API and imports,
:func:`make_credit_code` by the demo-data generator (called about a million times, hence the
precomputed tables).
"""

from __future__ import annotations

#: GB 32100-2015 code alphabet (代码字符集); a character's value is its index.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Letters excluded from the alphabet (不使用 I、O、S、V、Z).
FORBIDDEN_LETTERS = "IOSVZ"
#: Weights of positions 1–17 for the final check character: 3^(i-1) mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: GB 11714 weights of the 8 organisation-code body characters (positions 9–16 of the credit code).
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# GB 11714: digits are their value, letters A=10 … Z=35 (all 26 letters, unlike GB 32100's alphabet).
_ORG_VALUE = {ch: int(ch, 36) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}

# Normalisation: full-width ASCII block U+FF01–U+FF5E → U+0021–U+007E, a–z → A–Z, and every
# kind of space (incl. U+3000 ideographic space and the zero-width characters that copy-paste from
# spreadsheets leaves behind) deleted. Explicit tables rather than NFKC, which would also rewrite
# characters such as '①' or 'Ⅻ' into digits/letters and silently accept them.
_NORMALISE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_NORMALISE |= {cp: cp - 32 for cp in range(ord("a"), ord("z") + 1)}
_NORMALISE |= {cp + 0xFEE0: cp - 32 for cp in range(ord("a"), ord("z") + 1)}  # full-width a–z → A–Z
_ZERO_WIDTH = {0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None}
_NORMALISE |= _ZERO_WIDTH


class CreditCodeError(ValueError):
    """An invalid 统一社会信用代码.

    ``message`` is a user-facing Chinese sentence; ``code`` a short machine code: ``empty``,
    ``length``, ``forbidden_char`` (any character outside the GB 32100 alphabet, incl. I/O/S/V/Z,
    punctuation and Chinese characters), ``org_check_char`` (position 17, GB 11714) or
    ``check_char`` (position 18, GB 32100). ``position`` is the 1-based position concerned, if any.
    """

    def __init__(self, message: str, code: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.position = position


def normalise_credit_code(raw: str) -> str:
    """Normalise user input: remove all whitespace (incl. U+3000 全角空格), full-width → half-width
    (``'９１'`` → ``'91'``, ``'Ａ'`` → ``'A'``), upper-case. Does not validate."""
    text = str(raw or "").translate(_NORMALISE)
    return "".join(text.split())


def compute_org_check_character(eight: str) -> str:
    """GB 11714 组织机构代码校验码 of the 8-character body (digits and upper-case letters A–Z)."""
    if len(eight) != 8:
        raise ValueError(f"组织机构代码本体应为8位，实际为{len(eight)}位")
    try:
        total = sum(_ORG_VALUE[ch] * w for ch, w in zip(eight, ORG_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"组织机构代码本体含无效字符“{exc.args[0]}”") from None
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def compute_check_character(first17: str) -> str:
    """GB 32100-2015 校验码 (position 18) of the first 17 characters."""
    if len(first17) != 17:
        raise ValueError(f"前17位应为17位，实际为{len(first17)}位")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"含无效字符“{exc.args[0]}”") from None
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015); return it normalised or raise :class:`CreditCodeError`.

    Checks, in this order, reporting the first failure: empty → length 18 → every character in
    the alphabet (first bad position) → GB 11714 organisation-code check (position 17 over
    positions 9–16) → GB 32100 check character (position 18).
    """
    code = normalise_credit_code(raw)
    if not code:
        raise CreditCodeError("请填写统一社会信用代码", "empty")
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位，实际为{len(code)}位", "length")
    for i, ch in enumerate(code, start=1):
        if ch in _VALUE:
            continue
        if ch in FORBIDDEN_LETTERS:
            message = f"第{i}位字符“{ch}”不允许使用（代码中不得出现 I、O、S、V、Z）"
        else:
            message = f"第{i}位字符“{ch}”不是有效字符（只能使用数字和除 I、O、S、V、Z 以外的大写字母）"
        raise CreditCodeError(message, "forbidden_char", i)
    org_check = compute_org_check_character(code[8:16])
    if code[16] != org_check:
        raise CreditCodeError(
            f"第17位组织机构代码校验码应为“{org_check}”，实际为“{code[16]}”（GB 11714）", "org_check_char", 17
        )
    check = compute_check_character(code[:17])
    if code[17] != check:
        raise CreditCodeError(f"第18位校验码应为“{check}”，实际为“{code[17]}”", "check_char", 18)
    return code


def is_valid_credit_code(raw: str) -> bool:
    """True when :func:`validate_credit_code` accepts ``raw``."""
    try:
        validate_credit_code(raw)
    except CreditCodeError:
        return False
    return True


# --- fast generator -----------------------------------------------------------------------------
# The 8-digit serial is split into two 4-digit halves (positions 9–12 and 13–16). For each half we
# precompute its contribution to the GB 11714 sum (mod 11) and to the GB 32100 sum (mod 31), so one
# call is two table look-ups per sum plus string formatting.


def _half_tables(offset: int) -> tuple[list[int], list[int]]:
    org, final = [], []
    for n in range(10_000):
        digits = f"{n:04d}"
        org.append(sum(int(d) * ORG_WEIGHTS[offset + k] for k, d in enumerate(digits)))
        final.append(sum(int(d) * WEIGHTS[8 + offset + k] for k, d in enumerate(digits)))
    return org, final


_tables: tuple[list[int], list[int], list[int], list[int]] | None = None
_head_sums: dict[tuple[str, str], int] = {}
# Position 17 character for each GB 11714 residue (sum mod 11), and its GB 32100 contribution.
_ORG_CHECK_BY_RESIDUE = tuple("X" if 11 - r == 10 else "0" if r == 0 else str(11 - r) for r in range(11))
_ORG_CHECK_FINAL = tuple(_VALUE[c] * WEIGHTS[16] for c in _ORG_CHECK_BY_RESIDUE)


def _head_sum(prefix: str, region_code: str) -> int:
    key = (prefix, region_code)
    total = _head_sums.get(key)
    if total is None:
        if len(prefix) != 2 or any(ch not in _VALUE for ch in prefix):
            raise ValueError(f"登记管理部门和机构类别代码应为2位有效字符，收到“{prefix}”")
        if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
            raise ValueError(f"行政区划代码应为6位数字，收到“{region_code}”")
        head = prefix + region_code
        total = sum(_VALUE[ch] * w for ch, w in zip(head, WEIGHTS[:8], strict=True))
        _head_sums[key] = total
    return total


def make_credit_code(region_code: str, serial: int, prefix: str = "91") -> str:
    """A deterministic, valid 统一社会信用代码 for ``(region_code, serial)`` (demo / test data).

    ``prefix`` (positions 1–2, default ``91`` = enterprise registered by market regulation) +
    ``region_code`` (GB/T 2260, 6 digits) + ``serial`` as the 8-digit organisation-code body
    (0 ≤ serial < 10^8) + GB 11714 check + GB 32100 check. Distinct ``(prefix, region, serial)``
    give distinct codes.
    """
    global _tables
    if not 0 <= serial < 100_000_000:
        raise ValueError(f"序号应在 0–99999999 之间，收到 {serial}")
    if _tables is None:
        _tables = (*_half_tables(0), *_half_tables(4))
    org_hi, fin_hi, org_lo, fin_lo = _tables
    hi, lo = divmod(serial, 10_000)
    residue = (org_hi[hi] + org_lo[lo]) % 11
    total = _head_sum(prefix, region_code) + fin_hi[hi] + fin_lo[lo] + _ORG_CHECK_FINAL[residue]
    return f"{prefix}{region_code}{serial:08d}{_ORG_CHECK_BY_RESIDUE[residue]}{ALPHABET[-total % 31]}"
