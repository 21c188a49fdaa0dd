/** Plain-text helpers of the chat and mail formats: whitespace, excerpts and truncation that never splits a character. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The ellipsis a truncated text ends with (one UTF-16 unit). */
export const ellipsis = '…';

/**
 * `text` cut to at most `max` UTF-16 units (what JavaScript's length counts; Slack and Discord count characters,
 * never more than that), ending with an ellipsis when cut. Cuts fall between graphemes, so an emoji (surrogate
 * pairs, ZWJ sequences) is never broken in half. Only the first `max` units are segmented, whatever the length.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const room = max - ellipsis.length;
  let end = 0;
  for (const { index, segment } of segmenter.segment(text.slice(0, max + 1))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return text.slice(0, end).trimEnd() + ellipsis;
}

/** One line: every run of whitespace (newlines included) becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * An excerpt of user text (a post or comment body): tags stripped when it is HTML, at most two line breaks in a
 * row, cut to `max`. The body itself can be 64 KB; only its head is looked at.
 */
export function excerpt(text: string, max: number): string {
  const head = text.slice(0, max * 4 + 64);
  const plain = head
    .replace(/<\/(p|div|li|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]{0,500}>/g, '')
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(plain, max);
}

/**
 * `plain` escaped by `escape` and at most `max` units long: the plain text is cut before escaping (so a cut never
 * lands inside `&amp;` or after a lone backslash), shorter each round while the escaped form is still too long.
 */
export function escapeWithin(plain: string, max: number, escape: (text: string) => string): string {
  let budget = max;
  let out = escape(truncate(plain, budget));
  while (out.length > max && budget > 0) {
    budget = Math.min(budget - 1, Math.floor((budget * max) / out.length));
    out = escape(truncate(plain, budget));
  }
  return out;
}
