// What an OPNsense (or pfSense: the same `<filter><rule>` schema) config.xml says of its filter rules, reduced to
// what decides the egress posture (model BootstrapPolicy; analysis/firewallPolicy/bootstrap.ts decides, as for a
// FortiGate or a VM-Series). The appliance's words:
// - `<filter>` holds the interface rules in order; a rule applies to packets entering its `<interface>` (direction
//   `in`, the default) and the first that matches decides (`quick`, the default of interface rules); what no rule
//   passes meets the automatic default deny;
// - `<type>` pass, or block / reject; `<disabled>` takes a rule out; `<log>` logs what it matches;
// - `<source>`/`<destination>` are `<any>`, a `<network>` (an interface's subnet `lan`: its `<ipaddr>`/`<subnet>`
//   under `<interfaces>`, or `<ipaddrv6>`/`<subnetv6>`; the firewall's own address `lanip` / `(self)`) or an
//   `<address>` (an IP, CIDR or range; otherwise an alias: host and network aliases, OPNsense's
//   `<OPNsense><Firewall><Alias>` with `<content>` lines or the older `<aliases>` with space-separated `<address>`,
//   nested aliases and network groups followed; host names are named destinations), `<not>` negates, `<port>` on
//   the destination narrows the service with `<protocol>` (a port alias read the same way); `<ipprotocol>` inet /
//   inet6 / inet46 (inet when absent);
// - packets leaving an interface are passed by the automatic rules unless an outbound rule blocks them.
// Read as unknown, located, never guessed: a damaged XML, a floating rule, an interface rule that is not `quick`,
// an outbound block, an alias fetched when the firewall runs (URL tables, GeoIP, ASN, dynamic and external ones),
// defined nowhere, disabled or nested too deep, a schedule, rules of the newer Firewall > Automation filter. An
// interface whose address is dynamic (`dhcp`, `track6`) has a subnet known when the firewall runs: some addresses.
import type {
  BootstrapAddresses,
  BootstrapMatch,
  BootstrapPolicy,
  BootstrapRule,
  BootstrapService,
  BootstrapServices,
} from '../../model/types';
import { literalAddress, parseCidr } from '../../model/cidr';
import { where } from '../../model/where';
import { childAt, childrenNamed, parseXml, type XmlElement } from '../xml';
import type { Locate, Resolved } from './fortiosPolicy';

export const OPNSENSE_LANGUAGE = 'OPNsense';
export const PFSENSE_LANGUAGE = 'pfSense';

/** What a config.xml gives: its policy, and where it is damaged when the XML cannot be read whole. */
export interface ApplianceXml {
  policy: BootstrapPolicy;
  damage?: { message: string; at: string };
}

/** A flag element: present and not `0` (`<log/>`, `<log>1</log>`). */
const flag = (el: XmlElement | undefined): boolean => el !== undefined && el.text.trim() !== '0';

/** The filter rules an OPNsense or pfSense config.xml writes; undefined when the text is not one. */
export function opnsenseConfigXml(text: string, locate: Locate): ApplianceXml | undefined {
  // Cheap refusal first.
  if (!text.includes('<opnsense') && !text.includes('<pfsense')) return undefined;
  const doc = parseXml(text);
  const root = doc.root;
  if (root?.name !== 'opnsense' && root?.name !== 'pfsense') return undefined;
  const language = root.name === 'opnsense' ? OPNSENSE_LANGUAGE : PFSENSE_LANGUAGE;
  const at = (s: number, e: number): string => where(locate(s, e));
  const broken = doc.problems.find((p) => !p.message.startsWith('unknown entity'));
  const damage = broken ? { message: broken.message, at: at(broken.start, broken.end) } : undefined;
  const filter = childAt(root, 'filter');
  const loc = locate((filter ?? root).start, (filter ?? root).tagEnd);
  const rules: BootstrapRule[] = [];
  let unknown = damage ? `its XML is damaged: ${damage.message} (${damage.at})` : undefined;
  // The newer rules (Firewall > Automation > Filter) are evaluated before the interface rules: not read here.
  const mvc = childrenNamed(childAt(root, 'OPNsense', 'Firewall', 'Filter', 'rules'), 'rule');
  if (mvc.length) unknown ??= `it writes Firewall > Automation filter rules (${at(mvc[0].start, mvc[0].tagEnd)}), which are not read here`;
  const ifaces = new Set((childAt(root, 'interfaces')?.children ?? []).map((c) => c.name));
  const names: Names = { ifaces, nets: interfaceNets(root), aliases: aliasesOf(root) };
  let outLogs = false;
  for (const [n, e] of childrenNamed(filter, 'rule').entries()) {
    const r = rule(n + 1, e, names, locate);
    const text = (k: string): string | undefined => childAt(e, k)?.text.trim();
    if (r.enabled === false) continue;
    if (flag(childAt(e, 'floating'))) {
      unknown ??= `${r.name} (${where(r.loc)}) is a floating rule, which is not read here`;
      continue;
    }
    const quick = childAt(e, 'quick');
    if (quick && quick.text.trim() === '0') {
      unknown ??= `${r.name} (${where(r.loc)}) is not quick (the last matching rule decides), which is not read here`;
      continue;
    }
    const direction = text('direction') || 'in';
    if (direction === 'out' || direction === 'any') {
      // Leaving an interface, what no outbound rule blocks passes: an outbound pass changes nothing but its log.
      if (r.action !== 'accept') {
        unknown ??= `${r.name} (${where(r.loc)}) ${r.action === 'deny' ? 'blocks' : 'decides'} traffic leaving ${r.interfaces.split('>')[0]}: outbound rules that block are not read here`;
        continue;
      }
      if (r.logsAll === true) outLogs = true;
    }
    if (direction === 'in' || direction === 'any') rules.push(r);
    else if (direction !== 'out') unknown ??= `${r.name} (${where(r.loc)}) has direction \`${direction}\`, which is not read here`;
  }
  // An unlogged pass of everything in, logged on the way out: whether it is watched is not read here.
  const unloggedAll = rules.find(
    (r) => r.action === 'accept' && r.logsAll === false && r.src === 'all' && r.dst === 'all' && r.service === 'all',
  );
  if (outLogs && unloggedAll)
    unknown ??= `${unloggedAll.name} (${where(unloggedAll.loc)}) passes everything unlogged and an outbound rule logs: whether the traffic is logged is not read here`;
  return {
    policy: { language, tables: [{ name: 'filter', loc, rules, ...(unknown ? { unknown } : {}) }] },
    ...(damage ? { damage } : {}),
  };
}

