import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuildOptions } from 'esbuild';
import { PortcullisError } from '../errors.js';
import type { FromWriter, ToWriter, WriterStart } from './writer-protocol.js';

/** The built writer's file name, next to the bundle that runs (out/main) or one folder up (a chunk). */
export const WRITER_FILE = 'audit-writer.cjs';

let compiled: string | null = null;

declare const __PORTCULLIS_VERSION__: string | undefined;

/**
 * The writer thread's code, as one self-contained CommonJS script. The app's build emits it
 * as out/main/audit-writer.cjs; it is read and handed to the Worker as text so it also loads
 * from inside an asar archive. Running from TypeScript (tests, `tsx`), where a worker cannot
 * load .ts, it is compiled here once per process, exactly as the build compiles it.
 */
async function writerCode(): Promise<string> {
  if (compiled !== null) return compiled;
  const here = fileURLToPath(import.meta.url);
  const built = [join(dirname(here), WRITER_FILE), join(dirname(here), '..', WRITER_FILE)].find((file) => existsSync(file));
  if (built) {
    compiled = readFileSync(built, 'utf8');
  } else if (typeof __PORTCULLIS_VERSION__ !== 'string' && here.endsWith('.ts')) {
    // The app's build defines the version, so this branch (and esbuild, a dev tool) is not in it.
    const { build } = await import('esbuild');
    const out = await build({ ...writerBuildOptions(join(dirname(here), 'writer-worker.ts')), write: false });
    compiled = out.outputFiles?.[0]?.text ?? '';
  } else {
    throw new PortcullisError('failed', `the audit journal's writer (${WRITER_FILE}) is missing beside ${here}: this installation of Portcullis is incomplete; reinstall it (from source: npm run build).`);
  }
  return compiled;
}

/** How the writer is bundled: by the app's build and, from source, by writerCode. */
export function writerBuildOptions(entry: string): BuildOptions {
  return { entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'none' };
}

/**
 * The journal's end of its writer thread. The thread keeps the process alive only while a
 * batch is on its way (a CLI that is done must be able to exit), and a thread that dies takes
 * every unanswered batch with it as failed — never as written.
 */
export class WriterThread {
  /** Whether the thread holds the process open: from a batch sent until the last one is answered. */
  private held = false;
  private lastSent = -1;
  private exited = false;
  private closing = false;

  private constructor(
    private readonly worker: Worker,
    onMessage: (message: FromWriter) => void,
    onExit: (err: Error) => void,
  ) {
    worker.unref();
    worker.on('message', (message: FromWriter) => {
      this.settle(message.lastId);
      onMessage(message);
    });
    worker.on('error', (err) => {
      this.exited = true;
      onExit(err);
    });
    worker.on('exit', (code) => {
      if (this.exited) return;
      this.exited = true;
      if (this.closing) return;
      onExit(new Error(`the audit writer thread stopped (exit code ${code})`));
    });
  }

  static async start(start: WriterStart, onMessage: (message: FromWriter) => void, onExit: (err: Error) => void): Promise<WriterThread> {
    // No inherited flags: the writer is plain CommonJS whatever the host process was started with
    // (--input-type=module would make it an ES module, --import tsx would load a loader).
    const worker = new Worker(await writerCode(), { eval: true, execArgv: [], workerData: start, name: 'portcullis-audit-writer' });
    return new WriterThread(worker, onMessage, onExit);
  }

  get alive(): boolean {
    return !this.exited;
  }

  send(message: ToWriter): void {
    if (message.type === 'batch') {
      this.lastSent = message.id;
      if (!this.held) {
        this.held = true;
        this.worker.ref();
      }
    }
    this.worker.postMessage(message);
  }

  private settle(lastId: number): void {
    if (this.held && lastId >= this.lastSent) {
      this.held = false;
      this.worker.unref();
    }
  }

  /** Asks the thread to close its file and waits until it has. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies ToWriter);
    });
  }
}
