// What a forwarding machine runs, by what the inputs say of it (docs/domain.md, section 5, "Firewall instances").
// A route to an instance whose source/destination check is off says it forwards, not that it inspects: a NAT
// instance forwards too. The evidence, strongest first:
// - firewall: a firewall vendor's image (an AMI name filter, a mapping or parameter the image comes from, an Azure
//   Marketplace publisher or offer), or a bootstrap that configures a packet filter beyond NAT (iptables/nftables
//   rules that drop or reject, firewalld, pf `block`, ufw, Suricata/Snort);
// - NAT: the Amazon NAT AMI (or fck-nat's) by name, a mapping or parameter named for the NAT AMI, or a bootstrap
//   whose only packet rules translate (MASQUERADE/SNAT, pf `nat on`) with forwarding turned on;
// - weaker, by name (a Name tag, a logical id, a VM's name): a word saying firewall (fw, firewall, ngfw, a vendor's
//   product) or NAT (nat, NAT1, nat-instance). "NVA" is not one: it names a network virtual appliance, which
//   forwarding already says (a router, a NAT or a firewall).
// A vendor bootstrap the parsers read (vocabulary/ngfw.ts: FortiOS, PAN-OS) and a GWLB's target group are firewall
// evidence too; analysis (applianceRole) adds them. Nothing here: the role is not in the inputs (Unknown, never a
// guess).

import type { ApplianceEvidence } from '../../model/types';

/** What the inputs say of one machine: image texts, bootstrap texts, and the names it goes by. */
export interface SoftwareClues {
  /** AMI name filters, the mapping or parameter an image id comes from, Azure image publisher/offer/sku. */
  images?: readonly string[];
  /** User data / custom data, as much of it as is known. */
  bootstraps?: readonly string[];
  /** Name tags, logical ids, resource names, VM names. */
  names?: readonly string[];
}

/** Firewall products by the words their images and names use. */
const FIREWALL_VENDORS: readonly [RegExp, string][] = [
  [/fortigate|fortinet|\bfgt(?:[-_ ]?vm)?\b/i, 'FortiGate'],
  [/pa-vm|vm-?series|palo[-_ ]?alto/i, 'Palo Alto VM-Series'],
  [/check[-_ ]?point|cloudguard/i, 'Check Point CloudGuard'],
  [/ftdv|cisco[-_ ]?ftd|firepower/i, 'Cisco Secure Firewall Threat Defense'],
  [/\basav\b|cisco[-_ ]?asa/i, 'Cisco ASAv'],
  [/opnsense/i, 'OPNsense'],
  [/pfsense|netgate/i, 'pfSense'],
  [/sophos/i, 'Sophos Firewall'],
  [/barracuda|cudagen|cloudgen/i, 'Barracuda CloudGen Firewall'],
  [/vsrx|juniper/i, 'Juniper vSRX'],
  [/versa[-_ ]?(?:networks|flexvnf|vos)|flexvnf/i, 'Versa'],
  [/forcepoint/i, 'Forcepoint'],
  [/watchguard/i, 'WatchGuard'],
];

/** The Amazon NAT AMI (`amzn-ami-vpc-nat-*`), fck-nat's, or an image a mapping or parameter names for NAT. */
const NAT_IMAGE = /vpc-nat|fck-nat/i;

/** The vendor a text (an image name, filter, mapping, a machine's name) names, if any. */
export function firewallVendor(text: string): string | undefined {
  return FIREWALL_VENDORS.find(([re]) => re.test(text))?.[1];
}

/**
 * The words of a name, split at non-alphanumerics and camel case (`NATInstance1` -> NAT, Instance1;
 * `AmazonNATAMI` -> Amazon, NATAMI).
 */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((x) => x !== '');
}

const FIREWALL_WORD = /^(?:fw|fws|firewall|firewalls|ngfw|nfw)\d*$/i;
const NAT_WORD = /^nat(?:\d+|ami|instance|box|vm|host|gw)?\d*$/i;

/** A firewall vendor or NAT named by an image text. */
function imageRole(text: string): ApplianceEvidence | undefined {
  const vendor = firewallVendor(text);
  if (vendor) return { role: 'firewall', why: `its image ${text} is ${vendor}'s` };
  const ws = words(text);
  if (NAT_IMAGE.test(text) || ws.some((x) => NAT_WORD.test(x))) return { role: 'nat', why: `its image ${text} is a NAT AMI` };
  // An image variable or lookup named for a firewall (`var.firewall_ami`, `data.aws_ami.fw`): as a name says it.
  if (ws.some((x) => FIREWALL_WORD.test(x))) return { role: 'firewall', why: `its image ${text} says firewall`, weak: true };
  return undefined;
}

