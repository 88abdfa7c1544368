// azurerm networking -> model elements: VNets, subnets, route tables with UDRs, associations.
// Azure resources often name each other (`virtual_network_name`), so names are indexed too.
import type {
  Instance,
  Firewall,
  ApplianceEvidence,
  Ref,
  Route,
  RouteTable,
  RouteTableAssociation,
  RouteTarget,
  RoutingIntent,
  HubRoute,
  HubRouteEntry,
  HubRouteTable,
  Subnet,
  Unresolved,
  VirtualHubConnection,
  Vpc,
  VpcPeering,
  Val,
  NonForwardingNic,
  UnmodelledResource,
} from '../../model/types';
import { unresolved } from '../../model/types';
import { subnetOutsideNetwork } from '../subnetRange';
import { azureDelegatedService, azureNamedForAppGateway } from '../../model/platformSubnets';
import { noteHeldBy, noteOnlyPrivateEndpoints } from './mapAzureOccupants';
import { RANGES_OPEN, TfResource, defaultTableId, resourceTypeOf, tfAddress, type BlockView, type Collector, type Res } from './emit';
import { RefVal, knownParts, type Value } from './values';
import { evaluate } from './evaluate';
import { locatedParts, userDataTexts } from './userData';
import { routesManagedElsewhere, undecidedRoutes } from './undecidedRoutes';
import type { Mapper } from './mapAws';
import { nextHopKind, nextHopState } from '../vocabulary/azure';
import { applianceEvidence, firewallVendor, forwardProxy, type BootstrapSource, type SoftwareClues } from '../vocabulary/appliance';
import { panosMgmtSwap } from '../vocabulary/ngfw';
import { applianceConfig, type ApplianceConfig } from './applianceConfig';

function azureTarget(b: BlockView): RouteTarget {
  const kind = nextHopKind(b.literal('next_hop_type'));
  if (!kind) return { kind: 'unknown', ref: unresolved(b.text('next_hop_type'), 'next hop type cannot be decided') };
  if (kind === 'virtualAppliance') {
    // Written as the appliance's own attribute (`azurerm_firewall.x.ip_configuration[0].private_ip_address`,
    // a NIC's or a VM's `private_ip_address`, also through a module output): the next hop is that appliance,
    // whatever address Azure gives it.
    const owner = applianceOfIp(b.value('next_hop_in_ip_address'));
    if (owner?.kind === 'firewall') return { kind, ref: owner.address };
    if (owner) {
      const target: RouteTarget = { kind, ref: owner.address };
      const text = b.text('next_hop_in_ip_address');
      b.out.post(() => {
        target.ref = forwardingNic(b.out, owner, text);
        const nic = owner.kind === 'vm' ? b.out.nameIndex('vmPrimaryNic').get(owner.address) : owner.address;
        // A VM-Series' management interface: Unknown with its reason (above), whatever its flag.
        const off = nic !== undefined && managementNic(b.out, nic) === undefined ? nonForwarding(b.out, nic) : undefined;
        if (off) routedToOff(b.out, (target.nonForwarding = off));
      });
      return target;
    }
    const v = b.value('next_hop_in_ip_address');
    const text = b.text('next_hop_in_ip_address');
    // A frontend of a load balancer, written as its address attribute: that frontend (by position).
    if (v instanceof RefVal && resourceTypeOf(v.address) === 'azurerm_lb') {
      const target: RouteTarget = { kind, ref: behindLoadBalancer(text, v.address) };
      const n = v.path[0] === 'frontend_ip_configuration' && v.path[2] === 'private_ip_address' ? Number(v.path[1]) : NaN;
      b.out.post(() => {
        const lb = b.out.byId.get(v.address);
        const f = lb?.kind === 'loadBalancer' && Number.isInteger(n) ? lb.frontends[n] : undefined;
        if (f?.subnet === undefined) return;
        target.ref = v.address;
        target.frontend = f.name;
      });
      return target;
    }
    const ip = b.str('next_hop_in_ip_address');
    const target: RouteTarget = { kind, ...(ip !== undefined ? { ip } : {}) };
    // An internal load balancer's static frontend address (F58 reads it): that frontend. Else a literal address
    // that a NIC of the inputs is given statically, and that NIC does not forward.
    if (typeof ip === 'string')
      b.out.post(() => {
        const lb = b.out.nameIndex(LB_FRONTEND_IPS).get(ip);
        if (lb !== undefined) {
          delete target.ip;
          const el = b.out.byId.get(lb);
          if (el?.kind === 'loadBalancer') {
            target.ref = lb;
            target.frontend = b.out.nameIndex(LB_FRONTEND_NAMES).get(ip) ?? '';
          } else target.ref = behindLoadBalancer(ip, lb);
          return;
        }
        // A VM-Series' management NIC's static address: Unknown with its reason, as written by attribute (F237).
        const nicAt = b.out.nameIndex(NIC_STATIC_IPS).get(ip);
        const mgmt = nicAt !== undefined ? managementNic(b.out, nicAt) : undefined;
        if (mgmt !== undefined) {
          delete target.ip;
          target.ref = unresolved(ip, mgmt);
          return;
        }
        const off = nonForwarding(b.out, b.out.nameIndex('hostNicIp').get(ip));
        if (off) routedToOff(b.out, (target.nonForwarding = off));
      });
    return target;
  }
  return { kind };
}

/** Every NIC's static private address (its first IP configuration's, allocation not Dynamic) -> the NIC. */
const NIC_STATIC_IPS = 'nicStaticIp';

/** Static private frontend addresses of the inputs' internal load balancers -> the load balancer, and the frontend's name. */
export const LB_FRONTEND_IPS = 'lbFrontendIp';
export const LB_FRONTEND_NAMES = 'lbFrontendName';

// A load balancer frontend the model cannot tie to an internal load balancer of the inputs (its frontend
// not read): which appliance takes the packet, and whether it inspects, stays open (never "dropped").
function behindLoadBalancer(text: string, lb: string): Unresolved {
  return unresolved(text, `a frontend of load balancer ${lb} that the model cannot read as a private frontend`);
}

