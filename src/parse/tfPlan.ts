// `terraform show -json` output (a plan, or state): resources from `planned_values` (or `values`),
// unknown attributes from `resource_changes[].change.after_unknown`, and the references of unknown
// attributes from `configuration`, so `vpc_id = aws_vpc.main.id` (known after apply) still resolves
// to the address `aws_vpc.main`. Element ids are resource addresses, like the Terraform parser's.
import {
  unresolved,
  type NetworkElement,
  type Ref,
  type Route,
  type RouteTable,
  type RouteTarget,
  type RouteTargetKind,
  type SourceRange,
  type TargetGroup,
  type TgwRouteTable,
  type Val,
  type Vpc,
  type AviatrixGateway,
  type Cloud,
  type PortRange,
  type SmartGroupSelector,
} from '../model/types';
import type { ModelFragment, ParseOptions } from './types';
import { JsonDoc, readJsonInput, type JsonNode as Node } from './jsonDoc';
import { builtinGroup, builtinGroupId } from './aviatrixExport';
import { SELECTOR_FIELDS, cloudOfType } from './vocabulary/aviatrix';
import { routeTarget } from './vocabulary/aws';
import { nextHopKind, nextHopState } from './vocabulary/azure';

export function looksLikeTfPlan(doc: JsonDoc): boolean {
  const r = doc.root;
  if (!r || doc.type(r) !== 'object') return false;
  return doc.has(r, 'format_version') && (doc.has(r, 'planned_values') || doc.has(r, 'resource_changes') || doc.has(r, 'values'));
}

export function parseTfPlan(file: string, text: string, _opts?: ParseOptions): ModelFragment {
  return readJsonInput(file, text, { format: 'terraform-plan', top: 'object', what: 'terraform show -json output' }, (doc, root, out) => new Plan(doc, out).read(root));
}

/** One resource instance: its values node, unknown markers and configuration expressions. */
class Res {
  constructor(
    readonly plan: Plan,
    readonly address: string,
    readonly type: string,
    readonly node: Node,
    readonly values: Node | undefined,
    readonly unknown: unknown,
    readonly exprs: unknown,
  ) {}

  private get d(): JsonDoc {
    return this.plan.doc;
  }

  raw(attr: string): unknown {
    return this.d.get(this.values, attr);
  }

  isUnknown(attr: string): boolean {
    return isObj(this.unknown) && this.unknown[attr] === true;
  }

  private unres(attr: string): Val<never> {
    return unresolved(`${this.address}.${attr}`, 'known after apply');
  }

  str(attr: string): Val<string> | undefined {
    const v = this.raw(attr);
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
    return this.isUnknown(attr) ? this.unres(attr) : undefined;
  }

  bool(attr: string): Val<boolean> | undefined {
    const v = this.raw(attr);
    if (typeof v === 'boolean') return v;
    return this.isUnknown(attr) ? this.unres(attr) : undefined;
  }

  /** A reference attribute: a known id maps to the address that has it; unknown ones use the configuration. */
  ref(attr: string): Ref | undefined {
    const v = this.raw(attr);
    if (typeof v === 'string' && v !== '') return this.plan.addressOfId(v) ?? v;
    const refs = this.plan.configRefs(this.exprs, attr);
    if (refs.length) return refs[0];
    if (this.isUnknown(attr)) {
      const text = this.plan.configText(this.exprs, attr);
      return unresolved(text ?? `${this.address}.${attr}`, 'known after apply');
    }
    return undefined;
  }

  refs(attr: string): Ref[] {
    const v = this.raw(attr);
    if (Array.isArray(v) && v.length) return v.map((x) => (typeof x === 'string' ? (this.plan.addressOfId(x) ?? x) : unresolved(JSON.stringify(x), 'not an id')));
    const refs = this.plan.configRefs(this.exprs, attr, true);
    if (refs.length) return refs;
    if (this.isUnknown(attr)) return [unresolved(this.plan.configText(this.exprs, attr) ?? `${this.address}.${attr}`, 'known after apply')];
    return [];
  }

