// CloudFormation templates (YAML with short tags, or JSON). Element ids are `cfn:<file>#<LogicalId>`.
// Intrinsics resolve only when the template alone decides them (literals, parameter Defaults,
// Mappings, !Cidr on literals), another template of the inputs does (parameters a deploying template
// gives, an !ImportValue joined to an export: cfnStacks.ts) or the user does (parameter values and the
// region: CfnUserValues); anything decided at deploy time (!GetAZs, conditions, other pseudo parameters,
// imports from stacks outside the inputs) stays Unresolved with its source text.
import {
  isUnresolved,
  unresolved,
  type Cloud,
  type FirewallLogging,
  type FirewallPolicy,
  type FirewallRule,
  type FirewallRuleGroup,
  type StatelessRule,
  type NetworkElement,
  type NetworkInterface,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  type RuleVariables,
  type SourceLocation,
  type SourceRange,
  type Subnet,
  type TgwRoute,
  type Unresolved,
  type Val,
  type Vpc,
} from '../model/types';
import { cidrSubnet, parseCidr } from '../model/cidr';
import { subnetOutsideNetwork } from './subnetRange';
import { overlappingSubnets } from './subnetOverlap';
import { where } from '../model/where';
import type { CfnExport, CfnParameterValue, CfnStackLink, CfnUserValues, Declaration, ModelFragment, ParseOptions } from './types';
import { joinImport, type ImportName } from './cfnStacks';
import type { ParseDiagnostic } from '../model/inputs';
import { entry, get, parseJsonTree, parseYamlTree, type CEntry, type CNode, type CTree } from './cfnTree';
import { FOR_EACH, expandSection, isLoopKey, type LoopHost } from './cfnForEach';
import { cfnUserDataText } from './cfnUserData';
import { cfnSuppressions } from './cfnSuppressions';
import { PANOS_VENDOR, firewallManager, ngfwFromTexts, type NgfwBootstrap } from './vocabulary/ngfw';
import { deviceIndexProblems, type LaunchSlot } from './vocabulary/deviceIndex';
import { applianceEvidence, forwardProxy } from './vocabulary/appliance';
import { panosBootstrapXml } from './vocabulary/panosPolicy';
import { LineMap } from './locate';
import { networkFirewallEndpointId } from './terraform/computed';
import { DESTINATION_PROPERTY, TOUCHABLE_KINDS, UNEXPANDED_LOOP, unmodelledCfnType, unmodelledMessage } from './vocabulary/unmodelled';
import { domainListRules, fiveTupleRule, statelessRule, suricataRules } from './vocabulary/firewallRules';
import {
  DEFAULT_ENDPOINT_TYPE,
  ENI_FIELDS,
  GWLB_ENDPOINT_TYPE,
  GWLB_TYPE,
  CLIENT_LB_TYPES,
  INTERNET_FACING_SCHEME,
  SOURCE_DEST_CHECK_DEFAULT,
  endpointTargetKind,
  ROUTE_TARGET_FIELDS,
  routeDestination,
  routeTarget,
} from './vocabulary/aws';

/** A value while evaluating intrinsics: a literal, a reference to a resource, a list, or Unresolved. */
type CVal =
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'ref'; id: string }
  | { k: 'list'; items: CVal[] }
  | { k: 'obj'; node: CNode }
  /** One "<az>:<endpoint-id>" string of a Network Firewall's EndpointIds: `id` is the endpoint's logical name. */
  | { k: 'nfwEndpoint'; id: string; firewall: string }
  /** A Network Firewall's whole EndpointIds joined with `sep` (`!Join [',', !GetAtt FW.EndpointIds]`). */
  | { k: 'nfwJoined'; firewall: string; sep: string }
  /**
   * What follows "<zone>:" in a joined EndpointIds, `zone` the end of an AZ name (`!Split ['a:', ...]`, item 1):
   * the endpoint of the firewall in the AZ whose name ends in `zone` (`endpoint`, a logical name, when the
   * mappings' AZs decide it; else `why`), then `sep` and the endpoints listed after it.
   */
  | { k: 'nfwAfterZone'; firewall: string; sep: string; zone: string; endpoint: string | { why: string } }
  /**
   * Position `position` of a Network Firewall's EndpointIds, which AWS does not order: one of the endpoints of
   * `firewall` (logical ids of its subnet-mapping endpoints); `id` is true for its endpoint-id part.
   */
  | { k: 'nfwSlot'; firewall: string; position: number; endpoints: string[]; id: boolean; reason: string }
  /** `byRegion`: one of a region-keyed mapping's rows (Unresolved.byRegion). */
  | {
      k: 'un';
      text: string;
      reason: string;
      byRegion?: Unresolved['byRegion'];
      prefixLength?: number;
      /** A subnet's IPv6 prefix (Unresolved.prefixOf); `prefixesOf`: the list of them (`!GetAtt X.Ipv6CidrBlocks`). */
      prefixOf?: string;
      prefixesOf?: string;
    };

export function cfnId(file: string, logicalId: string): string {
  return `cfn:${file}#${logicalId}`;
}

