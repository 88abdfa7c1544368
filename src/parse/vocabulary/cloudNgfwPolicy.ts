// What a Palo Alto Cloud NGFW for AWS security rule (`cloudngfwaws_security_rule`) says, reduced to what decides
// the egress posture: a firewall VM's bootstrap rule (model BootstrapRule), so analysis/firewallPolicy/bootstrap.ts
// decides a Cloud NGFW's rulestack as it does a FortiGate's or a VM-Series' policy. The provider's words
// (registry docs, resources/security_rule and resources/rulestack):
// - `action` Allow, or DenySilent / DenyResetServer / DenyResetBoth; `enabled` (true unless false); `logging`
//   (log at session end, true unless false);
// - `source` / `destination` blocks: `cidrs` (`any` is every address), `countries`, `feeds`, `prefix_lists`, and for
//   the destination `fqdn_lists`; `negate_source` / `negate_destination`;
// - `applications` (`any`, or App-IDs that narrow the rule), `category` (URL categories and feeds narrow it),
//   `protocol` (`application-default`: each application's standard ports, the Cloud NGFW default; `any`) or
//   `prot_port_list`;
// - the rulestack's `profile_config` (anti-spyware, anti-virus, vulnerability, file blocking: `BestPractice` unless
//   set; URL filtering: `None` unless set) inspects every session a rule allows.
// Countries, feeds and FQDN lists are some addresses known only when the firewall runs (countries a geography: most of
// the internet's SaaS and CDN space, no named host); a prefix list's addresses
// are not read here (a rule that depends on them is unknown); a value not known offline is unknown, named.
import type { BootstrapAddresses, BootstrapMatch, BootstrapRule, BootstrapService, SourceLocation } from '../../model/types';
import { coversFamily, isRfc1918Range, parseCidr, parseIp, RFC1918_BLOCKS } from '../../model/cidr';
import { isUnknownReason } from '../../model/types';

/** How reasons name the policy language: `Cloud NGFW rule "x" (main.tf:3) allows ...`. */
export const CLOUD_NGFW_LANGUAGE = 'Cloud NGFW';

/** A list of strings as written, or why it is not known. */
export type NgfwList = string[] | { unknown: string };
type Known<T> = T | { unknown: string };

/** One side of a rule (`source { ... }` / `destination { ... }`) as written; absent lists are not written. */
export interface NgfwSide {
  cidrs?: NgfwList;
  countries?: NgfwList;
  feeds?: NgfwList;
  prefixLists?: NgfwList;
  fqdnLists?: NgfwList;
}

/** A security rule's arguments as written (a parser fills it in from its own syntax). */
export interface NgfwRuleInput {
  name: string;
  loc: SourceLocation;
  /** Absent: true. */
  enabled?: Known<boolean>;
  action: Known<string>;
  /** Absent: the rule has no such block (the provider requires one). */
  source?: NgfwSide;
  destination?: NgfwSide;
  negateSource?: Known<boolean>;
  negateDestination?: Known<boolean>;
  applications: NgfwList;
  /** Absent or empty: application-default. */
  protocol?: Known<string>;
  protPortList?: NgfwList;
  urlCategories?: NgfwList;
  categoryFeeds?: NgfwList;
  /** Absent: true. */
  logging?: Known<boolean>;
}

const DENY_ACTIONS = new Set(['DenySilent', 'DenyResetServer', 'DenyResetBoth']);

/** What one side covers: every address, some ranges, some addresses known only when the firewall runs, or unknown. */
interface Covered {
  all: boolean;
  ranges: string[];
  /** Some addresses, which ones known only when the firewall runs (feeds, FQDN lists). */
  opaque?: string;
  /**
   * Country codes (`countries`): a country's addresses hold much of the internet's SaaS and CDN space and name no host
   * (review s17 R4, as FortiOS geography and PAN-OS regions).
   */
  countries?: string[];
  /** How a flow is told its countries decide nothing for one address. */
  countriesSaid?: string;
  /** Not known (a value not decided offline, a prefix list not read): the posture cannot tell either. */
  unknown?: string;
}

function literal(text: string): string | undefined {
  if (parseCidr(text)) return text;
  const ip = parseIp(text);
  return ip ? `${text}/${ip.family === 4 ? 32 : 128}` : undefined;
}

