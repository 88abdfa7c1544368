// azurerm internal load balancers -> model elements: a frontend a UDR names as its next hop (VirtualAppliance),
// the rules that hand its flows to backend pools, and what the inputs put in those pools (NIC IP configurations,
// addresses). The analysis follows them to the appliances (analysis/trace/azure.ts).
import type {
  Firewall,
  LbMember,
  LbPool,
  LbRule,
  LoadBalancer,
  NonForwardingNic,
  PublicLbMembership,
  Ref,
  SourceLocation,
  Unresolved,
  Val,
} from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import type { BlockView, Collector } from './emit';
import { notePlacement } from './mapAzureOccupants';
import { Unknown } from './values';
import type { Mapper } from './mapAws';
import { LB_FRONTEND_IPS, LB_FRONTEND_NAMES, NIC_VM, azureSoftware, firewallPublisher, nonForwarding, subnetRef } from './mapAzure';

/** Backend pool id -> its load balancer's id. */
const POOL_LB = 'lbPoolOf';
/** Backend pool id -> its name. */
const POOL_NAME = 'lbPoolName';
/** A public load balancer's id (one with a public frontend) -> its name. */
const PUBLIC_LB = 'lbPublic';
/** Backend pool id -> JSON of the outbound rule naming it (PublicLbMembership.outbound). */
const POOL_OUTBOUND = 'lbPoolOutbound';
/** Backend pool id -> JSON of the load-balancing rules naming it (PublicLbMembership.inbound). */
const POOL_RULES = 'lbPoolRules';

/**
 * A load balancer with a private frontend (one written with a subnet) is an element: a UDR may send traffic to
 * that frontend. Its static frontend addresses are recorded for next hops written as literals. A public load
 * balancer gives no element (no route can name it).
 */
const loadBalancer: Mapper = (r) => {
  const frontends = r.blocks('frontend_ip_configuration').map((f) => {
    // Read quietly too: a subnet not known offline is told where a subnet's own resources use it.
    const raw = f.value('subnet_id');
    const subnet: Ref | undefined =
      raw === undefined || raw === null
        ? undefined
        : raw instanceof Unknown
          ? unresolved(f.text('subnet_id'), raw.reason)
          : subnetRef(f, 'subnet_id');
    // Quietly: an address not known offline is the provider's to assign, no input problem.
    const ip = f.literal('private_ip_address');
    const name = f.literal('name') ?? '';
    const staticIp = f.literal('private_ip_address_allocation')?.toLowerCase() === 'static';
    if (subnet !== undefined && staticIp && ip !== undefined) {
      r.out.nameIndex(LB_FRONTEND_IPS).set(ip, r.id);
      r.out.nameIndex(LB_FRONTEND_NAMES).set(ip, name);
    }
    return { name, ...(subnet !== undefined ? { subnet } : {}), ...(staticIp && ip !== undefined ? { privateIp: ip } : {}) };
  });
  // A public frontend (a public IP or prefix): its rules and outbound rules reach the members from the internet and
  // back (PublicLbMembership).
  const written = (f: BlockView, a: string) => {
    const v = f.value(a);
    return v !== undefined && v !== null;
  };
  if (r.blocks('frontend_ip_configuration').some((f) => written(f, 'public_ip_address_id') || written(f, 'public_ip_prefix_id')))
    r.out.nameIndex(PUBLIC_LB).set(r.id, r.literal('name') ?? r.id);
  if (!frontends.some((f) => f.subnet !== undefined)) return;
  const el: LoadBalancer = { ...r.base('loadBalancer', 'azure', r.literal('name')), frontends, rules: [], pools: [] };
  r.emit(el);
};

/** The internal load balancer (element) a reference names, when the inputs hold it. */
function lbOf(out: Collector, ref: Ref | undefined): LoadBalancer | undefined {
  const el = typeof ref === 'string' ? out.byId.get(ref) : undefined;
  return el?.kind === 'loadBalancer' ? el : undefined;
}

/** A pool of an internal load balancer: recorded on it (after every resource is mapped). */
const backendPool: Mapper = (r) => {
  const lbRef = r.ref('loadbalancer_id');
  const pool: LbPool = { id: r.id, name: r.literal('name') ?? r.id, loc: r.loc(), members: [] };
  if (typeof lbRef === 'string') r.out.nameIndex(POOL_LB).set(r.id, lbRef);
  r.out.nameIndex(POOL_NAME).set(r.id, pool.name);
  r.out.post(() => lbOf(r.out, lbRef)?.pools.push(pool));
};

