// What a PAN-OS configuration (a VM-Series' bootstrap.xml, parse/xml.ts) says of its security policy, reduced to
// what decides the egress posture (model BootstrapPolicy; analysis/firewallPolicy/bootstrap.ts decides, as for a
// FortiGate). PAN-OS's words:
// - one rulebase per virtual system (`devices/entry/vsys/entry/rulebase/security/rules/entry`), evaluated top
//   down, first match wins; after the last rule come two predefined ones: `intrazone-default` (allow, traffic
//   within one zone) and `interzone-default` (deny, between zones), neither logging unless
//   `default-security-rules` overrides their action or logging;
// - a rule joins zones (`from`/`to`, `any` being every zone); behind a GWLB a VM-Series usually has one data
//   zone, so egress is intrazone and what the rules do not take meets the intrazone allow;
// - `source`/`destination` name addresses (literal, or objects and static groups of the vsys or `shared`;
//   `any` is every address; `negate-source`/`negate-destination` invert them); `service` names services (`any`,
//   `application-default`: each application's standard ports, `service-http`/`service-https`, objects and
//   groups); `application`, `source-user`, `category` and HIP profiles narrow a rule beyond a 5-tuple;
// - `action` allow, or deny / drop / reset-*; `disabled yes` takes a rule out;
// - security profiles (`profile-setting`: a group or individual profiles) inspect what a rule allows;
// - `log-end` (on unless `no`) logs every session the rule allows.
// A zone the rules name but the egress may not cross, a rule-type other than universal over `any` zones, and an
// unreadable XML leave the posture unknown, located.
import type {
  BootstrapAddresses,
  BootstrapMatch,
  BootstrapPolicy,
  BootstrapRule,
  BootstrapService,
  BootstrapServices,
  BootstrapTable,
} from '../../model/types';
import { coversFamily, literalAddress } from '../../model/cidr';
import { where } from '../../model/where';
import { childAt, entries, members, parseXml, type XmlElement } from '../xml';
import type { Locate, Resolved } from './fortiosPolicy';

export const PANOS_LANGUAGE = 'PAN-OS';

/** Interface markers of the predefined rules: they apply to traffic within one zone, or between two. */
export const INTRAZONE = 'intrazone';
export const INTERZONE = 'interzone';

const DENY_ACTIONS = new Set(['deny', 'drop', 'reset-client', 'reset-server', 'reset-both']);

/** The security policy a PAN-OS configuration writes; undefined when the text is not a firewall's PAN-OS configuration. */
export function panosBootstrapXml(text: string, locate: Locate): BootstrapPolicy | undefined {
  // Cheap refusal first.
  if (!text.includes('<config') || !text.includes('<devices')) return undefined;
  const doc = parseXml(text);
  const root = doc.root;
  if (root?.name !== 'config' || !childAt(root, 'devices')) return undefined;
  const at = (s: number, e: number): string => where(locate(s, e));
  const broken = doc.problems.find((p) => !p.message.startsWith('unknown entity'));
  const damage = broken ? `the XML cannot be read whole: ${broken.message} (${at(broken.start, broken.end)})` : undefined;
  const shared = childAt(root, 'shared');
  const tables: BootstrapTable[] = [];
  for (const device of entries(childAt(root, 'devices')).values())
    for (const [name, vsys] of entries(childAt(device, 'vsys'))) tables.push(vsysTable(name, vsys, shared, locate, damage));
  if (tables.length === 0)
    return {
      language: PANOS_LANGUAGE,
      tables: [
        { name: 'config', loc: locate(root.start, root.tagEnd), rules: [], unknown: damage ?? 'it writes no virtual system (vsys)' },
      ],
    };
  return { language: PANOS_LANGUAGE, tables };
}

interface Scope {
  vsys: XmlElement;
  shared: XmlElement | undefined;
}

/** An object of a kind (`address`, `service`, ...) named in the vsys, else in `shared`. */
const objectNamed = (s: Scope, kind: string, name: string): XmlElement | undefined =>
  entries(childAt(s.vsys, kind)).get(name) ?? entries(childAt(s.shared, kind)).get(name);

