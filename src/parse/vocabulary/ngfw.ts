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
// Its security policy is not in these settings: `panorama-server` hands the firewall to Panorama, which pushes the
// policy of its device group (`dgname`); `vmseries-bootstrap-aws-s3bucket` makes it boot from a bucket whose
// config/bootstrap.xml holds a full configuration; without either, the policy is configured on the firewall.
// None of these is in the inputs: such a VM counts as enforcing, as any appliance whose policy is not in the inputs
// (docs/domain.md), and the reason says where its policy is, located at the setting that says so.
//
// FortiOS (FortiGate) boots from CLI configuration (fortiosPolicy.ts reads it, with its firewall policy).

import type { BootstrapEgress, BootstrapPolicy, PolicyElsewhere, SourceLocation } from '../../model/types';
import { fortiOsBootstrap, type Locate } from './fortiosPolicy';

/**
 * Firewall managers (a management plane, never on a data path) by the words their marketplace images and Name
 * tags use: Cisco's FMCv images are named `fmcv-<version>-...`, Palo Alto's `Panorama-AWS-...`.
 */
const FIREWALL_MANAGERS: readonly [RegExp, string][] = [
  [/\bfmcv\b|firepower management center|firewall management center/i, 'Cisco Secure Firewall Management Center'],
  [/\bpanorama\b/i, 'Palo Alto Networks Panorama'],
  [/\bfortimanager\b/i, 'FortiManager'],
];

/** The firewall manager a text (an image name or filter, a Name tag) names, if any. */
export function firewallManager(text: string): string | undefined {
  return FIREWALL_MANAGERS.find(([re]) => re.test(text))?.[1];
}

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
  /**
   * Why whether the bootstrap enables overlay routing cannot be decided, when overlayRouting is false only
   * because part of the bootstrap is not known (values known only at apply, a deploy-time condition).
   */
  overlayUndecided?: string;
  /** The firewall's own policy, when the bootstrap writes it (FortiOS `config firewall policy`). */
  policy?: BootstrapPolicy;
  /** Where the policy is when the bootstrap says it is elsewhere (a VM-Series' Panorama, bucket, or the firewall itself). */
  policyElsewhere?: PolicyElsewhere;
  /** The egress interface its routes decide when it writes no policy (FortiOS; with a policy, each table has its own). */
  egress?: BootstrapEgress;
  /**
   * A PAN-OS bootstrap wholly in the inputs that does not swap the management interface (panosMgmtSwap 'off'): where
   * it is written. On AWS the VM-Series' interface at device index 0 is then its management interface (F238).
   */
  mgmtFirst?: SourceLocation;
}

/** One `key=value` setting of a PAN-OS bootstrap and where its text starts and ends. */
interface PanosSetting {
  key: string;
  value: string;
  start: number;
  end: number;
  /** Empty at the end of a known piece: its value may be one known only at apply. */
  open: boolean;
}

function panosSettings(text: string, open: boolean): PanosSetting[] {
  const out: PanosSetting[] = [];
  const re = /[^;\r\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const eq = m[0].indexOf('=');
    if (eq <= 0) continue;
    const lead = m[0].length - m[0].trimStart().length;
    out.push({
      key: m[0].slice(lead, eq).trim(),
      value: m[0].slice(eq + 1).trim(),
      start: m.index + lead,
      end: m.index + m[0].trimEnd().length,
      // A value written at the end of a piece is taken as written (bootstrap values are whole names and addresses).
      open: open && m.index + m[0].length === text.length && m[0].slice(eq + 1).trim() === '',
    });
  }
  return out;
}

/**
 * Where a VM-Series' policy is, by its bootstrap settings (`pieces`: known texts, each with where an offset range
 * of it is written, and whether a value known only at apply may follow it).
 */
export function panosPolicyElsewhere(pieces: readonly { text: string; locate: Locate; open?: boolean }[]): PolicyElsewhere {
  const all = pieces.flatMap((p) => panosSettings(p.text, p.open ?? false).map((s) => ({ ...s, locate: p.locate })));
  const find = (key: string) => all.find((s) => s.key === key);
  const at = (s: (typeof all)[number]): SourceLocation => s.locate(s.start, s.end);
  const panorama = find('panorama-server');
  const group = find('dgname');
  // A value a template fills at deploy time (`${...}` as CloudFormation text keeps it) names nothing yet.
  const named = (v: string): boolean => v !== '' && !v.includes('${');
  const dg = group && named(group.value) ? `, device group ${group.value}` : '';
  if (panorama && (panorama.value !== '' || panorama.open))
    return {
      reason: named(panorama.value)
        ? `its policy is in Panorama ${panorama.value}${dg}, not in the inputs`
        : `its policy is in a Panorama server named only at apply, not in the inputs`,
      loc: at(panorama),
      via: 'panorama',
    };
  const bucket = find('vmseries-bootstrap-aws-s3bucket');
  if (bucket)
    return {
      reason: named(bucket.value)
        ? `its policy is in bootstrap bucket ${bucket.value}'s config/bootstrap.xml, not in the inputs`
        : `its policy is in the config/bootstrap.xml of a bootstrap bucket named at apply, not in the inputs`,
      loc: at(bucket),
      via: 'bucket',
    };
  const first = all.find((s) => PANOS_KEYS.includes(`${s.key}=`)) ?? all[0];
  const reason = 'its bootstrap names no Panorama and no bootstrap bucket: its policy is set on the firewall, not in the inputs';
  return { reason, loc: first ? at(first) : pieces[0].locate(0, pieces[0].text.length), via: 'device' };
}

