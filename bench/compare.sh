#!/usr/bin/env bash
# Times `inkfold build` (EPUB and PDF together) against pandoc (Markdown to EPUB 3) and Typst
# (pandoc's Typst output to PDF/UA-1) on the same generated book, each as a whole process.
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
book="$work/book-$pages"
out="$work/out"
rm -rf "$book" "$out"
mkdir -p "$out"

cargo build --release --quiet --bin inkfold --example generate
target/release/examples/generate "$pages" "$book"

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

chapters=$(python3 -c "import tomllib, sys; print(' '.join(tomllib.load(open(sys.argv[1], 'rb'))['book']['chapters']))" "$book/book.toml")
title="A Generated Book of $pages Pages"

# Typst's input, made once (not timed): pandoc's Typst writer leaves out images' alt text,
# which PDF/UA-1 requires, so each image gets one.
if [ "$peers" = yes ]; then
  (cd "$book" && "$pandoc" -s -f markdown -t typst --metadata title="$title" --metadata lang=en \
    -o chapters/book.typ $chapters 2>/dev/null)
  sed -i -E 's/image\("([^"]+)"\)/image("\1", alt: "A figure")/g' "$book/chapters/book.typ"
fi

measure() { # NAME COMMAND... : appends "NAME seconds kilobytes" to the results
  local name=$1
  shift
  /usr/bin/time -f "$name %e %M" -a -o "$work/results" "$@" >/dev/null 2>&1 \
    || echo "$name failed: $*" >&2
}

rm -f "$work/results"
for _ in $(seq "$runs"); do
  measure inkfold target/release/inkfold build "$book" --out "$out/inkfold"
  if [ "$peers" = yes ]; then
    measure pandoc-epub sh -c "cd '$book' && '$pandoc' -f markdown -t epub3 --metadata title='$title' --metadata lang=en -o '$PWD/$out/pandoc.epub' $chapters"
    measure typst-pdf "$work/venv/bin/python" -c "import typst; typst.compile('$book/chapters/book.typ', output='$out/typst.pdf', root='$book', pdf_standards=['ua-1'])"
  fi
done

pdf_pages=$(pdfinfo "$out"/inkfold/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
echo "book: $pages pages asked, ${pdf_pages:-?} printed by inkfold; $runs runs each; $(date -u +%F) on $(nproc) cores"
python3 - "$work/results" <<'EOF'
import statistics, sys
times, memory = {}, {}
for line in open(sys.argv[1]):
    name, seconds, kb = line.split()
    times.setdefault(name, []).append(float(seconds))
    memory.setdefault(name, []).append(int(kb))
median = {name: statistics.median(t) for name, t in times.items()}
for name in median:
    print(f"{name:12} median {median[name]:6.2f} s   peak {max(memory[name]) / 1024:6.0f} MB")
for peer in ("pandoc-epub", "typst-pdf"):
    if peer in median and "inkfold" in median:
        print(f"inkfold (EPUB + PDF) is {median[peer] / median['inkfold']:.1f}x faster than {peer} alone")
EOF
