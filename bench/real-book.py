#!/usr/bin/env python3
"""Assembles the benchmark's real book from openly licensed texts kept in this repository.

    bench/real-book.py DIR

Writes DIR/book.toml and DIR/chapters/: about 1 000 printed pages of real writing, none of it
made for inkfold:

- *Learning Rust With Entirely Too Many Linked Lists* by Aria Desires (MIT), in English and in
  Mark Shevchenko's Russian translation (MIT): prose, much Rust code, Cyrillic
  (tests/books/too-many-lists, tests/books/too-many-lists-ru);
- "A Book in Pieces" (CC0): a book about books with SVG figures, code, notes and several
  scripts (tests/cases/system-fonts/real-book);
- the Universal Declaration of Human Rights (free of copyright) in 16 languages and 13 scripts,
  Han, Hangul, Thai, Khmer, Ethiopic, Tamil and Bengali among them, which the bundled fonts do
  not have: they come from the system's fonts (tests/cases/system-fonts/declaration).

Chapter files keep their bytes and only their folders change, except that a chapter of an
mdBook that does not begin with a heading gets the title its SUMMARY.md gives it as one, as
mdBook itself titles it. The chapters are listed in the order their books give (mdBook's
SUMMARY.md, a manuscript's book.toml).
"""
import re
import shutil
import sys
import tomllib
from pathlib import Path

root = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1])
if out.exists():
    shutil.rmtree(out)
(out / "chapters").mkdir(parents=True)
chapters = []


def summary_files(src):
    """The chapter files an mdBook's SUMMARY.md links, in order, each once, with their titles."""
    seen = {}
    for title, target in re.findall(r"\[([^\]]+)\]\(([^)]+\.md)\)", (src / "SUMMARY.md").read_text()):
        seen.setdefault(target, title)
    return seen.items()


for name, lang in (("too-many-lists", None), ("too-many-lists-ru", "ru")):
    src = root / "tests/books" / name / "src"
    shutil.copytree(src / "img", out / "chapters" / name / "img")
    for file, title in summary_files(src):
        dest = Path("chapters") / name / file
        (out / dest).parent.mkdir(parents=True, exist_ok=True)
        text = (src / file).read_bytes()
        if not text.lstrip().startswith(b"#"):
            text = f"# {title}\n\n".encode() + text
        (out / dest).write_bytes(text)
        chapters.append((dest.as_posix(), lang))

for name in ("real-book", "declaration"):
    book = root / "tests/cases/system-fonts" / name
    shutil.copytree(book / "chapters", out / "chapters" / name)
    for entry in tomllib.loads((book / "book.toml").read_text())["book"]["chapters"]:
        path, lang = (entry, None) if isinstance(entry, str) else (entry["path"], entry.get("lang"))
        chapters.append(((Path("chapters") / name / Path(path).relative_to("chapters")).as_posix(), lang))

lines = [
    "[book]",
    'title = "A Real Book for Benchmarks"',
    'language = "en"',
    'identifier = "urn:uuid:00000000-0000-4000-8000-00000000be0c"',
    'date = "2026-12-07"',
    'rights = "MIT (Too Many Linked Lists, English and Russian); CC0 (A Book in Pieces); '
    'free of copyright (the Universal Declaration of Human Rights)"',
    "chapters = [",
]
for path, lang in chapters:
    lines.append(f'  {{ path = "{path}", lang = "{lang}" }},' if lang else f'  "{path}",')
lines.append("]")
# liblouis has no braille code for Thai: the braille edition leaves that chapter out, as the
# build's own hint says.
lines += ["", "[profiles.braille]", "chapters = ["]
lines += [f'  "{path}",' for path, lang in chapters if lang != "th"]
lines.append("]")
(out / "book.toml").write_text("\n".join(lines) + "\n")
print(" ".join(path for path, _ in chapters))
