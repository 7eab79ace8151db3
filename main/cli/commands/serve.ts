import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startControlServer } from '../../core/control/server.js';
import { startEngine } from '../../core/engine.js';
import { openConfBackend } from '../../core/settings/conf-backend.js';
import { version } from '../../core/version.js';
import { openKeytarKeychain } from '../../platform/keytar-keychain.js';
import type { Command } from '../context.js';
import { intOption, parse } from '../parse.js';
import { staticFiles } from '../static-files.js';

export const serve: Command = {
  name: 'serve',
  usage: 'serve [--home DIR] [--port N]',
  summary: 'run the engine headless, with the UI in a browser on 127.0.0.1',
  async run(argv, ctx) {
    const { values } = parse(argv, { port: { type: 'string' } }, { min: 0, max: 0, names: '' });
    const port = intOption(values.port, 'port') ?? 0;
    const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
    if (!existsSync(rendererDir)) ctx.err(`warning: no built UI at ${rendererDir}; run \`npm run build\`.`);

    const engine = await startEngine({ home: ctx.home, face: 'serve', version, openSettings: openConfBackend, keychain: openKeytarKeychain() });
    for (const warning of engine.panel.info().warnings) ctx.err(`warning: ${warning}`);
    // A fresh session token each run: whoever can read this terminal may use the UI.
    const token = randomBytes(32).toString('base64url');
    const web = await startControlServer({
      dispatch: engine.panel.dispatch,
      bus: engine.panel.bus,
      listen: { kind: 'tcp', port, token },
      actor: (req) => ({ kind: 'browser', address: req.socket.remoteAddress ?? 'unknown' }),
      fallback: staticFiles(rendererDir),
    }).catch(async (err: NodeJS.ErrnoException) => {
      await engine.close();
      throw err.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is in use; choose another with --port N`) : err;
    });
    ctx.out(`Portcullis ready: http://127.0.0.1:${web.port}/#token=${token}`);

    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    ctx.err("stopping servers…");
    await web.close();
    await engine.close();
    return 0;
  },
};
