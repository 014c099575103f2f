/**
 * A request's text as an error message quotes it: in JSON quotes, cut after a few dozen characters
 * with its length said, so a long parameter or path is named but never sent back in full.
 */
const SHOWN_CHARACTERS = 40;

export function quoteInput(text: string): string {
  if (text.length <= SHOWN_CHARACTERS) return JSON.stringify(text);
  return `${JSON.stringify(`${text.slice(0, SHOWN_CHARACTERS)}…`)} (${text.length.toLocaleString('en-US')} characters)`;
}
