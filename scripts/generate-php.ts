/**
 * Writes wp-plugin/generated/contracts.php from shared/: routes, hooks, error codes, event names, the shared-secret
 * rule and the inbox table. `--check` exits 1 when the file on disk is stale instead of writing it.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { errorCodes } from '../shared/errors.ts';
import { eventCatalogue } from '../shared/events.ts';
import { hooks, type HookSpec } from '../shared/hooks.ts';
import { inboxLimits } from '../shared/limits.ts';
import {
  ownRestNamespace,
  restNamespace,
  routes,
  sidecarHeaders,
  sidecarRoutes,
  type RouteSpec,
} from '../shared/routes.ts';
import { sharedSecretRule } from '../shared/shared-secret.ts';
import { loopGuard, siteSignature, webhookDisabledNotice } from '../shared/site-calls.ts';
import { userAgent, version } from '../shared/version.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const contractsPath = `${root}wp-plugin/generated/contracts.php`;

/** A PHP literal for a JSON-like value, in WordPress's array() style. */
function php(value: unknown, depth = 1): string {
  const pad = '\t'.repeat(depth);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'array()';
    return `array(\n${value.map((v) => `${pad}${php(v, depth + 1)},\n`).join('')}${'\t'.repeat(depth - 1)})`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return 'array()';
  const body = entries.map(([k, v]) => `${pad}${php(k)} => ${php(v, depth + 1)},\n`).join('');
  return `array(\n${body}${'\t'.repeat(depth - 1)})`;
}

/** WordPress route regex for a Hono path: `/a/:id` → `/a/(?P<id>\d+)`. */
const wpPath = (path: string) => path.replace(/:([a-z_]+)/g, '(?P<$1>\\d+)');

/** Each body or query field with its JSON type and description, for WordPress's route index. */
function routeArgs(route: RouteSpec): Record<string, { type: string; description: string }> {
  const args: Record<string, { type: string; description: string }> = {};
  for (const schema of [route.query, route.body]) {
    if (!schema) continue;
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { type?: string; anyOf?: { type?: string }[]; description?: string }>;
    };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      // A nullable field is `anyOf: [{type}, {type: 'null'}]`: its type is the one that is not null.
      const type = prop.type ?? prop.anyOf?.find((t) => t.type && t.type !== 'null')?.type ?? 'string';
      args[name] = { type, description: prop.description ?? '' };
    }
  }
  return args;
}

/** WordPress REST `args` of a zod object: JSON type, description, bounds and whether it is required. */
function restArgs(schema: z.ZodType): Record<string, Record<string, unknown>> {
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const keep = ['type', 'description', 'minimum', 'maximum', 'minLength', 'maxLength'];
  return Object.fromEntries(
    Object.entries(json.properties ?? {}).map(([name, prop]) => [
      name,
      {
        ...Object.fromEntries(keep.filter((k) => k in prop).map((k) => [k, prop[k]])),
        required: json.required?.includes(name) ?? false,
      },
    ]),
  );
}

/** The calls of the sidecar to the site (shared/site-calls.ts). */
function siteCalls() {
  return {
    tolerance_seconds: siteSignature.toleranceSeconds,
    signature_pattern: `/${siteSignature.pattern}/D`,
    loop_guard: { header: loopGuard.header, purpose: loopGuard.purpose },
    webhook_disabled: {
      method: webhookDisabledNotice.method,
      path: webhookDisabledNotice.path,
      header: webhookDisabledNotice.header,
      purpose: webhookDisabledNotice.purpose,
      args: restArgs(webhookDisabledNotice.body),
    },
  };
}

function inboxDdl(): string {
  const sql = readFileSync(`${root}sidecar/src/db/migrations/001_init.sql`, 'utf8');
  const match = /CREATE TABLE IF NOT EXISTS \{prefix\}fcwh_inbox \([\s\S]*?\) ENGINE=[^;]*;/.exec(sql);
  if (!match) throw new Error('001_init.sql has no fcwh_inbox table');
  return match[0].replace(/\s+/g, ' ');
}

export function renderContracts(): string {
  const contracts = {
    version,
    namespaces: { shared: restNamespace, own: ownRestNamespace },
    routes: Object.entries(routes as Record<string, RouteSpec>).map(([name, route]) => ({
      name,
      method: route.method,
      wp_path: wpPath(route.path),
      sidecar_path: route.path.replace(/:([a-z_]+)/g, '{$1}'),
      params: [...route.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]),
      timeout: route.timeoutSeconds,
      summary: route.summary,
      args: routeArgs(route),
    })),
    sidecar: {
      ingest: sidecarRoutes.ingest.path,
      wake: sidecarRoutes.wake.path,
      health: sidecarRoutes.health.path,
      ready: sidecarRoutes.ready.path,
      auth_header: sidecarHeaders.auth,
      acting_user_header: sidecarHeaders.actingUser,
      user_agent: userAgent,
    },
    site_calls: siteCalls(),
    hooks: Object.entries(hooks as Record<string, HookSpec>).map(([hook, spec]) => ({
      hook,
      accepted_args: spec.args,
      forward: spec.forward ?? [...Array(spec.args).keys()],
      once_per_request: spec.oncePerRequest ?? false,
      before: spec.before ? { hook: spec.before.hook, keep: [...spec.before.keep] } : null,
    })),
    errors: errorCodes,
    shared_secret: sharedSecretRule,
    events: Object.fromEntries(
      Object.entries(eventCatalogue).map(([name, spec]) => [name, spec.description]),
    ),
    inbox: {
      table: 'fcwh_inbox',
      ddl: inboxDdl(),
      max_args_bytes: inboxLimits.maxArgsBytes,
      max_elements: inboxLimits.maxElements,
    },
  };
  return [
    '<?php',
    '/**',
    ' * Contracts generated from shared/ by scripts/generate-php.ts. Do not edit: run `npm run generate`.',
    ' *',
    ' * @package FluentCommunityWebhooks',
    ' */',
    '',
    'declare(strict_types=1);',
    '',
    "defined( 'ABSPATH' ) || exit;",
    '',
    `return ${php(contracts)};`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rendered = renderContracts();
  if (process.argv.includes('--check')) {
    const current = existsSync(contractsPath) ? readFileSync(contractsPath, 'utf8') : '';
    if (current !== rendered) {
      console.error('wp-plugin/generated/contracts.php is stale: run `npm run generate` and commit it.');
      process.exit(1);
    }
    console.log('wp-plugin/generated/contracts.php is up to date.');
  } else {
    writeFileSync(contractsPath, rendered);
    console.log(`wrote ${contractsPath}`);
  }
}
