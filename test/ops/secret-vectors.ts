/** Shared secrets the sidecar and the plugin must judge alike: [secret, acceptable]. */
import { randomBytes } from 'node:crypto';

export const secretVectors: readonly (readonly [string, boolean])[] = [
  ['', false],
  ['short-but-varied-0123456789', false],
  ['a'.repeat(64), false],
  ['ab'.repeat(20), false],
  ['passwordpassword1passwordpassword1', false], // 8 different characters
  ['0123456789'.repeat(4), false], // 10 different, but one chunk repeated
  ['with spaces in the middle 0123456789', false],
  ['ünïcödé-sécrèt-ünïcödé-sécrèt-xyz0', false],
  ['tab\there-0123456789-abcdefghijklmn', false],
  ['abcdefghijklmnopqrstuvwxyz012345', true],
  ['it\'s-a-"secret"-with-punctuation&12', true],
  [randomBytes(36).toString('base64url'), true],
  [randomBytes(48).toString('base64'), true],
  [randomBytes(32).toString('hex'), true],
];
