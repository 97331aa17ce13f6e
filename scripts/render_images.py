"""Rasterise our SVG artwork into the PNGs pages link to, with Debian's Chromium.

    .venv/bin/python scripts/render_images.py

static/social.svg -> static/social.png (1200×630, og:image); static/favicon.svg ->
static/apple-touch-icon.png (180×180). The PNGs are committed; run this after editing an SVG.
"""

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "static"
CHROMIUM = os.environ.get("NEWSREADER_CHROMIUM", "/usr/bin/chromium")
IMAGES = [("social.svg", "social.png", 1200, 630), ("favicon.svg", "apple-touch-icon.png", 180, 180)]


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for source, target, width, height in IMAGES:
            page = browser.new_page(viewport={"width": width, "height": height})
            svg = (STATIC / source).read_text()
            page.set_content(f"<style>body{{margin:0}} svg{{display:block;width:{width}px;height:{height}px}}</style>{svg}")
            page.screenshot(path=str(STATIC / target), clip={"x": 0, "y": 0, "width": width, "height": height})
            page.close()
            print(f"static/{target}")
        browser.close()


if __name__ == "__main__":
    main()
