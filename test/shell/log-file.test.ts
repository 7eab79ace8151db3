import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLogFile } from '../../main/shell/log-file.js';
import { tempDir } from '../helpers/tmp.js';

describe('the desktop app\'s log file', () => {
  it('appends private, timestamped lines with the error\'s stack', () => {
    const dir = join(tempDir('pc-shlog-'), 'logs');
    const log = openLogFile(dir);
    log('could not start', new Error('port 8000 is taken'));
    const text = readFileSync(join(dir, 'portcullis.log'), 'utf8');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z could not start Error: port 8000 is taken\n\s+at /);
    expect(statSync(join(dir, 'portcullis.log')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('stays bounded: past the limit the file moves to .1 and a new one starts', () => {
    const dir = tempDir('pc-shlog-');
    const log = openLogFile(dir, 200);
    for (let i = 0; i < 10; i++) log(`line ${i} ${'x'.repeat(40)}`);
    const current = readFileSync(join(dir, 'portcullis.log'), 'utf8');
    const previous = readFileSync(join(dir, 'portcullis.log.1'), 'utf8');
    expect(current.length).toBeLessThanOrEqual(200);
    expect(previous.length).toBeLessThanOrEqual(200);
    expect(current).toContain('line 9 ');
  });
});
