// Shared pieces of the routing rules: reading a SubnetEgress (where the forward leg entered inspection,
// where the return leg was decided), locations, and mechanical fixes as text edits in the file's own
// format (HCL for .tf; CloudFormation YAML/JSON and CLI exports get advice text instead).
import type { NetworkElement, SourceLocation, SourceRange, Subnet } from '../../model/types';
import { parseIp } from '../../model/cidr';
import type { ModelIndex } from '../modelIndex';
import type { Hop, PathTrace, RelatedLocation, SubnetEgress, TextEdit } from '../types';
import type { RawFinding } from './rule';
import { parsePickId } from '../endpointPickId';
import { agree, combine, lit, merge, text, w, type Wording } from './wording';

export type FileFormat = 'hcl' | 'yaml' | 'json' | 'other';

export function formatOf(file: string): FileFormat {
  const f = file.toLowerCase();
  if (f.endsWith('.tf')) return 'hcl';
  if (f.endsWith('.yaml') || f.endsWith('.yml') || f.endsWith('.template')) return 'yaml';
  if (f.endsWith('.json')) return 'json';
  return 'other';
}

export function isDelivered(t: PathTrace | undefined): t is PathTrace {
  return !!t && t.outcome.kind === 'delivered';
}

/** The hop whose route sent the packet to hop `i` (the previous hop with a decision). */
export function decidingHop(t: PathTrace, i: number): Hop | undefined {
  for (let j = i - 1; j >= 0; j--) if (t.hops[j].decision) return t.hops[j];
  return undefined;
}

/** Location of the route a hop's decision names, else of the table, else of the hop's element. */
export function decisionLocation(index: ModelIndex, hop: Hop | undefined): SourceLocation | undefined {
  if (!hop) return undefined;
  const d = hop.decision;
  if (d?.route) {
    const r = index.routeById(d.route, d.routeTable);
    if (r) return r.route.loc;
  }
  if (d?.loc) return d.loc;
  const table = d ? index.get(d.routeTable) : undefined;
  return table?.loc ?? hop.loc;
}

/** The element id the location belongs to (route's table for routes). */
export function decisionElement(index: ModelIndex, hop: Hop | undefined): string | undefined {
  if (!hop) return undefined;
  const d = hop.decision;
  if (d?.route) {
    const r = index.routeById(d.route, d.routeTable);
    if (r) return d.route;
  }
  return d ? (index.get(d.routeTable) ? d.routeTable : hop.element) : hop.element;
}

export function firstOfKind(t: PathTrace, kind: Hop['kind']): Hop | undefined {
  return t.hops.find((h) => h.kind === kind);
}

export function related(loc: SourceLocation | undefined, message: string): RelatedLocation[] {
  return loc ? [{ location: loc, message }] : [];
}

export function elementRelated(index: ModelIndex, id: string | undefined, message: string): RelatedLocation[] {
  const e = id ? index.get(id) : undefined;
  return e ? [{ location: e.loc, message }] : [];
}

/**
 * "subnet app-a (10.0.1.15)"; a dual-stack subnet's IPv6 family says so: "subnet app-a (IPv6 2600:1f18::a)", or
 * "subnet app-a (IPv6)" when its address is not known offline (a prefix AWS assigns at apply), as for an IPv6-only
 * subnet's unknown address; an extra egress along a narrow route names it: "subnet app-a (10.0.1.15 to 192.0.2.0/24)".
 */
export function sourceLabel(index: ModelIndex, eg: SubnetEgress): string {
  const e = index.get(eg.subnet);
  const ip = eg.forward.source.ip;
  const unknown6 = !parseIp(ip) && eg.forward.destination.ip.includes(':');
  const what =
    eg.family === 6 ? (unknown6 ? 'IPv6' : `IPv6 ${ip}`) : unknown6 ? 'IPv6' : eg.narrow ? `${ip} to ${eg.narrow.destination}` : ip;
  return `${e?.kind === 'vpc' ? 'VPC' : e?.kind === 'aviatrixGateway' ? 'gateway' : 'subnet'} ${index.label(eg.subnet)} (${what})`;
}