interface Side extends Resolved {
  negate: boolean;
  port?: string;
}

/** What a config.xml names: its interfaces, their subnets when written, its aliases. */
interface Names {
  ifaces: ReadonlySet<string>;
  nets: ReadonlyMap<string, { ranges: string[]; dynamic?: string }>;
  aliases: ReadonlyMap<string, Alias>;
}

/** An alias as written: its type, its items, whether it is enabled. */
interface Alias {
  type: string;
  items: string[];
  enabled: boolean;
}

/**
 * Each interface's subnet from its address and prefix (`<ipaddr>10.0.1.4</ipaddr><subnet>24</subnet>`, and the IPv6
 * pair); a dynamic address (`dhcp`, `track6`, a PPPoE link) says its subnet is known when the firewall runs.
 */
function interfaceNets(root: XmlElement): Map<string, { ranges: string[]; dynamic?: string }> {
  const out = new Map<string, { ranges: string[]; dynamic?: string }>();
  for (const i of childAt(root, 'interfaces')?.children ?? []) {
    const ranges: string[] = [];
    let dynamic: string | undefined;
    for (const [a, b] of [
      ['ipaddr', 'subnet'],
      ['ipaddrv6', 'subnetv6'],
    ]) {
      const addr = childAt(i, a)?.text.trim();
      const bits = childAt(i, b)?.text.trim();
      if (!addr) continue;
      const c = bits && /^\d{1,3}$/.test(bits) ? parseCidr(`${addr}/${bits}`) : undefined;
      if (c) ranges.push(c.text);
      else dynamic ??= `its address is \`${addr}\``;
    }
    out.set(i.name, { ranges, ...(dynamic ? { dynamic } : {}) });
  }
  return out;
}

/** The aliases of a config.xml: OPNsense's (`<OPNsense><Firewall><Alias><aliases>`) and the older `<aliases>` (pfSense's). */
function aliasesOf(root: XmlElement): Map<string, Alias> {
  const out = new Map<string, Alias>();
  for (const a of childrenNamed(childAt(root, 'OPNsense', 'Firewall', 'Alias', 'aliases'), 'alias')) {
    const name = childAt(a, 'name')?.text.trim();
    if (!name) continue;
    const content = childAt(a, 'content')?.text ?? '';
    out.set(name, {
      type: (childAt(a, 'type')?.text.trim() ?? '').toLowerCase(),
      items: content
        .split(/[\n,]/)
        .map((x) => x.trim())
        .filter((x) => x !== ''),
      enabled: childAt(a, 'enabled')?.text.trim() !== '0',
    });
  }
  for (const a of childrenNamed(childAt(root, 'aliases'), 'alias')) {
    const name = childAt(a, 'name')?.text.trim();
    if (!name || out.has(name)) continue;
    out.set(name, {
      type: (childAt(a, 'type')?.text.trim() ?? '').toLowerCase(),
      items: (childAt(a, 'address')?.text ?? '').split(/\s+/).filter((x) => x !== ''),
      enabled: true,
    });
  }
  return out;
}

