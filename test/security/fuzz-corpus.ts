/**
 * Malformed and hostile requests for the management API, each of which must be refused (4xx) without changing
 * anything stored. Sent straight at the sidecar by test/security/fuzz.test.ts and, through WordPress, by the e2e
 * suite. Every case is invalid in its content too, not only in its encoding, so that a server that parses the
 * request differently (WordPress reads form bodies and `_method`) still has nothing valid to act on.
 */
import type { ErrorCode } from '../../shared/errors.ts';
import { fieldErrorCodes } from '../../shared/schemas.ts';
import { blockedUrls, invalidUrls } from './ssrf-targets.ts';

export interface FuzzCase {
  /** What the case does, unique within the corpus. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The sidecar's path; `{id}` stands for an existing webhook's id. WordPress serves it under /wp-json/<ns>. */
  path: string;
  /** Raw query string, without `?`. */
  query?: string;
  /** Extra request headers (the runner adds authorization and `content-type: application/json` unless given). */
  headers?: Record<string, string>;
  /** The raw body, exactly as sent. */
  body?: string | Uint8Array;
  /** The sidecar's answer: status and error code. Through WordPress only "some 4xx" is promised. */
  status: number;
  code: ErrorCode;
  /** Cases about the sidecar's own surface (its shared-secret auth, event ingest), meaningless through WordPress. */
  sidecarOnly?: true;
}

export interface CorpusOptions {
  /** The sidecar's shared secret, for near-miss authorization headers. */
  secret: string;
  /** The request body limit (FCWH_MAX_BODY_BYTES). */
  maxBodyBytes: number;
}

type Json = unknown;
/** A field mutation: field, value (`undefined` = left out), label. */
type Mutation = [field: string, value: Json, label: string];

const valid = { name: 'Fuzz', url: 'https://example.com/hook', events: ['feed.created'] };
/** Which code each webhook field's failure answers: the contract's own table (shared/schemas.ts). */
const fieldCodes = fieldErrorCodes;

const manyHeaders = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));