const ADDRESS_OF = new Set(['private_ip_address', 'private_ip_addresses.0', 'ip_configuration.0.private_ip_address']);
const ADDRESS_OWNERS = {
  azurerm_firewall: 'firewall',
  azurerm_network_interface: 'nic',
  azurerm_linux_virtual_machine: 'vm',
  azurerm_windows_virtual_machine: 'vm',
} as const;

/**
 * The resource whose own address an expression is: an Azure Firewall's first IP configuration, a NIC's
 * (first) private address, a VM's (its primary NIC's).
 */
function applianceOfIp(v: Value | undefined): { kind: 'firewall' | 'nic' | 'vm'; address: string } | undefined {
  if (!(v instanceof RefVal)) return undefined;
  const kind = ADDRESS_OWNERS[resourceTypeOf(v.address) as keyof typeof ADDRESS_OWNERS] as 'firewall' | 'nic' | 'vm' | undefined;
  const path = v.path.join('.');
  if (kind === undefined || !ADDRESS_OF.has(path)) return undefined;
  // An Azure Firewall's address is its IP configuration's; a VM has no ip_configuration attribute.
  const written =
    kind === 'firewall' ? path === 'ip_configuration.0.private_ip_address' : kind === 'nic' || !path.startsWith('ip_configuration');
  return written ? { kind, address: v.address } : undefined;
}

/**
 * The NVA a next hop written as a NIC's or a VM's address is: that NIC, or the VM's primary NIC, when it
 * forwards. A NIC that may not forward, or is not in the inputs, is no appliance of the inputs: which hop that
 * is stays open (one that surely does not forward is the route target's `nonForwarding`: Azure drops there).
 */
function forwardingNic(out: Collector, owner: { kind: 'firewall' | 'nic' | 'vm'; address: string }, text: string): Ref {
  const nic = owner.kind === 'vm' ? out.nameIndex('vmPrimaryNic').get(owner.address) : owner.address;
  const mgmt = nic !== undefined ? managementNic(out, nic) : undefined;
  if (mgmt !== undefined) return unresolved(text, mgmt);
  const el = nic !== undefined ? out.byId.get(nic) : undefined;
  if (el?.kind === 'firewall') return el.id;
  const what = owner.kind === 'vm' ? `${owner.address}'s primary network interface` : owner.address;
  return unresolved(
    text,
    `${what} is not a forwarding network interface of the inputs (its IP forwarding cannot be decided, or it is not in the inputs)`,
  );
}

/**
 * A Palo Alto VM-Series' primary NIC (the first of two or more) is its management interface on Azure (PAN-OS maps
 * NIC 0 to eth0/mgmt, the data interfaces ethernet1/1.. to the others), which forwards no traffic whatever its IP
 * forwarding flag (R1): a route to its address reaches no enforcement point. Unknown, naming the data interfaces
 * (rather than dropped: whether the traffic dies there is the firewall's, not Azure's). Not when its custom data
 * swaps the interfaces (`mgmt-interface-swap=enable`). Cisco's FTDv and ASAv alike (managementFirst).
 */
const VMSERIES_MGMT_NICS = 'vmSeriesMgmtNic';
function managementNic(out: Collector, nic: string): string | undefined {
  const text = out.nameIndex(VMSERIES_MGMT_NICS).get(nic);
  if (text === undefined) return undefined;
  const { vm, data, who, role } = JSON.parse(text) as { vm: string; data: string[]; who: string; role: string };
  const name = (id: string): string => out.byId.get(id)?.name ?? nonForwarding(out, id)?.name ?? id;
  const which = role === 'management' ? 'primary network interface' : 'second network interface';
  return (
    `${name(nic)}, ${vm}'s ${which}, is ${who} ${role} interface (its ${role === 'management' ? 'first' : 'second'}), ` +
    `which forwards no traffic; ${data.length > 0 ? `route to a data interface (${data.map(name).join(' or ')})` : 'no data interface of it is in the inputs'}`
  );
}

/**
 * Firewall images whose first NIC is their management interface on Azure, which forwards no traffic: a Palo Alto
 * VM-Series unless its custom data swaps the interfaces (R1), Cisco's FTDv (Management0/0, then Diagnostic0/0, which
 * forwards nothing either, then its data interfaces) and ASAv (Management0/0) (review s16 R2), by their Marketplace
 * image. FortiGate (port1) and Check Point (eth0) take data on their first NIC.
 */
function managementFirst(publisher: string | undefined, clues: SoftwareClues): { who: string; lead: number } | undefined {
  if (publisher === 'Palo Alto Networks')
    return panosMgmtSwap(
      (clues.bootstraps ?? []).map((b) => (typeof b === 'string' ? b : b.text)),
      false,
    ) !== 'on'
      ? { who: "a Palo Alto VM-Series'", lead: 1 }
      : undefined;
  const vendor = (clues.images ?? []).map(firewallVendor).find((v) => v !== undefined);
  if (vendor === 'Cisco Secure Firewall Threat Defense') return { who: "a Cisco Secure Firewall Threat Defense (FTDv)'s", lead: 2 };
  if (vendor === 'Cisco ASAv') return { who: "a Cisco ASAv's", lead: 1 };
  return undefined;
}

/** A NIC's id -> the VM whose NIC it is (virtualMachine): a host NIC in a public load balancer's pool names its VM. */
export const NIC_VM = 'nicVm';

/** NICs that do not forward and that a route's next hop names (the appliance it intends): see virtualMachine. */
const ROUTED_OFF_NICS = 'routedOffNic';
function routedToOff(out: Collector, off: NonForwardingNic): void {
  out.nameIndex(ROUTED_OFF_NICS).set(off.nic, off.name);
}

/** A NIC of the inputs whose IP forwarding is surely off (written false, or not written: off by default). */
export function nonForwarding(out: Collector, nic: string | undefined): NonForwardingNic | undefined {
  const text = nic !== undefined ? out.nameIndex('hostNicForwarding').get(nic) : undefined;
  return text !== undefined ? (JSON.parse(text) as NonForwardingNic) : undefined;
}

