import { z } from 'zod';

const onQuit = z.enum(['stop', 'leave'], { error: 'supervisor.onQuit must be "stop" or "leave"' });
const orphans = z.enum(['adopt', 'stop'], { error: 'supervisor.orphans must be "adopt" or "stop"' });

/** The supervisor's section of the settings: what quitting does, and what happens to survivors. */
export const supervisorSection = z.object({
  /** `stop`: quitting stops every server. `leave`: they keep running and the next start re-adopts them. */
  onQuit: onQuit.default('stop'),
  /** Servers found running after Portcullis died: `adopt` watches them again, `stop` stops them. */
  orphans: orphans.default('adopt'),
});
export type SupervisorSettings = z.output<typeof supervisorSection>;

/** A change to that section: only what is given changes (no defaults filled in). */
export const supervisorUpdate = z.object({ onQuit: onQuit.optional(), orphans: orphans.optional() });