export function parseCloudFormation(file: string, text: string, opts?: ParseOptions): ModelFragment {
  const json = /^\s*[{[]/.test(text);
  const tree = json ? parseJsonTree(file, text) : parseYamlTree(file, text);
  const out: ModelFragment = { file, format: 'cloudformation', elements: [], diagnostics: tree.diagnostics };
  try {
    new Template(file, text, tree, out, opts?.cfnParameters, opts?.panosBootstrap, opts?.cfnExports, opts?.cfnUser).read();
  } catch (e) {
    out.diagnostics.push({
      code: 'internal-error',
      severity: 'error',
      message: `CloudFormation template could not be read: ${(e as Error).message}`,
      loc: tree.map.loc(file, 0, 0),
    });
  }
  return out;
}

interface Res {
  logicalId: string;
  type: string;
  entry: CEntry;
  props: CNode | undefined;
  /**
   * Why a routing resource may not exist: its Condition is false only by a parameter's Default, and it would change
   * the routing of what exists either way (Template.keptUndecided). Its route or association is modelled `undecided`.
   */
  undecided?: Unresolved;
}

/**
 * Routing resources that change what exists either way (a kept table's routes, a kept subnet's or gateway's
 * table): one whose Condition (or Fn::If) a parameter's Default alone decides is not decided by it (R16).
 */
const ROUTING_TYPES: ReadonlySet<string> = new Set([
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::GatewayRouteTableAssociation',
]);

/** Resource types a route may send traffic to that a Default may leave out with the route (a bypass's own gateway). */
const GATEWAY_TYPES: ReadonlySet<string> = new Set([
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::EC2::VPNGateway',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::Instance',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::VPCPeeringConnection',
]);

const NFW_TYPE = 'AWS::NetworkFirewall::Firewall';

/**
 * Resource types a VPC endpoint id (or what makes one) could come from, when a custom resource's properties name
 * one: endpoints, endpoint services and load balancers, what returns values of its own (custom resources, nested
 * stacks, provisioned products), stored parameters, and Network Firewall endpoint associations.
 */
const ENDPOINT_SOURCE_TYPE =
  /^(AWS::EC2::VPCEndpoint.*|AWS::ElasticLoadBalancingV2::.*|Custom::.*|AWS::CloudFormation::(CustomResource|Stack)|AWS::NetworkFirewall::VpcEndpointAssociation|AWS::ServiceCatalog::.*|AWS::SSM::Parameter)$/;

/**
 * IAM actions that write no route, association or attachment a packet's way depends on: reads of EC2, Network
 * Manager and Network Firewall, logs, tags, and transit gateway policy tables (which pick the route table for
 * traffic arriving over a Cloud WAN peering, beyond which the model does not follow: trace/cloudWan.ts). IAM
 * matches actions without case.
 */
const ROUTE_FREE_ACTION =
  /^(logs:[a-z*]+|ec2:(describe|get)[a-z*]*|ec2:(create|delete)tags|ec2:(create|delete|associate|disassociate)transitgatewaypolicytable|(networkmanager|network-firewall):(describe|get|list)[a-z*]*)$/i;

/** The AWS managed policy that lets a Lambda function write its logs, and nothing else. */
const BASIC_EXECUTION_POLICY = /^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/;

/** A `Fn::GetAtt` attribute that stands for the resource (its id or ARN), not one of its values. */
const NAMING_ATTR = /(Id|Ids|Arn)\d*$/;

const TAGS = new Set(['!Ref', '!Condition']);

/** Why `items` (a value, or a list's items) are not among parameter `p`'s AllowedValues (every one literal), if so. */
function outsideAllowedValues(p: CNode, items: string[], list: boolean): string | undefined {
  const allowedNodes = seqItems(get(p, 'AllowedValues'));
  const allowed = allowedNodes.flatMap((n) => (n.t === 'scalar' && n.value !== null && !n.tag ? [String(n.value)] : []));
  if (allowed.length > 0 && allowed.length === allowedNodes.length && items.some((i) => !allowed.includes(i)))
    return `is not ${list ? 'a list of' : 'one of'} its AllowedValues (${allowed.join(', ')})`;
  return undefined;
}

/** Longest value an AllowedPattern is tried on: CloudFormation values are short, and a pattern may backtrack. */
const PATTERN_VALUE_MAX = 256;

/**
 * Which of parameter `p`'s other constraints a value breaks (`items`: the value, or a list's items), as
 * CloudFormation checks them: AllowedPattern for String (the whole value) and CommaDelimitedList (each item),
 * MinLength/MaxLength for String, MinValue/MaxValue for Number. AllowedPattern is a Java regular expression
 * matched against the whole value: tried as a JavaScript one (Unicode mode), anchored; one that does not compile
 * so, that repeats a group without bound (it may backtrack without end), or a value longer than PATTERN_VALUE_MAX
 * decides nothing. A constraint not written as a literal decides nothing either.
 */
export function brokenConstraint(p: CNode, type: string, items: string[]): string | undefined {
  const literal = (k: string): string | undefined => {
    const n = get(p, k);
    return n?.t === 'scalar' && n.value !== null && !n.tag && String(n.value).trim() !== '' ? String(n.value) : undefined;
  };
  const number = (k: string): number | undefined => {
    const v = literal(k);
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  if (type === 'String' || type === 'CommaDelimitedList') {
    const pattern = literal('AllowedPattern');
    if (pattern !== undefined && !/\)(?:[*+]|\{\d*,\})/.test(pattern)) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^(?:${pattern})$`, 'u');
      } catch {
        re = undefined;
      }
      const bad = re && items.find((i) => i.length <= PATTERN_VALUE_MAX && !re.test(i));
      if (bad !== undefined && re)
        return `${items.length > 1 ? `has ${JSON.stringify(bad)}, which does not` : 'does not'} match its AllowedPattern (${pattern})`;
    }
  }
  if (type === 'String') {
    const len = items[0].length;
    const min = number('MinLength');
    const max = number('MaxLength');
    const chars = `${len} character${len === 1 ? '' : 's'}`;
    if (min !== undefined && len < min) return `is shorter than its MinLength (${chars}, at least ${min})`;
    if (max !== undefined && len > max) return `is longer than its MaxLength (${chars}, at most ${max})`;
  }
  if (type === 'Number') {
    const n = Number(items[0]);
    const min = number('MinValue');
    const max = number('MaxValue');
    if (Number.isFinite(n) && min !== undefined && n < min) return `is below its MinValue (${min})`;
    if (Number.isFinite(n) && max !== undefined && n > max) return `is above its MaxValue (${max})`;
  }
  return undefined;
}

/** The logical id a `Fn::GetAtt` argument names (`X.Attr` or `[X, Attr]`), '' when not written literally. */
function getAttResource(arg: CNode): string {
  return arg.t === 'scalar'
    ? String(arg.value).split('.')[0]
    : arg.t === 'seq' && arg.items[0]?.t === 'scalar'
      ? String(arg.items[0].value)
      : '';
}

class Template {
  private readonly resources = new Map<string, Res>();
  private readonly params = new Map<string, CNode>();
  private mappings: CNode | undefined;
  readonly byId = new Map<string, NetworkElement>();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly tree: CTree,
    readonly out: ModelFragment,
    /** Parameter values given by the template that deploys this one. */
    private readonly given?: ParseOptions['cfnParameters'],
    /** The workspace's PAN-OS bootstrap.xml for a VM-Series booting from a bucket a parameter names. */
    readonly panosBootstrap?: ParseOptions['panosBootstrap'],
    /** The exports of the workspace's other templates, for `Fn::ImportValue`. */
    private readonly exportsIn?: ParseOptions['cfnExports'],
    /** Parameter values and the region the user gives. */
    private readonly user?: CfnUserValues,
  ) {}

  /** While set, how values read were linked beyond the template's own text (an import joined, a custom resource followed). */
  private links: string[] | undefined;

  /** `read`'s result and the links it took (linked). */
  linked<T>(read: () => T): { value: T; via?: string } {
    const outer = this.links;
    this.links = [];
    try {
      const value = read();
      return this.links.length > 0 ? { value, via: this.links.join('; ') } : { value };
    } finally {
      this.links = outer;
    }
  }

  /** Whether `name` is one of the template's parameters. */
  isParameter(name: string): boolean {
    return this.params.has(name);
  }

  /**
   * Whether a condition of the template holds with the parameter values the template is read with (given by a
   * deploying template, else by the user, else their Default, as every Ref to a parameter is read); undefined when
   * they do not decide.
   */
  condition(name: string, depth = 0): boolean | undefined {
    const c = this.root ? get(get(this.root, 'Conditions'), name) : undefined;
    return c && depth < 16 ? this.truth(c, depth + 1) : undefined;
  }

  /** Resources a condition the parameters' values decide false leaves out (CloudFormation does not create them): logical id -> condition. */
  private readonly absent = new Map<string, string>();

  /** The parameters a condition compares (through the conditions it names), each once. */
  private conditionParams(name: string): string[] {
    const names = new Set<string>();
    const walk = (n: CNode | undefined, depth: number): void => {
      if (!n || depth > 32) return;
      const f = this.fn(n);
      if (f?.name === 'Ref' && f.arg.t === 'scalar' && this.params.has(String(f.arg.value))) names.add(String(f.arg.value));
      else if (f?.name === 'Condition' && f.arg.t === 'scalar')
        walk(this.root ? get(get(this.root, 'Conditions'), String(f.arg.value)) : undefined, depth + 1);
      else {
        const inner = f ? f.arg : n;
        if (inner.t === 'seq') for (const i of inner.items) walk(i, depth + 1);
        else if (inner.t === 'map') for (const e of inner.entries) walk(e.value, depth + 1);
      }
    };
    walk(this.root ? get(get(this.root, 'Conditions'), name) : undefined, 0);
    return [...names];
  }

  /**
   * The parameters of a condition that take their Default: neither the user nor a deploying template gives them a
   * value. None in a nested stack: its parent gives every value it takes, so a Default there is what it gets.
   */
  defaultsOf(name: string): string[] {
    if (this.given && !this.given.pipeline) return [];
    return this.conditionParams(name).filter((p) => {
      const g = this.given?.values[p];
      return (g === undefined || isUnresolved(g)) && !this.userVals.has(p);
    });
  }

  /** `Bypass takes its Default ("false")`, `A and B take their Defaults (A = "x", B = "y")`: for reasons (defaultsOf). */
  defaultsPhrase(defaults: string[]): string {
    const value = (p: string): string => {
      const def = get(this.params.get(p), 'Default');
      return def ? this.shown(this.ev(def)) : 'no value';
    };
    if (defaults.length === 1) return `${defaults[0]} takes its Default (${value(defaults[0])})`;
    const names = `${defaults.slice(0, -1).join(', ')} and ${defaults[defaults.length - 1]}`;
    return `${names} take their Defaults (${defaults.map((p) => `${p} = ${value(p)}`).join(', ')})`;
  }

  /** `pass \`--cfn-param UseFw=...\` (or the setting egressLens.cloudFormation.parameters) to decide it`: for reasons. */
  passPhrase(defaults: string[]): string {
    return `pass ${defaults.map((p) => `\`--cfn-param ${p}=...\``).join(' ')} (or the setting egressLens.cloudFormation.parameters) to decide it`;
  }

  private shown(v: CVal): string {
    return v.k === 'lit'
      ? JSON.stringify(String(v.v ?? ''))
      : v.k === 'list'
        ? `[${v.items.map((i) => this.shown(i)).join(', ')}]`
        : 'a value not known offline';
  }

  /** The parameter values a condition is decided with, for reasons: `Env = "dev" (its Default)`, each once. */
  conditionBasis(name: string): string {
    const names = this.conditionParams(name);
    if (names.length === 0) return 'the values it compares';
    const shown = (v: CVal): string => this.shown(v);
    return names
      .map((p) => {
        const g = this.given?.values[p];
        if (g !== undefined && !isUnresolved(g))
          return `${p} = ${JSON.stringify('literal' in g ? g.literal : g.element)} (given by ${this.given!.by})`;
        const u = this.userVals.get(p);
        if (u) return `${p} = ${shown(u)} (given by ${this.user?.parameters?.[p]?.from ?? 'the user'})`;
        const def = get(this.params.get(p), 'Default');
        return def ? `${p} = ${shown(this.ev(def))} (its Default)` : `${p} (no value: it has no Default)`;
      })
      .join(', ');
  }

  /** Transit gateway VPC attachments the parameters' values leave out (their subnets: reservedFor). */
  private readonly leftOutAttachments: { logicalId: string; props: CNode | undefined }[] = [];
  private reserved: Map<string, string> | undefined;

  /** Why a subnet is kept for a transit gateway attachment that is not created (Subnet.reservedFor), if it is. */
  reservedFor(subnet: string): string | undefined {
    if (!this.reserved) {
      this.reserved = new Map();
      for (const a of this.leftOutAttachments) {
        const v = this.ev(get(a.props, 'SubnetIds'));
        for (const i of v.k === 'list' ? v.items : [])
          if (i.k === 'ref' && !this.reserved.has(i.id))
            this.reserved.set(
              i.id,
              `transit gateway attachment ${a.logicalId}, which is not created (condition ${this.absent.get(a.logicalId)} is false)`,
            );
      }
    }
    return this.reserved.get(subnet);
  }

  /** A Ref or Fn::GetAtt of a resource the parameters' values leave out: Unresolved, saying so. */
  private notCreated(name: string, whole: CNode): CVal | undefined {
    const c = this.absent.get(name);
    return c === undefined ? undefined : this.un(whole, `${name} is not created (condition ${c} is false)`);
  }

  /** Logical ids of every resource the template declares (kept or left out). */
  private readonly declared = new Set<string>();

  /** Whether the template may hold a Fn::If at all (a cheap gate for decideIfs). */
  private get hasIf(): boolean {
    return this.text.includes('If');
  }

  /** Nodes put in place of a decided Fn::If: why that branch (for reasons and the user data reader). */
  private readonly picked = new WeakMap<CNode, string>();

  /** Fn::If left as written in a routing resource because only a Default decides it (R16): why. */
  private readonly held = new WeakMap<CNode, string>();

  /** Why a node stands in place of a Fn::If whose condition the parameters' values decide, if it does. */
  pickedWhy(n: CNode): string | undefined {
    return this.picked.get(n);
  }

  /**
   * `n` with every Fn::If whose condition the parameters' values decide replaced by the branch they pick, and
   * `Ref AWS::NoValue` dropped (a property left unset, a list item removed); null when `n` itself is no value. A
   * routing resource's Fn::If decided only by a Default whose other branch names something that exists (another
   * target, table or destination) is left as written: its value is Unresolved, saying so (R16).
   */
  private decideIfs(n: CNode, at: { logicalId: string; type: string }, depth: number): CNode | null {
    if (depth > 40) return n;
    const f = this.fn(n);
    if (f?.name === 'Ref' && f.arg.t === 'scalar' && f.arg.value === 'AWS::NoValue') return null;
    if (f?.name === 'Fn::If') {
      const items = f.arg.t === 'seq' ? f.arg.items : [];
      const c = items[0]?.t === 'scalar' ? String(items[0].value) : undefined;
      const holds = c !== undefined && items.length === 3 ? this.condition(c) : undefined;
      if (c === undefined || holds === undefined) return n;
      const [taken, other] = holds ? [items[1], items[2]] : [items[2], items[1]];
      const why = `condition ${c} ${holds ? 'holds' : 'is false'} with ${this.conditionBasis(c)}`;
      const defaults = this.defaultsOf(c);
      if (defaults.length > 0 && ROUTING_TYPES.has(at.type) && this.exists(other) && this.src(other) !== this.src(taken)) {
        this.held.set(
          n,
          `${at.logicalId}: condition ${c} ${holds ? 'holds' : 'is false'} only because ${this.defaultsPhrase(defaults)}, not a value the stack is given, picking \`${this.src(taken)}\`; with another value it is \`${this.src(other)}\`: ${this.passPhrase(defaults)}`,
        );
        return n;
      }
      const r = this.decideIfs(taken, at, depth + 1);
      if (r && !this.picked.has(r)) this.picked.set(r, why);
      return r;
    }
    if (n.t === 'seq') {
      let changed = false;
      const items: CNode[] = [];
      for (const i of n.items) {
        const d = this.decideIfs(i, at, depth + 1);
        if (d !== i) changed = true;
        if (d) items.push(d);
      }
      return changed ? { ...n, items } : n;
    }
    if (n.t === 'map') {
      let changed = false;
      const entries: CEntry[] = [];
      for (const e of n.entries) {
        const d = this.decideIfs(e.value, at, depth + 1);
        if (d !== e.value) changed = true;
        if (d) entries.push(d === e.value ? e : { ...e, value: d });
      }
      return changed ? { ...n, entries } : n;
    }
    return n;
  }

  /**
   * Whether a value names something a stack deployed with these values has: a resource that is not left out, a
   * parameter or literal that is not empty, anything else the template computes; not `AWS::NoValue`.
   */
  private exists(n: CNode | undefined): boolean {
    if (!n) return false;
    const f = this.fn(n);
    if (f?.name === 'Ref' && f.arg.t === 'scalar') {
      const name = String(f.arg.value);
      if (name === 'AWS::NoValue') return false;
      if (this.declared.has(name)) return !this.absent.has(name);
      if (this.params.has(name)) {
        const v = this.ev(n);
        return !(v.k === 'lit' && (v.v === '' || v.v === null));
      }
      return true;
    }
    if (f?.name === 'Fn::GetAtt') return !this.absent.has(getAttResource(f.arg));
    if (!f && n.t === 'scalar') return n.value !== '' && n.value !== null;
    return true;
  }

  /** A resource's value a Default alone leaves out, when it names one the route could send to (GATEWAY_TYPES). */
  private defaultAbsentGateway(n: CNode | undefined): boolean {
    const f = n ? this.fn(n) : undefined;
    const name =
      f?.name === 'Ref' && f.arg.t === 'scalar'
        ? String(f.arg.value)
        : f?.name === 'Fn::GetAtt' && f.arg.t === 'scalar'
          ? String(f.arg.value).split('.')[0]
          : undefined;
    const c = name !== undefined ? this.absent.get(name) : undefined;
    if (c === undefined || this.defaultsOf(c).length === 0) return false;
    const type = get(get(get(this.root, 'Resources'), name!), 'Type');
    return type?.t === 'scalar' && GATEWAY_TYPES.has(String(type.value));
  }

  /**
   * A routing resource (ROUTING_TYPES) whose Condition is false only because a parameter takes its Default, and that
   * would change the routing of what exists either way: a route in a table of the template that exists, with a
   * destination that is not empty, to a target that exists (or that Defaults leave out: a bypass's own gateway); an
   * association of a subnet or gateway of the template that exists with a table of the template that exists. A
   * Default is not the value a stack is given: whether it exists is not decided, and it is kept, modelled `undecided`
   * (a path it would change is Unknown), with this reason (R16). Undefined otherwise: it is left out (AZ counts,
   * optional subnets and attachments: F130).
   */
  private keptUndecided(r: Res, condition: string): Unresolved | undefined {
    if (!ROUTING_TYPES.has(r.type)) return undefined;
    const defaults = this.defaultsOf(condition);
    if (defaults.length === 0) return undefined;
    const p = (k: string) => get(r.props, k);
    // The table, subnet or gateway it changes is one of the template's that exists (one of another stack, or a
    // subnet picked from a list parameter by zone, is not what the template's paths go through).
    const own = (n: CNode | undefined): boolean => {
      const f = n ? this.fn(n) : undefined;
      const name = f?.name === 'Ref' && f.arg.t === 'scalar' ? String(f.arg.value) : undefined;
      return name !== undefined && this.declared.has(name) && !this.absent.has(name);
    };
    const changes =
      r.type === 'AWS::EC2::Route'
        ? own(p('RouteTableId')) &&
          ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'].some((k) => p(k) && this.exists(p(k))) &&
          ['GatewayId', ...ROUTE_TARGET_FIELDS.map((t) => t.cfn)].some(
            (k) => p(k) && (this.exists(p(k)) || this.defaultAbsentGateway(p(k))),
          )
        : r.type === 'AWS::EC2::SubnetRouteTableAssociation'
          ? own(p('RouteTableId')) && own(p('SubnetId'))
          : own(p('RouteTableId')) && own(p('GatewayId'));
    if (!changes) return undefined;
    return unresolved(
      `Condition: ${condition}`,
      `condition ${condition} is false only because ${this.defaultsPhrase(defaults)}, not a value the stack is given: with another value ${r.logicalId} exists (${this.passPhrase(defaults)})`,
    );
  }

  /**
   * A route whose Condition a Default alone decides false, whose destination is written as the CidrBlock of a subnet
   * of the template with the same Condition, in the VPC of the route's table: in any stack where the route exists
   * that subnet exists too, and subnets of a VPC do not overlap, so the route carries only traffic to that subnet,
   * which the Defaults leave out with it. It changes no path of what exists (its destination may even be out of
   * range under the Defaults: `Fn::Select [2, CIDRs]` of a two-CIDR Default): left out, with this reason (F295).
   */
  private routesOnlyToSubnetMadeWithIt(r: Res, condition: string): string | undefined {
    if (r.type !== 'AWS::EC2::Route') return undefined;
    const dest = get(r.props, 'DestinationCidrBlock');
    if (!dest || this.defaultsOf(condition).length === 0) return undefined;
    const resources = get(this.root, 'Resources');
    const t = get(r.props, 'RouteTableId');
    const table = t ? this.fn(t) : undefined;
    const tableVpc =
      table?.name === 'Ref' && table.arg.t === 'scalar'
        ? get(get(get(resources, String(table.arg.value)), 'Properties'), 'VpcId')
        : undefined;
    if (!tableVpc) return undefined;
    for (const s of mapEntries(resources)) {
      const type = get(s.value, 'Type');
      const cond = get(s.value, 'Condition');
      if (type?.t !== 'scalar' || type.value !== 'AWS::EC2::Subnet') continue;
      if (cond?.t !== 'scalar' || String(cond.value) !== condition) continue;
      const props = get(s.value, 'Properties');
      const cidr = get(props, 'CidrBlock');
      const vpc = get(props, 'VpcId');
      if (cidr && vpc && this.sameValue(cidr, dest, 0) && this.sameValue(vpc, tableVpc, 0))
        return `; with another value it exists, and so does subnet ${s.key} (the same condition), whose CidrBlock is its destination: subnets of a VPC do not overlap, so it routes only traffic to ${s.key}, which is not created either`;
    }
    return undefined;
  }

  /** Whether two values are written the same (a short-form tag and its Fn:: mapping alike). */
  private sameValue(a: CNode, b: CNode, depth: number): boolean {
    if (depth > 20) return false;
    const fa = this.fn(a);
    const fb = this.fn(b);
    if (fa || fb) return !!fa && !!fb && fa.name === fb.name && this.sameValue(fa.arg, fb.arg, depth + 1);
    if (a.t === 'scalar' || b.t === 'scalar') return a.t === 'scalar' && b.t === 'scalar' && String(a.value) === String(b.value);
    if (a.t === 'seq' || b.t === 'seq')
      return (
        a.t === 'seq' &&
        b.t === 'seq' &&
        a.items.length === b.items.length &&
        a.items.every((x, i) => this.sameValue(x, b.items[i], depth + 1))
      );
    return (
      a.entries.length === b.entries.length &&
      a.entries.every((e, i) => e.key === b.entries[i].key && this.sameValue(e.value, b.entries[i].value, depth + 1))
    );
  }

  private truth(n: CNode, depth: number): boolean | undefined {
    const f = this.fn(n);
    const items = f?.arg.t === 'seq' ? f.arg.items : [];
    switch (f?.name) {
      case 'Fn::Equals': {
        const [a, b] = items.map((i) => this.ev(i));
        if (items.length !== 2 || a.k !== 'lit' || b.k !== 'lit') return undefined;
        return String(a.v) === String(b.v);
      }
      case 'Fn::Not': {
        const v = items.length === 1 ? this.truth(items[0], depth) : undefined;
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const vs = items.map((i) => this.truth(i, depth));
        const decisive = f.name === 'Fn::And' ? false : true;
        if (vs.includes(decisive)) return decisive;
        return vs.includes(undefined) || vs.length === 0 ? undefined : !decisive;
      }
      case 'Condition':
        return f.arg.t === 'scalar' ? this.condition(String(f.arg.value), depth) : undefined;
      default:
        return undefined;
    }
  }

  diag(code: ParseDiagnostic['code'], severity: ParseDiagnostic['severity'], message: string, start: number, end: number): void {
    this.out.diagnostics.push({ code, severity, message, loc: this.tree.map.loc(this.file, start, end) });
  }

  id(logical: string): string {
    return cfnId(this.file, logical);
  }

  /** The template as read: its loops expanded (expandLoops). */
  private root: CNode | undefined;

  read(): void {
    const written = this.tree.root;
    if (!written) return;
    if (written.t !== 'map') {
      this.diag('unknown-shape', 'warning', 'A CloudFormation template must be a mapping', written.start, written.end);
      return;
    }
    const ignores = cfnSuppressions(this.file, this.text, this.tree, written);
    if (ignores.length > 0) this.out.suppressions = ignores;
    for (const p of mapEntries(get(written, 'Parameters'))) this.params.set(p.key, p.value);
    if (this.user?.parameters && Object.keys(this.user.parameters).length > 0) this.userValues(written, this.user.parameters);
    this.checkDefaults();
    this.mappings = get(written, 'Mappings');
    const root = this.expandLoops(written);
    this.root = root;
    const res = entry(root, 'Resources');
    if (!res) return;
    const read: { e: CEntry; type: string; cond?: { name: string; at: CEntry; holds: boolean | undefined } }[] = [];
    for (const e of mapEntries(res.value)) {
      if (isLoopKey(e.key)) {
        this.loops.push(e);
        continue;
      }
      const type = get(e.value, 'Type');
      if (type?.t !== 'scalar' || typeof type.value !== 'string') {
        this.diag('missing-field', 'warning', `Resource ${e.key} has no Type`, e.keyStart, e.keyEnd);
        continue;
      }
      this.declared.add(e.key);
      const at = entry(e.value, 'Condition');
      if (!at) {
        read.push({ e, type: type.value });
        continue;
      }
      const name = at.value.t === 'scalar' ? String(at.value.value) : '?';
      const holds = at.value.t === 'scalar' ? this.condition(name) : undefined;
      // Decided false by the parameters' values: CloudFormation does not create it (a routing resource decided
      // so only by a Default may be kept below: keptUndecided).
      if (holds === false) this.absent.set(e.key, name);
      read.push({ e, type: type.value, cond: { name, at, holds } });
    }
    // Fn::If in properties: the branch the parameters' values pick (decideIfs), once what is left out is known.
    const propsOf = new Map<string, CNode | undefined>();
    for (const { e, type } of read) {
      const props = get(e.value, 'Properties');
      propsOf.set(e.key, props && this.hasIf ? (this.decideIfs(props, { logicalId: e.key, type }, 0) ?? undefined) : props);
    }
    for (const { e, type, cond } of read) {
      const props = propsOf.get(e.key);
      let undecided: Unresolved | undefined;
      if (cond && cond.holds !== true) this.existenceOpen.add(e.key);
      if (cond) {
        const { name, at } = cond;
        const r = { logicalId: e.key, type, entry: e, props };
        if (cond.holds === false) {
          // A routing resource left out only by a Default, changing what exists either way: not decided (R16);
          // unless, where it exists, it routes only to a subnet created with it (F295).
          const toOwnSubnet = this.routesOnlyToSubnetMadeWithIt(r, name);
          undecided = toOwnSubnet ? undefined : this.keptUndecided(r, name);
          if (!undecided) {
            if (type === 'AWS::EC2::TransitGatewayVpcAttachment') this.leftOutAttachments.push({ logicalId: e.key, props });
            this.diag(
              'conditional-resource',
              'info',
              `${e.key} is not created: condition ${name} is false with ${this.conditionBasis(name)}; it is left out${toOwnSubnet ?? ''}`,
              at.keyStart,
              at.value.end,
            );
            continue;
          }
          this.absent.delete(e.key);
          const defaults = this.defaultsOf(name);
          this.diag(
            'conditional-resource',
            'info',
            `${e.key} exists only when condition ${name} holds. It does not with ${this.conditionBasis(name)}, but ${defaults.length === 1 ? 'a Default is' : 'Defaults are'} not the value${defaults.length === 1 ? '' : 's'} the stack is given, and ${e.key} would change the routing of what exists either way: whether it exists is not decided, and the paths it would change are Unknown (give the stack's value for ${defaults.join(', ')} to decide)`,
            at.keyStart,
            at.value.end,
          );
        } else
          // Else whether it exists is decided at deploy time (or holds with these values): say so instead of guessing.
          this.diag(
            'conditional-resource',
            'info',
            cond.holds
              ? `${e.key} exists only when condition ${name} holds, as it does with ${this.conditionBasis(name)}; it is analysed as present`
              : `${e.key} exists only when condition ${name} holds; it is analysed as present`,
            at.keyStart,
            at.value.end,
          );
      }
      this.resources.set(e.key, { logicalId: e.key, type, entry: e, props, ...(undecided ? { undecided } : {}) });
    }
    this.stackLinks();
    for (const r of this.resources.values()) CFN_MAPPERS[r.type]?.element?.(this, r);
    for (const r of this.resources.values()) CFN_MAPPERS[r.type]?.attach?.(this, r);
    for (const r of this.resources.values()) if (!CFN_MAPPERS[r.type]) this.unmodelled(r);
    this.unexpandedLoops();
    this.subnetsOutsideVpc();
    this.overlappingSubnets();
    this.declareRest();
    this.exportsOut(root);
  }

  /** The user's parameter values the template takes (CfnUserValues), as read: literal, list, or refused (Unresolved). */
  private readonly userVals = new Map<string, CVal>();

  /**
   * The user's parameter values for the parameters the template declares. A nested stack takes none: its
   * parameters are what its parent gives, else their Default, as CloudFormation deploys it. A template a pipeline
   * deploys takes those its ParameterOverrides do not give (a template configuration file gives them). Which
   * names the template declares and takes is said in the fragment (cfnUserParameters), for the workspace.
   */
  private userValues(root: CNode, values: NonNullable<CfnUserValues['parameters']>): void {
    const applied: string[] = [];
    const nested = this.given !== undefined && !this.given.pipeline;
    for (const [name, p] of this.params) {
      if (nested || !Object.hasOwn(values, name) || this.given?.values[name] !== undefined) continue;
      this.userVals.set(name, this.userValue(name, p, values[name], entry(get(root, 'Parameters'), name)));
      applied.push(name);
    }
    this.out.cfnUserParameters = { declared: [...this.params.keys()], applied };
  }

  /**
   * A value the user gives for parameter `name` (declared as `p`), checked as CloudFormation checks it: a number
   * for Number and List<Number>, one of AllowedValues (each item of a list). A value CloudFormation refuses is
   * Unresolved and said at the parameter; a Systems Manager parameter type's value is the name of the
   * Systems Manager parameter, whose value is read at deploy time. List types read as lists, as their Default does.
   */
  private userValue(name: string, p: CNode, u: { value: string; from: string }, at: CEntry | undefined): CVal {
    const typeNode = get(p, 'Type');
    const type = typeNode?.t === 'scalar' ? String(typeNode.value) : 'String';
    const said = `the value ${JSON.stringify(u.value)} given by ${u.from}`;
    if (type.startsWith('AWS::SSM::Parameter::'))
      return { k: 'un', text: '', reason: `parameter ${name} (${type}): ${said} names a Systems Manager parameter, read at deploy time` };
    const list = /^(CommaDelimitedList|List<)/.test(type);
    const items = list ? u.value.split(',').map((s) => s.trim()) : [u.value];
    const refuse = (why: string): CVal => {
      const reason = `parameter ${name}: ${said} ${why}, which CloudFormation refuses`;
      if (at) this.diag('unresolved-value', 'warning', `${reason}; what reads ${name} is Unresolved`, at.keyStart, at.keyEnd);
      return { k: 'un', text: '', reason };
    };
    if ((type === 'Number' || type === 'List<Number>') && items.some((i) => i.trim() === '' || !Number.isFinite(Number(i))))
      return refuse(`is not ${list ? 'a list of numbers' : 'a number'} (Type ${type})`);
    const notAllowed = outsideAllowedValues(p, items, list);
    if (notAllowed) return refuse(notAllowed);
    // The other constraints: said, and the value analysed as given (a Java pattern read as JavaScript may differ).
    const broken = brokenConstraint(p, type, items);
    if (broken && at)
      this.diag(
        'parameter-constraint',
        'warning',
        `parameter ${name}: ${said} ${broken}, which CloudFormation refuses; it is analysed as given`,
        at.keyStart,
        at.keyEnd,
      );
    return list ? { k: 'list', items: items.map((v) => ({ k: 'lit', v })) } : { k: 'lit', v: u.value };
  }

  /**
   * A parameter's Default that breaks the parameter's own constraints (a Number type, AllowedValues, and those
   * brokenConstraint checks), said at the Default where the stack takes it (no value from the user or a parent
   * stack): CloudFormation refuses a stack given no value for it. It is analysed as written.
   */
  private checkDefaults(): void {
    for (const [name, p] of this.params) {
      if (this.userVals.has(name) || this.given?.values[name] !== undefined) continue;
      const def = get(p, 'Default');
      if (def?.t !== 'scalar' || def.value === null || def.tag) continue;
      const typeNode = get(p, 'Type');
      const type = typeNode?.t === 'scalar' ? String(typeNode.value) : 'String';
      if (type.startsWith('AWS::SSM::Parameter::')) continue;
      const value = String(def.value);
      const list = /^(CommaDelimitedList|List<)/.test(type);
      const items = list ? value.split(',').map((x) => x.trim()) : [value];
      const broken =
        ((type === 'Number' || type === 'List<Number>') && items.some((i) => i.trim() === '' || !Number.isFinite(Number(i)))
          ? `is not ${list ? 'a list of numbers' : 'a number'} (Type ${type})`
          : undefined) ??
        outsideAllowedValues(p, items, list) ??
        brokenConstraint(p, type, items);
      if (broken)
        this.diag(
          'parameter-constraint',
          'warning',
          `parameter ${name}: its Default ${JSON.stringify(value)} ${broken}, which CloudFormation refuses for a stack given no value for ${name}; it is analysed as written`,
          def.start,
          def.end,
        );
    }
  }

  /** The outputs exported to other stacks whose name is a literal or the stack's own name followed by one. */
  private exportsOut(root: CNode): void {
    const list: CfnExport[] = [];
    for (const o of mapEntries(get(root, 'Outputs'))) {
      const n = get(get(o.value, 'Export'), 'Name');
      if (!n) continue;
      // An output whose condition the parameters' values decide false is not exported.
      const cond = get(o.value, 'Condition');
      if (cond?.t === 'scalar' && this.condition(String(cond.value)) === false) continue;
      const named = this.ev(n);
      const stack = named.k === 'lit' ? undefined : this.holeThenLiteral(n, 'AWS::StackName');
      const name = named.k === 'lit' ? { literal: String(named.v) } : stack !== undefined ? { stackSuffix: stack } : undefined;
      if (!name) continue;
      const { value, via } = this.linked(() => this.parameterValue(this.ev(get(o.value, 'Value'))));
      list.push({ output: o.key, name, value, ...(via ? { via } : {}) });
    }
    if (list.length > 0) this.out.exports = list;
  }

  /** The name a `!Sub` starts with (`${Name}...`) or the `Ref` a `!Join` list starts with. */
  private leadingName(n: CNode): string | undefined {
    const f = this.fn(n);
    if (f?.name === 'Fn::Sub') {
      const tpl = f.arg.t === 'seq' ? f.arg.items[0] : f.arg;
      return tpl?.t === 'scalar' ? /^\$\{([A-Za-z0-9]+)\}/.exec(String(tpl.value))?.[1] : undefined;
    }
    if (f?.name !== 'Fn::Join' || f.arg.t !== 'seq' || f.arg.items[1]?.t !== 'seq' || !f.arg.items[1].items[0]) return undefined;
    const first = this.fn(f.arg.items[1].items[0]);
    return first?.name === 'Ref' && first.arg.t === 'scalar' ? String(first.arg.value) : undefined;
  }

  /**
   * The literal after `hole` when a name is `hole` followed by literals: `!Sub "${hole}-X"` (other variables the
   * template decides) or `!Join [sep, [!Ref hole, ...]]`; undefined otherwise.
   */
  holeThenLiteral(n: CNode, hole: string, depth = 0): string | undefined {
    const f = this.fn(n);
    if (f?.name === 'Fn::Sub') {
      const tpl = f.arg.t === 'seq' ? f.arg.items[0] : f.arg;
      const vars = f.arg.t === 'seq' ? f.arg.items[1] : undefined;
      const head = `\${${hole}}`;
      if (tpl?.t !== 'scalar' || typeof tpl.value !== 'string' || !tpl.value.startsWith(head) || get(vars, hole)) return undefined;
      const rest: CNode = { ...tpl, value: tpl.value.slice(head.length) };
      const v =
        rest.value === ''
          ? { k: 'lit' as const, v: '' }
          : this.sub(f.arg.t === 'seq' ? { ...f.arg, items: [rest, ...f.arg.items.slice(1)] } : rest, n, depth + 1);
      return v.k === 'lit' ? String(v.v) : undefined;
    }
    if (f?.name === 'Fn::Join' && f.arg.t === 'seq' && f.arg.items.length === 2) {
      const [sepNode, listNode] = f.arg.items;
      const sep = this.ev(sepNode, depth + 1);
      const first = listNode.t === 'seq' ? this.fn(listNode.items[0] ?? listNode) : undefined;
      if (sep.k !== 'lit' || listNode.t !== 'seq' || first?.name !== 'Ref' || first.arg.t !== 'scalar' || first.arg.value !== hole)
        return undefined;
      const rest = listNode.items.slice(1).map((i) => this.ev(i, depth + 1));
      if (rest.some((r) => r.k !== 'lit')) return undefined;
      return rest.map((r) => String(sep.v ?? '') + String((r as { v: unknown }).v)).join('');
    }
    return undefined;
  }

  /**
   * Resources that gave no element of their own (a type outside the model, a network load
   * balancer, a route folded into its table): a reference to one is "defined but not modelled".
   */
  private declareRest(): void {
    const declared: Declaration[] = [];
    for (const r of this.resources.values()) {
      const id = this.id(r.logicalId);
      if (!this.byId.has(id)) declared.push({ id, type: r.type, loc: this.tree.map.loc(this.file, r.entry.keyStart, r.entry.keyEnd) });
    }
    if (declared.length) this.out.declared = declared;
  }

  /**
   * The templates this one deploys, with the parameter values it gives them (CfnStackLink): nested stacks
   * whose TemplateURL is a local path, and pipelines' CloudFormation actions (TemplatePath, ParameterOverrides).
   */
  private stackLinks(): void {
    const links: CfnStackLink[] = [];
    for (const r of this.resources.values()) {
      if (r.type === 'AWS::CloudFormation::Stack') {
        const url = this.ev(get(r.props, 'TemplateURL'));
        // An https:// or s3:// URL names a template outside the inputs: say so, never in silence.
        if (url.k !== 'lit' || typeof url.v !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(url.v)) {
          const where =
            url.k === 'lit' ? `at ${String(url.v)}` : url.k === 'un' && url.text ? `at \`${url.text}\`` : 'whose URL is not known offline';
          this.diag(
            'unmodelled-resource',
            'info',
            `nested stack ${r.logicalId}: its template ${where} is outside the inputs; what it deploys is not analysed`,
            r.entry.keyStart,
            r.entry.keyEnd,
          );
          continue;
        }
        const parameters: Record<string, CfnParameterValue> = {};
        for (const p of mapEntries(get(r.props, 'Parameters'))) parameters[p.key] = this.parameterValue(this.ev(p.value));
        links.push({ template: url.v, match: 'relative', by: `${this.file} ${r.logicalId}`, parameters });
      } else if (r.type === 'AWS::CodePipeline::Pipeline') {
        for (const stage of seqItems(get(r.props, 'Stages')))
          for (const action of seqItems(get(stage, 'Actions'))) {
            const typeId = get(action, 'ActionTypeId');
            const provider = typeId ? this.ev(get(typeId, 'Provider')) : undefined;
            const cfg = get(action, 'Configuration');
            const path = cfg && provider?.k === 'lit' && provider.v === 'CloudFormation' ? this.ev(get(cfg, 'TemplatePath')) : undefined;
            if (path?.k !== 'lit' || typeof path.v !== 'string') continue;
            // `SourceArtifact::cloudformation/app.yaml`: a path inside the artifact (the repository, as a rule).
            const at = path.v.indexOf('::');
            const name = this.ev(get(action, 'Name'));
            links.push({
              template: at >= 0 ? path.v.slice(at + 2) : path.v,
              match: 'suffix',
              by: `${this.file} ${r.logicalId}${name.k === 'lit' ? ` action ${String(name.v)}` : ''}`,
              parameters: this.parameterOverrides(get(cfg, 'ParameterOverrides')),
            });
          }
      }
    }
    if (links.length > 0) this.out.stacks = links;
  }

  private parameterValue(v: CVal): CfnParameterValue {
    if (v.k === 'ref') return { element: this.id(v.id) };
    if (v.k === 'lit') return { literal: String(v.v) };
    if (v.k === 'un') return unresolved(v.text, v.reason);
    return unresolved('', 'not a single value');
  }

  /** A pipeline action's ParameterOverrides: a JSON object, as a string or a Fn::Sub over one. */
  private parameterOverrides(n: CNode | undefined): Record<string, CfnParameterValue> {
    const out: Record<string, CfnParameterValue> = {};
    if (!n) return out;
    const f = this.fn(n);
    const tpl = f?.name === 'Fn::Sub' ? (f.arg.t === 'seq' ? f.arg.items[0] : f.arg) : f ? undefined : n;
    const vars = f?.name === 'Fn::Sub' && f.arg.t === 'seq' ? f.arg.items[1] : undefined;
    if (tpl?.t !== 'scalar' || typeof tpl.value !== 'string') return out;
    let json: unknown;
    try {
      json = JSON.parse(tpl.value);
    } catch {
      return out;
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return out;
    for (const [k, raw] of Object.entries(json as Record<string, unknown>)) {
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
      const one = f ? /^\$\{([^}!]+)\}$/.exec(text) : null;
      if (one) {
        const name = one[1];
        const node: CNode = { t: 'scalar', value: name, start: tpl.start, end: tpl.end };
        const local = get(vars, name);
        out[k] = this.parameterValue(local ? this.ev(local) : name.includes('.') ? this.getAtt(node, node, 0) : this.ref(node, node));
      } else if ((f && text.includes('${')) || text.includes('#{')) {
        // Pipeline variables (#{Build.image}) and mixed substitutions are known when the pipeline runs.
        out[k] = unresolved(text, 'known only when the pipeline runs');
      } else out[k] = { literal: text };
    }
    return out;
  }

  /**
   * `Fn::ForEach` loops (the AWS::LanguageExtensions transform) of Resources, Conditions and Outputs, and inside
   * resource properties, expanded as the transform does (cfnForEach.ts): what they generate is read like what is
   * written out, located at the loop's output template. A loop whose collection is not known offline (a parameter
   * without Default, !GetAZs) or that is malformed is left as written: unexpandedLoops falls back.
   */
  private expandLoops(root: Extract<CNode, { t: 'map' }>): CNode {
    if (!this.text.includes(FOR_EACH)) return root;
    const host: LoopHost = {
      collection: (n) => this.loopCollection(n),
      problem: (code, message, start, end) => this.diag(code, 'warning', message, start, end),
      unexpandedInside: (loop, reason) =>
        this.diag(
          'unresolved-value',
          'info',
          `${loop.key} is not expanded (${reason}): what it generates is not read`,
          loop.keyStart,
          loop.keyEnd,
        ),
    };
    let changed = false;
    const entries = root.entries.map((e) => {
      if (e.key !== 'Resources' && e.key !== 'Conditions' && e.key !== 'Outputs') return e;
      const x = expandSection(e.value, host);
      for (const u of x.unexpanded) {
        if (e.key === 'Resources') this.loopWhy.set(u.entry.key, u.reason);
        else if (!u.malformed)
          this.diag(
            'unresolved-value',
            'info',
            `${u.entry.key} is not expanded (${u.reason}): the ${e.key === 'Outputs' ? 'outputs' : 'conditions'} it generates are not read`,
            u.entry.keyStart,
            u.entry.keyEnd,
          );
      }
      if (e.key === 'Resources') for (const [key, loop] of x.generated) this.generatedBy.set(key, loop);
      if (x.node === e.value) return e;
      changed = true;
      return { ...e, value: x.node };
    });
    return changed ? { ...root, entries } : root;
  }

  /** The items a loop iterates over, when the template (or the one deploying it) decides them. */
  private loopCollection(n: CNode): string[] | { reason: string } {
    const v = this.ev(n);
    const f = this.fn(n);
    const param = f?.name === 'Ref' && f.arg.t === 'scalar' ? this.params.get(String(f.arg.value)) : undefined;
    const type = get(param, 'Type');
    // A list parameter's value given by a deploying template is one comma separated string.
    const listParam = type?.t === 'scalar' && /^(CommaDelimitedList|List<)/.test(String(type.value));
    const items: CVal[] | undefined =
      v.k === 'list'
        ? v.items
        : v.k === 'lit' && typeof v.v === 'string' && listParam
          ? v.v.split(',').map((s) => ({ k: 'lit', v: s.trim() }))
          : undefined;
    const why = (r: string) => ({ reason: `its collection \`${this.src(n)}\` is not known offline: ${r}` });
    if (!items) return why(v.k === 'un' ? v.reason : 'it is not a list');
    const out: string[] = [];
    for (const i of items) {
      if (i.k !== 'lit' || i.v === null) return why(i.k === 'un' ? i.reason : 'an item is not a plain value');
      out.push(String(i.v));
    }
    return out;
  }

  /** Each resource a loop generated and the loop (`Fn::ForEach::Name` as written in Resources). */
  private readonly generatedBy = new Map<string, string>();

  /**
   * The VPCs (by id) whose IPv4 CIDRs the template may not all write: no CidrBlock (IPAM), an
   * AWS::EC2::VPCCidrBlock whose IPv4 CIDR IPAM allocates; under `''`: one naming no VPC of the template.
   */
  readonly rangesOpen = new Set<string>();

  /**
   * An AWS::EC2::Subnet whose known CidrBlock lies inside none of its VPC's IPv4 CIDRs (CidrBlock and every
   * AWS::EC2::VPCCidrBlock): AWS refuses to create it (subnet-outside-network). Only for the VPC of the template
   * its VpcId names, when every IPv4 CIDR of that VPC is known: none open (rangesOpen), no unexpanded loop, and
   * no kept unmodelled resource or nested stack given the VPC (or what is in it), which may associate another.
   */
  private subnetsOutsideVpc(): void {
    if (this.loops.length > 0 || this.rangesOpen.has('')) return;
    let given: Set<string> | undefined;
    for (const r of this.resources.values()) {
      const n = r.type === 'AWS::EC2::Subnet' ? get(r.props, 'CidrBlock') : undefined;
      const ref = n ? this.refOf(r, 'VpcId') : undefined;
      const vpc = typeof ref === 'string' ? this.byId.get(ref) : undefined;
      const el = this.byId.get(this.id(r.logicalId));
      if (!n || vpc?.kind !== 'vpc' || el?.kind !== 'subnet' || el.ipv6Native || this.rangesOpen.has(vpc.id)) continue;
      given ??= this.vpcsGiven();
      if (given.has(vpc.id)) continue;
      const message = subnetOutsideNetwork({
        cloud: 'aws',
        subnet: r.logicalId,
        network: vpc.id.slice(this.id('').length),
        prefixes: [el.cidr],
        ranges: vpc.cidrs,
        family: 4,
      });
      if (message) this.diag('subnet-outside-network', 'error', message, n.start, n.end);
    }
  }

  /** Resources whose Condition the parameters' values do not decide true: they may not exist (overlappingSubnets). */
  private readonly existenceOpen = new Set<string>();

  /**
   * Two AWS::EC2::Subnet of the template in one VPC with overlapping decided CIDRs: AWS refuses the later
   * (overlapping-subnets). Per template (one stack deployed together; two templates may be alternatives), leaving
   * out a subnet whose Condition is not decided true.
   */
  private overlappingSubnets(): void {
    const open = new Set([...this.existenceOpen].map((k) => this.id(k)));
    this.out.diagnostics.push(...overlappingSubnets(this.out.elements, (s) => (open.has(s.id) ? undefined : 'stack')));
  }

  /** The VPCs a kept unmodelled resource or a nested stack is given, itself or through what is in it. */
  private vpcsGiven(): Set<string> {
    const out = new Set<string>();
    const note = (id: string) => {
      const e = this.byId.get(id);
      if (e?.kind === 'vpc') out.add(e.id);
      else if (e && 'vpc' in e && typeof e.vpc === 'string') out.add(e.vpc);
    };
    for (const e of this.byId.values()) if (e.kind === 'unmodelled') for (const t of e.touches) if (typeof t === 'string') note(t);
    for (const r of this.resources.values()) {
      if (r.type !== 'AWS::CloudFormation::Stack' && r.type !== 'AWS::Serverless::Application') continue;
      const named = new Set<string>();
      this.namedResources(r.props, named, 0);
      for (const n of named) note(this.id(n));
    }
    return out;
  }

  /** Why each loop of Resources left as written is not expanded. */
  private readonly loopWhy = new Map<string, string>();

  /** Loops of Resources left as written (expandLoops): what they generate is not in the model. */
  private readonly loops: CEntry[] = [];

  /**
   * Each loop is kept as an unmodelled element touching what its body names (a VPC its subnets are in, a
   * route table its routes are written to): paths through those are Unknown. Any VPC of the template but one
   * holding a firewall may have subnets such a loop generates: Unknown, never No Egress.
   */
  private unexpandedLoops(): void {
    if (this.loops.length === 0) return;
    const touching = new Map<string, string[]>();
    for (const e of this.loops) {
      const named = new Set<string>();
      this.namedResources(e.value, named, 0);
      const touches = [...named]
        .filter((n) => {
          const kind = this.byId.get(this.id(n))?.kind;
          return kind !== undefined && TOUCHABLE_KINDS.has(kind);
        })
        .sort();
      for (const n of touches) touching.set(this.id(n), [...(touching.get(this.id(n)) ?? []), e.key]);
      const loc = this.tree.map.loc(this.file, e.keyStart, e.keyEnd);
      const why = this.loopWhy.get(e.key) ?? 'it could not be expanded';
      const row = { ...UNEXPANDED_LOOP, what: `${UNEXPANDED_LOOP.what}, not expanded because ${why}` };
      this.add({
        id: this.id(e.key),
        name: e.key,
        loc,
        extent: this.tree.map.range(e.keyStart, Math.max(e.keyEnd, e.value.end)),
        cloud: 'aws',
        kind: 'unmodelled',
        resourceType: 'Fn::ForEach',
        what: row.what,
        touches: touches.map((n) => this.id(n)),
      });
      this.diag('unmodelled-resource', 'info', unmodelledMessage(e.key, 'Fn::ForEach', row, touches), e.keyStart, e.keyEnd);
    }
    // A VPC holding an enforcement point of the template stays the inspection VPC it reads as.
    const guarded = new Set<string>();
    for (const el of this.out.elements) if (el.kind === 'firewall' && typeof el.vpc === 'string') guarded.add(el.vpc);
    for (const el of this.out.elements) {
      if (el.kind !== 'vpc' || guarded.has(el.id)) continue;
      // The loops naming it, else any loop (it may be named through a parameter or a Sub).
      const loops = touching.get(el.id) ?? this.loops.map((e) => e.key);
      const names = loops.join(', ');
      const why = (l: string) => this.loopWhy.get(l) ?? 'it could not be expanded';
      el.subnetsOutside = unresolved(
        names,
        loops.length === 1
          ? `its subnets may be generated by ${names}, which is not expanded: ${why(names)}`
          : `its subnets may be generated by ${names}, which are not expanded (${loops.map((l) => `${l}: ${why(l)}`).join('; ')})`,
      );
    }
  }

  /** A name that is not a resource of a template with loops may be one a loop generates: Unresolved, saying so. */
  private generated(name: string, whole: CNode): CVal | undefined {
    if (this.loops.length === 0 || this.resources.has(name)) return undefined;
    return this.un(
      whole,
      `${name} is not a resource of the template: it may be one its Fn::ForEach loops generate, which are not expanded`,
    );
  }

  /** A resource of a type that can change where packets go but is not modelled: kept, with what it touches. */
  private unmodelled(r: Res): void {
    const row = unmodelledCfnType(r.type);
    if (!row) return;
    if (!this.keptUnmodelled(r.logicalId)) {
      // A custom resource naming the network whose function's role allows no route change: said, not kept.
      const free = row.when === 'names-network' && this.touchesOf(r.logicalId).length > 0 ? this.routeFreeRole(r) : undefined;
      if (free)
        this.diag(
          'unmodelled-resource',
          'info',
          `${r.logicalId} (${r.type}) is not modelled, and changes no route: the role ${free.role} of its function ${free.fn} allows only actions that write no route (${free.actions.join(', ')}; a function calling AWS with other credentials is not considered)`,
          r.entry.keyStart,
          r.entry.keyEnd,
        );
      return;
    }
    const touches = this.touchesOf(r.logicalId);
    const destinations = row.when === 'names-network' ? this.destinationsOf(r) : undefined;
    const decided = destinations?.every((d) => !isUnresolved(d)) ? (destinations as string[]) : undefined;
    this.add({
      ...this.base(r),
      kind: 'unmodelled',
      resourceType: r.type,
      what: row.what,
      touches: touches.map((n) => this.id(n)),
      ...(destinations ? { destinations } : {}),
      ...(row.role ? { role: row.role } : {}),
    });
    this.diag(
      'unmodelled-resource',
      'info',
      unmodelledMessage(r.logicalId, r.type, row, touches, undefined, decided),
      r.entry.keyStart,
      r.entry.keyEnd,
    );
  }

  /**
   * The destinations a custom resource writes routes for, from its properties named like one
   * (DESTINATION_PROPERTY); undefined when it has none. A value that is not a CIDR stays unresolved.
   */
  private destinationsOf(r: Res): Val<string>[] | undefined {
    const out: Val<string>[] = [];
    for (const p of mapEntries(r.props)) {
      if (!DESTINATION_PROPERTY.test(p.key)) continue;
      const v = this.ev(p.value);
      for (const item of v.k === 'list' ? v.items : [v]) {
        const s = toStr(item);
        out.push(typeof s === 'string' && !parseCidr(s) ? unresolved(s, `${p.key} of ${r.logicalId} is not a CIDR`) : s);
      }
    }
    return out.length > 0 ? out : undefined;
  }

  private readonly touchMemo = new Map<string, string[]>();

  /** The logical ids of network elements (or kept unmodelled resources) a resource's properties name. */
  private touchesOf(logicalId: string): string[] {
    let t = this.touchMemo.get(logicalId);
    if (t) return t;
    this.touchMemo.set(logicalId, []); // a cycle of custom resources naming each other touches nothing more
    const named = new Set<string>();
    this.namedResources(this.resources.get(logicalId)?.props, named, 0);
    named.delete(logicalId);
    t = [...named]
      .filter((n) => {
        const kind = this.byId.get(this.id(n))?.kind;
        return (kind !== undefined && TOUCHABLE_KINDS.has(kind)) || this.keptUnmodelled(n);
      })
      .sort();
    this.touchMemo.set(logicalId, t);
    return t;
  }

  /**
   * Whether a resource of the template is an unmodelled one that is kept (a custom resource only when it names the
   * network and its function may change routes: routeFreeRole).
   */
  private keptUnmodelled(logicalId: string): boolean {
    const r = this.resources.get(logicalId);
    const row = r && !CFN_MAPPERS[r.type] ? unmodelledCfnType(r.type) : undefined;
    if (!row) return false;
    return row.when !== 'names-network' || (this.touchesOf(logicalId).length > 0 && !this.routeFreeRole(r!));
  }

  /**
   * The function and IAM role behind a custom resource that can change no route: its ServiceToken is
   * `!GetAtt Fn.Arn` of an AWS::Lambda::Function of the template whose Role is `!GetAtt R.Arn` of an
   * AWS::IAM::Role of the template without a fixed RoleName; R's inline policies allow some actions, and every
   * Allow statement lists only actions that write no route (ROUTE_FREE_ACTION: reads, logs, tags, transit gateway
   * policy tables), its managed policies are only AWSLambdaBasicExecutionRole, and no policy resource of the
   * template names R. The function can then call AWS only for those (credentials other than its role's are not
   * considered). Undefined otherwise: a role with no inline rights gets them elsewhere, or the template is abridged.
   */
  private routeFreeRole(r: Res): { fn: string; role: string; actions: string[] } | undefined {
    if (!r.type.startsWith('Custom::') && r.type !== 'AWS::CloudFormation::CustomResource') return undefined;
    const arnOf = (n: CNode | undefined, type: string): string | undefined => {
      const f = n ? this.fn(n) : undefined;
      if (f?.name !== 'Fn::GetAtt') return undefined;
      const parts =
        f.arg.t === 'scalar'
          ? String(f.arg.value).split('.')
          : f.arg.t === 'seq'
            ? f.arg.items.map((i) => (i.t === 'scalar' ? String(i.value) : ''))
            : [];
      return parts.length === 2 && parts[1] === 'Arn' && this.resources.get(parts[0])?.type === type ? parts[0] : undefined;
    };
    const fn = arnOf(get(r.props, 'ServiceToken'), 'AWS::Lambda::Function');
    const role = fn ? arnOf(get(this.resources.get(fn)?.props, 'Role'), 'AWS::IAM::Role') : undefined;
    const props = role ? this.resources.get(role)?.props : undefined;
    if (!fn || !role || !props) return undefined;
    const actions: string[] = [];
    for (const p of mapEntries(props)) {
      if (p.key === 'Policies') {
        if (p.value.t !== 'seq') return undefined;
        for (const pol of p.value.items) {
          const doc = get(pol, 'PolicyDocument');
          const st = get(doc, 'Statement');
          const statements = st?.t === 'seq' ? st.items : st?.t === 'map' ? [st] : undefined;
          if (!statements) return undefined;
          for (const x of statements) {
            const effect = get(x, 'Effect');
            if (effect?.t === 'scalar' && effect.value === 'Deny' && !effect.tag) continue;
            if (effect?.t !== 'scalar' || effect.value !== 'Allow' || effect.tag || get(x, 'NotAction')) return undefined;
            const a = get(x, 'Action');
            const list = a?.t === 'seq' ? a.items : a ? [a] : [];
            for (const i of list) {
              if (i.t !== 'scalar' || i.tag || typeof i.value !== 'string' || !ROUTE_FREE_ACTION.test(i.value)) return undefined;
              actions.push(i.value);
            }
          }
        }
      } else if (p.key === 'RoleName') {
        // A role named in the template can be given policies by name from elsewhere (another stack, a script).
        return undefined;
      } else if (p.key === 'ManagedPolicyArns') {
        if (p.value.t !== 'seq') return undefined;
        for (const m of p.value.items) {
          const f = this.fn(m);
          const text = f?.name === 'Fn::Sub' && f.arg.t === 'scalar' ? f.arg.value : !f && m.t === 'scalar' ? m.value : undefined;
          if (typeof text !== 'string' || !BASIC_EXECUTION_POLICY.test(text)) return undefined;
        }
      }
    }
    // A role whose inline policies allow nothing is given its rights elsewhere (or the template is abridged).
    if (actions.length === 0) return undefined;
    // A policy resource of the template attached to the role may allow more.
    for (const other of this.resources.values()) {
      if (!/^AWS::IAM::(Policy|ManagedPolicy|RolePolicy)$/.test(other.type)) continue;
      const named = new Set<string>();
      if (other.props) this.allNamed(other.props, named, 0);
      if (named.has(role)) return undefined;
    }
    return { fn, role, actions };
  }

  /** Logical ids a value names through Ref, Fn::GetAtt or Fn::Sub, anywhere inside it. */
  private namedResources(n: CNode | undefined, into: Set<string>, depth: number): void {
    if (!n || depth > 30) return;
    const f = this.fn(n);
    if (f) {
      if (f.name === 'Ref' && f.arg.t === 'scalar' && typeof f.arg.value === 'string') into.add(f.arg.value);
      else if (f.name === 'Fn::GetAtt') {
        // `!GetAtt Vpc.CidrBlock` is a value of the VPC, not the VPC; `!GetAtt Endpoint.Id` names it.
        const a = f.arg;
        const parts =
          a.t === 'scalar' && typeof a.value === 'string'
            ? a.value.split('.')
            : a.t === 'seq'
              ? a.items.map((i) => (i.t === 'scalar' ? String(i.value) : ''))
              : [];
        if (parts.length >= 2 && NAMING_ATTR.test(parts[1])) into.add(parts[0]);
      } else if (f.name === 'Fn::Sub') {
        const tpl = f.arg.t === 'seq' ? f.arg.items[0] : f.arg;
        if (tpl?.t === 'scalar' && typeof tpl.value === 'string')
          for (const m of tpl.value.matchAll(/\$\{([^}!.]+)(\.[^}]*)?\}/g)) if (!m[2] || NAMING_ATTR.test(m[2].slice(1))) into.add(m[1]);
      }
      if (f.arg !== n) this.namedResources(f.arg, into, depth + 1);
      return;
    }
    if (n.t === 'map') for (const e of n.entries) this.namedResources(e.value, into, depth + 1);
    else if (n.t === 'seq') for (const i of n.items) this.namedResources(i, into, depth + 1);
  }

  // ---- intrinsic evaluation ------------------------------------------------------------------

  src(n: CNode): string {
    const s = this.text.slice(n.start, n.end).trim();
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  }

  un(n: CNode, reason: string): Extract<CVal, { k: 'un' }> {
    return { k: 'un', text: this.src(n), reason };
  }

  /** The intrinsic a node calls, if any: short tag or long form. */
  fn(n: CNode): { name: string; arg: CNode } | undefined {
    if (n.tag) {
      const name = TAGS.has(n.tag) ? n.tag.slice(1) : `Fn::${n.tag.slice(1)}`;
      return { name, arg: { ...n, tag: undefined } as CNode };
    }
    if (n.t === 'map' && n.entries.length === 1) {
      const k = n.entries[0].key;
      if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) return { name: k, arg: n.entries[0].value };
    }
    return undefined;
  }

  ev(n: CNode | undefined, depth = 0): CVal {
    if (!n) return { k: 'un', text: '', reason: 'missing value' };
    if (depth > 20) return this.un(n, 'intrinsics nested too deeply');
    const f = this.fn(n);
    if (f) {
      const v = this.evFn(f.name, f.arg, n, depth + 1);
      // In place of a decided Fn::If: the reason says which branch the values picked (F156).
      const why = v.k === 'un' ? this.picked.get(n) : undefined;
      return why && v.k === 'un' ? { ...v, reason: `${why}, which picks \`${this.src(n)}\`: ${v.reason}` } : v;
    }
    if (n.t === 'scalar') return { k: 'lit', v: n.value };
    if (n.t === 'seq') return { k: 'list', items: n.items.map((i) => this.ev(i, depth + 1)) };
    return { k: 'obj', node: n };
  }

  evFn(name: string, arg: CNode, whole: CNode, depth: number): CVal {
    switch (name) {
      case 'Ref':
        return this.ref(arg, whole);
      case 'Fn::GetAtt':
        return this.getAtt(arg, whole, depth);
      case 'Fn::Sub':
        return this.sub(arg, whole, depth);
      case 'Fn::Select': {
        if (arg.t !== 'seq' || arg.items.length !== 2) return this.un(whole, 'malformed Fn::Select');
        const idx = this.ev(arg.items[0], depth);
        const list = this.ev(arg.items[1], depth);
        // A subnet's first IPv6 block: its IPv6 prefix (a subnet has one at most).
        if (idx.k === 'lit' && Number(idx.v) === 0 && list.k === 'un' && list.prefixesOf !== undefined)
          return { ...this.un(whole, list.reason), prefixOf: list.prefixesOf };
        if (idx.k !== 'lit' || list.k !== 'list')
          return this.un(whole, list.k === 'un' ? list.reason : 'Fn::Select over a value known only at deploy time');
        const item = list.items[Number(idx.v)];
        return item ?? this.un(whole, 'Fn::Select index out of range');
      }
      case 'Fn::GetAZs':
        return this.un(whole, 'Availability Zones are known only at deploy time');
      case 'Fn::Join': {
        if (arg.t !== 'seq' || arg.items.length !== 2) return this.un(whole, 'malformed Fn::Join');
        const sep = this.ev(arg.items[0], depth);
        const list = this.ev(arg.items[1], depth);
        const joined = this.joinedEndpointIds(sep, list);
        if (joined) return joined;
        if (sep.k !== 'lit' || list.k !== 'list' || list.items.some((i) => i.k !== 'lit')) {
          const u = this.un(whole, 'Fn::Join over values known only at deploy time');
          // `!Join ['/', [!Ref Ip, 32]]`: a CIDR of unknown address whose length the literal tail writes.
          if (sep.k === 'lit' && list.k === 'list') {
            const last = list.items.map((i) => i.k).lastIndexOf('un');
            const tail = list.items.slice(last + 1);
            const bits =
              last >= 0 && tail.length > 0 && tail.every((i) => i.k === 'lit') && list.items.every((i) => i.k === 'lit' || i.k === 'un')
                ? cidrSuffixBits(String(sep.v ?? '') + tail.map((i) => String((i as { v: unknown }).v)).join(String(sep.v ?? '')))
                : undefined;
            if (bits !== undefined) return { ...u, prefixLength: bits };
          }
          return u;
        }
        return { k: 'lit', v: list.items.map((i) => String((i as { v: unknown }).v)).join(String(sep.v ?? '')) };
      }
      case 'Fn::Split': {
        if (arg.t !== 'seq' || arg.items.length !== 2) return this.un(whole, 'malformed Fn::Split');
        const sep = this.ev(arg.items[0], depth);
        const s = this.ev(arg.items[1], depth);
        // "<az>:<endpoint-id>": the endpoint part is the firewall's endpoint; the AZ is read from its subnet.
        if (sep.k === 'lit' && sep.v === ':' && s.k === 'nfwEndpoint')
          return { k: 'list', items: [this.un(whole, 'AZ part of a firewall endpoint id'), { k: 'ref', id: s.id }] };
        if (sep.k === 'lit' && sep.v === ':' && s.k === 'nfwSlot' && !s.id)
          return { k: 'list', items: [this.un(whole, `AZ part of ${s.reason}`), { ...s, id: true }] };
        if (sep.k === 'lit' && (s.k === 'nfwJoined' || s.k === 'nfwAfterZone')) return this.splitEndpointIds(String(sep.v ?? ''), s, whole);
        if (sep.k !== 'lit' || s.k !== 'lit')
          return this.un(
            whole,
            s.k === 'un' && s.reason.includes('EndpointIds') ? s.reason : 'Fn::Split over a value known only at deploy time',
          );
        return {
          k: 'list',
          items: String(s.v)
            .split(String(sep.v))
            .map((v) => ({ k: 'lit', v })),
        };
      }
      case 'Fn::Cidr':
        return this.cidr(arg, whole, depth);
      case 'Fn::FindInMap': {
        if (arg.t !== 'seq' || arg.items.length < 3) return this.un(whole, 'malformed Fn::FindInMap');
        const keys = arg.items.slice(0, 3).map((i) => this.ev(i, depth));
        if (keys[0].k === 'lit' && keys[2].k === 'lit' && keys[1].k !== 'lit' && this.isRegionRef(arg.items[1]))
          return this.regionRows(String(keys[0].v), String(keys[2].v), whole);
        if (keys.some((k) => k.k !== 'lit')) return this.un(whole, 'Fn::FindInMap key known only at deploy time');
        const map = String((keys[0] as { v: unknown }).v);
        const row = get(get(this.mappings, map), String((keys[1] as { v: unknown }).v));
        const v = get(row, String((keys[2] as { v: unknown }).v));
        if (!row && this.user?.region && this.isRegionRef(arg.items[1])) return this.noRegionRow(map, whole);
        return v ? this.ev(v, depth) : this.un(whole, 'Fn::FindInMap: no such mapping entry');
      }
      case 'Fn::ImportValue':
        return this.importValue(arg, whole, depth);
      case 'Fn::If':
        return this.evIf(arg, whole, depth);
      default:
        // Fn::If, Fn::Equals, Condition, Fn::Base64, Fn::Transform, ...: decided at deploy time.
        return this.un(whole, `${name} is evaluated at deploy time`);
    }
  }

  /**
   * A Fn::If read as a value (properties have decided ones replaced already: decideIfs): the branch the parameters'
   * values pick; Unresolved when they do not decide its condition, or when a routing resource's is decided only by a
   * Default (decideIfs leaves it, R16), the reason saying which.
   */
  private evIf(arg: CNode, whole: CNode, depth: number): CVal {
    const held = this.held.get(whole);
    if (held) return this.un(whole, held);
    const items = arg.t === 'seq' ? arg.items : [];
    const c = items.length === 3 && items[0].t === 'scalar' ? String(items[0].value) : undefined;
    if (c === undefined) return this.un(whole, 'malformed Fn::If');
    const holds = this.condition(c);
    if (holds === undefined)
      return this.un(
        whole,
        `Fn::If is evaluated at deploy time: the parameters' values do not decide condition ${c} (${this.conditionBasis(c)})`,
      );
    const taken = items[holds ? 1 : 2];
    const f = this.fn(taken);
    const why = `condition ${c} ${holds ? 'holds' : 'is false'} with ${this.conditionBasis(c)}`;
    if (f?.name === 'Ref' && f.arg.t === 'scalar' && f.arg.value === 'AWS::NoValue')
      return this.un(whole, `${why}: no value (AWS::NoValue)`);
    const v = this.ev(taken, depth);
    return v.k === 'un' ? { ...v, reason: `${why}, which picks \`${this.src(taken)}\`: ${v.reason}` } : v;
  }

  /** Mappings already said to have no row for the user's region. */
  private readonly rowless = new Set<string>();

  /**
   * `!FindInMap [mapping, !Ref AWS::Region, key]` when the mapping has no row for the region the user gives:
   * CloudFormation fails to deploy the stack there. Unresolved, and said once per mapping at its name.
   */
  private noRegionRow(mapping: string, whole: CNode): CVal {
    const r = this.user!.region!;
    const why = `mapping ${mapping} has no row for region ${r.value} (${r.from}): CloudFormation cannot deploy the stack in that region`;
    if (!this.rowless.has(mapping)) {
      this.rowless.add(mapping);
      const at = this.mappings ? entry(this.mappings, mapping) : undefined;
      const loc = at ?? { keyStart: whole.start, keyEnd: whole.end };
      this.diag('unresolved-value', 'warning', `${why}; what it decides is Unresolved`, loc.keyStart, loc.keyEnd);
    }
    return this.un(whole, why);
  }

  /** `!Ref AWS::Region` (long or short form). */
  private isRegionRef(n: CNode): boolean {
    const f = this.fn(n);
    return f?.name === 'Ref' && f.arg.t === 'scalar' && f.arg.value === 'AWS::Region';
  }

  /**
   * `!FindInMap [mapping, !Ref AWS::Region, key]`: known only at deploy time, but when every row of the mapping
   * writes the key as a plain value, it is one of those (Unresolved.byRegion), the row of the stack's region.
   */
  private regionRows(mapping: string, key: string, whole: CNode): CVal {
    const reason = "Fn::FindInMap keyed by the stack's region (AWS::Region), known only at deploy time";
    const rows: { region: string; value: string }[] = [];
    for (const e of mapEntries(get(this.mappings, mapping))) {
      const v = get(e.value, key);
      if (!v || v.t !== 'scalar' || v.tag || v.value === null) return this.un(whole, reason);
      rows.push({ region: e.key, value: String(v.value) });
    }
    if (rows.length === 0) return this.un(whole, reason);
    // The same in every row: whatever the region (a region without a row fails to deploy), that is the value.
    if (rows.every((r) => r.value === rows[0].value)) return { k: 'lit', v: rows[0].value };
    return { k: 'un', text: this.src(whole), reason, byRegion: { mapping, rows } };
  }

  /**
   * An import joined to the export of another template of the inputs (cfnStacks.ts, joinImport), the link said
   * in `links`; unresolved when none or several export the name, or the export's value is not known offline.
   */
  private importValue(arg: CNode, whole: CNode, depth: number): CVal {
    this.out.imports = true;
    const named = this.ev(arg, depth);
    const name: ImportName = named.k === 'lit' ? { literal: String(named.v) } : {};
    const hole = this.leadingName(arg);
    if (hole && this.isParameter(hole)) {
      const suffix = this.holeThenLiteral(arg, hole, depth);
      if (suffix !== undefined) name.stackParameter = { name: hole, suffix };
    }
    const j = joinImport(name, this.exportsIn ?? []);
    if (!j) return this.un(whole, 'imported from another stack');
    if ('several' in j)
      return this.un(
        whole,
        `imported from another stack: ${j.several.length} templates of the inputs have ${j.what} (${j.several.join(', ')}), and which stack is meant is not decided`,
      );
    if (isUnresolved(j.value)) return this.un(whole, `imported from ${j.why}: ${j.value.reason}`);
    this.links?.push(`imported from ${j.why}`);
    return { k: 'lit', v: 'literal' in j.value ? j.value.literal : j.value.element };
  }

  ref(arg: CNode, whole: CNode): CVal {
    if (arg.t !== 'scalar' || typeof arg.value !== 'string') return this.un(whole, 'malformed Ref');
    const name = arg.value;
    if (name === 'AWS::Region' && this.user?.region) return { k: 'lit', v: this.user.region.value };
    if (name.startsWith('AWS::'))
      return this.placeholders
        ? { k: 'lit', v: `{${name.slice(5)}}` }
        : this.un(whole, `pseudo parameter ${name} is known only at deploy time`);
    const p = this.params.get(name);
    const given = p ? this.given?.values[name] : undefined;
    if (given !== undefined) {
      // The deploying template's value wins over the Default (a nested stack's Parameters, ParameterOverrides).
      if (isUnresolved(given)) return this.un(whole, `parameter ${name} is given by ${this.given!.by}: ${given.reason}`);
      return { k: 'lit', v: 'literal' in given ? given.literal : given.element };
    }
    const user = p ? this.userVals.get(name) : undefined;
    if (user) return user.k === 'un' ? this.un(whole, user.reason) : user;
    if (p) {
      const def = get(p, 'Default');
      if (!def) return this.placeholders ? { k: 'lit', v: `{${name}}` } : this.un(whole, `parameter ${name} has no Default`);
      const type = get(p, 'Type');
      const v = this.ev(def);
      // List parameters default to a comma separated string.
      if (v.k === 'lit' && type?.t === 'scalar' && /^(CommaDelimitedList|List<)/.test(String(type.value))) {
        return {
          k: 'list',
          items: String(v.v)
            .split(',')
            .map((s) => ({ k: 'lit', v: s.trim() })),
        };
      }
      return v;
    }
    // Resources (and names not defined anywhere, which the workspace reports as missing).
    return this.notCreated(name, whole) ?? this.generated(name, whole) ?? { k: 'ref', id: name };
  }

  getAtt(arg: CNode, whole: CNode, depth: number): CVal {
    let parts: string[] | undefined;
    if (arg.t === 'scalar' && typeof arg.value === 'string') {
      const dot = arg.value.indexOf('.');
      parts = dot > 0 ? [arg.value.slice(0, dot), arg.value.slice(dot + 1)] : undefined;
    } else if (arg.t === 'seq' && arg.items.length === 2) {
      const a = this.ev(arg.items[0], depth);
      const b = this.ev(arg.items[1], depth);
      if (a.k === 'lit' && b.k === 'lit') parts = [String(a.v), String(b.v)];
    }
    if (!parts) return this.un(whole, 'malformed Fn::GetAtt');
    const [logical, attr] = parts;
    const r = this.resources.get(logical);
    if (!r) return this.notCreated(logical, whole) ?? this.generated(logical, whole) ?? { k: 'ref', id: logical };
    if (r.type === NFW_TYPE && attr === 'EndpointIds') return this.nfwEndpointIds(r, whole);
    const described = this.describedService(r);
    if (described) {
      this.links?.push(
        `${logical}.${attr} read as endpoint service ${described.id}, the custom resource's only input (its ${described.says} describes endpoint services)`,
      );
      return { k: 'ref', id: described.id };
    }
    // Attributes that echo a property (VPC.CidrBlock, Subnet.AvailabilityZone, Subnet.VpcId).
    const prop = get(r.props, attr);
    if (prop && depth < 20) return this.ev(prop, depth);
    if (/Id$|Arn$/.test(attr)) return { k: 'ref', id: logical };
    if (attr === 'Ipv6CidrBlocks' && r.type === 'AWS::EC2::Subnet' && !this.placeholders)
      return { ...this.un(whole, `attribute ${attr} is known only after deployment`), prefixesOf: this.id(logical) };
    return this.placeholders ? { k: 'lit', v: `{${logical}.${attr}}` } : this.un(whole, `attribute ${attr} is known only after deployment`);
  }

  /**
   * The VPC endpoint service a custom resource describes: its only input (properties besides ServiceToken) names
   * one resource, an AWS::EC2::VPCEndpointService of the template, and its type or its function's inline code says
   * it describes endpoint services (`Custom::DescribeVpcEndpointServiceConfigurations`). Its attributes (the
   * service's name, as a GWLB endpoint's ServiceName) are then that service's; otherwise undefined.
   */
  private describedService(r: Res): { id: string; says: string } | undefined {
    if (!r.type.startsWith('Custom::') && r.type !== 'AWS::CloudFormation::CustomResource') return undefined;
    const named = new Set<string>();
    let token: CNode | undefined;
    for (const p of mapEntries(r.props)) {
      if (p.key === 'ServiceToken') token = p.value;
      else if (p.key !== 'ServiceTimeout') this.allNamed(p.value, named, 0);
    }
    const [only, ...more] = [...named];
    if (!only || more.length > 0 || this.resources.get(only)?.type !== 'AWS::EC2::VPCEndpointService') return undefined;
    const says = /vpc_?endpoint_?service/i;
    if (says.test(r.type)) return { id: only, says: `type ${r.type}` };
    // The function behind ServiceToken (`!GetAtt Fn.Arn`): its inline code.
    const t = token ? this.fn(token) : undefined;
    const fnName =
      t?.name === 'Fn::GetAtt'
        ? t.arg.t === 'scalar'
          ? String(t.arg.value).split('.')[0]
          : t.arg.t === 'seq' && t.arg.items[0]?.t === 'scalar'
            ? String(t.arg.items[0].value)
            : undefined
        : undefined;
    const code = fnName ? get(get(this.resources.get(fnName)?.props, 'Code'), 'ZipFile') : undefined;
    return code?.t === 'scalar' && says.test(String(code.value)) ? { id: only, says: `function ${fnName}'s inline code` } : undefined;
  }

  /**
   * The AWS::EC2::VPCEndpointService of the template a ServiceName spells out: `com.amazonaws.vpce.<region>.<its
   * id>`, the service name AWS gives it, written with Fn::Join or Fn::Sub from `AWS::Region` and the service's Ref
   * (its id: CloudFormation gives no attribute for the name). Anything else spelled there: undefined (F299).
   */
  endpointServiceSpelled(n: CNode | undefined): string | undefined {
    const f = n ? this.fn(n) : undefined;
    let parts: (string | { ref: string })[] | undefined;
    if (f?.name === 'Fn::Join' && f.arg.t === 'seq' && f.arg.items.length === 2) {
      const [sep, list] = f.arg.items;
      if (sep.t !== 'scalar' || list.t !== 'seq') return undefined;
      parts = [];
      for (const [i, item] of list.items.entries()) {
        if (i > 0 && String(sep.value ?? '') !== '') parts.push(String(sep.value));
        const g = this.fn(item);
        if (g?.name === 'Ref' && g.arg.t === 'scalar') parts.push({ ref: String(g.arg.value) });
        else if (!g && item.t === 'scalar') parts.push(String(item.value ?? ''));
        else return undefined;
      }
    } else if (f?.name === 'Fn::Sub') {
      const t = f.arg.t === 'seq' && f.arg.items.length === 1 ? f.arg.items[0] : f.arg;
      if (t.t !== 'scalar') return undefined;
      parts = String(t.value ?? '')
        .split(/(\$\{[^}]*\})/)
        .filter((x) => x !== '')
        .map((x) => (/^\$\{[^!][^}]*\}$/.test(x) ? { ref: x.slice(2, -1) } : x));
    }
    if (!parts) return undefined;
    // One text with the two references marked, compared whole.
    let service: string | undefined;
    const text = parts
      .map((x) => {
        if (typeof x === 'string') return x.includes('\u0000') ? '\u0001' : x;
        if (x.ref === 'AWS::Region') return '\u0000R';
        if (service !== undefined || this.resources.get(x.ref)?.type !== 'AWS::EC2::VPCEndpointService') return '\u0001';
        service = x.ref;
        return '\u0000S';
      })
      .join('');
    return service !== undefined && text === 'com.amazonaws.vpce.\u0000R.\u0000S' ? service : undefined;
  }

  /** Every logical id a value names through Ref, Fn::GetAtt (any attribute) or Fn::Sub. */
  private allNamed(n: CNode, into: Set<string>, depth: number): void {
    if (depth > 30) return;
    const f = this.fn(n);
    if (f?.name === 'Ref' && f.arg.t === 'scalar') {
      if (this.resources.has(String(f.arg.value))) into.add(String(f.arg.value));
      return;
    }
    if (f?.name === 'Fn::GetAtt') {
      const first = getAttResource(f.arg);
      if (this.resources.has(first)) into.add(first);
      return;
    }
    if (f?.name === 'Fn::Sub') {
      const tpl = f.arg.t === 'seq' ? f.arg.items[0] : f.arg;
      if (tpl?.t === 'scalar') for (const m of String(tpl.value).matchAll(/\$\{([^}!.]+)/g)) if (this.resources.has(m[1])) into.add(m[1]);
    }
    const inner = f ? f.arg : n;
    if (inner.t === 'map') for (const e of inner.entries) this.allNamed(e.value, into, depth + 1);
    else if (inner.t === 'seq') for (const i of inner.items) this.allNamed(i, into, depth + 1);
  }

  /**
   * AWS lists a firewall's endpoints as "<az>:<endpoint-id>" in an order it does not guarantee. With one
   * subnet mapping the list has one item, so any route picking from it resolves exactly; with several, a
   * positional Fn::Select picks an endpoint of this firewall in an AZ the template does not say: a slot
   * (RouteTarget.pick), never the endpoint of the mapping written at that position.
   */
  nfwEndpointIds(r: Res, whole: CNode): CVal {
    const keys = this.nfwMappings(r).map((m) => m.key);
    if (keys.length === 1)
      return { k: 'list', items: [{ k: 'nfwEndpoint', id: networkFirewallEndpointId(r.logicalId, keys[0]), firewall: r.logicalId }] };
    const reason = `${r.logicalId}.EndpointIds lists "<az>:<endpoint-id>" in an order AWS does not guarantee; a positional Fn::Select over it picks one of the firewall's ${keys.length} endpoints without saying which AZ`;
    if (keys.length === 0) return this.un(whole, reason);
    const endpoints = keys.map((k) => networkFirewallEndpointId(r.logicalId, k));
    return {
      k: 'list',
      items: keys.map((_, position) => ({ k: 'nfwSlot', firewall: r.logicalId, position, endpoints, id: false, reason })),
    };
  }

  /**
   * `!Join [sep, !GetAtt FW.EndpointIds]`: the firewall's "<az>:<endpoint-id>" strings in an order AWS does not
   * guarantee, joined with a separator that occurs in no AZ name or endpoint id (`,`). Undefined otherwise.
   */
  private joinedEndpointIds(sep: CVal, list: CVal): CVal | undefined {
    if (sep.k !== 'lit' || typeof sep.v !== 'string' || !sep.v || /[a-z0-9:-]/i.test(sep.v) || list.k !== 'list') return undefined;
    const first = list.items[0] as CVal | undefined;
    if (first?.k !== 'nfwEndpoint' && first?.k !== 'nfwSlot') return undefined;
    const whole =
      first.k === 'nfwEndpoint'
        ? list.items.length === 1
        : !first.id &&
          list.items.length === first.endpoints.length &&
          list.items.every((i, n) => i.k === 'nfwSlot' && !i.id && i.firewall === first.firewall && i.position === n);
    return whole ? { k: 'nfwJoined', firewall: first.firewall, sep: sep.v } : undefined;
  }

  /**
   * Fn::Split over a joined EndpointIds. At "<zone>:" (`!Split ['a:', !Join [',', !GetAtt FW.EndpointIds]]`): the
   * string splits where an AZ name ending in `zone` meets its endpoint id, so item 1 begins with the endpoint of
   * the AZ ending in `zone` (CloudFormation templates pick an endpoint per AZ so, as AWS lists them in no order).
   * Then at the join's separator, item 0 is that endpoint's id. Which endpoint it is, is read from the AZs of the
   * firewall's subnet mappings (zoneSuffixPick).
   */
  private splitEndpointIds(sep: string, s: Extract<CVal, { k: 'nfwJoined' | 'nfwAfterZone' }>, whole: CNode): CVal {
    const list = `${s.firewall}.EndpointIds joined with '${s.sep}'`;
    if (s.k === 'nfwAfterZone') {
      if (sep !== s.sep) return this.un(whole, `Fn::Split of what follows '${s.zone}:' in ${list} at '${sep}' is not read`);
      const endpoint: CVal = typeof s.endpoint === 'string' ? { k: 'ref', id: s.endpoint } : this.un(whole, s.endpoint.why);
      return { k: 'list', items: [endpoint, this.un(whole, `the endpoints listed after the one in the AZ ending in "${s.zone}"`)] };
    }
    const zone = sep.endsWith(':') ? sep.slice(0, -1) : '';
    if (!zone || zone.includes(':') || zone.includes(s.sep))
      return this.un(whole, `Fn::Split of ${list} at '${sep}' is not read (only a split at the end of an AZ name and ':')`);
    const fw = this.resources.get(s.firewall)!;
    return {
      k: 'list',
      items: [
        this.un(whole, `the endpoints listed before the one in the AZ ending in "${zone}", in an order AWS does not guarantee`),
        { k: 'nfwAfterZone', firewall: s.firewall, sep: s.sep, zone, endpoint: this.zoneSuffixPick(fw, zone) },
      ],
    };
  }

  /**
   * The endpoint (logical name) of a Network Firewall in the AZ whose name ends in `zone`: the one subnet mapping
   * whose subnet's AZ ends so while every other mapping's AZ is known not to. Else why not: a mapping's AZ not
   * known offline (a subnet of another stack, an AZ from Fn::GetAZs or a parameter without Default), several
   * AZs ending so (which one the split takes depends on the order AWS lists them in), or none (the Fn::Select
   * finds no item and the stack fails to deploy).
   */
  private zoneSuffixPick(fw: Res, zone: string): string | { why: string } {
    const what = `${fw.logicalId}.EndpointIds split at '${zone}:' is the firewall's endpoint in the AZ whose name ends in "${zone}"`;
    const matches: string[] = [];
    let key: string | number | undefined;
    const mappings = this.nfwMappings(fw);
    for (const m of mappings) {
      const v = this.ev(get(m.node, 'SubnetId'));
      const subnet = v.k === 'ref' ? this.resources.get(v.id) : undefined;
      const name = v.k === 'ref' ? v.id : this.src(get(m.node, 'SubnetId') ?? m.node);
      const azNode = subnet?.type === 'AWS::EC2::Subnet' ? get(subnet.props, 'AvailabilityZone') : undefined;
      const az = azNode ? this.zoneText(azNode) : undefined;
      const ends =
        az === undefined
          ? undefined
          : 'full' in az
            ? az.full.endsWith(zone)
            : az.tail.length >= zone.length
              ? az.tail.endsWith(zone)
              : zone.endsWith(az.tail)
                ? undefined
                : false;
      if (ends === undefined)
        return {
          why: `${what}; the AZ of subnet ${name}${azNode ? ` (${this.src(azNode)})` : ''} is not known offline, so which endpoint that is is not decided`,
        };
      if (ends) {
        matches.push(name);
        key = m.key;
      }
    }
    if (matches.length === 1 && key !== undefined) return networkFirewallEndpointId(fw.logicalId, key);
    if (matches.length > 1)
      return {
        why: `${what}; subnets ${matches.join(', ')} are all in AZs ending so, and which endpoint the split takes depends on the order AWS lists them in`,
      };
    return { why: `${what}; no subnet mapping of it is in such an AZ, so the Fn::Select finds no item and the stack fails to deploy` };
  }

  /** An AZ name as far as it is known offline: the whole name, or (`${AWS::Region}a`, a Join ending in literals) its end. */
  private zoneText(n: CNode): { full: string } | { tail: string } | undefined {
    const v = this.ev(n);
    if (v.k === 'lit') return typeof v.v === 'string' && v.v ? { full: v.v } : undefined;
    const f = this.fn(n);
    if (f?.name === 'Fn::Sub') {
      const tpl = f.arg.t === 'seq' ? f.arg.items[0] : f.arg;
      if (tpl?.t !== 'scalar' || typeof tpl.value !== 'string') return undefined;
      const tail = tpl.value.slice(tpl.value.lastIndexOf('}') + 1);
      return tail.includes('${') ? undefined : { tail };
    }
    if (f?.name === 'Fn::Join' && f.arg.t === 'seq' && f.arg.items.length === 2) {
      const sep = this.ev(f.arg.items[0]);
      const list = this.ev(f.arg.items[1]);
      if (sep.k !== 'lit' || list.k !== 'list') return undefined;
      const last = list.items.map((i) => i.k === 'lit').lastIndexOf(false);
      const lits = list.items.slice(last + 1).map((i) => String((i as { v: unknown }).v ?? ''));
      return { tail: (last >= 0 && lits.length > 0 ? String(sep.v ?? '') : '') + lits.join(String(sep.v ?? '')) };
    }
    return undefined;
  }

  /** The firewall's SubnetMappings: each subnet and the key its endpoint is named by (logical id, literal id or position). */
  nfwMappings(r: Res): { node: CNode; subnet: Ref; key: string | number }[] {
    const n = get(r.props, 'SubnetMappings');
    if (n?.t !== 'seq') return [];
    return n.items.map((m, i) => {
      const v = this.ev(get(m, 'SubnetId'));
      const key = v.k === 'ref' ? v.id : v.k === 'lit' && v.v !== null ? String(v.v) : i;
      return { node: m, subnet: get(m, 'SubnetId') ? this.toRef(v) : unresolved('', 'subnet mapping without SubnetId'), key };
    });
  }

  /** Where a node is written. */
  nodeLoc(n: CNode): SourceLocation {
    return this.tree.map.loc(this.file, n.start, n.end);
  }

  sub(arg: CNode, whole: CNode, depth: number): CVal {
    let tpl: CNode | undefined = arg;
    let vars: CNode | undefined;
    if (arg.t === 'seq') {
      tpl = arg.items[0];
      vars = arg.items[1];
    }
    if (tpl?.t !== 'scalar' || typeof tpl.value !== 'string') return this.un(whole, 'malformed Fn::Sub');
    let unres: string | undefined;
    const refs: string[] = [];
    const s = tpl.value.replace(/\$\{([^}]*)\}/g, (m, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const local = get(vars, name);
      const v = local
        ? this.ev(local, depth)
        : name.includes('.')
          ? this.getAtt({ t: 'scalar', value: name, start: tpl.start, end: tpl.end }, whole, depth)
          : this.ref({ t: 'scalar', value: name, start: tpl.start, end: tpl.end }, whole);
      if (v.k === 'lit') return String(v.v);
      if (v.k === 'ref') refs.push(v.id);
      unres ??= v.k === 'un' ? v.reason : `\${${name}} is known only at deploy time`;
      return m;
    });
    if (unres) {
      if (refs.length === 1 && /^com\.amazonaws\.vpce\./.test(tpl.value)) return { k: 'ref', id: refs[0] };
      // `!Sub '${Ip}/32'`: a CIDR of unknown address whose length the literal tail writes.
      const close = tpl.value.lastIndexOf('}');
      const bits = close >= 0 && refs.length === 0 ? cidrSuffixBits(tpl.value.slice(close + 1)) : undefined;
      return bits !== undefined ? { ...this.un(whole, unres), prefixLength: bits } : this.un(whole, unres);
    }
    return { k: 'lit', v: s };
  }

  cidr(arg: CNode, whole: CNode, depth: number): CVal {
    if (arg.t !== 'seq' || arg.items.length !== 3) return this.un(whole, 'malformed Fn::Cidr');
    const [block, count, bits] = arg.items.map((i) => this.ev(i, depth));
    if (block.k !== 'lit' || count.k !== 'lit' || bits.k !== 'lit') return this.un(whole, 'Fn::Cidr over values known only at deploy time');
    const c = parseCidr(String(block.v));
    const n = Number(count.v);
    const hostBits = Number(bits.v);
    const total = c ? (c.family === 4 ? 32 : 128) : 0;
    const newbits = total - (c?.prefix ?? 0) - hostBits;
    if (!c || !Number.isInteger(n) || n < 1 || n > 256 || !Number.isInteger(hostBits) || newbits < 0)
      return this.un(whole, 'Fn::Cidr arguments out of range');
    const items: CVal[] = [];
    for (let i = 0; i < n; i++) {
      const s = cidrSubnet(c.text, newbits, i);
      items.push(s ? { k: 'lit', v: s } : this.un(whole, 'Fn::Cidr: not enough address space'));
    }
    return { k: 'list', items };
  }

  // ---- typed accessors over properties ------------------------------------------------------

  prop(r: Res, key: string): CVal {
    const n = get(r.props, key);
    return n ? this.ev(n) : { k: 'un', text: '', reason: `${key} not set` };
  }

  str(r: Res, key: string): Val<string> | undefined {
    const n = get(r.props, key);
    if (!n) return undefined;
    return toStr(this.ev(n));
  }

  /** A reference property: resource refs become model ids, literal AWS ids stay as written. */
  refOf(r: Res, key: string): Ref | undefined {
    const n = get(r.props, key);
    return n ? this.toRef(this.ev(n)) : undefined;
  }

  toRef(v: CVal): Ref {
    if (v.k === 'ref') return this.id(v.id);
    if (v.k === 'lit' && v.v !== null) return String(v.v);
    if (v.k === 'un') return unresolved(v.text, v.reason);
    if (v.k === 'nfwSlot') return unresolved(`${v.firewall}.EndpointIds[${v.position}]`, v.reason);
    if (v.k === 'nfwAfterZone')
      return unresolved(
        '',
        `what follows '${v.zone}:' in ${v.firewall}.EndpointIds joined with '${v.sep}' is an endpoint id followed by the endpoints listed after it`,
      );
    return unresolved('', 'not a reference');
  }

  refs(r: Res, key: string): Ref[] {
    const n = get(r.props, key);
    if (!n) return [];
    const v = this.ev(n);
    return v.k === 'list' ? v.items.map((i) => this.toRef(i)) : [this.toRef(v)];
  }

  bool(r: Res, key: string): Val<boolean> | undefined {
    const v = get(r.props, key) ? this.prop(r, key) : undefined;
    if (!v) return undefined;
    if (v.k === 'lit') return v.v === true || v.v === 'true' || v.v === 'enable';
    return v.k === 'un' ? unresolved(v.text, v.reason) : undefined;
  }

  /** While set, pseudo parameters, parameters without a default and deploy-time attributes read as `{Name}`. */
  private placeholders = false;

  /** A value for display only (a Name tag): what deploy time decides is shown as a `{placeholder}`. */
  private display(n: CNode | undefined): string | undefined {
    this.placeholders = true;
    try {
      const v = this.ev(n);
      return v.k === 'lit' ? String(v.v) : undefined;
    } finally {
      this.placeholders = false;
    }
  }

  tags(r: Res): Record<string, string> | undefined {
    const n = get(r.props, 'Tags');
    if (n?.t !== 'seq') return undefined;
    const out: Record<string, string> = {};
    for (const t of n.items) {
      const k = this.ev(get(t, 'Key'));
      const v = this.ev(get(t, 'Value'));
      if (k.k !== 'lit') continue;
      if (v.k === 'lit') out[String(k.v)] = String(v.v);
      else if (v.k === 'un') {
        // `!Sub ${AWS::StackName}-vpc` is shown as `{StackName}-vpc` beside the logical id, never as raw YAML.
        const shown = this.display(get(t, 'Value'));
        out[String(k.v)] = shown !== undefined ? `${r.logicalId} "${shown}"` : r.logicalId;
      } else out[String(k.v)] = '';
    }
    return Object.keys(out).length ? out : undefined;
  }

  base(r: Res) {
    const tags = this.tags(r);
    const e = r.entry;
    const b = {
      id: this.id(r.logicalId),
      name: tags?.Name ?? r.logicalId,
      loc: this.tree.map.loc(this.file, e.keyStart, e.keyEnd),
      // A resource a loop generates is written once for every item: no extent or attribute ranges, so that no
      // quick fix edits the loop's template (which would change every resource it generates).
      ...(this.generatedBy.has(r.logicalId) ? {} : this.written(r)),
      cloud: 'aws' as Cloud,
    };
    return tags ? { ...b, tags } : b;
  }

  /** Where a resource written out is, for edits: its whole mapping and its properties' values. */
  private written(r: Res): { extent: SourceRange; attrs: Record<string, SourceRange> } {
    const e = r.entry;
    const attrs: Record<string, SourceRange> = {};
    for (const p of mapEntries(r.props)) attrs[p.key] = this.tree.map.range(p.value.start, p.value.end);
    return { extent: this.tree.map.range(e.keyStart, Math.max(e.keyEnd, e.value.end)), attrs };
  }

  add(e: NetworkElement): void {
    this.byId.set(e.id, e);
    this.out.elements.push(e);
  }

  must(r: Res, key: string, what: string): Ref {
    return this.refOf(r, key) ?? unresolved('', `${what} has no ${key}`);
  }

  /**
   * The element a property of `r` names, when it is of the kind wanted; else undefined, with a warning when the
   * template names one of its own resources (or an undeclared one) that is not of that kind.
   */
  owner(r: Res, key: string, kind: NetworkElement['kind']): NetworkElement | undefined {
    const n = get(r.props, key);
    const v = n ? this.ev(n) : undefined;
    const ref = v ? this.toRef(v) : undefined;
    const e = typeof ref === 'string' ? this.byId.get(ref) : undefined;
    if (e && e.kind === kind) return e;
    // A name a loop may generate (generated()): not a mistake of the template.
    if (ref !== undefined && isUnresolved(ref) && this.loops.length > 0) {
      this.diag('missing-reference', 'info', `${r.logicalId}: ${key}: ${ref.reason}`, r.entry.keyStart, r.entry.keyEnd);
      return undefined;
    }
    // A parameter, an import or a literal id names something outside the template (an existing TGW route table
    // given at deploy time): not a mistake of the template, and not known offline; the caller says what that leaves
    // undecided (TgwAttachment.associationUndecided).
    if (v && v.k !== 'ref') return undefined;
    this.diag(
      'missing-reference',
      'warning',
      `${r.logicalId}: ${key} does not name a ${kind} of this template`,
      r.entry.keyStart,
      r.entry.keyEnd,
    );
    return undefined;
  }

  /** The stand-in table for the routes a template writes into a table it names by `ref` (unresolved). */
  unplacedTable(r: Res, ref: Unresolved): RouteTable {
    const text = ref.text || '?';
    const id = this.id(`RouteTableId(${text})`);
    const known = this.byId.get(id);
    if (known?.kind === 'routeTable') return known;
    const why = `route table ${text} is a parameter or import of another stack: which table it names is not known offline`;
    const t: RouteTable = {
      id,
      kind: 'routeTable',
      name: `route table ${text}`,
      loc: this.resLoc(r),
      cloud: 'aws',
      vpc: unresolved(text, why),
      routes: [],
      unplaced: unresolved(text, why),
    };
    this.add(t);
    return t;
  }

  /** Where a resource is written: its logical id. */
  resLoc(r: Res): SourceLocation {
    return this.tree.map.loc(this.file, r.entry.keyStart, r.entry.keyEnd);
  }

  target(r: Res, toPrefixList: boolean): RouteTarget {
    const vpce = get(r.props, 'VpcEndpointId');
    const value = vpce ? this.customFirewallValue(vpce) : undefined;
    if (value && vpce)
      return {
        kind: 'gwlbe',
        ref: unresolved(this.src(vpce), value.reason),
        pick: { firewall: this.id(value.firewall), attribute: value.attribute, endpoints: value.endpoints.map((e) => this.id(e)) },
      };
    const t = routeTarget(
      'cfn',
      (f) => this.refOf(r, f),
      (ref) => this.typeOfId(ref),
    );
    if (t.kind === 'gwlbe' && isUnresolved(t.ref)) {
      // A positional pick of a Network Firewall's endpoints: the text as written, and which firewall and position.
      const n = get(r.props, 'VpcEndpointId');
      const v = n ? this.ev(n) : undefined;
      if (v?.k === 'nfwSlot' && v.id && n)
        return {
          kind: 'gwlbe',
          ref: unresolved(this.src(n), v.reason),
          pick: { firewall: this.id(v.firewall), position: v.position, endpoints: v.endpoints.map((e) => this.id(e)) },
        };
      return t;
    }
    if (t.kind !== 'gwlbe' || typeof t.ref !== 'string' || this.isNfwEndpoint(t.ref)) return t;
    const ep = this.resourceOfId(t.ref);
    const type =
      ep?.type === 'AWS::EC2::VPCEndpoint'
        ? get(ep.props, 'VpcEndpointType')
          ? toStr(this.prop(ep, 'VpcEndpointType'))
          : DEFAULT_ENDPOINT_TYPE
        : undefined;
    return { kind: endpointTargetKind(typeof type === 'string' ? type : undefined, toPrefixList), ref: t.ref };
  }

  /**
   * A route's `VpcEndpointId: !GetAtt C.Attr` where C is a custom resource (its function's result, known only at
   * deploy time) whose properties name exactly one AWS::NetworkFirewall::Firewall of the template and nothing
   * else a Gateway Load Balancer endpoint could come from. A route's VPC endpoint can only be a Gateway Load
   * Balancer-type one, and the firewall's are the only ones the function is given: the value is one of that
   * firewall's endpoints (RouteTarget.pick `attribute`), in an AZ the function decides. Undefined (the value stays
   * Unresolved) when C names no firewall or several; when a property names a VPC endpoint, endpoint service, load
   * balancer, another custom resource, nested stack or import, or a value not known offline that could be an
   * endpoint id; when the template holds a VPC endpoint whose type is not known offline; or when the firewall has
   * no subnet mapping. A Gateway Load Balancer endpoint in the route's VPC, and the firewall's endpoint
   * associations, are weighed by the trace (trace/endpointPick.ts).
   */
  customFirewallValue(n: CNode): { firewall: string; attribute: string; endpoints: string[]; reason: string } | undefined {
    const f = this.fn(n);
    if (f?.name !== 'Fn::GetAtt') return undefined;
    const parts =
      f.arg.t === 'scalar' && typeof f.arg.value === 'string'
        ? [f.arg.value.slice(0, Math.max(0, f.arg.value.indexOf('.'))), f.arg.value.slice(f.arg.value.indexOf('.') + 1)]
        : f.arg.t === 'seq' &&
            f.arg.items.length === 2 &&
            f.arg.items.every((i) => i.t === 'scalar' && !i.tag && typeof i.value === 'string')
          ? f.arg.items.map((i) => String((i as { value: unknown }).value))
          : undefined;
    if (!parts || !parts[0] || !parts[1]) return undefined;
    const [logical, attr] = parts;
    const r = this.resources.get(logical);
    if (!r || (!r.type.startsWith('Custom::') && r.type !== 'AWS::CloudFormation::CustomResource')) return undefined;
    // An attribute echoing a property is that property's value (getAtt), not the function's result.
    if (get(r.props, attr)) return undefined;
    const firewalls = new Set<string>();
    for (const p of mapEntries(r.props)) {
      if (p.key === 'ServiceToken' || p.key === 'ServiceTimeout') continue;
      if (!this.noEndpointSource(p.value, firewalls, 0)) return undefined;
    }
    const [firewall, ...more] = [...firewalls];
    if (!firewall || more.length > 0) return undefined;
    const fw = this.resources.get(firewall)!;
    // A VPC endpoint whose type is not known offline may be a Gateway Load Balancer one, yet is no element the
    // trace could weigh (trace/endpointPick.ts weighs those of the route's VPC, and the firewall's associations).
    for (const other of this.resources.values())
      if (
        other.type === 'AWS::EC2::VPCEndpoint' &&
        get(other.props, 'VpcEndpointType') &&
        typeof this.str(other, 'VpcEndpointType') !== 'string'
      )
        return undefined;
    const keys = this.nfwMappings(fw).map((m) => m.key);
    if (keys.length === 0) return undefined;
    return {
      firewall,
      attribute: `${logical}.${attr}`,
      endpoints: keys.map((k) => networkFirewallEndpointId(firewall, k)),
      reason: `${logical}.${attr} is what custom resource ${logical} returns, known only at deploy time; it is given only firewall ${firewall}, so it is one of that firewall's endpoints, and which AZ's its function decides`,
    };
  }

  /**
   * Whether a custom resource's property value can give its function no Gateway Load Balancer endpoint other
   * than a firewall's: literals (none an endpoint id), parameters with such values or of an AWS-specific type
   * other than an SSM parameter, pseudo parameters, and resources other than endpoints, endpoint services, load
   * balancers, custom resources, nested stacks or the like; the Network Firewall firewalls it names are added to
   * `firewalls`. False for imports and other intrinsics whose value is not known offline.
   */
  private noEndpointSource(n: CNode, firewalls: Set<string>, depth: number): boolean {
    if (depth > 20) return false;
    const f = this.fn(n);
    if (!f) {
      if (n.t === 'scalar') return !(typeof n.value === 'string' && /^vpce-/.test(n.value));
      if (n.t === 'seq') return n.items.every((i) => this.noEndpointSource(i, firewalls, depth + 1));
      return n.t === 'map' && n.entries.every((e) => this.noEndpointSource(e.value, firewalls, depth + 1));
    }
    const name = (a: CNode): string | undefined => (a.t === 'scalar' && typeof a.value === 'string' ? a.value : undefined);
    if (f.name === 'Ref' || f.name === 'Fn::GetAtt') {
      const text = name(f.arg) ?? (f.arg.t === 'seq' && f.arg.items[0] ? name(f.arg.items[0]) : undefined);
      if (!text) return false;
      const logical = f.name === 'Ref' ? text : text.split('.')[0];
      if (f.name === 'Ref' && logical.startsWith('AWS::')) return true;
      const res = this.resources.get(logical);
      if (res) {
        if (res.type === NFW_TYPE) {
          firewalls.add(logical);
          return true;
        }
        return !ENDPOINT_SOURCE_TYPE.test(res.type);
      }
      const p = f.name === 'Ref' ? this.params.get(logical) : undefined;
      if (!p) return false;
      const type = get(p, 'Type');
      if (type?.t === 'scalar' && typeof type.value === 'string' && /^(List<)?AWS::(?!SSM::)/.test(type.value)) return true;
      const v = this.ev(n);
      const lits = v.k === 'list' ? v.items : [v];
      return lits.every((i) => i.k === 'lit' && !(typeof i.v === 'string' && /^vpce-/.test(i.v)));
    }
    if (f.name === 'Fn::Sub' || f.name === 'Fn::Join' || f.name === 'Fn::Select' || f.name === 'Fn::Split') {
      const v = this.ev(n);
      if (v.k === 'lit') return !(typeof v.v === 'string' && /^vpce-/.test(v.v));
      return f.name !== 'Fn::Sub' && this.noEndpointSource(f.arg, firewalls, depth + 1);
    }
    return false;
  }

  isNfwEndpoint(id: string): boolean {
    const e = this.byId.get(id);
    return e?.kind === 'gwlbe' && e.flavor === 'networkFirewall';
  }

  resourceOfId(id: string): Res | undefined {
    const prefix = cfnId(this.file, '');
    return id.startsWith(prefix) ? this.resources.get(id.slice(prefix.length)) : undefined;
  }

  /** The Type of the template resource an id names, to tell an IGW from a VGW. */
  typeOfId(id: string): string | undefined {
    return this.resourceOfId(id)?.type;
  }
}

