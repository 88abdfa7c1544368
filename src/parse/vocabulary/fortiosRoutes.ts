// Which interface a FortiGate sends internet-bound traffic out of, by FortiOS route selection over what its
// bootstrap configuration (parse/fortios.ts) writes for one VDOM; the policy reader (fortiosPolicy.ts) then
// judges only the interface pairs into it. FortiOS's words:
// - a default route comes from `config router static` (an entry whose `dst` is unset or 0.0.0.0/0, with no
//   `dstaddr` or internet service; administrative `distance` 10 unless set) or from an interface that learns
//   its gateway by DHCP or PPPoE (`config system interface`, `set mode dhcp|pppoe`, `defaultgw` enabled by
//   default; `distance` 5 unless set), so a DHCP port wins over a static default route left at its defaults;
// - the routes with the lowest distance go to the forwarding table; among those, the lowest `priority` is
//   used (the others stay installed, which is how a route over a tunnel passes the reverse-path check without
//   carrying traffic); the same distance and priority is ECMP. `priority` defaults to 0 before FortiOS 7.0 and
//   1 since, for static and learned routes alike, so an unset priority only loses to a set one above 1;
// - policy routes (`config router policy`) come before the routing table: one whose destinations are private
//   ranges only (the hairpin of east-west traffic back into the GENEVE tunnel it came from) never takes
//   internet-bound traffic; another may take some of it out of its `output-device`; a static route to a
//   public prefix likewise takes the traffic to that prefix;
// - policies name a zone (`config system zone`), not its member interfaces: the egress interface is said as
//   its zone.
// Anything that decides and is not read (a template value, SD-WAN, a blackhole, a dynamic routing protocol
// whose distance could win, a template line standing for a route) leaves the egress undecided: undefined.
import type { BootstrapEgress, SourceLocation } from '../../model/types';
import { cidrContains, formatIp, parseCidr, parseIpv4 } from '../../model/cidr';
import { where } from '../../model/where';
import { sectionsNamed, setting, type FosBlock, type FosEntry, type FosSection, type FosToken } from '../fortios';

type Locate = (start: number, end: number) => SourceLocation;

/** `10.0.0.0 255.255.255.0`, `10.0.0.0/24`, `10.0.0.0/255.255.255.0` as a CIDR; undefined when not one. */
export function ipmask(text: string): string | undefined {
  const m = /^(\S+?)(?:\s+|\/)(\S+)$/.exec(text.trim());
  if (!m) return parseCidr(text)?.text;
  const ip = parseIpv4(m[1]);
  if (ip === undefined) return undefined;
  let prefix: number;
  if (/^\d{1,2}$/.test(m[2])) prefix = Number(m[2]);
  else {
    const mask = parseIpv4(m[2]);
    if (mask === undefined) return undefined;
    const bits = mask.toString(2).padStart(32, '0');
    if (!/^1*0*$/.test(bits)) return undefined;
    prefix = bits.indexOf('0') < 0 ? 32 : bits.indexOf('0');
  }
  return prefix <= 32 ? parseCidr(`${formatIp(4, ip)}/${prefix}`)?.text : undefined;
}

/** Ranges no internet destination is in: private (RFC 1918), shared (RFC 6598), link-local, loopback, multicast. */
const NOT_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8', '224.0.0.0/4'].map(
  (c) => parseCidr(c)!,
);
const offInternet = (cidr: string): boolean => {
  const c = parseCidr(cidr);
  return !!c && NOT_INTERNET.some((b) => cidrContains(b, c));
};

/** Whether a flow's destination (an address, or a domain name: it has no address offline) is on the internet. */
export function internetDestination(dst: string): boolean {
  const ip = parseIpv4(dst);
  if (ip !== undefined) return !offInternet(`${dst}/32`);
  // IPv6 and names: the IPv4 routes here say nothing of IPv6; a name is taken to be an internet one.
  return !dst.includes(':');
}

/** A route's preference: its distance, and its priority as the range the FortiOS versions give it. */
interface Candidate {
  /** The interface it leaves by, as written. */
  device: string;
  distance: number;
  priority: [number, number];
  /** Inside a template conditional (`%{ if }`): the rendered file may not hold it. */
  conditional: boolean;
  /** How a reason names it: `static route 1 (fgt.conf:40)`. */
  label: string;
}

