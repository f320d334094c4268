"""Runs Omzien's benchmarks on SQLite and PostgreSQL and prints the figures.

    .venv/bin/python bench/run.py [--databases sqlite,postgres] [--only area_lookup]

Each benchmark is a module in bench/ with a `run(options) -> dict` function. It runs in a fresh
process against a fresh database (SQLite file in a scratch folder; PostgreSQL database
omzien_bench on 127.0.0.1:5432, created and dropped here). Results are printed and written to
bench/results/<benchmark>-<database>.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BENCHMARKS = ["area_lookup", "activity_search"]
PG_SERVER = os.environ.get("OMZIEN_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def postgres_database(name):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def drop_postgres_database(name):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run_one(benchmark, database, scratch):
    if database == "sqlite":
        url = f"sqlite:///{scratch}/{benchmark}.sqlite3"
    else:
        url = postgres_database("omzien_bench")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "omzien.settings.base",
        "OMZIEN_DATABASE_URL": url,
        "OMZIEN_VAR_DIR": str(scratch),
        "OMZIEN_DEBUG": "0",
    }
    try:
        result = subprocess.run(
            [sys.executable, str(BENCH_DIR / "worker.py"), benchmark],
            env=env, cwd=ROOT, capture_output=True, text=True, check=False,
        )
    finally:
        if database == "postgres":
            drop_postgres_database("omzien_bench")
    if result.returncode != 0:
        raise SystemExit(f"{benchmark} on {database} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    options = parser.parse_args()
    results_dir = BENCH_DIR / "results"
    results_dir.mkdir(exist_ok=True)
    for benchmark in options.only.split(","):
        for database in options.databases.split(","):
            with tempfile.TemporaryDirectory() as scratch:
                figures = run_one(benchmark, database, scratch)
            (results_dir / f"{benchmark}-{database}.json").write_text(json.dumps(figures, indent=2))
            print(f"\n{benchmark} on {database}")
            for key, value in figures.items():
                print(f"  {key:<40} {value}")


if __name__ == "__main__":
    main()
