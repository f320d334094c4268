"""The classifications of activities. Codes are stable English identifiers (they appear in URLs,
imports and the HSDS API); labels are Dutch on screen through the translation catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Taxonomy(models.TextChoices):
    KIND = "kind", _("kind of activity")
    TARGET_GROUP = "target_group", _("target group")
    ACTIVE_ELEMENT = "active_element", _("active element")
    LONELINESS_LEVEL = "loneliness_level", _("suits loneliness that is")


TERMS = {
    Taxonomy.KIND: [
        ("meeting", _("meeting people")),
        ("shared_meal", _("eating together")),
        ("buddy", _("buddy")),
        ("course", _("course or training")),
        ("exercise", _("exercise and sport")),
        ("culture", _("culture and creativity")),
        ("meaning", _("meaning in life and grief")),
        ("digital_skills", _("digital skills")),
        ("transport", _("transport")),
        ("practical_help", _("practical help")),
        ("carer_support", _("support for carers")),
        ("home_visit", _("home visit")),
        ("information", _("information and advice")),
    ],
    Taxonomy.TARGET_GROUP: [
        ("everyone", _("everyone")),
        ("age_75_plus", _("people aged 75 and over")),
        ("age_55_plus", _("people aged 55 and over")),
        ("young_people", _("young people")),
        ("single_parents", _("single parents")),
        ("migrant_elderly", _("older migrants")),
        ("carers", _("carers")),
        ("disability", _("people with a disability")),
    ],
    Taxonomy.ACTIVE_ELEMENT: [
        ("occupation", _("something to do")),
        ("meeting", _("meeting others")),
        ("practical_support", _("practical support")),
        ("meaningful_contact", _("meaningful contact")),
        ("social_skills", _("social skills")),
        ("realistic_expectations", _("realistic expectations")),
        ("meaningful_role", _("a meaningful role")),
    ],
    Taxonomy.LONELINESS_LEVEL: [
        ("prevention", _("prevention")),
        ("increased_risk", _("increased risk")),
        ("mild_moderate", _("mild to moderate")),
        ("severe", _("severe")),
    ],
}

_LABELS = {(taxonomy, code): label for taxonomy, terms in TERMS.items() for code, label in terms}


def term_label(taxonomy, code):
    return _LABELS.get((taxonomy, code), code)


def codes(taxonomy):
    return [code for code, _label in TERMS[taxonomy]]


def ensure_terms(**kwargs):
    """Create the term rows that code knows and the database lacks (post_migrate)."""
    from .models import TaxonomyTerm

    existing = set(TaxonomyTerm.objects.values_list("taxonomy", "code"))
    TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(taxonomy=taxonomy, code=code, position=position)
        for taxonomy, terms in TERMS.items()
        for position, (code, _label) in enumerate(terms)
        if (taxonomy, code) not in existing
    )