// ---- resources -----------------------------------------------------------------------------

type CfnMapper = (tpl: Template, r: Res) => void;

const vpc: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const c = tpl.str(r, 'CidrBlock');
  tpl.add({ ...b, kind: 'vpc', cidrs: c === undefined ? [] : [c], flavor: 'vpc' });
  if (c === undefined) tpl.rangesOpen.add(b.id);
};

const subnet: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const az = tpl.str(r, 'AvailabilityZone');
  const ipv6 = tpl.str(r, 'Ipv6CidrBlock');
  const mapPublicIp = tpl.bool(r, ENI_FIELDS.mapPublicIp.cfn);
  const ipv6Native = tpl.bool(r, 'Ipv6Native') === true;
  const reservedFor = tpl.reservedFor(r.logicalId);
  tpl.add({
    ...b,
    kind: 'subnet',
    vpc: tpl.must(r, 'VpcId', 'subnet'),
    cidr: tpl.str(r, 'CidrBlock') ?? unresolved('', 'subnet has no CidrBlock'),
    ...(az !== undefined ? { az } : {}),
    ...(ipv6 !== undefined ? { ipv6Cidr: ipv6 } : {}),
    ...(mapPublicIp !== undefined ? { mapPublicIp } : {}),
    ...(reservedFor !== undefined ? { reservedFor } : {}),
    ...(ipv6Native ? { ipv6Native } : cfnSurelyIpv6(tpl, r) ? { dualStack: true as const } : {}),
  });
};