function covered(side: NgfwSide | undefined, what: 'source' | 'destination'): Covered {
  const out: Covered = { all: false, ranges: [] };
  if (!side) return { ...out, unknown: `it has no ${what} block` };
  const lists: [keyof NgfwSide, string][] = [
    ['cidrs', 'cidrs'],
    ['countries', 'countries'],
    ['feeds', 'feeds'],
    ['prefixLists', 'prefix_lists'],
    ['fqdnLists', 'fqdn_lists'],
  ];
  let written = false;
  for (const [key, attr] of lists) {
    const v = side[key];
    if (v === undefined) continue;
    if (isUnknownReason(v)) {
      out.unknown ??= `its ${what} ${attr} are not known: ${v.unknown}`;
      continue;
    }
    const items = v.filter((x) => x !== '');
    if (items.length === 0) continue;
    written = true;
    if (key === 'cidrs') {
      for (const c of items) {
        if (c.toLowerCase() === 'any') out.all = true;
        else {
          const l = literal(c);
          if (l) out.ranges.push(l);
          else out.unknown ??= `its ${what} cidr \`${c}\` is not an address`;
        }
      }
    } else if (key === 'prefixLists') out.unknown ??= `its ${what} prefix list ${items.join(', ')} is not read here`;
    else if (key === 'countries') {
      (out.countries ??= []).push(...items);
      out.countriesSaid ??= `its ${what} countries (${items.slice(0, 3).join(', ')}) are known when the firewall runs`;
    } else out.opaque ??= `its ${what} ${attr} (${items.slice(0, 3).join(', ')}) are known when the firewall runs`;
  }
  if (!written && !out.unknown) out.unknown = `its ${what} names no address`;
  return out;
}

/** A side's match for one address family (`negate`: the rule matches what is not named). */
function sideMatch(c: Covered, family: 4 | 6, negate: Known<boolean> | undefined, attr: string): BootstrapMatch {
  if (isUnknownReason(negate)) return { unknown: `${attr} is not known: ${negate.unknown}` };
  if (c.unknown) return { unknown: c.unknown };
  const fam = c.ranges.filter((r) => (r.includes(':') ? 6 : 4) === family);
  // `0.0.0.0/0`, or ranges that together hold the whole family (`0.0.0.0/1` and `128.0.0.0/1`: review s16 R9).
  const every = c.all || coversFamily(fam, family);
  if (negate) {
    if (every) return 'none';
    // Everything but private ranges (the other VPCs) is every internet destination.
    if (attr === 'negate_destination' && !c.opaque && !c.countries && c.ranges.length > 0 && c.ranges.every(isRfc1918Range)) return 'all';
    return { unknown: `${attr} is true` };
  }
  if (every) return 'all';
  return fam.length > 0 || c.opaque || c.countries ? 'some' : 'none';
}

function flowSide(c: Covered, negate: Known<boolean> | undefined): BootstrapAddresses {
  // A negation not known offline: whether the side holds any address is not known, even of one it names (with
  // `any`, the rule may match nothing), so it names none (a range a flow lies in would match it).
  if (isUnknownReason(negate)) return { ranges: [], fqdns: [], unknown: negate.unknown };
  const unknown = c.unknown ?? c.opaque ?? c.countriesSaid;
  return {
    ranges: c.all ? ['0.0.0.0/0', '::/0'] : c.ranges,
    fqdns: [],
    ...(unknown && !c.all ? { unknown } : {}),
    ...(negate === true ? { negate: true as const } : {}),
    // A whole country among the destinations (whatever is named beside it) opens most of the internet to the rule.
    ...(c.countries && !c.all && !c.unknown ? { countries: c.countries } : {}),
  };
}

/** `TCP:443`, `UDP:53`, `TCP:8000-8080` (protocol port list entries); undefined when not one. */
function portEntry(text: string): BootstrapService | undefined {
  const m = /^\s*(tcp|udp)\s*:\s*(\d+)(?:\s*-\s*(\d+))?\s*$/i.exec(text);
  if (!m) return undefined;
  return { protocol: m[1].toLowerCase() as 'tcp' | 'udp', ports: [[Number(m[2]), Number(m[3] ?? m[2])]] };
}