const ADDRESS_ALIASES = new Set(['host', 'network', 'networkgroup']);
const MAX_NESTING = 8;

/**
 * The addresses an alias holds, its nested aliases followed (host, network, network group): literal addresses, host
 * names (resolved when the firewall runs: named destinations), or why they are not known (a URL table, GeoIP, an
 * alias defined nowhere or disabled, a loop).
 */
function aliasAddresses(
  name: string,
  aliases: ReadonlyMap<string, Alias>,
  seen: string[] = [],
): { ranges: string[]; fqdns: string[]; unknown?: string } {
  const a = aliases.get(name);
  if (!a) return { ranges: [], fqdns: [], unknown: `${name} is an alias or network not read here` };
  if (!a.enabled) return { ranges: [], fqdns: [], unknown: `alias ${name} is disabled: what a rule naming it matches is not read here` };
  if (!ADDRESS_ALIASES.has(a.type))
    return {
      ranges: [],
      fqdns: [],
      unknown: `alias ${name} is of type ${a.type || 'unknown'}: its addresses are ${/url|geoip|asn|dynipv6host|external|dynamic/.test(a.type) ? 'fetched or set when the firewall runs' : 'not read here'}`,
    };
  if (seen.includes(name) || seen.length >= MAX_NESTING)
    return { ranges: [], fqdns: [], unknown: `alias ${name} nests aliases in a loop or too deep (${[...seen, name].join(' > ')})` };
  const out: { ranges: string[]; fqdns: string[]; unknown?: string } = { ranges: [], fqdns: [] };
  for (const item of a.items) {
    const lit = literalAddress(item);
    if (lit) out.ranges.push(lit);
    else if (aliases.has(item)) {
      const sub = aliasAddresses(item, aliases, [...seen, name]);
      out.ranges.push(...sub.ranges);
      out.fqdns.push(...sub.fqdns);
      if (sub.unknown) out.unknown ??= sub.unknown;
    } else if (a.type === 'host' && /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(item)) out.fqdns.push(item);
    else out.unknown ??= `alias ${name} holds ${item}, which is not read here`;
  }
  return out;
}

/** The ports a port alias holds (`443`, `8000:8080`, nested port aliases), or undefined when they are not known. */
function aliasPorts(name: string, aliases: ReadonlyMap<string, Alias>, seen: string[] = []): [number, number][] | undefined {
  const a = aliases.get(name);
  if (!a || !a.enabled || a.type !== 'port' || seen.includes(name) || seen.length >= MAX_NESTING) return undefined;
  const out: [number, number][] = [];
  for (const item of a.items) {
    const p = ports(item) ?? aliasPorts(item, aliases, [...seen, name]);
    if (!p) return undefined;
    out.push(...p);
  }
  return out.length > 0 ? out : undefined;
}

/** A rule's source or destination. The firewall's own addresses (`lanip`, `(self)`) are no transit traffic: none. */
function side(el: XmlElement | undefined, what: string, names: Names): Side {
  const { ifaces } = names;
  const out: Side = { all: false, ranges: [], fqdns: [], negate: flag(childAt(el, 'not')) };
  const port = childAt(el, 'port')?.text.trim();
  if (port) out.port = port;
  if (!el) {
    out.unknown = `no ${what} is written`;
    return out;
  }
  if (childAt(el, 'any')) {
    out.all = true;
    return out;
  }
  const network = childAt(el, 'network')?.text.trim();
  const address = childAt(el, 'address')?.text.trim();
  const v = network || address;
  if (!v) {
    out.unknown = `its ${what} names no network or address`;
    return out;
  }
  const lit = literalAddress(v);
  if (lit) out.ranges.push(lit);
  else if (network && (network === '(self)' || (network.endsWith('ip') && ifaces.has(network.slice(0, -2))))) {
    // The firewall's own address: traffic to or from the appliance itself, not through it.
  } else if (network && ifaces.has(network)) {
    // The interface's subnet, from its address and prefix; a dynamic address: known when the firewall runs.
    const net = names.nets.get(network);
    out.ranges.push(...(net?.ranges ?? []));
    if (!net || net.ranges.length === 0 || net.dynamic)
      out.opaque = `network ${network} is the subnet of interface ${network}${net?.dynamic ? ` (${net.dynamic})` : ''}, known when the firewall runs`;
  } else if (address && !network) {
    const a = aliasAddresses(v, names.aliases);
    out.ranges.push(...a.ranges);
    out.fqdns.push(...a.fqdns);
    if (a.unknown) out.unknown = a.unknown;
  } else out.unknown = `${v} is an alias or network not read here`;
  return out;
}

