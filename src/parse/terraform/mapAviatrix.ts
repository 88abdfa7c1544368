// aviatrix provider resources -> model elements: VPCs, spoke/transit gateways, DCF config,
// policy lists / rulesets (including dynamic blocks), SmartGroups, WebGroups, and the
// mc-spoke / mc-transit public modules, recognised by their source.
import type {
  AviatrixGateway,
  Cloud,
  DcfConfig,
  DcfPolicy,
  ExternalGroup,
  PortRange,
  Ref,
  SmartGroup,
  SmartGroupSelector,
  Val,
  Vpc,
  WebGroup,
} from '../../model/types';
import { AVIATRIX_ALL_WEB_UUID, AVIATRIX_ANYWHERE_UUID, AVIATRIX_PUBLIC_INTERNET_UUID, unresolved } from '../../model/types';
import {
  BUILTIN_BY_UUID,
  BUILTIN_GROUP_IDS,
  GATEWAY_ROLES,
  SELECTOR_FIELDS,
  cloudOfName,
  cloudOfType,
  dcfAction,
  dcfProtocol,
  gatewayType,
  portRange,
} from '../vocabulary/aviatrix';
import { tfAddress, type BlockView, type Res } from './emit';
import type { Mapper } from './mapAws';
import { RefVal, ResourceObj, Unknown, asString, type Value } from './values';
import { evaluate, type Scope } from './evaluate';
import type { Expr } from './ast';
import type { ResourceInstance } from './modules';
import { cidrContains, parseCidr } from '../../model/cidr';

export { BUILTIN_GROUP_IDS, cloudOfType };

/** Creates a predefined group once; `loc` is where it is first used. */
function builtin(b: BlockView, which: keyof typeof BUILTIN_GROUP_IDS, span: { start: number; end: number }): string {
  const id = BUILTIN_GROUP_IDS[which];
  if (b.out.byId.has(id)) return id;
  const base = { id, name: '', loc: b.loc(span), cloud: 'other' as Cloud };
  if (which === 'allWeb') {
    const g: WebGroup = {
      ...base,
      kind: 'webGroup',
      name: 'All-Web',
      uuid: AVIATRIX_ALL_WEB_UUID,
      builtin: 'allWeb',
      domains: ['*'],
      urls: [],
    };
    b.out.add(g, b.src, span);
  } else {
    const anywhere = which === 'anywhere';
    const g: SmartGroup = {
      ...base,
      kind: 'smartGroup',
      name: anywhere ? 'Anywhere' : 'Public Internet',
      uuid: anywhere ? AVIATRIX_ANYWHERE_UUID : AVIATRIX_PUBLIC_INTERNET_UUID,
      builtin: which,
      // Public Internet is "everything but RFC 1918": no single CIDR; the builtin flag says it.
      selectors: anywhere ? [{ cidr: '0.0.0.0/0' }] : [],
    };
    b.out.add(g, b.src, span);
  }
  return id;
}

/** Group references of a policy: builtin UUIDs, `aviatrix_smart_group.x.uuid`, or literal UUIDs. */
function groupRefs(b: BlockView, name: string): Ref[] {
  const v = b.value(name);
  const items: Value[] = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  const span = b.valueSpan(name);
  return items.map((x) => {
    const s = asString(x);
    if (s !== undefined && BUILTIN_BY_UUID[s]) return builtin(b, BUILTIN_BY_UUID[s], span);
    return b.toRef(x, name) ?? unresolved(b.text(name), 'empty group reference');
  });
}

/**
 * What a resource group expression names: the `name` of one resource group instance, the group another
 * resource is written in (`azurerm_virtual_network.x.resource_group_name`), or a known string.
 */
function resourceGroupIdentity(e: Expr | undefined, scope: Scope, depth = 0): string | undefined {
  if (!e) return undefined;
  if (e.k === 'attr' && (e.name === 'name' || e.name === 'resource_group_name')) {
    const obj = evaluate(e.obj, scope);
    if (obj instanceof ResourceObj) {
      if (e.name === 'name') return `res:${obj.instance.address}`;
      const other = obj.instance as Partial<ResourceInstance>;
      const written = other.decl?.block.attrs.get('resource_group_name')?.expr;
      if (written && other.scope && depth < 3) return resourceGroupIdentity(written, other.scope(), depth + 1);
    }
  }
  const s = asString(evaluate(e, scope));
  return s === undefined ? undefined : `lit:${s}`;
}

/**
 * An Azure gateway's `vpc_id = "${azurerm_virtual_network.x.name}:${<resource group>}"`: the VNet it names, when
 * the resource group part is the same group the VNet is written in (the same resource's name or the same
 * string). Aviatrix identifies a VNet by name and group; the group's name is often random (random_pet), but
 * the template itself points at the VNet resource.
 */
