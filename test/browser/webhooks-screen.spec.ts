/**
 * The Webhooks screen in a real WordPress, driven in Chromium by an administrator who logged in with a password:
 * create, test, see a delivery and its attempts, redeliver, edit, deactivate, delete; a subscriber is kept out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, request, type APIRequestContext, type Page } from '@playwright/test';
import { adminRest, logIn, screenPath } from './session.ts';
import { readStack, receivedRequests } from './stack.ts';
import { repoRoot } from '../../scripts/stack/sidecar.ts';

const stack = readStack();
const screen = `${stack.wpUrl}${screenPath}`;
const hookPath = '/hooks/browser';

/** Screenshots for the README: written to docs/screenshots/ when FCWH_SCREENSHOTS=1, else with the test results. */
async function shoot(page: Page, name: string, fullPage = false) {
  const dir =
    process.env.FCWH_SCREENSHOTS === '1'
      ? path.join(repoRoot, 'docs', 'screenshots')
      : path.join(repoRoot, '.test-stack', 'browser-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
}

test.describe.configure({ mode: 'serial' });

/** The screen's own navigation (the list's column headers are buttons too). */
const nav = () => page.getByRole('navigation', { name: 'Webhooks screen' });

let page: Page;
/** REST calls outside the browser: without its cookies, which would override the application password. */
let api: APIRequestContext;
let webhookId = 0;
let templateId = 0;
const scriptErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  api = await request.newContext();
  page = await browser.newPage();
  page.on('pageerror', (error) => scriptErrors.push(String(error)));
  await logIn(page, stack, stack.admin);
});

test.afterAll(async () => {
  await page.close();
  await api.dispose();
});

test('shows the API message beside the field it names: a bad URL, a reserved header', async () => {
  await page.goto(`${screen}#/new`);
  await page.getByLabel('Name', { exact: true }).fill('Not HTTPS');
  await page.getByLabel('Delivery URL').fill('http://example.com/hook');
  await page.getByLabel('feed.created').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // The message is the URL field's own description: shown under it, and read out with it.
  await expect(page.getByLabel('Delivery URL')).toHaveAccessibleDescription(
    'Webhook URL must use HTTPS protocol.',
  );
  const answer = await adminRest(api, stack, 'POST', '/fluent-community-webhooks/v1/admin/webhooks', {
    name: 'Not HTTPS',
    url: 'http://example.com/hook',
    events: ['feed.created'],
  });
  expect(answer.body.message).toBe('Webhook URL must use HTTPS protocol.');

  // Editing the URL clears its message; a reserved header gets the API's message beside the headers.
  await page.getByLabel('Delivery URL').fill(`${stack.receiverUrl}/hooks/never`);
  await expect(page.getByLabel('Delivery URL')).toHaveAccessibleDescription(/Detected format/);
  const headers = page.getByRole('group', { name: 'Custom headers' });
  await headers.getByRole('button', { name: 'Add header' }).click();
  await headers.getByLabel('Header name 1').fill('Host');
  await headers.getByLabel('Header value 1').fill('example.com');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(headers).toHaveAccessibleDescription(
    'Header "Host" is set by the webhook sender and cannot be overridden.',
  );
});