/** Whether `eg` is an IPv6 egress (a dual-stack subnet's second family, or an IPv6-only subnet's). */
export function isIpv6Egress(eg: SubnetEgress): boolean {
  return eg.family === 6 || eg.forward.destination.ip.includes(':');
}

/**
 * A subnet's IPv6 prefix as a route destination: `text` for sentences (the CIDR, or "app-a's IPv6 prefix" when AWS
 * assigns it at apply), and how a route names it in Terraform (`"2600:1f18::/64"` or `aws_subnet.x.ipv6_cidr_block`),
 * in CloudFormation (the CIDR, or `!Select [0, !GetAtt X.Ipv6CidrBlocks]`) and on the AWS CLI (the CIDR, or none).
 */
export function ipv6PrefixOf(index: ModelIndex, subnet: Subnet): { text: string; hcl?: string; yaml?: string; cli?: string } {
  const c = typeof subnet.ipv6Cidr === 'string' ? subnet.ipv6Cidr : undefined;
  if (c) return { text: c, hcl: JSON.stringify(c), yaml: c, cli: c };
  const logical = cfnLogicalId(subnet);
  return {
    text: `${index.label(subnet.id)}'s IPv6 prefix`,
    // A reference from the root module (a subnet of a module is not named from outside it).
    ...(subnet.address && /^[a-z]/.test(subnet.address) && !subnet.address.startsWith('module.')
      ? { hcl: `${subnet.address}.ipv6_cidr_block` }
      : {}),
    ...(logical ? { yaml: `!Select [0, !GetAtt ${logical}.Ipv6CidrBlocks]` } : {}),
  };
}

/**
 * What a finding about `eg` lists in Finding.traces: its subnet, or for the IPv6 family of a dual-stack subnet (whose
 * `subnet` is its IPv4 egress's too) and for an extra egress along a narrow route (SubnetEgress.narrow) the id of its
 * forward trace.
 */
export function traceRef(eg: SubnetEgress): string {
  return eg.family === 6 || eg.narrow ? eg.forward.id : eg.subnet;
}

/** A Terraform reference to an element's id attribute, or its provider id as a literal. */
export function tfRef(e: NetworkElement): string {
  // A Network Firewall endpoint has no resource of its own: pick it from the firewall's sync states.
  if (
    e.kind === 'gwlbe' &&
    e.flavor === 'networkFirewall' &&
    typeof e.service === 'string' &&
    typeof e.subnet === 'string' &&
    /^[a-z]/.test(e.subnet)
  )
    return `one([for ss in ${e.service}.firewall_status[0].sync_states : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == ${e.subnet}.id])`;
  if (e.address && /^[a-z]/.test(e.address)) return `${e.address}.id`;
  return JSON.stringify(e.providerId ?? e.id);
}

/** Insert `body` (lines without trailing newline, indented one level) just before an HCL block's closing brace. */
export function insertInBlock(e: NetworkElement, body: string[]): TextEdit | undefined {
  const x = e.extent;
  if (!x || formatOf(e.loc.file) !== 'hcl') return undefined;
  const text = body.map((l) => `  ${l}`).join('\n') + '\n';
  // The extent ends just after `}`; when that brace starts its line, insert whole lines in front of it.
  if (x.end.character <= 1) {
    const line = x.end.character === 0 ? x.end.line - 1 : x.end.line;
    return { file: e.loc.file, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: text };
  }
  const at = { line: x.end.line, character: x.end.character - 1 };
  return { file: e.loc.file, range: { start: at, end: at }, newText: `\n${text}` };
}

/** Append text after a block (new resources next to the one they belong with). */
export function insertAfter(e: NetworkElement, text: string): TextEdit | undefined {
  const x = e.extent;
  if (!x) return undefined;
  return { file: e.loc.file, range: { start: x.end, end: x.end }, newText: `\n\n${text}` };
}

/** Replace an attribute's value range. */
export function replaceAttr(e: NetworkElement, names: string[], newText: string): TextEdit | undefined {
  for (const n of names) {
    const r: SourceRange | undefined = e.attrs?.[n];
    if (r) return { file: e.loc.file, range: r, newText };
  }
  return undefined;
}

