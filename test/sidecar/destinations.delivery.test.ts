/**
 * Destinations through the real delivery path, to HTTPS receivers on loopback that answer as Slack, Discord and
 * SendGrid do (their published rules and error answers): every event in every format is accepted and signed over
 * the bytes sent; a permanent refusal is not retried; a deleted Discord hook disables the webhook; a 429's
 * retry_after is honoured; a paced webhook keeps its pace and order without holding up the others; a retry sends
 * the first attempt's bytes.
 */
import { createHmac } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWpUserTables } from '../../scripts/bench/seed.ts';
import { exampleCalls } from '../../shared/event-examples.ts';
import { eventNames } from '../../shared/events.ts';
import type { ReceivedRequest, ReceiverAnswer } from '../../scripts/stack/receiver.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import {
  discordProblems,
  sendgridProblems,
  slackProblems,
  teamsProblems,
} from './render/destination-rules.ts';

const h = useSidecarHarness({ env: { FCWH_RETRY_SCHEDULE: '0.05,0.1,0.1' } });

const json = (status: number, body: unknown): ReceiverAnswer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Answers as each service does (api docs and the error answers quoted in the research notes). */
function serviceAnswer(req: ReceivedRequest): ReceiverAnswer {
  const [path, query = ''] = req.path.split('?');
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    body = null;
  }
  switch (path) {
    case '/slack': {
      const p = slackProblems(body);
      if (p.includes('no_text')) return { status: 400, body: 'no_text' };
      return p.length ? { status: 400, body: 'invalid_payload' } : { status: 200, body: 'ok' };
    }
    case '/slack-refuses':
      return { status: 400, body: 'invalid_payload' };
    case '/discord': {
      const p = discordProblems(body);
      if (p.includes('Cannot send an empty message'))
        return json(400, { message: 'Cannot send an empty message', code: 50006 });
      if (p.length) return json(400, { message: 'Invalid Form Body', code: 50035, errors: p });
      return new URLSearchParams(query).get('wait') === 'true'
        ? json(200, { id: '1', type: 0 })
        : { status: 204 };
    }
    case '/discord-deleted':
      return json(404, { message: 'Unknown Webhook', code: 10015 });
    case '/teams':
      return teamsProblems(body).length ? { status: 400, body: 'Bad Request' } : { status: 202 };
    case '/sendgrid': {
      const p = sendgridProblems(body);
      return p.length ? json(400, { errors: p.map((message) => ({ message })) }) : { status: 202 };
    }
    default:
      return { status: 200, body: 'ok' };
  }
}

const call = (hook: string, args: readonly unknown[], actor = 0) => ({
  hook,
  args,
  actor_id: actor,
  occurred_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
});