/** The rule's service: its posture match, what a flow is matched against, and whether it means each application's ports. */
function serviceOf(r: NgfwRuleInput): { match: BootstrapMatch; flow: BootstrapRule['flow']['service']; appDefault: boolean } {
  const list = r.protPortList;
  if (isUnknownReason(list))
    return {
      match: { unknown: `its prot_port_list is not known: ${list.unknown}` },
      flow: { entries: [], unknown: list.unknown },
      appDefault: false,
    };
  if (list && list.length > 0) {
    const entries = list.map(portEntry);
    const bad = list.find((_, i) => !entries[i]);
    return {
      match: 'some',
      flow: {
        entries: entries.filter((e): e is BootstrapService => !!e),
        ...(bad ? { unknown: `protocol port ${bad} is not read here` } : {}),
      },
      appDefault: false,
    };
  }
  const p = r.protocol;
  if (isUnknownReason(p))
    return { match: { unknown: `its protocol is not known: ${p.unknown}` }, flow: { entries: [], unknown: p.unknown }, appDefault: false };
  if (p !== undefined && p.toLowerCase() === 'any') return { match: 'all', flow: { entries: [{ protocol: 'ip' }] }, appDefault: false };
  return {
    match: 'some',
    flow: { entries: [], unknown: 'protocol application-default: the ports are those of the application' },
    appDefault: true,
  };
}

/** What narrows a rule beyond a 5-tuple: App-IDs, URL categories, category feeds. */
function narrowing(r: NgfwRuleInput): string | { unknown: string } | undefined {
  const named = (l: NgfwList | undefined): string[] | { unknown: string } =>
    l === undefined ? [] : isUnknownReason(l) ? l : l.filter((x) => x !== '' && x.toLowerCase() !== 'any');
  for (const [list, what] of [
    [r.applications, 'application'],
    [r.urlCategories, 'URL category'],
    [r.categoryFeeds, 'category feed'],
  ] as const) {
    const n = named(list);
    if (isUnknownReason(n)) return { unknown: `its ${what} list is not known: ${n.unknown}` };
    if (n.length > 0) return `${what} (${n.slice(0, 3).join(', ')})`;
  }
  return undefined;
}

/**
 * A security rule as a bootstrap rule, its `profiles` empty (the rulestack's profiles apply to what it allows:
 * analysis sets them); its interfaces `any>any` (a rulestack's rules name no zone).
 */
export function cloudNgfwRule(r: NgfwRuleInput): BootstrapRule {
  const act = r.action;
  const action: BootstrapRule['action'] = isUnknownReason(act)
    ? { unknown: `its action is not known: ${act.unknown}` }
    : act === 'Allow'
      ? 'accept'
      : DENY_ACTIONS.has(act)
        ? 'deny'
        : { unknown: `action \`${act}\` is not read here` };
  const src = covered(r.source, 'source');
  const dst = covered(r.destination, 'destination');
  const svc = serviceOf(r);
  const narrow = narrowing(r);
  const narrowedBy = typeof narrow === 'string' ? narrow : svc.appDefault ? 'application-default ports' : undefined;
  // An App-ID list not known offline: the rule may take everything or a little.
  const service: BootstrapMatch = isUnknownReason(narrow) ? narrow : svc.match;
  const enabled =
    r.enabled === undefined ? true : isUnknownReason(r.enabled) ? { unknown: `enabled is not known: ${r.enabled.unknown}` } : r.enabled;
  const logging =
    r.logging === undefined ? true : isUnknownReason(r.logging) ? { unknown: `logging is not known: ${r.logging.unknown}` } : r.logging;
  return {
    name: `rule "${r.name}"`,
    loc: r.loc,
    enabled,
    action,
    interfaces: 'any>any',
    src: sideMatch(src, 4, r.negateSource, 'negate_source'),
    dst: sideMatch(dst, 4, r.negateDestination, 'negate_destination'),
    src6: sideMatch(src, 6, r.negateSource, 'negate_source'),
    dst6: sideMatch(dst, 6, r.negateDestination, 'negate_destination'),
    service,
    profiles: [],
    logsAll: logging,
    flow: {
      src: flowSide(src, r.negateSource),
      dst: flowSide(dst, r.negateDestination),
      service: svc.flow,
      ...(narrowedBy ? { narrowedBy } : {}),
      // App-IDs (or their default ports) with no URL category or feed: services are limited, destinations not.
      ...(narrowedBy &&
      [r.urlCategories, r.categoryFeeds].every(
        (l) => l === undefined || (!isUnknownReason(l) && l.every((x) => x === '' || x.toLowerCase() === 'any')),
      )
        ? { byApplicationOnly: true as const }
        : {}),
    },
  };
}