  /** Nested blocks (`route`, `default_action`) as sub-resources sharing the address. */
  blocks(attr: string): Res[] {
    const items = this.d.objects(this.values, attr);
    const unk = isObj(this.unknown) ? this.unknown[attr] : undefined;
    const ex = isObj(this.exprs) ? this.exprs[attr] : undefined;
    return items.map((n, i) => new Res(this.plan, this.address, this.type, n, n, Array.isArray(unk) ? unk[i] : undefined, Array.isArray(ex) ? ex[i] : undefined));
  }

  attrRanges(keys: string[]): Record<string, SourceRange> {
    return this.d.attrs(this.values ?? this.node, keys) ?? {};
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** One `match_expressions` object of a planned smart group. Empty strings are unset attributes. */
function planSelector(raw: (k: string) => unknown, keys: string[]): SmartGroupSelector {
  const sel: SmartGroupSelector = {};
  const other: Record<string, string> = {};
  for (const k of keys) {
    const v = raw(k);
    if (k === 'tags' && isObj(v)) {
      const tags = Object.fromEntries(Object.entries(v).map(([a, b]) => [a, String(b)]));
      if (Object.keys(tags).length) sel.tags = tags;
      continue;
    }
    const s = str(v);
    if (s === undefined) continue;
    const field = SELECTOR_FIELDS[k];
    if (field) (sel as Record<string, unknown>)[field] = s;
    else other[k] = s;
  }
  if (Object.keys(other).length) sel.other = other;
  return sel;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `aws_subnet.nat["a"]` -> `aws_subnet.nat`; module instance keys are kept. */
function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

class Plan {
  private readonly resources: Res[] = [];
  private readonly byAddress = new Map<string, Res>();
  private readonly idToAddress = new Map<string, string>();
  private readonly exprsByConfigAddress = new Map<string, unknown>();
  private readonly elements = new Map<string, NetworkElement>();

  constructor(readonly doc: JsonDoc, readonly out: ModelFragment) {}

  addressOfId(id: string): string | undefined {
    return this.idToAddress.get(id);
  }

  /** Resource addresses an expression references, most specific first, only those in this plan. */
  configRefs(exprs: unknown, attr: string, all = false): string[] {
    const e = isObj(exprs) ? exprs[attr] : undefined;
    const refs = isObj(e) && Array.isArray(e.references) ? (e.references as unknown[]).filter((r): r is string => typeof r === 'string') : [];
    const found: string[] = [];
    for (const r of refs) {
      const addr = this.byAddress.has(r) ? r : this.byAddress.has(r.replace(/\.[a-z_]+$/, '')) ? r.replace(/\.[a-z_]+$/, '') : undefined;
      if (addr && !found.includes(addr)) found.push(addr);
      if (found.length && !all) break;
    }
    return found;
  }

  configText(exprs: unknown, attr: string): string | undefined {
    const e = isObj(exprs) ? exprs[attr] : undefined;
    if (isObj(e) && Array.isArray(e.references) && e.references.length) return (e.references as unknown[]).map(String).join(', ');
    return undefined;
  }

  read(root: Node): void {
    const d = this.doc;
    const unknownByAddress = new Map<string, unknown>();
    for (const rc of d.objects(root, 'resource_changes')) {
      const addr = d.str(rc, 'address');
      const change = d.prop(rc, 'change');
      if (addr && change) unknownByAddress.set(addr, d.get(change, 'after_unknown'));
    }
    this.collectConfig(d.prop(d.prop(root, 'configuration'), 'root_module'), '');
    const pv = d.prop(root, 'planned_values') ?? d.prop(root, 'values');
    const nodes: Node[] = [];
    const walk = (mod: Node | undefined, depth: number) => {
      if (!mod || depth > 50) return;
      nodes.push(...d.objects(mod, 'resources'));
      for (const c of d.objects(mod, 'child_modules')) walk(c, depth + 1);
    };
    walk(d.prop(pv, 'root_module'), 0);
    if (!pv) {
      // A plan without planned_values: fall back to the `after` side of each change.
      for (const rc of d.objects(root, 'resource_changes')) nodes.push(rc);
    }
    for (const n of nodes) {
      if ((d.str(n, 'mode') ?? 'managed') !== 'managed') continue;
      const address = d.str(n, 'address');
      const type = d.str(n, 'type');
      if (!address || !type) continue;
      const values = pv ? d.prop(n, 'values') : d.prop(d.prop(n, 'change'), 'after');
      if (!pv && d.type(values) !== 'object') continue;
      const res = new Res(this, address, type, n, values, unknownByAddress.get(address), this.exprsByConfigAddress.get(configAddress(address)));
      this.resources.push(res);
      this.byAddress.set(address, res);
      this.byAddress.set(configAddress(address), this.byAddress.get(configAddress(address)) ?? res);
      const id = d.str(values, 'id');
      if (id) this.idToAddress.set(id, address);
      const arn = d.str(values, 'arn');
      if (arn) this.idToAddress.set(arn, address);
      // Aviatrix policies name their groups by uuid.
      const uuid = d.str(values, 'uuid');
      if (uuid) this.idToAddress.set(uuid, address);
    }
    for (const r of this.resources) this.element(r);
    for (const r of this.resources) this.secondary(r);
  }

  private collectConfig(mod: Node | undefined, prefix: string, depth = 0): void {
    const d = this.doc;
    if (!mod || depth > 50) return;
    for (const r of d.objects(mod, 'resources')) {
      const a = d.str(r, 'address');
      if (a) this.exprsByConfigAddress.set(prefix + a, d.get(r, 'expressions'));
    }
    const calls = d.prop(mod, 'module_calls');
    for (const [name, call] of d.entries(calls)) {
      this.collectConfig(d.prop(call, 'module'), `${prefix}module.${name}.`, depth + 1);
    }
  }

  private base(r: Res) {
    const tags = r.raw('tags');
    const tagRec = isObj(tags) ? (Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])) as Record<string, string>) : undefined;
    const id = r.raw('id');
    const attrs = r.attrRanges(this.doc.keys(r.values));
    return {
      id: r.address,
      name: tagRec?.Name ?? r.address,
      loc: this.doc.keyLoc(r.node, 'address'),
      extent: this.doc.range(r.node),
      attrs,
      address: r.address,
      cloud: 'aws' as const,
      ...(typeof id === 'string' ? { providerId: id } : {}),
      ...(tagRec && Object.keys(tagRec).length ? { tags: tagRec } : {}),
    };
  }