/** A port as written: a number, or why it cannot be decided. */
function port(b: BlockView, name: string): Val<number> {
  const v = b.value(name);
  if (typeof v === 'number') return v;
  if (v === undefined || v === null) return unresolved('', `${name} not written`);
  return unresolved(b.text(name), v instanceof Unknown ? v.reason : 'not a number');
}

/** A load-balancing rule: which frontend, protocol and ports, which pools. */
const lbRule: Mapper = (r) => {
  const lbRef = r.ref('loadbalancer_id');
  const pools = r.has('backend_address_pool_ids') ? r.refs('backend_address_pool_ids') : r.refs('backend_address_pool_id');
  const rule: LbRule = {
    id: r.id,
    name: r.literal('name') ?? r.id,
    loc: r.loc(),
    frontend: r.str('frontend_ip_configuration_name') ?? unresolved('', 'frontend_ip_configuration_name not written'),
    protocol: r.str('protocol') ?? unresolved('', 'protocol not written'),
    frontendPort: port(r, 'frontend_port'),
    backendPort: port(r, 'backend_port'),
    pools,
  };
  if (r.undecided) rule.frontend = r.undecided;
  r.out.post(() => lbOf(r.out, lbRef)?.rules.push(rule));
  // Default outbound SNAT on the rule's frontend unless disable_outbound_snat is true. Read quietly: it matters only
  // for a public load balancer's members in a private subnet, which the analysis tells.
  const off = r.value('disable_outbound_snat');
  const defaultSnat: Val<boolean> =
    typeof off === 'boolean'
      ? !off
      : off instanceof Unknown
        ? unresolved(r.text('disable_outbound_snat'), off.reason)
        : off === undefined || off === null
          ? true
          : unresolved(r.text('disable_outbound_snat'), 'not a boolean');
  const idx = r.out.nameIndex(POOL_RULES);
  for (const p of pools) {
    if (typeof p !== 'string') continue;
    const prev = JSON.parse(idx.get(p) ?? '[]') as PublicLbMembership['inbound'];
    prev.push({ id: r.id, name: rule.name, loc: rule.loc, defaultSnat });
    idx.set(p, JSON.stringify(prev));
  }
};

/**
 * An outbound rule of a public Standard load balancer: the members of its backend pool reach the internet by SNAT
 * to its frontends' public IPs (PublicLbMembership.outbound). Its protocol (Tcp, Udp, All) is kept for the note.
 */
const outboundRule: Mapper = (r) => {
  const pool = r.ref('backend_address_pool_id');
  if (typeof pool !== 'string') return;
  const out: NonNullable<PublicLbMembership['outbound']> = {
    id: r.id,
    name: r.literal('name') ?? r.id,
    loc: r.loc(),
    frontends: r
      .blocks('frontend_ip_configuration')
      .map((f) => f.literal('name'))
      .filter((n): n is string => n !== undefined),
    protocol: r.str('protocol') ?? unresolved('', 'protocol not written'),
    ...(r.undecided ? { open: r.undecided } : {}),
  };
  // A second rule for the same pool is refused by Azure; the first written is kept.
  const idx = r.out.nameIndex(POOL_OUTBOUND);
  if (!idx.has(pool)) idx.set(pool, JSON.stringify(out));
};

/**
 * Records on subnet `subnet` that a member of it is in backend pool `poolRef`, when the pool is a public load
 * balancer's (after every resource is mapped: the pool, its rules and outbound rule are then known).
 */
function publicMember(
  out: Collector,
  poolRef: Ref | undefined,
  subnet: Ref | undefined,
  member: { via: string; loc: SourceLocation; host?: string; open?: Unresolved },
): void {
  if (typeof poolRef !== 'string' || typeof subnet !== 'string') return;
  out.post(() => {
    const lb = out.nameIndex(POOL_LB).get(poolRef);
    const lbName = lb !== undefined ? out.nameIndex(PUBLIC_LB).get(lb) : undefined;
    const el = out.byId.get(subnet);
    if (lb === undefined || lbName === undefined || el?.kind !== 'subnet') return;
    const outbound = out.nameIndex(POOL_OUTBOUND).get(poolRef);
    const m: PublicLbMembership = {
      lb,
      lbName,
      pool: poolRef,
      poolName: out.nameIndex(POOL_NAME).get(poolRef) ?? poolRef,
      ...member,
      ...(outbound !== undefined ? { outbound: JSON.parse(outbound) as PublicLbMembership['outbound'] } : {}),
      inbound: JSON.parse(out.nameIndex(POOL_RULES).get(poolRef) ?? '[]') as PublicLbMembership['inbound'],
    };
    (el.azureLbPools ??= []).push(m);
  });
}

