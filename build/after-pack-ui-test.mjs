// afterPack hook for the UI-automation build only (electron-builder.ui-test.yml): the same
// fuses as a release, except that --inspect stays available so a test driver can attach.
// Never ship this build.
import { flipPackagedFuses } from './fuses.mjs';

export default async function afterPack(context) {
  await flipPackagedFuses(context, { keepInspect: true });
}
