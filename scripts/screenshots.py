"""Screenshots of the main pages in headless Chromium, for a human to look at.

Usage: python scripts/screenshots.py BASE_URL USERNAME PASSWORD OUT_DIR [PATH ...]
Each path is shot at desktop (1280 px) and phone (390 px) width.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    base, username, password, out, *paths = sys.argv[1:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for width, label in ((1280, "desktop"), (390, "phone")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/dang-nhap/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            for path in paths or ["/"]:
                page.goto(f"{base}{path}")
                name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                page.screenshot(
                    path=str(out_dir / f"{name}-{label}.png"), full_page=True
                )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
