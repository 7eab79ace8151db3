import { isIP } from 'node:net';
import type { ExposureMode, NetworkInterfaceView } from '../contract/exposure.js';
import { PortcullisError } from '../errors.js';
import { isLoopbackAddress } from './interfaces.js';
import { ALL_IPV6, bindsEverything } from './urls.js';

/**
 * The address a listener binds. Public: every interface unless one is given. LAN: the given
 * address, else the one used last time if the machine still has it, else its first LAN
 * (then VPN) address — never every interface, which is what public mode is for.
 */
export function chooseBind(
  mode: Exclude<ExposureMode, 'local'>,
  given: string | undefined,
  remembered: string | undefined,
  known: NetworkInterfaceView[],
): string {
  if (mode === 'public') return given === undefined ? ALL_IPV6 : checkAddress(given, known);
  if (given !== undefined) {
    if (bindsEverything(given)) {
      throw new PortcullisError(
        'invalid_args',
        `LAN mode listens on one address, never ${given}: choose one with --bind (see \`portcullis interfaces\`), or use public mode`,
        'bind',
      );
    }
    return checkAddress(given, known);
  }
  if (remembered && !bindsEverything(remembered) && known.some((i) => i.address === remembered)) return remembered;
  const lan = known.find((i) => i.kind === 'lan' && i.family === 'IPv4') ?? known.find((i) => i.kind === 'lan') ?? known.find((i) => i.kind === 'vpn');
  if (!lan) {
    throw new PortcullisError('invalid_args', 'this machine has no LAN or VPN address: choose one with --bind (see `portcullis interfaces`)', 'bind');
  }
  return lan.address;
}

/** Only this machine's addresses (any 127.x loopback address counts: lo answers them all). */
function checkAddress(address: string, known: NetworkInterfaceView[]): string {
  if (isIP(address) === 0) {
    throw new PortcullisError('invalid_args', `bind must be an IP address, not "${address}": see \`portcullis interfaces\``, 'bind');
  }
  if (bindsEverything(address) || isLoopbackAddress(address)) return address;
  if (!known.some((i) => i.address === address)) {
    throw new PortcullisError('invalid_args', `${address} is not an address of this machine: see \`portcullis interfaces\``, 'bind');
  }
  return address;
}
