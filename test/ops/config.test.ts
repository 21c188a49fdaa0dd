/** Configuration: wp-config.php read as data in all its usual spellings, env overrides, and clear refusals. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { argsToEnv, ConfigError, loadConfig } from '../../sidecar/src/config.ts';
import { secretProblem } from '../../shared/shared-secret.ts';
import { secretVectors } from './secret-vectors.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fcwh-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const secret = randomBytes(36).toString('base64url');

/** Writes a wp-config.php with `body` after the opening tag; returns its path. */
function wpConfig(body: string, name = `wp-config-${randomBytes(3).toString('hex')}.php`): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `<?php\n${body}\nrequire_once ABSPATH . 'wp-settings.php';\n`);
  return file;
}

const key = randomBytes(36).toString('base64url');
const load = (env: Record<string, string>) =>
  loadConfig({ FCWH_SECRET: secret, FCWH_ENCRYPTION_KEY: key, ...env });
const problems = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('reading wp-config.php', () => {
  it("reads single-quoted defines and $table_prefix as WordPress's sample file writes them", () => {
    const file = wpConfig(`
/** The name of the database for WordPress */
define( 'DB_NAME', 'community' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', 'p@ss#word' );
define( 'DB_HOST', 'db.internal:3307' );
$table_prefix = 'wp_';`);
    const config = load({ FCWH_WP_CONFIG: file });
    expect(config.db).toEqual({
      host: 'db.internal',
      port: 3307,
      database: 'community',
      user: 'wp_user',
      password: 'p@ss#word',
    });
    expect(config.tablePrefix).toBe('wp_');
  });

  it('reads double quotes, no spaces, odd spacing, a socket host and a custom prefix', () => {
    const file = wpConfig(`
define("DB_NAME","site_db");
define (  'DB_USER' ,   "site_user"  ) ;
DEFINE( 'DB_PASSWORD', "dq\\"pass\\\\word\\$x" );
define( "DB_HOST", 'localhost:/run/mysqld/mysqld.sock' );
$table_prefix  =  "fc2024_";`);
    const config = load({ FCWH_WP_CONFIG: file });
    expect(config.db).toEqual({
      host: 'localhost',
      socketPath: '/run/mysqld/mysqld.sock',
      database: 'site_db',
      user: 'site_user',
      password: 'dq"pass\\word$x',
    });
    expect(config.tablePrefix).toBe('fc2024_');
  });

  it('undoes escaped quotes and backslashes in single-quoted passwords', () => {
    const file = wpConfig(
      `define( 'DB_NAME', 'n' ); define( 'DB_USER', 'u' ); define( 'DB_HOST', '127.0.0.1' );
define( 'DB_PASSWORD', 'it\\'s a \\\\ "secret" // not a comment # nor this' );`,
    );
    expect(load({ FCWH_WP_CONFIG: file }).db).toMatchObject({
      host: '127.0.0.1',
      password: 'it\'s a \\ "secret" // not a comment # nor this',
    });
  });

  it.each([
    ['[::1]:3306', { host: '::1', port: 3306 }],
    ['[::1]', { host: '::1' }],
    ['127.0.0.1:3310', { host: '127.0.0.1', port: 3310 }],
    ['db.example.com', { host: 'db.example.com' }],
    [':/var/lib/mysql/mysql.sock', { host: 'localhost', socketPath: '/var/lib/mysql/mysql.sock' }],
    ['localhost', { host: 'localhost', socketPath: '/run/mysqld/mysqld.sock' }],
    ['localhost:3306', { host: 'localhost', port: 3306 }],
  ])('reads DB_HOST %s', (dbHost, address) => {
    const file = wpConfig(
      `define('DB_NAME','n'); define('DB_USER','u'); define('DB_PASSWORD','p'); define('DB_HOST','${dbHost}');`,
    );
    const { db } = load({ FCWH_WP_CONFIG: file });
    expect({ host: db.host, port: db.port, socketPath: db.socketPath }).toEqual({
      port: undefined,
      socketPath: undefined,
      ...address,
    });
  });

  it('takes a bare localhost as the Unix socket FCWH_DB_SOCKET, as PHP does', () => {
    const file = wpConfig(`define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','localhost');`);
    expect(load({ FCWH_WP_CONFIG: file, FCWH_DB_SOCKET: '/tmp/my.sock' }).db.socketPath).toBe('/tmp/my.sock');
  });

  it('ignores commented-out defines in every comment style', () => {
    const file = wpConfig(`
// define( 'DB_NAME', 'line_comment' );
# define( 'DB_NAME', 'hash_comment' );
/* define( 'DB_NAME', 'block_comment' );
   $table_prefix = 'old_'; */
/**
 * define( 'DB_USER', 'docblock' );
 */
define( 'DB_NAME', 'real_db' ); // define( 'DB_NAME', 'trailing' );
define( 'DB_USER', 'real_user' ); # define( 'DB_USER', 'trailing_hash' );
define( 'DB_PASSWORD', 'pw/*not a comment*/' );
define( 'DB_HOST', '127.0.0.1' );
$table_prefix = 'live_';`);
    const config = load({ FCWH_WP_CONFIG: file });
    expect(config.db).toMatchObject({
      database: 'real_db',
      user: 'real_user',
      password: 'pw/*not a comment*/',
    });
    expect(config.tablePrefix).toBe('live_');
  });

  it('reads the shared secret from FCWH_SIDECAR_SECRET when FCWH_SECRET is unset', () => {
    const file = wpConfig(
      `define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','h'); define( 'FCWH_SIDECAR_SECRET', '${secret}' );`,
    );
    expect(loadConfig({ FCWH_WP_CONFIG: file, FCWH_ENCRYPTION_KEY: key }).secret).toBe(secret);
    expect(loadConfig({ FCWH_WP_CONFIG: file, FCWH_SECRET: '', FCWH_ENCRYPTION_KEY: key }).secret).toBe(
      secret,
    );
  });

  it("reads the users tables with wp-config.php's prefix when FCWH_TABLE_PREFIX names a network's subsite", () => {
    const file = wpConfig(
      `define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','h'); $table_prefix = 'wp_';`,
    );
    expect(load({ FCWH_WP_CONFIG: file, FCWH_TABLE_PREFIX: 'wp_2_' })).toMatchObject({
      tablePrefix: 'wp_2_',
      usersTablePrefix: 'wp_',
    });
    expect(load({ FCWH_WP_CONFIG: file })).toMatchObject({ tablePrefix: 'wp_', usersTablePrefix: 'wp_' });
    expect(
      load({ FCWH_DB_HOST: 'h', FCWH_DB_NAME: 'n', FCWH_DB_USER: 'u', FCWH_TABLE_PREFIX: 'x_' }),
    ).toMatchObject({
      usersTablePrefix: 'x_',
    });
  });

  it('lets environment variables win over wp-config.php', () => {
    const file = wpConfig(`define('DB_NAME','n'); define('DB_USER','u'); define('DB_PASSWORD','p');
define('DB_HOST','h'); $table_prefix = 'wp_';`);
    const config = load({
      FCWH_WP_CONFIG: file,
      FCWH_DB_HOST: '10.0.0.5:3307',
      FCWH_DB_NAME: 'other',
      FCWH_DB_USER: 'other_user',
      FCWH_DB_PASSWORD: 'other_pw',
      FCWH_TABLE_PREFIX: 'x_',
    });
    expect(config.db).toEqual({
      host: '10.0.0.5',
      port: 3307,
      database: 'other',
      user: 'other_user',
      password: 'other_pw',
    });
    expect(config.tablePrefix).toBe('x_');
  });

  it('never runs PHP: code in the file has no effect', () => {
    const marker = path.join(dir, 'ran');
    const file =
      wpConfig(`file_put_contents( '${marker}', 'x' ); define('DB_NAME','n'); define('DB_USER','u');
define('DB_HOST', 'h'); exit( 1 );`);
    expect(load({ FCWH_WP_CONFIG: file }).db.database).toBe('n');
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('refusing bad configuration with clear messages', () => {
  it('names every missing database setting and says where it was looked for', () => {
    const file = wpConfig(`define( 'DB_NAME', getenv( 'WORDPRESS_DB_NAME' ) ); define( 'DB_USER', 'u' );`);
    const message = problems({ FCWH_WP_CONFIG: file });
    expect(message).toContain(
      `FCWH_DB_NAME: not set, and ${file} has no literal define('DB_NAME', '...') (values from getenv() or expressions are not read)`,
    );
    expect(message).toContain('FCWH_DB_HOST: not set');
    expect(message).not.toContain('FCWH_DB_USER');
    expect(problems({})).toContain('FCWH_DB_HOST: not set (set it, or point --wp-config / FCWH_WP_CONFIG at');
  });

  it('refuses a setting wp-config.php sets twice to different values, unless the environment decides', () => {
    const file = wpConfig(`define('DB_NAME','n'); define('DB_USER','u');
if ( 'production' === getenv( 'ENV' ) ) { define( 'DB_HOST', 'prod-db' ); } else { define( 'DB_HOST', 'localhost' ); }`);
    expect(problems({ FCWH_WP_CONFIG: file })).toContain(
      `FCWH_DB_HOST: DB_HOST is set more than once with different values in ${file}`,
    );
    expect(load({ FCWH_WP_CONFIG: file, FCWH_DB_HOST: 'prod-db' }).db.host).toBe('prod-db');
  });

  it('refuses an unreadable wp-config.php, naming the path', () => {
    expect(problems({ FCWH_WP_CONFIG: path.join(dir, 'missing.php') })).toMatch(
      /^FCWH_WP_CONFIG \(--wp-config\): cannot read .*missing\.php: ENOENT/,
    );
  });

  it('refuses a bad table prefix from the environment or from wp-config.php', () => {
    const env = { FCWH_DB_HOST: 'h', FCWH_DB_NAME: 'n', FCWH_DB_USER: 'u' };
    expect(problems({ ...env, FCWH_TABLE_PREFIX: 'wp-live' })).toContain('FCWH_TABLE_PREFIX');
    const file = wpConfig(`define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','h');
$table_prefix = 'wp\`; DROP TABLE x; --';`);
    expect(problems({ FCWH_WP_CONFIG: file })).toContain('FCWH_TABLE_PREFIX: table prefix "wp`; DROP');
  });

  it('refuses a site URL that would carry signed notices over plain HTTP off the host', () => {
    const env = { FCWH_DB_HOST: 'h', FCWH_DB_NAME: 'n', FCWH_DB_USER: 'u' };
    for (const url of ['http://community.example.com', 'http://10.0.0.8:8080', 'ftp://127.0.0.1/']) {
      expect(problems({ ...env, FCWH_SITE_URL: url }), url).toContain(
        'FCWH_SITE_URL: an https:// URL, or http:// only to a loopback host',
      );
    }
    for (const url of [
      'https://community.example.com',
      'http://127.0.0.1:8080',
      'http://[::1]:81',
      'http://localhost',
    ]) {
      expect(load({ ...env, FCWH_SITE_URL: url }).siteUrl, url).toBe(url);
    }
  });

  it('refuses a missing, short or weak shared secret, never printing it', () => {
    const env = { FCWH_DB_HOST: 'h', FCWH_DB_NAME: 'n', FCWH_DB_USER: 'u' };
    expect(problems({ ...env, FCWH_SECRET: '' })).toContain('FCWH_SECRET: not set');
    expect(problems({ ...env, FCWH_SECRET: 'too-short-9' })).toContain(
      'FCWH_SECRET: is 11 bytes long, at least 32 are needed',
    );
    const weak = 'x'.repeat(48);
    const message = problems({ ...env, FCWH_SECRET: weak });
    expect(message).toContain('FCWH_SECRET: has only 1 different characters, at least 10 are needed');
    expect(message).not.toContain(weak);
  });

  it('refuses a shared secret that differs from the one the plugin sends', () => {
    const file = wpConfig(`define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','h');
define('FCWH_SIDECAR_SECRET', '${randomBytes(36).toString('base64url')}');`);
    expect(problems({ FCWH_WP_CONFIG: file })).toContain(
      `FCWH_SECRET differs from FCWH_SIDECAR_SECRET in ${file}`,
    );
  });

  it('names the weak secret in wp-config.php when that is where it came from', () => {
    const file = wpConfig(`define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','h');
define('FCWH_SIDECAR_SECRET', 'changeme');`);
    expect(loadConfigProblems({ FCWH_WP_CONFIG: file })).toContain(
      `FCWH_SIDECAR_SECRET in ${file}: is 8 bytes long`,
    );
  });

  it('lists every problem at once, including a bad allowlist and an unreadable CA file', () => {
    const message = problems({
      FCWH_SECRET: 'short',
      FCWH_ALLOW_TARGETS: 'not-a-target',
      FCWH_CA_FILE: path.join(dir, 'no-ca.pem'),
    });
    expect(message.split('\n')).toEqual([
      expect.stringContaining('FCWH_DB_HOST: not set'),
      expect.stringContaining('FCWH_DB_NAME: not set'),
      expect.stringContaining('FCWH_DB_USER: not set'),
      expect.stringContaining('FCWH_SECRET: is 5 bytes long'),
      expect.stringContaining('FCWH_ALLOW_TARGETS: "not-a-target" is not host:port'),
      expect.stringContaining('FCWH_CA_FILE: cannot read'),
    ]);
  });

  it('judges shared secrets by length, variety, repetition and character set', () => {
    for (const [candidate, acceptable] of secretVectors) {
      expect({ candidate, acceptable: secretProblem(candidate) === undefined }).toEqual({
        candidate,
        acceptable,
      });
    }
  });
});

describe('the command line', () => {
  it('turns --wp-config PATH and --wp-config=PATH into FCWH_WP_CONFIG', () => {
    expect(argsToEnv(['--wp-config', '/var/www/html/wp-config.php'])).toEqual({
      FCWH_WP_CONFIG: '/var/www/html/wp-config.php',
    });
    expect(argsToEnv(['--wp-config=/srv/wp-config.php'])).toEqual({ FCWH_WP_CONFIG: '/srv/wp-config.php' });
    expect(argsToEnv([])).toEqual({});
  });

  it('refuses unknown flags and stray arguments', () => {
    expect(() => argsToEnv(['--wpconfig', 'x'])).toThrow(ConfigError);
    expect(() => argsToEnv(['/var/www/html/wp-config.php'])).toThrow(/the only flag is --wp-config PATH/);
    expect(() => argsToEnv(['--wp-config'])).toThrow(ConfigError);
  });
});

describe('the key for secrets at rest', () => {
  const saltNames = [
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
  ];
  const allSalts = [...saltNames, 'LOGGED_IN_SALT', 'NONCE_SALT'];
  const base = `define('DB_NAME','n'); define('DB_USER','u'); define('DB_HOST','h');`;
  /** A wp-config.php with the eight salts, `override` replacing some of their define lines. */
  const withSalts = (override: Record<string, string> = {}) =>
    wpConfig(
      `${base}\n${allSalts
        .map((name) => override[name] ?? `define( '${name}', '${randomBytes(32).toString('base64')}' );`)
        .join('\n')}`,
    );
  const keyOf = (file: string) => loadConfig({ FCWH_SECRET: secret, FCWH_WP_CONFIG: file }).encryptionKey;

  it("derives the key from wp-config.php's eight salts when FCWH_ENCRYPTION_KEY is unset", () => {
    const file = withSalts();
    expect(keyOf(file)).toHaveLength(8 * 44);
    expect(keyOf(file)).not.toContain(secret);
    expect(load({ FCWH_WP_CONFIG: file }).encryptionKey).toBe(key);
  });

  it("refuses wp-config-sample.php's placeholder and empty salts, naming them, unless FCWH_ENCRYPTION_KEY is set", () => {
    const file = withSalts({
      AUTH_KEY: "define( 'AUTH_KEY',         'put your unique phrase here' );",
      NONCE_SALT: "define( 'NONCE_SALT', 'put your unique phrase here' );",
      LOGGED_IN_KEY: "define( 'LOGGED_IN_KEY', '' );",
    });
    const message = loadConfigProblems({ FCWH_SECRET: secret, FCWH_WP_CONFIG: file });
    expect(message).toContain('FCWH_ENCRYPTION_KEY: not set, and the keys and salts in');
    expect(message).toContain('AUTH_KEY, NONCE_SALT: "put your unique phrase here"');
    expect(message).toContain('LOGGED_IN_KEY: empty');
    expect(message).toContain('set FCWH_ENCRYPTION_KEY');
    expect(load({ FCWH_WP_CONFIG: file }).encryptionKey).toBe(key);
  });

  it('refuses salts read with getenv() or built by expressions, which the sidecar cannot evaluate', () => {
    const file = withSalts({
      AUTH_KEY: "define( 'AUTH_KEY', getenv( 'WP_AUTH_KEY' ) );",
      SECURE_AUTH_KEY: "define( 'SECURE_AUTH_KEY', 'abc' . getenv( 'X' ) );",
      NONCE_KEY: "define( 'NONCE_KEY', $_ENV['NONCE_KEY'] ?? '' );",
    });
    expect(loadConfigProblems({ FCWH_SECRET: secret, FCWH_WP_CONFIG: file })).toContain(
      'AUTH_KEY, SECURE_AUTH_KEY, NONCE_KEY: set with getenv() or an expression, which is not read',
    );
  });

  it('refuses missing, short, repeated and conditional salts', () => {
    expect(loadConfigProblems({ FCWH_SECRET: secret, FCWH_WP_CONFIG: wpConfig(base) })).toContain(
      'AUTH_KEY, SECURE_AUTH_KEY, LOGGED_IN_KEY, NONCE_KEY, AUTH_SALT, SECURE_AUTH_SALT, LOGGED_IN_SALT, NONCE_SALT: missing',
    );
    expect(
      loadConfigProblems({
        FCWH_SECRET: secret,
        FCWH_WP_CONFIG: withSalts({ AUTH_SALT: "define( 'AUTH_SALT', 'short-salt' );" }),
      }),
    ).toContain('AUTH_SALT: shorter than 32 characters');
    const same = `'${'k'.repeat(10)}${randomBytes(30).toString('hex')}'`;
    expect(
      loadConfigProblems({
        FCWH_SECRET: secret,
        FCWH_WP_CONFIG: withSalts(Object.fromEntries(allSalts.map((n) => [n, `define( '${n}', ${same} );`]))),
      }),
    ).toContain('the same value used twice');
    const twice = withSalts({
      AUTH_KEY: `if ( $x ) { define( 'AUTH_KEY', '${'a'.repeat(40)}' ); } else { define( 'AUTH_KEY', '${'b'.repeat(40)}' ); }`,
    });
    expect(loadConfigProblems({ FCWH_SECRET: secret, FCWH_WP_CONFIG: twice })).toContain(
      'AUTH_KEY: set more than once with different values',
    );
  });

  it('refuses to fall back to the shared secret, and a key equal to it or weak', () => {
    expect(
      loadConfigProblems({ FCWH_SECRET: secret, FCWH_DB_HOST: 'h', FCWH_DB_NAME: 'n', FCWH_DB_USER: 'u' }),
    ).toContain('FCWH_ENCRYPTION_KEY: not set, and no wp-config.php to take keys and salts from');
    const env = { FCWH_DB_HOST: 'h', FCWH_DB_NAME: 'n', FCWH_DB_USER: 'u' };
    expect(problems({ ...env, FCWH_ENCRYPTION_KEY: secret })).toContain(
      'FCWH_ENCRYPTION_KEY: equals the shared secret',
    );
    expect(problems({ ...env, FCWH_ENCRYPTION_KEY: 'a'.repeat(48) })).toContain(
      'FCWH_ENCRYPTION_KEY: has only 1 different characters',
    );
    expect(problems({ ...env, FCWH_ENCRYPTION_KEY: 'a'.repeat(48) })).not.toContain('a'.repeat(48));
  });
});

function loadConfigProblems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}
