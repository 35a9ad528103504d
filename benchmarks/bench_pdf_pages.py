"""Two PDFs compared page by page as images: does a change to the print layout look the same?

    .venv/bin/python benchmarks/bench_pdf_pages.py BEFORE.pdf AFTER.pdf [--out DIR] [--dpi 50]

Each PDF is rendered to PNG pages by Poppler's ``pdftoppm`` (``-r 50`` unless ``--dpi``),
and each pair of pages is compared with Pillow: the number of pixels that differ, and
the box around them. With ``--out`` the pages, and for each page that differs an image
of the two side by side with the differing pixels in red, are written there to be looked
at. Exits 1 when the page counts or any page differ.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops


def pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--out", type=Path, help="write the pages and the differences here")
    parser.add_argument("--dpi", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        before, after = pages(args.before, out / "before", args.dpi), pages(args.after, out / "after", args.dpi)
        print(f"pages: {len(before)} before, {len(after)} after")
        differing = len(before) != len(after)
        for number, (old_path, new_path) in enumerate(zip(before, after, strict=False), 1):
            old, new = Image.open(old_path).convert("RGB"), Image.open(new_path).convert("RGB")
            if old.size != new.size:
                print(f"page {number}: sizes differ, {old.size} and {new.size}")
                differing = True
                continue
            mask = ImageChops.difference(old, new).convert("L").point(lambda value: 255 if value else 0)
            count = sum(1 for value in mask.get_flattened_data() if value)
            print(
                f"page {number}: {count} of {old.width * old.height} pixels differ"
                + (f", in {mask.getbbox()}" if count else "")
            )
            if count:
                differing = True
                if args.out:
                    marked = new.copy()
                    marked.paste((255, 0, 0), mask=mask)
                    pair = Image.new("RGB", (old.width * 2 + 8, old.height), "white")
                    pair.paste(old, (0, 0))
                    pair.paste(marked, (old.width + 8, 0))
                    pair.save(out / f"difference-{number}.png")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