/** Why the routes do not decide: returned as the egress being undefined. */
class Undecided {
  constructor(readonly why: string) {}
}

const num = (t: FosToken | undefined, min: number, max: number): number | undefined => {
  if (!t || t.template || !/^\d+$/.test(t.text)) return undefined;
  const n = Number(t.text);
  return n >= min && n <= max ? n : undefined;
};

/** A setting's first value, refusing a template value (what it decides is not known). */
function one(e: FosBlock, key: string): string | undefined {
  const s = setting(e, key);
  if (!s || s.unset) return undefined;
  const v = s.values[0];
  if (v?.template) throw new Undecided(`\`set ${key} ${v.text}\` is a template value`);
  return v?.text;
}

function distanceOf(e: FosBlock, dflt: number): number {
  const s = setting(e, 'distance');
  if (!s || s.unset) return dflt;
  const n = num(s.values[0], 1, 255);
  if (n === undefined) throw new Undecided(`distance \`${s.values[0]?.text ?? ''}\` is not read here`);
  return n;
}

function priorityOf(e: FosBlock): [number, number] {
  const s = setting(e, 'priority');
  if (!s || s.unset) return [0, 1];
  const n = num(s.values[0], 0, 4294967295);
  if (n === undefined) throw new Undecided(`priority \`${s.values[0]?.text ?? ''}\` is not read here`);
  return [n, n];
}

/**
 * The offset spans of a block's template conditionals and loops (`%{ if }` ... `%{ endif }`, `%{ for }` ...
 * `%{ endfor }`); any other template line standing where commands are (`${extra_routes}`) may write anything.
 */