/** The rulestack's profile settings as written (absent: the provider's default). */
export interface NgfwProfileConfig {
  antiSpyware?: Known<string>;
  antiVirus?: Known<string>;
  vulnerability?: Known<string>;
  fileBlocking?: Known<string>;
  urlFiltering?: Known<string>;
}

/**
 * The security profiles a rulestack applies to every session its rules allow: each setting that is not `None`,
 * the provider's defaults filling what is not written (BestPractice, URL filtering None).
 */
export function cloudNgfwProfiles(c: NgfwProfileConfig): string[] | { unknown: string } {
  const out: string[] = [];
  for (const [v, name, dflt] of [
    [c.antiSpyware, 'anti-spyware', 'BestPractice'],
    [c.antiVirus, 'anti-virus', 'BestPractice'],
    [c.vulnerability, 'vulnerability', 'BestPractice'],
    [c.fileBlocking, 'file blocking', 'BestPractice'],
    [c.urlFiltering, 'URL filtering', 'None'],
  ] as const) {
    if (isUnknownReason(v)) return { unknown: `its ${name} profile is not known: ${v.unknown}` };
    const set = v === undefined || v === '' ? dflt : v;
    if (set !== 'None') out.push(`${name} ${set}${v === undefined || v === '' ? ' (the default)' : ''}`);
  }
  return out;
}

const EVERY: BootstrapAddresses = { ranges: ['0.0.0.0/0', '::/0'], fqdns: [] };

/**
 * Cloud NGFW's default rules after a rulestack's own (its documentation: "for traffic that doesn't match any defined
 * rules, the default rules apply"; PAN-OS's default rules allow traffic within a zone and deny it between zones;
 * Cloud NGFW puts a source in its Private zone when it lies in the endpoint's private prefixes, here the RFC 1918
 * ranges, and an internet destination in its Public zone): internet-bound traffic from an RFC 1918 source is
 * denied. What they do with any other traffic (a source outside those ranges, IPv6) is not read: unknown.
 */
export function cloudNgfwDefaults(loc: SourceLocation): BootstrapRule[] {
  const privateSources: BootstrapAddresses = { ranges: [...RFC1918_BLOCKS], fqdns: [] };
  const interzone: BootstrapRule = {
    name: "default rule interzone-default (from its private zone to the internet; assuming the endpoint's private prefixes are the RFC 1918 ranges, Cloud NGFW's default: its own are set outside the inputs)",
    loc,
    enabled: true,
    action: 'deny',
    interfaces: 'any>any',
    src: 'some',
    dst: 'all',
    src6: 'none',
    dst6: 'none',
    service: 'all',
    profiles: [],
    logsAll: false,
    // A destination in the private ranges is in the private zone too: that traffic is not this rule's.
    flow: {
      src: privateSources,
      dst: { ranges: [...RFC1918_BLOCKS], fqdns: [], negate: true },
      service: { entries: [{ protocol: 'ip' }] },
    },
  };
  const rest: BootstrapRule = {
    name: 'default rules for other traffic',
    loc,
    enabled: true,
    action: {
      unknown:
        'traffic no rule takes meets Cloud NGFW default rules, which are read only for internet-bound traffic from an RFC 1918 source (its private zone): denied',
    },
    interfaces: 'any>any',
    src: 'all',
    dst: 'all',
    src6: 'all',
    dst6: 'all',
    service: 'all',
    profiles: [],
    logsAll: false,
    flow: { src: EVERY, dst: EVERY, service: { entries: [{ protocol: 'ip' }] } },
  };
  return [interzone, rest];
}
