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
// - squid in a bootstrap: an allow-list (destination ACLs, ending in `http_access deny all`) in a configuration the
//   bootstrap writes whole filters, a firewall; on a machine that also translates what it forwards (AWS's squid NAT
//   instance) only the ports iptables hands squid are filtered and the rest leaves unfiltered (a partial firewall);
//   `http_access allow all`, its stock rules, a deny-list or rules appended after the stock ones decide nothing (a
//   pass-through: Unknown naming it).
// A vendor bootstrap the parsers read (vocabulary/ngfw.ts: FortiOS, PAN-OS) and a GWLB's target group are firewall
// evidence too; analysis (applianceRole) adds them. Nothing here: the role is not in the inputs (Unknown, never a
// guess).

import type { ApplianceEvidence, ForwardProxy, SourceLocation } from '../../model/types';
import { where } from '../../model/where';
import { everyName } from './everyName';
import { commandWords, readShell, writeOf, type ShellCommand, type ShellScript } from './shell';
import {
  forwardVerdict,
  iptablesForward,
  iptablesRules,
  nftForward,
  ufwForward,
  type ForwardVerdict,
  type IptablesRule,
} from './packetFilter';
import { pfForward } from './pfFilter';

/** What the inputs say of one machine: image texts, bootstrap texts, and the names it goes by. */
export interface SoftwareClues {
  /** AMI name filters, the mapping or parameter an image id comes from, Azure image publisher/offer/sku. */
  images?: readonly string[];
  /** User data / custom data, as much of it as is known; where it is written, when known. */
  bootstraps?: readonly (string | BootstrapSource)[];
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
/** A proxy named beside NAT (`nat_transp_proxy`, a transparent proxy): it may filter, so the name says nothing (F290). */
const PROXY_WORD = /^(?:proxy|proxies|prxy|squid)\d*$/i;

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

// Packet filtering beyond NAT, read from the bootstrap's commands (vocabulary/shell.ts: comments are not evidence,
// review s16 R1) and walked rule by rule where the tool's rules are read (vocabulary/packetFilter.ts: iptables,
// firewalld direct rules, ufw, nftables): a filter that accepts everything it forwards filters nothing (with NAT, a
// NAT instance); one that drops what it does not accept is a firewall, Protected or Partially Protected by what it
// accepts; pf's rules are walked as pf reads them (vocabulary/pfFilter.ts, review s17 R16). Rules that cannot be
// walked (a variable, a user chain, firewalld zones, two tools at once) still say a firewall, whose rules are not
// evaluated here. Text is read line by line with plain tests, never one pattern
// that backtracks over a long line (review R9, R17: a 78 KB line of user data took 31 s of CPU).

/** A bootstrap text and, when known, where an offset range of it is written (for reasons: file:line). */
export interface BootstrapSource {
  text: string;
  locate?: (start: number, end: number) => SourceLocation;
}

/** The first iptables rule (not of the nat table, not guarding the machine itself) that drops or sets a DROP policy. */
function iptablesFilter(rules: readonly IptablesRule[]): IptablesRule | undefined {
  return rules.find(
    (r) =>
      r.table !== 'nat' &&
      r.chain !== 'INPUT' &&
      r.chain !== 'OUTPUT' &&
      (((r.op === '-A' || r.op === '-I') && DROPS.has(r.target ?? '')) ||
        (r.op === '-P' && r.chain === 'FORWARD' && DROPS.has(r.target ?? ''))),
  );
}

const DROPS = new Set(['DROP', 'REJECT']);

/** firewalld rules that drop or reject (a rich rule, a zone or policy target); masquerade or port forwarding alone is NAT (R3). */
function firewalldFilter(cmds: readonly Cmd[]): Cmd | undefined {
  return cmds.find(({ ws }) => {
    if (ws[0] !== 'firewall-cmd' || ws.includes('--direct')) return false;
    const rest = ws.join(' ');
    return (
      (/--add-rich-rule\b/.test(rest) && /\b(?:drop|reject)\b/i.test(rest)) || /--set-target[=\s]+(?:DROP|REJECT|%%REJECT%%)/i.test(rest)
    );
  });
}

/** An iptables DNAT to UDP port 6081 (GENEVE): the GWLB hairpin of AWS's appliance examples (its command). */
function geneveHairpin(rules: readonly IptablesRule[]): IptablesRule | undefined {
  return rules.find((r) => r.table === 'nat' && r.target === 'DNAT' && /--to-destination\s+\S*:6081(?![0-9])/.test(r.line));
}

/** A pf.conf `block` rule the bootstrap writes (a line of a heredoc or a command word). */
function pfBlock(cmds: readonly Cmd[]): Cmd | undefined {
  return cmds.find(
    ({ ws }) => ws[0] === 'block' && (ws.length === 1 || /^(?:in|out|all|drop|return|log|quick|on|inet6?|proto|from)$/.test(ws[1])),
  );
}

const NAT_RULE = /-j\s+(?:MASQUERADE|SNAT)\b|\bmasquerade\b|^\s*(?:bi)?nat\s+(?:pass\s+)?on\b|\s(?:bi)?nat-to\s/im;
const FORWARDING = /ip_forward|net\.ipv4\.conf\.[a-z0-9_*]+\.forwarding|gateway_enable|net\.inet\.ip\.forwarding/;

/** A command of the bootstrap with its words from the program it runs. */
interface Cmd {
  c: ShellCommand;
  ws: string[];
}

const PACKAGE_OR_SERVICE =
  /^(?:apt|apt-get|yum|dnf|zypper|pkg|apk|amazon-linux-extras|snap|systemctl|service|chkconfig|docker|podman|rc-update|sysrc)$/;
const IDS_WORD = /^(?:.*\/)?(suricata|snort\d?)(?:[-_@:.][\w.:@-]*)?$/i;

/**
 * Suricata or Snort that the bootstrap installs, enables, starts or runs (a command, never a comment or a message),
 * and whether anything puts it inline: an iptables NFQUEUE rule, an nftables `queue`, `suricata -q`, `snort -Q` or
 * `--daq nfq`, an IPS `copy-mode` in a configuration it writes. Inline it drops what its rules say; otherwise it
 * sees copies and alerts: an IDS.
 */
function intrusionDetection(
  cmds: readonly Cmd[],
  rules: readonly IptablesRule[],
  code: string,
): { name: string; cmd: Cmd; inline?: string } | undefined {
  let found: { name: string; cmd: Cmd } | undefined;
  for (const x of cmds) {
    const prog = x.ws[0] ?? '';
    const m =
      IDS_WORD.exec(prog) ??
      (PACKAGE_OR_SERVICE.test(prog)
        ? x.ws
            .slice(1)
            .map((w) => IDS_WORD.exec(w))
            .find((y) => y)
        : undefined);
    if (m) {
      found = { name: /^s/i.test(m[1]) && m[1].toLowerCase().startsWith('sur') ? 'Suricata' : 'Snort', cmd: x };
      break;
    }
  }
  if (!found) return undefined;
  const queue = rules.find((r) => r.target === 'NFQUEUE' || r.target === 'QUEUE');
  if (queue) return { ...found, inline: `\`${queue.line.slice(0, 80)}\`` };
  const run = cmds.find(
    ({ ws }) => IDS_WORD.test(ws[0] ?? '') && ws.some((w, i) => w === '-q' || w === '-Q' || (w === '--daq' && ws[i + 1] === 'nfq')),
  );
  if (run) return { ...found, inline: `\`${run.ws.join(' ').slice(0, 80)}\`` };
  const nftQueue = cmds.find(({ ws }) => ws.includes('queue') && (ws[0] === 'nft' || ws.includes('num')));
  if (nftQueue) return { ...found, inline: `\`${nftQueue.ws.join(' ').slice(0, 80)}\`` };
  const copy = /\bcopy-mode:\s*["']?ips\b/.exec(code);
  if (copy) return { ...found, inline: `\`${copy[0]}\`` };
  return found;
}

/** A Suricata/Snort rule (`drop tcp $HOME_NET any -> any 80 (...)`), as a line of a rules file. */
const IDS_RULE = /^\s*(?:alert|drop|reject|rejectsrc|rejectdst|rejectboth|pass|sdrop)\s+\S+\s+\S+\s+\S+\s+(?:->|<>)\s/;

/** Whether the bootstrap writes IDS rules itself: a heredoc to a `.rules` file, or rule lines in a heredoc it writes. */
function writesIdsRules(sh: ShellScript, text: string): boolean {
  return sh.heredocs.some(
    (h) =>
      /\.rules\b/.test(text.slice(h.command.start, h.command.end)) ||
      text
        .slice(h.start, h.end)
        .split('\n')
        .some((l) => IDS_RULE.test(l)),
  );
}

/**
 * AWS's GWLB tunnel handler (gwlbtun) and the script it runs for each tunnel (`-c create-passthrough.sh`): where
 * its command is, the script's name, and whether the bootstrap writes that script (a heredoc to a file of that
 * name: its commands are then read with the rest).
 */
function gwlbTunnel(sh: ShellScript, cmds: readonly Cmd[]): { cmd: Cmd; script?: string; written: boolean } | undefined {
  for (const x of cmds) {
    const words = x.c.words;
    // The program, or a unit file's `ExecStart=/path/gwlbtun`.
    const at =
      x.ws[0] === 'gwlbtun' ? words.findIndex((w) => /(?:^|\/)gwlbtun$/.test(w)) : words.findIndex((w) => /^\w+=\S*gwlbtun$/.test(w));
    if (at < 0) continue;
    const c = words.indexOf('-c', at);
    const script = c >= 0 ? words[c + 1] : undefined;
    const base = script?.replace(/^.*\//, '');
    const written =
      base !== undefined &&
      sh.heredocs.some((h) => h.command.words.some((w, i) => w.replace(/^>+/, '').replace(/^.*\//, '') === base && i > 0));
    return { cmd: x, ...(script !== undefined ? { script } : {}), written };
  }
  return undefined;
}

/** A packet filter the bootstrap configures, and what it does with what the machine forwards when its rules are read. */
interface Filter {
  /** How the reason names it: a command quoted, or the tool. */
  what: string;
  at?: number;
  verdict?: ForwardVerdict;
}

/** What a bootstrap (user data) configures: a packet filter, or NAT only. */
function bootstrapRole(src: BootstrapSource): ApplianceEvidence | undefined {
  const text = src.text;
  const sh = readShell(text);
  const code = sh.code;
  const cmds: Cmd[] = sh.commands.map((c) => ({ c, ws: commandWords(c) })).filter((x) => x.ws.length > 0);
  /** ` (file:line)` of an offset, when the text's place is known. */
  const loc = (at: number | undefined): string => (at !== undefined && src.locate ? ` (${where(src.locate(at, at))})` : '');
  const quote = (line: string, at: number) => `\`${line.trim().slice(0, 80)}\`${loc(at)}`;

  const rules = iptablesRules(sh, text);
  const nat = rules.find(
    (r) => r.family === 4 && r.table === 'nat' && r.chain === 'POSTROUTING' && (r.target === 'MASQUERADE' || r.target === 'SNAT'),
  );
  const translates = NAT_RULE.exec(code);
  const forwarding = FORWARDING.test(code);
  // The outside interface: the one the NAT rule translates out of (what leaves by another is not internet-bound).
  const outside = nat?.out !== undefined && !nat.out.startsWith('!') && !nat.out.includes('$') ? nat.out : undefined;

  const filters: Filter[] = [];
  const iptDrop = iptablesFilter(rules);
  const chain = iptablesForward(rules.filter((r) => r.family === 4));
  // Rules loaded from a file the bootstrap does not write may drop or accept what the commands here do not.
  const restore = cmds.find(
    ({ ws }) => /^ip6?tables-restore$/.test(ws[0] ?? '') && !sh.heredocs.some((h) => /\*filter|\*nat/.test(text.slice(h.start, h.end))),
  );
  if (iptDrop || chain) {
    const otherDrop = rules.find(
      (r) =>
        DROPS.has(r.target ?? '') &&
        r.table !== 'nat' &&
        r.chain !== 'INPUT' &&
        r.chain !== 'OUTPUT' &&
        (r.family === 6 ? r.chain === 'FORWARD' : r.chain !== 'FORWARD' || r.table !== 'filter'),
    );
    const first = iptDrop ?? otherDrop;
    filters.push({
      what: first ? quote(first.line, first.at) : 'iptables',
      ...(first ? { at: first.at } : {}),
      ...(chain && !otherDrop && !restore ? { verdict: forwardVerdict(chain, outside) } : {}),
    });
  } else if (restore) filters.push({ what: quote(text.slice(restore.c.start, restore.c.end), restore.c.start), at: restore.c.start });
  const nft = nftForward(sh, text);
  if (nft.chain && nft.drops)
    filters.push({
      what: `nftables (${quote(nft.chain.policyText ?? 'chain forward', nft.chain.policyAt ?? 0)})`,
      verdict: forwardVerdict(nft.chain, outside),
    });
  else if (nft.otherDrop) filters.push({ what: `nftables (${quote(nft.otherDrop.text, nft.otherDrop.at)})`, at: nft.otherDrop.at });
  const ufw = ufwForward(sh, text);
  if (ufw) filters.push({ what: 'ufw', verdict: forwardVerdict(ufw, outside) });
  const fwd = firewalldFilter(cmds);
  if (fwd) filters.push({ what: `firewalld (${quote(text.slice(fwd.c.start, fwd.c.end), fwd.c.start)})` });
  const pf = pfBlock(cmds);
  if (pf) filters.push({ what: `pf block rules (${quote(text.slice(pf.c.start, pf.c.end), pf.c.start)})`, verdict: pfForward(sh, text) });

  const squid = squidConfig(code);
  const ids = intrusionDetection(cmds, rules, code);
  const tunnel = gwlbTunnel(sh, cmds);

  // gwlbtun running a script the inputs do not hold: what it does with the packets is not known (review s16 R15).
  const base = tunnel?.script?.replace(/^.*\//, '');
  if (tunnel && tunnel.script !== undefined && base !== 'create-passthrough.sh' && !tunnel.written)
    return {
      role: 'passthrough',
      why: `its user data runs AWS's GWLB tunnel handler (gwlbtun${loc(tunnel.cmd.c.start)}) with ${tunnel.script}, a script the inputs do not hold: what it does with the packets the GWLB sends it is not in the inputs`,
    };

  // One tool whose rules are read: its walk decides.
  const only = filters.length === 1 ? filters[0] : undefined;
  const v = only?.verdict;
  const open = v?.kind === 'open' ? v : undefined;
  if (v && v.kind !== 'undecided' && v.kind !== 'open')
    return {
      role: 'firewall',
      why: `its user data filters what it forwards: ${v.why}${loc(v.at)}`,
      enforces:
        v.kind === 'partial'
          ? { cls: 'partial', policy: 'its rules restrict only some of it' }
          : {
              cls: 'restricted',
              policy: v.kind === 'blocked' ? 'its rules let nothing out to the internet' : 'its rules let only named destinations out',
            },
    };
  // Suricata or Snort inline (the NFQUEUE rule that hands it packets is what the walk cannot decide): a firewall.
  if (ids?.inline && (!v || v.kind === 'undecided')) return idsEvidence(ids, quote, '', writesIdsRules(sh, text));
  // What it translates with, quoted: the iptables NAT rule as written, else the word that says it.
  const translation = nat ? quote(nat.line, nat.at) : translates ? `\`${translates[0].trim()}\`` : undefined;
  // A filter that accepts everything filters nothing of what it forwards: what else it runs says what it is.
  const natWhy = open
    ? translation && (forwarding || nat)
      ? `its user data translates (${translation}) and ${open.why}${loc(open.at)}`
      : undefined
    : translation && forwarding
      ? `its user data only translates, with ${translation} and forwarding on and no filter rule`
      : undefined;
  if (!open && filters.length > 0) {
    const f = filters.find((x) => x.verdict?.kind === 'undecided') ?? filters[0];
    const undecided = f.verdict?.kind === 'undecided' ? `; ${f.verdict.why}${loc(f.verdict.at)}` : '';
    return { role: 'firewall', why: `its user data filters packets with ${f.what}${undecided}`, rulesInUserData: 'packet filter rules' };
  }
  if (ids) return idsEvidence(ids, quote, open ? `; ${open.why}${loc(open.at)}` : '');
  if (squid?.allowlist) {
    // A NAT instance with squid (AWS's squid NAT design): what iptables does not hand squid is translated out.
    if (natWhy)
      return squidBesideNat(
        squid.allowlist,
        rules,
        open
          ? `it translates the rest (${translation}) and ${open.why}${loc(open.at)}`
          : `it translates the rest (\`${translates![0].trim()}\`, forwarding on, no filter rule)`,
      );
    return { role: 'firewall', why: squid.allowlist };
  }
  // AWS's GWLB tunnel handler started with its pass-through example script: packets go back as they came.
  if (tunnel && base === 'create-passthrough.sh')
    return {
      role: 'passthrough',
      why: `its user data runs gwlbtun with its pass-through script (create-passthrough.sh${loc(tunnel.cmd.c.start)}), which sends every packet the GWLB gives it straight back, unfiltered`,
      hairpin: true,
    };
  // AWS's iptables hairpin for a GWLB target: GENEVE from the GWLB DNATed straight back to it on UDP 6081, with no
  // filter rule (F180): what the GWLB sends comes back unchanged.
  const hairpin = geneveHairpin(rules);
  if (hairpin)
    return {
      role: 'passthrough',
      why: `its user data sends GENEVE back to the GWLB with \`${hairpin.line.trim().slice(0, 140)}\`${loc(hairpin.at)} and filters nothing: it returns what the GWLB gives it, with no policy the inputs show`,
      hairpin: true,
    };
  const vendor = setsUpVendor(code);
  if (vendor) return { role: 'firewall', why: `its user data sets up ${vendor}` };
  if (natWhy) return { role: 'nat', why: natWhy };
  if (squid?.open) return { role: 'passthrough', why: squid.open };
  // Squid's stock rules, or a deny-list: what it lets through is not decided (Unknown naming it, never Protected).
  if (squid) return { role: 'passthrough', why: squid.appended ?? squid.wide ?? SQUID_UNDECIDED };
  return undefined;
}

/** How the evidence of an IDS begins (Suricata or Snort seeing copies of what it forwards, alerting). */
export const IDS_ONLY = 'its user data runs';

function idsEvidence(
  ids: { name: string; cmd: Cmd; inline?: string },
  quote: (line: string, at: number) => string,
  more: string,
  rulesWritten = false,
): ApplianceEvidence {
  const run = quote(ids.cmd.ws.join(' '), ids.cmd.c.start);
  if (ids.inline)
    return {
      role: 'firewall',
      why: `its user data runs ${ids.name} (${run}) inline (${ids.inline}): it drops what its rules say${more}`,
      // Rules it writes are in the inputs, not evaluated here; else they are the ones it downloads or ships with.
      ...(rulesWritten ? { rulesInUserData: `${ids.name} rules` } : {}),
    };
  return {
    role: 'firewall',
    why: `${IDS_ONLY} ${ids.name} (${run}) with nothing in the inputs putting it inline (no NFQUEUE rule, no IPS mode): an IDS, it watches and alerts and blocks nothing${more}`,
    enforces: { cls: 'permit-all', policy: `${ids.name} as an IDS alerts and blocks nothing` },
  };
}

/** How evidence read from an image's provisioning (a Packer template's, parse/packerImages.ts) names its subject. */
export const IMAGE_PROVISIONING = "its image's provisioning";

/**
 * Evidence said of an image's provisioning, worded as of user data (`its user data ...`): the states read one wording
 * (SQUID_ALLOWLIST, SQUID_SOME_PORTS begin so).
 */
export function asUserData(why: string): string {
  return why.startsWith(IMAGE_PROVISIONING) ? why.replace(/^its image's provisioning(?: \([^)]*\))?/, 'its user data') : why;
}

/** How the evidence of a squid allow-list begins: that policy is in the inputs (states.ts says so). */
export const SQUID_ALLOWLIST = 'its user data configures squid to let only listed destinations through';
/**
 * How the evidence of a squid allow-list on a NAT begins: only the ports iptables hands squid are filtered, the rest
 * is translated out unfiltered (states.ts: partial, as a Network Firewall allow-list for HTTP/TLS only).
 */
export const SQUID_SOME_PORTS = 'its user data hands squid only';

/**
 * The ports a bootstrap's iptables hand a local squid (`-t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT`, or a
 * mangle TPROXY): `all TCP` when a rule names no port; undefined when no rule intercepts.
 */
function interceptedPorts(rules: readonly IptablesRule[]): string | undefined {
  const ports: string[] = [];
  for (const r of rules) {
    if (r.chain !== 'PREROUTING' || !((r.table === 'nat' && r.target === 'REDIRECT') || (r.table === 'mangle' && r.target === 'TPROXY')))
      continue;
    const p = /--dports?\s+(\S+)/.exec(r.line)?.[1];
    if (p === undefined) return 'all TCP';
    if (!ports.includes(p)) ports.push(p);
  }
  return ports.length > 0 ? `TCP port${ports.length > 1 || /[,:]/.test(ports[0]) ? 's' : ''} ${ports.join(', ')}` : undefined;
}

/**
 * A squid allow-list on a machine that also translates what it forwards (NAT with forwarding on, no filter of what
 * it forwards): the ports iptables hands squid are allow-listed, every other port and protocol leaves translated and
 * unfiltered (a partial firewall, review s15 R19); when no rule hands squid anything, it serves only the clients told
 * to use it and what is routed to the machine is translated out: NAT.
 */
function squidBesideNat(allowlist: string, rules: readonly IptablesRule[], natWhy: string): ApplianceEvidence {
  const ports = interceptedPorts(rules);
  const list = allowlist.slice(SQUID_ALLOWLIST.length).trim();
  if (ports === undefined)
    return {
      role: 'nat',
      why: `${natWhy.replace(/^it /, 'its user data ')}; its squid ${list} gets only what clients send it, no rule hands it what is routed here`,
    };
  return {
    role: 'firewall',
    why: `${SQUID_SOME_PORTS} ${ports}, which it lets through only to listed destinations ${list}; ${natWhy.replace(/^its user data /, 'it ')}: every other port and protocol leaves unfiltered`,
  };
}

const SQUID_UNDECIDED =
  'its user data sets up squid, whose rules the inputs do not show to let only listed destinations through (its stock rules relay every destination for local clients)';

/** Squid ACL types that name destinations by name (an entry may take every name: `.com`). */
const NAME_ACL = /^(?:dstdomain|ssl::server_name)$/i;
/** Squid ACL types that name destinations (what an allow-list lists). */
const DEST_ACL = /^(?:dstdomain|dstdom_regex|dst|url_regex|urlpath_regex|ssl::server_name|ssl::server_name_regex)$/i;
/** A squid directive on a line, bare (a heredoc writing squid.conf) or echoed into a file (`echo 'acl ...' >> squid.conf`). */
const SQUID_LINE = /^\s*((?:sudo\s+)?echo\s+(?:-e\s+)?["']?)?(acl|http_access|ssl_bump)\s+([^"'>\n]*)/;
/** A package manager installing squid, on one line (three plain tests: no pattern that backtracks over the line). */
const installsSquid = (text: string): boolean =>
  text.split('\n').some((l) => /\bsquid\b/.test(l) && /\binstall\b/.test(l) && /\b(?:yum|apt-get|apt|dnf|apk|zypper|pkg)\b/.test(l));

/** A heredoc's opening line (`cat > f <<EOF`, `tee f <<'EOF'`): its terminator. */
const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/;

/** One `http_access` rule as written, in order. */
interface SquidRule {
  allow: boolean;
  acls: string[];
  text: string;
}

/**
 * What a squid configuration written by a bootstrap lets through, read by squid's rules: `http_access` rules are
 * tried in order, the first match decides, and what none matches gets the opposite of the last rule. Rules are read
 * only from a configuration the bootstrap writes whole (bare lines, a heredoc written with `cat > f`, `tee f`, an
 * `echo ... > f` first and `>>` after it): lines appended (`>> f`, `tee -a f`) to a file not written whole before
 * come after the rules already there (a stock squid.conf's, ending in `http_access deny all`), which squid tries
 * first: what it lets through is not in the inputs (review s15 R19).
 * - allowlist: every `http_access allow` rule before the final denial names a destination ACL (dstdomain, dst,
 *   ssl::server_name...) among the ACLs it ANDs, or, when TLS is filtered by ssl_bump (`splice` of a destination ACL
 *   and `terminate ... all`), names port 443 or CONNECT only; and nothing left over is allowed (`http_access deny
 *   all`, or a last rule that allows). The reason quotes a listed ACL and the rule that ends the list, as written.
 * - open: an `http_access allow all` (or a bare `allow`) that no deny rule precedes: every destination is relayed.
 * - installed: squid is installed or configured and neither can be said (its stock rules, a deny-list, rules
 *   appended after the stock ones: `appended` says so, quoting the first such line).
 */
export function squidConfig(
  text: string,
): { allowlist?: string; open?: string; appended?: string; wide?: string; installed: true } | undefined {
  if (!text.includes('squid') && !text.includes('http_access')) return undefined;
  const dest = new Map<string, string>();
  // Destination ACLs with an entry that takes every name (`.com`): they list no destination (review s16 R12).
  const wide = new Map<string, string>();
  const tlsOnly = new Set<string>();
  const rules: SquidRule[] = [];
  const bump: { action: string; acls: string[] }[] = [];
  /** Files the bootstrap has written whole so far: lines appended to them after that are read in order. */
  const whole = new Set<string>();
  let heredoc: { end: string; appended: boolean } | undefined;
  let appended: string | undefined;
  for (const raw of text.split('\n')) {
    if (heredoc) {
      if (raw.trim() === heredoc.end) {
        heredoc = undefined;
        continue;
      }
      if (heredoc.appended) {
        if (SQUID_LINE.test(raw)) appended ??= raw.trim();
        continue;
      }
    } else {
      const h = HEREDOC.exec(raw);
      if (h) {
        const w = writeOf(raw.slice(0, h.index) + ' ' + raw.slice(h.index + h[0].length));
        heredoc = { end: h[2], appended: w !== undefined && w.append && !whole.has(w.file) };
        if (w && !w.append) whole.add(w.file);
        continue;
      }
    }
    const m = SQUID_LINE.exec(raw);
    if (!m) continue;
    if (m[1] !== undefined) {
      // Echoed: into a file written whole before (or written whole by this line), else after what is in it.
      const w = writeOf(raw.slice(m[0].length));
      if (w?.append && !whole.has(w.file)) {
        appended ??= raw.trim();
        continue;
      }
      if (w && !w.append) whole.add(w.file);
    }
    const t = m[3].trim().split(/\s+/);
    if (m[2] === 'acl' && t.length >= 3) {
      const every = NAME_ACL.test(t[1]) ? t.slice(2).find((d) => everyName(d) !== undefined) : undefined;
      if (every) wide.set(t[0], `\`acl ${t.join(' ').slice(0, 90)}\` (\`${every}\` takes ${everyName(every)})`);
      else if (DEST_ACL.test(t[1])) dest.set(t[0], `acl ${t.join(' ')}`.slice(0, 100));
      else if ((t[1] === 'port' && t.slice(2).every((x) => x === '443')) || (t[1] === 'method' && t.slice(2).every((x) => x === 'CONNECT')))
        tlsOnly.add(t[0]);
    } else if (m[2] === 'http_access' && (t[0] === 'allow' || t[0] === 'deny'))
      rules.push({ allow: t[0] === 'allow', acls: t.slice(1), text: `http_access ${t.join(' ')}`.slice(0, 100) });
    else if (m[2] === 'ssl_bump' && t[0] !== '') bump.push({ action: t[0], acls: t.slice(1) });
  }
  if (appended !== undefined)
    return {
      appended: `its user data appends squid rules to a configuration it does not write whole (\`${appended.slice(0, 100)}\`): they come after the rules already there (a stock squid.conf's, which end in \`http_access deny all\` and on Amazon Linux and RHEL allow local clients any destination first), and what it lets through is not in the inputs`,
      installed: true,
    };
  if (rules.length === 0) return installsSquid(text) ? { installed: true } : undefined;
  const isAll = (r: SquidRule) => r.acls.length === 0 || (r.acls.length === 1 && r.acls[0] === 'all');
  const all = rules.findIndex(isAll);
  if (all >= 0 && rules[all].allow)
    return rules.slice(0, all).some((r) => !r.allow)
      ? { installed: true }
      : {
          open: `its user data runs squid with \`${rules[all].text}\`: it relays every destination, with no policy the inputs show`,
          installed: true,
        };
  const before = all >= 0 ? rules.slice(0, all) : rules;
  const endsDenied = all >= 0 || rules[rules.length - 1].allow;
  const tlsFiltered =
    bump.some((b) => b.action === 'terminate' && b.acls.includes('all')) &&
    bump.some((b) => (b.action === 'splice' || b.action === 'bump') && b.acls.some((a) => dest.has(a)));
  const allows = before.filter((r) => r.allow);
  const restricts = (r: { acls: string[] }) => r.acls.some((a) => dest.has(a)) || (tlsFiltered && r.acls.some((a) => tlsOnly.has(a)));
  if (!endsDenied || allows.length === 0 || !allows.every(restricts)) {
    // An allow (or a TLS splice) by such an ACL: said, as what keeps the rules from being an allow-list.
    const by = [
      ...allows.filter((r) => !restricts(r)).flatMap((r) => r.acls),
      ...bump.filter((b) => b.action !== 'terminate').flatMap((b) => b.acls),
    ].find((a) => wide.has(a));
    return by
      ? {
          wide: `its user data's squid lets through ${wide.get(by)}: that lists no destination, and what it lets through is not decided`,
          installed: true,
        }
      : { installed: true };
  }
  const listed = [...dest.values()][0];
  // The rule that ends the list, as written: a denial of everything, or a last allow (what none matches is denied).
  const last = all >= 0 ? `then \`${rules[all].text}\`` : `last \`${rules[rules.length - 1].text}\`, what no rule matches denied`;
  return {
    allowlist: `${SQUID_ALLOWLIST} (\`${listed}\`, ${last})`,
    installed: true,
  };
}

const SQUID_WORD = /^squid\d*$/i;

/**
 * What says a machine is an explicit forward proxy, one clients are told to use (F103): squid in its bootstrap (an
 * allow-list read as such; installed or configured otherwise), or, weaker, its image or name saying squid. A squid
 * that relays every destination (`http_access allow all`) enforces nothing: no proxy evidence, whatever its name.
 */
export function forwardProxy(c: SoftwareClues): ForwardProxy | undefined {
  let installed: string | undefined;
  for (const b of c.bootstraps ?? []) {
    const sq = squidConfig(readShell(typeof b === 'string' ? b : b.text).code);
    if (sq?.open) return undefined;
    if (sq?.allowlist) return { policy: 'allowlist', why: sq.allowlist };
    if (sq) installed ??= sq.appended ?? sq.wide ?? 'its user data sets up squid, whose access rules are not in the inputs';
  }
  if (installed) return { policy: 'unknown', why: installed };
  const image = (c.images ?? []).find((x) => words(x).some((w) => SQUID_WORD.test(w)));
  if (image) return { policy: 'unknown', why: `its image ${image} says squid`, weak: true };
  const name = (c.names ?? []).find((x) => words(x).some((w) => SQUID_WORD.test(w)));
  return name ? { policy: 'unknown', why: `its name ${name} says squid`, weak: true } : undefined;
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
  if (vendor) return { role: 'firewall', why: `its name ${text} says ${vendor}`, weak: true, byName: true };
  const ws = words(text);
  const fw = ws.find((x) => FIREWALL_WORD.test(x));
  const nat = ws.find((x) => NAT_WORD.test(x));
  if (fw && !nat) return { role: 'firewall', why: `its name ${text} says firewall`, weak: true, byName: true };
  if (nat && !fw && !ws.some((x) => PROXY_WORD.test(x))) return { role: 'nat', why: `its name ${text} says NAT`, weak: true };
  return undefined;
}

/**
 * What the inputs say a forwarding machine runs, or undefined when they say nothing: the strongest evidence wins
 * (a firewall's image or packet filter, then a NAT image or NAT-only bootstrap, then names, a firewall's first);
 * names that say both, or nothing, say nothing.
 */
export function applianceEvidence(c: SoftwareClues): ApplianceEvidence | undefined {
  const found = [
    ...(c.bootstraps ?? []).map((b) => bootstrapRole(typeof b === 'string' ? { text: b } : b)),
    ...(c.images ?? []).map(imageRole),
  ].filter((x): x is ApplianceEvidence => x !== undefined);
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
