/** A local certificate authority and a server certificate for 127.0.0.1/localhost, made with the openssl CLI. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM file paths; `caFile` is what clients (the sidecar's FCWH_CA_FILE, tests) trust. */
export interface TlsFiles {
  caFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
}

/** PEM contents, ready for `https.createServer` and `new undici.Agent({ connect: { ca } })`. */
export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

/** The file names `ensureCertificates` uses inside `dir`. */
export function tlsFiles(dir: string): TlsFiles {
  const abs = path.resolve(dir);
  return {
    caFile: path.join(abs, 'ca.pem'),
    caKeyFile: path.join(abs, 'ca-key.pem'),
    certFile: path.join(abs, 'server.pem'),
    keyFile: path.join(abs, 'server-key.pem'),
  };
}

/**
 * Makes (or reuses, when all four files exist) a CA valid 10 years and a server certificate valid 825 days
 * for SAN IP:127.0.0.1, DNS:localhost, signed by it, in `dir`.
 */
export async function ensureCertificates(dir: string): Promise<TlsFiles> {
  const files = tlsFiles(dir);
  if (Object.values(files).every((file) => fs.existsSync(file))) return files;
  // Built in a scratch dir and renamed, so an interrupted run never leaves a half-made set that looks complete.
  const scratch = `${path.resolve(dir)}.tmp-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  const tmp = tlsFiles(scratch);
  const ext = path.join(scratch, 'server.ext');
  const csr = path.join(scratch, 'server.csr');
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650'],
    ['-keyout', tmp.caKeyFile, '-out', tmp.caFile, '-subj', '/CN=Fluent Community Webhooks local test CA'],
    ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  );
  await openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256'],
    ['-keyout', tmp.keyFile, '-out', csr, '-subj', '/CN=127.0.0.1'],
  );
  fs.writeFileSync(
    ext,
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await openssl(
    ['x509', '-req', '-in', csr, '-CA', tmp.caFile, '-CAkey', tmp.caKeyFile, '-CAcreateserial'],
    ['-out', tmp.certFile, '-days', '825', '-sha256', '-extfile', ext],
  );
  fs.rmSync(path.resolve(dir), { recursive: true, force: true });
  fs.renameSync(scratch, path.resolve(dir));
  return files;
}

/** Reads the PEM files into memory. */
export function readTls(files: TlsFiles): TlsMaterial {
  return {
    ca: fs.readFileSync(files.caFile, 'utf8'),
    cert: fs.readFileSync(files.certFile, 'utf8'),
    key: fs.readFileSync(files.keyFile, 'utf8'),
  };
}

async function openssl(...argGroups: string[][]): Promise<void> {
  try {
    await run('openssl', argGroups.flat());
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${argGroups[0]?.[0] ?? ''} failed: ${stderr || String(error)}`);
  }
}
