import { Alert, Anchor, Text } from '@mantine/core';
import type { TlsView } from '../../../../main/core/api';
import { hrefOf } from '../../state/route';
import { sentence } from '../../util/sentence';

const settingsLink = (
  <Anchor href={hrefOf({ view: 'settings' })} inherit underline="always">
    Settings → Gateway
  </Anchor>
);

/**
 * Said before exposing: HTTPS and the names clients must use for it, or, without a usable
 * certificate, that the token would cross the network in the clear (loud for Public: any
 * network, maybe the internet; a note for the LAN), or why the set one cannot be used. Nothing
 * while the certificate is not known yet, rather than guess.
 */
export function EncryptionNotice({ tls, mode }: { tls: TlsView | null | undefined; mode: 'lan' | 'public' }) {
  if (tls === undefined) return null;
  if (tls !== null && tls.problem === null) {
    return (
      <Text size="sm" data-testid="https-note">
        Encrypted: the gateway serves HTTPS{tls.names.length > 0 ? ` with a certificate for ${tls.names.join(', ')}` : ''}. Clients that
        connect by another name or address see a certificate warning.
      </Text>
    );
  }
  if (tls?.problem) {
    // The engine refuses to expose with a set but unusable certificate rather than fall back to plain HTTP.
    return (
      <Alert color="red" variant="light" title="The gateway's certificate cannot be used" data-testid="tls-problem">
        {sentence(tls.problem)}. Exposing is refused until it is fixed in {settingsLink} (or the gateway is set back to plain HTTP there).
      </Alert>
    );
  }
  if (mode === 'public') {
    return (
      <Alert color="red" variant="light" title="Not encrypted" data-testid="plain-http-warning">
        Traffic to this server, the token included, will cross the network unencrypted. Set an HTTPS certificate in {settingsLink}, or put a TLS
        proxy in front.
      </Alert>
    );
  }
  return (
    <Alert color="gray" variant="light" data-testid="plain-http-warning">
      Plain HTTP: on a network you do not fully trust, the token can be read on the way. An HTTPS certificate can be set in {settingsLink}.
    </Alert>
  );
}
