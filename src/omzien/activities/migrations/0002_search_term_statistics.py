"""PostgreSQL: finer statistics on search terms. With the default, the planner guesses that a
word's prefix range matches one row when it matches thousands, starts from the words and checks
wijk and kind per row; with these it starts from the few activities in the wijk (the benchmark
went from 42 ms to 2 ms at p95 on 100,000 activities). SQLite needs nothing."""

from django.db import migrations

STATISTICS_TARGET = 2000


def raise_statistics_target(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE activities_searchterm ALTER COLUMN term "
        f"SET STATISTICS {STATISTICS_TARGET}"
    )


def reset_statistics_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE activities_searchterm ALTER COLUMN term SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(raise_statistics_target, reset_statistics_target)]