/**
 * Settings that make PAN-OS read more of its bootstrap from elsewhere (an S3 bucket's or an Azure file share's
 * init-cfg.txt, an AWS Secrets Manager secret), where `mgmt-interface-swap` may be set.
 */
const BOOTSTRAP_ELSEWHERE = new Set(['vmseries-bootstrap-aws-s3bucket', 'secret_name', 'storage-account', 'file-share']);

/**
 * Whether a PAN-OS bootstrap swaps the management interface with the first data interface: `mgmt-interface-swap=enable`,
 * or `mgmt-interface-swap` among the `op-command-modes` (the init-cfg.txt form). Without the swap, PAN-OS takes the
 * VM's first interface (AWS device index 0, Azure's primary NIC) as its management interface, which forwards no
 * traffic. 'undecided' when the rest of the bootstrap may set it: part of it known only at apply or deploy time
 * (`partial`, a `${...}` the template fills), or settings read from a bucket, a file share or a secret.
 */
export function panosMgmtSwap(texts: readonly string[], partial: boolean): 'on' | 'off' | 'undecided' {
  const settings = texts.flatMap((t) => panosSettings(t, false));
  const bare = (v: string): string =>
    v
      .replace(/^["']|["']$/g, '')
      .trim()
      .toLowerCase();
  const swaps = (s: PanosSetting): boolean =>
    (s.key === 'mgmt-interface-swap' && bare(s.value) === 'enable') ||
    (s.key === 'op-command-modes' &&
      bare(s.value)
        .split(',')
        .some((m) => m.trim() === 'mgmt-interface-swap'));
  if (settings.some(swaps)) return 'on';
  const elsewhere = settings.some((s) => BOOTSTRAP_ELSEWHERE.has(s.key));
  // Written as disabled: the rest of a partly known user data would not enable it again.
  if (!elsewhere && settings.some((s) => s.key === 'mgmt-interface-swap' && bare(s.value) === 'disable')) return 'off';
  if (partial || texts.some((t) => t.includes('${')) || elsewhere) return 'undecided';
  return 'off';
}

/**
 * What whole bootstrap texts say (each located where it is written): a FortiGate's FortiOS configuration and
 * the policy it writes. The first text writing a policy wins (a cloud-init bundle also carries a license part).
 */
export function ngfwFromTexts(
  texts: readonly { text: string; locate: Locate; values?: ReadonlyMap<string, string> }[],
): NgfwBootstrap | undefined {
  let found: NgfwBootstrap | undefined;
  for (const t of texts) {
    if (PANOS_KEYS.some((k) => t.text.includes(k))) {
      found ??= {
        vendor: PANOS_VENDOR,
        overlayRouting: t.text.includes(OVERLAY_ROUTING),
        policyElsewhere: panosPolicyElsewhere([{ text: t.text, locate: t.locate }]),
        ...(panosMgmtSwap(
          texts.map((x) => x.text),
          false,
        ) === 'off'
          ? { mgmtFirst: t.locate(0, t.text.length) }
          : {}),
      };
      continue;
    }
    const fos = fortiOsBootstrap(t.text, t.locate, t.values);
    if (!fos) continue;
    if (fos.policy) return { vendor: fos.vendor, overlayRouting: false, policy: fos.policy };
    found ??= { vendor: fos.vendor, overlayRouting: false, ...(fos.egress ? { egress: fos.egress } : {}) };
  }
  return found;
}

/**
 * What known pieces of an instance's user data say of the firewall it runs; undefined when they name none. `at` is
 * where the user data is written (the pieces come from an evaluation: their own place is not kept); `partial`: the
 * user data also holds values known only at apply.
 */
export function ngfwBootstrap(parts: readonly string[], at: () => SourceLocation, partial: boolean): NgfwBootstrap | undefined {
  if (!parts.some((p) => PANOS_KEYS.some((k) => p.includes(k)))) return undefined;
  const overlayRouting = parts.some((p) => p.includes(OVERLAY_ROUTING));
  return {
    vendor: PANOS_VENDOR,
    overlayRouting,
    ...(!overlayRouting && partial ? { overlayUndecided: 'the known part of it does not, the rest is known only at apply' } : {}),
    // The known pieces of a partly known user data are separated by values known only at apply.
    policyElsewhere: panosPolicyElsewhere(parts.map((text) => ({ text, locate: at, open: partial }))),
    ...(panosMgmtSwap(parts, partial) === 'off' ? { mgmtFirst: at() } : {}),
  };
}
