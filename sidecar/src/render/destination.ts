/**
 * A webhook's destination settings: read from its row (for rendering and for the API's answers), and resolved from
 * a create or update request against the stored row (format detection, per-format options, template checks).
 */
import {
  checkFormatOptions,
  defaultContentType,
  detectFormat,
  effectiveRateLimit,
  formats,
  type Format,
  type FormatOptions,
  type SendgridOptions,
} from '../../../shared/destinations.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import type { DestinationSettings } from '../../../shared/schemas.ts';
import type { DestinationWrite, WebhookRow } from '../db/webhooks.ts';
import { contentTypeOf, type Destination } from './render.ts';
import type { SiteInfo } from './site.ts';
import { checkTemplate } from './template-check.ts';

/** A stored format; a value this version does not know reads as `json` (the envelope is always accepted). */
export const asFormat = (v: string | null | undefined): Format =>
  (formats as readonly string[]).includes(v ?? '') ? (v as Format) : 'json';

/** The settings a row's deliveries are rendered with (a webhook row, or a claimed delivery's webhook columns). */
export function destinationOfRow(
  row: Pick<WebhookRow, 'id' | 'name' | 'format' | 'template' | 'content_type' | 'options'>,
): Destination {
  return {
    id: Number(row.id),
    name: row.name,
    format: asFormat(row.format),
    template: row.template,
    contentType: row.content_type,
    options: row.options ? (JSON.parse(row.options) as FormatOptions) : {},
  };
}

export const destinationOf = (row: WebhookRow): Destination => destinationOfRow(row);

/** The fields every answer that shows a webhook carries. */
export function destinationView(row: WebhookRow): DestinationSettings {
  const d = destinationOf(row);
  return {
    format: d.format,
    template: d.template,
    content_type: contentTypeOf(d),
    options: d.options as Record<string, unknown>,
    rate_limit: effectiveRateLimit(d.format, row.rate_limit === null ? null : Number(row.rate_limit)),
  };
}

/** The destination fields of a create or update body (validated by shared/schemas.ts). */
export interface DestinationInput {
  url?: string | undefined;
  format?: Format | undefined;
  template?: string | undefined;
  content_type?: string | undefined;
  options?: Record<string, unknown> | undefined;
  rate_limit?: number | null | undefined;
}

export class DestinationProblem extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * The destination columns to write, from a request and the stored row (none on create). The rules:
 * - the format is the one given; else, on create and while it still follows the URL (never given), the URL's;
 * - `template` and `content_type` belong to the `template` format: given with another, they are refused;
 * - options given are checked against the format; options kept from before that no longer fit a new format
 *   are dropped (a Slack display name means nothing to SendGrid);
 * - a template is checked whenever it, its content type or the format changes.
 */
export async function resolveDestination(
  input: DestinationInput,
  row: WebhookRow | null,
  site: SiteInfo,
  webhook: { id: number; name: string },
): Promise<DestinationWrite & { format: Format }> {
  const urlChanged = input.url !== undefined && input.url !== row?.url;
  const follows = row === null || Number(row.format_auto) === 1;
  const previous = row ? asFormat(row.format) : null;
  let format: Format;
  if (input.format !== undefined) format = input.format;
  else if (follows && (row === null || urlChanged)) format = detectFormat(input.url ?? row!.url);
  else format = previous!;
  const formatAuto = input.format !== undefined ? 0 : follows ? 1 : 0;

  if (format !== 'template' && input.template !== undefined)
    throw new DestinationProblem(
      'invalid_template',
      'template applies only to the template format.',
      'template',
    );
  if (format !== 'template' && input.content_type !== undefined)
    throw new DestinationProblem(
      'invalid_content_type',
      'content_type applies only to the template format (other formats set their own).',
      'content_type',
    );
  const template = input.template ?? row?.template ?? null;
  const contentType = input.content_type ?? row?.content_type ?? null;
  if (format === 'template' && template === null)
    throw new DestinationProblem(
      'invalid_template',
      'template is required when format is template.',
      'template',
    );

  let options: FormatOptions = {};
  if (input.options !== undefined) {
    const checked = checkFormatOptions(format, input.options);
    if (!checked.ok) throw new DestinationProblem('invalid_options', checked.message, 'options');
    options = checked.value;
  } else if (row?.options) {
    const kept = checkFormatOptions(format, JSON.parse(row.options));
    options = kept.ok ? kept.value : {};
  }
  if (format === 'sendgrid' && !site.adminEmail) {
    const o = options as SendgridOptions;
    if (o.to === undefined || o.from === undefined)
      throw new DestinationProblem(
        'invalid_options',
        'The site has no admin e-mail to default to: set options.to and options.from for the sendgrid format.',
        'options',
      );
  }

  const templateChanged =
    format === 'template' &&
    (previous !== 'template' || input.template !== undefined || input.content_type !== undefined);
  if (templateChanged) {
    const verdict = await checkTemplate(template!, contentType ?? defaultContentType, webhook, site);
    if (!verdict.ok) throw new DestinationProblem(verdict.code, verdict.message, 'template');
  }
  return {
    format,
    format_auto: formatAuto,
    template,
    content_type: contentType,
    options: Object.keys(options).length ? JSON.stringify(options) : null,
    rate_limit:
      input.rate_limit !== undefined
        ? input.rate_limit
        : row?.rate_limit == null
          ? null
          : Number(row.rate_limit),
  };
}
