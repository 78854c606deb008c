"""The Python text frontend: a mirror of shared/text's english cleaners and symbol ids, the parts the trainer runs,
proven identical on shared/text/testdata by tests/test_text_parity.py."""
from .cleaners import english_cleaners
from .normalize import normalize_text
from .symbols import (SymbolTable, TextError, encode_phonemes, encode_text, load_phoneme_symbol_table, load_symbol_table,
                      parse_symbol_table, phoneme_symbols_json_path, symbols_json_path, text_to_sequence)

__all__ = [
    'english_cleaners', 'normalize_text',
    'SymbolTable', 'TextError', 'encode_phonemes', 'encode_text', 'load_phoneme_symbol_table', 'load_symbol_table',
    'phoneme_symbols_json_path', 'parse_symbol_table', 'symbols_json_path', 'text_to_sequence',
]
