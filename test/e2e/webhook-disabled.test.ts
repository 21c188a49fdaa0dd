/**
 * A failing endpoint is disabled automatically (after FCWH_DISABLE_AFTER_SECONDS of failures, or at once on 410),
 * the admin sees why, and WordPress hears of it from the sidecar: the documented action fires and the site admin
 * gets an e-mail. The notice route opens only to the sidecar's signature (the shared secret itself is never sent).
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/stack/wait.ts';
import { signedNotice } from '../../sidecar/src/notify.ts';
import { siteSignature } from '../../sidecar/src/site-signature.ts';
import { fireFixture, ownNamespace, rest, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({
  label: 'e2e_disabled',
  sidecarOptions: {
    retrySchedule: [0.4],
    env: { FCWH_DISABLE_AFTER_SECONDS: '2' },
  },
});

interface Mail {
  to: string;
  subject: string;
  message: string;
}

/** Reads an option the capture plugin (test/wp-plugins/fcwh-mail-capture) fills. */
async function captured<T>(option: string): Promise<T[]> {
  const out = await site().wp.php(`echo wp_json_encode( get_option( '${option}', array() ) );`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as T[];
}

async function subscribe(path: string) {
  const res = await rest(site(), 'POST', '/admin/webhooks', {
    body: { name: path, url: `${site().receiver.url}${path}`, events: ['space.deleted'], retry_count: 10 },
  });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

const webhook = async (id: number) => (await rest(site(), 'GET', `/admin/webhooks/${id}`)).body;

async function noticeFor(id: number) {
  const mail = await waitFor(
    `the e-mail about webhook ${id}`,
    async () => (await captured<Mail>('fcwh_test_mail')).find((m) => m.subject.includes(`#${id} `)),
    { timeoutMs: 15_000, intervalMs: 300 },
  );
  const actions = await captured<{ webhook_id: number; reason: string }>('fcwh_test_disabled');
  return { mail, actions: actions.filter((a) => a.webhook_id === id) };
}

describe('automatic disabling', () => {
  it('disables a webhook failing for longer than the window, shows why, fires the action and e-mails the admin', async () => {
    const { receiver } = site();
    receiver.setResponder((r) =>
      r.path === '/failing' ? { status: 500, body: 'down for maintenance' } : {},
    );
    const id = await subscribe('/failing');
    await fireFixture(site(), 'space.deleted', { overrides: { 0: 501 } });

    const disabled = await waitFor(
      'webhook disabled',
      async () => ((await webhook(id)).status === 'inactive' ? webhook(id) : undefined),
      { timeoutMs: 20_000, intervalMs: 300 },
    );
    expect(disabled.last_error).toMatch(
      /^Disabled automatically after failing since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Last error: HTTP 500\.$/,
    );
    // Failures spanned the window: first attempt and the one that disabled it are at least 2 s apart.
    const attempts = receiver.requests.filter((r) => r.path === '/failing');
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.at(-1)!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(1900);

    const { mail, actions } = await noticeFor(id);
    const adminEmail = (await site().wp.php("echo get_option( 'admin_email' );")).trim();
    expect(mail.to).toBe(adminEmail);
    expect(mail.subject).toMatch(new RegExp(`Webhook #${id} was disabled$`));
    expect(mail.message).toContain(`disabled webhook #${id}`);
    expect(mail.message).toContain(disabled.last_error);
    expect(mail.message).toContain(`/wp-json/${ownNamespace}/admin/webhooks/${id}/replay`);
    expect(actions).toEqual([{ webhook_id: id, reason: disabled.last_error }]);

    // The pending delivery ends failed, and nothing more is sent to the endpoint while it is inactive.
    const sent = receiver.requests.filter((r) => r.path === '/failing').length;
    await fireFixture(site(), 'space.deleted', { overrides: { 0: 502 } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.filter((r) => r.path === '/failing')).toHaveLength(sent);
    receiver.setResponder(undefined);
  });

  it('disables at once on 410 Gone, and says so in the action and the e-mail', async () => {
    const { receiver } = site();
    receiver.setResponder((r) => (r.path === '/gone' ? { status: 410 } : {}));
    const id = await subscribe('/gone');
    // Three attempts in flight at once all get the 410: the webhook is disabled, and WordPress told, once.
    await fireFixture(site(), 'space.deleted', { overrides: { 0: 503 }, times: 3 });
    const { mail, actions } = await noticeFor(id);
    await new Promise((r) => setTimeout(r, 1000)); // time for any second notice to arrive
    expect(receiver.requests.filter((r) => r.path === '/gone')).toHaveLength(3);
    expect(
      (await captured<Mail>('fcwh_test_mail')).filter((m) => m.subject.includes(`#${id} `)),
    ).toHaveLength(1);
    const disabled = await webhook(id);
    expect(disabled).toMatchObject({ status: 'inactive', last_error: expect.stringMatching(/410 Gone/) });
    expect(
      (await captured<{ webhook_id: number }>('fcwh_test_disabled')).filter((a) => a.webhook_id === id),
    ).toHaveLength(1);
    expect(actions[0]!.reason).toMatch(/^HTTP 410 Gone: the receiver asked to stop; webhook disabled\.$/);
    expect(mail.message).toContain(actions[0]!.reason);
    receiver.setResponder(undefined);
  });
});

describe('the notice route', () => {
  const body = JSON.stringify({ webhook_id: 999, reason: 'forged' });
  const now = () => Math.floor(Date.now() / 1000);
  const notice = (headers: Record<string, string>, sent = body) =>
    fetch(`${site().wp.rest_url}${ownNamespace}/internal/webhook-disabled`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: sent,
    });
  const signed = (secret: string, t: number, signedBody = body, purpose = 'fcwh-webhook-disabled.v1') => ({
    'x-fcwh-signature': siteSignature(secret, purpose, t, signedBody),
  });

  it('answers 401 to anything but a recent signature of this body under the shared secret', async () => {
    const secret = site().sidecar.secret;
    const refused: [string, Record<string, string>][] = [
      ['no signature', {}],
      // The shared secret itself no longer opens the route: it must never have to travel to the site.
      ['the shared secret as Bearer token', { authorization: site().sidecar.authorization }],
      ['an administrator login', { authorization: site().wp.basicAuth('admin') }],
      ['another secret', signed(`${secret}x`, now())],
      ['a signature of another body', signed(secret, now(), body.replace('999', '998'))],
      ['a signature made for the loop guard', signed(secret, now(), body, 'fcwh-loop-guard.v1')],
      ['a signature three minutes old', signed(secret, now() - 180)],
      ['a signature from three minutes ahead', signed(secret, now() + 180)],
      [
        'the signature in upper case',
        { 'x-fcwh-signature': signed(secret, now())['x-fcwh-signature']!.toUpperCase() },
      ],
      [
        'two signatures',
        { 'x-fcwh-signature': `${signed(secret, now())['x-fcwh-signature']},v1=${'0'.repeat(64)}` },
      ],
    ];
    for (const [label, headers] of refused) {
      const res = await notice(headers);
      expect(res.status, label).toBe(401);
      expect(await res.json(), label).toMatchObject({ code: 'unauthorized', data: { status: 401 } });
    }
    const actions = await captured<{ webhook_id: number }>('fcwh_test_disabled');
    expect(actions.filter((a) => a.webhook_id === 999)).toEqual([]);
  });

  it("accepts the sidecar's signed notice once", async () => {
    const { headers, body: sent } = signedNotice(site().sidecar.secret, {
      webhook_id: 999,
      reason: 'forged',
    });
    const res = await notice(headers, sent);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, mailed: true });
    // The same signed request again, as someone who captured it would send it within the window.
    const replayed = await notice(headers, sent);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({
      code: 'unauthorized',
      message: 'This notice was already received.',
    });
    const actions = await captured<{ webhook_id: number; reason: string }>('fcwh_test_disabled');
    expect(actions.filter((a) => a.webhook_id === 999)).toEqual([{ webhook_id: 999, reason: 'forged' }]);
  });
});