function vsysTable(
  name: string,
  vsys: XmlElement,
  shared: XmlElement | undefined,
  locate: Locate,
  damage: string | undefined,
): BootstrapTable {
  const scope: Scope = { vsys, shared };
  const rulebase = childAt(vsys, 'rulebase');
  const security = childAt(rulebase, 'security', 'rules');
  const loc = locate((security ?? vsys).start, (security ?? vsys).tagEnd);
  const zones = [...entries(childAt(vsys, 'zone')).keys()];
  const rules: BootstrapRule[] = [];
  let unknown = damage;
  for (const [ruleName, e] of entries(security)) {
    const r = rule(ruleName, e, scope, locate);
    const type = childAt(e, 'rule-type')?.text.trim() || 'universal';
    const from = zoneList(members(childAt(e, 'from')), zones);
    const to = zoneList(members(childAt(e, 'to')), zones);
    if (type !== 'universal' && (from.includes('any') || to.includes('any'))) {
      unknown ??= `rule "${ruleName}" (${where(r.loc)}) is of rule-type ${type} over zone any: which zones it joins is not read here`;
      continue;
    }
    for (const f of from)
      for (const t of to) {
        if ((type === 'intrazone' && f !== t) || (type === 'interzone' && f === t)) continue;
        rules.push({ ...r, interfaces: `${f}>${t}` });
      }
  }
  const defaults = entries(childAt(rulebase, 'default-security-rules', 'rules'));
  rules.push(predefined('intrazone-default', 'accept', INTRAZONE, defaults.get('intrazone-default'), loc, locate));
  rules.push(predefined('interzone-default', 'deny', INTERZONE, defaults.get('interzone-default'), loc, locate));
  return { name: `vsys ${name}`, loc, rules, ...(unknown ? { unknown } : {}) };
}

/** A rule's zones: `any` stands for every zone of the vsys when it defines some (each pair is then judged on its own). */
function zoneList(written: string[], zones: string[]): string[] {
  if (written.length === 0 || written.includes('any')) return zones.length ? zones : ['any'];
  return written;
}

const EVERY: BootstrapAddresses = { ranges: ['0.0.0.0/0', '::/0'], fqdns: [] };

/** `intrazone-default` / `interzone-default`, with what `default-security-rules` overrides. */
function predefined(
  name: string,
  action: 'accept' | 'deny',
  interfaces: string,
  override: XmlElement | undefined,
  loc: BootstrapRule['loc'],
  locate: Locate,
): BootstrapRule {
  const act = childAt(override, 'action')?.text.trim();
  const set =
    act === 'allow' ? 'accept' : act && DENY_ACTIONS.has(act) ? 'deny' : act ? { unknown: `action \`${act}\` is not read here` } : action;
  return {
    name: `predefined rule ${name}`,
    loc: override ? locate(override.start, override.tagEnd) : loc,
    enabled: true,
    action: set,
    interfaces,
    src: 'all',
    dst: 'all',
    src6: 'all',
    dst6: 'all',
    service: 'all',
    profiles: override ? profilesOf(override) : [],
    // The predefined rules log nothing unless told to.
    logsAll: childAt(override, 'log-end')?.text.trim() === 'yes',
    flow: { src: EVERY, dst: EVERY, service: { entries: [{ protocol: 'ip' }] } },
  };
}

const MAX_DEPTH = 8;

