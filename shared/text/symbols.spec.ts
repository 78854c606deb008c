import { describe, expect, it } from 'vitest';
import { ServiceError } from '../contract/rpc';
import { DEFAULT_SYMBOL_TABLE, encodeText, parseSymbolTable, sequenceToText, symbolIds, textToSequence } from './symbols';

describe('symbol table', () => {
  it("is NVIDIA/tacotron2's 148-symbol layout with pad 0 and no eos", () => {
    const t = DEFAULT_SYMBOL_TABLE;
    expect(t.symbols).toHaveLength(148);
    expect(t.symbols.slice(0, 12).join('')).toBe("_-!'(),.:;? ");
    expect(t.symbols[12]).toBe('A');
    expect(t.symbols[38]).toBe('a');
    expect(t.symbols[63]).toBe('z');
    expect(t.symbols[64]).toBe('@AA');
    expect(t.symbols[147]).toBe('@ZH');
    expect(symbolIds(t)).toEqual({ padId: 0, eosId: null });
  });

  it('refuses malformed tables with a stable code', () => {
    for (const bad of [null, {}, { pad: '_', symbols: [] }, { pad: 'x', symbols: ['_'] }, { pad: '_', symbols: ['_', '_'] }, { pad: '_', eos: '~', symbols: ['_'] }]) {
      expect(() => parseSymbolTable(bad)).toThrow(expect.objectContaining({ code: 'TEXT_BAD_SYMBOL_TABLE' }));
    }
  });
});

describe('textToSequence', () => {
  it('maps cleaned characters to ids (hand-computed)', () => {
    // h=45 i=46 ','=6 ' '=11 b=39 o=52 '!'=2
    expect(textToSequence('Hi, Bob!')).toEqual([45, 46, 6, 11, 39, 52, 39, 2]);
    expect(sequenceToText([45, 46, 6, 11, 39, 52, 39, 2])).toBe('hi, bob!');
  });

  it('reads ARPAbet in braces and keeps the spaces around it', () => {
    const ids = textToSequence('Turn left on {HH AW1 S S T AH0 N} Street.');
    expect(sequenceToText(ids)).toBe('turn left on {HH AW1 S S T AH0 N} street.');
    expect(ids[13]).toBe(DEFAULT_SYMBOL_TABLE.symbols.indexOf('@HH'));
    expect(encodeText('See {this}.').cleaned).toBe('see (this).');
    expect(() => textToSequence('{QQ1}')).toThrow(/\{QQ1\}/);
  });

  it('names unknown characters, or drops and lists them', () => {
    let err: unknown;
    try {
      textToSequence('Hello 世界');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('TEXT_UNKNOWN_SYMBOL');
    expect((err as ServiceError).message).toContain('U+4E16');
    const dropped = encodeText('Hello 世界', undefined, { unknown: 'drop' });
    expect(dropped.ids).toEqual([...textToSequence('Hello'), 11]);
    expect(dropped.unknown.map((u) => u.symbol)).toEqual(['世', '界']);
  });

  it('never emits the pad symbol, and appends eos only when the table has one', () => {
    expect(textToSequence('a_b', undefined, { cleaners: 'none', unknown: 'drop' })).toEqual([38, 39]);
    expect(() => textToSequence('hi', undefined, { eos: true })).toThrow(expect.objectContaining({ code: 'TEXT_NO_EOS' }));
    const withEos = parseSymbolTable({ pad: '_', eos: '~', symbols: ['_', '~', 'h', 'i'] });
    expect(textToSequence('hi', withEos, { eos: true })).toEqual([2, 3, 1]);
    expect(symbolIds(withEos)).toEqual({ padId: 0, eosId: 1 });
  });

  it('gives an empty sequence for empty text and refuses ids outside the table', () => {
    expect(textToSequence('   ')).toEqual([]);
    expect(() => sequenceToText([148])).toThrow(/outside the symbol table/);
  });
});