function azureRoute(r: Res, b: BlockView, id: string, address?: string): Route {
  const target = azureTarget(b);
  // A module's route made from what its caller passes (Route.input).
  const input = r.inputOf?.(b, ['address_prefix', 'next_hop_type', 'next_hop_in_ip_address']);
  return {
    id,
    loc: b.loc(),
    ...(address ? { address } : {}),
    destination: { cidr: b.str('address_prefix') ?? unresolved('', 'address_prefix not written') },
    target,
    state: nextHopState(target.kind),
    ...(input ? { input } : {}),
  };
}

/**
 * Azure names are unique only within a resource group: three module instances may each create a
 * "vnet-spoke" in their own group. Names are indexed by (group, name), and by bare name while only
 * one resource has it.
 */
const AMBIGUOUS = '\u0000ambiguous';

export function indexName(out: Collector, space: string, name: string, rg: string | undefined, id: string): void {
  const idx = out.nameIndex(space);
  if (rg !== undefined) idx.set(`${rg}\u0000${name}`, id);
  else idx.set(`\u0000anywhere\u0000${name}`, id);
  const prev = idx.get(name);
  idx.set(name, prev === undefined || prev === id ? id : AMBIGUOUS);
}

/** A name or a resource id -> element id, through the name index: by the referring resource's group when known. */
export function byName(out: Collector, space: string, ref: Val<string> | undefined, rg: string | undefined): Val<string> | undefined {
  if (typeof ref !== 'string' || out.byId.has(ref)) return ref;
  const idx = out.nameIndex(space);
  const exact = rg !== undefined ? idx.get(`${rg}\u0000${ref}`) : undefined;
  if (exact !== undefined) return exact;
  const bare = idx.get(ref);
  // Every resource of that name is in another, known group: none is the one named.
  if (bare !== undefined && rg !== undefined && idx.get(`\u0000anywhere\u0000${ref}`) === undefined)
    return unresolved(ref, `no resource named ${ref} in the inputs is in resource group ${rg}`);
  if (bare === AMBIGUOUS)
    return unresolved(
      ref,
      `several resources are named ${ref}${rg === undefined ? ' and the resource group cannot be decided' : ` and none of them is in resource group ${rg}`}`,
    );
  return bare ?? ref;
}

/** The resource group a resource is in, when written as a known string. */
export function groupOf(b: BlockView): string | undefined {
  return b.literal('resource_group_name');
}

const vnet: Mapper = (r) => {
  const name = r.literal('name');
  const el: Vpc = { ...r.base('vpc', 'azure', name), cidrs: r.strs('address_space'), flavor: 'vnet' };
  const loc = r.str('location');
  if (loc !== undefined) el.region = loc;
  r.emit(el);
  if (name) indexName(r.out, 'vnet', name, groupOf(r), el.id);
  if (r.ignoredChanges('address_space')) r.out.nameIndex(RANGES_OPEN).set(el.id, 'its address_space is managed outside Terraform');
  // Inline subnet blocks.
  for (const b of r.blocks('subnet')) {
    const sname = b.literal('name') ?? '?';
    const written = b.strs('address_prefixes');
    const single = written.length ? undefined : b.str('address_prefix');
    const prefixes = single === undefined ? written : [single];
    const s: Subnet = {
      id: `${el.id}#subnet:${sname}`,
      kind: 'subnet',
      name: sname,
      loc: b.loc(),
      extent: b.extent(),
      cloud: 'azure',
      vpc: el.id,
      cidr: prefixes[0] ?? unresolved('', 'address_prefixes not written'),
    };
    const service = delegatedService(b);
    if (service) s.dedicatedTo = service;
    outboundAccess(b, s);
    r.out.add(s, r.src, b.locSpan);
    r.out.post(() => {
      if (azureNamedForAppGateway(sname)) noteHeldBy(r.out, s, b);
      noteOnlyPrivateEndpoints(r.out, s, b);
    });
    outsideVnet(b, r.out, sname, prefixes, el);
  }
};

/**
 * A subnet's address prefixes that lie inside none of its VNet's address spaces: Azure refuses to create such a
 * subnet (NetcfgSubnetRangeOutsideVnet), so the configuration cannot deploy as written. Said only when every
 * prefix and every address space is known (never on an unresolved value), and neither the subnet's prefixes nor
 * the VNet's spaces are left to what is set outside Terraform (`ignore_changes`).
 */
function outsideVnet(b: BlockView, out: Collector, subnetName: string | undefined, prefixes: Val<string>[], vnet: Vpc): void {
  const attr = b.has('address_prefixes') ? 'address_prefixes' : 'address_prefix';
  if (b.ignoredChanges('address_prefixes', 'address_prefix')) return;
  const message = subnetOutsideNetwork({
    cloud: 'azure',
    subnet: subnetName ?? '?',
    network: vnet.name || vnet.id,
    prefixes,
    ranges: vnet.cidrs,
  });
  if (message && !out.nameIndex(RANGES_OPEN).has(vnet.id))
    out.problem(b.src, b.valueSpan(attr), 'subnet-outside-network', 'error', message);
}

/** A subnet's delegation to a service that holds only its own endpoints there (model/platformSubnets.ts). */
function delegatedService(b: BlockView): string | undefined {
  const names = b.blocks('delegation').flatMap((d) => d.blocks('service_delegation').flatMap((sd) => sd.literal('name') ?? []));
  return azureDelegatedService(names);
}

const subnet: Mapper = (r) => {
  const name = r.literal('name');
  const written = r.strs('address_prefixes');
  const single = written.length ? undefined : r.str('address_prefix');
  const prefixes = single === undefined ? written : [single];
  const vnetName = r.ref('virtual_network_name');
  const el: Subnet = {
    ...r.base('subnet', 'azure', name),
    vpc: vnetName ?? unresolved('', 'virtual_network_name not written'),
    cidr: prefixes[0] ?? unresolved('', 'address_prefixes not written'),
  };
  const service = delegatedService(r);
  if (service) el.dedicatedTo = service;
  const outbound = outboundAccess(r, el);
  r.emit(el);
  const rg = groupOf(r);
  if (rg !== undefined) r.out.nameIndex('subnetGroup').set(el.id, rg);
  r.out.post(() => {
    const written = el.vpc;
    el.vpc = byName(r.out, 'vnet', el.vpc, rg) ?? el.vpc;
    const vnet = typeof el.vpc === 'string' ? r.out.byId.get(el.vpc) : undefined;
    // An error only for the VNet the subnet surely names: by reference, or by name in the same known resource
    // group. A bare name may be another stack's VNet of that name (the one in the inputs is then another).
    const sure =
      typeof written === 'string' &&
      (r.out.byId.has(written) || (rg !== undefined && r.out.nameIndex('vnet').get(`${rg}\u0000${written}`) === el.vpc));
    if (vnet?.kind === 'vpc' && sure) outsideVnet(r, r.out, name, prefixes, vnet);
    if (outbound) natOfSubnet(r.out, el);
    noteHeldBy(r.out, el, r);
    noteOnlyPrivateEndpoints(r.out, el, r);
  });
};

