"""The Python text frontend: an exact mirror of shared/text (TypeScript), proven identical on
shared/text/testdata/sentences.json by tests/test_text_parity.py."""
from .cleaners import CLEANER_NAMES, basic_cleaners, clean_text, english_cleaners, transliteration_cleaners
from .normalize import normalize_text
from .sentences import split_clauses, split_sentences
from .symbols import (SymbolTable, TextError, encode_phonemes, encode_text, load_phoneme_symbol_table, load_symbol_table,
                      parse_symbol_table, phoneme_symbols_json_path, sequence_to_text, symbols_json_path, text_to_sequence)
from .transliterate import convert_to_ascii

__all__ = [
    'CLEANER_NAMES', 'basic_cleaners', 'clean_text', 'english_cleaners', 'transliteration_cleaners', 'normalize_text',
    'split_sentences', 'split_clauses',
    'SymbolTable', 'TextError', 'encode_phonemes', 'encode_text', 'load_phoneme_symbol_table', 'load_symbol_table',
    'phoneme_symbols_json_path', 'parse_symbol_table', 'sequence_to_text',
    'symbols_json_path', 'text_to_sequence', 'convert_to_ascii',
]