/** A finding's message and fix title as words and names (wording.ts), for merging the instances of one location. */
export interface Worded {
  message: Wording;
  fix?: Wording;
  /** The messages of the finding's related locations, by their index in `related`. */
  related?: readonly (Wording | undefined)[];
  /** Related locations of this instance alone (where its module's caller writes the route): each instance's is kept. */
  own?: readonly RelatedLocation[];
}

/**
 * A module's route made from its caller's argument (Route.input): the related location where the caller writes
 * it, and the words that say so in the fix (the module call a slot: merged, every caller is named).
 */
export function callerInput(
  index: ModelIndex,
  routeId: string | undefined,
  tableId: string,
): { related: RelatedLocation; note: Wording } | undefined {
  const found = routeId ? index.routeById(routeId, tableId) : undefined;
  const input = found && 'input' in found.route ? found.route.input : undefined;
  if (!input) return undefined;
  return {
    related: { location: input.loc, message: `the route is made from ${input.module}'s \`${input.variable}\` here` },
    note: w`this route is made from the ${lit(`\`${input.variable}\``)} argument of ${input.module}: ${agree('its caller decides', 'each caller decides', 'prev')} it`,
  };
}

/**
 * Merge findings that point at the same place for the same reason, keeping every trace they cover. With the
 * wording of each finding, the merged one names every instance's objects (a shared module's route written for
 * several callers: each caller's table and target); without, it keeps the first finding's text.
 */
export function dedupe(findings: RawFinding[], key: (f: RawFinding) => string, wordings?: ReadonlyMap<RawFinding, Worded>): RawFinding[] {
  const out = new Map<string, { f: RawFinding; all: RawFinding[] }>();
  for (const f of findings) {
    const k = key(f);
    const prev = out.get(k);
    if (!prev) out.set(k, { f: { ...f, traces: [...(f.traces ?? [])] }, all: [f] });
    else {
      prev.f.traces = [...new Set([...(prev.f.traces ?? []), ...(f.traces ?? [])])];
      prev.all.push(f);
    }
  }
  return [...out.values()].map(({ f, all }) => {
    if (!wordings || all.length < 2) return f;
    const ws = all.map((x) => wordings.get(x));
    if (ws.some((x) => !x)) return f;
    // Instances that need different advice each get their sentence.
    const message = combine(
      ws.map((x) => x!.message),
      ' ',
    );
    const fixes = ws.map((x) => x!.fix);
    const title =
      f.fix && fixes.every((x) => x)
        ? combine(
            fixes.map((x) => x!),
            '. ',
          )
        : undefined;
    // A related location the instances share (a module's internet gateway block): its message names each one's.
    const related = f.related.map((r, i) => {
      const mine = ws[0]!.related?.[i];
      if (!mine) return r;
      const k = locKey(r.location);
      const same: Wording[] = [mine];
      all.slice(1).forEach((x, n) => {
        const j = x.related.findIndex((o) => locKey(o.location) === k);
        const o = j < 0 ? undefined : ws[n + 1]!.related?.[j];
        if (o) same.push(o);
      });
      return same.length > 1 ? { ...r, message: text(merge(same)) } : r;
    });
    // Where each instance's caller writes the route (another module call's argument): every one.
    for (const x of ws.slice(1))
      for (const o of x!.own ?? []) if (!related.some((r) => locKey(r.location) === locKey(o.location))) related.push(o);
    return { ...f, message, related, ...(title !== undefined && f.fix ? { fix: { ...f.fix, title } } : {}) };
  });
}

export function locKey(l: SourceLocation): string {
  return `${l.file}:${l.range.start.line}:${l.range.start.character}`;
}

/** The CloudFormation logical id of an element parsed from a template (`cfn:<file>#LogicalId`). */
export function cfnLogicalId(e: NetworkElement): string | undefined {
  const m = /^cfn:.*#([A-Za-z0-9]+)$/.exec(e.id);
  return m ? m[1] : undefined;
}

/**
 * New CloudFormation resources right after a resource's mapping in a YAML template, at the same
 * indentation as its logical id. `lines` are relative to that indentation.
 */