/** `default_outbound_access_enabled` as written onto the subnet; true when the subnet may be private. */
function outboundAccess(b: BlockView, el: Subnet): boolean {
  const flag = b.bool('default_outbound_access_enabled');
  if (flag === undefined || flag === true) return false;
  el.defaultOutboundAccess = flag;
  return true;
}

/** The NAT gateway association naming a private subnet; an association whose subnet is open may name it. */
function natOfSubnet(out: Collector, el: Subnet): void {
  const nat = out.nameIndex('natGatewayOfSubnet').get(el.id);
  const open = out.nameIndex('natGatewayUndecided').get('*');
  if (nat !== undefined) el.natGateway = nat;
  else if (open !== undefined) el.natGateway = unresolved(open, `NAT gateway association subnet_id = ${open} cannot be decided offline`);
}

/** A NAT gateway association gives its subnet outbound access (the NAT gateway itself is not modelled). */
const natAssociation: Mapper = (r) => {
  const subnet = subnetRef(r, 'subnet_id');
  const nat = r.ref('nat_gateway_id');
  const natId = typeof nat === 'string' ? nat : r.id;
  if (typeof subnet === 'string') r.out.nameIndex('natGatewayOfSubnet').set(subnet, natId);
  else r.out.nameIndex('natGatewayUndecided').set('*', r.text('subnet_id'));
};

/** Azure Firewall: the enforcement point in AzureFirewallSubnet; it SNATs to its public IP toward the internet. */
const azureFirewall: Mapper = (r) => {
  const cfg = r.first('ip_configuration');
  const subnet = cfg ? subnetRef(cfg, 'subnet_id') : undefined;
  const el: Firewall = { ...r.base('firewall', 'azure', r.literal('name')), vendor: 'Azure Firewall' };
  if (subnet !== undefined) el.subnet = subnet;
  const ip = cfg?.str('private_ip_address');
  if (ip !== undefined) el.privateIp = ip;
  const policy = r.ref('firewall_policy_id');
  if (policy !== undefined) el.policy = policy;
  const ti = r.str('threat_intel_mode');
  if (ti !== undefined) el.threatIntel = ti;
  const hub = r.first('virtual_hub');
  if (hub) el.virtualHub = hub.ref('virtual_hub_id') ?? unresolved('', 'virtual_hub_id not written');
  const loc = r.str('location');
  if (loc !== undefined) el.region = loc;
  r.emit(el);
  // Classic rule collections name their firewall.
  const name = r.literal('name');
  if (name) indexName(r.out, 'azureFirewall', name, groupOf(r), el.id);
};

/**
 * A NIC with IP forwarding (`ip_forwarding_enabled`, before azurerm v4 `enable_ip_forwarding`) is a network
 * virtual appliance, as the Azure CLI export reads it: whether some UDR sends traffic to it is the analysis's.
 */
/**
 * An IP configuration chained to a Gateway Load Balancer (`gateway_load_balancer_frontend_ip_configuration_id`):
 * Azure sends the traffic of its public IP through the NVAs behind that load balancer, which the model does not
 * follow. The subnet's egress is Unknown, naming the chain, never "uninspected" with a fix that would take the
 * public IP, and the chain with it, away (F305).
 */
function gatewayLbChain(r: Res): void {
  for (const b of r.blocks('ip_configuration')) {
    if (!b.has('gateway_load_balancer_frontend_ip_configuration_id')) continue;
    const subnet = subnetRef(b, 'subnet_id');
    const el: UnmodelledResource = {
      ...r.base('unmodelled', 'azure', r.literal('name')),
      id: `${r.id}#gateway-lb`,
      resourceType: r.type,
      what: `network interface chained to a Gateway Load Balancer (gateway_load_balancer_frontend_ip_configuration_id): the traffic of its public IP passes the appliances behind that load balancer, which are not modelled`,
      touches: typeof subnet === 'string' ? [subnet] : [],
      role: 'chain',
    };
    r.emit(el);
    r.out.problem(
      r.src,
      b.valueSpan('gateway_load_balancer_frontend_ip_configuration_id'),
      'unmodelled-resource',
      'info',
      `${tfAddress(r.id)} is chained to a Gateway Load Balancer, which is not modelled: egress from its subnet is Unknown`,
    );
    return;
  }
}

