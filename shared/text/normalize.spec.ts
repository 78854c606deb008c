// Hand-written expectations for each normalization rule (independent of testdata/sentences.json).
import { describe, expect, it } from 'vitest';
import { cardinalWords, ordinalWords, yearWords } from './numberWords';
import { normalizeText } from './normalize';
import { basicCleaners, englishCleaners, transliterationCleaners } from './cleaners';
import { romanValue } from './roman';

describe('number words', () => {
  it('cardinals, punctuated like inflect / LJSpeech', () => {
    expect(cardinalWords('0')).toBe('zero');
    expect(cardinalWords('15')).toBe('fifteen');
    expect(cardinalWords('40')).toBe('forty');
    expect(cardinalWords('101')).toBe('one hundred one');
    expect(cardinalWords('6439')).toBe('six thousand, four hundred thirty-nine');
    expect(cardinalWords('7020')).toBe('seven thousand twenty');
    expect(cardinalWords('1000020')).toBe('one million twenty');
    expect(cardinalWords('2001000')).toBe('two million, one thousand');
    expect(cardinalWords('123456789012345678901234')).toBe(
      'one hundred twenty-three sextillion, four hundred fifty-six quintillion, seven hundred eighty-nine quadrillion, ' +
        'twelve trillion, three hundred forty-five billion, six hundred seventy-eight million, nine hundred one thousand, two hundred thirty-four',
    );
    expect(cardinalWords('1'.repeat(40))).toBe(Array(40).fill('one').join(' ')); // beyond decillions: digits
  });
  it('ordinals', () => {
    expect(['1', '2', '3', '5', '8', '9', '12', '20', '21', '100', '111'].map(ordinalWords)).toEqual([
      'first', 'second', 'third', 'fifth', 'eighth', 'ninth', 'twelfth', 'twentieth', 'twenty-first', 'one hundredth', 'one hundred eleventh',
    ]);
  });
  it("years as keithito's numbers.py reads them", () => {
    expect(yearWords(1984)).toBe('nineteen eighty-four');
    expect(yearWords(1905)).toBe('nineteen oh five');
    expect(yearWords(1900)).toBe('nineteen hundred');
    expect(yearWords(2000)).toBe('two thousand');
    expect(yearWords(2007)).toBe('two thousand seven');
    expect(yearWords(2010)).toBe('twenty ten');
    expect(yearWords(1000)).toBe('one thousand');
    expect(yearWords(3000)).toBe('three thousand');
  });
  it('roman numerals: canonical I/V/X only', () => {
    expect(['II', 'IV', 'VIII', 'IX', 'XIV', 'XXXIX', 'IIII', 'VX', 'IIX'].map(romanValue)).toEqual([2, 4, 8, 9, 14, 39, null, null, null]);
  });
});

describe('normalizeText', () => {
  const cases: [string, string][] = [
    ['$3.50', 'three dollars, fifty cents'],
    ['£2.50', 'two pounds, fifty pence'],
    ['€1', 'one euro'],
    ['$12 million', 'twelve million dollars'],
    ['1st 2nd 3rd 4th 11th 12th 13th 21st 22nd', 'first second third fourth eleventh twelfth thirteenth twenty-first twenty-second'],
    ['-7', 'minus seven'],
    ['x-7', 'x-seven'],
    ['3.05', 'three point zero five'],
    ['1984', 'nineteen eighty-four'],
    ['2024', 'twenty twenty-four'],
    ['the 1960s', 'the nineteen sixties'],
    ['3:45 pm', 'three forty-five p m'],
    ['at 9:07', 'at nine oh seven'],
    ['25:61', 'twenty-five:sixty-one'], // not a time
    ['10%', 'ten percent'],
    ['Mr. Mrs. Dr. St. Co. Jr. Maj. Gen. Drs. Rev. Lt. Hon. Sgt. Capt. Esq. Ltd. Col. Ft.',
      'Mister Misess Doctor Saint Company Junior Major General Doctors Reverend Lieutenant Honorable Sergeant Captain Esquire Limited Colonel Fort.'],
    ['Mulholland Dr. at night', 'Mulholland Drive at night'],
    ['A & B', 'A and B'],
    ['5 + 5 = 10', 'five plus five equals ten'],
    ['me@home', 'me at home'],
    ['90°', 'ninety degrees'],
    ['“quoted” — dash…', '"quoted" -- dash...'],
  ];
  it.each(cases)('%j → %j', (input, expected) => expect(normalizeText(input)).toBe(expected));

  it('rejects unsupported languages', () => {
    expect(() => normalizeText('hi', 'fr' as never)).toThrow(/unsupported language/);
  });

  it('normalizes 2 000 characters instantly', () => {
    const unit = 'On Jan. 5th, 1984 at 3:45 pm Dr. Smith paid $3.50 (50%) for 1,234 items -- e.g. apples & pears. ';
    const text = unit.repeat(Math.ceil(2000 / unit.length)).slice(0, 2000);
    const t0 = performance.now();
    const out = englishCleaners(text);
    const ms = performance.now() - t0;
    expect(out).toContain('doctor smith paid three dollars, fifty cents');
    expect(ms).toBeLessThan(250); // typically a few ms; generous for a loaded CI machine
  });
});

describe('cleaners', () => {
  it('englishCleaners: ASCII, lowercase, no double quotes, trimmed', () => {
    expect(englishCleaners('  “Ça va?” asked Zoë.  ')).toBe('ca va? asked zoe.');
  });
  it('basicCleaners keeps accents and numbers', () => {
    expect(basicCleaners(' Zoë  HAS\t3 ')).toBe('zoë has 3');
  });
  it('transliterationCleaners', () => {
    expect(transliterationCleaners('Ærø  Straße')).toBe('aero strasse');
  });
});
