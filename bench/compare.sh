#!/usr/bin/env bash
# Times `inkfold build` (EPUB and PDF together, and every edition with `--profile all`) against
# pandoc (Markdown to EPUB 3) and Typst (pandoc's Typst output to PDF/UA-1) on two books, each
# tool as a whole process:
#
# - a generated book of PAGES pages (`examples/generate`: the mix of a technical book);
# - a real book of about 1 100 pages assembled by bench/real-book.py from openly licensed texts
#   kept in this repository (Too Many Linked Lists in English and Russian, a book with SVG
#   figures, the Universal Declaration of Human Rights in 16 languages), whose Han, Thai,
#   Khmer, Ethiopic, Indic scripts and emoji come from the system's fonts.
#
#   bench/compare.sh [PAGES] [RUNS]      (defaults: 1000 pages, 5 runs)
#
# The peers come from PyPI (pypandoc-binary, typst) into a virtual environment under
# target/bench/; without them the script says so and times inkfold alone. Runs alternate
# between the tools; each tool's median wall time and peak memory (GNU time) are printed, with
# the ratios. Everything it writes stays under target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

pages=${1:-1000}
runs=${2:-5}
work=target/bench
mkdir -p "$work"
out="$work/out"
rm -rf "$out"
mkdir -p "$out"

cargo build --release --quiet --bin inkfold --example generate
generated="$work/book-$pages"
rm -rf "$generated"
target/release/examples/generate "$pages" "$generated"
real="$work/real-book"
python3 bench/real-book.py "$real" >/dev/null

# The peers, when the registry has them.
peers=yes
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv" || peers=no
fi
if [ "$peers" = yes ] && ! "$work/venv/bin/python" -c "import pypandoc, typst" 2>/dev/null; then
  "$work/venv/bin/pip" install --quiet pypandoc-binary typst || peers=no
fi
if [ "$peers" = yes ]; then
  pandoc=$("$work/venv/bin/python" -c "import pypandoc; print(pypandoc.get_pandoc_path())")
  echo "peers: $("$pandoc" --version | head -1), typst $("$work/venv/bin/python" -c 'import typst; print(typst.__version__)')"
else
  echo "peers: pypandoc-binary and typst could not be installed from PyPI; timing inkfold alone"
fi

chapters_of() { # BOOK: the chapter paths book.toml lists, in order
  python3 -c "
import tomllib, sys
for c in tomllib.load(open(sys.argv[1], 'rb'))['book']['chapters']:
    print(c if isinstance(c, str) else c['path'])" "$1/book.toml" | tr '\n' ' '
}

# Each chapter's folder, where pandoc looks for the images it names.
folders_of() { # BOOK
  for c in $(chapters_of "$1"); do dirname "$c"; done | sort -u | tr '\n' ':'
}

# Typst's input, made once (not timed): pandoc's Typst writer leaves out images' alt text,
# which PDF/UA-1 requires, so each image gets one; an image's path becomes one from the book's
# root, where Typst looks for it.
make_typst() { # BOOK TITLE
  (cd "$1" && "$pandoc" -s -f markdown -t typst --metadata title="$2" --metadata lang=en \
    --resource-path="$(folders_of .)" -o book.typ $(chapters_of .) 2>/dev/null)
  python3 - "$1" "$(folders_of "$1")" <<'EOF'
import os, re, sys
from pathlib import Path
root = Path(sys.argv[1])
folders = [f for f in sys.argv[2].split(":") if f]
typ = (root / "book.typ").read_text()
def fix(m):
    path = m.group(1)
    found = next((os.path.normpath(os.path.join(f, path)) for f in folders
                  if (root / f / path).is_file()), None)
    where = "/" + Path(found).as_posix() if found else path
    return f'image("{where}", alt: "A figure"'
typ = re.sub(r'image\("([^"]+)"', fix, typ)
# PDF/UA-1 in Typst refuses a heading that skips a level (inkfold warns and marks it up one
# level deeper than the one before, keeping its look): each is set one below the one before.
lines, level, fence = [], 0, 0
for line in typ.split("\n"):
    # Raw blocks (code) open with a fence of three or more backticks and close with one as long.
    ticks = len(line) - len(line.lstrip("`"))
    one_line = line.rstrip().endswith("`" * ticks) and len(line.strip()) > 2 * ticks
    if fence == 0 and ticks >= 3 and not one_line:
        fence = ticks
    elif fence and ticks >= fence and line.strip() == "`" * ticks:
        fence = 0
        ticks = -1
    m = None if fence or ticks == -1 else re.match(r"(=+) ", line)
    if m:
        level = min(len(m.group(1)), level + 1)
        line = "=" * level + line[len(m.group(1)):]
    lines.append(line)
(root / "book.typ").write_text("\n".join(lines))
EOF
}

measure() { # NAME COMMAND... : appends "NAME seconds kilobytes" to the results, if it succeeds
  local name=$1
  shift
  if /usr/bin/time -f "$name %e %M" -o "$work/last" "$@" >/dev/null 2>&1; then
    cat "$work/last" >>"$work/results"
  else
    echo "$name failed: $*" >&2
  fi
}

rm -f "$work/results"
for book in "$generated" "$real"; do
  name=$(basename "$book")
  title="A Book to Time"
  chapters=$(chapters_of "$book")
  [ "$peers" = yes ] && make_typst "$book" "$title"
  for _ in $(seq "$runs"); do
    measure "$name/inkfold" target/release/inkfold build "$book" --out "$out/$name"
    measure "$name/inkfold-all" target/release/inkfold build "$book" --out "$out/$name-all" --profile all
    if [ "$peers" = yes ]; then
      measure "$name/pandoc-epub" sh -c "cd '$book' && '$pandoc' -f markdown -t epub3 --metadata title='$title' --metadata lang=en --resource-path='$(folders_of "$book")' -o '$PWD/$out/$name-pandoc.epub' $chapters"
      measure "$name/typst-pdf" "$work/venv/bin/python" -c "import typst; typst.compile('$book/book.typ', output='$out/$name-typst.pdf', root='$book', pdf_standards=['ua-1'])"
    fi
  done
  printed=$(pdfinfo "$out/$name"/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
  echo "$name: ${printed:-?} pages printed by inkfold"
done
echo "$runs runs each; $(date -u +%F) on $(nproc) cores; $(find /usr/share/fonts /usr/local/share/fonts -type f 2>/dev/null | wc -l) system font files"
python3 - "$work/results" <<'EOF'
import statistics, sys
times, memory = {}, {}
for line in open(sys.argv[1]):
    name, seconds, kb = line.split()
    times.setdefault(name, []).append(float(seconds))
    memory.setdefault(name, []).append(int(kb))
median = {name: statistics.median(t) for name, t in times.items()}
for name in median:
    print(f"{name:28} median {median[name]:6.2f} s   peak {max(memory[name]) / 1024:6.0f} MB")
for book in sorted({name.split("/")[0] for name in median}):
    ours = median.get(f"{book}/inkfold")
    if not ours:
        continue
    for peer in ("pandoc-epub", "typst-pdf"):
        if f"{book}/{peer}" in median:
            print(f"{book}: inkfold (EPUB + PDF) is {median[f'{book}/{peer}'] / ours:.1f}x faster than {peer} alone")
    if f"{book}/inkfold-all" in median:
        print(f"{book}: --profile all takes {median[f'{book}/inkfold-all'] / ours:.2f}x the time of the book's build")
EOF
