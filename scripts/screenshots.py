"""Take screenshots of the main pages for the README from a running demo server.

    .venv/bin/python manage.py load_demo > var/demo-logins.txt
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python scripts/screenshots.py --logins var/demo-logins.txt

The logins (username, password and authenticator key) are read from what `load_demo` printed.
The code step uses the current code of the printed authenticator key, so no backup code is used
up. Uses Debian's Chromium; never downloads a browser.
"""

import argparse
import base64
import hashlib
import hmac
import re
import struct
import sys
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


def parse_logins(text):
    """{username: (password, base32 key)} from load_demo's table. Each row is followed by two
    indented lines: the authenticator key, then the backup codes. Parsed by position, not by
    label, so it works whatever language the command printed in."""
    lines = text.splitlines()
    logins = {}
    for number, line in enumerate(lines[:-1]):
        cells = re.split(r"\s{2,}", line.strip())
        next_line = lines[number + 1]
        if len(cells) >= 3 and not line.startswith(" ") and next_line.startswith(" "):
            key = next_line.rsplit(":", 1)[-1].strip()
            if re.fullmatch(r"[A-Z2-7]+=*", key):
                logins[cells[1]] = (cells[2], key)
    return logins


def totp_now(base32_key):
    """The current six-digit code for a key (RFC 6238, 30-second steps, SHA-1)."""
    key = base64.b32decode(base32_key)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def shoot(page, out_dir, name):
    path = out_dir / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  ({page.url})")


def log_in(page, username, password, key, out_dir=None):
    """Log in through the real form; screenshot the code step when out_dir is given."""
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/inloggen/code/" not in page.url:
        sys.exit(f"Logging in as {username} did not reach the code step (now at {page.url}). "
                 "Run load_demo again to reset the demo users.")
    if out_dir is not None:
        shoot(page, out_dir, "two-factor")
    page.fill("#id_token", totp_now(key))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/werkplek/" not in page.url:
        sys.exit(f"The code for {username} was not accepted (now at {page.url}).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=Path, required=True, help="the output of load_demo")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--coordinator", default="coordinator")
    parser.add_argument("--administrator", default="beheerder")
    args = parser.parse_args()

    logins = parse_logins(args.logins.read_text())
    for username in (args.coordinator, args.administrator):
        if username not in logins:
            sys.exit(f"No login for {username!r} in {args.logins}; is it load_demo's output?")
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new_page():
            context = browser.new_context(base_url=args.base_url, viewport=VIEWPORT,
                                          locale="nl-NL")
            return context.new_page()

        try:
            page = new_page()
            page.goto("/")
            shoot(page, args.out, "home")
            page.goto("/activiteiten/?q=wandelen")
            shoot(page, args.out, "activities-search")
            page.click("main h3 a")
            page.wait_for_load_state()
            shoot(page, args.out, "activity")
            page.goto("/inloggen/")
            shoot(page, args.out, "login")

            log_in(page, args.coordinator, *logins[args.coordinator], out_dir=args.out)
            shoot(page, args.out, "workspace-coordinator")
            page.goto("/werkplek/organisaties/")
            shoot(page, args.out, "organisations")
            page.goto("/werkplek/gebieden/")
            shoot(page, args.out, "areas")
            page.goto("/werkplek/aanbod/mijn-aanbod/")
            shoot(page, args.out, "activities-coordinator")

            page = new_page()
            log_in(page, args.administrator, *logins[args.administrator])
            page.goto("/werkplek/gebruikers/")
            shoot(page, args.out, "users")
        except PlaywrightError as error:
            sys.exit(f"The browser could not load a page from {args.base_url}: {error.message}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