const networkInterface: Mapper = (r) => {
  const fwd = r.bool('ip_forwarding_enabled') ?? r.bool('enable_ip_forwarding');
  const cfg = r.first('ip_configuration');
  const subnet = cfg ? subnetRef(cfg, 'subnet_id') : undefined;
  // A NIC that surely does not forward is a host's: its VM (below) is placed in its subnet. A route to its
  // address is dropped there (Azure delivers to it only what is addressed to it).
  if ((fwd ?? false) === false) {
    if (typeof subnet === 'string') r.out.nameIndex('hostNicSubnet').set(r.id, subnet);
    const attr = r.has('ip_forwarding_enabled')
      ? 'ip_forwarding_enabled'
      : r.has('enable_ip_forwarding')
        ? 'enable_ip_forwarding'
        : undefined;
    const off: NonForwardingNic = {
      nic: r.id,
      name: r.literal('name') ?? r.id,
      setting: attr ? `${attr} = false` : 'ip_forwarding_enabled not set, off by default',
      loc: attr ? r.loc(r.valueSpan(attr)) : r.loc(),
    };
    r.out.nameIndex('hostNicForwarding').set(r.id, JSON.stringify(off));
    const ip = cfg?.str('private_ip_address');
    if (typeof ip === 'string') r.out.nameIndex('hostNicIp').set(ip, r.id);
  }
  const staticIp = cfg?.str('private_ip_address');
  if (typeof staticIp === 'string' && cfg?.literal('private_ip_address_allocation')?.toLowerCase() !== 'dynamic')
    r.out.nameIndex(NIC_STATIC_IPS).set(staticIp, r.id);
  // A public IP on any of its IP configurations: its VM is reachable from the internet directly (an undecided
  // one is kept as its reason, for the VM to carry).
  const pubs = r.blocks('ip_configuration').map((b) => b.ref('public_ip_address_id'));
  const pub = pubs.find((x) => typeof x === 'string') ?? pubs.find((x) => x !== undefined);
  if (typeof pub === 'string') r.out.nameIndex('nicPublicIp').set(r.id, pub);
  else if (pub !== undefined) {
    r.out.nameIndex('nicPublicIpUndecided').set(r.id, pub.text);
    r.out.nameIndex('nicPublicIpWhy').set(r.id, pub.reason);
  }
  gatewayLbChain(r);
  // Only forwarding NICs are appliances; an undecidable flag leaves the NIC out, as an ordinary one.
  if (fwd !== true) return;
  const el: Firewall = { ...r.base('firewall', 'azure', r.literal('name')), vendor: 'nva' };
  if (subnet !== undefined) el.subnet = subnet;
  const ip = cfg?.str('private_ip_address');
  if (ip !== undefined) el.privateIp = ip;
  const loc = r.str('location');
  if (loc !== undefined) el.region = loc;
  r.emit(el);
};

/** Marketplace publishers whose images are firewalls: a VM of one is a firewall whatever routes name it. */
const FIREWALL_PUBLISHERS: Record<string, string> = {
  paloaltonetworks: 'Palo Alto Networks',
  fortinet: 'Fortinet',
  checkpoint: 'Check Point',
  barracudanetworks: 'Barracuda',
  sophos: 'Sophos',
  netgate: 'Netgate pfSense',
};

/** The firewall vendor whose Marketplace image a VM or scale set runs (its image reference or plan), if any. */
export function firewallPublisher(r: BlockView): string | undefined {
  const p = ['source_image_reference', 'storage_image_reference', 'storage_profile_image_reference', 'plan']
    .map((t) => r.first(t)?.literal('publisher')?.toLowerCase())
    .find((x) => x !== undefined && FIREWALL_PUBLISHERS[x] !== undefined);
  return p !== undefined ? FIREWALL_PUBLISHERS[p] : undefined;
}

const IMAGE_BLOCKS = ['source_image_reference', 'storage_image_reference', 'storage_profile_image_reference', 'plan'];

/** Custom data as the machine reads it: Azure takes it base64-encoded (`filebase64()`, `base64encode()`, a literal). */
function decoded(text: string): string {
  const t = text.trim();
  if (t.length < 8 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return text;
  try {
    return atob(t);
  } catch {
    return text;
  }
}

/**
 * What a VM or scale set runs, should it forward (vocabulary/appliance.ts): its image (publisher, offer, sku, the
 * plan's product), its custom or user data, its name.
 */
export function azureSoftware(r: Res): ApplianceEvidence | undefined {
  return applianceEvidence(azureClues(r));
}

/** What the inputs say of a VM's or scale set's software: its image texts, custom or user data, names. */
function azureClues(r: Res): SoftwareClues {
  const images: string[] = [];
  for (const t of IMAGE_BLOCKS) {
    const b = r.first(t);
    if (!b) continue;
    const publisher = b.literal('publisher');
    const known = publisher !== undefined ? FIREWALL_PUBLISHERS[publisher.toLowerCase()] : undefined;
    images.push(...[known ?? publisher, b.literal('offer'), b.literal('sku'), b.literal('product')].filter((x): x is string => !!x));
  }
  const bootstraps: (string | BootstrapSource)[] = [];
  for (const b of [r, r.first('os_profile')])
    for (const a of ['custom_data', 'user_data']) {
      // `base64encode(x)` carries x: x is read (as mapAws reads an instance's user data).
      const e = b?.block.attrs.get(a)?.expr;
      const inner = e?.k === 'call' && e.name === 'base64encode' && e.args.length === 1 && !e.expand ? e.args[0] : undefined;
      const v = b === undefined ? undefined : inner ? evaluate(inner, b.scope) : b.value(a);
      if (v === undefined) continue;
      const parts = knownParts(v).map(decoded);
      // Where the text is written (file:line in reasons), when it is the resource's own and not base64 itself.
      const src = e && b === r && r instanceof TfResource ? userDataTexts(inner ?? e, r.scope, r.inst.decl.src, r.inst.module) : [];
      bootstraps.push(...locatedParts(parts, src));
    }
  const name = r.literal('name');
  return { images, bootstraps, names: [...(name ? [name] : []), r.id] };
}

/**
 * The texts of an extension's settings, which Azure takes as JSON: the strings of a JSON document (a command's
 * lines as written), or, for the known runs of settings known in part (jsonencode of a template with an unknown
 * piece), each run with its JSON escapes undone.
 */
function jsonTexts(text: string): string[] {
  try {
    const out: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === 'string') out.push(x);
      else if (Array.isArray(x)) x.forEach(walk);
      else if (x !== null && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk(JSON.parse(text));
    return out;
  } catch {
    return [
      text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_m, hex: string | undefined, c: string | undefined) =>
        hex !== undefined
          ? String.fromCharCode(parseInt(hex, 16))
          : (({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c!] ?? c!),
      ),
    ];
  }
}

/**
 * The OPNsense or pfSense configuration a VM's custom data or extension sets it up with, when a file of the
 * repository holds it (applianceConfig.ts); a damaged one is an input error located at what names it.
 */
function configuredBy(r: Res, sources: readonly (string | BootstrapSource)[], attrs: string[], what: string): ApplianceConfig | undefined {
  const texts = sources.map((x) => (typeof x === 'string' ? x : x.text));
  const config = r instanceof TfResource ? applianceConfig(texts, r.inst.module, what) : undefined;
  const d = config?.damage;
  if (config && d) {
    const attr = attrs.find((a) => r.block.attrs.has(a));
    r.out.problem(
      r.src,
      attr ? r.valueSpan(attr) : r.locSpan,
      'damaged-input',
      'error',
      `the ${config.policy.language} configuration this ${what} sets up, ${d.file}, cannot be read whole: ${d.message} (${d.at}); its filter rules are unknown`,
    );
  }
  return config;
}

