import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tlsStamp } from '../../main/core/gateway/tls.js';
import { TlsRenewal } from '../../main/core/gateway/tls-renewal.js';
import { tempDir } from '../helpers/tmp.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('certificate renewal watch', () => {
  it('reports each change of the files once, and nothing while none is open or after stop', () => {
    vi.useFakeTimers();
    const dir = tempDir();
    const files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    writeFileSync(files.certFile, 'c');
    writeFileSync(files.keyFile, 'k');
    const touch = (file: string, seconds: number): void => utimesSync(file, seconds, seconds);
    touch(files.certFile, 1_000);
    touch(files.keyFile, 1_000);
    let changes = 0;
    const watch = new TlsRenewal(() => files, 100, () => changes++);

    watch.sync(null);
    touch(files.keyFile, 2_000);
    vi.advanceTimersByTime(1_000);
    expect(changes).toBe(0); // no HTTPS listener open: nothing watched

    watch.sync(tlsStamp(files));
    vi.advanceTimersByTime(1_000);
    expect(changes).toBe(0); // what the listeners serve is what is on disk

    touch(files.keyFile, 3_000); // a renewal (or a broken one): reported once, not every tick
    vi.advanceTimersByTime(1_000);
    expect(changes).toBe(1);
    touch(files.certFile, 3_000);
    vi.advanceTimersByTime(1_000);
    expect(changes).toBe(2);

    watch.stop();
    touch(files.certFile, 4_000);
    vi.advanceTimersByTime(1_000);
    expect(changes).toBe(2);
  });
});