function azureVnetOfVpcId(r: Res): Ref | undefined {
  const parts = vpcIdParts(r.block.attrs.get('vpc_id')?.expr);
  if (!parts) return undefined;
  const [name, rg] = parts;
  if (name.k !== 'attr' || name.name !== 'name') return undefined;
  const obj = evaluate(name.obj, r.scope);
  if (!(obj instanceof ResourceObj)) return undefined;
  const vnet = obj.instance as Partial<ResourceInstance>;
  if (vnet.decl?.type !== 'azurerm_virtual_network' || !vnet.scope) return undefined;
  const own = resourceGroupIdentity(vnet.decl.block.attrs.get('resource_group_name')?.expr, vnet.scope());
  const given = resourceGroupIdentity(rg, r.scope);
  return own !== undefined && own === given ? obj.instance.address : undefined;
}

/**
 * The VNet name and resource group expressions of an Azure gateway's `vpc_id`, written as a template
 * (`"${name}:${rg}"`, `"${name}:${rg}:${guid}"`) or with `format("%s:%s:%s", name, rg, guid)` (F81): the VNet's
 * guid, known only after apply, adds nothing to which VNet it is.
 */
function vpcIdParts(e: Expr | undefined): [Expr, Expr] | undefined {
  if (e?.k === 'tmpl' && e.parts.length >= 3) {
    const [name, sep, rg] = e.parts;
    if (typeof name === 'string' || sep !== ':' || typeof rg === 'string') return undefined;
    return [name, rg];
  }
  if (e?.k === 'call' && e.name === 'format' && !e.expand && e.args.length >= 3) {
    const [f, name, rg] = e.args;
    if (f.k !== 'lit' || (f.v !== '%s:%s' && f.v !== '%s:%s:%s')) return undefined;
    return [name, rg];
  }
  return undefined;
}

function gatewayCommon(r: Res): AviatrixGateway {
  const role = GATEWAY_ROLES[r.type] ?? 'spoke';
  const gwCloud = cloudOfType(r.num('cloud_type'));
  const gwName = r.literal('gw_name');
  const vpcV = r.value('vpc_id');
  let vpc: Ref = unresolved('', 'vpc_id not written');
  let vpcIdText: string | undefined;
  const vnet = vpcV instanceof Unknown ? azureVnetOfVpcId(r) : undefined;
  const vpcRef = vpcV === undefined || vnet !== undefined ? vnet : r.toRef(vpcV, 'vpc_id');
  if (vnet !== undefined) vpc = vnet;
  else if (vpcV instanceof RefVal) vpc = vpcRef ?? vpc;
  else if (vpcV !== undefined) {
    const lit = asString(vpcV);
    // A plan maps a known id to the resource that has it: then the VPC is in the inputs.
    if (lit !== undefined && vpcRef !== lit && vpcRef !== undefined) vpc = vpcRef;
    else if (lit !== undefined) {
      // A literal VPC id / VNet string: the VPC is not created by this configuration.
      vpcIdText = lit;
      vpc = unresolved(r.text('vpc_id'), 'VPC is not defined in the inputs');
    } else vpc = vpcRef ?? vpc;
  }
  const snatAttr = r.has('single_ip_snat') ? 'single_ip_snat' : 'enable_snat';
  const el: AviatrixGateway = {
    ...r.base('aviatrixGateway', gwCloud, gwName),
    role,
    vpc,
    gwCloud,
    size: r.str('gw_size') ?? unresolved('', 'gw_size not written'),
    snat: r.bool(snatAttr, false) ?? false,
  };
  if (vpcIdText !== undefined) el.vpcIdText = vpcIdText;
  const region = r.str('vpc_reg');
  if (region !== undefined) el.region = region;
  const ha = r.str('ha_gw_size');
  if (ha !== undefined) el.haSize = ha;
  const subnet = r.str('subnet');
  if (subnet !== undefined) el.subnetCidr = subnet;
  const haSubnet = r.str('ha_subnet');
  if (haSubnet !== undefined) el.haSubnetCidr = haSubnet;
  if (gwName) r.out.nameIndex('gateway').set(gwName, el.id);
  return el;
}

/**
 * `module.<call>.spoke_gateway.gw_name` / `module.<call>.transit_gateway.gw_name` written in the module at `prefix`:
 * the id of the gateway synthesised for that mc-spoke / mc-transit call (whose outputs are not read offline), or
 * undefined for any other expression. The caller checks that the call was synthesised.
 */
