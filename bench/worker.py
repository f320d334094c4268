"""Runs one benchmark in this process against the database in OMZIEN_DATABASE_URL and prints
its figures as one JSON line (called by bench/run.py)."""

import importlib
import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(name):
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    figures = importlib.import_module(name).run()
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1])