/**
 * Whether a subnet (or an AWS::EC2::SubnetCidrBlock) surely gives it an IPv6 prefix (Subnet.dualStack): an
 * `Ipv6CidrBlock` that is not chosen by a condition (a literal, or a block of the VPC's `Ipv6CidrBlocks` that
 * AWS assigns at deploy), an IPAM pool's allocation, or `AssignIpv6AddressOnCreation` true (AWS accepts it only
 * on a subnet with an IPv6 prefix).
 */
function cfnSurelyIpv6(tpl: Template, r: Res): boolean {
  if (tpl.bool(r, 'AssignIpv6AddressOnCreation') === true) return true;
  if (get(r.props, 'Ipv6IpamPoolId')) return true;
  const n = get(r.props, 'Ipv6CidrBlock');
  return n !== undefined && tpl.fn(n)?.name !== 'Fn::If';
}

/** AWS::EC2::SubnetCidrBlock: an IPv6 prefix associated with a subnet of the template. */
const subnetCidrBlockAttach: CfnMapper = (tpl, r) => {
  const s = tpl.owner(r, 'SubnetId', 'subnet') as Subnet | undefined;
  if (!s || !cfnSurelyIpv6(tpl, r)) return;
  const c = tpl.str(r, 'Ipv6CidrBlock');
  if (c !== undefined && s.ipv6Cidr === undefined) s.ipv6Cidr = c;
  if (!s.ipv6Native) s.dualStack = true;
};

