/** Playwright globalSetup: starts the stack once for every browser test and stops it afterwards. */
import fs from 'node:fs';
import path from 'node:path';
import { startBrowserStack } from './stack.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const { stack, stop } = await startBrowserStack();
  const file = path.join(stack.dir, 'stack.json');
  fs.writeFileSync(file, JSON.stringify(stack, null, 2));
  // Workers inherit the environment globalSetup leaves.
  process.env.FCWH_BROWSER_STACK = file;
  return stop;
}
