import { describe, expect, it } from 'vitest';
import { exampleUsers } from '../../shared/event-examples.ts';
import { decodePhpArray } from '../../shared/php-serialized.ts';
import { buildXprofile, gravatarUrl, xprofileSchema } from '../../shared/xprofile.ts';

/** Member bob's row after a profile edit, as HOOKS.md records it from the database. */
const bobMeta =
  'a:4:{s:7:"website";s:19:"https://example.com";s:11:"cover_photo";s:0:"";s:26:"short_description_rendered";s:20:"<p>I build hooks</p>";s:8:"headline";s:0:"";}';
const bobRow = {
  id: 2,
  user_id: 2,
  total_points: 0,
  username: 'bob',
  status: 'active',
  is_verified: 0,
  display_name: 'Bob Builder',
  avatar: null,
  short_description: 'I build hooks',
  last_activity: '2026-11-27 04:15:15',
  meta: bobMeta,
  created_at: '2026-11-27 04:12:47',
  updated_at: '2026-11-27 04:16:02',
};
const bobUser = { ...exampleUsers[2]!, user_email: 'bob@example.com' };
const noMeta = {
  website: null,
  cover_photo: null,
  headline: null,
  short_description_rendered: null,
  social_links: null,
  badge_slug: null,
};

describe('buildXprofile', () => {
  it("turns bob's stored row into the spec's xprofile, with Fluent Community's own Gravatar hash", () => {
    expect(buildXprofile(bobRow, bobUser)).toEqual({
      user_id: 2,
      total_points: 0,
      is_verified: 0,
      status: 'active',
      display_name: 'Bob Builder',
      username: 'bob',
      avatar: 'https://www.gravatar.com/avatar/4b9bb80620f03eb3719e0a061c14283d?s=128&d=mp',
      created_at: '2026-11-27 04:12:47',
      short_description: 'I build hooks',
      meta: {
        ...noMeta,
        website: 'https://example.com',
        cover_photo: '',
        headline: '',
        short_description_rendered: '<p>I build hooks</p>',
      },
      badge: null,
    });
  });

  it('casts numbers a driver returns as strings, and keeps a stored avatar', () => {
    const row = {
      ...bobRow,
      user_id: '2',
      total_points: '6425',
      is_verified: '1',
      avatar: 'https://cdn.example/a.png',
    };
    expect(buildXprofile(row, bobUser)).toMatchObject({
      user_id: 2,
      total_points: 6425,
      is_verified: 1,
      avatar: 'https://cdn.example/a.png',
    });
  });

  it('has no avatar when it is not stored and the e-mail is unknown', () => {
    expect(buildXprofile(bobRow)?.avatar).toBeNull();
    expect(gravatarUrl('  Bob@Example.com ')).toBe(gravatarUrl('bob@example.com'));
  });

  it('writes a Date timestamp from the driver as stored text in UTC', () => {
    const row = { ...bobRow, created_at: new Date('2026-11-27T04:12:47Z') };
    expect(buildXprofile(row)?.created_at).toBe('2026-11-27 04:12:47');
  });

  it('decodes social links and badges, dropping values of the wrong type and keys off the allow-list', () => {
    const meta =
      'a:4:{s:12:"social_links";a:3:{s:7:"twitter";s:7:"@handle";s:2:"fb";i:5;s:3:"b d";s:1:"x";}s:10:"badge_slug";a:2:{i:0;s:6:"badge1";i:1;b:1;}s:8:"password";s:6:"secret";s:7:"website";a:0:{}}';
    const xprofile = buildXprofile({ ...bobRow, meta });
    expect(xprofile?.meta).toEqual({
      ...noMeta,
      social_links: { twitter: '@handle' },
      badge_slug: ['badge1'],
    });
    expect(JSON.stringify(xprofile)).not.toContain('secret');
  });

  it('falls back on the WordPress user when the profile row does not exist yet', () => {
    const xprofile = buildXprofile(null, bobUser);
    expect(xprofile).toMatchObject({
      user_id: 2,
      total_points: 0,
      status: 'active',
      username: 'bob',
      meta: noMeta,
    });
    expect(xprofile?.avatar).toBe(gravatarUrl('bob@example.com'));
    expect(xprofileSchema.safeParse(xprofile).success).toBe(true);
  });

  it('is null with neither a row nor a user', () => {
    expect(buildXprofile(null)).toBeNull();
  });

  it('accepts an already decoded meta, as a loaded model relation carries it', () => {
    const meta = { website: 'https://example.com', cover_photo: '…', headline: ['odd'] };
    expect(buildXprofile({ ...bobRow, meta })?.meta).toMatchObject({
      website: 'https://example.com',
      headline: null,
    });
  });
});

describe('malformed meta', () => {
  const malformed = {
    empty: '',
    truncated: bobMeta.slice(0, 60),
    'wrong string length': 'a:1:{s:7:"website";s:99:"https://example.com";}',
    'multibyte counted in characters': 'a:1:{s:8:"headline";s:5:"héllo";}',
    'an object': 'O:8:"stdClass":1:{s:7:"website";s:1:"x";}',
    'an object inside the array': 'a:1:{s:7:"website";O:8:"stdClass":0:{}}',
    'a Serializable object': 'C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}',
    'a class named like an Object property': 'a:1:{s:1:"x";O:11:"constructor":0:{}}',
    'a reference': 'a:2:{i:0;s:1:"a";i:1;R:2;}',
    'a list': 'a:1:{i:0;s:1:"a";}',
    'a scalar': 'b:1;',
    'JSON instead': '{"website":"https://example.com"}',
    'deep nesting': `${'a:1:{i:0;'.repeat(5000)}N;${'}'.repeat(5000)}`,
    'not text at all': 42,
  };

  it.each(Object.entries(malformed))('%s decodes to all-null meta without throwing', (_name, meta) => {
    const xprofile = buildXprofile({ ...bobRow, meta });
    expect(xprofile?.meta).toEqual(noMeta);
    expect(xprofileSchema.safeParse(xprofile).success).toBe(true);
  });

  it('counts string lengths in bytes, as PHP does', () => {
    expect(decodePhpArray('a:1:{s:8:"headline";s:6:"héllo";}')).toEqual({ headline: 'héllo' });
  });

  it('cannot change the prototype of the decoded meta through a __proto__ key', () => {
    const decoded = decodePhpArray('a:1:{s:9:"__proto__";a:1:{s:7:"website";s:4:"evil";}}');
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(
      buildXprofile({ ...bobRow, meta: 'a:1:{s:9:"__proto__";a:1:{s:7:"website";s:4:"evil";}}' })?.meta,
    ).toEqual(noMeta);
    expect(({} as Record<string, unknown>).website).toBeUndefined();
  });

  it('turns integers beyond 2^53 into strings rather than unserializable BigInts', () => {
    const decoded = decodePhpArray('a:2:{s:1:"a";i:12345678901234567890;s:1:"b";i:7;}');
    expect(decoded).toEqual({ a: '12345678901234567890', b: 7 });
    expect(() => JSON.stringify(decoded)).not.toThrow();
  });
});
