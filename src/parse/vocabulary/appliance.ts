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

import type { ApplianceEvidence, ForwardProxy } from '../../model/types';
import { everyName } from './everyName';

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

// Packet filtering beyond NAT, in the tools' own words. iptables rules of the nat table translate; a rule of another
// table (filter, the default) that drops or rejects, or a DROP policy, filters.
// Each is read line by line with plain tests, never one pattern that backtracks over a long line (review R9, R17:
// a 78 KB line of user data took 31 s of CPU).

/** The start of the first iptables command (not of the nat table) that drops, rejects or sets a DROP policy. */
function iptablesFilter(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const at = line.search(/\bip6?tables\b/);
    if (at < 0) continue;
    const rest = line.slice(at);
    // The nat table translates; INPUT and OUTPUT guard the machine itself and never see what it forwards (R3).
    if (/-t\s+nat\b/.test(rest) || /(?:-[AIP]|--append|--insert|--policy)\s+(?:INPUT|OUTPUT)\b/.test(rest)) continue;
    const m = /-j\s+(?:DROP|REJECT)\b|-P\s+FORWARD\s+DROP\b/.exec(rest);
    if (m) return rest.slice(0, m.index + m[0].length);
  }
  return undefined;
}

/** An nft command that drops or rejects, or a filter chain hooked in (`type filter hook ...`) with a drop after it. */
function nftFilter(text: string, lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const at = line.search(/\bnft\b/);
    if (at < 0) continue;
    const m = /\b(?:drop|reject)\b/.exec(line.slice(at));
    if (m) return line.slice(at, at + m.index + m[0].length);
  }
  // The first hooked filter chain; a drop anywhere after it (one search from there).
  let offset = 0;
  for (const line of lines) {
    const t = /\btype\s+filter\b/.exec(line);
    if (t && /\bhook\b/.test(line.slice(t.index))) {
      const start = offset + t.index;
      const d = /\b(?:drop|reject)\b/.exec(text.slice(start));
      return d ? text.slice(start, start + d.index + d[0].length) : undefined;
    }
    offset += line.length + 1;
  }
  return undefined;
}

const OTHER_FILTERS: readonly [RegExp, string][] = [
  [/^\s*block\b/m, 'pf block rules'],
  [/\bufw\s+(?:enable|deny|reject|default\s+deny)\b/, 'ufw'],
  [/\bsuricata\b/i, 'Suricata'],
  [/\bsnort\b/i, 'Snort'],
];
/** firewalld rules that drop or reject (a rich rule, a zone or policy target); masquerade or port forwarding alone is NAT (R3). */
function firewalldFilter(lines: readonly string[]): boolean {
  return lines.some((line) => {
    const at = line.search(/\bfirewall-cmd\b/);
    if (at < 0) return false;
    const rest = line.slice(at);
    return (
      (/--add-rich-rule\b/.test(rest) && /\b(?:drop|reject)\b/i.test(rest)) || /--set-target[=\s]+(?:DROP|REJECT|%%REJECT%%)/i.test(rest)
    );
  });
}

/** An iptables DNAT to UDP port 6081 (GENEVE): the GWLB hairpin of AWS's appliance examples (its line up to the port). */
function geneveHairpin(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const at = line.search(/\bip6?tables\b/);
    if (at < 0) continue;
    const rest = line.slice(at);
    const j = rest.search(/-j\s+DNAT\b/);
    if (j < 0) continue;
    for (const m of rest.slice(j).matchAll(/--to-destination\s+(\S+)/g)) {
      const port = /:6081(?![0-9])/.exec(m[1]);
      if (port) return rest.slice(0, j + (m.index ?? 0) + m[0].length - m[1].length + port.index + port[0].length);
    }
  }
  return undefined;
}
const NAT_RULE = /-j\s+(?:MASQUERADE|SNAT)\b|\bmasquerade\b|^\s*nat\s+on\b/im;
const FORWARDING = /ip_forward|net\.ipv4\.conf\.[a-z0-9_*]+\.forwarding|gateway_enable|net\.inet\.ip\.forwarding/;

/** One iptables command of a bootstrap: its table, operation, chain and the rest of its words. */
interface IptablesRule {
  family: 4 | 6;
  table: string;
  op: string;
  chain: string;
  target?: string;
  in?: string;
  out?: string;
  /** Words other than the table, operation, chain, interfaces and target (matches, negations, options). */
  more: number;
  line: string;
}