  private add(e: NetworkElement): void {
    this.elements.set(e.id, e);
    this.out.elements.push(e);
  }

  private need(r: Res, attr: string): Ref {
    return r.ref(attr) ?? unresolved('', `${r.address} has no ${attr}`);
  }

  private element(r: Res): void {
    const b = this.base(r);
    switch (r.type) {
      case 'aws_vpc': {
        const cidrs: Val<string>[] = [];
        const c = r.str('cidr_block');
        if (c !== undefined) cidrs.push(c);
        const v6 = r.str('ipv6_cidr_block');
        if (typeof v6 === 'string') cidrs.push(v6);
        this.add({ ...b, kind: 'vpc', cidrs, flavor: 'vpc' });
        return;
      }
      case 'aws_subnet': {
        const az = r.str('availability_zone');
        const v6 = r.str('ipv6_cidr_block');
        this.add({
          ...b,
          kind: 'subnet',
          vpc: this.need(r, 'vpc_id'),
          cidr: r.str('cidr_block') ?? unresolved('', 'no cidr_block'),
          ...(az !== undefined ? { az } : {}),
          ...(typeof v6 === 'string' ? { ipv6Cidr: v6 } : {}),
        });
        return;
      }
      case 'aws_route_table':
      case 'aws_default_route_table': {
        const routes = r.blocks('route').map((rb, i) => this.route(rb, `${r.address}#${i}`, 'cidr_block', 'ipv6_cidr_block', 'destination_prefix_list_id'));
        const rt: RouteTable = { ...b, kind: 'routeTable', vpc: r.type === 'aws_route_table' ? this.need(r, 'vpc_id') : (r.ref('vpc_id') ?? unresolved('', 'default route table: VPC known after apply')), routes };
        if (r.type === 'aws_default_route_table') rt.main = true;
        this.add(rt);
        return;
      }
      case 'aws_route_table_association': {
        const subnet = r.ref('subnet_id');
        const gateway = r.ref('gateway_id');
        this.add({ ...b, kind: 'rtAssociation', routeTable: this.need(r, 'route_table_id'), ...(subnet !== undefined ? { subnet } : gateway !== undefined ? { gateway } : {}) });
        return;
      }
      case 'aws_main_route_table_association':
        this.add({ ...b, kind: 'rtAssociation', routeTable: this.need(r, 'route_table_id'), mainOfVpc: this.need(r, 'vpc_id') });
        return;
      case 'aws_internet_gateway':
        this.add({ ...b, kind: 'igw', vpc: r.ref('vpc_id') ?? unresolved('', 'not attached to a VPC') });
        return;
      case 'aws_egress_only_internet_gateway':
        this.add({ ...b, kind: 'eigw', vpc: this.need(r, 'vpc_id') });
        return;
      case 'aws_vpn_gateway':
        this.add({ ...b, kind: 'vgw', vpc: r.ref('vpc_id') ?? unresolved('', 'not attached to a VPC') });
        return;
      case 'aws_nat_gateway': {
        const eip = r.ref('allocation_id');
        const privateIp = r.str('private_ip');
        const publicIp = r.str('public_ip');
        this.add({
          ...b,
          kind: 'natgw',
          subnet: this.need(r, 'subnet_id'),
          connectivity: r.raw('connectivity_type') === 'private' ? 'private' : 'public',
          ...(eip !== undefined ? { eip } : {}),
          ...(privateIp !== undefined ? { privateIp } : {}),
          ...(publicIp !== undefined ? { publicIp } : {}),
        });
        return;
      }
      case 'aws_eip': {
        const publicIp = r.str('public_ip');
        this.add({ ...b, kind: 'eip', ...(publicIp !== undefined ? { publicIp } : {}) });
        return;
      }
      case 'aws_vpc_endpoint': {
        if (r.raw('vpc_endpoint_type') !== 'GatewayLoadBalancer') return;
        const service = r.ref('service_name');
        this.add({
          ...b,
          kind: 'gwlbe',
          vpc: this.need(r, 'vpc_id'),
          subnet: r.refs('subnet_ids')[0] ?? unresolved('', 'GWLB endpoint without subnet_ids'),
          ...(service !== undefined ? { service: typeof service === 'string' && !this.byAddress.has(service) ? unresolved(service, 'endpoint service given by name') : service } : {}),
        });
        return;
      }
      case 'aws_vpc_endpoint_service': {
        const serviceName = r.str('service_name');
        this.add({ ...b, kind: 'endpointService', loadBalancers: r.refs('gateway_load_balancer_arns'), ...(serviceName !== undefined ? { serviceName } : {}) });
        return;
      }
      case 'aws_lb': {
        if (r.raw('load_balancer_type') !== 'gateway') return;
        this.add({ ...b, kind: 'gwlb', subnets: r.refs('subnets'), crossZone: r.bool('enable_cross_zone_load_balancing') ?? false });
        return;
      }
      case 'aws_lb_target_group': {
        const port = r.raw('port');
        const protocol = r.raw('protocol');
        const vpc = r.ref('vpc_id');
        this.add({
          ...b,
          kind: 'targetGroup',
          targets: [],
          ...(typeof protocol === 'string' ? { protocol } : {}),
          ...(typeof port === 'number' ? { port } : {}),
          ...(vpc !== undefined ? { vpc } : {}),
        });
        return;
      }
      case 'aws_instance': {
        const privateIp = r.str('private_ip');
        this.add({ ...b, kind: 'instance', subnet: this.need(r, 'subnet_id'), ...(privateIp !== undefined ? { privateIp } : {}) });
        return;
      }
      case 'aws_ec2_transit_gateway': {
        const a = r.raw('default_route_table_association');
        const p = r.raw('default_route_table_propagation');
        this.add({ ...b, kind: 'tgw', defaultRouteTableAssociation: a !== 'disable', defaultRouteTablePropagation: p !== 'disable' });
        return;
      }
      case 'aws_ec2_transit_gateway_vpc_attachment': {
        const mode = r.raw('appliance_mode_support');
        this.add({
          ...b,
          kind: 'tgwAttachment',
          tgw: this.need(r, 'transit_gateway_id'),
          vpc: this.need(r, 'vpc_id'),
          subnets: r.refs('subnet_ids'),
          applianceMode: typeof mode === 'string' ? mode === 'enable' : r.isUnknown('appliance_mode_support') ? unresolved(`${r.address}.appliance_mode_support`, 'known after apply') : false,
        });
        return;
      }
      case 'aws_ec2_transit_gateway_route_table':
        this.add({ ...b, kind: 'tgwRouteTable', tgw: this.need(r, 'transit_gateway_id'), routes: [], associations: [], propagations: [] });
        return;
      case 'aws_vpc_peering_connection':
        this.add({ ...b, kind: 'peering', vpc: this.need(r, 'vpc_id'), peerVpc: this.need(r, 'peer_vpc_id') });
        return;
      default:
        if (r.type.startsWith('azurerm_')) this.azurerm(r, b);
        else this.aviatrix(r, b);
        return;
    }
  }