/** Puts a member into the pool a reference names, once the pools are on their load balancers. */
function addMember(out: Collector, poolRef: Ref | undefined, member: () => LbMember): void {
  if (typeof poolRef !== 'string') return;
  out.post(() =>
    out.post(() => {
      const lb = lbOf(out, out.nameIndex(POOL_LB).get(poolRef));
      const pool = lb?.pools.find((p) => p.id === poolRef);
      if (pool) pool.members.push(member());
    }),
  );
}

/** A NIC's IP configuration in a pool: a forwarding NIC of the inputs is an appliance; one that surely does not forward drops. */
const nicPoolAssociation: Mapper = (r) => {
  const nic = r.ref('network_interface_id');
  const text = r.text('network_interface_id');
  // A host's NIC (one that does not forward) in a public load balancer's pool (once every NIC and VM is mapped).
  const poolRef = r.ref('backend_address_pool_id');
  r.out.post(() => {
    if (typeof nic !== 'string' || !nonForwarding(r.out, nic)) return;
    const host = r.out.nameIndex(NIC_VM).get(nic);
    publicMember(r.out, poolRef, r.out.nameIndex('hostNicSubnet').get(nic), {
      via: r.id,
      loc: r.loc(),
      ...(host !== undefined ? { host } : {}),
      ...(r.undecided ? { open: r.undecided } : {}),
    });
  });
  addMember(r.out, r.ref('backend_address_pool_id'), () => {
    const base = { via: r.id, loc: r.loc() };
    if (r.undecided) return { ...base, open: r.undecided };
    if (nic === undefined) return { ...base, open: unresolved('', 'network_interface_id not written') };
    if (isUnresolved(nic)) return { ...base, open: nic };
    if (r.out.byId.get(nic)?.kind === 'firewall') return { ...base, appliance: nic };
    const off = nonForwarding(r.out, nic);
    if (off) return { ...base, nonForwarding: off };
    return {
      ...base,
      open: unresolved(text, `${nic} is not a network interface of the inputs whose IP forwarding is decided`),
    };
  });
};

/** An address in a pool (the pool's VNet): whoever holds it is the member. */
const poolAddress: Mapper = (r) => {
  const ip = r.str('ip_address');
  addMember(r.out, r.ref('backend_address_pool_id'), () => {
    const base = { via: r.id, loc: r.loc() };
    if (r.undecided) return { ...base, open: r.undecided };
    if (ip === undefined) return { ...base, open: unresolved('', 'ip_address not written') };
    if (isUnresolved(ip)) return { ...base, open: ip };
    const off = nonForwarding(r.out, r.out.nameIndex('hostNicIp').get(ip));
    return off ? { ...base, nonForwarding: off } : { ...base, ip };
  });
};

/**
 * A scale set's network interfaces (`network_interface`; `network_profile` in the legacy
 * azurerm_virtual_machine_scale_set) put every instance into the backend pools their IP configurations name
 * (`load_balancer_backend_address_pool_ids`). One appliance stands for the set's instances, per interface: a
 * forwarding one (`ip_forwarding_enabled`, before azurerm v4 `enable_ip_forwarding`; legacy `ip_forwarding`) is an
 * NVA the pool hands flows to (the instances forward alike; their addresses are assigned), one that surely does
 * not forward (written false, or not written: off by default) drops them, an undecidable flag leaves the member open.
 */