function addressInto(name: string, s: Scope, out: Resolved, depth: number): void {
  if (name === 'any') {
    out.all = true;
    return;
  }
  const lit = literalAddress(name);
  if (lit) {
    out.ranges.push(lit);
    return;
  }
  const obj = objectNamed(s, 'address', name);
  if (obj) {
    const v = (k: string): string | undefined => childAt(obj, k)?.text.trim();
    const net = v('ip-netmask');
    const range = v('ip-range');
    const fqdn = v('fqdn');
    const l = net !== undefined ? literalAddress(net) : range !== undefined ? literalAddress(range) : undefined;
    if (l) out.ranges.push(l);
    else if (fqdn) out.fqdns.push(fqdn.toLowerCase().replace(/\.$/, ''));
    else out.opaque ??= `address ${name} is not an address, range or FQDN read here`;
    return;
  }
  const group = objectNamed(s, 'address-group', name);
  if (group && depth < MAX_DEPTH) {
    const st = childAt(group, 'static');
    if (st) for (const m of members(st)) addressInto(m, s, out, depth + 1);
    else out.opaque ??= `address group ${name} is dynamic: its members are known when the firewall runs`;
    return;
  }
  const edl = objectNamed(s, 'external-list', name);
  if (edl) {
    out.opaque ??= `${name} is an external dynamic list: its addresses are known when the firewall runs`;
    return;
  }
  const region = objectNamed(s, 'region', name);
  // A custom region defined by its addresses is those addresses (named destinations, as an address object).
  const regionAddresses = region ? members(childAt(region, 'address')) : [];
  if (region && regionAddresses.length > 0) {
    for (const a of regionAddresses) {
      const l = literalAddress(a);
      if (l) out.ranges.push(l);
      else out.opaque ??= `region ${name}'s address ${a} is not an address or range read here`;
    }
    return;
  }
  // A predefined region (a country code: `US`, `EU`, `A1`) or a custom one without addresses: a geography. A country's
  // addresses hold much of the internet's SaaS and CDN space and name no host (review s17 R4, as FortiOS geography).
  if (region || /^[A-Z][A-Z0-9]$/.test(name)) {
    (out.countries ??= []).push(region ? `region "${name}"` : name);
    return;
  }
  out.unknown ??= `address ${name} is not defined in the configuration`;
}

function addresses(el: XmlElement | undefined, s: Scope): Resolved {
  const out: Resolved = { all: false, ranges: [], fqdns: [] };
  const names = members(el);
  if (names.length === 0) out.all = true;
  for (const n of names) addressInto(n, s, out, 0);
  return out;
}

function matchOf(r: Resolved, family: 4 | 6, negate: boolean, key: string): BootstrapMatch {
  if (negate) return { unknown: `${key} is yes` };
  // `any`, or ranges that together hold the whole family (`0.0.0.0/1` and `128.0.0.0/1`: review s16 R9).
  if (r.all || coversFamily(r.ranges, family)) return 'all';
  if (r.unknown) return { unknown: r.unknown };
  const fam = r.ranges.filter((x) => (x.includes(':') ? 6 : 4) === family);
  return fam.length || r.fqdns.length || r.opaque || r.countries ? 'some' : 'none';
}

function flowAddresses(r: Resolved, negate: boolean): BootstrapAddresses {
  const unknown =
    r.unknown ?? r.opaque ?? (r.countries ? `${r.countries[0]} is a region, which a flow's address alone does not match` : undefined);
  // A whole country among the destinations (whatever is named beside it) opens most of the internet to the rule.
  const countries = !!r.countries && !r.all && !r.unknown;
  return {
    ranges: r.all ? ['0.0.0.0/0', '::/0'] : r.ranges,
    fqdns: r.fqdns,
    ...(unknown && !r.all ? { unknown } : {}),
    ...(negate ? { negate: true as const } : {}),
    ...(countries ? { countries: r.countries } : {}),
  };
}

// PAN-OS's predefined services.
const PREDEFINED: Record<string, BootstrapService[]> = {
  'service-http': [
    {
      protocol: 'tcp',
      ports: [
        [80, 80],
        [8080, 8080],
      ],
    },
  ],
  'service-https': [{ protocol: 'tcp', ports: [[443, 443]] }],
};