const mutations: Mutation[] = [
  ['name', undefined, 'missing'],
  ['name', '', 'empty'],
  ['name', '   \t ', 'blank'],
  ['name', 'x'.repeat(192), '192 characters'],
  ['name', 42, 'a number'],
  ['name', null, 'null'],
  ['name', true, 'a boolean'],
  ['name', ['Fuzz'], 'an array'],
  ['name', { first: 'Fuzz' }, 'an object'],
  ['url', undefined, 'missing'],
  ['url', '', 'empty'],
  ['url', 'example.com/hook', 'without a scheme'],
  ['url', '//example.com/hook', 'scheme-relative'],
  ['url', 'javascript:alert(1)', 'javascript:'],
  ['url', 'data:text/plain,hello', 'data:'],
  ['url', 'ftp://example.com/hook', 'ftp:'],
  ['url', 'https://', 'without a host'],
  ['url', 'https://exa mple.com/', 'with a space in the host'],
  ['url', 'https://exa\u0000mple.com/', 'with NUL in the host'],
  ['url', 'https://example.com:99999/', 'with port 99999'],
  ['url', 'https://[::1/', 'with an unclosed bracket'],
  ['url', 'https://example.com/hook#fragment', 'with a fragment'],
  ['url', `https://example.com/${'a'.repeat(2048)}`, 'longer than 2048 characters'],
  ['url', 42, 'a number'],
  ['url', null, 'null'],
  ['url', ['https://example.com/hook'], 'an array'],
  ['events', undefined, 'missing'],
  ['events', [], 'empty'],
  ['events', 'feed.created', 'a string'],
  ['events', ['no.such_event'], 'unknown'],
  ['events', ['FEED.CREATED'], 'in the wrong case'],
  ['events', ['feed.created '], 'with a trailing space'],
  ['events', ['feed.*'], 'a partial wildcard'],
  ['events', ['*', 'nope'], 'the wildcard and an unknown event'],
  ['events', [1], 'a number'],
  ['events', [null], 'null inside'],
  ['events', null, 'null'],
  ['events', { 0: 'feed.created' }, 'an object'],
  ['events', Array(101).fill('feed.created'), '101 entries'],
  ['events', ['feed.created'.padEnd(65, 'x')], 'a 65-character name'],
  ['events', ["feed.created' OR '1'='1"], 'an SQL fragment'],
  ['status', 'ACTIVE', 'in capitals'],
  ['status', 'deleted', 'unknown'],
  ['status', '', 'empty'],
  ['status', 1, 'a number'],
  ['status', null, 'null'],
  ['status', ['active'], 'an array'],
  ['secret', 'short', 'too short'],
  ['secret', 'has spaces in it 0123456789', 'with spaces'],
  ['secret', 'x'.repeat(256), '256 characters'],
  ['secret', 'sécret-sécret-sécret', 'non-ASCII'],
  ['secret', 'line\nbreak-0123456789', 'with a line break'],
  ['secret', 1234567890123456, 'a number'],
  ['secret', null, 'null'],
  ['headers', [], 'an array'],
  ['headers', 'X-A: b', 'a string'],
  ['headers', 1, 'a number'],
  ['headers', null, 'null'],
  ...[
    'Host',
    'host',
    'Content-Length',
    'Transfer-Encoding',
    'Connection',
    'Upgrade',
    'TE',
    'Expect',
    'Proxy-Authorization',
    'User-Agent',
    'X-Fluent-Signature',
    'X-Fluent-Signature-Previous',
    'X-Fluent-Event',
    'X-Fluent-Webhook-Id',
    'Webhook-Id',
    'Webhook-Timestamp',
    'webhook-signature',
  ].map((name): Mutation => ['headers', { [name]: 'forged' }, `overriding ${name}`]),
  ['headers', { 'Content-Type': 'text/plain' }, 'a non-JSON Content-Type'],
  ['headers', { 'X-A': 'a\r\nX-Injected: 1' }, 'a CRLF in a value'],
  ['headers', { 'X-A': 'a\nX-Injected: 1' }, 'an LF in a value'],
  ['headers', { 'X-A': 'a\rb' }, 'a CR in a value'],
  ['headers', { 'X-A': 'a\u0000b' }, 'NUL in a value'],
  ['headers', { 'X-A': 'tea ☕' }, 'a value beyond Latin-1'],
  ['headers', { 'X-A': 'x'.repeat(1025) }, 'a 1025-character value'],
  ['headers', { 'Bad Name': 'x' }, 'a space in a name'],
  ['headers', { 'X-A:': 'x' }, 'a colon in a name'],
  ['headers', { '': 'x' }, 'an empty name'],
  ['headers', { 'X-Ü': 'x' }, 'a non-ASCII name'],
  ['headers', { 'X-A\r\nX-B': 'x' }, 'a CRLF in a name'],
  ['headers', { ['X'.repeat(65)]: 'x' }, 'a 65-character name'],
  ['headers', { 'X-A': 1 }, 'a number value'],
  ['headers', { 'X-A': null }, 'a null value'],
  ['headers', { 'X-A': ['a'] }, 'an array value'],
  ['headers', { 'X-A': 'a', 'x-a': 'b' }, 'a name given twice'],
  ['headers', manyHeaders, '21 headers'],
  ['retry_count', -1, 'negative'],
  ['retry_count', 11, 'above 10'],
  ['retry_count', 1.5, 'a fraction'],
  ['retry_count', '3', 'a string'],
  ['retry_count', null, 'null'],
  ['retry_count', true, 'a boolean'],
  ['retry_count', [3], 'an array'],
  ['retry_count', 2 ** 53, '2^53'],
];

const json = (value: Json) => JSON.stringify(value);
const withField = (base: Record<string, Json>, field: string, value: Json) => {
  const body = { ...base };
  if (value === undefined) delete body[field];
  else body[field] = value;
  return body;
};

