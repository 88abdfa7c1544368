// Firewall rule vocabularies, stated once for every input that writes them: AWS Network Firewall rule groups
// (Suricata rule strings, stateful 5-tuple rules, domain lists) and Azure Firewall rule collections, each
// reduced to a FirewallRule (action, which destinations, which traffic). Terraform, its plan JSON and
// CloudFormation hand the same values here, so the same rules give the same model whatever the format.
import type { FirewallRule, StatelessReach, StatelessRule, Val } from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import { cidrContains, coversFamily, parseCidr } from '../../model/cidr';
import { everyName } from './everyName';

/** Suricata and 5-tuple actions; reject variants drop (and answer with a reset). */
function awsAction(a: string): FirewallRule['action'] {
  const x = a.toLowerCase();
  if (x === 'pass') return 'pass';
  if (x === 'drop' || x.startsWith('reject')) return 'drop';
  if (x === 'alert') return 'alert';
  return 'unknown';
}

const ANY_SOURCE = new Set(['any', '[any]']);
const ANY_DEST = new Set(['any', '$external_net', '!$home_net', '0.0.0.0/0']);
/** Private and local ranges: a destination "everything but these" is every internet address. */
const NOT_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'].map((c) =>
  parseCidr(c)!,
);

/**
 * Whether a Suricata destination matches every internet (IPv4) address: `any`, `$EXTERNAL_NET`, `0.0.0.0/0` or
 * `!$HOME_NET`, alone or as an item of a `[a,b]` list (a list matches what any item matches: `[0.0.0.0/0,::/0]`),
 * ranges that together hold every IPv4 address (`[0.0.0.0/1,128.0.0.0/1]`), or a negation of private ranges only (`!10.0.0.0/8`, `[!10.0.0.0/8,!192.168.0.0/16]`: every item negated means
 * "none of these"). A positive list of other ranges, a nested list, or a negated variable other than $HOME_NET
 * (whose definition is not read here) matches some destinations.
 */
function awsAnyDest(dst: string): boolean {
  const t = dst.trim().toLowerCase();
  if (ANY_DEST.has(t)) return true;
  const inner = t.replace(/^!?\[(.*)\]$/, '$1');
  if (inner.includes('[') || inner.includes(']')) return false;
  const negatedList = t.startsWith('![');
  const items = inner.split(',').map((x) => x.trim());
  if (negatedList) return items.length > 0 && items.every(privateOnly);
  if (items.some((x) => ANY_DEST.has(x))) return true;
  // Ranges that together hold every IPv4 address (`[0.0.0.0/1,128.0.0.0/1]`) are any destination (review s16 R9).
  if (coversFamily(items, 4)) return true;
  const negated = items.filter((x) => x.startsWith('!'));
  return negated.length === items.length && items.every((x) => privateOnly(x.slice(1)));
}

/** A rule variable or an IP set reference (`$ALLOWED`, `@EGRESS_PL`), as a destination item. */
const NAMED_SET = /^[$@][A-Za-z][A-Za-z0-9_]*$/;

/**
 * A destination whose addresses are named sets (`$ALLOWED`, `@PL`, `[$A,10.0.0.0/8]`) analysis must expand: its
 * items, or undefined when it names none (or nests: read as some destinations). A negated one (`!$RFC1918`,
 * `!@PL`, `![$A,$B]`, `!1.1.1.1`, or a list whose every item is negated: `[!$A,!10.0.0.0/8]`) matches every address
 * outside its items: `negate`, judged by their addresses too. A negation awsAnyDest decides (`!$HOME_NET`, private ranges
 * only) is not one: it is every internet address already.
 */
function namedDestination(dst: string): { items: string[]; negate?: true } | undefined {
  const t = dst.trim();
  const whole = t.startsWith('!');
  const inner = (whole ? t.slice(1) : t).replace(/^\[(.*)\]$/, '$1');
  if (inner.includes('[') || inner.includes(']')) return undefined;
  let items = inner.split(',').map((x) => x.trim());
  const negatedItems = !whole && items.every((x) => x.startsWith('!'));
  if (whole && items.some((x) => x.startsWith('!'))) return undefined;
  if (negatedItems) items = items.map((x) => x.slice(1).trim());
  else if (items.some((x) => x.startsWith('!'))) return undefined;
  // A negation of addresses alone (`!1.1.1.1`) is judged by them the same way.
  if (!items.some((x) => NAMED_SET.test(x)) && !(whole || negatedItems)) return undefined;
  if (!items.every((x) => NAMED_SET.test(x) || parseCidr(x) !== undefined)) return undefined;
  return whole || negatedItems ? { items, negate: true } : { items };
}