function portList(text: string): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (const p of text.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(p);
    if (!m) return undefined;
    out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

function serviceInto(name: string, s: Scope, out: { entries: BootstrapService[]; unknown?: string }, depth: number): void {
  const obj = objectNamed(s, 'service', name);
  if (obj) {
    const proto = childAt(obj, 'protocol')?.children[0];
    const ports = proto ? portList(childAt(proto, 'port')?.text ?? '') : undefined;
    if (proto && (proto.name === 'tcp' || proto.name === 'udp' || proto.name === 'sctp') && ports)
      out.entries.push({ protocol: proto.name, ports });
    else out.unknown ??= `service ${name} is not a protocol and ports read here`;
    return;
  }
  const group = objectNamed(s, 'service-group', name);
  if (group && depth < MAX_DEPTH) {
    for (const m of members(childAt(group, 'members'))) serviceInto(m, s, out, depth + 1);
    return;
  }
  if (PREDEFINED[name]) out.entries.push(...PREDEFINED[name]);
  else out.unknown ??= `service ${name} is not defined in the configuration`;
}

/** A rule's service: its posture match, what a flow is matched against, and whether it means each application's ports. */
function servicesOf(el: XmlElement | undefined, s: Scope): { match: BootstrapMatch; flow: BootstrapServices; appDefault: boolean } {
  const names = members(el);
  if (names.length === 0 || names.includes('any')) return { match: 'all', flow: { entries: [{ protocol: 'ip' }] }, appDefault: false };
  if (names.includes('application-default'))
    return {
      match: 'some',
      flow: { entries: [], unknown: 'service application-default: the ports are those of the application' },
      appDefault: true,
    };
  const out: { entries: BootstrapService[]; unknown?: string } = { entries: [] };
  for (const n of names) serviceInto(n, s, out, 0);
  return { match: out.unknown ? { unknown: out.unknown } : 'some', flow: out, appDefault: false };
}

function profilesOf(e: XmlElement): string[] {
  const setting = childAt(e, 'profile-setting');
  const out = members(childAt(setting, 'group')).map((g) => `group "${g}"`);
  for (const p of childAt(setting, 'profiles')?.children ?? []) for (const m of members(p)) out.push(`${p.name} "${m}"`);
  return out;
}

/** Whether a rule names no user, URL category or HIP profile (only applications, if anything, narrow it). */
function applicationOnly(e: XmlElement): boolean {
  return ['source-user', 'category', 'source-hip', 'destination-hip'].every((k) => {
    const m = members(childAt(e, k));
    return m.length === 0 || m.includes('any');
  });
}

/** What narrows a rule beyond a 5-tuple: an application, a user, a URL category, a HIP profile. */
function narrowing(e: XmlElement): string | undefined {
  for (const [key, what] of [
    ['application', 'application'],
    ['source-user', 'source user'],
    ['category', 'URL category'],
    ['source-hip', 'HIP profile'],
    ['destination-hip', 'HIP profile'],
  ] as const) {
    const m = members(childAt(e, key));
    if (m.length && !m.includes('any')) return `${what} (${m.slice(0, 3).join(', ')})`;
  }
  return undefined;
}

function rule(name: string, e: XmlElement, s: Scope, locate: Locate): BootstrapRule {
  const text = (k: string): string | undefined => childAt(e, k)?.text.trim();
  const act = text('action');
  const action: BootstrapRule['action'] =
    act === 'allow'
      ? 'accept'
      : act && DENY_ACTIONS.has(act)
        ? 'deny'
        : { unknown: act ? `action \`${act}\` is not read here` : 'no action is written' };
  const src = addresses(childAt(e, 'source'), s);
  const dst = addresses(childAt(e, 'destination'), s);
  const negSrc = text('negate-source') === 'yes';
  const negDst = text('negate-destination') === 'yes';
  const svc = servicesOf(childAt(e, 'service'), s);
  const narrowedBy = narrowing(e) ?? (svc.appDefault ? 'application-default ports' : undefined);
  return {
    name: `rule "${name}"`,
    loc: locate(e.start, e.tagEnd),
    enabled: text('disabled') !== 'yes',
    action,
    interfaces: 'any>any',
    src: matchOf(src, 4, negSrc, 'negate-source'),
    dst: matchOf(dst, 4, negDst, 'negate-destination'),
    src6: matchOf(src, 6, negSrc, 'negate-source'),
    dst6: matchOf(dst, 6, negDst, 'negate-destination'),
    service: svc.match,
    profiles: profilesOf(e),
    logsAll: text('log-end') !== 'no',
    flow: {
      src: flowAddresses(src, negSrc),
      dst: flowAddresses(dst, negDst),
      service: svc.flow,
      ...(narrowedBy ? { narrowedBy } : {}),
      ...(narrowedBy && applicationOnly(e) ? { byApplicationOnly: true as const } : {}),
    },
  };
}
