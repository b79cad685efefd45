"""Write Designsystemet's inline icons out as files, so the CSP needs no `data:` images.

The vendored stylesheet (static/vendor/designsystemet/designsystemet-css-1.22.0.css, kept
unchanged) draws its icons from `url("data:image/svg+xml,...")`. This script writes each of
them to static/vendor/designsystemet/icons/<sha256 prefix>.svg and the stylesheet, with
those URLs pointing at the files, to designsystemet-css-1.22.0.icons.css, which the pages
link. Run it again after updating the vendored stylesheet:

    .venv/bin/python scripts/extract_css_icons.py
"""

import hashlib
import re
import sys
import urllib.parse
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "static" / "vendor" / "designsystemet"
SOURCE = FOLDER / "designsystemet-css-1.22.0.css"
TARGET = FOLDER / "designsystemet-css-1.22.0.icons.css"
ICONS = FOLDER / "icons"
# Double-quoted and percent-encoded, or single-quoted and plain (the file-upload icons).
DATA_URL = re.compile(r"""url\((?P<q>["'])data:image/svg\+xml;charset=utf-8,(?P<svg>.*?)(?P=q)\)""")


def main() -> int:
    ICONS.mkdir(exist_ok=True)
    written = set()

    def to_file(match: re.Match) -> str:
        svg = urllib.parse.unquote(match["svg"])
        name = hashlib.sha256(svg.encode()).hexdigest()[:12] + ".svg"
        (ICONS / name).write_text(svg, encoding="utf-8")
        written.add(name)
        return f'url("icons/{name}")'

    css = DATA_URL.sub(to_file, SOURCE.read_text(encoding="utf-8"))
    if "data:" in css:
        print("a data: URL of another form is left; extend DATA_URL", file=sys.stderr)
        return 1
    TARGET.write_text(css, encoding="utf-8")
    for stale in {p.name for p in ICONS.glob("*.svg")} - written:
        (ICONS / stale).unlink()
    print(f"{len(written)} icons written to {ICONS}, stylesheet {TARGET.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
