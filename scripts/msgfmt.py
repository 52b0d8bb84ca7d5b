"""Compile gettext catalogues (.po) to .mo without GNU gettext.

    python scripts/msgfmt.py [--check] [-o OUT.mo] CATALOGUE.po ...

Used by scripts/compile-messages.sh where msgfmt is not installed, so English works on any
machine. Without -o each catalogue is written next to itself (django.po -> django.mo).
Like msgfmt it leaves out untranslated and fuzzy entries (the header always goes in);
--check also fails when a translation's %-placeholders differ from its source's.
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = 0x950412DE
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
# %(name)s, %s, %d, %%: what Python's %-formatting would consume.
PLACEHOLDER = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([a-zA-Z%])")


class PoError(Exception):
    pass


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unescape(match: re.Match[str]) -> str:
    code: str = match.group(1)
    if code[0] == "x":
        return chr(int(code[1:], 16))
    if code[0].isdigit():
        return chr(int(code, 8))
    return ESCAPES.get(code, code)


def _string(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(f"{path}:{number}: expected a quoted string")
    return ESCAPE.sub(_unescape, text[1:-1])


def parse(path: Path) -> list[Entry]:
    """The catalogue's live entries, in file order (obsolete #~ entries are skipped)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # the keyword a continuation line appends to

    def finish(number: int) -> None:
        """Close the entry read so far; flags with no msgid after them belong to no entry."""
        nonlocal entry, target
        if entry is not None and target is not None:
            if not entry.msgstr:
                raise PoError(f"{path}:{number}: msgid without msgstr")
            entries.append(entry)
        entry, target = None, None

    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            # An obsolete entry: it ends the live one before it and takes its own flags along.
            finish(number)
            continue
        if line.startswith("#"):
            # A comment after a msgstr begins the next entry.
            if entry is not None and entry.msgstr:
                finish(number)
            if line.startswith("#,"):
                entry = entry or Entry(line=number)
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise PoError(f"{path}:{number}: string outside an entry")
            keyword, index = target
            text = _string(line, path, number)
            if keyword == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, keyword, getattr(entry, keyword) + text)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
            finish(number)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            entry = entry or Entry(line=number)
            setattr(entry, keyword, _string(rest, path, number))
            target = (keyword, 0)
        elif keyword.startswith("msgstr"):
            if entry is None or target is None:
                raise PoError(f"{path}:{number}: msgstr without msgid")
            index = 0
            if keyword != "msgstr":
                found = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if not found:
                    raise PoError(f"{path}:{number}: unknown keyword {keyword}")
                index = int(found.group(1))
            entry.msgstr[index] = _string(rest, path, number)
            target = ("msgstr", index)
        else:
            raise PoError(f"{path}:{number}: unknown keyword {keyword}")
    finish(len(lines))
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(
        f"%({name})" + kind if name else "%" + kind
        for name, kind in PLACEHOLDER.findall(text)
        if kind != "%"
    )


def check(entry: Entry) -> list[str]:
    """Placeholder mismatches between a python-format entry's source and its translations."""
    if "python-format" not in entry.flags or not entry.translated:
        return []
    problems = []
    for index, text in sorted(entry.msgstr.items()):
        source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
        wanted, found = _placeholders(source), _placeholders(text)
        # A singular may leave out the count ("One person" for "%(n)s people").
        if entry.msgid_plural is not None and index == 0 and set(found) <= set(wanted):
            continue
        if set(found) != set(wanted):
            problems.append(f"msgstr[{index}] has {found or 'none'}, source has {wanted or 'none'}")
    return problems


def compile_mo(entries: list[Entry]) -> bytes:
    catalogue: dict[bytes, bytes] = {}
    for entry in entries:
        header = entry.msgid == "" and entry.msgctxt is None
        if not header and ("fuzzy" in entry.flags or not entry.translated):
            continue
        key = entry.msgid
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        if entry.msgid_plural is not None:
            key = f"{key}\x00{entry.msgid_plural}"
        value = "\x00".join(text for _, text in sorted(entry.msgstr.items()))
        catalogue[key.encode()] = value.encode()

    keys = sorted(catalogue)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables: list[int] = []
    data = bytearray()
    for strings in (keys, [catalogue[key] for key in keys]):
        for text in strings:
            tables += [len(text), data_at + len(data)]
            data += text + b"\x00"
    # Header: magic, revision, count, both tables' offsets, an empty hash table.
    head = struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    originals, translations = tables[: count * 2], tables[count * 2 :]
    return head + struct.pack(f"<{count * 4}I", *originals, *translations) + bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogues", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="the .mo file (one catalogue only)")
    parser.add_argument("--check", action="store_true", help="fail on placeholder mismatches")
    args = parser.parse_args(argv)
    if args.output and len(args.catalogues) > 1:
        parser.error("-o takes one catalogue")

    failed = False
    for path in args.catalogues:
        try:
            entries = parse(path)
        except (PoError, UnicodeDecodeError) as error:
            print(f"error: {error}", file=sys.stderr)
            failed = True
            continue
        problems = [(e, problem) for e in entries for problem in check(e)] if args.check else []
        if problems:
            for entry, problem in problems:
                print(f"{path}:{entry.line}: {problem}", file=sys.stderr)
            failed = True
            continue
        (args.output or path.with_suffix(".mo")).write_bytes(compile_mo(entries))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