async function createHook(path: string, extra: Record<string, unknown>, events: string[] = ['*']) {
  const { status, body } = await h().json('POST', '/admin/webhooks', {
    name: path.slice(1),
    url: `${h().receiver.url}${path}`,
    events,
    ...extra,
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as { id: number; secret: string };
}

async function fire(calls: ReturnType<typeof call>[]) {
  const res = await h().json('POST', '/events', { events: calls });
  expect(res.status).toBe(202);
}

async function deliveries(webhookId: number, status: string) {
  return (await h().json('GET', `/admin/webhooks/${webhookId}/deliveries?status=${status}&per_page=100`)).body
    .deliveries as { id: number; attempt_count: number; last_error: string | null; event: string }[];
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const signed = (req: ReceivedRequest, secret: string) =>
  req.headers['x-fluent-signature'] ===
  `sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`;

beforeAll(async () => {
  // WordPress's users and Fluent Community's profiles, as on a site: the events name who acted.
  await createWpUserTables(h().database.pool);
  await h().database.pool.query(
    `INSERT IGNORE INTO wp_users (ID, user_login, user_email, display_name) VALUES (5, 'carol', 'carol@example.com', 'Carol Jones')`,
  );
});

beforeEach(async () => {
  h().receiver.clear();
  h().receiver.setResponder(serviceAnswer);
  await h().deps.db.query(`UPDATE wp_fcwh_webhooks SET status = 'inactive'`);
});

const nasty = `"Quotes" & <b>tags</b> @everyone <!channel> **bold**\nnew line 😀👩‍👩‍👧 ${'x😀'.repeat(23_400)}`;

describe('every event in every format, to receivers that answer as the services do', () => {
  it('is accepted by each, and signed over the bytes sent', async () => {
    const hooks = {
      slack: await createHook('/slack', { format: 'slack', rate_limit: 0 }),
      discord: await createHook('/discord', { format: 'discord', rate_limit: 0 }),
      sendgrid: await createHook('/sendgrid', {
        format: 'sendgrid',
        options: { to: 'a@example.com', from: 'b@example.com' },
      }),
      teams: await createHook('/teams', { format: 'teams' }),
      template: await createHook('/template', {
        format: 'template',
        template: '{"t": {{ data.title | json }}, "e": {{ event | json }}}',
      }),
    };
    const post = exampleCalls['feed.created'];
    const hostile = { ...(post.args[0] as object), title: nasty.slice(0, 300), message: nasty };
    await fire([
      ...eventNames.map((e) => call(exampleCalls[e].hook, exampleCalls[e].args, exampleCalls[e].actorId)),
      call(post.hook, [hostile], 1),
    ]);
    const expected = eventNames.length + 1;
    for (const [name, hook] of Object.entries(hooks)) {
      const delivered = await until(`${name} deliveries`, async () => {
        const d = await deliveries(hook.id, 'delivered');
        const failed = await deliveries(hook.id, 'failed');
        expect(failed.map((f) => `${f.event}: ${f.last_error}`)).toEqual([]);
        return d.length >= expected && d;
      });
      expect(delivered).toHaveLength(expected);
      const received = h().receiver.requests.filter((r) => r.path.split('?')[0] === `/${name}`);
      expect(received.length).toBeGreaterThanOrEqual(expected);
      for (const req of received) expect(signed(req, hook.secret)).toBe(true);
      if (name === 'discord') for (const req of received) expect(req.path).toBe('/discord?wait=true');
      if (name === 'template') for (const req of received) expect(() => JSON.parse(req.body)).not.toThrow();
    }
  });
});

describe('answers that mean stop', () => {
  it("does not retry Slack's permanent refusal, and says why", async () => {
    const hook = await createHook('/slack-refuses', { format: 'slack', rate_limit: 0, retry_count: 3 }, [
      'feed.deleted',
    ]);
    await fire([call('fluent_community/feed/deleted', ['9'])]);
    const [failed] = await until('the failure', () =>
      deliveries(hook.id, 'failed').then((d) => (d.length ? d : undefined)),
    );
    expect(failed!.attempt_count).toBe(1);
    expect(failed!.last_error).toBe(
      "Slack refused the message (invalid_payload): it does not fit Slack's rules.",
    );
    await h().receiver.waitForQuiet(500);
    expect(h().receiver.requests.filter((r) => r.path === '/slack-refuses')).toHaveLength(1);
  });

  it('disables the webhook when Discord says it was deleted (404)', async () => {
    const hook = await createHook('/discord-deleted', { format: 'discord', retry_count: 3 }, [
      'feed.deleted',
    ]);
    await fire([call('fluent_community/feed/deleted', ['9'])]);
    const [failed] = await until('the failure', () =>
      deliveries(hook.id, 'failed').then((d) => (d.length ? d : undefined)),
    );
    expect(failed!.attempt_count).toBe(1);
    expect(failed!.last_error).toContain('10015 Unknown Webhook');
    const { body } = await h().json('GET', `/admin/webhooks/${hook.id}`);
    expect(body.status).toBe('inactive');
    expect(h().receiver.requests.filter((r) => r.path.startsWith('/discord-deleted'))).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it("waits Discord's retry_after before trying again", async () => {
    const hook = await createHook('/discord', { format: 'discord', rate_limit: 0 }, ['feed.deleted']);
    h().receiver.respondWith(
      json(429, { message: 'You are being rate limited.', retry_after: 0.8, global: false }),
    );
    await fire([call('fluent_community/feed/deleted', ['9'])]);
    await until('delivered', () => deliveries(hook.id, 'delivered').then((d) => (d.length ? d : undefined)));
    const [first, second] = h().receiver.requests.filter((r) => r.path.startsWith('/discord'));
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(800);
  });

  it('keeps a paced webhook to its pace and order, without holding up the others', async () => {
    const paced = await createHook('/slack', { format: 'slack', rate_limit: 4 }, ['feed.deleted']);
    const free = await createHook('/free', {}, ['feed.deleted']);
    const ids = ['1', '2', '3', '4', '5', '6'];
    const fired = Date.now();
    await fire(ids.map((id) => call('fluent_community/feed/deleted', [id])));
    await until('all paced', () => deliveries(paced.id, 'delivered').then((d) => d.length === ids.length));
    const slack = h().receiver.requests.filter((r) => r.path === '/slack');
    const others = h().receiver.requests.filter((r) => r.path === '/free');
    expect(slack.map((r) => /deleted post #(\d+)/.exec(JSON.parse(r.body).text)![1])).toEqual(ids);
    // 4 per second: the sixth send waits for the sixth slot, 5 × 250 ms after the first (a lower bound: load only
    // makes it later; 50 ms for reading the database's clock and ours at different moments).
    expect(slack.at(-1)!.receivedAt - fired).toBeGreaterThanOrEqual(5 * 250 - 50);
    // The budget in the database: six slots taken, the next free one 250 ms after the sixth.
    const [[row]] = (await h().deps.db.query(
      'SELECT TIMESTAMPDIFF(MICROSECOND, MIN(a.started_at), w.next_send_at) AS span FROM wp_fcwh_attempts a JOIN wp_fcwh_webhooks w ON w.id = a.webhook_id WHERE a.webhook_id = ?',
      [paced.id],
    )) as unknown as [{ span: number }[]];
    expect(Number(row!.span) / 1000).toBeGreaterThanOrEqual(6 * 250 - 50);
    expect(others).toHaveLength(ids.length);
    expect(Math.max(...others.map((r) => r.receivedAt))).toBeLessThan(slack.at(-1)!.receivedAt);
  });
});

describe('retries', () => {
  it("send the first attempt's bytes even after the template changed", async () => {
    const hook = await createHook(
      '/flaky',
      { format: 'template', template: '{"v": 1, "e": {{ event | json }}}' },
      ['feed.deleted'],
    );
    h().receiver.respondWith({ status: 503, headers: { 'retry-after': '2' } });
    await fire([call('fluent_community/feed/deleted', ['9'])]);
    await h().receiver.waitForRequests(1, { filter: (r) => r.path === '/flaky' });
    const put = await h().json('PUT', `/admin/webhooks/${hook.id}`, { template: '{"v": 2}' });
    expect(put.status).toBe(200);
    await until('delivered', () => deliveries(hook.id, 'delivered').then((d) => (d.length ? d : undefined)));
    const [first, second] = h().receiver.requests.filter((r) => r.path === '/flaky');
    expect(JSON.parse(first!.body)).toEqual({ v: 1, e: 'feed.deleted' });
    expect(second!.body).toBe(first!.body);
    expect(signed(second!, hook.secret)).toBe(true);
  });

  it('are what the delivery preview shows while one is due', async () => {
    const hook = await createHook('/flaky', { format: 'template', template: '{"v": 1}' }, ['feed.deleted']);
    h().receiver.respondWith({ status: 503, headers: { 'retry-after': '30' } });
    await fire([call('fluent_community/feed/deleted', ['9'])]);
    // Pending after its first attempt: the retry is recorded with the body it sent.
    const [pending] = await until('the retry', async () => {
      const due = (await deliveries(hook.id, 'pending')).filter((d) => d.attempt_count >= 1);
      return due.length ? due : undefined;
    });
    await h().json('PUT', `/admin/webhooks/${hook.id}`, { template: '{"v": 2}' });
    const preview = await h().json('POST', `/admin/webhooks/${hook.id}/preview`, {
      delivery_id: pending!.id,
    });
    expect(preview.body.body).toBe('{"v": 1}');
    const fresh = await h().json('POST', `/admin/webhooks/${hook.id}/preview`, { event: 'feed.deleted' });
    expect(fresh.body.body).toBe('{"v": 2}');
  });
});

describe('the test route', () => {
  it("sends the webhook's own format, which the service accepts", async () => {
    for (const [path, format] of [
      ['/slack', 'slack'],
      ['/discord', 'discord'],
    ] as const) {
      const hook = await createHook(path, { format });
      const { body } = await h().json('POST', `/admin/webhooks/${hook.id}/test`);
      expect(body, path).toMatchObject({ success: true });
      const [req] = h()
        .receiver.requests.filter((r) => r.path.startsWith(path))
        .slice(-1);
      expect(signed(req!, hook.secret)).toBe(true);
      expect(req!.body).toContain('Test message from Fluent Community Webhooks');
    }
  });
});