test('creates a webhook to the receiver, shows its secret once and lists it', async () => {
  await page.goto(`${screen}#/new`);
  await page.getByLabel('Name', { exact: true }).fill('Browser receiver');
  // The format a URL implies is shown as it is typed.
  await page.getByLabel('Delivery URL').fill('https://hooks.slack.com/services/T000/B000/XXXX');
  await expect(page.getByLabel('Delivery URL')).toHaveAccessibleDescription('Detected format: Slack');
  await page.getByLabel('Delivery URL').fill('https://discord.com/api/webhooks/1/abc');
  await expect(page.getByLabel('Delivery URL')).toHaveAccessibleDescription('Detected format: Discord');
  await page.getByLabel('Delivery URL').fill(`${stack.receiverUrl}${hookPath}`);
  await expect(page.getByLabel('Delivery URL')).toHaveAccessibleDescription(/Detected format: JSON/);
  await page.getByRole('group', { name: 'Events' }).getByLabel('feed.created').check();
  await page.getByLabel('Retries').fill('2');
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header name 1').fill('X-Team');
  await page.getByLabel('Header value 1').fill('community');
  await expect(page.getByLabel('Format')).toHaveValue('json');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(page).toHaveURL(/#\/webhooks\/\d+$/);
  webhookId = Number(/#\/webhooks\/(\d+)$/.exec(page.url())![1]);
  const secret = (await page.getByTestId('fcwh-secret').textContent()) ?? '';
  expect(secret.length).toBeGreaterThanOrEqual(16);

  const answer = await adminRest(
    api,
    stack,
    'GET',
    `/fluent-community-webhooks/v1/admin/webhooks/${webhookId}`,
  );
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({
    name: 'Browser receiver',
    url: `${stack.receiverUrl}${hookPath}`,
    events: ['feed.created'],
    status: 'active',
    retry_count: 2,
    headers: { 'X-Team': 'community' },
  });
  // Shown once: the API masks it from now on, and so does the screen after a reload.
  expect(answer.body.secret).not.toBe(secret);
  await page.reload();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Browser receiver');
  await expect(page.getByTestId('fcwh-secret')).toHaveCount(0);

  await page.goto(screen);
  const row = page.getByRole('row').filter({ hasText: 'Browser receiver' });
  await expect(row).toContainText('Active');
  await expect(row).toContainText('feed.created');
});

test('sends a test and shows its result', async () => {
  const before = receivedRequests(stack).length;
  await page.goto(`${screen}#/webhooks/${webhookId}`);
  await page.getByRole('button', { name: 'Send test' }).click();
  const result = page.locator('.fcwh-test-result');
  await expect(result).toContainText('Test delivered.');
  await expect(result).toContainText('Status code: 200');
  await expect(result).toContainText(/Response time: \d+ ms/);
  expect(receivedRequests(stack).length).toBeGreaterThan(before);
});

test('shows the delivery of a fired event with its attempts, and redelivers it', async () => {
  const fired = await adminRest(api, stack, 'POST', '/fcwh-test/v1/fire', {
    fixture: 'feed.created',
  });
  expect(fired.status).toBe(200);
  await page.goto(`${screen}#/webhooks/${webhookId}/deliveries`);
  const row = page.getByRole('row').filter({ hasText: 'feed.created' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row).toContainText('Delivered', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await row.getByRole('button', { name: 'feed.created' }).click();

  const panel = page.getByRole('dialog');
  const attempt = panel.locator('tr.fcwh-attempt');
  await expect(attempt).toHaveCount(1);
  await expect(attempt.first()).toContainText('200');
  await expect(panel.locator('.fcwh-payload')).toContainText('"event": "feed.created"');
  // Each attempt's request headers, with the signatures redacted.
  await panel.getByText('Request headers of attempt 1').click();
  const headers = panel.locator('.fcwh-attempt-headers pre').first();
  await expect(headers).toContainText('webhook-signature: [redacted]');
  await expect(headers).toContainText('x-fluent-event: feed.created');
  await shoot(page, 'delivery-panel');

  const messageId =
    (await panel.getByText(/message id /).textContent())?.match(/message id (\S+)/)?.[1] ?? '';
  const arrivals = () =>
    receivedRequests(stack).filter((r) => r.path === hookPath && r.headers['webhook-id'] === messageId)
      .length;
  await expect.poll(arrivals).toBe(1);
  await panel.getByRole('button', { name: 'Redeliver' }).click();
  await expect(panel).toContainText('Delivery queued for redelivery.');
  await expect.poll(arrivals, { timeout: 30_000 }).toBe(2);
  await expect(async () => {
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect(attempt).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // Nothing failed, so a replay since yesterday queues nothing, and says so.
  await page.getByRole('button', { name: 'Replay failed since…' }).click();
  await page.getByRole('button', { name: /^Replay failed since \d{4}-/ }).click();
  await expect(page.locator('.fcwh-replay')).toContainText('0 failed deliveries queued again.');

  // The list's last delivery: the latest attempt's status beside when it was.
  await page.goto(screen);
  await expect(
    page.getByRole('row').filter({ hasText: 'Browser receiver' }).locator('.fcwh-last-status'),
  ).toHaveText(/^HTTP 200\s*$/);
});

test('edits the events and saves', async () => {
  await page.goto(`${screen}#/webhooks/${webhookId}`);
  await page.getByLabel('comment.created').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#fcwh-admin-root').getByText('Webhook updated successfully.')).toBeVisible();
  const answer = await adminRest(
    api,
    stack,
    'GET',
    `/fluent-community-webhooks/v1/admin/webhooks/${webhookId}`,
  );
  expect(answer.body.events).toEqual(['feed.created', 'comment.created']);
});

test('rotates the secret only once confirmed, and shows the new one once', async () => {
  await page.goto(`${screen}#/webhooks/${webhookId}`);
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('fcwh-secret')).toHaveCount(0);

  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await dialog.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByTestId('fcwh-secret')).toHaveText(/^whsec_\S{16,}$/);
  await expect(page.locator('#fcwh-admin-root')).toContainText('Webhook secret rotated successfully.');
});

test('shows the event catalogue with examples and schemas', async () => {
  await page.goto(screen);
  await nav().getByRole('button', { name: 'Events' }).click();
  await page.getByRole('button', { name: 'comment.created' }).click();
  const catalogue = page.locator('.fcwh-catalogue');
  await expect(catalogue).toContainText('New comment added');
  await expect(catalogue).toContainText('"event": "comment.created"');
  await expect(catalogue).toContainText('"$schema": "https://json-schema.org/draft/2020-12/schema"');
});

const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, body?: unknown) =>
  adminRest(api, stack, method, `/fluent-community-webhooks/v1/admin/webhooks${route}`, body);

test('detects Slack from the URL, saves its options and lists it with its icon', async () => {
  await page.goto(`${screen}#/new`);
  await page.getByLabel('Name', { exact: true }).fill('Slack alerts');
  await page.getByLabel('Delivery URL').fill('https://hooks.slack.com/services/T000/B000/XXXX');
  await expect(page.getByLabel('Delivery URL')).toHaveAccessibleDescription('Detected format: Slack');
  await expect(page.getByLabel('Format')).toHaveValue('slack');
  await page.getByLabel('Display name').fill('Community bot');
  await page.getByRole('group', { name: 'Events' }).getByLabel('feed.created').check();
  await page.getByLabel('Rate limit').fill('-1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByLabel('Rate limit')).toHaveAccessibleDescription(
    'rate_limit must be 0 (unpaced) or more.',
  );
  await page.getByLabel('Rate limit').fill('0.5');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/#\/webhooks\/\d+$/);
  const id = Number(/#\/webhooks\/(\d+)$/.exec(page.url())![1]);

  const answer = await rest('GET', `/${id}`);
  expect(answer.body).toMatchObject({
    format: 'slack',
    options: { display_name: 'Community bot' },
    rate_limit: 0.5,
  });
  await expect(page.getByLabel('Format')).toHaveValue('slack');
  await expect(page.getByLabel('Display name')).toHaveValue('Community bot');

  await page.goto(screen);
  const row = page.getByRole('row').filter({ hasText: 'Slack alerts' });
  await expect(row.locator('.fcwh-format[data-format="slack"]')).toHaveText('Slack');
  await expect(row.locator('.fcwh-format[data-format="slack"] svg')).toHaveCount(1);
});

test("shows the API message about a format's option beside that option", async () => {
  await page.goto(`${screen}#/new`);
  await page.getByLabel('Name', { exact: true }).fill('Discord alerts');
  await page.getByLabel('Delivery URL').fill('https://discord.com/api/webhooks/1/abc');
  await expect(page.getByLabel('Format')).toHaveValue('discord');
  await page.getByRole('group', { name: 'Events' }).getByLabel('feed.created').check();
  await page.getByLabel('Display name').fill('Discord bot');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByLabel('Display name')).toHaveAccessibleDescription(
    /^Option display_name for the discord format must not contain "discord"/,
  );
  await expect(page.getByLabel('Avatar URL')).toHaveAccessibleDescription(/^An https URL/);
  await page.getByLabel('Format').selectOption('sendgrid');
  await page.getByLabel('To', { exact: true }).fill('moderators@example.com, not-an-address');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByLabel('To', { exact: true })).toHaveAccessibleDescription(
    /^Option to\.1 for the sendgrid format/,
  );
});

test('previews a template live, and shows the API message beside a bad one', async () => {
  await page.goto(`${screen}#/new`);
  await page.getByLabel('Name', { exact: true }).fill('Template hook');
  await page.getByLabel('Delivery URL').fill(`${stack.receiverUrl}/hooks/template`);
  await page.getByRole('group', { name: 'Events' }).getByLabel('feed.created').check();
  await page.getByLabel('Format').selectOption('template');
  const template = page.getByLabel('Template', { exact: true });
  await template.fill('{"text": {{ data.title | json }}, "by": {{ xprofile.display_name | json }}}');
  const body = page.locator('.fcwh-preview-body');
  await expect(body).toContainText('"text": "Welcome to our community!"');
  await expect(body).toContainText('"by": "Ada Admin"');
  await page.getByLabel('Preview for event').selectOption('comment.created');
  await expect(body).not.toContainText('Welcome to our community!');

  await template.fill('{"text": {{ data.title | json }');
  await expect(template).toHaveAccessibleDescription(/^The template does not parse: .*line:1/);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(template).toHaveAccessibleDescription(/^The template does not parse: .*line:1/);

  await template.fill('{"text": {{ data.title | json }}}');
  await expect(template).toHaveAccessibleDescription(/^Liquid:/);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/#\/webhooks\/\d+$/);
  templateId = Number(/#\/webhooks\/(\d+)$/.exec(page.url())![1]);
  const answer = await rest('GET', `/${templateId}`);
  expect(answer.body).toMatchObject({
    format: 'template',
    template: '{"text": {{ data.title | json }}}',
    content_type: 'application/json',
  });
});

test('saves filters, shows them with the space names, and the preview says what they keep out', async () => {
  await page.goto(`${screen}#/webhooks/${templateId}`);
  const filters = page.getByRole('group', { name: 'Filters' });
  await filters.getByLabel('Spaces').fill('8, nine');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(filters.getByLabel('Spaces')).toHaveAccessibleDescription(/filters\.spaces\[1\]/);

  await filters.getByLabel('Spaces').fill('8');
  await filters.getByLabel('Public').check();
  await filters.getByLabel('Excluded roles').fill('administrator, editor');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#fcwh-admin-root').getByText('Webhook updated successfully.')).toBeVisible();
  const answer = await rest('GET', `/${templateId}`);
  expect(answer.body).toMatchObject({
    filters: { spaces: [8], privacy: ['public'], exclude_roles: ['administrator', 'editor'] },
    filter_spaces: [{ id: 8, title: 'Announcements' }],
  });

  await page.reload();
  await expect(filters.getByLabel('Spaces')).toHaveValue('8');
  await expect(filters.getByLabel('Spaces')).toHaveAccessibleDescription('Only events in: Announcements (8)');
  await expect(filters.getByLabel('Public')).toBeChecked();
  await expect(filters.getByLabel('Private')).not.toBeChecked();
  await expect(filters.getByLabel('Excluded roles')).toHaveValue('administrator, editor');
  // feed.created's example happens in Announcements, a public space: the saved filters let it through.
  const verdict = page.locator('.fcwh-preview-filter');
  await expect(verdict).toContainText('The saved filters let this event through.');
  await shoot(page, 'webhook-form', true);

  // Private spaces only: the example is left out, and the preview says why.
  await filters.getByLabel('Public').uncheck();
  await filters.getByLabel('Private').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(verdict).toContainText('The saved filters keep this event out: ');
  await expect(verdict).toContainText('public');
  expect((await rest('GET', `/${templateId}`)).body).toMatchObject({ filters: { privacy: ['private'] } });
});

test('lists webhooks, deactivates them (one, then two in bulk) and deletes one', async () => {
  for (const name of ['Analytics', 'Moderation log']) {
    const made = await adminRest(api, stack, 'POST', '/fluent-community-webhooks/v1/admin/webhooks', {
      name,
      url: `${stack.receiverUrl}/hooks/${name.toLowerCase().replace(/\W+/g, '-')}`,
      events: name === 'Analytics' ? ['*'] : ['comment.deleted', 'feed.deleted'],
    });
    expect(made.status).toBe(201);
  }
  await page.goto(screen);
  const row = page.getByRole('row').filter({ hasText: 'Browser receiver' });
  await expect(row).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Analytics' })).toBeVisible();
  await shoot(page, 'webhook-list');

  await row.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await expect(row).toContainText('Inactive');
  const answer = await adminRest(
    api,
    stack,
    'GET',
    `/fluent-community-webhooks/v1/admin/webhooks/${webhookId}`,
  );
  expect(answer.body.status).toBe('inactive');

  // Bulk: select two rows, deactivate both.
  const others = ['Analytics', 'Moderation log'].map((name) =>
    page.getByRole('row').filter({ hasText: name }),
  );
  for (const other of others) await other.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  for (const other of others) await expect(other).toContainText('Inactive');

  await row.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Browser receiver' })).toHaveCount(0);
  const gone = await adminRest(
    api,
    stack,
    'GET',
    `/fluent-community-webhooks/v1/admin/webhooks/${webhookId}`,
  );
  expect(gone.status).toBe(404);
});

test('ran without a script error', () => {
  expect(scriptErrors).toEqual([]);
});

// Last: the sidecar does not come back.
test('says when the webhooks service is unreachable, and which parts it could not load', async () => {
  process.kill(stack.sidecarPid, 'SIGTERM');
  await expect
    .poll(
      async () => (await adminRest(api, stack, 'GET', '/fluent-community-webhooks/v1/admin/webhooks')).status,
    )
    .toBe(503);
  await page.goto(screen);
  await expect(page.locator('.fcwh-sidecar-notice')).toContainText('The webhooks service is not reachable.');
  await expect(page.locator('.fcwh-sidecar-notice')).toContainText('FCWH_SIDECAR_URL');
  await expect(page.locator('.fcwh-webhook-list')).toContainText(
    'The webhooks could not be loaded while the service is unreachable.',
  );
  await nav().getByRole('button', { name: 'Events' }).click();
  await expect(page.locator('#fcwh-admin-root')).toContainText('The event catalogue could not be loaded');
});

test('a subscriber cannot open the screen', async ({ browser }) => {
  const member = await browser.newPage();
  await logIn(member, stack, stack.member);
  const response = await member.goto(screen);
  expect(response?.status()).toBe(403);
  await expect(member.getByText('Sorry, you are not allowed to access this page.')).toBeVisible();
  await expect(member.locator('#fcwh-admin-root')).toHaveCount(0);
  await member.close();
});
