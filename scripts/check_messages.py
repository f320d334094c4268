"""Checks that the Dutch translations are up to date and complete.

Regenerates the message catalogue from the code in a scratch copy and compares it with the
committed one: every message on screen must be in locale/nl and translated, none left fuzzy.
`--write` updates the committed catalogue instead (then translate what is new).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

APP_ROOT = Path(__file__).resolve().parent.parent / "src" / "omzien"
PO_PATH = Path("locale/nl/LC_MESSAGES/django.po")
DJANGO_ADMIN = Path(sys.executable).parent / "django-admin"


def make_messages(root):
    subprocess.run(
        [str(DJANGO_ADMIN), "makemessages", "--locale", "nl", "--no-location", "--no-obsolete",
         "--verbosity", "0"],
        cwd=root, check=True,
    )


def entry_keys(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def main():
    if "--write" in sys.argv:
        make_messages(APP_ROOT)
        print(f"Updated {APP_ROOT / PO_PATH}")
        return 0
    committed = polib.pofile(str(APP_ROOT / PO_PATH))
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "omzien"
        shutil.copytree(APP_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        make_messages(copy)
        fresh = polib.pofile(str(copy / PO_PATH))
    problems = []
    missing = entry_keys(fresh) - entry_keys(committed)
    stale = entry_keys(committed) - entry_keys(fresh)
    problems += [f"not in the catalogue: {msgid!r}" for _ctx, msgid in sorted(missing, key=str)]
    problems += [f"no longer used: {msgid!r}" for _ctx, msgid in sorted(stale, key=str)]
    problems += [f"untranslated: {e.msgid!r}" for e in committed.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in committed.fuzzy_entries()]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problems; run scripts/check_messages.py --write "
              "and translate in src/omzien/locale/nl.")
        return 1
    print(f"Translations up to date: {len(committed.translated_entries())} messages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
