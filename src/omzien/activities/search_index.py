"""Dutch words to search terms: lower-cased, accents folded, stemmed with the Snowball Dutch
stemmer. A query word matches every indexed term that starts with its stem, so "wandelen"
(stem "wandel") finds "wandelgroep" and "eten" (stem "eet") finds "samen eten"."""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags

from .taxonomy import term_label

WORD = re.compile(r"[0-9a-z]+")
MAX_TERM_LENGTH = 40
MIN_QUERY_TERM_LENGTH = 2
_stemmer = snowballstemmer.stemmer("dutch")
# Words too common to tell activities apart.
STOP_WORDS = frozenset({
    "de", "het", "een", "en", "of", "van", "in", "op", "aan", "met", "voor", "naar", "bij", "om",
    "te", "tot", "uit", "door", "over", "als", "is", "zijn", "er", "die", "dat", "dit", "deze",
    "ook", "wat", "wie", "we", "je", "u", "ze", "hij", "zij", "ik",
})


class _FoldTable(dict):
    """str.translate table that folds each character once (é → e, ß → ss) and then looks it
    up in C: folding every word of every imported description adds up."""

    def __missing__(self, codepoint):
        decomposed = unicodedata.normalize("NFKD", chr(codepoint))
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text):
    return text.lower().translate(_FOLD_TABLE)


@lru_cache(maxsize=50_000)
def stem(word):
    return _stemmer.stemWord(word)[:MAX_TERM_LENGTH]


def terms_of(text):
    """The set of stems in a text."""
    return {
        stem(word) for word in WORD.findall(fold(text))
        if len(word) >= MIN_QUERY_TERM_LENGTH and word not in STOP_WORDS
    }


def query_terms(text):
    """The stems of a search query, in order, without repeats or one-letter noise."""
    seen = []
    for word in WORD.findall(fold(text or "")):
        term = stem(word)
        if len(word) >= MIN_QUERY_TERM_LENGTH and word not in STOP_WORDS and term not in seen:
            seen.append(term)
    return seen[:8]


def indexable_text(activity, term_rows):
    """Everything a resident might type to find this activity (labels in Dutch)."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = " ".join(str(term_label(term.taxonomy, term.code)) for term in term_rows)
    places = " ".join(
        f"{location.name} {location.street_address} {location.city}"
        for location in activity.locations.all()
    )
    return " ".join([
        activity.title, strip_tags(activity.description), activity.organisation.name,
        labels, places, activity.schedule_note,
    ])


def prefix_upper_bound(term):
    """The smallest string above every string that starts with `term` (for a range scan)."""
    return term[:-1] + chr(ord(term[-1]) + 1)
