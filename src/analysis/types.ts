// The analysis output contract, shared by the analysis engine, the extension, the CLI and the webview.
// Plain data, JSON-serialisable.
import type { ElementKind, NetworkModel, SourceLocation } from '../model/types';
import type { ParseDiagnostic, TerraformRoot } from '../model/inputs';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

// Each rule module declares its code; the registry derives the union from them.
export type { RuleCode } from './rules/index';
import type { RuleCode } from './rules/index';

/** A hop is a model element (or the internet) that the packet is at. */
export type HopKind = ElementKind | 'internet' | 'gwlbFirewall';

export interface AddressTranslation {
  kind: 'snat' | 'unsnat' | 'nat11' | 'unnat11';
  from: string;
  to: string;
  /** The element doing it (NAT GW, IGW, spoke gateway). */
  by: string;
}

/** The route lookup that chose the next hop from this hop. */
export interface RouteDecision {
  routeTable: string;
  /** Route id (model Route.id), absent when the decision was implicit (PrivateLink, local delivery, GWLB hairpin). */
  route?: string;
  /** Destination as written: `0.0.0.0/0`, `10.0.2.0/24`, `pl-123`. */
  destination: string;
  /** Target as a short label: `nat-a`, `local`, `igw`. */
  target: string;
  loc?: SourceLocation;
  /** How the table was chosen: explicit subnet association, VPC main table, IGW edge association, TGW table. */
  association: 'explicit' | 'main' | 'edge' | 'tgw' | 'implicit';
}

export interface EnforcementPoint {
  /** `appliance`: an AWS instance that a route sends traffic to and that forwards it (a firewall VM). */
  kind: 'gwlb-firewall' | 'network-firewall' | 'aviatrix-dcf' | 'aviatrix-fqdn' | 'azure-nva' | 'transit-egress' | 'appliance';
  /** Element id of the enforcing thing (firewall/target group/GWLB, spoke gateway, NVA, appliance instance). */
  element: string;
  az?: string;
  /**
   * The endpoint the flow passed when no AZ tells it: a positional pick of a Network Firewall's unordered
   * endpoints (`<firewall>#EndpointIds[N]`), its endpoint in a named zone whose subnet is not known offline
   * (`<firewall>#zone[<az>]`), or what a CloudFormation custom resource given only the firewall returns
   * (`<firewall>#value[<resource>.<attribute>]`). The same pick is the same endpoint; another position or zone
   * another one (another custom resource value: not known).
   */
  endpoint?: string;
  /** An Azure Firewall deployed in a Virtual WAN hub (a secured hub): the hub's id. */
  hub?: string;
  /**
   * An appliance (`appliance`, `azure-nva`; a GWLB's targets that only pass packets back) that the inputs do not show to run a firewall nor NAT only
   * (ModelIndex.applianceRole): why (a forwarding instance whose software is not in the inputs). Its paths are
   * Unknown. (One that only translates is no enforcement point at all.)
   */
  unproven?: string;
  /**
   * A GWLB whose targets all only pass packets back (AWS's GWLB tunnel handler with its pass-through script): why.
   * The GWLB carries the flow, nothing inspects it: its paths are *bypass*, uninspected-egress names the targets.
   */
  passes?: string;
  /** What shows an appliance runs a firewall (its image, its bootstrap, its name), for the state's reason. */
  evidence?: string;
  /** What the appliance's packet filter or IDS, read from its user data, does with the egress (ApplianceEvidence.enforces). */
  enforces?: { cls: 'restricted' | 'partial' | 'permit-all'; policy: string };
  /** Its rules are in its user data, not walked (ApplianceEvidence.rulesInUserData): what they are, for the reason. */
  rulesInUserData?: string;
}

export interface Hop {
  /** 0-based position in the trace. */
  index: number;
  /**
   * Stage of the distributed-egress walk (1..6) this hop is at: 1 the source sends, 2 the NAT GW translates,
   * 3 the GWLB endpoint takes the packet, 4 the GWLB and firewall inspect it, 5 back at the endpoint and out
   * through the IGW, 6 the reply (docs/domain.md, section 1). Absent on hops of other shapes.
   */
  stage?: number;
  element: string;
  kind: HopKind;
  name: string;
  az?: string;
  vpc?: string;
  loc?: SourceLocation;
  /**
   * The route that sent the packet on from here (absent on the last hop), or, on a hop dropped because its route
   * table has no route for the destination (outcome `no-route`), that table: no `route`, `destination` the packet's
   * address, `target` `none`.
   */
  decision?: RouteDecision;
  translation?: AddressTranslation;
  enforcement?: EnforcementPoint;
  /** Packet addresses on leaving this hop. */
  srcIp?: string;
  dstIp?: string;
  /** One sentence of narration: "NAT GW nat-a translates 10.0.1.15 -> 10.0.2.10; route 0.0.0.0/0 -> vpce-a in rtb-nat-a". */
  note: string;
}

