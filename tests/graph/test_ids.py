"""Node ids: never empty, and distinct for names that fold to nothing."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from twinlac.graph.ids import locality_id, slug, transliterate


def _folds_to_nothing(name: str) -> bool:
    return not any(ch.isascii() and ch.isalnum() for ch in unidecode(name))


def test_names_without_letters_get_distinct_ids():
    assert slug("🏙️") != slug("🎉")
    assert locality_id("BR-SP", "🏙️") != locality_id("BR-SP", "🎉")
    assert locality_id("BR-SP", "🎉") != "BR-SP:"


@given(st.text(min_size=1))
def test_slug_is_never_empty(name):
    assert slug(name)


@given(st.text(min_size=1), st.text(min_size=1))
def test_names_that_fold_to_nothing_never_share_an_id(a, b):
    # Folding (case, accents, punctuation) merges on purpose; a name with nothing
    # to fold falls back to a hash of its NFC form, which never equals a folded slug.
    if unicodedata.normalize("NFC", a.strip()) == unicodedata.normalize("NFC", b.strip()):
        return
    if _folds_to_nothing(a) or _folds_to_nothing(b):
        assert slug(a) != slug(b)


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_transliterate_gives_unidecode_text(text):
    # Ids are made of this text: the table must give, character for character, what unidecode gives.
    assert transliterate(text) == unidecode(text)


def test_transliterate_of_characters_unidecode_drops_or_expands():
    for text in ("Bogotá 北京", "\U000f0000x", "Łódź", "İstanbul", "ﬁ", "①"):
        assert transliterate(text) == unidecode(text)
