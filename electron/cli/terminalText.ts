/**
 * User text echoed to a terminal with its control characters made visible (ESC → \x1b): a transcript
 * holding an escape sequence must not recolour, retitle or clear the user's terminal when printed.
 * Tabs and line breaks are shown too: each printed field stays on its one line.
 */
export function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it makes visible
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