/** The variableDest of a rule whose destination names sets, unless awsAnyDest already took it as every address. */
function variableDestOf(dst: string, ports: string, anyDest: boolean): Pick<FirewallRule, 'variableDest'> {
  const named = namedDestination(dst);
  if (!named || (named.negate && anyDest)) return {};
  return { variableDest: { ...named, ports: ANY_PORT.has(ports.toLowerCase()) ? 'any' : 'some' } };
}

/** Whether a CIDR lies inside private or local space: what a destination "everything but these" leaves is the internet. */
export function notInternet(cidr: string): boolean {
  const c = parseCidr(cidr.trim());
  return c !== undefined && NOT_INTERNET.some((p) => cidrContains(p, c));
}

/** $HOME_NET or a CIDR inside private or local space (what "everything but" it leaves is the internet). */
function privateOnly(x: string): boolean {
  return x.trim() === '$home_net' || notInternet(x);
}
const ANY_PORT = new Set(['any', '[any]', '0:65535', '1:65535']);
const WEB = new Set(['tls', 'http', 'http2', 'https']);
// Options that do not narrow which flows a rule matches (bookkeeping, logging, direction of the session).
const NEUTRAL_OPTIONS = new Set(['msg', 'sid', 'rev', 'gid', 'metadata', 'classtype', 'priority', 'noalert', 'flow', 'reference']);

/** The Suricata variable for the addresses an AWS Network Firewall protects, as rules write it. */
export const HOME_NET = '$HOME_NET';