function moduleGatewayId(e: Expr | undefined, prefix: string): string | undefined {
  if (e?.k !== 'attr' || e.name !== 'gw_name' || e.obj.k !== 'attr' || e.obj.obj.k !== 'attr') return undefined;
  const module = e.obj.obj.obj;
  if (module.k !== 'var' || module.name !== 'module') return undefined;
  const role = e.obj.name === 'spoke_gateway' ? 'spoke' : e.obj.name === 'transit_gateway' ? 'transit' : undefined;
  return role ? `${prefix}module.${e.obj.obj.name}.${gatewayType(role)}.default` : undefined;
}

/**
 * A gateway attribute (`transit_gw`, `transit_gw_name`, `spoke_gw_name`) written in the module at `prefix`, as
 * the gateway element id (a name, `aviatrix_transit_gateway.x.gw_name`, or an unread mc-spoke / mc-transit call's
 * `module.<call>.<role>_gateway.gw_name`, whose approximation stands in for it) or Unresolved. Call `resolve` in a
 * post step (names and synthesised modules are known then). The "cannot be decided offline" info for a module's
 * output is told only when no approximation stands in for the call.
 */
function gatewayAttr(r: BlockView, name: string, prefix: string): () => Val<string> | undefined {
  const moduleGateway = moduleGatewayId(r.block.attrs.get(name)?.expr, prefix);
  const v = moduleGateway === undefined ? undefined : r.value(name);
  if (moduleGateway === undefined || !(v instanceof Unknown)) {
    const ref = r.ref(name);
    return () => (typeof ref === 'string' && !r.out.byId.has(ref) ? (r.out.nameIndex('gateway').get(ref) ?? ref) : ref);
  }
  return () => {
    if (r.out.byId.get(moduleGateway)?.kind === 'aviatrixGateway') return moduleGateway;
    r.tell(name, v);
    return unresolved(r.text(name), v.reason);
  };
}

/** A spoke's `transit_gw` -> its transit element id. */
function linkTransit(r: BlockView, spoke: AviatrixGateway, prefix: string): void {
  if (!r.has('transit_gw')) return;
  const transit = gatewayAttr(r, 'transit_gw', prefix);
  r.out.post(() => {
    const t = transit();
    if (t !== undefined) spoke.transit = t;
  });
}

/** The module prefix a resource's id starts with (`module.a.` for `module.a.aviatrix_x.y`). */
function prefixOf(r: Res): string {
  const own = r.id.lastIndexOf(`${r.type}.`);
  return own > 0 ? r.id.slice(0, own) : '';
}

const aviatrixVpc: Mapper = (r) => {
  const cloudType = r.num('cloud_type');
  const cloud = cloudOfType(cloudType);
  const cidrs: Val<string>[] = [];
  const c = r.str('cidr');
  if (c !== undefined) cidrs.push(c);
  for (const s of r.blocks('subnets')) {
    const sc = s.str('cidr');
    if (sc !== undefined) cidrs.push(sc);
  }
  const el: Vpc = { ...r.base('vpc', cloud, r.literal('name')), cidrs, flavor: cloud === 'azure' ? 'vnet' : 'vpc' };
  const region = r.str('region');
  if (region !== undefined) el.region = region;
  r.emit(el);
};

const spokeGateway: Mapper = (r) => {
  const el = gatewayCommon(r);
  r.emit(el);
  linkTransit(r, el, prefixOf(r));
};

const transitGateway: Mapper = (r) => {
  const el = gatewayCommon(r);
  el.egressCapability = r.bool('enable_egress_transit_firenet', false) ?? false;
  r.emit(el);
};

/** A separate HA gateway (`aviatrix_spoke_ha_gateway`): its subnet is the primary gateway's HA subnet. */
const haGateway: Mapper = (r) => {
  const primary = r.ref('primary_gw_name');
  const subnet = r.str('subnet');
  if (subnet === undefined) return;
  r.out.post(() => {
    const id = typeof primary === 'string' ? (r.out.byId.has(primary) ? primary : r.out.nameIndex('gateway').get(primary)) : undefined;
    const g = id ? r.out.byId.get(id) : undefined;
    if (g?.kind === 'aviatrixGateway' && g.haSubnetCidr === undefined) g.haSubnetCidr = subnet;
  });
};

const spokeTransitAttachment: Mapper = (r) => {
  // Either side may be written as a gateway name or as a reference (`.gw_name`, `.id`, an mc-* call's output).
  const spoke = gatewayAttr(r, 'spoke_gw_name', prefixOf(r));
  const transit = gatewayAttr(r, 'transit_gw_name', prefixOf(r));
  r.out.post(() => {
    const id = spoke();
    const g = typeof id === 'string' ? r.out.byId.get(id) : undefined;
    const t = transit();
    if (g?.kind === 'aviatrixGateway' && g.role === 'spoke' && t !== undefined) g.transit = t;
  });
};