  /** Azure names resources by name (`virtual_network_name`): vnet and route table names to addresses. */
  private readonly azureNames = new Map<string, string>();

  private azureName(space: string, ref: Ref | undefined): Ref | undefined {
    if (typeof ref !== 'string' || this.elements.has(ref)) return ref;
    return this.azureNames.get(`${space}:${ref}`) ?? ref;
  }

  private azureRoute(b: Res, id: string): Route {
    const hop = str(b.raw('next_hop_type')) ?? '';
    const kind = nextHopKind(hop);
    const ip = b.str('next_hop_in_ip_address');
    const target: RouteTarget = !kind ? { kind: 'unknown', ref: unresolved(hop, 'next hop type cannot be decided') } : kind === 'virtualAppliance' && ip !== undefined ? { kind, ip } : { kind };
    return { id, loc: this.doc.loc(b.node), destination: { cidr: b.str('address_prefix') ?? unresolved('', 'no address_prefix') }, target, state: nextHopState(kind) };
  }

  /** azurerm networking, with the ids the Terraform parser gives them. */
  private azurerm(r: Res, b: ReturnType<Plan['base']>): void {
    const name = str(r.raw('name'));
    const region = r.str('location');
    const common = { ...b, name: name ?? b.name, cloud: 'azure' as const, ...(region !== undefined ? { region } : {}) };
    switch (r.type) {
      case 'azurerm_virtual_network': {
        const space = r.raw('address_space');
        this.add({ ...common, kind: 'vpc', flavor: 'vnet', cidrs: Array.isArray(space) ? space.filter((x): x is string => typeof x === 'string') : [] });
        if (name) this.azureNames.set(`vnet:${name}`, r.address);
        r.blocks('subnet').forEach((sb) => {
          const sname = str(sb.raw('name')) ?? '?';
          const prefixes = sb.raw('address_prefixes');
          const cidr = Array.isArray(prefixes) && typeof prefixes[0] === 'string' ? prefixes[0] : (str(sb.raw('address_prefix')) ?? unresolved('', 'no address_prefixes'));
          this.add({ id: `${r.address}#subnet:${sname}`, kind: 'subnet', name: sname, loc: this.doc.loc(sb.node), extent: this.doc.range(sb.node), cloud: 'azure', vpc: r.address, cidr });
        });
        return;
      }
      case 'azurerm_subnet': {
        const prefixes = r.raw('address_prefixes');
        const cidr = Array.isArray(prefixes) && typeof prefixes[0] === 'string' ? prefixes[0] : (r.str('address_prefix') ?? unresolved(`${r.address}.address_prefixes`, 'known after apply'));
        this.add({ ...common, kind: 'subnet', vpc: r.ref('virtual_network_name') ?? unresolved('', 'no virtual_network_name'), cidr });
        return;
      }
      case 'azurerm_route_table':
        this.add({ ...common, kind: 'routeTable', vpc: unresolved('', 'route table is not associated with a subnet in the inputs'), routes: r.blocks('route').map((rb, n) => this.azureRoute(rb, `${r.address}#${n}`)) });
        if (name) this.azureNames.set(`routeTable:${name}`, r.address);
        return;
      case 'azurerm_subnet_route_table_association':
        this.add({ ...common, kind: 'rtAssociation', routeTable: this.need(r, 'route_table_id'), subnet: this.need(r, 'subnet_id') });
        return;
      default:
        return;
    }
  }