/**
 * A VM extension that runs a script (`azurerm_virtual_machine_extension`, CustomScript): what its settings set up
 * (the command, a script embedded base64-encoded) is what the VM runs, should it forward (F122). Evidence it gives
 * outranks a name's; the VM's interfaces carry it.
 */
const vmExtension: Mapper = (r) => {
  const vm = r.ref('virtual_machine_id');
  if (typeof vm !== 'string') return;
  const texts: string[] = [];
  for (const a of ['settings', 'protected_settings']) {
    const v = r.value(a);
    if (v === undefined) continue;
    for (const p of knownParts(v).flatMap(jsonTexts)) texts.push(p, ...(p.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []).map(decoded));
  }
  // The filter rules it sets the appliance up with, when a file of the repository holds them (an OPNsense config.xml).
  const config = configuredBy(r, texts, ['settings', 'protected_settings'], 'VM extension');
  const runs = applianceEvidence({ bootstraps: texts });
  if (!runs && !config) return;
  const evidence = runs && { ...runs, why: runs.why.replace(/^its user data/, `its VM extension ${r.literal('name') ?? r.id}`) };
  // After the VM's own post (which gives its interfaces what its image and custom data say).
  r.out.post(() =>
    r.out.post(() => {
      for (const [nic, owner] of r.out.nameIndex(NIC_VM)) {
        const el = owner === vm ? r.out.byId.get(nic) : undefined;
        if (el?.kind !== 'firewall') continue;
        if (evidence && (el.runs === undefined || el.runs.weak)) el.runs = evidence;
        if (config) el.ngfw = { vendor: config.policy.language, overlayRouting: false, policy: config.policy };
      }
    }),
  );
};

/**
 * A VM names its NICs (`network_interface_ids`, the first is the primary): a route may name the VM's address,
 * and a VM whose image is a firewall vendor's, or with two or more forwarding NICs, is a firewall machine. A VM
 * none of whose NICs forwards is a host, in its primary NIC's subnet: a workload even in an NVA's subnet, unless
 * its image is a firewall vendor's (then it is that firewall, forwarding nothing yet), or a route's next hop names
 * one of its NICs (F83: it is the appliance that route intends, its NIC's forwarding lost; the route is dropped
 * there, blackhole-route, and its subnet is the appliance's, not a workload's). A firewall machine with a NIC that
 * does not forward (its management interface) is that firewall in the NIC's subnet as well (F102).
 */
const virtualMachine: Mapper = (r) => {
  const nics = r.refs('network_interface_ids').filter((x): x is string => typeof x === 'string');
  if (nics.length === 0) return;
  const primary = r.ref('primary_network_interface_id');
  const primaryNic = typeof primary === 'string' ? primary : nics[0];
  r.out.nameIndex('vmPrimaryNic').set(r.id, primaryNic);
  for (const nic of nics) r.out.nameIndex(NIC_VM).set(nic, r.id);
  const publisher = firewallPublisher(r);
  const vm = r.literal('name') ?? r.id;
  const clues = azureClues(r);
  const runs = applianceEvidence(clues);
  const config = configuredBy(r, clues.bootstraps ?? [], ['custom_data', 'user_data'], 'custom data');
  // An explicit forward proxy clients are told to use (squid): as a host, its subnet is its own (F103).
  const proxy = forwardProxy(clues);
  const mgmt = nics.length >= 2 ? managementFirst(publisher, clues) : undefined;
  if (mgmt) {
    const order = [primaryNic, ...nics.filter((id) => id !== primaryNic)];
    const data = order.slice(mgmt.lead);
    for (const [i, nic] of order.slice(0, mgmt.lead).entries())
      r.out
        .nameIndex(VMSERIES_MGMT_NICS)
        .set(nic, JSON.stringify({ vm, data, who: mgmt.who, role: i === 0 ? 'management' : 'diagnostic' }));
  }
  r.out.post(() => {
    const forwarding = nics.map((id) => r.out.byId.get(id)).filter((e): e is Firewall => e?.kind === 'firewall');
    if (runs) for (const f of forwarding) f.runs = runs;
    if (config) for (const f of forwarding) f.ngfw = { vendor: config.policy.language, overlayRouting: false, policy: config.policy };
    const why = publisher
      ? `an interface of ${vm}, a ${publisher} image`
      : forwarding.length >= 2
        ? `one of ${vm}'s ${forwarding.length} forwarding interfaces`
        : undefined;
    if (why) for (const f of forwarding) f.dedicated = why;
    // Two or more forwarding interfaces: what one receives, the appliance may send out of another.
    // Those with a public IP of their own are its outside ones.
    if (forwarding.length >= 2) {
      const order = [primaryNic, ...nics.filter((id) => id !== primaryNic)];
      for (const f of forwarding) {
        f.machineNics = order;
        if (r.out.nameIndex('nicPublicIp').has(f.id)) f.associatePublicIp = true;
      }
    }
    // No NIC forwards: the VM is a host in its primary NIC's subnet. A firewall machine whose data NICs forward
    // and that has one that does not (a VM-Series' interface 0, its management interface, IP forwarding off by
    // the vendor's reference architecture): the VM is placed in that NIC's subnet too, as the firewall (F102),
    // so the management subnet is its own, not an empty workload subnet told to route through the firewall.
    const forwards = new Set(forwarding.map((f) => f.id));
    const hostNic =
      forwarding.length === 0
        ? primaryNic
        : why !== undefined
          ? [primaryNic, ...nics.filter((id) => id !== primaryNic)].find((id) => !forwards.has(id))
          : undefined;
    const hostSubnet = hostNic !== undefined ? r.out.nameIndex('hostNicSubnet').get(hostNic) : undefined;
    if (hostSubnet === undefined) return;
    // After every route's own fix-up (posts queued now run after those queued while mapping): which NICs they name.
    r.out.post(() => emitHost(hostSubnet, forwarding.length > 0));
  });
  const emitHost = (hostSubnet: string, machine: boolean): void => {
    // A firewall image none of whose NICs forwards yet (its management interface only, being staged) is the
    // firewall, not a workload: its subnet is its own, as for a lone VM-Series on AWS. So is a VM a route sends
    // to (an NVA whose NIC lost IP forwarding), whatever its image, and a firewall machine's management NIC.
    const routed = nics.some((id) => r.out.nameIndex(ROUTED_OFF_NICS).has(id));
    const vendor = publisher ?? (routed || machine ? 'nva' : undefined);
    const ngfw = vendor ? { ngfw: { vendor, overlayRouting: false } } : {};
    const host: Instance = {
      ...r.base('instance', 'azure', r.literal('name')),
      subnet: hostSubnet,
      ...ngfw,
      ...(runs && !publisher ? { runs } : {}),
      ...(proxy && !vendor ? { proxy } : {}),
    };
    // A public IP on one of its NICs (public_ip_address_id): decided when any is, else the first undecided one.
    const undecided = nics.find((id) => r.out.nameIndex('nicPublicIpUndecided').has(id));
    if (nics.some((id) => r.out.nameIndex('nicPublicIp').has(id))) host.associatePublicIp = true;
    else if (undecided)
      host.associatePublicIp = unresolved(
        r.out.nameIndex('nicPublicIpUndecided').get(undecided)!,
        r.out.nameIndex('nicPublicIpWhy').get(undecided) ?? 'not decidable offline',
      );
    r.emit(host);
  };
};

