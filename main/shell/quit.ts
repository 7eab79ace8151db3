/** What quitting needs of Electron's `app`. */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Holds the first quit until the engine has closed: `engine.close()` runs `panel.shutdown()`,
 * which stops every server or leaves them for the next start, as the supervisor's
 * `supervisor.onQuit` setting says. Then the quit goes ahead; a failure must not keep the app open.
 */
export function closeEngineBeforeQuit(app: QuittingApp, close: () => Promise<void>, log: (message: string, err: unknown) => void): void {
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void close()
      .catch((err: unknown) => log('could not close the engine cleanly while quitting', err))
      .finally(() => app.quit());
  });
}