/**
 * The iptables/ip6tables commands of a text, one per command (a line, or the parts of one joined by `&&` or `;`),
 * after an optional `sudo` and path; commands that are not plain words (a variable, a quote) are read as written.
 */
function iptablesRules(text: string): IptablesRule[] {
  const out: IptablesRule[] = [];
  for (const line of text.split('\n'))
    for (const cmd of line.split(/&&|;|\|\|/)) {
      const ws = cmd.trim().split(/\s+/);
      let i = 0;
      if (ws[i] === 'sudo') i++;
      const tool = (ws[i] ?? '').replace(/^.*\//, '');
      if (tool !== 'iptables' && tool !== 'ip6tables') continue;
      const r: IptablesRule = { family: tool === 'iptables' ? 4 : 6, table: 'filter', op: '', chain: '', more: 0, line: cmd.trim() };
      // The value after an option that takes one: its index, skipped by the loop.
      const value = (at: number): string | undefined => ws[at + 1];
      for (i++; i < ws.length; i++) {
        const w = ws[i];
        const next = value(i);
        if ((w === '-t' || w === '--table') && next !== undefined) {
          r.table = next;
          i++;
        } else if (/^-[AIPNDRFXZ]$|^--(?:append|insert|policy|new-chain|delete|replace|flush|delete-chain)$/.test(w) && !r.op) {
          r.op = w;
          r.chain = next ?? '';
          i++;
          // -P CHAIN TARGET
          if (r.op === '-P' || r.op === '--policy') {
            r.target = value(i);
            i++;
          }
        } else if ((w === '-j' || w === '--jump') && next !== undefined) {
          r.target = next;
          i++;
        } else if ((w === '-i' || w === '--in-interface') && next !== undefined) {
          r.in = next;
          i++;
        } else if ((w === '-o' || w === '--out-interface') && next !== undefined) {
          r.out = next;
          i++;
        } else if (w !== '') r.more++;
      }
      if (r.op) out.push(r);
    }
  return out;
}

const DROPS = new Set(['DROP', 'REJECT']);

/**
 * A NAT router whose filter leaves what it forwards out alone: the machine translates out one interface (`-t nat -A
 * POSTROUTING -o eth0 -j MASQUERADE`), accepts everything another interface sends out of it (`-A FORWARD -i eth1
 * -o eth0 -j ACCEPT`, nothing else to match), its FORWARD policy stays ACCEPT, and every rule that drops is in INPUT
 * or OUTPUT (the machine's own traffic) or takes only what comes in on that outside interface (unsolicited inbound
 * sessions, which NAT refuses anyway). It filters nothing of the egress it carries: it translates, as a NAT instance.
 * Any other drop (a user chain, a FORWARD rule with other matches, ip6tables in FORWARD) keeps it a firewall.
 */
function openNat(rules: readonly IptablesRule[]): ApplianceEvidence | undefined {
  const nat = rules.find(
    (r) => r.family === 4 && r.table === 'nat' && r.chain === 'POSTROUTING' && (r.target === 'MASQUERADE' || r.target === 'SNAT') && r.out,
  );
  const outside = nat?.out;
  if (!nat || !outside || outside.startsWith('!')) return undefined;
  const open = rules.find(
    (r) =>
      r.family === 4 &&
      r.table === 'filter' &&
      r.chain === 'FORWARD' &&
      (r.op === '-A' || r.op === '--append' || r.op === '-I' || r.op === '--insert') &&
      r.target === 'ACCEPT' &&
      r.out === outside &&
      r.in !== undefined &&
      r.in !== outside &&
      !r.in.startsWith('!') &&
      r.more === 0,
  );
  if (!open) return undefined;
  for (const r of rules) {
    if (r.table !== 'filter') continue;
    if (r.op === '-P' || r.op === '--policy') {
      if (r.chain === 'FORWARD' && r.target !== 'ACCEPT') return undefined;
      continue;
    }
    if (r.op === '-N' || r.op === '--new-chain') return undefined;
    if (!DROPS.has(r.target ?? '')) continue;
    if (r.chain === 'INPUT' || r.chain === 'OUTPUT') continue;
    if (r.family === 4 && r.chain === 'FORWARD' && r.in === outside) continue;
    return undefined;
  }
  return {
    role: 'nat',
    why: `its user data translates (\`${nat.line.slice(0, 80)}\`) and forwards what ${open.in} sends out ${outside} unfiltered (\`${open.line.slice(0, 80)}\`); its drops take only what comes in on ${outside} or the machine's own traffic`,
  };
}

/** What a bootstrap (user data) configures: a packet filter, or NAT only. */
function bootstrapRole(text: string): ApplianceEvidence | undefined {
  const lines = text.split('\n');
  const nft = nftFilter(text, lines);
  const ipt = iptablesFilter(lines) ?? nft;
  const other = OTHER_FILTERS.find(([re]) => re.test(text))?.[1] ?? (firewalldFilter(lines) ? 'firewalld' : undefined);
  const squid = squidConfig(text);
  // Rules loaded from elsewhere (iptables-restore of a file) may drop what the commands here leave open.
  if (ipt && !other && !nft && !/\bip6?tables-restore\b/.test(text)) {
    const rules = iptablesRules(text);
    const nat = openNat(rules);
    if (nat) return squid?.allowlist ? squidBesideNat(squid.allowlist, rules, nat.why) : nat;
  }
  if (ipt) return { role: 'firewall', why: `its user data filters packets with \`${ipt.trim().slice(0, 80)}\`` };
  if (other) return { role: 'firewall', why: `its user data filters packets with ${other}` };
  if (squid?.allowlist) {
    // A NAT instance with squid (AWS's squid NAT design): what iptables does not hand squid is translated out.
    const nat = NAT_RULE.exec(text);
    if (nat && FORWARDING.test(text))
      return squidBesideNat(
        squid.allowlist,
        iptablesRules(text),
        `it translates the rest (\`${nat[0].trim()}\`, forwarding on, no filter rule)`,
      );
    return { role: 'firewall', why: squid.allowlist };
  }
  // AWS's GWLB tunnel handler started with its pass-through example script: packets go back as they came.
  // Line by line (as the filters above): a pattern scanning to each line's end from every `gwlbtun` was quadratic.
  const pass = lines.some((l) => {
    const at = l.search(/\bgwlbtun\b/);
    return at >= 0 && l.includes('create-passthrough', at);
  });
  if (pass)
    return {
      role: 'passthrough',
      why: 'its user data runs gwlbtun with its pass-through script (create-passthrough.sh), which sends every packet the GWLB gives it straight back, unfiltered',
      hairpin: true,
    };
  // AWS's iptables hairpin for a GWLB target: GENEVE from the GWLB DNATed straight back to it on UDP 6081, with no
  // filter rule (F180): what the GWLB sends comes back unchanged.
  const hairpin = geneveHairpin(lines);
  if (hairpin)
    return {
      role: 'passthrough',
      why: `its user data sends GENEVE back to the GWLB with \`${hairpin.trim().slice(0, 140)}\` and filters nothing: it returns what the GWLB gives it, with no policy the inputs show`,
      hairpin: true,
    };
  const vendor = setsUpVendor(text);
  if (vendor) return { role: 'firewall', why: `its user data sets up ${vendor}` };
  const nat = NAT_RULE.exec(text);
  if (nat && FORWARDING.test(text))
    return { role: 'nat', why: `its user data only translates, with \`${nat[0].trim()}\` and forwarding on and no filter rule` };
  if (squid?.open) return { role: 'passthrough', why: squid.open };
  // Squid's stock rules, or a deny-list: what it lets through is not decided (Unknown naming it, never Protected).
  if (squid) return { role: 'passthrough', why: squid.appended ?? squid.wide ?? SQUID_UNDECIDED };
  return undefined;
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

/**
 * Where a shell line writes, and how: appending (`>> f`, `tee -a f`) or whole (`> f`, `tee f`); undefined when it
 * writes no file. Plain tests on the one line (no pattern that backtracks over it).
 */
function writeOf(line: string): { file: string; append: boolean } | undefined {
  const app = />>\s*([^\s;|&<>]+)/.exec(line);
  if (app) return { file: app[1], append: true };
  const tee = /\btee((?:\s+-[-\w]+)*)\s+([^\s;|&<>-][^\s;|&<>]*)/.exec(line);
  if (tee) return { file: tee[2], append: /\s(?:-a|--append)\b/.test(tee[1]) };
  const whole = /(?:^|[^>&0-9])>\s*([^\s;|&<>]+)/.exec(line);
  return whole ? { file: whole[1], append: false } : undefined;
}

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
    const sq = squidConfig(b);
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
