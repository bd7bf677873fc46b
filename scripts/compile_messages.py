#!/usr/bin/env python3
"""Compile every locale/<lang>/LC_MESSAGES/*.po into .mo — pure Python, no GNU gettext needed.

The .po parser and .mo writer follow CPython's Tools/i18n/msgfmt.py (msgctxt, plurals, multi-line
strings, escapes); fuzzy entries are skipped, as msgfmt does. Usage:

    python scripts/compile_messages.py            # every .po under ./locale
    python scripts/compile_messages.py path/to/file.po ...
"""

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_po(text: str) -> dict[bytes, bytes]:
    """Entries of a .po file as {msgid (with context/plural, NUL-joined): msgstr}."""
    messages: dict[bytes, bytes] = {}
    section = None
    fuzzy = False
    ctxt = msgid = msgid_plural = None
    msgstr: dict[int, str] = {}

    def flush():
        nonlocal ctxt, msgid, msgid_plural, msgstr, fuzzy
        if msgid is not None and not fuzzy and any(msgstr.values()):
            key = msgid if msgid_plural is None else msgid + "\0" + msgid_plural
            if ctxt is not None:
                key = ctxt + "\x04" + key
            value = (
                "\0".join(msgstr[i] for i in sorted(msgstr))
                if msgid_plural is not None
                else msgstr.get(0, "")
            )
            messages[key.encode()] = value.encode()
        elif msgid == "" and msgstr:  # the header is kept even when "fuzzy" is absent/present
            messages[b""] = msgstr.get(0, "").encode()
        ctxt = msgid = msgid_plural = None
        msgstr = {}
        fuzzy = False

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            if section == "msgstr":
                flush()
                section = None
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if not line:
            continue
        if line.startswith("msgctxt"):
            if section == "msgstr":
                flush()
            section, ctxt, line = "msgctxt", "", line[7:]
        elif line.startswith("msgid_plural"):
            section, msgid_plural, line = "msgid_plural", "", line[12:]
        elif line.startswith("msgid"):
            if section == "msgstr":
                flush()
            section, msgid, line = "msgid", "", line[5:]
        elif line.startswith("msgstr["):
            index, _, line = line[7:].partition("]")
            section, current = "msgstr", int(index)
            msgstr[current] = ""
        elif line.startswith("msgstr"):
            section, current, line = "msgstr", 0, line[6:]
            msgstr[0] = ""
        line = line.strip()
        if not line:
            continue
        value = ast.literal_eval(line)
        if section == "msgctxt":
            ctxt += value
        elif section == "msgid":
            msgid += value
        elif section == "msgid_plural":
            msgid_plural += value
        elif section == "msgstr":
            msgstr[current] += value
    if section == "msgstr":
        flush()
    return messages


def mo_bytes(messages: dict[bytes, bytes]) -> bytes:
    """The GNU .mo binary (little-endian, no hash table) for ``messages``."""
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return (
        header
        + struct.pack(f"{len(koffsets)}i", *koffsets)
        + struct.pack(f"{len(voffsets)}i", *voffsets)
        + ids
        + strs
    )


def compile_po(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(parse_po(po.read_text(encoding="utf-8"))))
    return mo


def compile_all(root: Path = ROOT / "locale") -> list[Path]:
    return [compile_po(po) for po in sorted(root.glob("*/LC_MESSAGES/*.po"))]


def main(argv: list[str]) -> int:
    targets = [compile_po(Path(p)) for p in argv] if argv else compile_all()
    for mo in targets:
        print(f"compiled {mo.relative_to(ROOT) if mo.is_relative_to(ROOT) else mo}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
