"""Abbreviation expansion. Mirror of shared/text/abbreviations.ts."""
from __future__ import annotations

import re

TITLE_ABBREVIATIONS = {
    'mrs': 'misess', 'mr': 'mister', 'ms': 'miz', 'dr': 'doctor', 'drs': 'doctors', 'st': 'saint', 'prof': 'professor',
    'rev': 'reverend', 'gen': 'general', 'maj': 'major', 'capt': 'captain', 'lt': 'lieutenant', 'col': 'colonel',
    'sgt': 'sergeant', 'hon': 'honorable', 'messrs': 'messieurs', 'mt': 'mount', 'ft': 'fort', 'vs': 'versus', 'no': 'number',
}
MONTH_ABBREVIATIONS = {
    'jan': 'January', 'feb': 'February', 'mar': 'March', 'apr': 'April', 'jun': 'June', 'jul': 'July', 'aug': 'August',
    'sep': 'September', 'sept': 'September', 'oct': 'October', 'nov': 'November', 'dec': 'December',
}
SUFFIX_ABBREVIATIONS = {
    'jr': 'junior', 'sr': 'senior', 'esq': 'esquire', 'co': 'company', 'ltd': 'limited', 'inc': 'incorporated',
    'etc': 'et cetera', 'dept': 'department',
}


def _any_case(word: str) -> str:
    return ''.join(f'[{c.upper()}{c}]' for c in word)


_ALL = sorted([*TITLE_ABBREVIATIONS, *SUFFIX_ABBREVIATIONS, *MONTH_ABBREVIATIONS], key=lambda k: (-len(k), k))
_ABBREVIATION_RE = re.compile(r"(?<![A-Za-z0-9_.'])(" + '|'.join(_any_case(a) for a in _ALL) + r')\.')
_EG_RE = re.compile(r"(?<![A-Za-z0-9_.'])([Ee])\. ?[Gg]\.")
_IE_RE = re.compile(r"(?<![A-Za-z0-9_.'])([Ii])\. ?[Ee]\.")
_CAPITALISED_WORD_BEFORE_RE = re.compile(r"(?:^|[^A-Za-z'])[A-Z][A-Za-z']* \Z")


def sentence_ends_after(rest: str) -> bool:
    return re.fullmatch(r' *', rest) is not None or (
        re.match(r' [A-Z]', rest) is not None and re.match(r' [A-Za-z]+\.', rest) is None)


def _match_case(expansion: str, original: str) -> str:
    return expansion[0].upper() + expansion[1:] if 'A' <= original[0] <= 'Z' else expansion


def _expand_one(m) -> str:
    abbr = m.group(1)
    key = abbr.lower()
    rest = m.string[m.end():]
    before = m.string[:m.start()]
    if key == 'no' and not re.match(r' ?[0-9]', rest):
        return m.group(0)
    if key in MONTH_ABBREVIATIONS:
        return MONTH_ABBREVIATIONS[key] if re.match(' [0-9]', rest) else m.group(0)
    expansion = TITLE_ABBREVIATIONS.get(key) or SUFFIX_ABBREVIATIONS[key]
    can_end = key in SUFFIX_ABBREVIATIONS
    if key in ('st', 'dr') and not re.match(r' [A-Z]', rest) and _CAPITALISED_WORD_BEFORE_RE.search(before):
        expansion = 'street' if key == 'st' else 'drive'
        can_end = True
    word = _match_case(expansion, abbr)
    return word + '.' if (can_end and sentence_ends_after(rest)) or re.fullmatch(r' *', rest) else word


def expand_abbreviations(text: str) -> str:
    text = _EG_RE.sub(lambda m: _match_case('for example', m.group(1)), text)
    text = _IE_RE.sub(lambda m: _match_case('that is', m.group(1)), text)
    return _ABBREVIATION_RE.sub(_expand_one, text)
