// What a firewall VM's bootstrap says about it, in its vendor's words. The bootstrap is the instance's user
// data, or part of it when other settings are computed at apply time (Unknown.parts in the Terraform
// evaluator): a setting is read only from text the inputs decide.
//
// PAN-OS (VM-Series) reads `key=value` settings separated by `;` or new lines (the init-cfg.txt keys). Its
// GWLB plugin commands sit in `plugin-op-commands`; `aws-gwlb-overlay-routing:enable` makes the firewall
// route inspected GWLB traffic by its own routing table (out of its public interface for the internet)
// instead of returning it to the GWLB endpoint. Absent from the user data, it is not "off": an operator can
// enable it on the running firewall, or a bootstrap bucket's init-cfg.txt can.
//
// FortiOS (FortiGate) boots from CLI configuration (fortiosPolicy.ts reads it, with its firewall policy).

import type { BootstrapPolicy } from '../../model/types';
import { fortiOsBootstrap, type Locate } from './fortiosPolicy';

/** The vendor name shown for a firewall VM whose bootstrap is PAN-OS's. */
export const PANOS_VENDOR = 'Palo Alto VM-Series';

/** Settings only a PAN-OS bootstrap writes (each is `key=`). */
const PANOS_KEYS = [
  'plugin-op-commands=',
  'vmseries-bootstrap-aws-s3bucket=',
  'mgmt-interface-swap=',
  'panorama-server=',
  'op-command-modes=',
  'authcodes=',
  'vm-auth-key=',
];

const OVERLAY_ROUTING = 'aws-gwlb-overlay-routing:enable';

export interface NgfwBootstrap {
  vendor: string;
  /** The bootstrap enables overlay routing (false: the inputs do not say it is on). */
  overlayRouting: boolean;
  /** The firewall's own policy, when the bootstrap writes it (FortiOS `config firewall policy`). */
  policy?: BootstrapPolicy;
}

/**
 * What whole bootstrap texts say (each located where it is written): a FortiGate's FortiOS configuration and
 * the policy it writes. The first text writing a policy wins (a cloud-init bundle also carries a license part).
 */
export function ngfwFromTexts(texts: readonly { text: string; locate: Locate }[]): NgfwBootstrap | undefined {
  let found: NgfwBootstrap | undefined;
  for (const t of texts) {
    const fos = fortiOsBootstrap(t.text, t.locate);
    if (!fos) continue;
    if (fos.policy) return { vendor: fos.vendor, overlayRouting: false, policy: fos.policy };
    found ??= { vendor: fos.vendor, overlayRouting: false };
  }
  return found;
}

/** What known pieces of an instance's user data say of the firewall it runs; undefined when they name none. */
export function ngfwBootstrap(parts: readonly string[]): NgfwBootstrap | undefined {
  if (!parts.some((p) => PANOS_KEYS.some((k) => p.includes(k)))) return undefined;
  return { vendor: PANOS_VENDOR, overlayRouting: parts.some((p) => p.includes(OVERLAY_ROUTING)) };
}
