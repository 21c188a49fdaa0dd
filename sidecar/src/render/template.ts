/**
 * The `template` format: a Liquid template (liquidjs: no code execution, Shopify's and Jekyll's syntax) rendered
 * with the event. Includes and layouts have no file system to read from; rendering is bounded in time and memory.
 */
import { Liquid, type Template } from 'liquidjs';

/** The variables a template sees. */
export interface TemplateScope {
  event: string;
  timestamp: string;
  data: unknown;
  xprofile: unknown;
  site: { name: string; url: string };
  webhook: { id: number; name: string };
}

/** Raised when a template cannot be parsed or rendered; `message` carries liquidjs's line and column. */
export class TemplateError extends Error {}

/** At most this many characters of output: a template is a message, and a runaway loop stops here. */
export const maxOutputLength = 1_000_000;

const engine = new Liquid({
  // No file system: `{% include %}`, `{% render %}` and `{% layout %}` find nothing and fail.
  templates: {},
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 100_000,
  renderLimit: 200,
  memoryLimit: 16_000_000,
});

/**
 * `json`: always one valid JSON value, so `{"text": {{ data.title | json }}}` stays valid whatever the title holds
 * (quotes, newlines, `</script>`); an undefined variable is `null`, not the empty output liquidjs's own filter gives.
 */
engine.registerFilter('json', (value: unknown) => {
  if (value === undefined) return 'null';
  const out = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return out === undefined ? 'null' : out;
});

// Parsed templates by text; bounded, since templates change only when an admin saves one.
const cache = new Map<string, Template[]>();

/** Parses `source`, or throws TemplateError with liquidjs's reason, line and column. */
export function parseTemplate(source: string): Template[] {
  const hit = cache.get(source);
  if (hit) return hit;
  let parsed: Template[];
  try {
    parsed = engine.parse(source);
  } catch (error) {
    throw new TemplateError((error as Error).message);
  }
  if (cache.size >= 200) cache.delete(cache.keys().next().value!);
  cache.set(source, parsed);
  return parsed;
}

export function renderTemplate(source: string, scope: TemplateScope): string {
  const parsed = parseTemplate(source);
  let out: unknown;
  try {
    out = engine.renderSync(parsed, scope);
  } catch (error) {
    throw new TemplateError((error as Error).message);
  }
  const text = String(out);
  if (text.length > maxOutputLength)
    throw new TemplateError(`The template's output is longer than ${maxOutputLength} characters.`);
  return text;
}