  /** The aviatrix provider's resources, with the ids the Terraform parser gives them. */
  private aviatrix(r: Res, b: ReturnType<Plan['base']>): void {
    const cloud = (): Cloud => cloudOfType(r.raw('cloud_type'));
    switch (r.type) {
      case 'aviatrix_vpc': {
        const c = r.str('cidr');
        const region = r.str('region');
        this.add({ ...b, name: str(r.raw('name')) ?? b.name, cloud: cloud(), kind: 'vpc', cidrs: c === undefined ? [] : [c], flavor: cloud() === 'azure' ? 'vnet' : 'vpc', ...(region !== undefined ? { region } : {}) });
        return;
      }
      case 'aviatrix_spoke_gateway':
      case 'aviatrix_transit_gateway': {
        const role = r.type === 'aviatrix_spoke_gateway' ? 'spoke' : 'transit';
        const vpcRef = r.ref('vpc_id');
        const literalVpc = typeof vpcRef === 'string' && !this.byAddress.has(vpcRef) ? vpcRef : undefined;
        const snatAttr = r.raw('single_ip_snat') !== undefined ? 'single_ip_snat' : 'enable_snat';
        const region = r.str('vpc_reg');
        const haSize = r.str('ha_gw_size');
        const subnet = r.str('subnet');
        const transit = r.ref('transit_gw');
        const gw: AviatrixGateway = {
          ...b,
          name: str(r.raw('gw_name')) ?? b.name,
          cloud: cloud(),
          kind: 'aviatrixGateway',
          role,
          vpc: literalVpc ? unresolved(literalVpc, 'VPC is not defined in the inputs') : (vpcRef ?? unresolved('', 'vpc_id not set')),
          gwCloud: cloud(),
          size: r.str('gw_size') ?? unresolved('', 'gw_size not set'),
          snat: r.bool(snatAttr) ?? false,
          ...(literalVpc ? { vpcIdText: literalVpc } : {}),
          ...(region !== undefined ? { region } : {}),
          ...(haSize !== undefined ? { haSize } : {}),
          ...(subnet !== undefined ? { subnetCidr: subnet } : {}),
          ...(role === 'spoke' && typeof transit === 'string' && this.byAddress.has(transit) ? { transit } : {}),
        };
        if (role === 'transit') gw.egressCapability = r.bool('enable_egress_transit_firenet') ?? false;
        this.add(gw);
        return;
      }
      case 'aviatrix_distributed_firewalling_config':
        this.add({ ...b, cloud: 'other', kind: 'dcfConfig', enabled: r.bool('enable_distributed_firewalling') ?? false });
        return;
      case 'aviatrix_smart_group':
      case 'aviatrix_web_group': {
        const exprs = r.blocks('selector').flatMap((sel) => sel.blocks('match_expressions'));
        const uuid = str(r.raw('uuid'));
        const common = { ...b, name: str(r.raw('name')) ?? b.name, cloud: 'other' as const, ...(uuid ? { uuid } : {}) };
        if (r.type === 'aviatrix_web_group') {
          const pick = (k: string) => exprs.map((e) => str(e.raw(k))).filter((v): v is string => v !== undefined);
          this.add({ ...common, kind: 'webGroup', domains: pick('snifilter'), urls: pick('urlfilter') });
          return;
        }
        const selectors = exprs.map((e) => planSelector(e.raw.bind(e), e.values ? this.doc.keys(e.values) : []));
        if (selectors.length && selectors.every((x) => x.other?.external !== undefined)) {
          this.add({ ...common, kind: 'externalGroup', source: selectors.map((x) => x.other?.external).join(', ') });
          return;
        }
        this.add({ ...common, kind: 'smartGroup', selectors });
        return;
      }
      case 'aviatrix_distributed_firewalling_policy_list':
      case 'aviatrix_dcf_ruleset': {
        const blocks = r.blocks(r.type === 'aviatrix_dcf_ruleset' ? 'rules' : 'policies');
        const seen = new Set<string>();
        blocks.forEach((p, n) => {
          const name = str(p.raw('name'));
          const key = name !== undefined && !seen.has(name) ? name : String(n);
          seen.add(key);
          const rawAction = (str(p.raw('action')) ?? 'PERMIT').toUpperCase();
          const proto = (str(p.raw('protocol')) ?? 'ANY').toLowerCase();
          const ports: PortRange[] = [];
          for (const pr of p.blocks('port_ranges')) {
            const lo = Number(pr.raw('lo'));
            const hi = Number(pr.raw('hi'));
            if (Number.isInteger(lo) && pr.raw('lo') !== null) ports.push({ lo, hi: Number.isInteger(hi) && hi >= lo ? hi : lo });
          }
          const prio = Number(p.raw('priority'));
          this.add({
            id: `${r.address}#${key}`,
            kind: 'dcfPolicy',
            name: name ?? `policy ${n}`,
            loc: this.doc.loc(p.node),
            extent: this.doc.range(p.node),
            attrs: p.attrRanges(p.values ? this.doc.keys(p.values) : []),
            address: r.address,
            cloud: 'other',
            list: r.address,
            priority: Number.isFinite(prio) ? prio : 0,
            action: rawAction === 'DENY' ? 'deny' : 'permit',
            rawAction,
            inspect: /INSPECTION|INTRUSION/.test(rawAction),
            srcGroups: this.groupRefs(p, 'src_smart_groups'),
            dstGroups: this.groupRefs(p, 'dst_smart_groups'),
            webGroups: this.groupRefs(p, 'web_groups'),
            protocol: proto === 'tcp' || proto === 'udp' || proto === 'icmp' ? proto : 'any',
            ports,
            logging: p.raw('logging') === true,
            watch: p.raw('watch') === true,
            enabled: true,
          });
        });
        return;
      }
      default:
        return;
    }
  }