function matchOf(s: Side, family: 4 | 6, families: ReadonlySet<4 | 6>, key: string): BootstrapMatch {
  if (!families.has(family)) return 'none';
  if (s.negate) return { unknown: `its ${key} is negated` };
  if (s.all) return 'all';
  if (s.unknown) return { unknown: s.unknown };
  const fam = s.ranges.filter((x) => (x.includes(':') ? 6 : 4) === family);
  return fam.length || s.fqdns.length || s.opaque ? 'some' : 'none';
}

function flowAddresses(s: Side, families: ReadonlySet<4 | 6>): BootstrapAddresses {
  const unknown = s.unknown ?? s.opaque;
  const every = [...(families.has(4) ? ['0.0.0.0/0'] : []), ...(families.has(6) ? ['::/0'] : [])];
  return {
    ranges: s.all ? every : s.ranges.filter((x) => families.has(x.includes(':') ? 6 : 4)),
    fqdns: s.all ? [] : s.fqdns,
    ...(unknown && !s.all ? { unknown } : {}),
    ...(s.negate ? { negate: true as const } : {}),
  };
}

const PORT_NAMES: Record<string, number> = { http: 80, https: 443, ssh: 22, domain: 53, dns: 53, smtp: 25, ntp: 123 };

function ports(text: string): [number, number][] | undefined {
  const named = PORT_NAMES[text.toLowerCase()];
  if (named !== undefined) return [[named, named]];
  const m = /^(\d+)(?:\s*[-:]\s*(\d+))?$/.exec(text);
  return m ? [[Number(m[1]), Number(m[2] ?? m[1])]] : undefined;
}

/** The service: `<protocol>` (any when absent) and the destination `<port>`. */
function serviceOf(
  protocol: string | undefined,
  port: string | undefined,
  srcPort: string | undefined,
  aliases: ReadonlyMap<string, Alias>,
): { match: BootstrapMatch; flow: BootstrapServices } {
  const p = (protocol ?? 'any').toLowerCase();
  if (p === 'any' && !port && !srcPort) return { match: 'all', flow: { entries: [{ protocol: 'ip' }] } };
  const protos: BootstrapService['protocol'][] =
    p === 'tcp/udp' ? ['tcp', 'udp'] : p === 'tcp' || p === 'udp' ? [p] : p === 'icmp' ? ['icmp'] : p === 'ipv6-icmp' ? ['icmp6'] : [];
  if (protos.length === 0) return { match: 'some', flow: { entries: [], unknown: `protocol ${p} is not read here` } };
  const range = port ? (ports(port) ?? aliasPorts(port, aliases)) : undefined;
  if (port && !range)
    return {
      match: { unknown: `port ${port} is an alias not read here` },
      flow: { entries: [], unknown: `port ${port} is an alias not read here` },
    };
  return {
    match: 'some',
    flow: { entries: protos.map((x) => (range && x !== 'icmp' && x !== 'icmp6' ? { protocol: x, ports: range } : { protocol: x })) },
  };
}

function rule(n: number, e: XmlElement, names: Names, locate: Locate): BootstrapRule {
  const text = (k: string): string | undefined => childAt(e, k)?.text.trim();
  const descr = text('descr');
  const type = text('type');
  const action: BootstrapRule['action'] =
    type === 'pass'
      ? 'accept'
      : type === 'block' || type === 'reject'
        ? 'deny'
        : { unknown: type ? `type \`${type}\` is not read here` : 'no type is written' };
  const sched = text('sched');
  const enabled: BootstrapRule['enabled'] = flag(childAt(e, 'disabled'))
    ? false
    : sched
      ? { unknown: `it applies on schedule ${sched}, only at the times it sets` }
      : true;
  const ipp = text('ipprotocol') || 'inet';
  const families = new Set<4 | 6>(ipp === 'inet46' ? [4, 6] : ipp === 'inet6' ? [6] : ipp === 'inet' ? [4] : []);
  const src = side(childAt(e, 'source'), 'source', names);
  const dst = side(childAt(e, 'destination'), 'destination', names);
  if (families.size === 0) src.unknown ??= `ipprotocol ${ipp} is not read here`;
  const svc = serviceOf(text('protocol'), dst.port, src.port, names.aliases);
  return {
    name: `rule ${n}${descr ? ` "${descr}"` : ''}`,
    loc: locate(e.start, e.tagEnd),
    enabled,
    action,
    interfaces: `${text('interface') || 'any'}>any`,
    src: matchOf(src, 4, families, 'source'),
    dst: matchOf(dst, 4, families, 'destination'),
    src6: matchOf(src, 6, families, 'source'),
    dst6: matchOf(dst, 6, families, 'destination'),
    service: svc.match,
    profiles: [],
    logsAll: flag(childAt(e, 'log')),
    flow: {
      src: flowAddresses(src, families),
      dst: flowAddresses(dst, families),
      service: svc.flow,
      ...(src.port ? { narrowedBy: `source port ${src.port}` } : {}),
    },
  };
}
