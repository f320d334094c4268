#!/usr/bin/env python
"""Check that docs/openapi.json is the OpenAPI document the code generates (run by `make lint`).

    scripts/check_openapi.py           exit 1 with a diff when the committed document is stale
    scripts/check_openapi.py --write   rewrite docs/openapi.json from the code
"""

import argparse
import difflib
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_FILE = BASE_DIR / "docs" / "openapi.json"


def generated_document():
    sys.path.insert(0, str(BASE_DIR / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.settings.base")
    import django

    django.setup()
    from django.utils import translation

    from omzien.api import api

    # The same text whatever the machine's language; the document's prose is English anyway.
    with translation.override("en"):
        schema = api.get_openapi_schema()
        return json.dumps(schema, indent=2, ensure_ascii=False, default=str) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the committed document")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    expected = generated_document()
    if args.write:
        args.file.parent.mkdir(parents=True, exist_ok=True)
        args.file.write_text(expected, encoding="utf-8")
        print(f"Wrote {args.file}.")
        return 0

    try:
        committed = args.file.read_text(encoding="utf-8")
    except FileNotFoundError:
        committed = ""
    if committed == expected:
        print(f"{args.file.name} matches the API in the code.")
        return 0

    diff = list(difflib.unified_diff(
        committed.splitlines(), expected.splitlines(),
        fromfile=f"{args.file} (committed)", tofile="generated from the code", lineterm="", n=2,
    ))
    print("\n".join(diff[:80]))
    if len(diff) > 80:
        print(f"... and {len(diff) - 80} more lines of difference.")
    print(
        f"\nThe OpenAPI document {args.file} does not match the API in the code.\n"
        "If the API change is intended, run `.venv/bin/python scripts/check_openapi.py --write` "
        "and commit the new document.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