function conditionalSpans(b: FosBlock): [number, number][] {
  const spans: [number, number][] = [];
  const open: number[] = [];
  for (const t of b.opaque) {
    const m = /^%\{~?\s*(if|for|else|endif|endfor)\b/.exec(t.text);
    if (!m) throw new Undecided(`a template sequence \`${t.text}\` stands where commands are written`);
    if (m[1] === 'if' || m[1] === 'for') open.push(t.start);
    else if (m[1] === 'endif' || m[1] === 'endfor') spans.push([open.pop() ?? 0, t.end]);
  }
  for (const s of open) spans.push([s, Number.MAX_SAFE_INTEGER]);
  return spans;
}

const inSpans = (spans: [number, number][], at: number): boolean => spans.some(([a, b]) => a <= at && at <= b);

/** An entry's own template lines (a conditional `set`): what it sets is not known. */
function wholeEntry(e: FosEntry, what: string): void {
  if (e.opaque.length) throw new Undecided(`a template sequence \`${e.opaque[0].text}\` stands among the settings of ${what}`);
}

/** `set dst` values (`a.b.c.d m.m.m.m`, `a.b.c.d/n`, several in a policy route) as CIDRs; undefined when one is not read. */
function cidrsOf(values: FosToken[]): string[] | undefined {
  const out: string[] = [];
  for (let k = 0; k < values.length; k++) {
    const t = values[k];
    if (t.template) return undefined;
    // One token may hold both parts (`10.0.0.0/8`, or a rendered template value `10.0.0.0 255.0.0.0`).
    let c = t.text.includes('/') || /\s/.test(t.text.trim()) ? ipmask(t.text) : undefined;
    if (!c && values[k + 1] && !values[k + 1].template) {
      c = ipmask(`${t.text} ${values[k + 1].text}`);
      if (c) k++;
    }
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}

/** ` over <device>` for a route's label, when written plainly. */
const overDevice = (e: FosEntry): string => {
  const d = setting(e, 'device')?.values[0];
  return d && !d.template ? ` over ${d.text}` : '';
};

type Found = { section: FosSection; within: FosBlock[] };
const vdomOf = (within: FosBlock[]): string => [...within].reverse().find((b): b is FosEntry => 'name' in b)?.name.text ?? '';

/** The egress of one VDOM (`''` without VDOMs) by its routes; undefined when the bootstrap does not decide it. */
export function fortiOsEgress(top: FosBlock, vdom: string, locate: Locate): BootstrapEgress | undefined {
  try {
    return egress(top, vdom, locate);
  } catch (e) {
    if (e instanceof Undecided) return undefined;
    throw e;
  }
}

function egress(top: FosBlock, vdom: string, locate: Locate): BootstrapEgress | undefined {
  const at = (x: { start: number; end: number }): string => where(locate(x.start, x.end));
  const mine = (path: string[]): Found[] => sectionsNamed(top, path).filter((f) => vdomOf(f.within) === vdom);
  const defaults: Candidate[] = [];
  /** Routes that take some internet-bound traffic ahead of the default route: their interface, and which route. */
  const some: { device: string; label: string }[] = [];

  // SD-WAN steers traffic by its own rules before the routes.
  for (const path of [
    ['system', 'sdwan'],
    ['system', 'virtual-wan-link'],
  ])
    for (const f of mine(path)) if (one(f.section, 'status') === 'enable') return undefined;

  for (const { section } of mine(['router', 'static'])) {
    const spans = conditionalSpans(section);
    for (const e of section.entries) {
      const label = `static route ${e.name.text}${overDevice(e)} (${at(e)})`;
      wholeEntry(e, label);
      if (one(e, 'status') === 'disable') continue;
      const dst = setting(e, 'dst');
      const named = ['dstaddr', 'internet-service', 'internet-service-custom'].some((k) => {
        const v = one(e, k);
        return v !== undefined && v !== '' && v !== '0';
      });
      const cidrs = dst && !dst.unset ? cidrsOf(dst.values) : [];
      if (cidrs === undefined) return undefined;
      const dflt = !named && (cidrs.length === 0 || cidrs[0] === '0.0.0.0/0');
      const internet = named || !cidrs.every(offInternet);
      if (one(e, 'blackhole') === 'enable') {
        // Drops what it takes: a default one is harmless only where it loses; a more specific one sends nothing out.
        if (dflt)
          defaults.push({ device: '', distance: distanceOf(e, 10), priority: priorityOf(e), conditional: inSpans(spans, e.start), label });
        continue;
      }
      // SD-WAN picks the interface by its own rules.
      if (one(e, 'sdwan') === 'enable' || one(e, 'virtual-wan-link') === 'enable' || setting(e, 'sdwan-zone')) {
        if (dflt || internet) return undefined;
        continue;
      }
      const device = one(e, 'device');
      if (dflt) {
        if (device === undefined) return undefined;
        defaults.push({ device, distance: distanceOf(e, 10), priority: priorityOf(e), conditional: inSpans(spans, e.start), label });
      } else if (internet) {
        // More specific than the default route: the traffic to these destinations leaves here whatever the distances.
        if (device === undefined) return undefined;
        some.push({ device, label });
      }
    }
  }

  // Interfaces that learn a default route by DHCP or PPPoE (global: `config system interface`, each in its VDOM).
  // An interface edited several times (at the top and again in `config global`) has the last value of each setting.
  const ports = new Map<string, { entries: FosEntry[]; conditional: boolean }>();
  for (const { section } of sectionsNamed(top, ['system', 'interface'])) {
    const spans = conditionalSpans(section);
    for (const e of section.entries) {
      const p = ports.get(e.name.text) ?? { entries: [], conditional: false };
      p.entries.push(e);
      p.conditional ||= inSpans(spans, e.start);
      ports.set(e.name.text, p);
    }
  }
  for (const [name, { entries, conditional }] of ports) {
    const e: FosBlock = { settings: entries.flatMap((x) => x.settings), sections: [], opaque: entries.flatMap((x) => x.opaque) };
    const mode = one(e, 'mode');
    if (mode !== 'dhcp' && mode !== 'pppoe') continue;
    if (entries.some((x) => x.name.template)) return undefined;
    if (vdom !== '' && (one(e, 'vdom') ?? 'root') !== vdom) continue;
    const written = entries.find((x) => setting(x, 'mode')) ?? entries[0];
    const label = `the ${mode === 'dhcp' ? 'DHCP' : 'PPPoE'} default route of ${name} (${at(written)})`;
    if (e.opaque.length) throw new Undecided(`a template sequence \`${e.opaque[0].text}\` stands among the settings of ${label}`);
    if (one(e, 'defaultgw') === 'disable' || one(e, 'status') === 'down') continue;
    defaults.push({ device: name, distance: distanceOf(e, 5), priority: priorityOf(e), conditional, label });
  }

  // Policy routes come first: one that may take internet-bound traffic sends it out of its output-device.
  for (const { section } of mine(['router', 'policy'])) {
    conditionalSpans(section);
    for (const e of section.entries) {
      const label = `policy route ${e.name.text} (${at(e)})`;
      wholeEntry(e, label);
      if (one(e, 'status') === 'disable' || one(e, 'action') === 'deny') continue;
      const dst = setting(e, 'dst');
      const cidrs = dst && !dst.unset ? cidrsOf(dst.values) : [];
      if (cidrs === undefined) return undefined;
      const open =
        cidrs.length === 0 ||
        one(e, 'dst-negate') === 'enable' ||
        !cidrs.every(offInternet) ||
        ['dstaddr', 'internet-service-id', 'internet-service-custom'].some((k) => (setting(e, k)?.values.length ?? 0) > 0);
      if (!open) continue;
      const device = one(e, 'output-device');
      if (device === undefined) return undefined;
      some.push({ device, label });
    }
  }

  if (defaults.length === 0) return undefined;
  const winners = (cs: Candidate[]): Candidate[] => {
    const d = Math.min(...cs.map((c) => c.distance));
    const best = cs.filter((c) => c.distance === d);
    return best.filter((c) => !best.some((o) => o.priority[1] < c.priority[0]));
  };
  const fixed = defaults.filter((c) => !c.conditional);
  // A route of the file always there wins among those; one in a template conditional may win when rendered.
  const chosen = [...(fixed.length ? winners(fixed) : []), ...defaults.filter((c) => c.conditional && winners([...fixed, c]).includes(c))];
  if (chosen.some((c) => c.device === '')) return undefined;

  // Dynamic routing may learn a default route: harmless only when its default distances (eBGP 20, OSPF 110, RIP
  // 120, IS-IS 115) lose to the chosen one and none is set.
  for (const proto of ['bgp', 'ospf', 'rip', 'isis'])
    for (const { section } of mine(['router', proto])) {
      const used = section.settings.length > 0 || section.sections.length > 0 || section.entries.length > 0;
      const distanced =
        section.settings.some((s) => s.key.startsWith('distance')) || section.sections.some((s) => s.path[0] === 'distance');
      if (used && (distanced || chosen.some((c) => c.distance >= 20))) return undefined;
    }

  // Policies name a zone, not its member interfaces.
  const zoneOf = new Map<string, string>();
  for (const { section } of mine(['system', 'zone']))
    for (const z of section.entries)
      for (const m of setting(z, 'interface')?.values ?? []) if (!m.template) zoneOf.set(m.text, z.name.text);
  const named = (device: string): string => zoneOf.get(device) ?? device;

  const interfaces = [...new Set([...chosen, ...some].map((c) => named(c.device)))];
  const lost = defaults.filter((c) => !chosen.includes(c));
  const pref = (c: Candidate): string => `distance ${c.distance}, priority ${c.priority[0] === c.priority[1] ? c.priority[0] : 'unset'}`;
  // Routes named by their preference, a few of each: `static route 1 over gwlb1 (fgt.conf:40), ... (distance 5, priority 100)`.
  const list = (cs: Candidate[]): string =>
    [...new Set(cs.map(pref))]
      .map((p) => {
        const same = cs.filter((c) => pref(c) === p).map((c) => c.label);
        return `${same.slice(0, 3).join(', ')}${same.length > 3 ? ` and ${same.length - 3} more` : ''} (${p})`;
      })
      .join('; ');
  const out = [...new Set(chosen.map((c) => named(c.device)))];
  let reason =
    interfaces.length === 1
      ? `internet-bound traffic leaves by ${interfaces[0]}`
      : `internet-bound traffic may leave by ${interfaces.join(' or ')}`;
  if (out.length === 1) reason += `: ${list(chosen)}`;
  else
    reason += `: the default routes of ${list(chosen)} ${
      chosen.some((c) => c.conditional)
        ? 'may each win, as a template conditional renders them or not'
        : 'tie in distance and priority (ECMP)'
    }`;
  if (lost.length) reason += `, preferred to ${list(lost)}`;
  if (some.length) reason += `; ${some.map((s) => `${s.label} takes some of it out of ${named(s.device)}`).join('; ')}`;
  return { interfaces, reason, devices: [...new Set([...chosen, ...some].map((c) => c.device))] };
}
