"""Number -> English words from digit strings. Mirror of shared/text/numberWords.ts (keep them in step)."""
from __future__ import annotations

ONES = [
    'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
    'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
]
TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']
SCALES = [
    '', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion',
    'sextillion', 'septillion', 'octillion', 'nonillion', 'decillion',
]
MAX_CARDINAL_DIGITS = len(SCALES) * 3


def under100(n: int) -> str:
    if n < 20:
        return ONES[n]
    t, u = divmod(n, 10)
    return f'{TENS[t]}-{ONES[u]}' if u else TENS[t]


def _under1000(n: int) -> str:
    h, rest = divmod(n, 100)
    parts = []
    if h:
        parts.append(f'{ONES[h]} hundred')
    if rest:
        parts.append(under100(rest))
    return ' '.join(parts)


def digit_words(digits: str) -> str:
    return ' '.join(ONES[int(d)] for d in digits)


def cardinal_words(digits: str) -> str:
    stripped = digits.lstrip('0')
    if stripped == '':
        return 'zero'
    if len(stripped) > MAX_CARDINAL_DIGITS:
        return digit_words(digits)
    groups = []
    end = len(stripped)
    while end > 0:
        groups.insert(0, int(stripped[max(0, end - 3):end]))
        end -= 3
    parts = []
    for i, g in enumerate(groups):
        if not g:
            continue
        scale = SCALES[len(groups) - 1 - i]
        parts.append(f'{_under1000(g)} {scale}' if scale else _under1000(g))
    last = len(parts) - 1
    units_group_is_one_word = groups[-1] != 0 and ' ' not in parts[last]
    out = ''
    for i, p in enumerate(parts):
        out += p if i == 0 else (' ' + p if i == last and units_group_is_one_word else ', ' + p)
    return out


_IRREGULAR_ORDINALS = {
    'one': 'first', 'two': 'second', 'three': 'third', 'five': 'fifth', 'eight': 'eighth', 'nine': 'ninth',
    'twelve': 'twelfth',
}


def _ordinal_of_word(word: str) -> str:
    if word in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[word]
    if word.endswith('y'):
        return word[:-1] + 'ieth'
    return word + 'th'


def _map_last_word(phrase: str, fn) -> str:
    cut = max(phrase.rfind(' '), phrase.rfind('-'))
    return phrase[:cut + 1] + fn(phrase[cut + 1:])


def ordinal_words(digits: str) -> str:
    return _map_last_word(cardinal_words(digits), _ordinal_of_word)


def plural_number_words(phrase: str) -> str:
    return _map_last_word(phrase, lambda w: w[:-1] + 'ies' if w.endswith('y') else w + 's')


def year_words(n: int) -> str:
    """keithito/tacotron's year rule for 1001..2999 (see numberWords.ts)."""
    if not (1000 < n < 3000):
        return cardinal_words(str(n))
    if n == 2000:
        return 'two thousand'
    if 2000 < n < 2010:
        return f'two thousand {ONES[n % 100]}'
    hi, lo = divmod(n, 100)
    if lo == 0:
        return f'{under100(hi)} hundred'
    return f'{under100(hi)} ' + (f'oh {ONES[lo]}' if lo < 10 else under100(lo))
