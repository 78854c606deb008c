"""The Python text frontend (formant_trainer.text) reproduces the TypeScript one (shared/text) exactly where the trainer
uses it (english cleaners, symbol ids): every entry of shared/text/testdata/sentences.json (hand-checked expectations,
see build_sentences.py), the machine-made parity corpus, plus hand-written cases for ids, errors and the symbol table.
Sentence and clause splitting are TypeScript's alone (shared/text/sentences.spec.ts)."""
import json
import sys
from pathlib import Path

import pytest

TRAINER = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TRAINER))

from formant_trainer import shared_json  # noqa: E402
from formant_trainer.text import (TextError, encode_text, english_cleaners, load_symbol_table,  # noqa: E402
                                  normalize_text, parse_symbol_table, text_to_sequence)

REPO = TRAINER.parents[1]
ENTRIES = json.loads((REPO / 'shared' / 'text' / 'testdata' / 'sentences.json').read_text(encoding='utf-8'))
LJ = REPO.parent / 'shared' / 'data'


def test_enough_entries():
    assert len(ENTRIES) >= 60


@pytest.mark.parametrize('entry', ENTRIES, ids=[f"{i}:{e['rule']}" for i, e in enumerate(ENTRIES)])
def test_entry(entry):
    assert normalize_text(entry['input']) == entry['normalized']
    assert english_cleaners(entry['input']) == entry['cleaned']
    assert text_to_sequence(entry['input']) == entry['ids']
    # The trainer cleans, then encodes (which cleans again): cleaning must be idempotent.
    assert english_cleaners(entry['cleaned']) == entry['cleaned']


def test_symbol_table_is_nvidia_layout():
    t = load_symbol_table()
    assert len(t.symbols) == 148 and t.pad_id == 0 and t.eos_id is None
    assert t.symbols[:12] == ('_', '-', '!', "'", '(', ')', ',', '.', ':', ';', '?', ' ')
    assert t.symbols[12] == 'A' and t.symbols[38] == 'a' and t.symbols[63] == 'z' and t.symbols[64] == '@AA'


def test_hand_written_ids():
    # '_'=0 '-'=1 '!'=2 "'"=3 '('=4 ')'=5 ','=6 '.'=7 ':'=8 ';'=9 '?'=10 ' '=11, 'A'=12 ... 'a'=38 ... 'z'=63
    assert text_to_sequence('Hi, Bob!') == [45, 46, 6, 11, 39, 52, 39, 2]
    assert text_to_sequence('$1.') == [52, 51, 42, 11, 41, 52, 49, 49, 38, 55, 7]  # "one dollar."


def test_arpabet_in_braces():
    t = load_symbol_table()
    enc = encode_text('Turn left on {HH AW1 S S T AH0 N} Street.')
    ids = enc['ids']
    assert enc['cleaned'] == 'turn left on {HH AW1 S S T AH0 N} street.'
    assert ids[13:20] == [t.symbols.index('@' + p) for p in 'HH AW1 S S T AH0 N'.split()]
    assert ids[12] == 11 and ids[13] == t.symbols.index('@HH')
    # braces that are not phones are plain text
    assert encode_text('See {this}.')['cleaned'] == 'see (this).'


def test_unknown_characters_are_named():
    with pytest.raises(TextError) as e:
        text_to_sequence('Hello 世界')
    assert e.value.code == 'TEXT_UNKNOWN_SYMBOL'
    assert 'U+4E16' in str(e.value) and 'U+754C' in str(e.value)
    dropped = encode_text('Hello 世界', unknown='drop')
    assert dropped['ids'] == text_to_sequence('Hello') + [11]
    assert [u['symbol'] for u in dropped['unknown']] == ['世', '界']


def test_eos_requires_a_table_with_eos():
    with pytest.raises(TextError) as e:
        text_to_sequence('hi', eos=True)
    assert e.value.code == 'TEXT_NO_EOS'
    t = parse_symbol_table({'pad': '_', 'eos': '~', 'symbols': ['_', '~', 'h', 'i']})
    assert text_to_sequence('hi', t, eos=True) == [2, 3, 1]


def test_bad_tables_are_refused():
    for bad in [{}, {'pad': '_', 'symbols': []}, {'pad': 'x', 'symbols': ['_']}, {'pad': '_', 'symbols': ['_', '_']}]:
        with pytest.raises(TextError) as e:
            parse_symbol_table(bad)
        assert e.value.code == 'TEXT_BAD_SYMBOL_TABLE'


def test_packaged_copy_matches_when_present():
    repo, packaged = shared_json.repo_path(shared_json.SYMBOLS), shared_json.packaged_path(shared_json.SYMBOLS)
    assert repo.is_file()
    if packaged.is_file():
        assert json.loads(packaged.read_text('utf-8')) == json.loads(repo.read_text('utf-8'))


@pytest.mark.skipif(not LJ.is_dir(), reason='../shared/data is absent')
def test_numbers_agree_with_ljspeech_human_normalization():
    """LJSpeech's third column is its text normalized by people; our cleaners give the same result."""
    n = 0
    for meta in sorted(LJ.glob('*/metadata.csv')):
        for line in meta.read_text(encoding='utf-8').splitlines():
            _id, text, normalized = line.split('|')
            assert english_cleaners(text) == english_cleaners(normalized), _id
            assert encode_text(text)['unknown'] == []
            n += 1
    assert n > 0


CORPUS = json.loads((REPO / 'shared' / 'text' / 'testdata' / 'parity_corpus.json').read_text(encoding='utf-8'))


def test_machine_made_parity_corpus():
    """400 seeded random mixes of tricky shapes (shared/text/parityCorpus.spec.ts): byte-identical results."""
    mismatches = []
    for e in CORPUS:
        enc = encode_text(e['input'], unknown='drop')
        got = {'normalized': normalize_text(e['input']), 'cleaned': english_cleaners(e['input']),
               'ids': enc['ids'], 'unknown': [u['symbol'] for u in enc['unknown']]}
        want = {k: e[k] for k in got}
        if got != want:
            mismatches.append((e['input'], {k: (want[k], got[k]) for k in got if got[k] != want[k]}))
        assert english_cleaners(got['cleaned']) == got['cleaned'], e['input']
    assert len(CORPUS) >= 400
    assert not mismatches, f'{len(mismatches)} mismatches, first: {mismatches[:3]}'
