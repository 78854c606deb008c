// The text frontend: normalization, cleaners, symbol ids, sentence and clause splitting.
export { normalizeText, type Language } from './normalize';
export { englishCleaners, basicCleaners, transliterationCleaners, cleanText, CLEANER_NAMES, type CleanerName } from './cleaners';
export { convertToAscii } from './transliterate';
export {
  DEFAULT_SYMBOL_TABLE, parseSymbolTable, symbolIds, encodeText, textToSequence, sequenceToText, TEXT_ERRORS,
  type SymbolTable, type EncodeOptions, type Encoded, type UnknownSymbol,
} from './symbols';
export { splitSentences, splitClauses, type TextSpan } from './sentences';