const routeTable: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'routeTable', vpc: tpl.must(r, 'VpcId', 'route table'), routes: [] });
};

const subnetRouteTableAssociation: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({
    ...b,
    kind: 'rtAssociation',
    routeTable: tpl.must(r, 'RouteTableId', 'association'),
    subnet: tpl.must(r, 'SubnetId', 'association'),
    ...(r.undecided ? { undecided: r.undecided } : {}),
  });
};

const gatewayRouteTableAssociation: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({
    ...b,
    kind: 'rtAssociation',
    routeTable: tpl.must(r, 'RouteTableId', 'association'),
    gateway: tpl.must(r, 'GatewayId', 'association'),
    ...(r.undecided ? { undecided: r.undecided } : {}),
  });
};

const internetGateway: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'igw', vpc: unresolved('', 'no AWS::EC2::VPCGatewayAttachment for this gateway') });
};

const egressOnlyInternetGateway: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'eigw', vpc: tpl.must(r, 'VpcId', 'gateway') });
};

const vpnGateway: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'vgw', vpc: unresolved('', 'no AWS::EC2::VPCGatewayAttachment for this gateway') });
};

const natGateway: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const eip = tpl.refOf(r, 'AllocationId');
  const privateIp = tpl.str(r, 'PrivateIpAddress');
  tpl.add({
    ...b,
    kind: 'natgw',
    subnet: tpl.must(r, 'SubnetId', 'NAT gateway'),
    connectivity: toStr(tpl.prop(r, 'ConnectivityType')) === 'private' ? 'private' : 'public',
    ...(eip !== undefined ? { eip } : {}),
    ...(privateIp !== undefined ? { privateIp } : {}),
  });
};

