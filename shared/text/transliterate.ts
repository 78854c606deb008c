// ASCII transliteration for Latin-script text (the role Unidecode plays in keithito/tacotron's
// convert_to_ascii): accents are stripped through canonical decomposition, a few letters that do not
// decompose are spelled out, typographic punctuation becomes its ASCII form. Other scripts are left
// as they are, so textToSequence can name the characters a voice cannot say instead of guessing.

const LETTERS: Record<string, string> = {
  'æ': 'ae', 'Æ': 'AE', 'œ': 'oe', 'Œ': 'OE', 'ß': 'ss', 'ẞ': 'SS', 'ø': 'o', 'Ø': 'O', 'đ': 'd', 'Đ': 'D',
  'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'Th', 'ł': 'l', 'Ł': 'L', 'ı': 'i', 'ĳ': 'ij', 'Ĳ': 'IJ', 'ŀ': 'l',
  'Ŀ': 'L', 'ħ': 'h', 'Ħ': 'H', 'ŧ': 't', 'Ŧ': 'T', 'ŋ': 'ng', 'Ŋ': 'NG', 'ſ': 's', '¡': '!', '¿': '?',
  'ﬀ': 'ff', 'ﬁ': 'fi', 'ﬂ': 'fl', 'ﬃ': 'ffi', 'ﬄ': 'ffl', 'ﬅ': 'st', 'ﬆ': 'st',
};
const LETTERS_RE = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');
const COMBINING_MARKS_RE = /[\u0300-\u036f]/g;

export function convertToAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS_RE, '')
    .replace(LETTERS_RE, (c) => LETTERS[c])
    .normalize('NFC');
}
