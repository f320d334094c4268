"""The nine roadmap chapters exist from the start, and the checklist for grant applications
starts with the questions known to matter for approaches against loneliness."""

from django.db import migrations

CHAPTERS = [
    ("verkenning", "organise"), ("plan_van_aanpak", "organise"), ("commitment", "organise"),
    ("sterk_netwerk", "organise"), ("monitoren", "organise"), ("bewustwording", "act"),
    ("preventie", "act"), ("signaleren", "act"), ("ondersteunen", "act"),
]

# Stored in Dutch: these are records a policy officer edits, not interface text.
CRITERIA = [
    ("Is het verminderen of voorkomen van eenzaamheid een expliciet doel?", ""),
    ("Is de doelgroep omschreven, en de mate van eenzaamheid (preventie, verhoogd risico, "
     "licht tot matig, ernstig)?", ""),
    ("Welke werkzame elementen gebruikt het, en is het gebaseerd op wat bekend is over wat werkt?",
     "Bijvoorbeeld: bezigheden, ontmoeten, praktisch ondersteunen, betekenisvol contact, "
     "sociale vaardigheden, realistische verwachtingen, een betekenisvolle rol."),
    ("Hoe bereikt het mensen die eenzaam zijn, en niet alleen wie al komt?", ""),
    ("Met wie werkt het samen?", ""),
    ("Hoe wordt het gemonitord en geëvalueerd?", ""),
    ("Wat gebeurt er na de subsidieperiode?", ""),
    ("Zijn mensen met ervaringskennis betrokken?", ""),
]


def create(apps, schema_editor):
    Chapter = apps.get_model("coalition", "Chapter")
    Criterion = apps.get_model("coalition", "Criterion")
    for position, (code, part) in enumerate(CHAPTERS, start=1):
        Chapter.objects.get_or_create(code=code, defaults={"part": part, "position": position})
    if not Criterion.objects.exists():
        Criterion.objects.bulk_create(
            Criterion(question=question, guidance=guidance, position=position)
            for position, (question, guidance) in enumerate(CRITERIA, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("coalition", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
