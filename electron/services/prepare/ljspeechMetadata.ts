import { cleanTranscript, decodeTextBytes, stripControlCharacters } from './transcripts';

/**
 * LJSpeech's metadata.csv: UTF-8, no header, one line per clip, `id|raw text|normalized text`
 * (older or hand-made sets have only `id|text`). No quoting: `|` never appears inside a field.
 */

export interface MetadataEntry {
  id: string;
  text: string;
  normalized: string | null;
}

export interface ParsedMetadata {
  entries: Map<string, MetadataEntry>;
  warnings: string[];
}

export function parseMetadataCsv(bytes: Uint8Array, name = 'metadata.csv'): ParsedMetadata {
  const decoded = decodeTextBytes(bytes, name);
  const warnings = [...decoded.warnings];
  const entries = new Map<string, MetadataEntry>();
  decoded.text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const fields = line.split('|');
    if (fields.length < 2) {
      warnings.push(`${name}:${i + 1}: expected "id|text|normalized text", found no "|"; line ignored`);
      return;
    }
    const id = fields[0].trim();
    // More than 3 fields means a stray "|" inside the text: keep it as text (cleaned below).
    const rawText = fields.length > 3 ? fields.slice(1, fields.length - 1).join('|') : fields[1];
    const cleaned = cleanTranscript(rawText, `${name}:${i + 1}`);
    warnings.push(...cleaned.warnings);
    if (entries.has(id)) warnings.push(`${name}:${i + 1}: id "${id}" appears twice; the last line wins`);
    entries.set(id, { id, text: cleaned.text, normalized: fields.length >= 3 ? fields[fields.length - 1].trim() : null });
  });
  return { entries, warnings };
}

/**
 * Removes what cannot be inside a field (separator, line breaks) and what is not text (control
 * characters: a transcript stored before they were refused at import must not carry them into the export).
 */
export function metadataField(s: string): string {
  return stripControlCharacters(s, '').text.replace(/[|\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

export function formatMetadataLine(id: string, text: string, normalized: string): string {
  return `${id}|${metadataField(text)}|${metadataField(normalized)}\n`;
}
