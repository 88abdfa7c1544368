// AnalysisResult -> the graph the topology draws. Pure: no DOM, no cytoscape. Compound nodes
// group/account/region > VPC/VNet > AZ > subnet; resources sit in their subnet or VPC; path edges
// are the union of every consecutive hop pair of every trace, so the animation always finds an edge.
import type { AnalysisResult, FlowSimulation, Hop, PathTrace, ProtectionState, Severity } from '../src/analysis/types';
import type { NetworkElement, Ref, SourceLocation, Val } from '../src/model/types';
import { parsePickId } from '../src/analysis/endpointPickId';
import { subnetTier, type Tier } from './tier';

export type NodeKind = NetworkElement['kind'] | 'group' | 'az' | 'internet' | 'gwlbFirewall' | 'vpcCollapsed';

export interface GraphNode {
  id: string;
  parent?: string;
  kind: NodeKind;
  /** Display text (two lines at most). Plain text: cytoscape draws it on canvas, never as HTML. */
  label: string;
  /** The model element behind the node, when there is one. */
  element?: string;
  loc?: SourceLocation;
  vpc?: string;
  state?: ProtectionState;
  severity?: Severity;
  findings: number;
  /** True when the node exists only because a trace named it (no model element). */
  synthetic?: boolean;
  /** Collapsed VPC: how many nodes it hides. */
  hidden?: number;
  /** Details for the hover card, as [label, value] text pairs. */
  details: [string, string][];
  /** Subnets: the row of the reference diagram (tier.ts). */
  tier?: Tier;
  /** Route tables drawn as badges (reference.ts): the subnet or gateway the badge sits on. */
  badge?: string;
  /** A firewall attached to a transit gateway natively: the TGW's node (the diagram draws it beside it). */
  attachedTo?: string;
  /** An Azure Virtual WAN hub, drawn as a box (kind `vpc`) holding its firewall and gateways: a hub of the layout. */
  virtualHub?: boolean;
  /**
   * A GWLB target (its target group, its appliances) that passes every packet back uninspected (F201: gwlbtun's
   * pass-through script, the GENEVE hairpin): why. Drawn as what it is, no enforcement point.
   */
  passthrough?: string;
  width: number;
  height: number;
}

export type EdgeKind = 'path' | 'route' | 'assoc' | 'edgeAssoc' | 'privatelink' | 'target' | 'attach' | 'peer';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label?: string;
  /** Path edges: 'return' when only return legs take it (the layout reads it against the flow). */
  leg?: 'forward' | 'return';
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Model element id (or hop element id) -> the node that draws it (itself, or its collapsed VPC). */
  repOf: Map<string, string>;
  /** True when some VPCs are drawn collapsed. */
  collapsed: boolean;
}

export interface GraphOptions {
  showRouteTables: boolean;
  /** Beyond this many nodes, VPCs are drawn collapsed unless listed in `expanded`. */
  collapseThreshold: number;
  expanded: ReadonlySet<string>;
  /** Force the VPC-level view whatever the size. */
  forceCollapse?: boolean;
}

export const DEFAULT_GRAPH_OPTIONS: GraphOptions = { showRouteTables: true, collapseThreshold: 400, expanded: new Set() };

export const INTERNET_ID = 'internet';

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