const eip: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'eip' });
};

/** An EIP onto an instance (`AWS::EC2::EIP` InstanceId) or an interface (`AWS::EC2::EIPAssociation`). */
const eipAttach: CfnMapper = (tpl, r) => {
  const eipRef = r.type === 'AWS::EC2::EIP' ? tpl.id(r.logicalId) : (tpl.refOf(r, ENI_FIELDS.allocation.cfn) ?? tpl.refOf(r, 'EIP'));
  if (eipRef === undefined) return;
  const find = (key: string) => {
    const ref = get(r.props, key) ? tpl.refOf(r, key) : undefined;
    return typeof ref === 'string' ? tpl.byId.get(ref) : undefined;
  };
  const inst = find(ENI_FIELDS.instance.cfn);
  if (inst?.kind === 'instance' || inst?.kind === 'firewall') inst.eip = eipRef;
  const eni = find(ENI_FIELDS.networkInterface.cfn);
  if (eni?.kind === 'eni') eni.eip = eipRef;
};

const networkInterface: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const privateIp = tpl.str(r, ENI_FIELDS.privateIp.cfn);
  const el: NetworkInterface = {
    ...b,
    kind: 'eni',
    subnet: tpl.must(r, ENI_FIELDS.subnet.cfn, 'network interface'),
    sourceDestCheck: tpl.bool(r, ENI_FIELDS.sourceDestCheck.cfn) ?? SOURCE_DEST_CHECK_DEFAULT,
    ...(privateIp !== undefined ? { privateIp } : {}),
  };
  tpl.add(el);
};

/** `AWS::EC2::NetworkInterfaceAttachment`, and the interfaces an instance is launched with. */
function attachEni(tpl: Template, eniNode: CNode | undefined, instanceId: string, indexNode: CNode | undefined): void {
  const ref = eniNode ? tpl.toRef(tpl.ev(eniNode)) : undefined;
  const eni = typeof ref === 'string' ? tpl.byId.get(ref) : undefined;
  if (eni?.kind !== 'eni') return;
  eni.instance = instanceId;
  const i = indexNode ? tpl.ev(indexNode) : undefined;
  if (i?.k === 'lit' && Number.isInteger(Number(i.v))) eni.deviceIndex = Number(i.v);
}

const networkInterfaceAttachment: CfnMapper = (tpl, r) => {
  const inst = tpl.refOf(r, ENI_FIELDS.instance.cfn);
  if (typeof inst !== 'string') return;
  attachEni(tpl, get(r.props, ENI_FIELDS.networkInterface.cfn), inst, get(r.props, ENI_FIELDS.deviceIndex.cfn));
};

const instanceAttach: CfnMapper = (tpl, r) => {
  const el = tpl.byId.get(tpl.id(r.logicalId));
  if (el?.kind !== 'instance' && el?.kind !== 'firewall') return;
  const nics = get(r.props, 'NetworkInterfaces');
  for (const n of nics?.t === 'seq' ? nics.items : [])
    attachEni(tpl, get(n, ENI_FIELDS.networkInterface.cfn), el.id, get(n, ENI_FIELDS.deviceIndex.cfn));
  // Launched into an existing interface: the instance lives in its primary interface's subnet.
  if (el.kind === 'instance' && isUnresolved(el.subnet)) {
    const primary = tpl.out.elements.find((e): e is NetworkInterface => e.kind === 'eni' && e.instance === el.id && e.deviceIndex === 0);
    if (primary) {
      el.subnet = primary.subnet;
      if (el.privateIp === undefined && primary.privateIp !== undefined) el.privateIp = primary.privateIp;
    }
  }
};

