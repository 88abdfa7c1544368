// azurerm internal load balancers -> model elements: a frontend a UDR names as its next hop (VirtualAppliance),
// the rules that hand its flows to backend pools, and what the inputs put in those pools (NIC IP configurations,
// addresses). The analysis follows them to the appliances (analysis/trace/azure.ts).
import type { LbMember, LbPool, LbRule, LoadBalancer, Ref, Val } from '../../model/types';
import { isUnresolved, unresolved } from '../../model/types';
import type { BlockView, Collector } from './emit';
import { Unknown } from './values';
import type { Mapper } from './mapAws';
import { LB_FRONTEND_IPS, LB_FRONTEND_NAMES, nonForwarding, subnetRef } from './mapAzure';

/** Backend pool id -> its load balancer's id. */
const POOL_LB = 'lbPoolOf';

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
};

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

export const AZURE_LB_MAPPERS: Record<string, Mapper> = {
  azurerm_lb: loadBalancer,
  azurerm_lb_backend_address_pool: backendPool,
  azurerm_lb_rule: lbRule,
  azurerm_network_interface_backend_address_pool_association: nicPoolAssociation,
  azurerm_lb_backend_address_pool_address: poolAddress,
};