function str(v: Val<string> | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function ref(v: Ref | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function valText(v: Val<string> | Val<boolean> | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'object') return `unresolved: ${v.text}`;
  return String(v);
}

const KIND_LABEL: Record<string, string> = {
  vpc: 'VPC',
  subnet: 'subnet',
  routeTable: 'route table',
  igw: 'internet gateway',
  eigw: 'egress-only IGW',
  vgw: 'VPN gateway',
  natgw: 'NAT gateway',
  gwlbe: 'GWLB endpoint',
  gwlb: 'Gateway Load Balancer',
  loadBalancer: 'internal load balancer',
  targetGroup: 'target group',
  instance: 'instance',
  firewall: 'firewall',
  gwlbFirewall: 'firewall (GWLB target)',
  tgw: 'transit gateway',
  aviatrixGateway: 'Aviatrix gateway',
  internet: 'internet',
  az: 'availability zone',
  group: 'account / region',
  vpcCollapsed: 'VPC (collapsed)',
  unmodelled: 'not modelled by Egress Lens',
};

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

/** Rough label metrics for layout: the canvas font is ~11px, so ~6.6px per character. */
function sizeFor(label: string, kind: NodeKind): { width: number; height: number } {
  const lines = label.split('\n');
  const longest = Math.max(...lines.map((l) => l.length));
  const width = Math.min(220, Math.max(kind === 'internet' ? 90 : 70, Math.round(longest * 6.6) + 24));
  const height = Math.max(kind === 'internet' ? 60 : 34, lines.length * 15 + 12);
  return { width, height };
}

/**
 * Long names keep what tells them apart; the hover card has them whole. A CloudFormation name is its logical
 * id and its quoted Name tag (`SubnetCPublic1 "subnet-c-public-1-{StackName}"`, a firewall endpoint's
 * `Fw "fw-{StackName}"/SubnetCFirewall1`): the quoted tags are cut at their end (`"subnet-c-publ…"`), the
 * longest first, then left out, the logical ids kept whole; cut in its middle, a quote reads as another
 * name (`…blic-1-{StackName}"`). Other long ids (service names, Azure resource ids) keep their head and tail.
 */
export function shorten(s: string, max = 36): string {
  if (s.length <= max) return s;
  const quoted = withoutQuotedTail(s, max);
  if (quoted !== undefined && quoted.length <= max) return quoted;
  // Still too long without its quotes: the logical ids' head and tail.
  if (quoted !== undefined) s = quoted;
  const head = Math.ceil((max - 1) * 0.45);
  return `${s.slice(0, head)}\u2026${s.slice(s.length - (max - 1 - head))}`;
}

/** `s` with its quoted parts cut at their end, or left out, to fit `max` (longer when even without them it does not); undefined when it has none. */
function withoutQuotedTail(s: string, max: number): string | undefined {
  // The quoted parts: a space and a double-quoted text (the name tag after a logical id).
  const parts: { at: number; end: number }[] = [];
  for (const m of s.matchAll(/ "[^"]*"/g)) parts.push({ at: m.index, end: m.index + m[0].length });
  if (!parts.length) return undefined;
  const texts = parts.map((p) => s.slice(p.at + 2, p.end - 1));
  const join = (kept: (string | undefined)[]): string => {
    let out = '';
    let from = 0;
    parts.forEach((p, i) => {
      out += s.slice(from, p.at) + (kept[i] === undefined ? '' : ` "${kept[i]}"`);
      from = p.end;
    });
    return out + s.slice(from);
  };
  // Cut the longest quote first, to no less than 6 characters and the ellipsis.
  const kept: (string | undefined)[] = [...texts];
  let over = join(kept).length - max;
  while (over > 0) {
    let i = -1;
    for (let k = 0; k < kept.length; k++) if (kept[k] !== undefined && (i < 0 || kept[k]!.length > kept[i]!.length)) i = k;
    if (i < 0) break;
    const cur = kept[i]!;
    const room = cur.endsWith('\u2026') ? cur.length - 1 : cur.length;
    const next = room - over - (cur.endsWith('\u2026') ? 0 : 1);
    if (next >= 6) kept[i] = `${texts[i].slice(0, next)}\u2026`;
    else kept[i] = undefined;
    over = join(kept).length - max;
  }
  return join(kept);
}

const VPC_CIDRS_MAX = 40;

/** How many characters of a name a route table's badge shows whole (reference.ts badgeLabel). */
export const BADGE_CHARS = 22;
/** The shortest prefix shared by every name of a VPC that is left out of them (dropSharedPrefixes). */
const SHARED_PREFIX_MIN = 6;

/**
 * A VPC's ranges for its box's second line: each whole (an IPv6 prefix cut in its middle reads as another
 * prefix), as many as fit VPC_CIDRS_MAX characters, then how many more (the hover card lists them all).
 */
export function cidrList(cidrs: readonly string[]): string {
  let out = '';
  let i = 0;
  for (; i < cidrs.length; i++) {
    const next = out ? `${out}, ${cidrs[i]}` : cidrs[i];
    const more = i < cidrs.length - 1 ? ` +${cidrs.length - 1 - i}`.length : 0;
    if (next.length + more > VPC_CIDRS_MAX && out) break;
    out = next;
  }
  return i < cidrs.length ? `${out} +${cidrs.length - i}` : out;
}
/** Every trace in the result, forward and return, egress and simulations. */
export function allTraces(result: AnalysisResult): PathTrace[] {
  const out: PathTrace[] = [];
  for (const e of result.egress) {
    out.push(e.forward);
    if (e.return) out.push(e.return);
  }
  for (const s of result.simulations ?? []) out.push(...simulationTraces(s));
  return out;
}

export function simulationTraces(s: FlowSimulation): PathTrace[] {
  return s.return ? [s.forward, s.return] : [s.forward];
}

export function pathEdgeId(a: string, b: string): string {
  return `p:${a}->${b}`;
}

type NodeInput = Omit<GraphNode, 'findings' | 'width' | 'height' | 'details'> & {
  details?: [string, string][];
  /** The name as drawn when it is not the whole `label` (a prefix every name of its VPC shares left out); the hover card has `label`. */
  shown?: string;
  sub?: string;
  /** The second line is bounded already (a VPC's ranges, each whole: cidrList): not shortened again. */
  subWhole?: boolean;
};

interface FindingSummary {
  n: number;
  sev?: Severity;
  messages: string[];
}

/**
 * Builds the graph in stages, each a method, in this order: containers (VPCs, subnets in AZs),
 * resources in their subnets, route tables and associations, PrivateLink and attachment edges, then
 * the hops of every trace. Later stages find earlier nodes by id, so the order matters.
 */
class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  private readonly els: NetworkElement[];
  private readonly byId = new Map<string, NetworkElement>();
  private readonly findingsOf = new Map<string, FindingSummary>();
  /** Hop elements drawn by another node: the GWLB service target of several endpoints is one node. */
  private readonly alias = new Map<string, string>();
  private readonly peered = new Set<string>();

  constructor(private readonly result: AnalysisResult) {
    this.els = result.model.elements;
    for (const e of this.els) this.byId.set(e.id, e);
    for (const f of result.findings) {
      const cur = this.findingsOf.get(f.elementId) ?? { n: 0, messages: [] };
      cur.n++;
      if (!cur.sev || SEVERITY_RANK[f.severity] > SEVERITY_RANK[cur.sev]) cur.sev = f.severity;
      if (cur.messages.length < 4) cur.messages.push(`${f.severity}: ${f.code}: ${f.message}`);
      this.findingsOf.set(f.elementId, cur);
    }
  }

  /** What each node was made from, to redo its label when a later stage learns more of it (markPassThrough). */
  private readonly inputs = new Map<string, NodeInput>();

  private addNode(n: NodeInput): GraphNode {
    this.inputs.set(n.id, n);
    const f = n.element ? this.findingsOf.get(n.element) : undefined;
    const badge = f ? `  \u2691${f.n}` : '';
    const name = n.shown ?? n.label;
    const label = (n.sub ? `${shorten(name)}\n${n.subWhole ? n.sub : shorten(n.sub)}` : shorten(name)) + badge;
    const details: [string, string][] = [
      ['kind', kindLabel(n.kind)],
      ['name', n.label],
      ...(n.element && n.element !== n.label ? [['id', n.element] as [string, string]] : []),
      ...(n.details ?? []),
    ];
    if (f) for (const m of f.messages) details.push(['finding', m]);
    if (n.loc) details.push(['source', `${n.loc.file}:${n.loc.range.start.line + 1}`]);
    const { sub: _sub, subWhole: _whole, shown: _shown, ...rest } = n;
    const node: GraphNode = { ...rest, label, details, findings: f?.n ?? 0, severity: f?.sev, ...sizeFor(label, n.kind) };
    this.nodes.set(node.id, node);
    return node;
  }

  private addEdge(e: GraphEdge): void {
    if (e.source === e.target) return;
    if (!this.edges.has(e.id)) this.edges.set(e.id, e);
  }

  /** Account / region group of an element, created on demand. */
  private groupFor(e: NetworkElement): string | undefined {
    const region = str(e.region);
    if (!e.account && !region) return undefined;
    const id = `grp:${e.cloud}:${e.account ?? ''}:${region ?? ''}`;
    if (!this.nodes.has(id)) this.addNode({ id, kind: 'group', label: [e.cloud, e.account, region].filter(Boolean).join(' \u00b7 ') });
    return id;
  }

  /** A VPC that only an Aviatrix gateway names by a literal id gets a synthetic box, so the gateway sits in it. */
  private vpcNode(r: Ref | undefined, textFallback?: string, near?: NetworkElement): string | undefined {
    const id = ref(r);
    if (id && this.nodes.has(id)) return id;
    const text = textFallback ?? (r && typeof r === 'object' ? r.text : id);
    if (!text) return undefined;
    const sid = `vpcx:${text}`;
    if (!this.nodes.has(sid))
      this.addNode({
        id: sid,
        parent: near ? this.groupFor(near) : undefined,
        kind: 'vpc',
        label: `VPC ${text}`,
        sub: 'not in the inputs',
        synthetic: true,
        vpc: sid,
      });
    return sid;
  }

  private azNode(vpc: string | undefined, az: string | undefined): string | undefined {
    if (!vpc || !az) return vpc;
    const id = `az:${vpc}:${az}`;
    if (!this.nodes.has(id)) this.addNode({ id, parent: vpc, kind: 'az', label: az, vpc });
    return id;
  }

  private vpcOfSubnet(r: Ref | undefined): string | undefined {
    const id = ref(r);
    return id ? this.nodes.get(id)?.vpc : undefined;
  }

  private inSubnetOrVpc(subnet: Ref | undefined, vpc: Ref | undefined): { parent?: string; vpc?: string } {
    const sid = ref(subnet);
    if (sid && this.nodes.has(sid)) return { parent: sid, vpc: this.nodes.get(sid)!.vpc };
    const vid = ref(vpc);
    if (vid && this.nodes.has(vid)) return { parent: vid, vpc: vid };
    return {};
  }

  addVpcs(): void {
    const stateOf = new Map(this.result.states.map((s) => [s.vpc, s]));
    for (const v of this.els) {
      if (v.kind !== 'vpc') continue;
      const st = stateOf.get(v.id);
      const cidrs = v.cidrs.map((c) => str(c) ?? '?').join(', ');
      this.addNode({
        id: v.id,
        parent: this.groupFor(v),
        kind: 'vpc',
        label: `${v.flavor === 'vnet' ? 'VNet' : 'VPC'} ${v.name}`,
        sub: [cidrList(v.cidrs.map((c) => str(c) ?? '?')), st?.state].filter(Boolean).join(' \u00b7 '),
        subWhole: true,
        element: v.id,
        loc: v.loc,
        vpc: v.id,
        state: st?.state,
        details: [
          ['cidrs', cidrs],
          ...(st
            ? ([
                ['state', st.state],
                ['why', st.reason],
              ] as [string, string][])
            : []),
        ],
      });
    }
  }

  addSubnets(): void {
    for (const s of this.els) {
      if (s.kind !== 'subnet') continue;
      const vpc = ref(s.vpc) && this.nodes.has(ref(s.vpc)!) ? ref(s.vpc) : this.vpcNode(s.vpc, undefined, s);
      this.addNode({
        id: s.id,
        parent: this.azNode(vpc, str(s.az)),
        kind: 'subnet',
        label: s.name,
        // An IPv6-only subnet has no IPv4 range: its IPv6 prefix, else what it is.
        sub: s.ipv6Native ? (str(s.ipv6Cidr) ?? 'IPv6 only') : (str(s.cidr) ?? valText(s.cidr)),
        element: s.id,
        loc: s.loc,
        vpc,
        details: [
          ['cidr', valText(s.cidr) ?? '?'],
          ...(s.ipv6Cidr !== undefined ? ([['ipv6', valText(s.ipv6Cidr) ?? '?']] as [string, string][]) : []),
          ['az', valText(s.az) ?? '?'],
        ],
      });
    }
  }

  /**
   * Azure Virtual WAN hubs (which Egress Lens reads only as what their firewall, gateways, routing intent and
   * VNet connections name): a box each, in the region of what it holds or connects, so a secured hub's
   * firewall is drawn in its hub, between the VNets connected to it and the internet.
   */
  addVirtualHubs(): void {
    const near = new Map<string, NetworkElement>();
    const note = (hub: Ref | undefined, e: NetworkElement | undefined): void => {
      const id = ref(hub);
      if (id && e && !near.has(id)) near.set(id, e);
    };
    for (const e of this.els) if (e.kind === 'firewall') note(e.virtualHub, e);
    for (const e of this.els) {
      if (e.kind === 'virtualHubConnection') note(e.hub, this.byId.get(ref(e.vpc) ?? ''));
      else if (e.kind === 'hubVpnGateway' || e.kind === 'routingIntent') note(e.hub, e.region !== undefined ? e : undefined);
    }
    for (const [id, e] of near) {
      if (this.nodes.has(id)) continue;
      const hub = this.byId.get(id);
      this.addNode({
        id,
        parent: this.groupFor(e),
        kind: 'vpc',
        label: `Virtual hub ${hub?.name ?? id}`,
        sub: 'Virtual WAN hub',
        element: hub ? id : undefined,
        loc: hub?.loc,
        vpc: id,
        virtualHub: true,
        synthetic: hub === undefined,
      });
    }
  }

  /** Gateways, endpoints, instances and firewalls in their subnet or VPC; target groups last (they need their GWLB). */
  addResources(): void {
    const targetGroups: NetworkElement[] = [];
    for (const e of this.els) {
      const base = { id: e.id, element: e.id, loc: e.loc, label: e.name };
      switch (e.kind) {
        case 'natgw':
          this.addNode({
            ...base,
            ...this.inSubnetOrVpc(e.subnet, undefined),
            kind: 'natgw',
            sub: `NAT ${str(e.privateIp) ?? e.connectivity}`,
            details: [
              ['connectivity', e.connectivity],
              ['private ip', valText(e.privateIp) ?? '?'],
              ['public ip', valText(e.publicIp) ?? '?'],
            ],
          });
          break;
        case 'gwlbe':
          this.addNode({
            ...base,
            ...this.inSubnetOrVpc(e.subnet, e.vpc),
            kind: 'gwlbe',
            sub: 'GWLB endpoint',
            details: [['service', valText(e.service) ?? '?']],
          });
          break;
        case 'instance':
          this.addNode({
            ...base,
            ...this.inSubnetOrVpc(e.subnet, undefined),
            kind: 'instance',
            sub: str(e.privateIp),
            details: [['private ip', valText(e.privateIp) ?? '?']],
          });
          break;
        case 'firewall': {
          // A secured Virtual WAN hub's firewall (no subnet of ours) sits in its hub.
          const at = this.inSubnetOrVpc(
            e.subnet,
            e.vpc ?? (this.nodes.get(ref(e.virtualHub) ?? '')?.virtualHub ? e.virtualHub : undefined),
          );
          const tgw = ref(e.tgw);
          this.addNode({
            ...base,
            ...at,
            kind: 'firewall',
            sub: e.vendor ?? 'firewall',
            details: [
              ['vendor', e.vendor ?? '?'],
              ...(tgw ? ([['attached to', tgw]] as [string, string][]) : [['private ip', valText(e.privateIp) ?? '?'] as [string, string]]),
            ],
            ...(tgw && !at.parent ? { attachedTo: tgw } : {}),
          });
          break;
        }
        case 'igw':
        case 'eigw':
        case 'vgw':
          this.addNode({ ...base, ...this.inSubnetOrVpc(undefined, e.vpc), kind: e.kind, sub: kindLabel(e.kind) });
          break;
        case 'gwlb': {
          const vpc = ref(e.vpc) ?? e.subnets.map((s) => this.vpcOfSubnet(s)).find(Boolean);
          this.addNode({
            ...base,
            ...this.inSubnetOrVpc(undefined, vpc),
            kind: 'gwlb',
            sub: 'GWLB',
            details: [['cross-zone', valText(e.crossZone) ?? '?']],
          });
          break;
        }
        case 'targetGroup':
        case 'loadBalancer':
          targetGroups.push(e);
          break;
        case 'tgw':
          this.addNode({ ...base, parent: this.groupFor(e), kind: 'tgw', sub: 'transit gateway' });
          break;
        case 'aviatrixGateway': {
          const vpc = this.vpcNode(e.vpc, ref(e.vpc) && this.nodes.has(ref(e.vpc)!) ? undefined : e.vpcIdText, e);
          this.addNode({
            ...base,
            parent: vpc,
            vpc,
            kind: 'aviatrixGateway',
            sub: `Aviatrix ${e.role} \u00b7 ${str(e.size) ?? '?'}`,
            details: [
              ['role', e.role],
              ['size', valText(e.size) ?? '?'],
              ['snat', valText(e.snat) ?? '?'],
              ...(e.egressCapability !== undefined ? ([['transit egress', valText(e.egressCapability) ?? '?']] as [string, string][]) : []),
            ],
          });
          break;
        }
        case 'unmodelled':
          if (e.role === 'endpoint') this.addUnmodelledEndpoint(e);
          break;
        case 'hubVpnGateway':
          if (this.nodes.get(ref(e.hub) ?? '')?.virtualHub)
            this.addNode({ ...base, ...this.inSubnetOrVpc(undefined, e.hub), kind: e.kind, sub: 'VPN gateway' });
          break;
        default:
          break;
      }
    }
    for (const e of targetGroups)
      if (e.kind === 'targetGroup') this.addTargetGroup(e);
      else if (e.kind === 'loadBalancer') this.addLoadBalancer(e);
    // A firewall attached to a TGW natively lives where its TGW does (its account / region group).
    for (const n of this.nodes.values()) {
      const tgw = n.attachedTo ? this.nodes.get(n.attachedTo) : undefined;
      if (!tgw) delete n.attachedTo;
      else if (!n.parent && tgw.parent) n.parent = tgw.parent;
    }
    // Vpc membership of nodes placed directly under a VPC or AZ.
    for (const n of this.nodes.values()) if (!n.vpc && n.parent) n.vpc = this.nodes.get(n.parent)?.vpc;
  }

  /**
   * Something packets are sent to that Egress Lens does not model (a vendor's firewall endpoints): a
   * dashed chip in every subnet it is placed in (the same element, `<id>@<subnet>` after the first),
   * else in its VPC, so the diagram shows where the paths it makes Unknown were going.
   */
  private addUnmodelledEndpoint(e: Extract<NetworkElement, { kind: 'unmodelled' }>): void {
    const refs = e.touches.map(ref).filter((id): id is string => id !== undefined && this.nodes.has(id));
    const subnets = refs.filter((id) => this.nodes.get(id)!.kind === 'subnet');
    const homes = subnets.length ? subnets : refs.filter((id) => this.nodes.get(id)!.kind === 'vpc').slice(0, 1);
    homes.forEach((home, i) =>
      this.addNode({
        id: i === 0 ? e.id : `${e.id}@${home}`,
        element: e.id,
        loc: e.loc,
        label: e.name,
        parent: home,
        vpc: this.nodes.get(home)!.vpc,
        kind: 'unmodelled',
        sub: 'not modelled',
        details: [
          ['type', e.resourceType],
          ['what', e.what],
        ],
      }),
    );
  }

  /**
   * An Azure internal load balancer: in its (first private) frontend's subnet, with a target edge to each NVA of
   * its backend pools (drawn after the firewalls, which it points at).
   */
  private addLoadBalancer(e: Extract<NetworkElement, { kind: 'loadBalancer' }>): void {
    const f = e.frontends.find((x) => x.subnet !== undefined);
    this.addNode({
      id: e.id,
      element: e.id,
      loc: e.loc,
      label: e.name,
      ...this.inSubnetOrVpc(f?.subnet, undefined),
      kind: 'loadBalancer',
      sub: `internal LB ${str(f?.privateIp) ?? ''}`.trim(),
      details: [
        ['frontend', f ? `${f.name} ${valText(f.privateIp) ?? ''}`.trim() : '?'],
        ['rules', e.rules.map((r) => r.name).join(', ') || 'none in the inputs'],
      ],
    });
    for (const p of e.pools)
      for (const m of p.members)
        if (m.appliance !== undefined && this.nodes.has(m.appliance))
          this.addEdge({ id: `t:${e.id}->${m.appliance}`, source: e.id, target: m.appliance, kind: 'target' });
  }

  private addTargetGroup(e: Extract<NetworkElement, { kind: 'targetGroup' }>): void {
    const lb = ref(e.loadBalancer);
    const vpc = ref(e.vpc) ?? (lb ? this.nodes.get(lb)?.vpc : undefined);
    this.addNode({
      id: e.id,
      element: e.id,
      loc: e.loc,
      label: e.name,
      ...this.inSubnetOrVpc(undefined, vpc),
      kind: 'targetGroup',
      sub: `targets ${e.protocol ?? ''}${e.port ? ':' + e.port : ''}`.trim(),
    });
    if (lb && this.nodes.has(lb)) this.addEdge({ id: `t:${lb}->${e.id}`, source: lb, target: e.id, kind: 'target' });
    for (const t of e.targets) {
      const tid = ref(t);
      if (tid && this.nodes.has(tid)) this.addEdge({ id: `t:${e.id}->${tid}`, source: e.id, target: tid, kind: 'target' });
    }
  }

  /** Route tables with an edge per distinct target, subnet associations and IGW edge associations. */
  addRouteTables(): void {
    for (const e of this.els) {
      if (e.kind !== 'routeTable') continue;
      const vpc = ref(e.vpc);
      this.addNode({
        id: e.id,
        element: e.id,
        loc: e.loc,
        label: e.name,
        parent: vpc && this.nodes.has(vpc) ? vpc : undefined,
        vpc,
        kind: 'routeTable',
        sub: `${e.routes.length} route${e.routes.length === 1 ? '' : 's'}${e.main ? ' \u00b7 main' : ''}`,
        details: e.routes
          .slice(0, 12)
          .map(
            (r) =>
              [
                'route',
                `${'cidr' in r.destination ? valText(r.destination.cidr) : valText(r.destination.prefixList)} -> ${r.target.kind}${ref(r.target.ref) ? ' ' + ref(r.target.ref) : ''}${r.state === 'blackhole' ? ' (blackhole)' : ''}`,
              ] as [string, string],
          ),
      });
      for (const r of e.routes) {
        const t = ref(r.target.ref);
        if (!t || !this.nodes.has(t)) continue;
        const dest = 'cidr' in r.destination ? valText(r.destination.cidr) : valText(r.destination.prefixList);
        const id = `r:${e.id}->${t}`;
        const prev = this.edges.get(id);
        if (prev) prev.label = `${prev.label}, ${dest}`;
        else this.addEdge({ id, source: e.id, target: t, kind: 'route', label: dest });
      }
    }
    for (const e of this.els) {
      if (e.kind !== 'rtAssociation') continue;
      const rt = ref(e.routeTable);
      if (!rt || !this.nodes.has(rt)) continue;
      const s = ref(e.subnet);
      const g = ref(e.gateway);
      if (s && this.nodes.has(s)) this.addEdge({ id: `a:${s}->${rt}`, source: s, target: rt, kind: 'assoc' });
      if (g && this.nodes.has(g)) this.addEdge({ id: `a:${g}->${rt}`, source: g, target: rt, kind: 'edgeAssoc', label: 'edge' });
    }
  }

  /** PrivateLink (GWLB endpoint -> endpoint service -> GWLB), TGW attachments, peerings, hub connections, spoke-to-transit. */
  addConnections(): void {
    for (const e of this.els) {
      if (e.kind !== 'gwlbe') continue;
      const svc = ref(e.service);
      const se = svc ? this.byId.get(svc) : undefined;
      if (se?.kind !== 'endpointService') continue;
      for (const lb of se.loadBalancers) {
        const l = ref(lb);
        if (l && this.nodes.has(l))
          this.addEdge({ id: `pl:${e.id}->${l}`, source: e.id, target: l, kind: 'privatelink', label: 'PrivateLink' });
      }
    }
    for (const e of this.els) {
      if (e.kind === 'tgwAttachment') {
        const v = ref(e.vpc);
        const t = ref(e.tgw);
        if (v && t && this.nodes.has(v) && this.nodes.has(t))
          this.addEdge({
            id: `at:${e.id}`,
            source: v,
            target: t,
            kind: 'attach',
            label: applianceLabel(e.applianceMode),
          });
      } else if (e.kind === 'peering') {
        const v = ref(e.vpc);
        const p = ref(e.peerVpc);
        // A peering is written from both sides (hub-to-spoke, spoke-to-hub): one line per pair of VNets.
        const pair = [v, p].sort().join('|');
        if (v && p && this.nodes.has(v) && this.nodes.has(p) && !this.peered.has(pair)) {
          this.peered.add(pair);
          this.addEdge({ id: `pe:${e.id}`, source: v, target: p, kind: 'peer', label: 'peering' });
        }
      } else if (e.kind === 'virtualHubConnection') {
        const v = ref(e.vpc);
        const hub = ref(e.hub);
        if (v && hub && this.nodes.has(v) && this.nodes.get(hub)?.virtualHub)
          this.addEdge({ id: `hc:${e.id}`, source: v, target: hub, kind: 'peer', label: 'hub connection' });
      } else if (e.kind === 'aviatrixGateway' && e.role === 'spoke') {
        const t = ref(e.transit);
        if (t && this.nodes.has(t)) this.addEdge({ id: `at:${e.id}->${t}`, source: e.id, target: t, kind: 'attach' });
      }
    }
  }

  /**
   * A TGW attachment a path crosses is drawn as a chip that names its appliance mode, joined to the
   * TGW by the path's own edges: the VPC-to-TGW line with the same label would only repeat it
   * (across the VPC, its label over the VPC's resources).
   */
  dropDrawnAttachments(): void {
    for (const e of this.els)
      if (e.kind === 'tgwAttachment' && this.nodes.get(e.id)?.kind === 'tgwAttachment') this.edges.delete(`at:${e.id}`);
  }

  /** Every hop gets a node: the internet, or a synthetic one when the trace names something the model lacks. */
  private ensureHop(h: Hop): string {
    if (h.kind === 'internet') {
      if (!this.nodes.has(INTERNET_ID)) this.addNode({ id: INTERNET_ID, kind: 'internet', label: 'Internet' });
      return INTERNET_ID;
    }
    // The appliances behind a GWLB endpoint service the inputs do not hold: one node per service,
    // however many endpoints reach it (placeServiceTargets puts it in the inspection VPC).
    if (h.kind === 'gwlbFirewall' && !this.nodes.has(h.element) && !this.byId.has(h.element) && h.name) {
      const id = `svc:${h.name}`;
      this.alias.set(h.element, id);
      if (!this.nodes.has(id))
        this.addNode({
          id,
          element: h.element,
          loc: h.loc,
          label: h.name,
          kind: 'gwlbFirewall',
          sub: 'GWLB service target',
          synthetic: true,
        });
      return id;
    }
    // A pick of a Network Firewall's endpoints that does not say which AZ's (`<fw>#EndpointIds[N]`, a custom
    // resource's `<fw>#value[...]`) is drawn as the firewall itself: a chip of its own, beside the endpoints
    // drawn in their subnets, would read as one endpoint more (four chips for a firewall's two endpoints).
    // The narration names the pick; a pick in a named zone keeps its chip.
    const pick = parsePickId(h.element);
    if (pick && pick.zone === undefined && !this.byId.has(h.element) && this.nodes.get(pick.firewall)?.kind === 'firewall') {
      this.alias.set(h.element, pick.firewall);
      return pick.firewall;
    }
    if (!this.nodes.has(h.element)) {
      // A network interface the path crosses sits in its subnet (a firewall's inside and outside
      // interfaces in the inside and outside subnets, as engineers draw them), else in the VPC.
      const el = this.byId.get(h.element);
      const sub = el?.kind === 'eni' ? ref(el.subnet) : undefined;
      const parent = sub && this.nodes.get(sub)?.kind === 'subnet' ? sub : h.vpc && this.nodes.has(h.vpc) ? h.vpc : undefined;
      this.addNode({
        id: h.element,
        element: h.element,
        loc: h.loc,
        label: h.name || h.element,
        parent,
        vpc: sub && parent === sub ? this.nodes.get(sub)!.vpc : parent,
        kind: h.kind === 'gwlbFirewall' ? 'gwlbFirewall' : h.kind,
        sub: (el?.kind === 'tgwAttachment' ? applianceLabel(el.applianceMode) : undefined) ?? kindLabel(h.kind),
        synthetic: true,
      });
    }
    return h.element;
  }

  private isAncestor(a: string, b: string): boolean {
    for (let cur = this.nodes.get(b)?.parent, n = 0; cur && n < 64; cur = this.nodes.get(cur)?.parent, n++) if (cur === a) return true;
    return false;
  }

  /** One path edge per consecutive hop pair of every trace, marked forward when any forward leg takes it. */
  addPaths(): void {
    for (const t of allTraces(this.result)) {
      let prev: string | undefined;
      for (const h of t.hops) {
        const id = this.ensureHop(h);
        // A hop from a VPC to the gateway inside it (Aviatrix local egress) is containment, not an edge:
        // cytoscape would draw it as a loop around the box.
        if (prev !== undefined && !this.isAncestor(prev, id) && !this.isAncestor(id, prev)) {
          const leg = t.direction === 'return' ? 'return' : 'forward';
          const known = this.edges.get(pathEdgeId(prev, id));
          if (known) {
            if (leg === 'forward') known.leg = 'forward';
          } else this.addEdge({ id: pathEdgeId(prev, id), source: prev, target: id, kind: 'path', leg });
        }
        prev = id;
      }
    }
    if (!this.nodes.has(INTERNET_ID) && this.els.some((e) => e.kind === 'igw'))
      this.addNode({ id: INTERNET_ID, kind: 'internet', label: 'Internet' });
    if (this.nodes.has(INTERNET_ID)) {
      for (const e of this.els)
        if (e.kind === 'igw' && this.nodes.has(e.id)) this.addEdge({ id: `i:${e.id}`, source: e.id, target: INTERNET_ID, kind: 'attach' });
    }
  }

  /**
   * A prefix every name in a VPC shares (`CHANGEME-spoke1-vpc-alb1`, `CHANGEME-spoke1-vpc-web1`, ... `CHANGEME-igw`: a
   * placeholder prefix, a project's naming scheme) eats the room of what tells the names apart: it is left out of every
   * name drawn in the VPC (`…spoke1-vpc-alb1`), kept in the VPC's own label and in each hover card (F235). Only a prefix
   * of SHARED_PREFIX_MIN characters or more ending at a separator, in a VPC where some name is longer than a route
   * table's badge shows whole, and only where every name keeps three characters or more.
   */
  dropSharedPrefixes(): void {
    const inVpc = new Map<string, NodeInput[]>();
    for (const n of this.nodes.values()) {
      const input = this.inputs.get(n.id);
      if (!n.vpc || n.id === n.vpc || !input || n.kind === 'az' || n.kind === 'group' || n.kind === 'vpc') continue;
      const list = inVpc.get(n.vpc);
      if (list) list.push(input);
      else inVpc.set(n.vpc, [input]);
    }
    for (const list of inVpc.values()) {
      if (list.length < 3 || !list.some((n) => n.label.length > BADGE_CHARS)) continue;
      let prefix = list[0].label;
      for (const n of list) {
        let i = 0;
        while (i < prefix.length && i < n.label.length && prefix[i] === n.label[i]) i++;
        prefix = prefix.slice(0, i);
      }
      // Back to the last separator: a prefix that ends inside a word would cut the word that tells names apart.
      let cut = prefix.length;
      while (cut > 0 && !/[-_./: ]/.test(prefix[cut - 1])) cut--;
      if (cut < SHARED_PREFIX_MIN || list.some((n) => n.label.length - cut < 3)) continue;
      for (const n of list) this.addNode({ ...n, shown: `\u2026${n.label.slice(cut)}` });
    }
  }

  /**
   * GWLB targets that pass every packet back uninspected (hop.enforcement.passes on every hop that draws them, F201):
   * their target group (or service target) and the appliances registered in it are drawn as pass-through, not as
   * enforcement points: a second line saying so, the reason in the hover card, no firewall's look (style.ts).
   */
  markPassThrough(): void {
    const why = new Map<string, string | undefined>();
    for (const t of allTraces(this.result))
      for (const h of t.hops) {
        if (!h.enforcement) continue;
        const id = this.alias.get(h.element) ?? h.element;
        // One hop that inspects there makes it an enforcement point (another AZ's firewall behind the same group).
        why.set(id, why.has(id) && why.get(id) === undefined ? undefined : h.enforcement.passes);
      }
    const mark = (id: string, reason: string, sub: (old: string | undefined) => string): void => {
      const input = this.inputs.get(id);
      const node = this.nodes.get(id);
      if (!input || !node || node.passthrough) return;
      const kind: [string, string] = ['kind', `${kindLabel(input.kind)} (pass-through: inspects nothing)`];
      const made = this.addNode({
        ...input,
        sub: sub(input.sub),
        details: [...(input.details ?? []), ['role', `pass-through: ${reason}`]],
      });
      made.details[0] = kind;
      made.passthrough = reason;
    };
    for (const [id, reason] of why) {
      const n = this.nodes.get(id);
      if (reason === undefined || !n) continue;
      const tagged = (old: string | undefined): string => (old ? `${old} \u00b7 pass-through` : 'pass-through');
      if (n.kind === 'targetGroup') mark(id, reason, tagged);
      else if (n.kind === 'gwlbFirewall') mark(id, reason, () => 'GWLB pass-through target');
      else continue;
      for (const e of this.edges.values())
        if (e.kind === 'target' && e.source === id && this.nodes.get(e.target)?.kind !== 'targetGroup') mark(e.target, reason, tagged);
    }
  }

  /**
   * A GWLB service target outside the inputs sits in the inspection VPC when the inputs show which
   * one that is: the one VPC whose subnets are all firewall-tier and that has no egress of its own
   * (the appliances' VPC); else it stays outside every VPC rather than in a guessed one.
   */
  placeServiceTargets(): void {
    const targets = [...this.nodes.values()].filter((n) => n.id.startsWith('svc:') && !n.parent);
    if (!targets.length) return;
    const stateOf = new Map(this.result.states.map((s) => [s.vpc, s.state]));
    const subnetsOf = new Map<string, GraphNode[]>();
    for (const n of this.nodes.values()) if (n.kind === 'subnet' && n.vpc) subnetsOf.set(n.vpc, [...(subnetsOf.get(n.vpc) ?? []), n]);
    const candidates = [...subnetsOf.entries()].filter(
      ([vpc, subs]) => (stateOf.get(vpc) === 'Inspection' || stateOf.get(vpc) === 'No Egress') && subs.every((s) => s.tier === 'firewall'),
    );
    if (candidates.length !== 1) return;
    const [vpc] = candidates[0];
    for (const t of targets) {
      t.parent = vpc;
      t.vpc = vpc;
    }
  }

  /** Each subnet's tier, from what it holds, its default route and its name (tier.ts). */
  addTiers(): void {
    const holds = new Map<string, string[]>();
    for (const n of this.nodes.values())
      if (n.parent && this.nodes.get(n.parent)?.kind === 'subnet') {
        const list = holds.get(n.parent) ?? [];
        list.push(n.kind);
        holds.set(n.parent, list);
      }
    const rtOf = new Map<string, string>();
    const attach = new Set<string>();
    for (const e of this.els) {
      if (e.kind === 'rtAssociation' && ref(e.subnet) && ref(e.routeTable)) rtOf.set(ref(e.subnet)!, ref(e.routeTable)!);
      else if (e.kind === 'tgwAttachment') for (const s of e.subnets) if (ref(s)) attach.add(ref(s)!);
    }
    for (const n of this.nodes.values()) {
      if (n.kind !== 'subnet') continue;
      const rt = rtOf.get(n.id);
      const table = rt ? this.byId.get(rt) : undefined;
      const defaultVia =
        table?.kind === 'routeTable'
          ? table.routes
              .filter((r) => 'cidr' in r.destination && (r.destination.cidr === '0.0.0.0/0' || r.destination.cidr === '::/0'))
              .map((r) => r.target.kind)
          : [];
      const el = this.byId.get(n.id);
      n.tier = subnetTier({
        name: el?.name ?? n.label,
        holds: holds.get(n.id) ?? [],
        defaultVia,
        tgwAttachment: attach.has(n.id),
      });
    }
  }

  /**
   * Twins: chips (and VPC boxes) of one kind and one name for different elements, as the instances of a module give (two
   * NVAs from `module.nva[0]` and `module.nva[1]`, each with a NIC named `private-nic`). Each name is
   * prefixed with the module instance that tells it apart (`nva[0]/private-nic`), or followed by the
   * resource's own instance key (`fw[a]`), as an engineer labels them. Twins whose ids differ otherwise
   * (the copies of a CloudFormation stack) keep their names: the hover card has their ids.
   */
  qualifyTwins(): void {
    const groups = new Map<string, GraphNode[]>();
    for (const n of this.nodes.values()) {
      if (!TWIN_KINDS.has(n.kind) || !n.element) continue;
      const key = `${n.kind}\u0000${this.byId.get(n.element)?.name ?? n.label.split('\n')[0]}`;
      groups.set(key, [...(groups.get(key) ?? []), n]);
    }
    for (const list of groups.values()) {
      const paths = new Map(list.map((n) => [n.element!, addressSegments(n.element!)]));
      if (paths.size < 2) continue;
      for (const n of list) {
        const q = instanceQualifier(paths.get(n.element!)!, [...paths.values()]);
        if (!q) continue;
        const lines = n.label.split('\n');
        const flag = lines.length === 1 ? (/\s+\u2691\d+$/.exec(lines[0])?.[0] ?? '') : '';
        // A VPC's box label reads `VNet <name>`: the kind word stays in front.
        const word = n.kind === 'vpc' ? (/^(VPC|VNet) /.exec(lines[0])?.[0] ?? '') : '';
        const name =
          this.inputs.get(n.id)?.shown ?? this.byId.get(n.element!)?.name ?? lines[0].slice(word.length, lines[0].length - flag.length);
        lines[0] = word + shorten(q.startsWith('[') ? `${name}${q}` : `${q}/${name}`) + flag;
        n.label = lines.join('\n');
        n.details.splice(2, 0, ['instance', q]);
        Object.assign(n, sizeFor(n.label, n.kind));
      }
    }
  }

  finish(): Graph {
    // Drop parents that point at nothing (a hop naming an absent VPC, an unknown subnet).
    for (const n of this.nodes.values()) if (n.parent && !this.nodes.has(n.parent)) n.parent = undefined;
    return {
      nodes: [...this.nodes.values()],
      edges: [...this.edges.values()],
      repOf: new Map([...[...this.nodes.keys()].map((k): [string, string] => [k, k]), ...this.alias]),
      collapsed: false,
    };
  }
}

/** The kinds of chip whose twins (same kind, same name) are told apart by their instance (qualifyTwins). */
const TWIN_KINDS = new Set<NodeKind>([
  'firewall',
  'gwlbFirewall',
  'eni',
  'instance',
  'gwlbe',
  'natgw',
  'loadBalancer',
  'aviatrixGateway',
  // VNets of one module called once per role (`module.hub-vnet`, `module.spoke-vnet`), all named `vnet`.
  'vpc',
]);

/** A Terraform address in its dot-separated parts, a dot inside an instance key (`["10.0.0.0/16"]`) kept. */
export function addressSegments(id: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (const c of id) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '[') depth++;
    else if (!quoted && c === ']') depth = Math.max(0, depth - 1);
    if (c === '.' && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * What tells an address apart from its twins: the first part where it differs from one of them, when that
 * part is a module's instance (`nva[0]`, `nva[hub]`, or a module's name) or the resource's own instance key
 * (`[0]`, `[a]`); quotes dropped. Undefined when the addresses differ elsewhere (not Terraform addresses).
 */
export function instanceQualifier(own: string[], all: string[][]): string | undefined {
  let at = Infinity;
  for (const other of all) {
    if (other === own) continue;
    let i = 0;
    while (i < own.length && i < other.length && own[i] === other[i]) i++;
    at = Math.min(at, i);
  }
  if (!Number.isFinite(at) || at >= own.length) return undefined;
  const part = own[at].split('"').join('');
  const open = part.indexOf('[');
  if (at === own.length - 1) return open > 0 && part.endsWith(']') ? part.slice(open) : undefined;
  return open > 0 || own[at - 1] === 'module' ? part : undefined;
}

/** What a TGW attachment's edge or chip says of its appliance mode (the return's AZ stickiness). */
const applianceLabel = (on: unknown): string | undefined =>
  on === true ? 'appliance mode' : on === false ? 'appliance mode off' : undefined;

export function buildGraph(result: AnalysisResult, opts: GraphOptions = DEFAULT_GRAPH_OPTIONS): Graph {
  const b = new GraphBuilder(result);
  b.addVpcs();
  b.addSubnets();
  b.addVirtualHubs();
  b.addResources();
  if (opts.showRouteTables) b.addRouteTables();
  b.addConnections();
  b.addPaths();
  b.dropSharedPrefixes();
  b.markPassThrough();
  b.dropDrawnAttachments();
  b.addTiers();
  b.placeServiceTargets();
  b.qualifyTwins();
  const full = b.finish();
  if (!opts.forceCollapse && full.nodes.length <= opts.collapseThreshold) return full;
  return collapseToVpcs(full, opts.expanded);
}

/** The VPC-level view: each VPC not expanded becomes one node; edges are lifted to the VPC and deduplicated. */
export function collapseToVpcs(g: Graph, expanded: ReadonlySet<string>): Graph {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const rep = new Map<string, string>();
  const vpcAncestor = (n: GraphNode): string | undefined => {
    let cur: GraphNode | undefined = n;
    while (cur) {
      if (cur.kind === 'vpc') return cur.id;
      cur = cur.parent ? byId.get(cur.parent) : undefined;
    }
    return undefined;
  };
  const hiddenCount = new Map<string, number>();
  const kept: GraphNode[] = [];
  for (const n of g.nodes) {
    const v = vpcAncestor(n);
    if (v && v !== n.id && !expanded.has(v)) {
      rep.set(n.id, v);
      hiddenCount.set(v, (hiddenCount.get(v) ?? 0) + 1);
    } else {
      rep.set(n.id, n.id);
      kept.push(n);
    }
  }
  const nodes = kept.map((n) => {
    if (n.kind !== 'vpc' || expanded.has(n.id)) return n;
    const hidden = hiddenCount.get(n.id) ?? 0;
    const label = `${n.label}\n${hidden} inside \u00b7 double-click to expand`;
    const kind: NodeKind = 'vpcCollapsed';
    return { ...n, kind, hidden, label, ...sizeFor(label, 'vpc') };
  });
  const edges = new Map<string, GraphEdge>();
  for (const e of g.edges) {
    const s = rep.get(e.source) ?? e.source;
    const t = rep.get(e.target) ?? e.target;
    if (s === t) continue;
    const id = e.kind === 'path' ? pathEdgeId(s, t) : `${e.kind}:${s}->${t}`;
    if (!edges.has(id)) edges.set(id, { ...e, id, source: s, target: t, label: e.kind === 'path' ? undefined : e.label });
  }
  for (const [k, v] of g.repOf) if (!rep.has(k)) rep.set(k, rep.get(v) ?? v);
  return { nodes, edges: [...edges.values()], repOf: rep, collapsed: true };
}

/** The node that draws an element, or the node of the closest container (subnet, VPC) that is drawn. */
export function nodeForElement(result: AnalysisResult, g: Graph, element: string): string | undefined {
  const direct = g.repOf.get(element);
  if (direct) return direct;
  const e = result.model.elements.find((x) => x.id === element);
  if (!e) return undefined;
  const candidates: (Ref | undefined)[] = [];
  const rec = e as unknown as Record<string, unknown>;
  for (const k of ['routeTable', 'subnet', 'vpc', 'loadBalancer', 'tgw']) candidates.push(rec[k] as Ref | undefined);
  for (const c of candidates) {
    const id = ref(c);
    if (id && g.repOf.get(id)) return g.repOf.get(id);
  }
  return undefined;
}