/** Why a packet was dropped (like Batfish's flow dispositions); rules switch on this, never on `reason`. */
export const DROP_CAUSES = [
  'no-route',
  'blackhole',
  'none-next-hop',
  'no-subnet',
  'no-transitive-peering',
  'no-nat-session',
  'reply-to-internet',
  'igw-not-attached',
  'ipv6-other-vpc',
  'private-nat',
  'no-tgw-attachment',
  'no-transit',
  'no-egress',
  'hop-limit',
  'source-dest-check',
  'no-public-ip',
  'ip-forwarding-off',
  'forwarded-traffic-refused',
  'no-default-outbound',
  'core-network-closed',
  'no-tgw-association',
] as const;
export type DropCause = (typeof DROP_CAUSES)[number];

/** Why the inputs cannot decide where a packet goes. */
export const UNKNOWN_CAUSES = ['unresolved-input', 'missing-input', 'no-route-table', 'unsupported-target', 'beyond-inputs'] as const;
export type UnknownCause = (typeof UNKNOWN_CAUSES)[number];

export type TraceOutcome =
  | { kind: 'delivered' }
  | { kind: 'dropped'; cause: DropCause; reason: string; at?: string }
  | { kind: 'loop'; at: string }
  | { kind: 'unknown'; cause: UnknownCause; reason: string; at?: string };

export interface PathTrace {
  id: string;
  direction: 'forward' | 'return';
  source: { element: string; ip: string };
  destination: { ip: string; domain?: string };
  hops: Hop[];
  outcome: TraceOutcome;
  /** Enforcement points passed, in order. */
  inspectedBy: EnforcementPoint[];
}

/** Egress of one subnet (or one VPC without modelled subnets): forward and, when the forward leg left, the return. */
export interface SubnetEgress {
  subnet: string;
  vpc: string;
  forward: PathTrace;
  return?: PathTrace;
  /** Hop index (in the return trace) where the return leg diverges from the forward leg's mirror. */
  divergence?: { returnHop: number; forwardHop?: number; reason: string };
  /**
   * 6 on the second egress of a dual-stack subnet (Subnet.dualStack): its IPv6 family, traced toward an IPv6
   * address (trace ids `<subnet>:ipv6:forward` / `:return`) beside the IPv4 egress the same `subnet` has first.
   * Absent on every other egress (an IPv6-only subnet's one egress included).
   */
  family?: 6;
  /**
   * On an extra egress of a subnet along a narrow route of its table (IPv4 /24 or longer, public addresses) to an
   * internet gateway, NAT gateway, peering or gateway, traced toward the route's first address that no longer route
   * of the table takes (trace ids `<subnet>:to:<cidr>:forward` / `:return`), listed after the same subnet's default
   * egress. Beside an inspected default it is kept when it reaches the internet uninspected; where the default does
   * not leave (no route for the internet in general), when it reaches the internet at all. trace/narrowExits.ts.
   */
  narrow?: NarrowEgress;
}

/** The narrow route an extra egress follows (SubnetEgress.narrow). */
export interface NarrowEgress {
  /** The route's id (Route.id). */
  route: string;
  /** Its destination CIDR, normalised. */
  destination: string;
}

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

export interface TextEdit {
  file: string;
  range: SourceLocation['range'];
  newText: string;
}

export interface FixSuggestion {
  title: string;
  /** Empty when the fix is advice only. */
  edits: TextEdit[];
}

export interface Finding {
  code: RuleCode;
  severity: Severity;
  message: string;
  /** The resource a user must change. */
  location: SourceLocation;
  elementId: string;
  related: RelatedLocation[];
  /** SubnetEgress ids (`subnet` values) or trace ids this finding is about. */
  traces?: string[];
  fix?: FixSuggestion;
  /** Only on a finding of AnalysisResult.suppressed: the `egress-lens:ignore` comment or Metadata that accepts it. */
  suppression?: { location: SourceLocation; reason?: string };
}