export function insertYamlResourcesAfter(e: NetworkElement, lines: string[]): TextEdit | undefined {
  const x = e.extent;
  if (!x || formatOf(e.loc.file) !== 'yaml' || !cfnLogicalId(e)) return undefined;
  const pad = ' '.repeat(e.loc.range.start.character);
  const body = lines.map((l) => (l ? pad + l : l)).join('\n');
  // The extent ends at the start of the line after the mapping; otherwise at end of file.
  return { file: e.loc.file, range: { start: x.end, end: x.end }, newText: x.end.character === 0 ? `\n${body}\n` : `\n\n${body}\n` };
}

/** Terraform attribute naming a route target of this element kind (inline `route` blocks). */
const TARGET_ATTR: Partial<Record<NetworkElement['kind'], string>> = {
  gwlbe: 'vpc_endpoint_id',
  natgw: 'nat_gateway_id',
  igw: 'gateway_id',
  tgw: 'transit_gateway_id',
  eni: 'network_interface_id',
};

/**
 * How a new route names `target` (a GWLB or firewall endpoint, a firewall appliance's interface, the appliance
 * itself) in Terraform (attribute and value), CloudFormation (property) and the AWS CLI (flag).
 */
export function routeTargetSyntax(target: NetworkElement): { attr: string; value: string; cfn: string; cli: string } {
  if (target.kind === 'eni')
    return { attr: 'network_interface_id', value: tfRef(target), cfn: 'NetworkInterfaceId', cli: '--network-interface-id' };
  if (target.kind === 'instance' || target.kind === 'firewall') {
    // aws_route has no instance_id since provider v5: the instance's primary interface.
    const value =
      target.address && /^[a-z]/.test(target.address)
        ? `${target.address}.primary_network_interface_id`
        : JSON.stringify(target.providerId ?? target.id);
    return { attr: 'network_interface_id', value, cfn: 'InstanceId', cli: '--instance-id' };
  }
  return { attr: 'vpc_endpoint_id', value: tfRef(target), cfn: 'VpcEndpointId', cli: '--vpc-endpoint-id' };
}

/**
 * Point an inline HCL `route { ... }` block at `target`, changing only what must change: the target
 * attribute's value (or that one line when the attribute name changes too, e.g. `nat_gateway_id` ->
 * `vpc_endpoint_id`). The destination stays as written (`aws_subnet.nat["b"].cidr_block` is kept, not
 * replaced by the CIDR it evaluates to). Undefined for `aws_route` resources, non-HCL files, routes
 * without attribute ranges (dynamic blocks, list form) and tables of a `count`/`for_each` resource,
 * and of modules, whose one block serves every instance: editing it would re-point the others too.
 */
export function rewriteInlineRoute(index: ModelIndex, routeId: string, target: NetworkElement): TextEdit | undefined {
  const found = index.routeById(routeId);
  if (!found || !('target' in found.route)) return undefined;
  const route = found.route;
  const attr = TARGET_ATTR[target.kind];
  const r = route.loc.range;
  const written = route.targetValue;
  if (!attr || route.address || !written || formatOf(route.loc.file) !== 'hcl' || r.end.line <= r.start.line) return undefined;
  const owner = found.table.address ?? found.table.id;
  if (owner.includes('[') || owner.startsWith('module.')) return undefined;
  const end = { line: written.line, character: written.end };
  if (written.attr === attr)
    return { file: route.loc.file, range: { start: { line: written.line, character: written.start }, end }, newText: tfRef(target) };
  const ind = ' '.repeat(r.start.character + 2);
  return {
    file: route.loc.file,
    range: { start: { line: written.line, character: 0 }, end },
    newText: `${ind}${attr} = ${tfRef(target)}`,
  };
}

/** "GWLB endpoint", "firewall endpoint" (AWS Network Firewall), or a firewall appliance or its interface, for messages about an inspection hop. */
export function endpointWord(index: ModelIndex, id: string | undefined): string {
  const e = id ? index.get(id) : undefined;
  // A pick of a Network Firewall's endpoints (which one is not known offline) is no element of its own.
  if (!e && id && parsePickId(id)) return 'firewall endpoint';
  if (e?.kind === 'instance' || e?.kind === 'firewall') return 'firewall appliance';
  if (e?.kind === 'eni') return 'firewall interface';
  return e?.kind === 'gwlbe' && e.flavor === 'networkFirewall' ? 'firewall endpoint' : 'GWLB endpoint';
}
