import { spawn, type ChildProcess } from 'node:child_process';
import { cleanup } from './cleanup.js';
import { cliBin } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `portcullis` bin in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, ...args], { env: { ...process.env, ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `portcullis serve` and waits for its ready line. */
export function startServe(home: string, extra: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [cliBin, 'serve', '--home', home, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d));
  const stop = (): Promise<number | null> =>
    new Promise((resolve) => {
      // Already ended (a test may SIGKILL it on purpose): its close event has passed.
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('close', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  cleanup(stop);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const match = /Portcullis ready: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+))/.exec(out);
      if (match) resolve({ child, url: match[1] as string, port: Number(match[2]), token: match[3] as string, output: () => out, stop });
    });
    child.once('close', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${out}`)));
  });
}
