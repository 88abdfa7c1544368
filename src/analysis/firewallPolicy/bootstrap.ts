// The egress posture a firewall VM's own policy gives the traffic it inspects, when its bootstrap writes that
// policy (model BootstrapPolicy, read from FortiOS `config firewall policy`; docs/states.md):
// - rules are taken in order, first match wins, and an implicit deny follows the last;
// - an enabled accept from all to all, service ALL, with no security profile is a permit-all: logged
//   (`logtraffic all`) it is permit-all (Monitored), unlogged it forwards everything unwatched (bypass); after
//   denies of some traffic it is partial;
// - denies and accepts restricted to some destinations (or also matched by user group or URL category) end in the
//   implicit (or an explicit) deny: restricted (Protected); an accept to every internet destination limited only by
//   services or applications (review s16 R5), by security profiles (s17 R2: they inspect, every host stays
//   reachable) or by countries (s17 R4: geography addresses) is partial, as DCF, Azure Firewall (allow-all with
//   threat intelligence in Deny mode) and Network Firewall read the same policy;
// - anything that decides and is not known (a template value, an address object the bootstrap does not
//   define, a broad accept from some sources only) is unknown with that reason, never a guess.
// The posture is per address family of the egress (a rule takes IPv4 or IPv6 traffic by the addresses it names);
// in NGFW policy-based mode the security policies decide what the first stage lets through.
// Rules joining different interfaces see different traffic: when the bootstrap's routes say which interface
// internet-bound IPv4 traffic leaves by (FortiOS route selection, parse/vocabulary/fortiosRoutes.ts), only the
// pairs into it are judged; otherwise each pair is judged with the rules that apply to it (`any` applies to all),
// and pairs that disagree leave the posture unknown.
// The same walk decides one flow (flow simulation, bootstrapFlow): the first enabled rule whose interfaces,
// addresses and service match the flow's 5-tuple decides, else the implicit deny; a rule whose match cannot be
// told (an FQDN, a geography, a service not defined) leaves the flow unknown at that rule.
import type {
  BootstrapAddresses,
  BootstrapMatch,
  BootstrapPolicy,
  BootstrapRule,
  BootstrapServices,
  BootstrapTable,
  NetworkElement,
} from '../../model/types';
import { isUnknownReason, isUnresolved } from '../../model/types';
import { coversFamily, parseCidr, parseIp } from '../../model/cidr';
import { where } from '../../model/where';
import type { ElementLookup } from '../dcf/groups';
import type { EnforcementPoint } from '../types';
import { policyLabel, type PolicyPosture } from './posture';
import { INTERZONE, INTRAZONE, PANOS_LANGUAGE } from '../../parse/vocabulary/panosPolicy';
import { internetDestination } from '../../parse/vocabulary/fortiosRoutes';
import { CLOUD_NGFW_LANGUAGE } from '../../parse/vocabulary/cloudNgfwPolicy';
import { OPNSENSE_LANGUAGE, PFSENSE_LANGUAGE } from '../../parse/vocabulary/opnsensePolicy';

function configWordOf(language: string): string {
  return language.startsWith(OPNSENSE_LANGUAGE) || language.startsWith(PFSENSE_LANGUAGE) ? 'configuration' : 'bootstrap';
}

const unknownWhy = (r: BootstrapRule, field: string, v: { unknown: string }): string =>
  `its ${field} in ${r.name} (${where(r.loc)}) is not known: ${v.unknown}`;

function unknownOf(r: BootstrapRule, field: string, v: { unknown: string }): PolicyPosture {
  return { cls: 'unknown', reason: unknownWhy(r, field, v) };
}

type ActiveRule = BootstrapRule & { action: 'accept' | 'deny' };

/**
 * The rules in FortiOS's order as they apply: a disabled one is skipped; one whose status or action is not
 * known ends the walk (what follows may or may not be reached). `visit` returns a result to stop at a rule.
 */