/** Destinations a customized SNAT policy can name that are not the internet: RFC 1918 and shared (100.64/10) space. */
const PRIVATE_DESTINATIONS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => parseCidr(c)!);

/**
 * Whether one customized SNAT policy translates traffic toward the internet: out of the gateway's own
 * interface (`interface = "eth0"`, no `connection`) to every destination (`dst_cidr` 0.0.0.0/0 or not
 * written). 'no' for a policy toward a connection (the transit, a site) or a private destination; undefined
 * when that cannot be decided (a value not known offline, another interface, a public prefix only).
 */
function snatPolicyToInternet(b: BlockView): 'yes' | 'no' | undefined {
  const connection = writtenText(b, 'connection');
  if (connection === undefined) return undefined;
  if (connection !== '' && connection.toLowerCase() !== 'none') return 'no';
  const dst = writtenText(b, 'dst_cidr');
  if (dst === undefined) return undefined;
  if (dst !== '' && dst !== '0.0.0.0/0') {
    const c = parseCidr(dst);
    return c && PRIVATE_DESTINATIONS.some((p) => cidrContains(p, c)) ? 'no' : undefined;
  }
  return writtenText(b, 'interface') === 'eth0' ? 'yes' : undefined;
}

/**
 * Whether one customized SNAT policy makes the controller program 0.0.0.0/0 -> the gateway into the VPC's private
 * route tables (provider docs: `apply_route_entry`, default true, programs "DST CIDR pointing to Aviatrix Gateway";
 * Aviatrix NAT docs: a blank DST CIDR programs 0.0.0.0/0): the tables its `exclude_rtb` names (empty: none), 'no'
 * when it does not, undefined when that cannot be decided offline.
 */
function snatPolicyDefaultRoute(b: BlockView): Ref[] | 'no' | undefined {
  const dst = writtenText(b, 'dst_cidr');
  if (dst === undefined) return undefined;
  if (dst !== '' && dst !== '0.0.0.0/0') return 'no';
  const apply = b.bool('apply_route_entry', true);
  if (apply === false) return 'no';
  if (apply !== true) return undefined;
  const v = b.value('exclude_rtb');
  if (v === undefined || v === null) return [];
  const text = asString(v);
  if (text !== undefined && !(v instanceof RefVal))
    return text
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  return [b.toRef(v, 'exclude_rtb') ?? unresolved(b.text('exclude_rtb'), 'not known offline')];
}

/** A string attribute, '' when not written or null, undefined when not decidable offline. */
function writtenText(b: BlockView, name: string): string | undefined {
  const v = b.value(name);
  return v === undefined || v === null ? '' : asString(v);
}

/** The gateway an `aviatrix_gateway_snat` names: an element id, a gateway name, or undefined when not decidable. */
function snatGateway(r: Res): { id?: string; name?: string } | undefined {
  const v = r.value('gw_name');
  const name = v === undefined ? undefined : asString(v);
  if (name !== undefined) return { name };
  if (v instanceof RefVal) return { id: v.address };
  // `module.<call>.spoke_gateway.gw_name`: the gateway of an mc-spoke / mc-transit call, which stands in for the
  // module's own resources (synthesiseAviatrixModule) and whose outputs are not read offline.
  const id = moduleGatewayId(r.block.attrs.get('gw_name')?.expr, prefixOf(r));
  if (id) return { id };
  return undefined;
}

/**
 * `aviatrix_gateway_snat` (customized SNAT, F89): a gateway whose customized policies translate traffic
 * toward the internet out of its own interface does local egress, as with `single_ip_snat`; when the policies
 * cannot be decided offline, its SNAT is Unresolved. A gateway the resource names but that cannot be
 * identified offline leaves every spoke gateway without a written SNAT setting Unresolved.
 */
