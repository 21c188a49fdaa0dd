import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contractsPath, renderContracts } from '../../scripts/generate-php.ts';
import { renderEventDocs } from '../../scripts/generate-event-docs.ts';

describe('generated files', () => {
  it('keeps wp-plugin/generated/contracts.php in step with shared/ (run `npm run generate`)', () => {
    expect(readFileSync(contractsPath, 'utf8')).toBe(renderContracts());
  });

  it('keeps docs/EVENTS.md in step with the event catalogue (run `npm run generate`)', async () => {
    expect(readFileSync(new URL('../../docs/EVENTS.md', import.meta.url), 'utf8')).toBe(
      await renderEventDocs(),
    );
  });
});
