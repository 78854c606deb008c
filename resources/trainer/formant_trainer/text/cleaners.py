"""Cleaners (keithito/tacotron sense). Mirror of shared/text/cleaners.ts."""
from __future__ import annotations

import re

from .normalize import WHITESPACE_CLASS, collapse_spaces, normalize_text, unify_punctuation
from .transliterate import convert_to_ascii

CLEANER_NAMES = ('english', 'basic', 'transliteration')
_WHITESPACE_RE = re.compile(WHITESPACE_CLASS + '+')


def basic_cleaners(text: str) -> str:
    return collapse_spaces(_WHITESPACE_RE.sub(' ', text).lower())


def transliteration_cleaners(text: str) -> str:
    return collapse_spaces(unify_punctuation(convert_to_ascii(text)).lower())


def english_cleaners(text: str) -> str:
    text = normalize_text(convert_to_ascii(text)).lower().replace('"', '')
    return collapse_spaces(re.sub(' {2,}', ' ', text))


def clean_text(text: str, cleaners: str) -> str:
    if cleaners == 'english':
        return english_cleaners(text)
    if cleaners == 'basic':
        return basic_cleaners(text)
    if cleaners == 'transliteration':
        return transliteration_cleaners(text)
    raise ValueError(f'unknown cleaners "{cleaners}" (known: {", ".join(CLEANER_NAMES)})')
