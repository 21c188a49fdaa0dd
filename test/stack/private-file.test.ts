/** Credentials the stack writes (application passwords, the shared secret) are readable by their owner only. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../scripts/stack/private-file.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fcwh-private-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('writePrivateFile', () => {
  it('writes a new file 0600, and makes a world-readable one 0600 when it rewrites it', () => {
    const fresh = path.join(dir, 'stack.json');
    writePrivateFile(fresh, '{"app_password":"a"}\n');
    expect([mode(fresh), fs.readFileSync(fresh, 'utf8')]).toEqual([0o600, '{"app_password":"a"}\n']);

    const old = path.join(dir, 'old-state.json');
    fs.writeFileSync(old, 'before', { mode: 0o644 });
    fs.chmodSync(old, 0o644);
    writePrivateFile(old, 'after');
    expect([mode(old), fs.readFileSync(old, 'utf8')]).toEqual([0o600, 'after']);
    expect(fs.readdirSync(dir).sort()).toEqual(['old-state.json', 'stack.json']);
  });
});