const gatewaySnat: Mapper = (r) => {
  const mode = r.literal('snat_mode');
  if (mode !== undefined && mode !== 'customized_snat') return;
  const blocks = r.blocks('snat_policy');
  const policies = blocks.map(snatPolicyToInternet);
  const undecided = r.undecidedBlocks('snat_policy');
  const loc = r.loc();
  const at = `aviatrix_gateway_snat ${r.id} (${r.src.file}:${loc.range.start.line + 1})`;
  const snat: Val<boolean> = policies.includes('yes')
    ? true
    : policies.includes(undefined) || undecided.length > 0
      ? unresolved(r.text('gw_name'), `the customized SNAT policies of ${at} cannot be decided offline`)
      : false;
  const routes = blocks.map((b) => snatPolicyDefaultRoute(b));
  const programs = routes.filter((x): x is Ref[] => Array.isArray(x));
  const privateDefaultRoute: Val<boolean> =
    programs.length > 0
      ? true
      : routes.includes(undefined) || undecided.length > 0
        ? unresolved(r.text('gw_name'), `whether the customized SNAT policies of ${at} program a default route cannot be decided offline`)
        : false;
  const target = snatGateway(r);
  r.out.post(() => {
    const id = target?.id ?? (target?.name !== undefined ? r.out.nameIndex('gateway').get(target.name) : undefined);
    const el = id ? r.out.byId.get(id) : undefined;
    if (el?.kind === 'aviatrixGateway') {
      el.customizedSnat = loc;
      if (el.snat !== true) el.snat = snat;
      el.privateDefaultRoute = privateDefaultRoute;
      // Each policy that programs the route keeps it out of the tables it names; none names one: every table.
      if (programs.length > 0 && programs.every((x) => x.length > 0)) el.privateDefaultRouteExcluded = programs;
      return;
    }
    if (target !== undefined) return;
    // Which gateway it configures is not known offline: none of the spokes' SNAT can be told off.
    for (const g of r.out.byId.values()) {
      if (g.kind !== 'aviatrixGateway' || g.role !== 'spoke' || g.snat !== false || g.attrs?.['single_ip_snat'] || g.attrs?.['enable_snat'])
        continue;
      g.snat = unresolved(r.text('gw_name'), `${at} sets customized SNAT on a gateway whose name is not known offline`);
    }
  });
};

const dcfConfig: Mapper = (r) => {
  const el: DcfConfig = { ...r.base('dcfConfig', 'other'), enabled: r.bool('enable_distributed_firewalling', false) ?? false };
  r.emit(el);
};

function policy(r: Res, b: BlockView, n: number, ids: Set<string>): DcfPolicy {
  const name = b.literal('name');
  const key = name !== undefined && !ids.has(name) ? name : String(n);
  ids.add(key);
  const rawAction = b.literal('action') ?? '';
  if (!rawAction)
    r.out.problem(
      b.src,
      b.valueSpan('action'),
      'unresolved-value',
      'info',
      `policy ${key}: action cannot be decided offline; what it decides is Unknown`,
    );
  const proto = b.literal('protocol');
  const protocol = proto !== undefined ? dcfProtocol(proto) : undefined;
  if (!protocol)
    r.out.problem(
      b.src,
      b.valueSpan('protocol'),
      'unresolved-value',
      'info',
      `policy ${key}: protocol cannot be decided offline; read as ANY`,
    );
  const priority = b.num('priority');
  const ports: PortRange[] = [];
  for (const p of b.blocks('port_ranges')) {
    const lo = p.num('lo');
    if (lo === undefined) continue;
    ports.push(portRange(lo, p.num('hi')));
  }
  const flag = (attr: string): boolean => b.bool(attr, false) === true;
  const attrs = b.attrRanges();
  return {
    id: `${r.id}#${key}`,
    kind: 'dcfPolicy',
    name: name ?? `policy ${n}`,
    loc: b.loc(),
    extent: b.extent(),
    attrs,
    address: tfAddress(r.id),
    cloud: 'other',
    list: r.id,
    priority: priority ?? 0,
    ...(rawAction ? dcfAction(rawAction) : { action: 'unknown' as const, inspect: false }),
    rawAction: rawAction || b.text('action') || '(not written)',
    srcGroups: groupRefs(b, 'src_smart_groups'),
    dstGroups: groupRefs(b, 'dst_smart_groups'),
    webGroups: groupRefs(b, 'web_groups'),
    protocol: protocol ?? 'any',
    ports,
    logging: flag('logging'),
    watch: flag('watch'),
    enabled: true,
  };
}

const policyList =
  (blockType: 'policies' | 'rules'): Mapper =>
  (r) => {
    const ids = new Set<string>();
    r.blocks(blockType).forEach((b, n) => r.out.add(policy(r, b, n, ids), r.src, b.locSpan));
  };

/**
 * The default action rule is itself a DCF rule (provider docs: src Anywhere, dst Anywhere, PERMIT
 * and not logged until changed), evaluated after every other policy: modelled as the last policy.
 */
const DEFAULT_ACTION_PRIORITY = 2147483647;

