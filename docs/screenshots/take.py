"""Take the README's screenshots of the example site at its reference time.

    .venv/bin/python docs/screenshots/take.py

What a customer sees first, without scrolling: a phone (390 x 844) and a desktop
(1280 x 900) viewport of the front page, and the German front page on a phone, with the
browser's clock at the reference time.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.browser import chromium, serve  # noqa: E402
from tests.example import REFERENCE, build_example  # noqa: E402

#: name: (width, height, scale, path)
SHOTS = {
    "index-phone.png": (390, 844, 2, ""),
    "index-desktop.png": (1280, 900, 1, ""),
    "index-de-phone.png": (390, 844, 2, "de/"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = build_example(Path(folder) / "site")
        with serve(site) as base, chromium() as browser:
            for name, (width, height, scale, path) in SHOTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=scale
                )
                page = context.new_page()
                page.clock.set_fixed_time(REFERENCE)
                page.goto(base + path)
                page.screenshot(path=HERE / name)
                context.close()
                print(HERE / name)


if __name__ == "__main__":
    main()