const routeTable: Mapper = (r) => {
  const name = r.literal('name');
  const el: RouteTable = {
    ...r.base('routeTable', 'azure', name),
    // Azure route tables belong to no VNet; the associated subnets tell which one.
    vpc: unresolved('', 'route table is not associated with a subnet in the inputs'),
    routes: routesManagedElsewhere(
      r,
      r.blocks('route').map((b, n) => azureRoute(r, b, `${r.id}#${n}`)),
    ),
  };
  el.routes.push(...undecidedRoutes(r, r.id, el.routes.length));
  const propagation = gatewayPropagation(r);
  if (propagation !== undefined) el.gatewayPropagation = propagation;
  const loc = r.str('location');
  if (loc !== undefined) el.region = loc;
  r.emit(el);
  if (name) indexName(r.out, 'routeTable', name, groupOf(r), el.id);
};

/** Whether gateway (BGP) routes reach the table's subnets: `bgp_route_propagation_enabled` (azurerm 4), `disable_bgp_route_propagation` (3). */
function gatewayPropagation(r: BlockView): Val<boolean> | undefined {
  if (r.has('bgp_route_propagation_enabled')) return r.bool('bgp_route_propagation_enabled');
  const off = r.bool('disable_bgp_route_propagation');
  // Undecided either way: the Unresolved stands.
  return typeof off === 'boolean' ? !off : off;
}

const route: Mapper = (r) => {
  const table = r.ref('route_table_name');
  const rt = azureRoute(r, r, r.id, r.id);
  const rg = groupOf(r);
  r.out.post(() => {
    const id = byName(r.out, 'routeTable', table, rg);
    const t = typeof id === 'string' ? r.out.byId.get(id) : undefined;
    if (t?.kind === 'routeTable') t.routes.push(rt);
    else
      r.out.problem(
        r.src,
        r.valueSpan('route_table_name'),
        'missing-reference',
        'info',
        `${r.id}: its route table is not in the inputs; the route is not modelled`,
      );
  });
};

/**
 * A subnet id written as its VNet's id and the subnet's name (`"${azurerm_virtual_network.x.id}/subnets/app"`,
 * as Azure forms subnet ids): the VNet's inline `subnet` block of that name (the id `vnet` gives it).
 */
export function subnetRef(b: BlockView, name: string): Ref | undefined {
  const ref = b.ref(name);
  const e = b.block.attrs.get(name)?.expr;
  if (ref === undefined || typeof ref === 'string' || e?.k !== 'tmpl' || e.parts.length !== 2) return ref;
  const [head, tail] = e.parts;
  const m = typeof tail === 'string' ? /^\/subnets\/([^/${}]+)$/.exec(tail) : null;
  if (!m || typeof head === 'string') return ref;
  const v = evaluate(head, b.scope);
  if (!(v instanceof RefVal) || resourceTypeOf(v.address) !== 'azurerm_virtual_network' || v.path.join('.') !== 'id') return ref;
  return `${v.address}#subnet:${m[1]}`;
}

const association: Mapper = (r) => {
  const el: RouteTableAssociation = {
    ...r.base('rtAssociation', 'azure'),
    routeTable: r.ref('route_table_id') ?? unresolved('', 'route_table_id not written'),
    subnet: subnetRef(r, 'subnet_id') ?? unresolved('', 'subnet_id not written'),
  };
  r.emit(el);
  r.out.post(() => {
    const t = typeof el.routeTable === 'string' ? r.out.byId.get(el.routeTable) : undefined;
    const s = typeof el.subnet === 'string' ? r.out.byId.get(el.subnet) : undefined;
    if (t?.kind === 'routeTable' && typeof t.vpc !== 'string' && s?.kind === 'subnet') {
      const vpc = byName(r.out, 'vnet', s.vpc, r.out.nameIndex('subnetGroup').get(s.id));
      if (vpc !== undefined) t.vpc = vpc;
    }
  });
};

/**
 * Application Gateway: not an egress hop, but the subnet of its gateway IP configuration is its own and must
 * keep its default route to the internet (model/platformSubnets.ts): that subnet is marked, never traced.
 */
const applicationGateway: Mapper = (r) => {
  const subnet = r.first('gateway_ip_configuration')?.ref('subnet_id');
  if (subnet === undefined) return;
  r.out.post(() => {
    const id = typeof subnet === 'string' ? subnet : undefined;
    const s = id ? r.out.byId.get(id) : undefined;
    if (s?.kind === 'subnet') s.dedicatedTo = 'Application Gateway';
  });
};

