/**
 * The check a template passes on save: it parses, and for every event's example payload it renders, and its output
 * is valid JSON whenever the content type is JSON. Errors name the event, the reason and the line.
 */
import { parse as parseLoosely, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { examplePayload } from '../../../shared/event-docs.ts';
import { eventNames } from '../../../shared/events.ts';
import { isJsonContentType } from '../../../shared/destinations.ts';
import type { SiteInfo } from './site.ts';
import { parseTemplate, renderTemplate, TemplateError } from './template.ts';

export type TemplateVerdict =
  { ok: true } | { ok: false; code: 'invalid_template' | 'template_output_invalid'; message: string };

/** Line and column of a character offset in `text`, both from 1. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * What is wrong with `output` and where: V8's message (Node 20's names no position), and the first error's line
 * and column from jsonc-parser's scanner (JSON.parse alone decides validity; the scanner only locates the error).
 */
function jsonProblem(output: string, error: Error): string {
  const errors: ParseError[] = [];
  parseLoosely(output, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  const where = first
    ? ` (${printParseErrorCode(first.error)} at ${position(output, first.offset)} of the output)`
    : '';
  return `${error.message}${where}`;
}

export async function checkTemplate(
  source: string,
  contentType: string,
  webhook: { id: number; name: string },
  site: SiteInfo,
): Promise<TemplateVerdict> {
  try {
    parseTemplate(source);
  } catch (error) {
    return {
      ok: false,
      code: 'invalid_template',
      message: `The template does not parse: ${(error as Error).message}.`,
    };
  }
  const mustBeJson = isJsonContentType(contentType);
  for (const event of eventNames) {
    const payload = await examplePayload(event);
    let output: string;
    try {
      output = renderTemplate(source, { ...payload, site: { name: site.name, url: site.url }, webhook });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return {
        ok: false,
        code: 'invalid_template',
        message: `The template fails on ${event}: ${error.message}.`,
      };
    }
    if (!mustBeJson) continue;
    try {
      JSON.parse(output);
    } catch (error) {
      return {
        ok: false,
        code: 'template_output_invalid',
        message: `The template's output for ${event} is not valid JSON (content_type ${contentType}): ${jsonProblem(output, error as Error)}. Use the json filter for values: {{ data.title | json }}.`,
      };
    }
  }
  return { ok: true };
}