export type ProtectionState =
  | 'No Egress'
  | 'Unprotected'
  | 'Monitored'
  | 'Partially Protected'
  | 'Protected'
  | 'Unknown'
  /** A VPC that holds only enforcement points (firewalls, GWLB, their own subnets): not scored. */
  | 'Inspection'
  /** A VPC that holds only NAT gateways / internet gateway and TGW attachments carrying other VPCs' egress: not scored. */
  | 'Egress hub';

export const PROTECTION_STATES: ProtectionState[] = [
  'Protected',
  'Partially Protected',
  'Monitored',
  'Unprotected',
  'Unknown',
  'No Egress',
  'Inspection',
  'Egress hub',
];

export interface VpcState {
  vpc: string;
  name: string;
  state: ProtectionState;
  /** What decided the state, in one sentence naming the resources. */
  reason: string;
}

export interface EgressScore {
  /** round(100 * sum(w) / N) over VPCs with egress; null when N = 0 or every one of them is Unknown. */
  score: number | null;
  /** N: VPC/VNets with egress (Unknown included, weight 0). */
  counted: number;
  unknown: number;
  byState: Record<ProtectionState, number>;
  formula: string;
}

export interface FlowSpec {
  /** Source IP, or a subnet/VPC element id. */
  source: string;
  /** Destination IP or domain name. */
  destination: string;
  protocol: 'tcp' | 'udp' | 'icmp';
  port?: number;
  /** For http(s) flows to a domain: the SNI/Host the DCF WebGroups match on. */
  label?: string;
}

export interface FlowVerdict {
  /** Enforcement element id. */
  at: string;
  decision: 'allow' | 'deny' | 'unknown';
  policy?: string;
  policyName?: string;
  reason: string;
}

export type RoutingVerdictKind =
  | 'inspected'
  | 'uninspected'
  | 'return-uninspected'
  | 'asymmetric'
  | 'unprotected'
  | 'monitored'
  | 'return-dropped'
  | 'dropped'
  | 'loop'
  | 'unknown'
  | 'internal';

export interface RoutingVerdict {
  kind: RoutingVerdictKind;
  /** "ASYMMETRIC: SYN via gwlbe-b (us-east-1b), SYN-ACK via gwlbe-a (us-east-1a): a stateful firewall drops it". */
  headline: string;
  /** At most ~40 characters, for a CodeLens: "⚠ return via gwlbe-a (other AZ)". */
  short: string;
  /** True when the verdict is a defect (red on every surface). */
  bad: boolean;
}

export interface FlowSimulation {
  flow: FlowSpec;
  forward: PathTrace;
  return?: PathTrace;
  /** Where the return leg leaves the forward leg's mirror: the same test Trace uses (trace/divergence.ts). */
  divergence?: SubnetEgress['divergence'];
  /** The routing verdict of the two legs (analysis/verdict.ts), which every surface leads with. */
  routing?: RoutingVerdict;
  verdicts: FlowVerdict[];
  outcome: 'allowed' | 'denied' | 'dropped' | 'unknown';
  summary: string;
}

export interface AnalysisOptions {
  /** Test destination for the egress traces. Default 8.8.8.8. */
  destination?: string;
  severities?: Partial<Record<RuleCode, SeveritySetting>>;
}

export interface AnalysisResult {
  version: 1;
  model: NetworkModel;
  summary: {
    elements: number;
    byKind: Partial<Record<ElementKind, number>>;
    /** Files that gave elements. */
    files: number;
    /** What the front end read: files handed to the parsers, those that gave elements, and those skipped with why (CLI). */
    inputs?: { read: number; withElements: number; skipped: { file: string; reason: string }[] };
  };
  egress: SubnetEgress[];
  /** The findings, without those an `egress-lens:ignore` of the inputs accepts (`suppressed`). */
  findings: Finding[];
  /** Findings accepted by an `egress-lens:ignore` comment or Metadata (each with its `suppression`); absent when none. */
  suppressed?: Finding[];
  states: VpcState[];
  score: EgressScore;
  parseDiagnostics: ParseDiagnostic[];
  simulations: FlowSimulation[];
  timing: { parseMs: number; analysisMs: number };
  /**
   * Terraform root modules and the var files applied to each, set by the caller from the workspace
   * build. With several roots, ids of each root's elements start with `<label>:`.
   */
  terraformRoots?: TerraformRoot[];
}
