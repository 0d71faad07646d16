"""Screenshots of the main pages in headless Chromium, for a human to look at.

Usage: python scripts/screenshots.py BASE_URL USERNAME PASSWORD OUT_DIR [PATH ...]
Each path is shot at desktop (1280 px) and phone (390 px) width. For an
account with two-factor sign-in (leaders, administrators), set TOTP_SECRET
to its base32 secret (seed_demo prints the demo accounts' secrets).
"""

import base64
import hashlib
import hmac
import os
import struct
import sys
import time
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


def totp(secret: str, at: float | None = None) -> str:
    """The current 6-digit code for a base32 secret (RFC 6238, SHA-1, 30 s)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", password)
    page.click("button[type=submit]")
    secret = os.environ.get("TOTP_SECRET")
    if secret and page.locator("#id_token-otp_token").count():
        page.fill("#id_token-otp_token", totp(secret))
        page.click("button[type=submit]")


def main() -> None:
    base, username, password, out, *paths = sys.argv[1:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        # One sign-in for both widths: a two-factor code is accepted once.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, base, username, password)
        for width, label in ((1280, "desktop"), (390, "phone")):
            page.set_viewport_size({"width": width, "height": 900})
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