/** A rule variable as a source (`$HOME_NET`, `$SPOKE_VPCS`): kept as written, expanded for the firewall by analysis. */
const VARIABLE = /^\$[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The sources of a Suricata or 5-tuple rule: any, or CIDRs and rule variables (`$HOME_NET`: the addresses
 * the firewall calls home, not every source), alone or in a `[a,b]` list; a negation is not decided offline.
 */
function awsSources(src: string): Pick<FirewallRule, 'sources'> {
  const t = src.trim();
  if (ANY_SOURCE.has(t.toLowerCase())) return {};
  const items = t
    .replace(/^\[(.*)\]$/, '$1')
    .split(',')
    .map((x) => x.trim());
  if (items.some((x) => ANY_SOURCE.has(x.toLowerCase()))) return {};
  if (items.every((x) => parseCidr(x) !== undefined || VARIABLE.test(x))) return { sources: items };
  return { sources: unresolved(t, 'a negation or an address list whose addresses are not read offline') };
}

/** One Suricata rule line (`drop ip $HOME_NET any -> any any (msg:"..."; sid:1;)`); undefined for comments and blanks. */
export function suricataRule(line: string): FirewallRule | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(->|<>)\s+(\S+)\s+(\S+)\s*(?:\((.*)\))?\s*$/.exec(t);
  if (!m) return { action: 'unknown', dest: 'some', proto: 'some', what: short(t) };
  const [, action, proto, src, , dir, dst, dport, opts = ''] = m;
  const narrowing = opts
    .split(';')
    .map((o) => o.trim().split(':')[0].trim().toLowerCase())
    .filter((k) => k !== '' && !NEUTRAL_OPTIONS.has(k));
  const flow = flowValues(opts);
  // A flow toward the client only is a reply rule, not egress.
  const toClient = flow.some((v) => v.includes('to_client'));
  // A pass rule for one state of a flow (`flow:established`, `not_established`, ...) passes only part of each flow:
  // what it leaves out meets the rules after it (a drop of the same flows takes a flow's first packet), so it
  // passes no flow by itself. A drop so narrowed still ends the flows it names (data needs an established flow).
  if (awsAction(action) === 'pass' && flow.some((v) => !FLOW_DIRECTIONS.has(v))) narrowing.push('flow');
  const p = proto.toLowerCase();
  // Which destinations it matches, whoever sends: its sources say to whom it applies.
  const anyAddress = !toClient && awsAnyDest(dst) && narrowing.length === 0;
  const dest: FirewallRule['dest'] = anyAddress && ANY_PORT.has(dport.toLowerCase()) ? 'any' : 'some';
  // A destination of named sets decides nothing here: analysis reads their addresses (review s16 R4).
  // `$EXTERNAL_NET` is read as any destination unless the rule's group defines it: analysis decides that too.
  const named = !toClient && narrowing.length === 0 ? variableDestOf(dst, dport, awsAnyDest(dst)) : {};
  return {
    ...named,
    action: awsAction(action),
    dest,
    ...(anyAddress && dest === 'some' ? { anyAddress: true as const } : {}),
    proto: p === 'ip' || p === 'any' ? 'any' : WEB.has(p) ? 'web' : 'some',
    what: short(t.replace(/\s*\(.*$/, '')),
    // Both directions (`<>`): taken as any source, as before sources were read.
    ...(dir === '<>' ? {} : awsSources(src)),
  };
}

const FLOW_DIRECTIONS = new Set(['to_server', 'from_client', 'to_client', 'from_server']);

/** The values of a rule's `flow` options (`to_server`, `established`, ...), lower case. */
function flowValues(opts: string): string[] {
  return opts
    .split(';')
    .map((o) => o.trim())
    .filter((o) => /^flow\s*:/i.test(o))
    .flatMap((o) =>
      o
        .slice(o.indexOf(':') + 1)
        .split(',')
        .map((v) => v.trim().toLowerCase()),
    )
    .filter((v) => v !== '');
}

/** Every rule of a Suricata rules string, in order. */
export function suricataRules(text: string): FirewallRule[] {
  return text
    .split(/\r?\n/)
    .map(suricataRule)
    .filter((r): r is FirewallRule => r !== undefined);
}

/** A stateful 5-tuple rule (`StatefulRules` / `stateful_rule`): its action and header. */
export function fiveTupleRule(
  action: string,
  header: { protocol?: string; source?: string; destination?: string; destinationPort?: string },
): FirewallRule {
  const p = (header.protocol ?? 'IP').toLowerCase();
  const dst = (header.destination ?? 'ANY').toLowerCase();
  const port = (header.destinationPort ?? 'ANY').toLowerCase();
  const anyAddress = awsAnyDest(dst);
  return {
    ...variableDestOf(header.destination ?? 'ANY', port, anyAddress),
    action: awsAction(action),
    dest: anyAddress && ANY_PORT.has(port) ? 'any' : 'some',
    ...(anyAddress && !ANY_PORT.has(port) ? { anyAddress: true as const } : {}),
    proto: p === 'ip' || p === 'any' ? 'any' : WEB.has(p) ? 'web' : 'some',
    what: `${action.toLowerCase()} ${p} ${header.source ?? 'ANY'} -> ${header.destination ?? 'ANY'}:${header.destinationPort ?? 'ANY'}`,
    ...awsSources(header.source ?? 'ANY'),
  };
}

/**
 * A domain list (`RulesSourceList`): AWS generates a pass rule per listed domain and, for an ALLOWLIST, a
 * drop of the other HTTP/TLS flows; DENYLIST drops the domains, ALERTLIST alerts on them. Other protocols
 * are not touched by the list. Every generated rule is written from `$HOME_NET`: traffic from outside it
 * (a spoke behind a transit gateway, when HOME_NET is left at the firewall's VPC) matches none of them. An
 * allowed entry that takes every name (`.com`, vocabulary/everyName.ts) passes HTTP/TLS to every destination.
 */
export function domainListRules(type: string, targets: readonly Val<string>[]): FirewallRule[] {
  const t = type.toUpperCase();
  // The list may come from a file or a variable the inputs do not decide: what it does to other flows is
  // still known, how many domains it names is not.
  const known = targets.filter((x): x is string => typeof x === 'string');
  const domains = known.length === targets.length ? known.length : undefined;
  const what = domains === undefined ? `${t} of domains not known offline` : `${t} of ${domains} domain${domains === 1 ? '' : 's'}`;
  const sources = [HOME_NET];
  if (t === 'ALLOWLIST') {
    const wide = known.find((d) => everyName(d) !== undefined);
    return [
      wide
        ? { action: 'pass', dest: 'any', proto: 'web', what: `${what} (\`${wide}\` takes ${everyName(wide)})`, sources }
        : { action: 'pass', dest: 'some', proto: 'web', what, sources },
      { action: 'drop', dest: 'any', proto: 'web', what: `${what}: other HTTP/TLS dropped`, sources },
    ];
  }
  if (t === 'DENYLIST' || t === 'REJECTLIST') return [{ action: 'drop', dest: 'some', proto: 'web', what, sources }];
  if (t === 'ALERTLIST') return [{ action: 'alert', dest: 'some', proto: 'web', what, sources }];
  return [{ action: 'unknown', dest: 'some', proto: 'web', what, sources }];
}

/** What a stateless rule's match attributes say, as written (`from:to` port ranges, protocol numbers). */
export interface StatelessMatch {
  sources: Val<string>[];
  destinations: Val<string>[];
  sourcePorts: Val<string>[];
  destinationPorts: Val<string>[];
  protocols: Val<string>[];
  tcpFlags: boolean;
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/** A port range that covers every port (`0:65535`, `1:65535`). */
function anyPorts(ranges: string[]): boolean {
  return ranges.length === 0 || ranges.some((r) => /^[01]:65535$/.test(r));
}

/**
 * One stateless rule: the standard action among its actions (`aws:pass`, `aws:drop`, `aws:forward_to_sfe`;
 * custom actions only publish metrics), its sources, and whether its other attributes narrow it.
 */
export function statelessRule(priority: Val<number>, actions: Val<string>[], m: StatelessMatch): StatelessRule {
  const std = actions.filter((a) => typeof a === 'string' && a.startsWith('aws:')) as string[];
  const action: StatelessRule['action'] =
    actions.some(isUnresolved) || std.length !== 1
      ? 'unknown'
      : std[0] === NFW_STATELESS.pass
        ? 'pass'
        : std[0] === NFW_STATELESS.drop
          ? 'drop'
          : std[0] === NFW_STATELESS.forward
            ? 'forward'
            : 'unknown';
  const all = [...m.sources, ...m.destinations, ...m.sourcePorts, ...m.destinationPorts, ...m.protocols];
  const undecided = all.find(isUnresolved);
  const str = (xs: Val<string>[]) => xs.filter((x): x is string => typeof x === 'string');
  const sources = str(m.sources);
  const dests = str(m.destinations);
  // Per family: a rule whose addresses are all IPv6 matches no IPv4 packet (a stateless drop of `::/0` leaves
  // every IPv4 packet to the next rule), and ranges that together hold a whole family (`0.0.0.0/1` and
  // `128.0.0.0/1`) are as `0.0.0.0/0` (review s16 R9).
  const reach = (family: 4 | 6): StatelessReach => {
    // Addresses of the family, and those that cannot be read (kept: they may be of either).
    const of = (xs: string[]) => xs.filter((x) => (parseCidr(x)?.family ?? family) === family);
    const src = of(sources);
    const dst = of(dests);
    if ((sources.length > 0 && src.length === 0) || (dests.length > 0 && dst.length === 0)) return { sources: [], dest: 'none' };
    const anyDst = dests.length === 0 || coversFamily(dst, family);
    const privateOnly =
      !anyDst && family === 4 && dst.map(parseCidr).every((c) => c !== undefined && PRIVATE.some((p) => cidrContains(p, c)));
    return { sources: sources.length === 0 || coversFamily(src, family) ? [] : src, dest: anyDst ? 'any' : privateOnly ? 'none' : 'some' };
  };
  // For reasons: `any` only for addresses that hold every address the rule's families have (`::/0` alone is not any).
  const every = (xs: string[]) =>
    xs.length === 0 || (coversFamily(xs, 4) && (coversFamily(xs, 6) || xs.every((x) => parseCidr(x)?.family === 4)));
  const anySource = every(sources);
  const anyDest = every(dests);
  const narrowed = m.tcpFlags || m.protocols.length > 0 || !anyPorts(str(m.sourcePorts)) || !anyPorts(str(m.destinationPorts));
  const protos = str(m.protocols);
  const ports = str(m.destinationPorts);
  const text = (xs: Val<string>[]) => xs.map((x) => (typeof x === 'string' ? x : x.text || '?')).join(',');
  const rule: StatelessRule = {
    priority,
    action,
    v4: reach(4),
    v6: reach(6),
    proto: narrowed ? 'some' : 'any',
    what: short(
      `${std[0] ?? actions.map((a) => (typeof a === 'string' ? a : a.text)).join('+')} ${anySource && sources.length === m.sources.length ? 'any' : text(m.sources)} -> ${anyDest && dests.length === m.destinations.length ? 'any' : text(m.destinations)}${protos.length ? ` proto ${protos.join(',')}` : ''}${ports.length ? ` port ${ports.join(',')}` : ''}${m.tcpFlags ? ' tcp-flags' : ''}`,
    ),
  };
  if (undecided) rule.undecided = undecided.text || undecided.reason;
  return rule;
}

/** AWS Network Firewall stateless default actions. */
export const NFW_STATELESS = { pass: 'aws:pass', drop: 'aws:drop', forward: 'aws:forward_to_sfe' } as const;

/** AWS Network Firewall stateful default actions that drop what no rule passed (strict order only). */
export const NFW_DEFAULT_DROPS = new Set(['aws:drop_strict', 'aws:drop_established', 'aws:drop_established_app_layer']);
export const NFW_DEFAULT_ALERTS = new Set(['aws:alert_strict', 'aws:alert_established', 'aws:alert_established_app_layer']);
export const NFW_STRICT_ORDER = 'STRICT_ORDER';

/** AWS managed rule groups (threat signatures, domain lists): named by ARN, their rules are not in the inputs. */
export function isAwsManagedRuleGroup(arn: string): boolean {
  return /^arn:aws[\w-]*:network-firewall:[^:]*:aws-managed:/.test(arn);
}

const ANY_ADDRESS = new Set(['*', '0.0.0.0/0', 'internet', 'any']);

/** Azure addresses that match every address: `*`, `Internet`, or ranges that together hold every IPv4 address (review s16 R9). */
function anyAzureAddress(xs: readonly string[]): boolean {
  return xs.some((x) => ANY_ADDRESS.has(x.toLowerCase())) || coversFamily(xs, 4);
}

/**
 * The sources of an Azure Firewall rule (`source_addresses` and the CIDRs of its `source_ip_groups`): absent
 * when it matches any source (`*`, or none written), Unresolved as given.
 */
export function azureSources(sources: Val<string[]> | undefined): Pick<FirewallRule, 'sources'> {
  if (sources === undefined) return {};
  if (isUnresolved(sources)) return { sources };
  return sources.length === 0 || anyAzureAddress(sources) ? {} : { sources };
}

/**
 * An Azure Firewall rule of a collection whose action is `action` (Allow / Deny). Network rules name
 * addresses, ports and protocols; application rules name FQDNs (or `*`) and web protocols. Both name
 * sources: the rule applies only to traffic from them (analysis/firewallPolicy/ruleSources.ts).
 */
export function azureRule(
  action: string | undefined,
  kind: 'network' | 'application',
  r: { name: string; destinations: string[]; ports?: string[]; protocols: string[]; sources?: Val<string[]> },
): FirewallRule {
  const a = action?.toLowerCase();
  const act: FirewallRule['action'] = a === 'allow' ? 'pass' : a === 'deny' ? 'drop' : 'unknown';
  // `*.com` as much as `*`: an entry that takes every name is every destination (vocabulary/everyName.ts).
  const wide = r.destinations.find((d) => !ANY_ADDRESS.has(d.toLowerCase()) && everyName(d) !== undefined);
  const dest: FirewallRule['dest'] = wide || anyAzureAddress(r.destinations) ? 'any' : 'some';
  let proto: FirewallRule['proto'];
  if (kind === 'application') proto = 'web';
  else {
    const protos = r.protocols.map((p) => p.toLowerCase());
    const allPorts = (r.ports ?? []).some((p) => p === '*' || p === '1-65535' || p === '0-65535');
    // TCP and UDP on every port carry every flow an egress policy is about (ICMP aside): an allow-all.
    proto = allPorts && (protos.includes('any') || ['tcp', 'udp'].every((p) => protos.includes(p))) ? 'any' : 'some';
  }
  const takes =
    wide && dest === 'any' && !r.destinations.some((d) => ANY_ADDRESS.has(d.toLowerCase())) ? `; \`${wide}\` takes ${everyName(wide)}` : '';
  return { action: act, dest, proto, what: `${kind} rule ${r.name} (${action ?? '?'}${takes})`, ...azureSources(r.sources) };
}

/**
 * The literal domain an FQDN not known offline certainly names a host under: its known end runs from within
 * its leading label (`"${random}.blob..."`, `"${random}store.dfs..."`) through a dot and at least two literal
 * DNS labels, and no known part of it holds a wildcard. Whatever the unknown part is, the name is one host
 * under that domain: never any destination, never an address. Undefined otherwise (`"${x}.com"`, `"${x}"`,
 * `"*.${x}.net"`).
 */
export function fqdnUnder(knownEnd: string, knownParts: readonly string[]): string | undefined {
  if ([knownEnd, ...knownParts].some((p) => p.includes('*'))) return undefined;
  const dot = knownEnd.indexOf('.');
  if (dot < 0 || !/^[A-Za-z0-9-]*$/.test(knownEnd.slice(0, dot))) return undefined;
  const labels = knownEnd.slice(dot + 1).split('.');
  if (labels.length < 2 || !labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l))) return undefined;
  return labels.join('.').toLowerCase();
}

/** Azure threat intelligence mode when none is written. */
export const AZURE_THREAT_INTEL_DEFAULT = 'Alert';

function short(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