function walk<R>(rules: BootstrapRule[], unknown: (why: string) => R, visit: (r: ActiveRule) => R | undefined): R | undefined {
  for (const r of rules) {
    if (isUnknownReason(r.enabled)) return unknown(unknownWhy(r, 'status', r.enabled));
    if (!r.enabled) continue;
    if (isUnknownReason(r.action)) return unknown(unknownWhy(r, 'action', r.action));
    const hit = visit(r as ActiveRule);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * A table's rules grouped by the interface pair they join: each pair sees the rules that name it or `any`. When
 * the routes say where internet-bound traffic leaves, only the pairs into those interfaces carry egress (unless
 * one of them has no pair into it: what leaves there is then not read, and every pair is judged); otherwise each
 * pair is judged on its own.
 */
function pairGroups(rules: BootstrapRule[], egress?: string[]): BootstrapRule[][] {
  let pairs = [...new Set(rules.map((r) => r.interfaces).filter((p) => p !== 'any>any' && p !== INTRAZONE && p !== INTERZONE))];
  const into = (p: string, i: string): boolean => (p.split('>')[1] ?? '').split(',').includes(i);
  if (egress?.length && egress.every((i) => pairs.some((p) => into(p, i)))) pairs = pairs.filter((p) => egress.some((i) => into(p, i)));
  const applies = (pair: string, r: BootstrapRule): boolean => {
    if (r.interfaces === pair) return true;
    const [ps, pd] = pair.split('>');
    // PAN-OS's predefined rules: one for traffic within a zone, one for traffic between zones.
    if (r.interfaces === INTRAZONE) return ps === pd;
    if (r.interfaces === INTERZONE) return ps !== pd;
    const [s, d] = r.interfaces.split('>');
    return (s === 'any' || s === ps) && (d === 'any' || d === pd);
  };
  if (pairs.length) return pairs.map((p) => rules.filter((r) => applies(p, r)));
  // No zone named: the egress may stay within a zone or cross two, each judged on its own.
  if (rules.some((r) => r.interfaces === INTRAZONE || r.interfaces === INTERZONE))
    return [rules.filter((r) => r.interfaces !== INTERZONE), rules.filter((r) => r.interfaces !== INTRAZONE)];
  return [rules];
}

/**
 * How a language says a rule takes everything, and that it does not log what it accepts. A destination that is
 * every address but private ranges (FortiOS `dstaddr-negate`) is said as what it is: every internet destination.
 */
function words(vendor: string, r: BootstrapRule, family: 4 | 6): { everything: string; unlogged: string } {
  if (vendor.startsWith(CLOUD_NGFW_LANGUAGE)) {
    const negatedTo = family === 4 && r.flow.dst.negate ? r.flow.dst.ranges.filter((x) => !x.includes(':')) : [];
    const to =
      negatedTo.length > 0
        ? `every internet destination (negate_destination of ${negatedTo.join(', ')}: every address but those private ranges)`
        : 'any destination';
    return {
      everything: `allows any source to ${to}, applications any and protocol any, with no security profile in its rulestack`,
      unlogged: 'logging is false',
    };
  }
  if (vendor.startsWith(OPNSENSE_LANGUAGE) || vendor.startsWith(PFSENSE_LANGUAGE))
    return { everything: 'passes any source to any destination, any protocol', unlogged: 'its log flag is off' };
  const panos = vendor.startsWith(PANOS_LANGUAGE);
  const negated = family === 4 && r.flow.dst.negate ? r.flow.dst.ranges.filter((x) => !x.includes(':')) : [];
  const to =
    negated.length > 0
      ? `every internet destination (${panos ? 'negate-destination' : 'dstaddr-negate'} of ${negated.join(', ')}: every address but those private ranges)`
      : panos
        ? 'any'
        : 'all';
  return panos
    ? { everything: `allows any to ${to}, application and service any, with no security profile`, unlogged: 'log at session end is off' }
    : { everything: `accepts all to ${to}, service ALL, with no security profile`, unlogged: 'logtraffic is not all' };
}

/**
 * all / some / none / unknown of a rule's matches together for one address family: `some` as soon as one is some
 * (or the rule also matches by application or user), `none` when the rule takes no traffic of the family.
 */
function matchAll(r: BootstrapRule, family: 4 | 6, source?: Span): 'all' | 'some' | 'none' | { field: string; v: { unknown: string } } {
  const fields: [string, BootstrapMatch][] = [
    ['destination', family === 4 ? r.dst : r.dst6],
    ['service', r.service],
    ['source', sourceMatch(r, family, source)],
  ];
  if (fields.some(([, m]) => m === 'none')) return 'none';
  if (fields.some(([, m]) => m === 'some') || r.flow.narrowedBy) return 'some';
  const u = fields.find(([, m]) => isUnknownReason(m));
  return u ? { field: u[0], v: u[1] as { unknown: string } } : 'all';
}

/**
 * A rule's source match for the egress of one source (the subnet the firewall sees the flow come from): a rule
 * naming some sources takes all of this egress when they hold the whole subnet (`srcaddr rfc-1918` for a spoke
 * in 10.0.0.0/8), none of it when they hold none of it; otherwise (part of it, not comparable) it stays some.
 */
function sourceMatch(r: BootstrapRule, family: 4 | 6, source: Span | undefined): BootstrapMatch {
  const m = family === 4 ? r.src : r.src6;
  if (m !== 'some' || source === undefined || source.family !== family) return m;
  const hit = addressHit(r.flow.src, source, undefined, family, 'source');
  return hit === true ? 'all' : hit === false ? 'none' : m;
}

/** The addresses a seen source (a CIDR) spans; undefined for a source known only by bounds or not at all. */
export function sourceSpan(source: string | object | undefined): Span | undefined {
  return typeof source === 'string' ? spanOf(source) : undefined;
}

/**
 * Whether an accept opens every internet destination, narrowed only by its services or applications (HTTPS to all,
 * an application to any), by security profiles (which inspect what passes, not where it goes: review s17 R2), or by
 * countries (geography addresses: most of the internet, no named host: review s17 R4). `maybe` when its sources may
 * or may not hold this egress. Named destinations, URL categories and users keep it restricted.
 */
function opensEveryAddress(r: BootstrapRule, family: 4 | 6, source: Span | undefined): 'yes' | 'maybe' | 'no' {
  const dst = family === 4 ? r.dst : r.dst6;
  const countries = dst === 'some' && !r.flow.dst.negate && r.flow.dst.countries !== undefined;
  if (dst !== 'all' && !countries) return 'no';
  if (r.flow.narrowedBy !== undefined && !r.flow.byApplicationOnly) return 'no';
  const profiled = Array.isArray(r.profiles) && r.profiles.length > 0;
  if (r.service !== 'some' && !(r.service === 'all' && (r.flow.byApplicationOnly || profiled || countries))) return 'no';
  const src = sourceMatch(r, family, source);
  return src === 'all' ? 'yes' : src === 'none' ? 'no' : 'maybe';
}

/** The services a rule opens, for a reason: its applications, else its protocols and ports (`tcp/443`). */
function servicesOf(r: BootstrapRule): string {
  if (r.flow.byApplicationOnly && r.flow.narrowedBy) return r.flow.narrowedBy;
  if (r.flow.service.entries.some((e) => e.protocol === 'ip')) return 'every service';
  const shown = r.flow.service.entries.map((e) =>
    e.ports ? `${e.protocol}/${e.ports.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}` : e.protocol,
  );
  return shown.length ? shown.slice(0, 4).join(', ') + (shown.length > 4 ? ', ...' : '') : 'some services';
}

/** How an accept that opens every internet destination (opensEveryAddress) is said: what it takes and why that is partial. */
function opensWords(r: BootstrapRule, family: 4 | 6): { what: string; under: string; why: string } {
  const profiles = Array.isArray(r.profiles) ? r.profiles : [];
  const countries = (family === 4 ? r.dst : r.dst6) !== 'all' ? r.flow.dst.countries : undefined;
  const to = countries
    ? `every address of some countries (geography ${countries.slice(0, 4).join(', ')}${countries.length > 4 ? ', ...' : ''})`
    : 'every internet destination';
  const under = profiles.length ? `under security profiles (${profiles.join(', ')})` : 'with no security profile';
  return {
    what: `accepts ${servicesOf(r)} to ${to}`,
    under,
    why: countries
      ? 'a country restriction names no destination'
      : profiles.length
        ? // A URL or web filter profile may block whole categories; its content is not read (review s18 R8).
          profiles.some((p) => /url|web/i.test(p))
          ? 'profiles inspect what passes; what a URL or web filter profile blocks is not read here, so no destination limit is counted'
          : 'profiles inspect what passes, they do not limit where it goes'
        : 'services are limited, destinations are not',
  };
}

function rulesPosture(rules: BootstrapRule[], vendor: string, family: 4 | 6, source?: Span): PolicyPosture {
  let denies: BootstrapRule | undefined;
  let allows: BootstrapRule | undefined;
  // An accept of some services to every internet destination (review s16 R5): the deny after it limits services, not
  // destinations (Partially Protected, as on DCF, Azure Firewall and Network Firewall).
  let opens: BootstrapRule | undefined;
  let maybeOpens: BootstrapRule | undefined;
  // `taken`: the rule that opens took everything (nothing is left for a deny).
  const held = (taken = false): PolicyPosture => {
    if (opens) {
      const w = opensWords(opens, family);
      return {
        cls: 'partial',
        reason: `${vendor} ${opens.name} (${where(opens.loc)}) ${w.what} ${w.under}${taken ? '' : '; the rest is denied'} (${w.why})`,
      };
    }
    if (maybeOpens)
      return {
        cls: 'unknown',
        reason: `${vendor} ${maybeOpens.name} (${where(maybeOpens.loc)}) ${opensWords(maybeOpens, family).what} from some sources: whether this egress is among them is not known`,
      };
    const profiles = allows && !isUnknownReason(allows.profiles) ? allows.profiles : [];
    const what = allows
      ? `${vendor} ${allows.name} (${where(allows.loc)}) accepts only some destinations or services${profiles.length ? `, under security profiles (${profiles.join(', ')})` : ''}`
      : denies
        ? `${vendor} ${denies.name} (${where(denies.loc)}) denies`
        : `${vendor}'s policy accepts nothing`;
    return { cls: 'restricted', reason: `${what}; the rest is denied` };
  };
  const decided = walk<PolicyPosture>(
    rules,
    (reason) => ({ cls: 'unknown', reason }),
    (r) => {
      const m = matchAll(r, family, source);
      if (m === 'none') return undefined;
      if (r.action === 'deny') {
        if (m === 'all') return held();
        if (m !== 'some') return unknownOf(r, m.field, m.v);
        denies ??= r;
        return undefined;
      }
      if (isUnknownReason(r.profiles)) return unknownOf(r, 'security profiles', r.profiles);
      if (r.profiles.length > 0 || m === 'some') {
        // A destination not known (a template value, a dynamic address's run-time filter) of an accept that would open
        // every internet destination were it every address (HTTPS to it): whether it does is not known.
        const dst = family === 4 ? r.dst : r.dst6;
        if (isUnknownReason(dst) && opensEveryAddress(family === 4 ? { ...r, dst: 'all' } : { ...r, dst6: 'all' }, family, source) !== 'no')
          return unknownOf(r, 'destination', dst);
        const open = opensEveryAddress(r, family, source);
        if (open === 'yes') opens ??= r;
        else if (open === 'maybe') maybeOpens ??= r;
        allows ??= r;
        // Everything is taken here, under profiles: what follows (PAN-OS's intrazone allow) is never reached.
        return m === 'all' ? held(true) : undefined;
      }
      if (m !== 'all') {
        // Everything out, but from which sources is not told: the egress may or may not be one of them.
        if (m.field === 'source')
          return {
            cls: 'unknown',
            reason: `${vendor} ${r.name} (${where(r.loc)}) accepts everything to all destinations from some sources (${m.v.unknown}): whether this egress is among them is not known`,
          };
        return unknownOf(r, m.field, m.v);
      }
      if (isUnknownReason(r.logsAll)) return unknownOf(r, 'logging', r.logsAll);
      const w = words(vendor, r, family);
      const what = `${vendor} ${r.name} (${where(r.loc)}) ${w.everything}`;
      if (denies) return { cls: 'partial', reason: `${what}, after ${denies.name} denies some traffic` };
      return r.logsAll
        ? { cls: 'permit-all', reason: `${what} and logs all traffic: a logged permit-all` }
        : { cls: 'bypass', reason: `${what} and does not log the traffic it accepts (${w.unlogged}): everything passes unwatched` };
    },
  );
  return decided ?? held();
}

/**
 * NGFW policy-based mode: what the first stage (SSL inspection & authentication policies) accepts is then decided
 * by the security policies. A first stage accepting everything leaves the posture to them (they also log and
 * inspect); one that holds traffic back keeps it held whatever follows.
 */
function twoStages(first: PolicyPosture, security: PolicyPosture): PolicyPosture {
  if (first.cls === 'unknown') return first;
  if (security.cls === 'unknown') return security;
  if (first.cls === 'permit-all' || first.cls === 'bypass')
    return { cls: security.cls, reason: `its first stage passes every session to the security policies: ${security.reason}` };
  if (first.cls === 'restricted' || security.cls === 'restricted') return first.cls === 'restricted' ? first : security;
  return first;
}

/** The postures of one table's interface-pair groups, each stage of a policy-based VDOM composed. */
function tablePostures(t: BootstrapTable, vendor: string, family: 4 | 6, source?: Span): PolicyPosture[] {
  // The routes read are IPv4 ones: they say nothing of where IPv6 traffic leaves.
  const egress = family === 4 ? t.egress?.interfaces : undefined;
  const first = pairGroups(t.rules, egress).map((g) => rulesPosture(g, vendor, family, source));
  if (!t.security) return first;
  const security = pairGroups(t.security.rules, egress).map((g) => rulesPosture(g, `${vendor} (security policies)`, family, source));
  return first.flatMap((f) => security.map((s) => twoStages(f, s)));
}

/** The posture of a firewall VM's bootstrap policy for egress of one address family (one table per VDOM; tables that disagree: unknown). */
export function bootstrapPosture(policy: BootstrapPolicy, vendor: string, family: 4 | 6 = 4, source?: Span): PolicyPosture {
  const results: PolicyPosture[] = [];
  for (const t of policy.tables) {
    if (t.unknown)
      return {
        cls: 'unknown',
        reason: `${vendor}'s ${configWordOf(vendor)} policy (${t.name}, ${where(t.loc)}) cannot be read whole: ${t.unknown}`,
      };
    results.push(...tablePostures(t, vendor, family, source));
  }
  const unknown = results.find((r) => r.cls === 'unknown');
  if (unknown) return unknown;
  if (results.length === 0) return { cls: 'unknown', reason: `${vendor}'s bootstrap writes no policy table` };
  const first = results[0];
  const other = results.find((r) => r.cls !== first.cls);
  // What the routes say of the egress interface, when they say it.
  const routes = family === 4 ? policy.tables.flatMap((t) => (t.egress ? [t.egress.reason] : [])).join('; ') : '';
  const undecided = family === 4 && policy.tables.some((t) => (t.egress?.interfaces.length ?? 0) > 1);
  if (other)
    return {
      cls: 'unknown',
      reason: `${vendor}'s bootstrap policy decides differently by VDOM or interface pair (${first.reason}; ${other.reason}): ${
        undecided
          ? `the routes do not decide which one carries this egress (${routes})`
          : `which one carries this egress is not read here${routes ? ` (${routes})` : ''}`
      }`,
    };
  return routes ? { ...first, reason: `${first.reason} (${routes})` } : first;
}

/** One flow as a firewall sees it (flow simulation): its source when known, its destination, protocol and port. */
export interface BootstrapFlow {
  /** An address, or a CIDR when the flow stands for a whole subnet (the user named the subnet, not a host). */
  src?: string;
  /** An IP address, or a domain name (it has no address offline). */
  dst: string;
  protocol: 'tcp' | 'udp' | 'icmp';
  port?: number;
}

/** What a firewall's own policy does with one flow, and which rule decided (its name, `policy 1 "test"`). */
export interface BootstrapFlowDecision {
  decision: 'allow' | 'deny' | 'unknown';
  reason: string;
  rule?: string;
}

/** Addresses from `lo` to `hi`: one address, or a whole CIDR. */
export interface Span {
  family: 4 | 6;
  lo: bigint;
  hi: bigint;
}
type Hit = boolean | { unknown: string };

function spanOf(text: string): Span | undefined {
  const dash = text.indexOf('-');
  if (dash >= 0) {
    const lo = parseIp(text.slice(0, dash));
    const hi = parseIp(text.slice(dash + 1));
    return lo && hi && lo.family === hi.family ? { family: lo.family, lo: lo.value, hi: hi.value } : undefined;
  }
  const c = parseCidr(text);
  if (!c) return undefined;
  const size = 1n << BigInt((c.family === 4 ? 32 : 128) - c.prefix);
  return { family: c.family, lo: c.network, hi: c.network + size - 1n };
}

/** A range holds all of the span (true), none of it (false), or part of it (a subnet some of whose hosts match). */
function inRange(range: string, x: Span): boolean | 'part' {
  const r = spanOf(range);
  if (!r || r.family !== x.family || r.hi < x.lo || x.hi < r.lo) return false;
  return r.lo <= x.lo && x.hi <= r.hi ? true : 'part';
}

const negated = (set: { negate?: true }, h: Hit): Hit => (set.negate && typeof h === 'boolean' ? !h : h);

/**
 * Whether an address list holds an address (undefined: not known), or a domain name: an FQDN object of that name
 * holds it (FortiOS matches what the name resolves to), one of another name is taken as another destination.
 */
function addressHit(a: BootstrapAddresses, x: Span | undefined, domain: string | undefined, family: 4 | 6, what: string): Hit {
  // `0.0.0.0/0`, or ranges that together hold the whole family (`0.0.0.0/1` and `128.0.0.0/1`: review s16 R9).
  if (coversFamily(a.ranges, family)) return negated(a, true);
  if (domain !== undefined && a.fqdns.includes(domain.toLowerCase().replace(/\.$/, ''))) return negated(a, true);
  const hits = x ? a.ranges.map((r) => inRange(r, x)) : [];
  if (hits.includes(true)) return negated(a, true);
  if (hits.includes('part')) return { unknown: `${a.ranges[hits.indexOf('part')]} holds only some of the ${what} subnet's addresses` };
  if (a.unknown) return { unknown: a.unknown };
  if (!x) {
    const familyRanges = a.ranges.filter((r) => (r.includes(':') ? 6 : 4) === family);
    if (familyRanges.length || (domain === undefined && a.fqdns.length))
      return { unknown: domain !== undefined ? `the ${what} ${domain} has no address offline` : `the ${what} address is not known` };
  } else if (a.fqdns.length)
    return { unknown: `FQDN address ${a.fqdns[0]} is resolved when the firewall runs: whether it is this ${what} is not known` };
  return negated(a, false);
}

function serviceHit(s: BootstrapServices, flow: BootstrapFlow, family: 4 | 6): Hit {
  const icmp = family === 4 ? 'icmp' : 'icmp6';
  const ping = family === 4 ? 8 : 128;
  const hit = s.entries.some((e) => {
    if (e.protocol === 'ip') return true;
    if (flow.protocol === 'icmp') return e.protocol === icmp && (e.icmpType === undefined || e.icmpType === ping);
    if (e.protocol !== flow.protocol) return false;
    return !e.ports || (flow.port !== undefined && e.ports.some(([lo, hi]) => lo <= flow.port! && flow.port! <= hi));
  });
  if (hit) return negated(s, true);
  return s.unknown ? { unknown: s.unknown } : negated(s, false);
}

/** Whether a rule matches the flow: its addresses and service (its interfaces are the walk's). */
function flowHit(r: BootstrapRule, flow: BootstrapFlow, src: Span | undefined, dst: Span | undefined, family: 4 | 6): Hit {
  const domain = dst ? undefined : flow.dst;
  const parts = [
    addressHit(r.flow.dst, dst, domain, family, 'destination'),
    serviceHit(r.flow.service, flow, family),
    addressHit(r.flow.src, src, undefined, family, 'source'),
  ];
  if (parts.includes(false)) return false;
  const u = parts.find(isUnknownReason);
  if (u) return u;
  return r.flow.narrowedBy
    ? { unknown: `it also matches by ${r.flow.narrowedBy}, which the flow's addresses and ports do not tell` }
    : true;
}

function rulesFlow(rules: BootstrapRule[], vendor: string, flow: BootstrapFlow, stage = 'policy'): BootstrapFlowDecision {
  const src = flow.src ? spanOf(flow.src) : undefined;
  const dst = parseIp(flow.dst) ? spanOf(flow.dst) : undefined;
  // A domain is routed as a public IPv4 address.
  const family = dst?.family ?? 4;
  return (
    walk<BootstrapFlowDecision>(
      rules,
      (reason) => ({ decision: 'unknown', reason }),
      (r) => {
        const hit = flowHit(r, flow, src, dst, family);
        if (hit === false) return undefined;
        const at = `${vendor} ${r.name} (${where(r.loc)})`;
        if (hit !== true) return { decision: 'unknown', reason: `whether ${at} matches this flow is not known: ${hit.unknown}` };
        return r.action === 'accept'
          ? { decision: 'allow', rule: r.name, reason: `${at} accepts it` }
          : { decision: 'deny', rule: r.name, reason: `${at} denies it` };
      },
    ) ?? { decision: 'deny', reason: `no ${vendor} ${stage} matches it: the implicit deny` }
  );
}

/** Several decisions of one flow (VDOMs, interface pairs, load-balanced VMs): one when they agree, else unknown. */
function agree(ds: BootstrapFlowDecision[], why: string): BootstrapFlowDecision {
  const unknown = ds.find((d) => d.decision === 'unknown');
  if (unknown) return unknown;
  const other = ds.find((d) => d.decision !== ds[0].decision);
  if (other) return { decision: 'unknown', reason: `${why} (${ds[0].reason}; ${other.reason})` };
  const reasons = [...new Set(ds.map((d) => d.reason))];
  return { ...ds[0], reason: reasons.join('; ') };
}

/** What a firewall VM's bootstrap policy does with one flow (one table per VDOM; tables that disagree: unknown). */
export function bootstrapFlow(policy: BootstrapPolicy, vendor: string, flow: BootstrapFlow): BootstrapFlowDecision {
  const ds: BootstrapFlowDecision[] = [];
  for (const t of policy.tables) {
    if (t.unknown)
      return {
        decision: 'unknown',
        reason: `${vendor}'s bootstrap policy (${t.name}, ${where(t.loc)}) cannot be read whole: ${t.unknown}`,
      };
    // A flow to the internet leaves by the interfaces the routes choose; one to a private address is not read.
    const egress = internetDestination(flow.dst) ? t.egress?.interfaces : undefined;
    for (const g of pairGroups(t.rules, egress)) {
      const d = rulesFlow(g, vendor, flow);
      if (!t.security || d.decision !== 'allow') {
        ds.push(d);
        continue;
      }
      // Policy-based mode: what the first stage accepts, the security policies decide.
      const sec = t.security.rules;
      const s = agree(
        pairGroups(sec, egress).map((sg) => rulesFlow(sg, vendor, flow, 'security policy')),
        `${vendor}'s security policies decide this flow differently by interface pair`,
      );
      ds.push({ ...s, reason: `${d.reason}, then ${s.reason}` });
    }
  }
  if (ds.length === 0) return { decision: 'unknown', reason: `${vendor}'s bootstrap writes no policy table` };
  return agree(
    ds,
    `${vendor}'s bootstrap policy decides this flow differently by VDOM or interface pair, and which one carries it is not read here`,
  );
}

/** An OPNsense or pfSense config.xml is the appliance's whole configuration, not a bootstrap. */
const configWord = (p: BootstrapPolicy): string => configWordOf(p.language);

// One posture per firewall VM and element list: every path through it asks the same question.
const memo = new WeakMap<readonly NetworkElement[], Map<string, PolicyPosture>>();

function vmPosture(index: ElementLookup, vm: NetworkElement, policy: BootstrapPolicy, family: 4 | 6, source?: Span): PolicyPosture {
  let m = memo.get(index.model.elements);
  if (!m) memo.set(index.model.elements, (m = new Map()));
  const key = `${vm.id}|${family}|${source ? `${source.lo}-${source.hi}` : ''}`;
  const hit = m.get(key);
  if (hit) return hit;
  const p = bootstrapPosture(policy, policy.language, family, source);
  const from = policy.source ? ` (${policy.source})` : '';
  const out = { cls: p.cls, reason: `${policyLabel(vm)}'s ${configWord(policy)}${from}: ${p.reason}` };
  m.set(key, out);
  return out;
}

/** The firewall VMs enforcing at `ep`: the appliance itself, or every target of a GWLB target group (names of unresolved ones). */
function vmsAt(index: ElementLookup, ep: EnforcementPoint): (NetworkElement | string)[] {
  // An Azure NVA whose VM a configuration file of the repository sets up (an OPNsense config.xml) is one too.
  if (ep.kind !== 'appliance' && ep.kind !== 'gwlb-firewall' && ep.kind !== 'azure-nva') return [];
  const el = index.get(ep.element);
  if (!el) return [];
  // A target registered by its interface (an IP target) is the instance that interface is attached to.
  const vmOf = (t: NetworkElement): NetworkElement =>
    t.kind === 'eni' && typeof t.instance === 'string' ? (index.get(t.instance) ?? t) : t;
  return el.kind === 'targetGroup'
    ? el.targets.map((t) => {
        const v = isUnresolved(t) ? undefined : index.get(t);
        return v ? vmOf(v) : isUnresolved(t) ? t.text : t;
      })
    : el.kind === 'instance' || el.kind === 'firewall'
      ? [el]
      : [];
}

const policyOf = (v: NetworkElement | string): BootstrapPolicy | undefined =>
  typeof v !== 'string' && (v.kind === 'instance' || v.kind === 'firewall') ? v.ngfw?.policy : undefined;

/** Why a VM's policy is not in the inputs when its bootstrap says where it is instead (a VM-Series' Panorama), located. */
function elsewhereAt(vms: (NetworkElement | string)[]): string | undefined {
  for (const v of vms) {
    if (typeof v === 'string' || (v.kind !== 'instance' && v.kind !== 'firewall') || v.ngfw?.policy) continue;
    const e = v.ngfw?.policyElsewhere;
    if (e) return `${policyLabel(v)} (${v.ngfw!.vendor}): ${e.reason} (${where(e.loc)})`;
  }
  return undefined;
}

const vmName = (v: NetworkElement | string): string => (typeof v === 'string' ? v : policyLabel(v));

/**
 * The VMs at `ep` whose bootstrap writes their policy; undefined when none does (the policy is then not in the
 * inputs); `silent` names one whose policy is not in the inputs while others' are.
 */
function writtenAt(index: ElementLookup, ep: EnforcementPoint): { written: NetworkElement[]; silent?: string } | undefined {
  const vms = vmsAt(index, ep);
  const written = vms.filter((v): v is NetworkElement => policyOf(v) !== undefined);
  if (written.length === 0) return undefined;
  const silent = vms.find((v) => policyOf(v) === undefined);
  return silent === undefined ? { written } : { written, silent: vmName(silent) };
}

/**
 * Whether a firewall VM enforcing at `ep` has a bootstrap policy that was read, or a bootstrap saying where its
 * policy is instead (a VM-Series' Panorama): exactly when appliancePosture is
 * defined, without deciding the posture (a cheap question asked of every path on every run).
 */
export function hasBootstrapPolicy(index: ElementLookup, ep: EnforcementPoint): boolean {
  const vms = vmsAt(index, ep);
  return vms.some((v) => policyOf(v) !== undefined) || elsewhereAt(vms) !== undefined;
}

/**
 * The posture the firewall VMs enforcing at `ep` give by their bootstrap policy to egress of one address family: the appliance itself, or every
 * target of a GWLB target group (a flow may land on any of them). Undefined when none of them writes its policy
 * and none says where it is (the policy is then not in the inputs); unknown when only some write it, or when they
 * disagree. When none writes it but one's bootstrap says where it is (a VM-Series' Panorama, bootstrap bucket,
 * or the firewall itself), restricted as any appliance whose policy is not in the inputs, the reason naming where.
 */
export function appliancePosture(index: ElementLookup, ep: EnforcementPoint, family: 4 | 6 = 4, source?: Span): PolicyPosture | undefined {
  const at = writtenAt(index, ep);
  if (!at) {
    // Knowing where the policy is must not make the verdict weaker than not knowing (docs/domain.md).
    const away = elsewhereAt(vmsAt(index, ep));
    return away === undefined ? undefined : { cls: 'restricted', reason: `${away}; inspection is enforced` };
  }
  const { written, silent } = at;
  if (silent !== undefined)
    return {
      cls: 'unknown',
      reason: `${vmName(written[0])}'s bootstrap writes its firewall policy but ${silent}'s policy is not in the inputs, and a flow may land on either`,
    };
  const postures = written.map((v) => vmPosture(index, v, policyOf(v) as BootstrapPolicy, family, source));
  const other = postures.find((p) => p.cls !== postures[0].cls);
  if (other)
    return { cls: 'unknown', reason: `firewall VMs behind one load balancer decide differently (${postures[0].reason}; ${other.reason})` };
  return postures[0];
}

/**
 * What the firewall VMs enforcing at `ep` do with one flow by their bootstrap policy (the flow may land on any
 * target of a GWLB target group: they must agree). Undefined when none of them writes its policy nor says where it is.
 */
export function applianceFlow(index: ElementLookup, ep: EnforcementPoint, flow: BootstrapFlow): BootstrapFlowDecision | undefined {
  const at = writtenAt(index, ep);
  if (!at) {
    // What the flow meets is not in the inputs either way; the reason says where it is when the bootstrap tells.
    const away = elsewhereAt(vmsAt(index, ep));
    return away === undefined ? undefined : { decision: 'unknown', reason: away };
  }
  const { written, silent } = at;
  if (silent !== undefined)
    return {
      decision: 'unknown',
      reason: `${vmName(written[0])}'s bootstrap writes its firewall policy but ${silent}'s policy is not in the inputs, and the flow may land on either`,
    };
  const ds = written.map((v) => {
    const policy = policyOf(v) as BootstrapPolicy;
    const d = bootstrapFlow(policy, policy.language, flow);
    return { ...d, reason: `${vmName(v)}'s ${configWord(policy)}${policy.source ? ` (${policy.source})` : ''}: ${d.reason}` };
  });
  return agree(ds, 'firewall VMs behind one load balancer decide this flow differently');
}