const scaleSet: Mapper = (r) => {
  const legacy = r.type === 'azurerm_virtual_machine_scale_set';
  const nics = r.blocks(legacy ? 'network_profile' : 'network_interface');
  if (nics.length === 0) return;
  const set = r.literal('name') ?? r.id;
  const publisher = firewallPublisher(r);
  const flags = legacy ? ['ip_forwarding'] : ['ip_forwarding_enabled', 'enable_ip_forwarding'];
  const ids = nics.map((n, i) => `${r.id}#nic:${n.literal('name') ?? i}`);
  const primary = Math.max(
    0,
    nics.findIndex((n) => n.bool('primary') === true),
  );
  const appliances: Firewall[] = [];
  nics.forEach((n, i) => {
    const attr = flags.find((f) => n.has(f));
    const fwd = attr ? n.bool(attr) : false;
    const name = `${set}/${n.literal('name') ?? i}`;
    const cfgs = n.blocks('ip_configuration');
    const cfg = cfgs.find((c) => c.bool('primary') === true) ?? cfgs[0];
    let member: (base: { via: string; loc: LbMember['loc'] }) => LbMember;
    if (r.undecided) {
      const why = r.undecided;
      member = (base) => ({ ...base, open: why });
    } else if (fwd === true) {
      const el: Firewall = { ...r.base('firewall', 'azure', name), id: ids[i], loc: n.loc(), vendor: 'nva' };
      const runs = azureSoftware(r);
      if (runs) el.runs = runs;
      const subnet = cfg ? subnetRef(cfg, 'subnet_id') : undefined;
      if (subnet !== undefined) el.subnet = subnet;
      const loc = r.str('location');
      if (loc !== undefined) el.region = loc;
      if (cfgs.some((c) => c.first(legacy ? 'public_ip_address_configuration' : 'public_ip_address'))) el.associatePublicIp = true;
      r.emit(el);
      appliances.push(el);
      member = (base) => ({ ...base, appliance: el.id });
    } else if (fwd === false) {
      // The set's instances are hosts: in a public load balancer's pool, they may reach the internet by it.
      const subnet = cfg ? subnetRef(cfg, 'subnet_id') : undefined;
      // They are no element of the model: a subnet named for an Application Gateway holding them is no gateway's.
      for (const c of cfgs) notePlacement(r.out, c, ['subnet_id'], r.id);
      for (const c of cfgs)
        for (const pool of c.refs('load_balancer_backend_address_pool_ids'))
          publicMember(r.out, pool, subnet, {
            via: r.id,
            loc: c.loc(c.valueSpan('load_balancer_backend_address_pool_ids')),
            ...(r.undecided ? { open: r.undecided } : {}),
          });
      const off: NonForwardingNic = {
        nic: ids[i],
        name,
        setting: attr ? `${attr} = false` : `${flags[0]} not set, off by default`,
        loc: attr ? n.loc(n.valueSpan(attr)) : n.loc(),
        enable: `${attr ?? flags[0]} = true in network_interface ${n.literal('name') ?? i} of ${set}`,
      };
      member = (base) => ({ ...base, nonForwarding: off });
    } else {
      const why = unresolved(n.text(attr!), `IP forwarding of ${name} cannot be decided offline`);
      member = (base) => ({ ...base, open: why });
    }
    for (const c of cfgs)
      for (const pool of c.refs('load_balancer_backend_address_pool_ids'))
        addMember(r.out, pool, () => member({ via: r.id, loc: c.loc(c.valueSpan('load_balancer_backend_address_pool_ids')) }));
  });
  // A firewall vendor's image, or two forwarding interfaces (inside and outside): a firewall set whatever routes
  // name it; what one interface receives, it may send out of another (as a VM's: mapAzure virtualMachine).
  const why = publisher
    ? `an interface of scale set ${set}, a ${publisher} image`
    : appliances.length >= 2
      ? `one of scale set ${set}'s ${appliances.length} forwarding interfaces`
      : undefined;
  for (const f of appliances) {
    if (why) f.dedicated = why;
    if (appliances.length >= 2) f.machineNics = [ids[primary], ...ids.filter((_, i) => i !== primary)];
  }
};

export const AZURE_LB_MAPPERS: Record<string, Mapper> = {
  azurerm_lb: loadBalancer,
  azurerm_lb_backend_address_pool: backendPool,
  azurerm_lb_rule: lbRule,
  azurerm_lb_outbound_rule: outboundRule,
  azurerm_network_interface_backend_address_pool_association: nicPoolAssociation,
  azurerm_lb_backend_address_pool_address: poolAddress,
  azurerm_linux_virtual_machine_scale_set: scaleSet,
  azurerm_windows_virtual_machine_scale_set: scaleSet,
  azurerm_orchestrated_virtual_machine_scale_set: scaleSet,
  azurerm_virtual_machine_scale_set: scaleSet,
};
