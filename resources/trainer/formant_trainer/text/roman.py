"""Unambiguous Roman numerals. Mirror of shared/text/roman.ts."""
from __future__ import annotations

import re

from .number_words import cardinal_words, ordinal_words

_CARDINAL_CONTEXT = {
    'act', 'appendix', 'article', 'book', 'canto', 'chapter', 'class', 'figure', 'grade', 'level', 'mark', 'part',
    'phase', 'plate', 'psalm', 'round', 'scene', 'section', 'series', 'stage', 'table', 'title', 'type', 'volume', 'war',
}
_ROMAN_RE = re.compile(r"(?<![A-Za-z0-9_'])([A-Z][a-z]+) ([IVX]{2,7})(?![A-Za-z0-9'])")
_ROMAN_DIGITS = [(10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]
_VALUES = {'I': 1, 'V': 5, 'X': 10}


def roman_value(numeral: str):
    total = 0
    for i, c in enumerate(numeral):
        v = _VALUES[c]
        nxt = _VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -v if v < nxt else v
    canonical = ''
    rest = total
    for v, s in _ROMAN_DIGITS:
        while rest >= v:
            canonical += s
            rest -= v
    return total if total > 0 and canonical == numeral else None


def _expand(m) -> str:
    word, numeral = m.group(1), m.group(2)
    value = roman_value(numeral)
    if value is None:
        return m.group(0)
    if word.lower() in _CARDINAL_CONTEXT:
        return f'{word} {cardinal_words(str(value))}'
    return f'{word} the {ordinal_words(str(value))}'


def expand_roman_numerals(text: str) -> str:
    return _ROMAN_RE.sub(_expand, text)