  private readonly builtins = new Set<string>();

  /** Group references of a policy block: builtin UUIDs become the builtin ids, others addresses. */
  private groupRefs(p: Res, attr: string): Ref[] {
    const raw = p.raw(attr);
    if (Array.isArray(raw)) {
      const out: Ref[] = [];
      raw.forEach((u, i) => {
        const id = typeof u === 'string' ? builtinGroupId(u) : undefined;
        if (id && typeof u === 'string') {
          if (!this.builtins.has(id)) {
            this.builtins.add(id);
            const el = builtinGroup(u, this.doc.loc(this.doc.items(p.values, attr)[i] ?? p.node));
            if (el) this.add(el);
          }
          out.push(id);
        } else out.push(typeof u === 'string' ? (this.addressOfId(u) ?? u) : unresolved(JSON.stringify(u), 'not a group uuid'));
      });
      if (out.length) return out;
    }
    return p.refs(attr);
  }

  private owner<K extends NetworkElement['kind']>(r: Res, attr: string, kind: K): Extract<NetworkElement, { kind: K }> | undefined {
    const ref = r.ref(attr);
    const e = typeof ref === 'string' ? this.elements.get(ref) : undefined;
    if (e?.kind === kind) return e as Extract<NetworkElement, { kind: K }>;
    this.out.diagnostics.push(this.doc.diagAt(this.doc.propNode(r.node, 'address') ?? r.node, 'missing-reference', 'warning', `${r.address}: ${attr} does not name a ${kind} of this plan`));
    return undefined;
  }