const vpcEndpoint: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  if (toStr(tpl.prop(r, 'VpcEndpointType')) !== GWLB_ENDPOINT_TYPE) return;
  // The service's name spelled from its Ref (`com.amazonaws.vpce.${AWS::Region}.${Service}`) is that service (F299).
  const spelled = tpl.endpointServiceSpelled(get(r.props, 'ServiceName'));
  const { value: service, via } = spelled ? { value: tpl.id(spelled), via: undefined } : tpl.linked(() => tpl.refOf(r, 'ServiceName'));
  tpl.add({
    ...b,
    kind: 'gwlbe',
    vpc: tpl.must(r, 'VpcId', 'endpoint'),
    subnet: tpl.refs(r, 'SubnetIds')[0] ?? unresolved('', 'GWLB endpoint without SubnetIds'),
    ...(service !== undefined ? { service } : {}),
    ...(via && typeof service === 'string' ? { serviceVia: via } : {}),
  });
};

/** AWS Network Firewall: the firewall (the enforcement point) and one endpoint per subnet mapping, in that subnet. */
const networkFirewall: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const vpc = tpl.must(r, 'VpcId', 'firewall');
  const policy = tpl.refOf(r, 'FirewallPolicyArn');
  const tgw = tpl.refOf(r, 'TransitGatewayId');
  const fname = tpl.str(r, 'FirewallName');
  const name = typeof fname === 'string' && !tpl.tags(r)?.Name ? fname : b.name;
  tpl.add({
    ...b,
    name,
    kind: 'firewall',
    vpc,
    vendor: 'AWS Network Firewall',
    ...(policy !== undefined ? { policy } : {}),
    ...(tgw !== undefined ? { tgw } : {}),
  });
  for (const [i, m] of tpl.nfwMappings(r).entries()) {
    tpl.add({
      id: tpl.id(networkFirewallEndpointId(r.logicalId, m.key)),
      name: `${name}/${typeof m.key === 'string' ? m.key : i + 1}`,
      loc: tpl.nodeLoc(m.node),
      cloud: 'aws',
      kind: 'gwlbe',
      vpc,
      subnet: m.subnet,
      service: b.id,
      flavor: 'networkFirewall',
    });
  }
};

/** Strings of a list node; an Unresolved item stays as it is. */
function strList(tpl: Template, n: CNode | undefined): Val<string>[] {
  if (!n) return [];
  const v = tpl.ev(n);
  return v.k === 'list' ? v.items.map(toStr) : [toStr(v)];
}

const firewallPolicy: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const fname = tpl.str(r, 'FirewallPolicyName');
  const p = get(r.props, 'FirewallPolicy');
  const el: FirewallPolicy = {
    ...b,
    name: typeof fname === 'string' && !tpl.tags(r)?.Name ? fname : b.name,
    kind: 'firewallPolicy',
    vendor: 'AWS Network Firewall',
  };
  if (p) {
    el.statelessDefault = strList(tpl, get(p, 'StatelessDefaultActions'));
    if (get(p, 'StatefulDefaultActions')) el.statefulDefault = strList(tpl, get(p, 'StatefulDefaultActions'));
    const order = get(get(p, 'StatefulEngineOptions'), 'RuleOrder');
    if (order) el.ruleOrder = toStr(tpl.ev(order));
    const refs = (key: string) => {
      const n = get(p, key);
      return n?.t === 'seq' ? n.items.map((i) => tpl.toRef(tpl.ev(get(i, 'ResourceArn')))) : [];
    };
    el.statelessGroups = refs('StatelessRuleGroupReferences');
    el.statelessPriorities = seqItems(get(p, 'StatelessRuleGroupReferences')).map((i) => priorityOf(tpl, i));
    el.statefulGroups = refs('StatefulRuleGroupReferences');
    el.statefulPriorities = seqItems(get(p, 'StatefulRuleGroupReferences')).map((i) =>
      get(i, 'Priority') ? priorityOf(tpl, i) : unresolved('', 'no priority written'),
    );
    const overrides = seqItems(get(p, 'StatefulRuleGroupReferences')).map((i): Val<string> | undefined => {
      const a = get(get(i, 'Override'), 'Action');
      if (!a) return undefined;
      const v = tpl.ev(a);
      return v.k === 'lit' ? String(v.v) : unresolved(v.k === 'un' ? v.text : '', 'Override.Action not known offline');
    });
    if (overrides.some((o) => o !== undefined)) el.statefulOverrides = overrides;
    const vars = get(get(p, 'PolicyVariables'), 'RuleVariables');
    if (vars) el.variables = ipSetVariables(tpl, vars);
  }
  tpl.add(el);
};

/** Rule variables written as a map `HOME_NET: { Definition: [...] }` (RuleVariables.IPSets, PolicyVariables.RuleVariables). */
function ipSetVariables(tpl: Template, n: CNode): RuleVariables {
  if (n.t !== 'map' || n.tag !== undefined || n.entries.some((e) => e.key.startsWith('Fn::')))
    return unresolved(n.tag ?? '', 'rule variables written with an intrinsic function, not decidable offline');
  const out: Record<string, Val<string[]>> = {};
  for (const e of n.entries) {
    const defs = strList(tpl, get(e.value, 'Definition'));
    const undecided = defs.find(isUnresolved);
    out[e.key] = undecided
      ? unresolved(undecided.text, `the ${e.key} definition cannot be decided offline (${undecided.reason})`)
      : (defs as string[]);
  }
  return out;
}

/** IP set references written as a map `PL: { ReferenceArn: ... }` (ReferenceSets.IPSetReferences): rules write them `@PL`. */
function ipSetReferences(tpl: Template, n: CNode): Val<Record<string, Ref>> {
  if (n.t !== 'map' || n.tag !== undefined || n.entries.some((e) => e.key.startsWith('Fn::')))
    return unresolved(n.tag ?? '', 'IP set references written with an intrinsic function, not decidable offline');
  const out: Record<string, Ref> = {};
  for (const e of n.entries) {
    const arn = get(e.value, 'ReferenceArn');
    out[e.key] = arn ? tpl.toRef(tpl.ev(arn)) : unresolved('', `the ${e.key} reference has no ReferenceArn`);
  }
  return out;
}

function ruleGroupRules(tpl: Template, src: CNode | undefined): Val<FirewallRule[]> {
  if (!src) return unresolved('', 'the rule group has no RulesSource');
  const list = get(src, 'RulesSourceList');
  if (list) {
    const type = toStr(tpl.ev(get(list, 'GeneratedRulesType')));
    const targets = strList(tpl, get(list, 'Targets'));
    return typeof type === 'string' ? domainListRules(type, targets) : type;
  }
  const str = get(src, 'RulesString');
  if (str) {
    const s = toStr(tpl.ev(str));
    return typeof s === 'string' ? suricataRules(s) : s;
  }
  const rules = get(src, 'StatefulRules');
  if (rules?.t === 'seq')
    return rules.items.map((i) => {
      const h = get(i, 'Header');
      const lit = (n: CNode | undefined) => {
        const v = n ? tpl.ev(n) : undefined;
        return v?.k === 'lit' && v.v !== null ? String(v.v) : undefined;
      };
      return fiveTupleRule(lit(get(i, 'Action')) ?? '?', {
        protocol: lit(get(h, 'Protocol')),
        source: lit(get(h, 'Source')),
        destination: lit(get(h, 'Destination')),
        destinationPort: lit(get(h, 'DestinationPort')),
      });
    });
  // Stateless rules decide per packet what reaches the stateful engine; they are not reduced here.
  return get(src, 'StatelessRulesAndCustomActions') ? [] : unresolved('', 'RulesSource names no rules');
}

/** A `Priority` property: a number, else Unresolved (the order it decides is then unknown). */
function priorityOf(tpl: Template, n: CNode): Val<number> {
  const v = toStr(tpl.ev(get(n, 'Priority')));
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : isUnresolved(v) ? v : unresolved(v, 'not a number');
}

/** The rules of a STATELESS group (`StatelessRulesAndCustomActions`). */
function statelessRules(tpl: Template, src: CNode | undefined): Val<StatelessRule[]> {
  const sl = get(src, 'StatelessRulesAndCustomActions');
  if (!sl) return unresolved('', 'the stateless rule group has no StatelessRulesAndCustomActions');
  const rules = get(sl, 'StatelessRules');
  if (rules?.t !== 'seq') return unresolved('', 'StatelessRules is not a list');
  return rules.items.map((i) => {
    const def = get(i, 'RuleDefinition');
    const m = get(def, 'MatchAttributes');
    const addrs = (key: string) => seqItems(get(m, key)).map((a) => toStr(tpl.ev(get(a, 'AddressDefinition'))));
    const ports = (key: string) =>
      seqItems(get(m, key)).map((pr) => {
        const from = toStr(tpl.ev(get(pr, 'FromPort')));
        const to = toStr(tpl.ev(get(pr, 'ToPort')));
        return isUnresolved(from) ? from : isUnresolved(to) ? to : `${from}:${to}`;
      });
    return statelessRule(priorityOf(tpl, i), strList(tpl, get(def, 'Actions')), {
      sources: addrs('Sources'),
      destinations: addrs('Destinations'),
      sourcePorts: ports('SourcePorts'),
      destinationPorts: ports('DestinationPorts'),
      protocols: m && get(m, 'Protocols') ? strList(tpl, get(m, 'Protocols')) : [],
      tcpFlags: seqItems(get(m, 'TCPFlags')).length > 0,
    });
  });
}

const firewallRuleGroup: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const gname = tpl.str(r, 'RuleGroupName');
  const rg = get(r.props, 'RuleGroup');
  const el: FirewallRuleGroup = {
    ...b,
    name: typeof gname === 'string' && !tpl.tags(r)?.Name ? gname : b.name,
    kind: 'firewallRuleGroup',
    vendor: 'AWS Network Firewall',
    stage: toStr(tpl.prop(r, 'Type')) === 'STATELESS' ? 'stateless' : 'stateful',
    rules: ruleGroupRules(tpl, get(rg, 'RulesSource')),
  };
  if (el.stage === 'stateless') el.statelessRules = statelessRules(tpl, get(rg, 'RulesSource'));
  const vars = get(get(rg, 'RuleVariables'), 'IPSets');
  if (vars) el.variables = ipSetVariables(tpl, vars);
  const refs = get(get(rg, 'ReferenceSets'), 'IPSetReferences');
  if (refs) el.ipSetReferences = ipSetReferences(tpl, refs);
  tpl.add(el);
};

const firewallLogging: CfnMapper = (tpl, r) => {
  const el: FirewallLogging = {
    ...tpl.base(r),
    kind: 'firewallLogging',
    firewall: tpl.refOf(r, 'FirewallArn') ?? unresolved('', 'no FirewallArn'),
    logTypes: seqItems(get(get(r.props, 'LoggingConfiguration'), 'LogDestinationConfigs')).map((d) => toStr(tpl.ev(get(d, 'LogType')))),
  };
  tpl.add(el);
};

/** An extra endpoint of a firewall, in another subnet or VPC (`!GetAtt X.EndpointId` names it in routes). */
const nfwEndpointAssociation: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const mapping = get(r.props, 'SubnetMapping');
  const subnet = get(mapping, 'SubnetId');
  tpl.add({
    ...b,
    kind: 'gwlbe',
    vpc: tpl.must(r, 'VpcId', 'endpoint association'),
    subnet: subnet ? tpl.toRef(tpl.ev(subnet)) : unresolved('', 'endpoint association without SubnetMapping.SubnetId'),
    service: tpl.must(r, 'FirewallArn', 'endpoint association'),
    flavor: 'networkFirewall',
  });
};

const vpcEndpointService: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'endpointService', loadBalancers: tpl.refs(r, 'GatewayLoadBalancerArns') });
};

const loadBalancer: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  if (toStr(tpl.prop(r, 'Type')) !== GWLB_TYPE) return;
  let crossZone: Val<boolean> = false;
  const attrs = get(r.props, 'LoadBalancerAttributes');
  for (const a of attrs?.t === 'seq' ? attrs.items : []) {
    const k = tpl.ev(get(a, 'Key'));
    if (k.k === 'lit' && k.v === 'load_balancing.cross_zone.enabled') {
      const v = tpl.ev(get(a, 'Value'));
      crossZone = v.k === 'lit' ? String(v.v) === 'true' : unresolved(v.k === 'un' ? v.text : '', 'cross-zone flag not literal');
    }
  }
  tpl.add({ ...b, kind: 'gwlb', subnets: tpl.refs(r, 'Subnets'), crossZone });
};

/**
 * An application or network load balancer facing the internet (`Scheme` internet-facing or not written): its
 * subnets carry its replies to internet clients (Subnet.publicLb). A Type, Scheme or subnet not known offline
 * marks nothing.
 */
const publicLoadBalancerAttach: CfnMapper = (tpl, r) => {
  const type = get(r.props, 'Type') ? tpl.prop(r, 'Type') : undefined;
  if (type && !(type.k === 'lit' && CLIENT_LB_TYPES.has(String(type.v)))) return;
  const scheme = get(r.props, 'Scheme') ? tpl.prop(r, 'Scheme') : undefined;
  if (scheme && !(scheme.k === 'lit' && scheme.v === INTERNET_FACING_SCHEME)) return;
  const subnets = tpl.refs(r, 'Subnets');
  const mappings = get(r.props, 'SubnetMappings');
  for (const m of mappings?.t === 'seq' ? mappings.items : []) {
    const id = get(m, 'SubnetId');
    if (id) subnets.push(tpl.toRef(tpl.ev(id)));
  }
  const name = tpl.str(r, 'Name');
  for (const ref of subnets) {
    const s = typeof ref === 'string' ? tpl.byId.get(ref) : undefined;
    if (s?.kind === 'subnet' && s.publicLb === undefined) s.publicLb = typeof name === 'string' ? name : r.logicalId;
  }
};

/** The attribute that is a resource's own (primary) private address, by resource type. */
const OWN_ADDRESS_ATTR: ReadonlyMap<string, string> = new Map([
  ['AWS::EC2::Instance', 'PrivateIp'],
  ['AWS::EC2::NetworkInterface', 'PrimaryPrivateIpAddress'],
]);

/**
 * A target group's target: its `Id` as written, except that a target registered by address (TargetType ip) as
 * `!GetAtt X.PrivateIp` of an instance of the template (or `X.PrimaryPrivateIpAddress` of an interface) is X, as
 * Terraform's `target_id = aws_instance.x.private_ip` is (the address is known only after deployment, its owner is not).
 */
function targetRef(tpl: Template, id: CNode | undefined): Ref {
  const f = id ? tpl.fn(id) : undefined;
  if (f?.name === 'Fn::GetAtt') {
    const text = (x: CNode): string | undefined => (x.t === 'scalar' && !x.tag && typeof x.value === 'string' ? x.value : undefined);
    const a = f.arg;
    const whole = text(a);
    const dot = whole ? whole.indexOf('.') : -1;
    const [logical, attr] =
      whole !== undefined ? [whole.slice(0, dot), whole.slice(dot + 1)] : a.t === 'seq' && a.items.length === 2 ? a.items.map(text) : [];
    if (logical && attr && (whole === undefined || dot > 0)) {
      const owner = tpl.id(logical);
      const type = tpl.typeOfId(owner);
      if (type !== undefined && OWN_ADDRESS_ATTR.get(type) === attr) return owner;
    }
  }
  return tpl.toRef(tpl.ev(id));
}

const targetGroup: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const targets = get(r.props, 'Targets');
  const port = tpl.prop(r, 'Port');
  const vpc = tpl.refOf(r, 'VpcId');
  tpl.add({
    ...b,
    kind: 'targetGroup',
    targets: targets?.t === 'seq' ? targets.items.map((t) => targetRef(tpl, get(t, 'Id'))) : [],
    ...(toStr(tpl.prop(r, 'Protocol')) && typeof toStr(tpl.prop(r, 'Protocol')) === 'string'
      ? { protocol: toStr(tpl.prop(r, 'Protocol')) as string }
      : {}),
    ...(port.k === 'lit' && Number.isFinite(Number(port.v)) ? { port: Number(port.v) } : {}),
    ...(vpc !== undefined ? { vpc } : {}),
  });
};

/**
 * A user data chosen by `Fn::If` (decided at deploy time): when both branches are VM-Series bootstraps that leave
 * the policy out of the inputs (a bootstrap bucket or basic settings, as Palo Alto's templates write it), the VM is
 * a VM-Series whose policy is not in the inputs either way. Anything else stays unread (a guess otherwise).
 */
function panosEitherWay(tpl: Template, ud: CNode): NgfwBootstrap | undefined {
  const f = tpl.fn(ud);
  if (f?.name !== 'Fn::If' || f.arg.t !== 'seq' || f.arg.items.length !== 3) return undefined;
  const cond = f.arg.items[0];
  const ways = f.arg.items.slice(1).map((n) => {
    const t = cfnUserDataText(n, (x) => tpl.fn(x), tpl.file, tpl.text, tpl.tree);
    return t ? ngfwFromTexts([t]) : undefined;
  });
  const [a, b] = ways;
  if (!a?.policyElsewhere || !b?.policyElsewhere || a.vendor !== PANOS_VENDOR || b.vendor !== PANOS_VENDOR) return undefined;
  const name = cond.t === 'scalar' ? String(cond.value) : 'a condition';
  return {
    vendor: PANOS_VENDOR,
    overlayRouting: a.overlayRouting && b.overlayRouting,
    ...(a.overlayRouting !== b.overlayRouting ? { overlayUndecided: `${name} decides at deploy time which bootstrap it gets` } : {}),
    policyElsewhere: {
      reason: `as ${name} decides at deploy time, either ${a.policyElsewhere.reason}, or ${b.policyElsewhere.reason}`,
      loc: a.policyElsewhere.loc,
      via: a.policyElsewhere.via === b.policyElsewhere.via ? a.policyElsewhere.via : 'device',
    },
  };
}

const BUCKET_KEY = 'vmseries-bootstrap-aws-s3bucket=';

/**
 * The template parameter a VM-Series' bootstrap bucket setting takes its value from: `Fn::Join` with no separator
 * of a piece ending in the setting and `Ref` of a parameter, or `Fn::Sub` writing `${Parameter}` as its value.
 */
function bucketParameter(tpl: Template, n: CNode, depth = 0): string | undefined {
  const f = tpl.fn(n);
  if (!f || depth > 8) return undefined;
  if (f.name === 'Fn::Base64') return bucketParameter(tpl, f.arg, depth + 1);
  const param = (v: string): string | undefined => (tpl.isParameter(v) ? v : undefined);
  if (f.name === 'Fn::Sub') {
    const body = f.arg.t === 'seq' ? f.arg.items[0] : f.arg;
    const m = body?.t === 'scalar' ? /vmseries-bootstrap-aws-s3bucket=\$\{([A-Za-z0-9]+)\}\s*(?:[;\r\n]|$)/.exec(String(body.value)) : null;
    // A name the Sub's own variable map defines is not the parameter.
    if (!m || (f.arg.t === 'seq' && get(f.arg.items[1], m[1]))) return undefined;
    return param(m[1]);
  }
  if (f.name !== 'Fn::Join' || f.arg.t !== 'seq' || f.arg.items.length !== 2) return undefined;
  const [sep, list] = f.arg.items;
  if (sep.t !== 'scalar' || String(sep.value ?? '') !== '' || list.t !== 'seq') return undefined;
  for (let i = 0; i + 1 < list.items.length; i++) {
    const piece = list.items[i];
    if (piece.t !== 'scalar' || tpl.fn(piece) || !String(piece.value).endsWith(BUCKET_KEY)) continue;
    const next = tpl.fn(list.items[i + 1]);
    return next?.name === 'Ref' && next.arg.t === 'scalar' ? param(String(next.arg.value)) : undefined;
  }
  return undefined;
}

/**
 * A VM-Series booting from the bucket a template parameter names: the bucket's content is not in the template,
 * but a PAN-OS bootstrap.xml the workspace holds (picked by the workspace: the only one, or the only one in a
 * `config/` folder, the bucket's layout) is taken as its policy, the reason saying which file and why; several
 * leave it not in the inputs, saying so.
 */
function bucketBootstrap(tpl: Template, ngfw: NgfwBootstrap, ud: CNode, decided: string | undefined): void {
  const param = bucketParameter(tpl, ud);
  if (!param || !ngfw.policyElsewhere) return;
  tpl.out.bootsFromBucket = true;
  const given = tpl.panosBootstrap;
  if (!given) return;
  const bucket = `the bucket parameter ${param} names${decided ? ` (${decided})` : ''}`;
  if ('several' in given) {
    ngfw.policyElsewhere = {
      ...ngfw.policyElsewhere,
      reason: `its policy is in the config/bootstrap.xml of ${bucket}; the workspace holds several PAN-OS bootstrap.xml files (${given.several.join(', ')}) and which one is uploaded there is not decided, so none is taken`,
    };
    return;
  }
  const lines = new LineMap(given.text);
  const policy = panosBootstrapXml(given.text, (a, b) => ({ file: given.file, range: lines.range(a, b) }));
  if (!policy) return;
  ngfw.policy = { ...policy, source: `${given.file}, ${given.why}, taken as the config/bootstrap.xml of ${bucket}` };
  delete ngfw.policyElsewhere;
}

