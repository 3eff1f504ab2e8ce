#!/usr/bin/env python3
"""Take screenshots of a built site in headless Chromium, desktop and phone width.

    python tools/screenshots.py site/ out/ /concepts/urban-diplomacy/ /en/concepts/urban-diplomacy/

Serves the site on 127.0.0.1 (a free port) for the duration of the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.browser import launch_chromium, serve_directory  # noqa: E402

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serve_directory(args.site) as base, launch_chromium() as browser:
        for size_name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height},
                                    device_scale_factor=1)
            for path in args.paths:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                name = (path.strip("/").replace("/", "_") or "home") + f"-{size_name}.png"
                page.screenshot(path=str(args.out / name), full_page=args.full_page)
                print(args.out / name)
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
