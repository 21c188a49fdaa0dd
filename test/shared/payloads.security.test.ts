import { describe, expect, it } from 'vitest';
import { eventsForHook, type EventName } from '../../shared/events.ts';
import { buildEventData } from '../../shared/payloads.ts';
import { allFixtures, contextFor, withoutClassMarkers } from './hook-fixtures.ts';

const fixtures = allFixtures();

/** Every `user_pass` string anywhere in the recorded arguments (plaintext passwords and hashes). */
function passwords(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(passwords);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'user_pass' && typeof item === 'string' ? [item] : passwords(item),
  );
}

const secrets = [...new Set(fixtures.flatMap((fixture) => passwords(fixture.raw)))];

describe('secrets in WordPress core arguments', () => {
  it('are present in the fixtures, so the checks below are not vacuous', () => {
    expect(secrets).toContain('REDACTED-plaintext-password-never-forward');
    expect(secrets).toContain('$P$REDACTED-password-hash-never-forward');
  });

  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))(
    'never reach the data built for %s, even from every argument as logged (WP_User and $userdata included)',
    async (_file, fixture) => {
      const event = fixture.event as EventName;
      for (const args of [fixture.args, fixture.raw.map(withoutClassMarkers)]) {
        expect(eventsForHook(fixture.hook, args)).toContain(event);
        const json = JSON.stringify(await buildEventData(event, fixture.hook, args, contextFor(event)));
        expect(json).not.toContain('REDACTED');
        for (const secret of secrets) expect(json).not.toContain(secret);
        expect(json).not.toMatch(/user_pass|user_activation_key|allcaps/);
      }
    },
  );
});