  private secondary(r: Res): void {
    switch (r.type) {
      case 'aws_route': {
        const rt = this.owner(r, 'route_table_id', 'routeTable');
        if (rt) rt.routes.push({ ...this.route(r, r.address, 'destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id'), address: r.address });
        return;
      }
      case 'aws_vpc_ipv4_cidr_block_association': {
        const vpc = this.owner(r, 'vpc_id', 'vpc') as Vpc | undefined;
        const c = r.str('cidr_block');
        if (vpc && c !== undefined) vpc.cidrs.push(c);
        return;
      }
      case 'aws_internet_gateway_attachment': {
        const igw = this.owner(r, 'internet_gateway_id', 'igw') as unknown as { vpc: Ref } | undefined;
        if (igw) igw.vpc = this.need(r, 'vpc_id');
        return;
      }
      case 'aws_lb_target_group_attachment': {
        const tg = this.owner(r, 'target_group_arn', 'targetGroup') as TargetGroup | undefined;
        const t = r.ref('target_id');
        if (tg && t !== undefined) tg.targets.push(t);
        return;
      }
      case 'aws_lb_listener': {
        const lb = r.ref('load_balancer_arn');
        for (const a of r.blocks('default_action')) {
          const tgRef = a.ref('target_group_arn');
          const tg = typeof tgRef === 'string' ? this.elements.get(tgRef) : undefined;
          if (tg?.kind === 'targetGroup' && lb !== undefined) tg.loadBalancer = lb;
        }
        return;
      }
      case 'aws_ec2_transit_gateway_route': {
        const t = this.owner(r, 'transit_gateway_route_table_id', 'tgwRouteTable') as TgwRouteTable | undefined;
        if (!t) return;
        const att = r.ref('transit_gateway_attachment_id');
        t.routes.push({
          id: r.address,
          loc: this.doc.keyLoc(r.node, 'address'),
          destination: r.str('destination_cidr_block') ?? unresolved('', 'no destination_cidr_block'),
          ...(att !== undefined ? { attachment: att } : {}),
          blackhole: r.raw('blackhole') === true,
        });
        return;
      }
      case 'azurerm_subnet': {
        const s = this.elements.get(r.address);
        if (s?.kind === 'subnet') s.vpc = this.azureName('vnet', s.vpc) ?? s.vpc;
        return;
      }
      case 'azurerm_route': {
        const t = this.azureName('routeTable', r.ref('route_table_name'));
        const rt = typeof t === 'string' ? this.elements.get(t) : undefined;
        if (rt?.kind === 'routeTable') rt.routes.push({ ...this.azureRoute(r, r.address), address: r.address });
        else this.out.diagnostics.push(this.doc.diagAt(this.doc.propNode(r.node, 'address') ?? r.node, 'missing-reference', 'info', `${r.address}: its route table is not in the plan; the route is not modelled`));
        return;
      }
      case 'azurerm_subnet_route_table_association': {
        // Azure route tables belong to no VNet; the associated subnet tells which one.
        const a = this.elements.get(r.address);
        if (a?.kind !== 'rtAssociation') return;
        const t = typeof a.routeTable === 'string' ? this.elements.get(a.routeTable) : undefined;
        const sub = typeof a.subnet === 'string' ? this.elements.get(a.subnet) : undefined;
        if (t?.kind === 'routeTable' && typeof t.vpc !== 'string' && sub?.kind === 'subnet') t.vpc = this.azureName('vnet', sub.vpc) ?? sub.vpc;
        return;
      }
      case 'aws_ec2_transit_gateway_route_table_association':
      case 'aws_ec2_transit_gateway_route_table_propagation': {
        const t = this.owner(r, 'transit_gateway_route_table_id', 'tgwRouteTable') as TgwRouteTable | undefined;
        const att = r.ref('transit_gateway_attachment_id');
        if (!t || att === undefined) return;
        if (r.type.endsWith('association')) {
          t.associations.push(att);
          const a = typeof att === 'string' ? this.elements.get(att) : undefined;
          if (a?.kind === 'tgwAttachment') a.routeTable = t.id;
        } else t.propagations.push(att);
        return;
      }
      default:
        return;
    }
  }

  private route(r: Res, id: string, cidrKey: string, v6Key: string, plKey: string): Route {
    const pl = r.ref(plKey);
    const cidr = r.str(cidrKey);
    const v6 = r.str(v6Key);
    const destination: Route['destination'] = pl !== undefined ? { prefixList: pl } : { cidr: cidr ?? v6 ?? unresolved('', 'route without destination') };
    return { id, loc: this.doc.keyLoc(r.node, 'address'), destination, target: this.target(r), state: 'active' };
  }

  private target(r: Res): RouteTarget {
    return routeTarget('tf', (f) => r.ref(f), (ref) => this.byAddress.get(ref)?.type);
  }
}