/** Bodies that are not JSON, or not a JSON object, each with the code the sidecar answers. */
function malformedBodies(): [string, string | Uint8Array, ErrorCode][] {
  const invalidUtf8 = Buffer.concat([
    Buffer.from('{"name":"'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('","url":"ftp://x","events":[]}'),
  ]);
  return [
    ['an unterminated object', '{', 'invalid_json'],
    ['a lone closing brace', '}', 'invalid_json'],
    ['a truncated member', '{"name":', 'invalid_json'],
    ['a trailing comma', '{"name":"x",}', 'invalid_json'],
    ['single quotes', "{'name':'x'}", 'invalid_json'],
    ['two objects', '{"a":1}{"b":2}', 'invalid_json'],
    ['NaN', '{"retry_count": NaN}', 'invalid_json'],
    ['Infinity', '{"retry_count": Infinity}', 'invalid_json'],
    ['a hex number', '{"retry_count": 0x10}', 'invalid_json'],
    ['a leading zero', '{"retry_count": 01}', 'invalid_json'],
    ['a comment', '{"name":"x" /* c */}', 'invalid_json'],
    ['an unquoted key', '{name:"x"}', 'invalid_json'],
    ['a raw control character', '{"name":"a\u0001b"}', 'invalid_json'],
    ['a NUL byte', '\u0000', 'invalid_json'],
    ['a byte-order mark before broken JSON', '\ufeff{"name":', 'invalid_json'],
    ['nul', 'nul', 'invalid_json'],
    ['undefined', 'undefined', 'invalid_json'],
    ['100 000 nested arrays, unclosed', '['.repeat(100_000), 'invalid_json'],
    ['an unclosed string of a megabyte', `{"name":"${'x'.repeat(200_000)}`, 'invalid_json'],
    ['invalid UTF-8 inside a string', invalidUtf8, 'invalid_url'],
    ['an array', '[]', 'invalid_body'],
    ['an array of the valid object', `[${json(valid)}]`, 'invalid_body'],
    ['a string', '"webhook"', 'invalid_body'],
    ['a number', '42', 'invalid_body'],
    ['null', 'null', 'invalid_body'],
    ['true', 'true', 'invalid_body'],
    [
      '__proto__ smuggling the fields',
      json({ ['__proto__']: valid }).replace('"__proto__"', '"__proto__"'),
      'invalid_name',
    ],
    ['constructor.prototype smuggling', '{"constructor":{"prototype":{"name":"x"}}}', 'invalid_name'],
    ['10 000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 'invalid_name'],
    [
      'a duplicate key whose last value is invalid',
      `{"name":"ok","url":"https://example.com/","events":["feed.created"],"name":""}`,
      'invalid_name',
    ],
    [
      'an escaped lone surrogate and a bad URL',
      '{"name":"\\ud800","url":"ftp://x","events":["feed.created"]}',
      'invalid_url',
    ],
  ];
}

function createCases(): FuzzCase[] {
  const cases: FuzzCase[] = mutations.map(([field, value, label]) => ({
    name: `create: ${field} ${label}`,
    method: 'POST',
    path: '/admin/webhooks',
    body: json(withField(valid, field, value)),
    status: 400,
    code: fieldCodes[field]!,
  }));
  for (const { label, url } of blockedUrls(443))
    cases.push({
      name: `create: URL to ${label}`,
      method: 'POST',
      path: '/admin/webhooks',
      body: json({ ...valid, url }),
      status: 400,
      code: 'url_not_allowed',
    });
  for (const { label, url } of invalidUrls(443))
    cases.push({
      name: `create: URL with ${label}`,
      method: 'POST',
      path: '/admin/webhooks',
      body: json({ ...valid, url }),
      status: 400,
      code: 'invalid_url',
    });
  for (const [label, body, code] of malformedBodies()) {
    cases.push({
      name: `create: body is ${label}`,
      method: 'POST',
      path: '/admin/webhooks',
      body,
      status: 400,
      code,
    });
  }
  return cases;
}

/** Update: every present invalid value (update ignores `secret`, and a left-out field is not a mutation). */
function updateCases(): FuzzCase[] {
  const cases: FuzzCase[] = mutations
    .filter(([field, value]) => field !== 'secret' && value !== undefined)
    .map(([field, value, label]) => ({
      name: `update: ${field} ${label}`,
      method: 'PUT',
      path: '/admin/webhooks/{id}',
      body: json({ name: 'Renamed by fuzz', [field]: value }),
      status: 400,
      code: fieldCodes[field]!,
    }));
  for (const { label, url } of blockedUrls(443).slice(0, 20))
    cases.push({
      name: `update: URL to ${label}`,
      method: 'PUT',
      path: '/admin/webhooks/{id}',
      body: json({ name: 'Renamed by fuzz', url }),
      status: 400,
      code: 'url_not_allowed',
    });
  for (const [label, body, code] of malformedBodies().filter(([, , code]) => code !== 'invalid_name'))
    cases.push({
      name: `update: body is ${label}`,
      method: 'PUT',
      path: '/admin/webhooks/{id}',
      body,
      status: 400,
      code,
    });
  return cases;
}

function contentTypeCases(): FuzzCase[] {
  const post = (name: string, type: string, body: string, status: number, code: ErrorCode): FuzzCase => ({
    name: `create: ${name}`,
    method: 'POST',
    path: '/admin/webhooks',
    headers: { 'content-type': type },
    body,
    status,
    code,
  });
  return [
    post(
      'a form body',
      'application/x-www-form-urlencoded',
      'name=x&url=ftp%3A%2F%2Fx&events[]=nope',
      415,
      'unsupported_media_type',
    ),
    post(
      'a multipart body',
      'multipart/form-data; boundary=b',
      '--b\r\nContent-Disposition: form-data; name="url"\r\n\r\nftp://x\r\n--b--\r\n',
      415,
      'unsupported_media_type',
    ),
    post(
      'an XML body',
      'application/xml',
      '<webhook><url>ftp://x</url></webhook>',
      415,
      'unsupported_media_type',
    ),
    post('plain text', 'text/plain', 'url=ftp://x', 415, 'unsupported_media_type'),
    post(
      'broken JSON declared as UTF-16',
      'application/json; charset=utf-16',
      '{"url":',
      400,
      'invalid_json',
    ),
    post('broken JSON declared as vendor JSON', 'application/vnd.api+json', '{"url":', 400, 'invalid_json'),
  ];
}

function queryCases(): FuzzCase[] {
  const list = (query: string, label: string): FuzzCase => ({
    name: `list: ${label}`,
    method: 'GET',
    path: '/admin/webhooks',
    query,
    status: 400,
    code: 'rest_invalid_param',
  });
  return [
    list('page=0', 'page 0'),
    list('page=-1', 'a negative page'),
    list('page=abc', 'a word for a page'),
    list('page=1e3', 'an exponent page'),
    list('page=1.5', 'a fractional page'),
    list('page=9999999999', 'a ten-digit page'),
    list('page=', 'an empty page'),
    list('page=%', 'a lone percent sign'),
    list("page=1'%20OR%20'1'%3D'1", 'an SQL fragment as page'),
    list('per_page=0', 'per_page 0'),
    list('per_page=101', 'per_page 101'),
    list('per_page=-5', 'a negative per_page'),
    list('per_page=10%00', 'NUL after per_page'),
    { ...list('status=deleted', 'an unknown status'), code: 'invalid_status' },
    { ...list('status=ACTIVE', 'a status in capitals'), code: 'invalid_status' },
    { ...list('status=', 'an empty status'), code: 'invalid_status' },
    list('event=nope', 'an unknown event'),
    list("event=feed.created'%20OR%201%3D1", 'an SQL fragment as event'),
    list(`search=${'a'.repeat(192)}`, 'a 192-character search'),
    {
      name: 'list deliveries: per_page 101',
      method: 'GET',
      path: '/admin/webhooks/{id}/deliveries',
      query: 'per_page=101',
      status: 400,
      code: 'rest_invalid_param',
    },
    {
      name: 'list deliveries: an unknown status',
      method: 'GET',
      path: '/admin/webhooks/{id}/deliveries',
      query: 'status=exploded',
      status: 400,
      code: 'invalid_status',
    },
  ];
}

/** Ids that are not ids (never a percent-encoded digit: that would decode to a real id). */
const badIds = [
  '0',
  '-1',
  '00',
  '01',
  'abc',
  '1.0',
  '1e3',
  '0x1',
  '99999999999999999999',
  '1%20OR%201%3D1',
  "1'",
  '1;DROP%20TABLE%20wp_fcwh_webhooks',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
];

function idCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const id of badIds) {
    cases.push({
      name: `get id "${id}"`,
      method: 'GET',
      path: `/admin/webhooks/${id}`,
      status: 404,
      code: 'not_found',
    });
    cases.push({
      name: `delete id "${id}"`,
      method: 'DELETE',
      path: `/admin/webhooks/${id}`,
      status: 404,
      code: 'not_found',
    });
    cases.push({
      name: `update id "${id}"`,
      method: 'PUT',
      path: `/admin/webhooks/${id}`,
      body: json({ name: 'Renamed by fuzz' }),
      status: 404,
      code: 'not_found',
    });
  }
  const missing = '987654321';
  for (const action of ['test', 'rotate-secret'])
    cases.push({
      name: `${action} on a missing webhook`,
      method: 'POST',
      path: `/admin/webhooks/${missing}/${action}`,
      status: 404,
      code: 'not_found',
    });
  cases.push(
    {
      name: 'delete a missing webhook',
      method: 'DELETE',
      path: `/admin/webhooks/${missing}`,
      status: 404,
      code: 'not_found',
    },
    {
      name: 'a missing delivery',
      method: 'GET',
      path: '/admin/webhooks/{id}/deliveries/987654321',
      status: 404,
      code: 'delivery_not_found',
    },
    {
      name: 'a delivery id that is not one',
      method: 'GET',
      path: '/admin/webhooks/{id}/deliveries/abc',
      status: 404,
      code: 'delivery_not_found',
    },
    {
      name: 'redeliver a missing delivery',
      method: 'POST',
      path: '/admin/webhooks/{id}/deliveries/987654321/redeliver',
      status: 404,
      code: 'delivery_not_found',
    },
  );
  return cases;
}

