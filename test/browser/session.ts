/** What the browser tests do besides clicking: log in at wp-login.php, and read or fire things over REST. */
import { expect, type Page, type APIRequestContext } from '@playwright/test';
import type { BrowserStack } from './stack.ts';

export const screenPath = '/wp-admin/admin.php?page=fluent-community-webhooks';

/** Logs in with a password, as a person does. */
export async function logIn(page: Page, stack: BrowserStack, who: { user: string; password: string }) {
  await page.goto(`${stack.wpUrl}/wp-login.php`);
  await page.getByLabel('Username or Email Address').fill(who.user);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Log In' }).click();
  await expect(page).toHaveURL(/\/wp-admin\//);
}

/** A REST call as the admin with the application password (what `curl -u` sees), outside the browser. */
export async function adminRest(
  request: APIRequestContext,
  stack: BrowserStack,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  route: string,
  data?: unknown,
) {
  const auth = Buffer.from(`${stack.admin.user}:${stack.admin.appPassword}`).toString('base64');
  const response = await request.fetch(`${stack.wpUrl}/wp-json${route}`, {
    method,
    headers: { authorization: `Basic ${auth}` },
    data,
  });
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
}
