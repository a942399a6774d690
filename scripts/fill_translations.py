"""Fill untranslated entries of a .po catalogue from JSON files of {"msgid": "msgstr"}.

    python scripts/fill_translations.py src/qudao/locale/zh_Hans/LC_MESSAGES/django.po new.json [more.json]

Only empty msgstr entries are filled (an existing translation wins); plural entries get the same text
for every form (Chinese has one). Prints how many were filled and which JSON msgids the catalogue
does not have (typos, or strings no longer in the code). Run scripts/make_messages.sh before (to add
the new msgids) and after (to compile).
"""

from __future__ import annotations

import json
import re
import sys

QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquote(lines: list[str]) -> str:
    text = "".join(m.group(1) for line in lines for m in [QUOTED.search(line)] if m)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


def fields(block: list[str]) -> dict[str, tuple[int, int]]:
    """Where each keyword (msgctxt, msgid, msgid_plural, msgstr, msgstr[0]…) starts and ends."""
    spans: dict[str, tuple[int, int]] = {}
    current = None
    for n, line in enumerate(block):
        if line.startswith("#"):
            current = None
            continue
        head = line.split(" ", 1)[0]
        if head.startswith("msg"):
            current = head
            spans[current] = (n, n + 1)
        elif line.startswith('"') and current:
            spans[current] = (spans[current][0], n + 1)
    return spans


def fill(po_text: str, translations: dict[str, str]) -> tuple[str, int, set[str]]:
    blocks = po_text.split("\n\n")
    filled, seen = 0, set()
    for index, text in enumerate(blocks):
        block = text.split("\n")
        spans = fields(block)
        if "msgid" not in spans or "msgctxt" in spans:
            continue
        start, end = spans["msgid"]
        msgid = unquote(block[start:end])
        if not msgid:
            continue
        seen.add(msgid)
        if msgid not in translations:
            continue
        targets = [k for k in spans if k.startswith("msgstr")]
        if any(unquote(block[slice(*spans[k])]) for k in targets):
            continue
        for key in sorted(targets, key=lambda k: spans[k][0], reverse=True):
            s, e = spans[key]
            block[s:e] = [f"{key} {quote(translations[msgid])}"]
        blocks[index] = "\n".join(line for line in block if line != "#, fuzzy")
        filled += 1
    return "\n\n".join(blocks), filled, set(translations) - seen


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    po_path, json_paths = argv[0], argv[1:]
    translations: dict[str, str] = {}
    for path in json_paths:
        with open(path, encoding="utf-8") as handle:
            for msgid, msgstr in json.load(handle).items():
                if msgstr:
                    translations.setdefault(msgid, msgstr)
    with open(po_path, encoding="utf-8") as handle:
        text, filled, missing = fill(handle.read(), translations)
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"filled {filled} entries")
    for msgid in sorted(missing):
        print(f"not in the catalogue: {msgid!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