function replayCases(): FuzzCase[] {
  const replay = (label: string, body: string, code: ErrorCode = 'rest_invalid_param'): FuzzCase => ({
    name: `replay: ${label}`,
    method: 'POST',
    path: '/admin/webhooks/{id}/replay',
    body,
    status: 400,
    code,
  });
  return [
    replay('no since', '{}'),
    replay('since in words', json({ since: 'yesterday' })),
    replay('since a number', json({ since: 1705312200 })),
    replay('since an SQL fragment', json({ since: "2024-01-01' OR '1'='1" })),
    replay('since month 13', json({ since: '2024-13-01 00:00:00' })),
    replay('since day 45', json({ since: '2024-02-45' })),
    replay('since hour 25', json({ since: '2024-01-15 25:00:00' })),
    replay('since the zero date', json({ since: '0000-00-00 00:00:00' })),
    replay('until in words', json({ since: '2024-01-01', until: 'tomorrow' })),
    replay('a malformed body', '{"since":', 'invalid_json'),
  ];
}

function routeCases(): FuzzCase[] {
  const missing = (method: FuzzCase['method'], path: string, label: string): FuzzCase => ({
    name: `no route: ${label}`,
    method,
    path,
    status: 404,
    code: 'route_not_found',
  });
  return [
    missing('PATCH', '/admin/webhooks/{id}', 'PATCH a webhook'),
    missing('DELETE', '/admin/webhooks', 'DELETE the collection'),
    missing('PUT', '/admin/webhooks', 'PUT the collection'),
    missing('POST', '/admin/webhooks/{id}', 'POST to a webhook'),
    missing('GET', '/admin/webhooks/{id}/rotate-secret', 'GET rotate-secret'),
    missing('GET', '/admin/webhooks/{id}/test', 'GET test'),
    missing('POST', '/admin/webhooks/{id}/unknown', 'an unknown action'),
    missing('GET', '/admin', 'the admin root'),
    missing('GET', '/admin/webhooks/{id}/deliveries/1/2/3', 'a path too deep'),
  ];
}

