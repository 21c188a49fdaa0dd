/** Files that hold credentials (application passwords, the shared secret): readable by their owner only. */
import fs from 'node:fs';

/**
 * Writes `data` to `file` with mode 0600. Through a new file renamed into place: writeFileSync's `mode` applies
 * only when it creates the file, so an existing world-readable file would otherwise keep its mode.
 */
export function writePrivateFile(file: string, data: string): void {
  const scratch = `${file}.${process.pid}.tmp`;
  fs.rmSync(scratch, { force: true });
  fs.writeFileSync(scratch, data, { mode: 0o600, flag: 'wx' });
  fs.renameSync(scratch, file);
}
