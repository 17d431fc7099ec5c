"""Folding place names for comparison: the keys that two spellings of one place share.

Used by the resolvers (countries, divisions), the gazetteer and the locality
index alike, so that they all agree on when two names are the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

from twinlac.graph.ids import transliterate

__all__ = ["GENERIC_WORDS", "core", "fold", "locality_key"]

# Words that name the kind of division, not the division itself.
GENERIC_WORDS = frozenset({
    "sheng", "shi", "zizhiqu", "huizu", "zhuangzu", "uygur", "sar", "special", "administrative",
    "province", "provincia", "departamento", "department", "estado", "state", "region",
    "parish", "district", "de", "del", "la", "las", "los", "do", "da", "of", "the", "y", "e",
})

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
_QUALIFIED = re.compile(r"\s*(?P<place>[^()]+?)\s*\((?P<qualifier>[^()]+)\)\s*")
#: Names folded and keyed recently: one name is keyed several times per row (resolution, index, gazetteer).
_RECENT = 1 << 16


@lru_cache(maxsize=_RECENT)
def fold(name: str) -> str:
    """Fold a name for comparison: ASCII, lower case, words only.

    >>> fold("  São José dos Campos "), fold("O'Higgins")
    ('sao jose dos campos', 'o higgins')
    """
    return " ".join(_NOT_WORD.sub(" ", transliterate(name).lower()).split())


@lru_cache(maxsize=_RECENT)
def core(name: str) -> str:
    """A folded name without generic words ("Provincia de", "Sheng", ...).

    >>> core("Jiangsu Sheng"), core("Estado de México")
    ('jiangsu', 'mexico')
    """
    words = [w for w in fold(name).split() if w not in GENERIC_WORDS]
    return " ".join(words) or fold(name)


@lru_cache(maxsize=_RECENT)
def locality_key(name: str) -> str:
    """The key two spellings of one locality share: accents, case, apostrophes,
    tone marks and punctuation folded away, and a qualifier in brackets put
    first, where other spellings write it ("Binhu (Wuxi)" is "Wuxi – Binhu").

    The words keep their order otherwise, so that a place the gazetteer does
    not hold gets a readable id from its key (``BR-SP:sao-paulo-norte``).

    >>> locality_key("Xi'an") == locality_key("Xian") == locality_key("Xī'ān")
    True
    >>> locality_key("Binhu (Wuxi)"), locality_key("Wuxi – Binhu")
    ('wuxi binhu', 'wuxi binhu')
    """
    text = transliterate(name).lower().replace("'", "").replace("\u2019", "")
    qualified = _QUALIFIED.fullmatch(text)
    if qualified:
        text = f"{qualified['qualifier']} {qualified['place']}"
    return " ".join(_WORD.findall(text))
