"""ASCII transliteration for Latin-script text. Mirror of shared/text/transliterate.ts."""
from __future__ import annotations

import re
import unicodedata

_LETTERS = {
    'æ': 'ae', 'Æ': 'AE', 'œ': 'oe', 'Œ': 'OE', 'ß': 'ss', 'ẞ': 'SS', 'ø': 'o', 'Ø': 'O', 'đ': 'd', 'Đ': 'D',
    'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'Th', 'ł': 'l', 'Ł': 'L', 'ı': 'i', 'ĳ': 'ij', 'Ĳ': 'IJ', 'ŀ': 'l',
    'Ŀ': 'L', 'ħ': 'h', 'Ħ': 'H', 'ŧ': 't', 'Ŧ': 'T', 'ŋ': 'ng', 'Ŋ': 'NG', 'ſ': 's', '¡': '!', '¿': '?',
    'ﬀ': 'ff', 'ﬁ': 'fi', 'ﬂ': 'fl', 'ﬃ': 'ffi', 'ﬄ': 'ffl', 'ﬅ': 'st', 'ﬆ': 'st',
}
_LETTERS_RE = re.compile('[' + ''.join(_LETTERS) + ']')
_COMBINING_MARKS_RE = re.compile('[\u0300-\u036f]')


def convert_to_ascii(text: str) -> str:
    text = unicodedata.normalize('NFD', text)
    text = _COMBINING_MARKS_RE.sub('', text)
    text = _LETTERS_RE.sub(lambda m: _LETTERS[m.group(0)], text)
    return unicodedata.normalize('NFC', text)
