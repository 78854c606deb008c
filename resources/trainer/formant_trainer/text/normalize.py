"""English text normalization. Mirror of shared/text/normalize.ts (same steps, same order)."""
from __future__ import annotations

import re
import unicodedata

from .abbreviations import expand_abbreviations
from .numbers import expand_numbers
from .roman import expand_roman_numerals

WHITESPACE_CLASS = '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
_WHITESPACE_RE = re.compile(WHITESPACE_CLASS + '+')
_ZERO_WIDTH_RE = re.compile('[\u200b-\u200d\u2060\ufeff]')
_SINGLE_QUOTES_RE = re.compile('[‘’‚‛′`´]')
_DOUBLE_QUOTES_RE = re.compile('[“”„‟″«»]')
_NUMBER_RANGE_DASH_RE = re.compile('([0-9]) ?[–‒] ?(?=[0-9])')
_EN_DASH_RE = re.compile('[–‒]')
_EM_DASH_RE = re.compile(' ?[—―] ?')
_SPACED_DOUBLE_HYPHEN_RE = re.compile(' ?-- ?')
_NUMBER_SIGN_RE = re.compile('#(?= ?[0-9])')

_SYMBOL_WORDS = [
    (re.compile('° ?C(?![A-Za-z])'), ' degrees Celsius'),
    (re.compile('° ?F(?![A-Za-z])'), ' degrees Fahrenheit'),
    (re.compile('°'), ' degrees'),
    (re.compile('&'), ' and '),
    (re.compile('@'), ' at '),
    (re.compile(r'\+'), ' plus '),
    (re.compile('='), ' equals '),
    (re.compile('%'), ' percent'),
    (re.compile('×'), ' times '),
    (re.compile('÷'), ' divided by '),
    (re.compile('§'), ' section '),
    (re.compile(r'\$'), ' dollars '),
    (re.compile('£'), ' pounds '),
    (re.compile('€'), ' euros '),
    (re.compile('¥'), ' yen '),
    (re.compile('¢'), ' cents '),
    (re.compile('/'), ' slash '),
    (re.compile(r'[\[{]'), '('),
    (re.compile(r'[\]}]'), ')'),
    (re.compile(r'[#*_~^|\\<>]'), ' '),
]


def unify_punctuation(text: str) -> str:
    text = unicodedata.normalize('NFC', text)
    text = _ZERO_WIDTH_RE.sub('', text)
    text = _WHITESPACE_RE.sub(' ', text)
    text = _SINGLE_QUOTES_RE.sub("'", text)
    text = _DOUBLE_QUOTES_RE.sub('"', text)
    text = _NUMBER_RANGE_DASH_RE.sub(r'\1 to ', text)
    text = _EN_DASH_RE.sub('-', text)
    text = _EM_DASH_RE.sub(' -- ', text)
    text = _SPACED_DOUBLE_HYPHEN_RE.sub(' -- ', text)
    return text.replace('…', '...')


def expand_symbols(text: str) -> str:
    for regex, words in _SYMBOL_WORDS:
        text = regex.sub(words, text)
    return text


def collapse_spaces(text: str) -> str:
    text = re.sub(' {2,}', ' ', text)
    if text.startswith(' '):
        text = text[1:]
    if text.endswith(' '):
        text = text[:-1]
    return text


def normalize_text(raw: str, lang: str = 'en-us') -> str:
    """Spell out numbers, money, times, percentages, abbreviations and symbols (see normalize.ts)."""
    if lang != 'en-us':
        raise ValueError(f'normalize_text: unsupported language "{lang}" (supported: en-us)')
    # Fixed point, as in normalize.ts: normalizing twice changes nothing.
    text = _normalize_once(raw)
    for _ in range(3):
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


def _normalize_once(raw: str) -> str:
    text = unify_punctuation(raw)
    text = collapse_spaces(text)
    text = expand_abbreviations(text)
    text = expand_roman_numerals(text)
    text = _NUMBER_SIGN_RE.sub(' number ', text)
    text = expand_numbers(text)
    text = expand_symbols(text)
    return collapse_spaces(re.sub(' {2,}', ' ', text))