/** The sidecar's own surface: its shared secret and event ingest. */
function sidecarCases({ secret }: CorpusOptions): FuzzCase[] {
  const auth = (label: string, value: string | null): FuzzCase => ({
    name: `auth: ${label}`,
    method: 'POST',
    path: '/admin/webhooks',
    headers: value === null ? { authorization: '' } : { authorization: value },
    body: json(valid),
    status: 401,
    code: 'unauthorized',
    sidecarOnly: true,
  });
  // Ingest answers invalid_event_payload for any problem with the hand-over body.
  const ingest = (label: string, body: string, code: ErrorCode = 'invalid_event_payload'): FuzzCase => ({
    name: `ingest: ${label}`,
    method: 'POST',
    path: '/events',
    body,
    status: 400,
    code,
    sidecarOnly: true,
  });
  const call = { hook: 'fluent_community/feed/deleted', args: ['9'], occurred_at: '2024-01-15 10:30:00' };
  return [
    auth('none', null),
    auth('a wrong secret', 'Bearer wrong-secret'),
    auth('the secret with one more character', `Bearer ${secret}x`),
    auth('the secret minus its last character', `Bearer ${secret.slice(0, -1)}`),
    auth('the secret in lower-case bearer', `bearer ${secret}`),
    auth('the secret with two spaces', `Bearer  ${secret}`),
    auth('the secret without the scheme', secret),
    auth('the secret as Basic auth', `Basic ${Buffer.from(`admin:${secret}`).toString('base64')}`),
    auth('the secret upper-cased', `Bearer ${secret.toUpperCase()}`),
    auth('an 8 KB token', `Bearer ${'x'.repeat(8192)}`),
    {
      name: 'method override header cannot turn a POST into a DELETE',
      method: 'POST',
      path: '/admin/webhooks/{id}',
      headers: { 'x-http-method-override': 'DELETE' },
      status: 404,
      code: 'route_not_found',
      sidecarOnly: true,
    },
    {
      name: '_method cannot turn a POST into a DELETE',
      method: 'POST',
      path: '/admin/webhooks/{id}',
      query: '_method=DELETE',
      status: 404,
      code: 'route_not_found',
      sidecarOnly: true,
    },
    ingest('an empty object', '{}'),
    ingest('no events', json({ events: [] })),
    ingest('events as a string', json({ events: 'feed.created' })),
    ingest('an empty call', json({ events: [{}] })),
    ingest('an empty hook name', json({ events: [{ ...call, hook: '' }] })),
    ingest('a 192-character hook name', json({ events: [{ ...call, hook: 'x'.repeat(192) }] })),
    ingest('arguments as an object', json({ events: [{ ...call, args: { 0: '9' } }] })),
    ingest('nine arguments', json({ events: [{ ...call, args: Array(9).fill('9') }] })),
    ingest('a negative actor', json({ events: [{ ...call, actor_id: -1 }] })),
    ingest('a time in words', json({ events: [{ ...call, occurred_at: 'now' }] })),
    ingest('a 65-character request id', json({ events: [{ ...call, request_id: 'r'.repeat(65) }] })),
    ingest('1001 calls', json({ events: Array(1001).fill(call) })),
    ingest('malformed JSON', '{"events":[', 'invalid_json'),
  ];
}