const defaultActionRule: Mapper = (r) => {
  // Not written: the provider's default (PERMIT). Written but not decidable: Unknown, never a guess.
  const written = r.has('action');
  const rawAction = r.literal('action') ?? (written ? r.text('action') : 'PERMIT');
  if (written && r.literal('action') === undefined)
    r.out.problem(
      r.src,
      r.valueSpan('action'),
      'unresolved-value',
      'info',
      `${r.id}: action cannot be decided offline; what it decides is Unknown`,
    );
  const anywhere = builtin(r, 'anywhere', r.locSpan);
  const el: DcfPolicy = {
    ...r.base('dcfPolicy', 'other', 'DCF default action rule'),
    priority: DEFAULT_ACTION_PRIORITY,
    action: written && r.literal('action') === undefined ? 'unknown' : dcfAction(rawAction).action,
    rawAction,
    inspect: false,
    srcGroups: [anywhere],
    dstGroups: [anywhere],
    webGroups: [],
    protocol: 'any',
    ports: [],
    logging: r.bool('logging', false) === true,
    watch: false,
    enabled: true,
  };
  r.emit(el);
};

function selector(b: BlockView): SmartGroupSelector {
  const sel: SmartGroupSelector = {};
  const other: Record<string, string> = {};
  for (const name of b.attrNames()) {
    const v = b.value(name);
    if (name === 'tags') {
      const tags = b.stringMap('tags');
      if (tags) sel.tags = tags;
      continue;
    }
    if (name === 'ext_args' && v instanceof Map) {
      for (const [k, x] of v) other[`ext_args.${k}`] = asString(x) ?? '';
      continue;
    }
    const s = v === undefined ? undefined : asString(v);
    const field = SELECTOR_FIELDS[name];
    if (s !== undefined && field) (sel as Record<string, unknown>)[field] = s;
    else if (s !== undefined) other[name] = s;
    else {
      // Unknown value: kept visibly, never as a CIDR or name the analysis would trust.
      const why = v instanceof Unknown ? v.reason : 'known only after apply';
      b.out.problem(
        b.src,
        b.valueSpan(name),
        'unresolved-value',
        'info',
        `selector ${name}: ${b.text(name)} cannot be decided offline (${why})`,
      );
      other[name] = `<unresolved: ${b.text(name)}>`;
    }
  }
  if (Object.keys(other).length) sel.other = other;
  return sel;
}

function matchExpressions(r: Res): BlockView[] {
  return r.blocks('selector').flatMap((s) => s.blocks('match_expressions'));
}

const smartGroup: Mapper = (r) => {
  const name = r.literal('name');
  const selectors = matchExpressions(r).map(selector);
  // Groups fed from outside (geo, threat feeds, cloud IP ranges) cannot be known offline.
  if (selectors.length > 0 && selectors.every((s) => s.other?.external !== undefined)) {
    const el: ExternalGroup = { ...r.base('externalGroup', 'other', name), source: selectors.map((s) => s.other?.external).join(', ') };
    r.emit(el);
    return;
  }
  const el: SmartGroup = { ...r.base('smartGroup', 'other', name), selectors };
  r.emit(el);
};

const webGroup: Mapper = (r) => {
  const domains: string[] = [];
  const urls: string[] = [];
  for (const m of matchExpressions(r)) {
    const sni = m.literal('snifilter');
    const url = m.literal('urlfilter');
    if (sni !== undefined) domains.push(sni);
    if (url !== undefined) urls.push(url);
  }
  const el: WebGroup = { ...r.base('webGroup', 'other', r.literal('name')), domains, urls };
  r.emit(el);
};

/**
 * A standalone gateway (`aviatrix_gateway`): with SNAT (`single_ip_snat`, `enable_snat`) its VPC's egress FQDN
 * gateway (role `egress`); its FQDN filters are attached by the `aviatrix_fqdn`s that name it.
 */
const standaloneGateway: Mapper = (r) => {
  r.emit(gatewayCommon(r));
};

/**
 * Whether a standalone gateway is an egress gateway: its `single_ip_snat` / `enable_snat` written, not false. Any
 * other (a VPN or site-to-cloud gateway, customized SNAT toward a connection) stays an unmodelled resource.
 */
export function isEgressGateway(r: Res): boolean {
  const attr = r.has('single_ip_snat') ? 'single_ip_snat' : r.has('enable_snat') ? 'enable_snat' : undefined;
  return attr !== undefined && r.bool(attr, false) !== false;
}

/** nameIndex space: the domains of each FQDN tag's `aviatrix_fqdn_tag_rule`s, one a line. */
const FQDN_RULES = 'fqdnTagRules';

