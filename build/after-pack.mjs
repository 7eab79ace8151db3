// electron-builder afterPack hook for release builds: every fuse locked down.
import { flipPackagedFuses } from './fuses.mjs';

export default async function afterPack(context) {
  await flipPackagedFuses(context);
}