// Packet filtering beyond NAT, in the tools' own words. iptables rules of the nat table translate; a rule of another
// table (filter, the default) that drops or rejects, or a DROP policy, filters.
const IPTABLES_FILTER = /\b(?:ip6?tables)\b(?![^\n]*-t\s+nat)[^\n]*(?:-j\s+(?:DROP|REJECT)\b|-P\s+(?:FORWARD|INPUT)\s+DROP\b)/;
const NFT_FILTER = /\bnft\b[^\n]*\b(?:drop|reject)\b|\btype\s+filter\b[^\n]*\bhook\b[\s\S]*?\b(?:drop|reject)\b/;
const OTHER_FILTERS: readonly [RegExp, string][] = [
  [/\bfirewall-cmd\b|\bfirewalld\b/, 'firewalld'],
  [/^\s*block\b/m, 'pf block rules'],
  [/\bufw\s+(?:enable|deny|reject|default\s+deny)\b/, 'ufw'],
  [/\bsuricata\b/i, 'Suricata'],
  [/\bsnort\b/i, 'Snort'],
];
/** An iptables DNAT to UDP port 6081 (GENEVE): the GWLB hairpin of AWS's appliance examples. */
const GENEVE_HAIRPIN = /\bip6?tables\b[^\n]*-j\s+DNAT\b[^\n]*--to-destination\s+\S*:6081\b/;
const NAT_RULE = /-j\s+(?:MASQUERADE|SNAT)\b|\bmasquerade\b|^\s*nat\s+on\b/im;
const FORWARDING = /ip_forward|net\.ipv4\.conf\.[a-z0-9_*]+\.forwarding|gateway_enable|net\.inet\.ip\.forwarding/;

/** What a bootstrap (user data) configures: a packet filter, or NAT only. */
function bootstrapRole(text: string): ApplianceEvidence | undefined {
  const ipt = IPTABLES_FILTER.exec(text) ?? NFT_FILTER.exec(text);
  if (ipt) return { role: 'firewall', why: `its user data filters packets with \`${ipt[0].trim().slice(0, 80)}\`` };
  const other = OTHER_FILTERS.find(([re]) => re.test(text));
  if (other) return { role: 'firewall', why: `its user data filters packets with ${other[1]}` };
  // AWS's GWLB tunnel handler started with its pass-through example script: packets go back as they came.
  const pass = /\bgwlbtun\b[^\n]*create-passthrough/.exec(text);
  if (pass)
    return {
      role: 'passthrough',
      why: 'its user data runs gwlbtun with its pass-through script (create-passthrough.sh): it sends back what the GWLB gives it, with no policy the inputs show',
    };
  // AWS's iptables hairpin for a GWLB target: GENEVE from the GWLB DNATed straight back to it on UDP 6081, with no
  // filter rule (F180): what the GWLB sends comes back unchanged.
  const hairpin = GENEVE_HAIRPIN.exec(text);
  if (hairpin)
    return {
      role: 'passthrough',
      why: `its user data sends GENEVE back to the GWLB with \`${hairpin[0].trim().slice(0, 140)}\` and filters nothing: it returns what the GWLB gives it, with no policy the inputs show`,
    };
  const vendor = setsUpVendor(text);
  if (vendor) return { role: 'firewall', why: `its user data sets up ${vendor}` };
  const nat = NAT_RULE.exec(text);
  if (nat && FORWARDING.test(text))
    return { role: 'nat', why: `its user data only translates, with \`${nat[0].trim()}\` and forwarding on and no filter rule` };
  return undefined;
}

/** A command that fetches, installs or runs software, on the line that names a vendor. */
const SETUP_COMMAND = /\b(?:install|apt(?:-get)?|yum|dnf|pkg|curl|wget|git\s+clone|fetch|sh|bash)\b|https?:\/\//i;

/**
 * The firewall vendor a bootstrap sets up: a line that names the vendor and fetches, installs or runs something
 * (`sh configureopnsense.sh`, `pkg install pfsense`). A web page or a log line that only mentions a vendor (a demo
 * workload's "inspected by VM-Series" banner) says nothing of what the machine runs.
 */
function setsUpVendor(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (/^\s*(?:-\s*)?(?:echo|printf|#|message:)/i.test(line) || /<\/?[a-z][^>]*>/i.test(line)) continue;
    const vendor = firewallVendor(line);
    if (vendor && SETUP_COMMAND.test(line)) return vendor;
  }
  return undefined;
}

/** A firewall or NAT named by a machine's name (weak evidence). */
function nameRole(text: string): ApplianceEvidence | undefined {
  const vendor = firewallVendor(text);
  if (vendor) return { role: 'firewall', why: `its name ${text} says ${vendor}`, weak: true };
  const ws = words(text);
  const fw = ws.find((x) => FIREWALL_WORD.test(x));
  const nat = ws.find((x) => NAT_WORD.test(x));
  if (fw && !nat) return { role: 'firewall', why: `its name ${text} says firewall`, weak: true };
  if (nat && !fw) return { role: 'nat', why: `its name ${text} says NAT`, weak: true };
  return undefined;
}

/**
 * What the inputs say a forwarding machine runs, or undefined when they say nothing: the strongest evidence wins
 * (a firewall's image or packet filter, then a NAT image or NAT-only bootstrap, then names, a firewall's first);
 * names that say both, or nothing, say nothing.
 */
export function applianceEvidence(c: SoftwareClues): ApplianceEvidence | undefined {
  const found = [...(c.bootstraps ?? []).map(bootstrapRole), ...(c.images ?? []).map(imageRole)].filter(
    (x): x is ApplianceEvidence => x !== undefined,
  );
  const strong = found.filter((x) => !x.weak);
  const byName = [...found.filter((x) => x.weak), ...(c.names ?? []).map(nameRole).filter((x): x is ApplianceEvidence => x !== undefined)];
  const first = (xs: ApplianceEvidence[], role: ApplianceEvidence['role']) => xs.find((x) => x.role === role);
  const fwName = first(byName, 'firewall');
  const natName = first(byName, 'nat');
  return (
    first(strong, 'firewall') ??
    first(strong, 'passthrough') ??
    first(strong, 'nat') ??
    (fwName && natName ? undefined : (fwName ?? natName))
  );
}