/** An `aviatrix_fqdn_tag_rule`: a domain of its tag's list (read by the filter that has the tag). */
const fqdnTagRule: Mapper = (r) => {
  const tag = r.literal('fqdn_tag_name');
  const fqdn = r.literal('fqdn');
  if (tag === undefined) return;
  const rules = r.out.nameIndex(FQDN_RULES);
  const had = rules.get(tag);
  // A domain not known offline stands as `?`: it may be anything, `*` too.
  rules.set(tag, had === undefined ? (fqdn ?? '?') : `${had}\n${fqdn ?? '?'}`);
};

/**
 * An egress FQDN filter (`aviatrix_fqdn`): attached, once every resource is read, to each standalone gateway its
 * `gw_filter_tag_list` names (by gateway name, as the controller does).
 */
const fqdnFilter: Mapper = (r) => {
  const tag = r.literal('fqdn_tag') ?? r.id;
  const inline = r.blocks('domain_names').map((d) => d.str('fqdn') ?? unresolved('fqdn', 'not written'));
  const gateways = r.blocks('gw_filter_tag_list').map((b) => b.literal('gw_name'));
  const base = {
    tag,
    loc: r.loc(),
    mode: r.str('fqdn_mode') ?? 'white',
    enabled: r.bool('fqdn_enabled', true) ?? true,
  };
  r.out.post(() => {
    const ruled = r.out.nameIndex(FQDN_RULES).get(tag);
    const domains = [
      ...inline,
      ...(ruled === undefined ? [] : ruled.split('\n').map((d) => (d === '?' ? unresolved('fqdn', 'not known offline') : d))),
    ];
    for (const name of gateways) {
      const id = name === undefined ? undefined : r.out.nameIndex('gateway').get(name);
      const g = id === undefined ? undefined : r.out.byId.get(id);
      if (g?.kind !== 'aviatrixGateway' || g.role !== 'egress') continue;
      (g.fqdnFilters ??= []).push({ ...base, domains });
    }
  });
};

export const AVIATRIX_MAPPERS: Record<string, Mapper> = {
  aviatrix_gateway_egress: standaloneGateway,
  aviatrix_fqdn: fqdnFilter,
  aviatrix_fqdn_tag_rule: fqdnTagRule,
  aviatrix_vpc: aviatrixVpc,
  aviatrix_spoke_gateway: spokeGateway,
  aviatrix_transit_gateway: transitGateway,
  aviatrix_spoke_ha_gateway: haGateway,
  aviatrix_spoke_transit_attachment: spokeTransitAttachment,
  aviatrix_gateway_snat: gatewaySnat,
  aviatrix_distributed_firewalling_config: dcfConfig,
  aviatrix_distributed_firewalling_policy_list: policyList('policies'),
  aviatrix_dcf_ruleset: policyList('rules'),
  aviatrix_distributed_firewalling_default_action_rule: defaultActionRule,
  aviatrix_smart_group: smartGroup,
  aviatrix_web_group: webGroup,
};

/** Default gateway sizes of mc-spoke by cloud (module locals.tf, instance_size_map). */
const MC_SPOKE_SIZES: Record<string, string> = {
  aws: 't3.medium',
  azure: 'Standard_B2ms',
  gcp: 'n1-highcpu-4',
  oci: 'VM.Standard2.2',
  ali: 'ecs.g5ne.large',
};

/** Whether a module source names the public Aviatrix module `mc-<name>` (registry address or its git repository). */
function isMcModule(source: string, name: string): boolean {
  const s = source
    .toLowerCase()
    .replace(/\/\/.*$/, '')
    .replace(/\?.*$/, '');
  const registry = `terraform-aviatrix-modules/mc-${name}/aviatrix`;
  return s === registry || s.endsWith(`/${registry}`) || s.includes(`terraform-aviatrix-modules/terraform-aviatrix-mc-${name}`);
}

/** Whether a module source names the public mc-firenet module (FireNet on an mc-transit call's transit). */
export function isFirenetModule(source: string): boolean {
  return isMcModule(source, 'firenet');
}

/**
 * An mc-firenet call that is not read (F140): FireNet with `egress_enabled` sends the transit's internet traffic
 * out through the FireNet's firewalls or Aviatrix egress gateways, which are not modelled. The transit of the
 * `transit_module = module.<call>` it names then has an egress the inputs cannot decide: its egress capability is
 * Unresolved saying why (without this the transit reads as having none, and its spokes' egress as dropped).
 */