const instance: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  let subnet = tpl.refOf(r, 'SubnetId');
  const nics = get(r.props, 'NetworkInterfaces');
  if (!subnet && nics?.t === 'seq' && nics.items[0]) {
    const s = get(nics.items[0], 'SubnetId');
    if (s) subnet = tpl.toRef(tpl.ev(s));
  }
  const privateIp = tpl.str(r, 'PrivateIpAddress');
  launchDeviceIndexes(tpl, r.logicalId, nics);
  const primary = nics?.t === 'seq' ? nics.items.find((n) => deviceIndexOf(tpl.ev(get(n, ENI_FIELDS.deviceIndex.cfn))) === '0') : undefined;
  const pubNode = primary ? get(primary, ENI_FIELDS.associatePublicIp.cfn) : undefined;
  const pub = pubNode ? tpl.ev(pubNode) : undefined;
  const associatePublicIp: Val<boolean> | undefined = !pub
    ? undefined
    : pub.k === 'lit'
      ? pub.v === true || pub.v === 'true'
      : unresolved(pub.k === 'un' ? pub.text : '', 'AssociatePublicIpAddress not literal');
  const sourceDestCheck = tpl.bool(r, ENI_FIELDS.sourceDestCheck.cfn);
  const ud = get(r.props, 'UserData');
  // A user data chosen by Fn::If whose condition the parameter values decide is that branch (decideIfs put it in place).
  const picked = ud ? tpl.pickedWhy(ud) : undefined;
  const decided = ud && picked ? { node: ud, why: picked } : undefined;
  const udNode = ud;
  const boot = cfnUserDataText(udNode, (n) => tpl.fn(n), tpl.file, tpl.text, tpl.tree);
  const ngfw = boot ? ngfwFromTexts([boot]) : ud ? panosEitherWay(tpl, ud) : undefined;
  if (ngfw?.policyElsewhere?.via === 'bucket' && boot && udNode) bucketBootstrap(tpl, ngfw, udNode, decided?.why);
  // A firewall manager by its Name tag (CloudFormation's images are ids from a mapping, which name nothing);
  // a firewall VM by its bootstrap is a firewall whatever its name says.
  const nameTag = 'tags' in b ? b.tags?.Name : undefined;
  const manager = nameTag && !ngfw ? firewallManager(nameTag) : undefined;
  // What it runs, should a route make it an appliance: the mapping or parameter its image comes from, its user
  // data, its names.
  const clues =
    ngfw || manager
      ? undefined
      : {
          images: imageClues(tpl, get(r.props, 'ImageId')),
          bootstraps: boot ? [boot] : [],
          names: [r.logicalId, ...(nameTag ? [nameTag] : [])],
        };
  const runs = clues && applianceEvidence(clues);
  // An explicit forward proxy clients are told to use (squid): its subnet is its own (F103).
  const proxy = clues && forwardProxy(clues);
  tpl.add({
    ...b,
    kind: 'instance',
    ...(ngfw ? { ngfw } : {}),
    ...(runs ? { runs } : {}),
    ...(proxy ? { proxy } : {}),
    ...(manager ? { manager: `${manager} (Name ${nameTag})` } : {}),
    subnet: subnet ?? unresolved('', 'instance has no SubnetId'),
    ...(privateIp !== undefined ? { privateIp } : {}),
    ...(associatePublicIp !== undefined ? { associatePublicIp } : {}),
    ...(sourceDestCheck !== undefined ? { sourceDestCheck } : {}),
  });
};

/**
 * An instance launched into `NetworkInterfaces` whose device indexes, every one known, have no 0 (no primary
 * interface) or one twice: EC2 refuses to launch it, so the stack cannot deploy as written (invalid-device-index,
 * F138, as for Terraform). The instance is analysed as written. Not when an index is left to the stack (a Ref, an
 * undecided Fn::If) or the list is not written out (Fn::If over the whole list).
 */
function launchDeviceIndexes(tpl: Template, logicalId: string, nics: CNode | undefined): void {
  if (nics?.t !== 'seq' || nics.items.length === 0) return;
  const slots: LaunchSlot[] = [];
  const at: CNode[] = [];
  const num = (node: CNode | undefined): number | undefined => {
    const v = node ? deviceIndexOf(tpl.ev(node)) : undefined;
    return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  };
  for (const n of nics.items) {
    const node = get(n, ENI_FIELDS.deviceIndex.cfn);
    const device = num(node);
    const cardNode = get(n, 'NetworkCardIndex');
    const card = cardNode ? num(cardNode) : 0;
    if (node === undefined || device === undefined || card === undefined) return;
    slots.push({ card, device });
    at.push(node);
  }
  for (const p of deviceIndexProblems(`Instance ${logicalId}`, slots, 'stack'))
    tpl.diag('invalid-device-index', 'error', p.message, at[p.at].start, at[p.at].end);
}

/**
 * What an instance's `ImageId` says of its image: the mapping it is taken from (`!FindInMap [AmazonNATAMI, ...]`),
 * the parameter that gives it and its value, or the literal.
 */
function imageClues(tpl: Template, node: CNode | undefined): string[] {
  if (!node) return [];
  const f = tpl.fn(node);
  const out: string[] = [];
  if (f?.name === 'Fn::FindInMap' && f.arg.t === 'seq' && f.arg.items[0]?.t === 'scalar') out.push(String(f.arg.items[0].value));
  if (f?.name === 'Ref' && f.arg.t === 'scalar') out.push(String(f.arg.value));
  const v = tpl.ev(node);
  if (v.k === 'lit' && typeof v.v === 'string') out.push(v.v);
  return out;
}

const transitGateway: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const a = tpl.str(r, 'DefaultRouteTableAssociation');
  const p = tpl.str(r, 'DefaultRouteTablePropagation');
  // Both default to enable.
  tpl.add({
    ...b,
    kind: 'tgw',
    defaultRouteTableAssociation: typeof a === 'string' ? a === 'enable' : true,
    defaultRouteTablePropagation: typeof p === 'string' ? p === 'enable' : true,
  });
};

const transitGatewayAttachment: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const opts = get(r.props, 'Options');
  const mode = opts ? tpl.ev(get(opts, 'ApplianceModeSupport')) : undefined;
  tpl.add({
    ...b,
    kind: 'tgwAttachment',
    tgw: tpl.must(r, 'TransitGatewayId', 'attachment'),
    vpc: tpl.must(r, 'VpcId', 'attachment'),
    subnets: tpl.refs(r, 'SubnetIds'),
    applianceMode:
      !mode || (mode.k === 'un' && mode.text === '')
        ? false
        : mode.k === 'lit'
          ? mode.v === 'enable'
          : unresolved(mode.k === 'un' ? mode.text : '', 'appliance mode not literal'),
  });
};

const transitGatewayRouteTable: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({
    ...b,
    kind: 'tgwRouteTable',
    tgw: tpl.must(r, 'TransitGatewayId', 'route table'),
    routes: [],
    associations: [],
    propagations: [],
  });
};

const vpcPeeringConnection: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  tpl.add({ ...b, kind: 'peering', vpc: tpl.must(r, 'VpcId', 'peering'), peerVpc: tpl.must(r, 'PeerVpcId', 'peering') });
};

/**
 * A customer-managed prefix list (`AWS::EC2::PrefixList`), read as Terraform's `aws_ec2_managed_prefix_list`: its
 * `Entries`' CIDRs, for the routes to it (`DestinationPrefixListId`) and the Network Firewall IP set references
 * naming it. An entry, or the whole list, that the template does not decide (a parameter, an undecided `Fn::If`) is
 * an Unresolved entry: a route to the list then matches Unknown, not nothing.
 */
const managedPrefixList: CfnMapper = (tpl, r) => {
  const b = tpl.base(r);
  const listName = tpl.str(r, 'PrefixListName');
  const entries = get(r.props, 'Entries');
  const cidrs: Val<string>[] = [];
  if (entries?.t === 'seq' && entries.tag === undefined)
    for (const e of entries.items) {
      const cidr = e.t === 'map' && e.tag === undefined && !e.entries.some((x) => x.key.startsWith('Fn::')) ? get(e, 'Cidr') : undefined;
      cidrs.push(cidr ? toStr(tpl.ev(cidr)) : unresolved('', `an entry of ${r.logicalId}'s Entries is not written as a Cidr offline`));
    }
  else if (entries) {
    const v = tpl.ev(entries);
    cidrs.push(
      unresolved(v.k === 'un' ? v.text : '', `${r.logicalId}'s Entries are not known offline${v.k === 'un' ? ` (${v.reason})` : ''}`),
    );
  }
  tpl.add({ ...b, name: typeof listName === 'string' && !tpl.tags(r)?.Name ? listName : b.name, kind: 'prefixList', cidrs });
};

const routeAttach: CfnMapper = (tpl, r) => {
  const tableRef = tpl.refOf(r, 'RouteTableId');
  // A table named through a parameter or an import of another stack: the route is kept in a table that
  // stands for "whichever table that is" (RouteTable.unplaced), never dropped.
  const rt =
    tableRef !== undefined && isUnresolved(tableRef)
      ? tpl.unplacedTable(r, tableRef)
      : (tpl.owner(r, 'RouteTableId', 'routeTable') as RouteTable | undefined);
  if (!rt) return;
  const destination = routeDestination(
    'cfn',
    (f) => tpl.str(r, f),
    (f) => tpl.refOf(r, f),
  );
  const route: Route = {
    id: tpl.id(r.logicalId),
    loc: tpl.resLoc(r),
    destination,
    target: tpl.target(r, 'prefixList' in destination),
    state: 'active',
    ...(r.undecided ? { undecided: r.undecided } : {}),
  };
  rt.routes.push(route);
};

const vpcGatewayAttachmentAttach: CfnMapper = (tpl, r) => {
  const vpc = tpl.must(r, 'VpcId', 'attachment');
  for (const key of ['InternetGatewayId', 'VpnGatewayId']) {
    if (!get(r.props, key)) continue;
    const gw = tpl.owner(r, key, key === 'InternetGatewayId' ? 'igw' : 'vgw') as { vpc: Ref } | undefined;
    if (gw) gw.vpc = vpc;
  }
};

const vpcCidrBlockAttach: CfnMapper = (tpl, r) => {
  const vpc = tpl.owner(r, 'VpcId', 'vpc') as Vpc | undefined;
  const c = tpl.str(r, 'CidrBlock');
  if (vpc && c !== undefined) vpc.cidrs.push(c);
  // An IPv4 block IPAM allocates (no CidrBlock and no IPv6 property), or one whose VPC is not the template's.
  const v6 = ['AmazonProvidedIpv6CidrBlock', 'Ipv6CidrBlock', 'Ipv6IpamPoolId', 'Ipv6Pool'].some((k) => get(r.props, k));
  if (!vpc) tpl.rangesOpen.add('');
  else if (c === undefined && !v6) tpl.rangesOpen.add(vpc.id);
};

const transitGatewayRouteAttach: CfnMapper = (tpl, r) => {
  const t = tpl.owner(r, 'TransitGatewayRouteTableId', 'tgwRouteTable') as { routes: TgwRoute[] } | undefined;
  if (!t) return;
  const att = tpl.refOf(r, 'TransitGatewayAttachmentId');
  const bh = tpl.bool(r, 'Blackhole');
  t.routes.push({
    id: tpl.id(r.logicalId),
    loc: tpl.resLoc(r),
    destination: tpl.str(r, 'DestinationCidrBlock') ?? unresolved('', 'no DestinationCidrBlock'),
    ...(att !== undefined ? { attachment: att } : {}),
    blackhole: bh === true,
  });
};

/**
 * CloudFormation writes no per-attachment default association flag: the TGW's `DefaultRouteTableAssociation:
 * disable` alone keeps an attachment out of its default table (TgwAttachment.defaultAssociation).
 */
const transitGatewayAttachmentAttach: CfnMapper = (tpl, r) => {
  const a = tpl.byId.get(tpl.id(r.logicalId));
  if (a?.kind !== 'tgwAttachment' || typeof a.tgw !== 'string') return;
  const g = tpl.byId.get(a.tgw);
  if (g?.kind === 'tgw' && g.defaultRouteTableAssociation === false) a.defaultAssociation = false;
};

const transitGatewayRouteTableAssociationAttach: CfnMapper = (tpl, r) => {
  const t = tpl.owner(r, 'TransitGatewayRouteTableId', 'tgwRouteTable') as
    { id: string; associations: Ref[]; propagations: Ref[] } | undefined;
  const att = tpl.refOf(r, 'TransitGatewayAttachmentId');
  // One the model cannot place may name an attachment of the template (TgwAttachment.associationUndecided).
  // A literal attachment id that is no element of the template names another stack's attachment.
  if (r.type.endsWith('Association')) {
    const known = typeof att === 'string' ? tpl.byId.get(att) : undefined;
    const any = att === undefined || isUnresolved(att);
    const at = `association ${r.logicalId} (${where(tpl.resLoc(r))})`;
    if (any || (!t && known?.kind === 'tgwAttachment')) {
      const why = any
        ? `${at} names attachment \`${att?.text ?? ''}\`, which cannot be decided offline`
        : `${at} names a TGW route table the template does not hold`;
      for (const e of tpl.byId.values())
        if (e.kind === 'tgwAttachment' && (any || e === known) && e.associationUndecided === undefined) e.associationUndecided = why;
    }
  }
  if (!t || att === undefined) return;
  if (r.type.endsWith('Association')) {
    t.associations.push(att);
    const a = typeof att === 'string' ? tpl.byId.get(att) : undefined;
    if (a?.kind === 'tgwAttachment') a.routeTable = t.id;
  } else t.propagations.push(att);
};

const listenerAttach: CfnMapper = (tpl, r) => {
  const lb = tpl.refOf(r, 'LoadBalancerArn');
  const actions = get(r.props, 'DefaultActions');
  for (const a of actions?.t === 'seq' ? actions.items : []) {
    const tg = tpl.toRef(tpl.ev(get(a, 'TargetGroupArn')));
    const e = typeof tg === 'string' ? tpl.byId.get(tg) : undefined;
    if (e?.kind === 'targetGroup' && lb !== undefined) e.loadBalancer = lb;
  }
};

/** An Auto Scaling group naming target groups (`TargetGroupARNs`): its instances are their targets (TargetGroup.registeredBy). */
const autoScalingGroupAttach: CfnMapper = (tpl, r) => {
  // And `TrafficSources: [{ Identifier: <target group arn>, Type: elbv2 }]`, the newer form (review s16 R22).
  const sources = seqItems(get(r.props, 'TrafficSources')).flatMap((t) => {
    const type = get(t, 'Type');
    const tv = type ? tpl.ev(type) : undefined;
    const id = get(t, 'Identifier');
    return id && (!tv || (tv.k === 'lit' && tv.v === 'elbv2')) ? [id] : [];
  });
  for (const n of [...seqItems(get(r.props, 'TargetGroupARNs')), ...sources]) {
    const tg = tpl.toRef(tpl.ev(n));
    const e = typeof tg === 'string' ? tpl.byId.get(tg) : undefined;
    if (e?.kind === 'targetGroup' && !(e.registeredBy ??= []).includes(r.logicalId)) e.registeredBy.push(r.logicalId);
  }
};

/**
 * One mapper per resource type. `element` makes the type's own element; `attach` adds to another
 * element (routes, gateway attachments, secondary CIDRs, TGW tables) once every element exists.
 */
const CFN_MAPPERS: Record<string, { element?: CfnMapper; attach?: CfnMapper }> = {
  'AWS::EC2::VPC': { element: vpc },
  'AWS::EC2::Subnet': { element: subnet },
  'AWS::EC2::RouteTable': { element: routeTable },
  'AWS::EC2::SubnetRouteTableAssociation': { element: subnetRouteTableAssociation },
  'AWS::EC2::GatewayRouteTableAssociation': { element: gatewayRouteTableAssociation },
  'AWS::EC2::InternetGateway': { element: internetGateway },
  'AWS::EC2::EgressOnlyInternetGateway': { element: egressOnlyInternetGateway },
  'AWS::EC2::VPNGateway': { element: vpnGateway },
  'AWS::EC2::NatGateway': { element: natGateway },
  'AWS::EC2::EIP': { element: eip, attach: eipAttach },
  'AWS::EC2::EIPAssociation': { attach: eipAttach },
  'AWS::EC2::NetworkInterface': { element: networkInterface },
  'AWS::EC2::NetworkInterfaceAttachment': { attach: networkInterfaceAttachment },
  'AWS::EC2::VPCEndpoint': { element: vpcEndpoint },
  'AWS::EC2::VPCEndpointService': { element: vpcEndpointService },
  [NFW_TYPE]: { element: networkFirewall },
  'AWS::NetworkFirewall::FirewallPolicy': { element: firewallPolicy },
  'AWS::NetworkFirewall::RuleGroup': { element: firewallRuleGroup },
  'AWS::NetworkFirewall::LoggingConfiguration': { element: firewallLogging },
  'AWS::NetworkFirewall::VpcEndpointAssociation': { element: nfwEndpointAssociation },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { element: loadBalancer, attach: publicLoadBalancerAttach },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { element: targetGroup },
  'AWS::EC2::Instance': { element: instance, attach: instanceAttach },
  'AWS::EC2::TransitGateway': { element: transitGateway },
  'AWS::EC2::TransitGatewayAttachment': { element: transitGatewayAttachment, attach: transitGatewayAttachmentAttach },
  'AWS::EC2::TransitGatewayVpcAttachment': { element: transitGatewayAttachment, attach: transitGatewayAttachmentAttach },
  'AWS::EC2::TransitGatewayRouteTable': { element: transitGatewayRouteTable },
  'AWS::EC2::VPCPeeringConnection': { element: vpcPeeringConnection },
  'AWS::EC2::PrefixList': { element: managedPrefixList },
  'AWS::EC2::Route': { attach: routeAttach },
  'AWS::EC2::VPCGatewayAttachment': { attach: vpcGatewayAttachmentAttach },
  'AWS::EC2::VPCCidrBlock': { attach: vpcCidrBlockAttach },
  'AWS::EC2::SubnetCidrBlock': { attach: subnetCidrBlockAttach },
  'AWS::EC2::TransitGatewayRoute': { attach: transitGatewayRouteAttach },
  'AWS::EC2::TransitGatewayRouteTableAssociation': { attach: transitGatewayRouteTableAssociationAttach },
  'AWS::EC2::TransitGatewayRouteTablePropagation': { attach: transitGatewayRouteTableAssociationAttach },
  'AWS::ElasticLoadBalancingV2::Listener': { attach: listenerAttach },
  'AWS::AutoScaling::AutoScalingGroup': { attach: autoScalingGroupAttach },
};

function deviceIndexOf(v: CVal): string | undefined {
  return v.k === 'lit' ? String(v.v) : undefined;
}

function seqItems(n: CNode | undefined): CNode[] {
  return n?.t === 'seq' ? n.items : [];
}

function mapEntries(n: CNode | undefined): CEntry[] {
  return n?.t === 'map' ? n.entries : [];
}

/** `/32` -> 32: the prefix length a CIDR's literal tail writes (0-128), else undefined. */
function cidrSuffixBits(s: string): number | undefined {
  if (s.length < 2 || s.length > 4 || s[0] !== '/') return undefined;
  const digits = s.slice(1);
  if (![...digits].every((c) => c >= '0' && c <= '9')) return undefined;
  const n = Number(digits);
  return n <= 128 ? n : undefined;
}

function toStr(v: CVal): Val<string> {
  if (v.k === 'lit') return v.v === null ? unresolved('', 'empty value') : String(v.v);
  if (v.k === 'un' && v.prefixLength !== undefined) return { ...unresolved(v.text, v.reason), prefixLength: v.prefixLength };
  if (v.k === 'un' && v.prefixOf !== undefined) return { ...unresolved(v.text, v.reason), prefixOf: v.prefixOf };
  if (v.k === 'un') return v.byRegion ? { ...unresolved(v.text, v.reason), byRegion: v.byRegion } : unresolved(v.text, v.reason);
  if (v.k === 'ref') return unresolved(v.id, 'attribute of another resource');
  return unresolved('', 'not a scalar');
}
