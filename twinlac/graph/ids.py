"""Stable node and tie ids, so that loading the same agreement twice merges, never duplicates.

* Country: ISO 3166-1 alpha-2 code (``"BR"``).
* Province (first-level division): ISO 3166-2 code (``"BR-SP"``, ``"CN-JS"``).
* Locality (city level): ``"<province id>:<slug of the name>"`` (``"BR-SP:sao-paulo"``).
* Tie: ``"<Chinese party id>~<LAC party id>"``: one tie per pair of parties.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


class _Transliterations(dict[int, str]):
    """Code point -> its ``unidecode`` ASCII, filled as characters are met."""

    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = text = unidecode(chr(codepoint))
        return text


_TRANSLITERATIONS = _Transliterations()


def transliterate(text: str) -> str:
    """``unidecode(text)``: the ASCII transliteration, one table lookup per character.

    Unidecode maps each character on its own, in Python; a list of a million names, half
    of them accented, spends seconds there. ``str.translate`` over the characters met so
    far gives the same text.

    >>> transliterate("São Paulo"), transliterate("北京")
    ('Sao Paulo', 'Bei Jing ')
    """
    return text if text.isascii() else text.translate(_TRANSLITERATIONS)


def slug(name: str) -> str:
    """Lower-case ASCII slug of a place name: accents, case and punctuation folded.

    A name with no letter or digit that transliterates (``"🏙️"``) gets
    ``"_"`` and a hash of its NFC form instead, so that no id is empty and two
    such names never share one; ``_`` never occurs in a folded slug.

    >>> slug("São Paulo"), slug("Binhu (Wuxi)"), slug("Xi'an")
    ('sao-paulo', 'binhu-wuxi', 'xi-an')
    >>> slug("🏙️") != slug("🎉") and slug("🎉").startswith("_")
    True
    """
    folded = _NON_ALNUM.sub("-", transliterate(name).lower()).strip("-")
    if folded:
        return folded
    normalised = unicodedata.normalize("NFC", name.strip())
    return "_" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def locality_id(province_id: str, name: str) -> str:
    """Id of a city-level party inside the first-level division ``province_id``.

    >>> locality_id("BR-SP", "São Paulo")
    'BR-SP:sao-paulo'
    """
    return f"{province_id}:{slug(name)}"


def tie_id(china_party: str, lac_party: str) -> str:
    """Id of the twinning tie between two parties (Chinese party first).

    >>> tie_id("CN-JS:wuxi", "BR-SP:sao-paulo")
    'CN-JS:wuxi~BR-SP:sao-paulo'
    """
    return f"{china_party}~{lac_party}"
