"""Clear the translations gettext guessed ("fuzzy") so they appear as untranslated work, not wrong text."""

import re
import sys

ENTRY_STR = re.compile(r'^(msgstr(?:\[\d+\])?) "(?:[^"\\]|\\.)*"((?:\n"(?:[^"\\]|\\.)*")*)', re.M)


def clean(block: str) -> str:
    if "#, fuzzy" not in block or block.lstrip().startswith(("# SOME DESCRIPTIVE", "msgid \"\"\nmsgstr \"\"")):
        return block
    lines = [line for line in block.split("\n") if not line.startswith("#|")]
    block = "\n".join(lines)
    block = re.sub(r"^#, fuzzy\n", "", block, flags=re.M)
    block = block.replace("#, fuzzy, ", "#, ").replace(", fuzzy", "")
    return ENTRY_STR.sub(lambda m: f'{m.group(1)} ""', block)


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        blocks = handle.read().split("\n\n")
    header, rest = blocks[0], blocks[1:]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join([header, *(clean(b) for b in rest)]))


if __name__ == "__main__":
    main(sys.argv[1])
