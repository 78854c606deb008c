"""The english cleaners (keithito/tacotron sense), the only ones the trainer runs. Mirror of englishCleaners in
shared/text/cleaners.ts (which also has basic and transliteration cleaners for the app)."""
from __future__ import annotations

import re

from .normalize import collapse_spaces, normalize_text
from .transliterate import convert_to_ascii


def english_cleaners(text: str) -> str:
    text = normalize_text(convert_to_ascii(text)).lower().replace('"', '')
    return collapse_spaces(re.sub(' {2,}', ' ', text))