/** Requests that must answer 413, built to the configured limit. */
function sizeCases({ maxBodyBytes }: CorpusOptions): FuzzCase[] {
  const oversized = json({ ...valid, url: 'ftp://x', name: 'x'.repeat(maxBodyBytes) });
  return [
    {
      name: 'create: a body one byte over the limit',
      method: 'POST',
      path: '/admin/webhooks',
      body: oversized.slice(0, maxBodyBytes + 1),
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'create: a body four times the limit',
      method: 'POST',
      path: '/admin/webhooks',
      body: oversized + ' '.repeat(3 * maxBodyBytes),
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'update: a body over the limit',
      method: 'PUT',
      path: '/admin/webhooks/{id}',
      body: oversized,
      status: 413,
      code: 'payload_too_large',
    },
  ];
}

/** Hostile request headers on otherwise invalid requests: none may change the outcome. */
function headerCases(): FuzzCase[] {
  const bad = json({ ...valid, url: 'ftp://x' });
  const post = (label: string, headers: Record<string, string>): FuzzCase => ({
    name: `create with ${label}`,
    method: 'POST',
    path: '/admin/webhooks',
    headers,
    body: bad,
    status: 400,
    code: 'invalid_url',
  });
  return [
    post('an SQL fragment as acting user', { 'x-fcwh-acting-user': "1' OR '1'='1" }),
    post('a negative acting user', { 'x-fcwh-acting-user': '-1' }),
    post('an 8 KB acting user', { 'x-fcwh-acting-user': '9'.repeat(8192) }),
    post('X-Forwarded-For loopback', { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' }),
    post('a Latin-1 header value', { 'x-note': 'caf\u00e9' }),
    post('Content-Encoding gzip on a plain body', { 'content-encoding': 'gzip' }),
    post('a huge Accept', { accept: `application/json, ${'text/x-filler, '.repeat(500)}*/*` }),
  ];
}

/** The whole corpus; names are unique. */
export function fuzzCorpus(options: CorpusOptions): FuzzCase[] {
  const cases = [
    ...createCases(),
    ...updateCases(),
    ...contentTypeCases(),
    ...queryCases(),
    ...idCases(),
    ...replayCases(),
    ...routeCases(),
    ...headerCases(),
    ...sizeCases(options),
    ...sidecarCases(options),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`fuzz corpus: duplicate case name "${c.name}"`);
    seen.add(c.name);
  }
  return cases;
}