export function noteFirenetModule(call: BlockView, name: string, parentPrefix: string): void {
  const t = call.block.attrs.get('transit_module')?.expr;
  if (t?.k !== 'attr' || t.obj.k !== 'var' || t.obj.name !== 'module') return;
  const transitId = `${parentPrefix}module.${t.name}.${gatewayType('transit')}.default`;
  // Unwritten: the module's default (which differs between its versions) is read after `terraform init`.
  const egress = call.bool('egress_enabled');
  if (egress === false) return;
  const image = call.literal('firewall_image');
  const at = `module.${name} (${call.src.file}:${call.loc().range.start.line + 1})`;
  call.out.post(() => {
    const transit = call.out.byId.get(transitId);
    if (transit?.kind !== 'aviatrixGateway' || transit.role !== 'transit' || transit.egressCapability === true) return;
    transit.egressCapability = unresolved(
      call.text('egress_enabled') || `module.${name}`,
      egress === undefined
        ? `whether the Aviatrix FireNet of ${at} sends egress out is not known offline: egress_enabled is not written, and the module's default is read after \`terraform init\``
        : egress !== true
          ? `whether the Aviatrix FireNet of ${at} sends egress out cannot be decided offline`
          : `its egress leaves through the Aviatrix FireNet of ${at}${image ? ` (firewall_image "${image}")` : ''}, which is not modelled`,
    );
  });
}

/** Which public Aviatrix module a source string names, if any. */
export function aviatrixModuleKind(source: string): 'spoke' | 'transit' | undefined {
  return isMcModule(source, 'spoke') ? 'spoke' : isMcModule(source, 'transit') ? 'transit' : undefined;
}

/**
 * The VPC and gateway that mc-spoke / mc-transit create, from the call's inputs. Ids follow the
 * modules' own resource addresses so a plan JSON of the same code matches them.
 */
export function synthesiseAviatrixModule(call: BlockView, prefix: string, role: 'spoke' | 'transit', parentPrefix: string): void {
  const out = call.out;
  const cloudName = call.literal('cloud')?.toLowerCase();
  const cloud = cloudOfName(cloudName);
  const name = call.literal('name');
  const base = { loc: call.loc(), extent: call.extent(), attrs: call.attrRanges(), cloud };
  const region = call.str('region');
  const existing = call.bool('use_existing_vpc', false) === true;
  let vpc: Ref;
  if (existing) {
    const v = call.value('vpc_id');
    vpc =
      v instanceof RefVal
        ? (call.toRef(v, 'vpc_id') ?? unresolved('', 'vpc_id not written'))
        : unresolved(call.text('vpc_id'), 'VPC is not defined in the inputs');
  } else {
    const vpcEl: Vpc = {
      ...base,
      id: `${prefix}aviatrix_vpc.default[0]`,
      kind: 'vpc',
      name: name ?? `${prefix}aviatrix_vpc.default[0]`,
      address: tfAddress(`${prefix}aviatrix_vpc.default[0]`),
      cidrs: [call.str('cidr') ?? unresolved('', 'cidr not written')],
      flavor: cloud === 'azure' ? 'vnet' : 'vpc',
      ...(region !== undefined ? { region } : {}),
    };
    out.add(vpcEl, call.src, call.locSpan);
    vpc = vpcEl.id;
  }
  const sizeWritten = call.str('instance_size');
  const size: Val<string> =
    sizeWritten ??
    (role === 'spoke' && cloudName && MC_SPOKE_SIZES[cloudName]
      ? MC_SPOKE_SIZES[cloudName]
      : unresolved('', 'module default instance_size is not known offline'));
  const gwName = call.literal('gw_name') ?? name;
  const id = `${prefix}${gatewayType(role)}.default`;
  const gw: AviatrixGateway = {
    ...base,
    id,
    kind: 'aviatrixGateway',
    name: gwName ?? id,
    address: tfAddress(id),
    role,
    vpc,
    gwCloud: cloud,
    size,
    snat: call.bool('single_ip_snat', false) ?? false,
    ...(region !== undefined ? { region } : {}),
  };
  if (call.bool('ha_gw', true) === true) gw.haSize = size;
  // In an existing VPC the gateways are launched in the subnets given by CIDR (a new VPC's are the module's own).
  if (existing) {
    const sub = call.str('gw_subnet');
    if (sub !== undefined) gw.subnetCidr = sub;
    const ha = call.str('hagw_subnet');
    // Without an HA gateway (ha_gw false or not decidable) the module ignores it: a subnet kept for the HA peer (F101).
    if (ha !== undefined && gw.haSize !== undefined) gw.haSubnetCidr = ha;
    else if (ha !== undefined) gw.reservedHaSubnetCidr = ha;
  }
  if (role === 'transit') gw.egressCapability = call.bool('enable_egress_transit_firenet', false) ?? false;
  out.add(gw, call.src, call.locSpan);
  if (gwName) out.nameIndex('gateway').set(gwName, id);
  if (role === 'spoke') linkTransit(call, gw, parentPrefix);
}