/** A Virtual WAN hub's connection to a VNet: the hub's routes reach the VNet through it (analysis/trace/azure.ts). */
const hubConnection: Mapper = (r) => {
  const el: VirtualHubConnection = {
    ...r.base('virtualHubConnection', 'azure', r.literal('name')),
    vpc: r.ref('remote_virtual_network_id') ?? unresolved('', 'remote_virtual_network_id not written'),
    hub: r.ref('virtual_hub_id') ?? unresolved('', 'virtual_hub_id not written'),
    internetSecurity: r.bool('internet_security_enabled', false) ?? false,
  };
  const undecided = r.undecidedBlocks('routing')[0];
  const routing = r.first('routing');
  if (undecided) el.associatedTable = undecided.why;
  else if (routing?.has('associated_route_table_id')) el.associatedTable = hubTableRef(routing, 'associated_route_table_id');
  if (routing) {
    const why: string[] = [];
    if (routing.blocks('static_vnet_route').length > 0 || routing.undecidedBlocks('static_vnet_route').length > 0)
      why.push('static VNet routes (static_vnet_route)');
    if (routing.has('inbound_route_map_id') || routing.has('outbound_route_map_id')) why.push('route maps');
    if (why.length > 0) el.routingNotFollowed = why.join(' and ');
  }
  r.emit(el);
};

/**
 * A hub route table id: a reference (`azurerm_virtual_hub.x.default_route_table_id` is `<hub>.default_route_table`),
 * or written as Azure forms it, the hub's id and the table's name (`"${azurerm_virtual_hub.x.id}/hubRouteTables/defaultRouteTable"`).
 */
export function hubTableRef(b: BlockView, name: string): Ref {
  const ref = b.ref(name) ?? unresolved('', `${name} not written`);
  const e = b.block.attrs.get(name)?.expr;
  if (typeof ref === 'string' || e?.k !== 'tmpl' || e.parts.length !== 2) return ref;
  const [head, tail] = e.parts;
  if (typeof head === 'string' || typeof tail !== 'string' || !/^\/hubRouteTables\/defaultRouteTable$/i.test(tail)) return ref;
  const v = evaluate(head, b.scope);
  if (!(v instanceof RefVal) || resourceTypeOf(v.address) !== 'azurerm_virtual_hub' || v.path.join('.') !== 'id') return ref;
  return defaultTableId(v.address);
}

function hubRouteEntry(b: BlockView): HubRouteEntry {
  return {
    routeName: b.literal('name') ?? b.text('name'),
    destinationsType: b.str('destinations_type') ?? unresolved('', 'destinations_type not written'),
    destinations: b.strs('destinations'),
    nextHopType: b.str('next_hop_type') ?? 'ResourceId',
    nextHop: b.ref('next_hop') ?? unresolved('', 'next_hop not written'),
  };
}

/** A Virtual WAN hub route table and its inline routes (analysis/trace/hubRoutes.ts). */
const hubRouteTable: Mapper = (r) => {
  const el: HubRouteTable = {
    ...r.base('hubRouteTable', 'azure', r.literal('name')),
    hub: r.ref('virtual_hub_id') ?? unresolved('', 'virtual_hub_id not written'),
    tableName: r.str('name') ?? unresolved('', 'name not written'),
    routes: r.blocks('route').map(hubRouteEntry),
  };
  const undecided = r.undecidedBlocks('route')[0];
  if (undecided) el.undecidedRoutes = undecided.why.reason;
  r.emit(el);
};

/** A static route of a hub route table written as its own resource. */
const hubRoute: Mapper = (r) => {
  const el: HubRoute = {
    ...r.base('hubRoute', 'azure', r.literal('name')),
    ...hubRouteEntry(r),
    table: hubTableRef(r, 'route_table_id'),
  };
  r.emit(el);
};

const routingIntent: Mapper = (r) => {
  const el: RoutingIntent = {
    ...r.base('routingIntent', 'azure', r.literal('name')),
    hub: r.ref('virtual_hub_id') ?? unresolved('', 'virtual_hub_id not written'),
    policies: r.blocks('routing_policy').map((b) => ({
      destinations: b.strs('destinations'),
      nextHop: b.ref('next_hop') ?? unresolved('', 'next_hop not written'),
    })),
  };
  r.emit(el);
};

/**
 * VNet peering, written once from each side (`hub-to-spoke`, `spoke-to-hub`): the VNet it is written
 * in (`virtual_network_name`, by name as Azure does) and the remote one. Azure routing needs no
 * element (peered address spaces are system routes); the topology draws the hub-spoke line from it.
 * `allow_forwarded_traffic` (false by default) decides whether this side takes what an appliance of the
 * remote VNet forwards into it (analysis/trace/azure.ts).
 */
const peering: Mapper = (r) => {
  const el: VpcPeering = {
    ...r.base('peering', 'azure', r.literal('name')),
    vpc: r.ref('virtual_network_name') ?? unresolved('', 'virtual_network_name not written'),
    peerVpc: r.ref('remote_virtual_network_id') ?? unresolved('', 'remote_virtual_network_id not written'),
    allowForwardedTraffic: r.bool('allow_forwarded_traffic', false) ?? false,
  };
  r.emit(el);
  const rg = groupOf(r);
  r.out.post(() => {
    el.vpc = byName(r.out, 'vnet', el.vpc, rg) ?? el.vpc;
  });
};

export const AZURE_MAPPERS: Record<string, Mapper> = {
  azurerm_virtual_network: vnet,
  azurerm_subnet: subnet,
  azurerm_route_table: routeTable,
  azurerm_firewall: azureFirewall,
  azurerm_application_gateway: applicationGateway,
  azurerm_network_interface: networkInterface,
  azurerm_route: route,
  azurerm_subnet_route_table_association: association,
  azurerm_virtual_hub_connection: hubConnection,
  azurerm_virtual_hub_routing_intent: routingIntent,
  azurerm_virtual_hub_route_table: hubRouteTable,
  azurerm_virtual_hub_route_table_route: hubRoute,
  azurerm_linux_virtual_machine: virtualMachine,
  azurerm_windows_virtual_machine: virtualMachine,
  azurerm_virtual_machine: virtualMachine,
  azurerm_virtual_machine_extension: vmExtension,
  azurerm_virtual_network_peering: peering,
  azurerm_subnet_nat_gateway_association: natAssociation,
};
