// Azure CLI exports: `az network vnet list`, `az network route-table list`, `az network nic list` (also
// `az vmss nic list`: NICs with IP forwarding are the virtual appliances UDRs point at) and `az network lb list`
// (internal load balancers in front of them). Each is a JSON array of ARM
// resources; the `type` field tells them apart. Ids are ARM ids lower-cased: ARM ids are
// case-insensitive and the CLI prints references in varying case.
import { applianceEvidence } from './vocabulary/appliance';
import {
  unresolved,
  type LbMember,
  type LbPool,
  type LbRule,
  type LoadBalancer,
  type NonForwardingNic,
  type Ref,
  type Route,
  type RouteTarget,
  type Val,
} from '../model/types';
import { parseCidr } from '../model/cidr';
import { azureDelegatedService, azureNamedForAppGateway } from '../model/platformSubnets';
import type { AzureCliLinks, AzureCliNic, ModelFragment, ParseOptions } from './types';
import { JsonDoc, readJsonInput, type JsonNode as Node } from './jsonDoc';
import { AZURE_TYPES, isServiceTag, nextHopKind, nextHopState } from './vocabulary/azure';

export function azureId(id: string): string {
  return id.toLowerCase();
}

/** The VNet id a subnet id belongs to (`.../virtualNetworks/v/subnets/s` -> `.../virtualNetworks/v`). */
function vnetOfSubnet(subnetId: string): string | undefined {
  const m = /^(.*\/virtualnetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(subnetId);
  return m ? azureId(m[1]) : undefined;
}

export function looksLikeAzureCli(doc: JsonDoc): boolean {
  const first = doc.type(doc.root) === 'array' ? doc.objects(doc.root)[0] : undefined;
  const type = doc.str(first, 'type')?.toLowerCase();
  return type !== undefined && Object.values(AZURE_TYPES).includes(type);
}

export function parseAzureCli(file: string, text: string, _opts?: ParseOptions): ModelFragment {
  return readJsonInput(file, text, { format: 'azure-cli', top: 'array', what: 'Azure CLI list output' }, (doc, root, out) => {
    const links: AzureCliLinks = {};
    for (const o of doc.objects(root)) {
      const type = doc.str(o, 'type')?.toLowerCase();
      if (type === AZURE_TYPES.vnet) vnet(doc, o, out, links);
      else if (type === AZURE_TYPES.routeTable) routeTable(doc, o, out, links);
      else if (type === AZURE_TYPES.nic) nic(doc, o, out, links);
      else if (type === AZURE_TYPES.lb) loadBalancer(doc, o, out, links);
    }
    if (Object.keys(links).length > 0) out.azureCli = links;
  });
}

function push<K extends keyof AzureCliLinks>(links: AzureCliLinks, key: K, item: NonNullable<AzureCliLinks[K]>[number]): void {
  ((links[key] ??= []) as unknown[]).push(item);
}

function base(doc: JsonDoc, o: Node, id: string) {
  const tagsV = doc.get(o, 'tags');
  const tags =
    typeof tagsV === 'object' && tagsV && !Array.isArray(tagsV)
      ? (Object.fromEntries(Object.entries(tagsV).map(([k, v]) => [k, String(v)])) as Record<string, string>)
      : undefined;
  const location = doc.str(o, 'location');
  return {
    id: azureId(id),
    name: doc.str(o, 'name') ?? id,
    loc: doc.keyLoc(o, 'name'),
    extent: doc.range(o),
    providerId: id,
    cloud: 'azure' as const,
    ...(location ? { region: location } : {}),
    ...(tags && Object.keys(tags).length ? { tags } : {}),
  };
}

/** A resource without the id ARM always prints was damaged: an input error at it, never a silent skip. */
function missingId(doc: JsonDoc, o: Node, what: string, out: ModelFragment): void {
  out.diagnostics.push(
    doc.diagAt(o, 'damaged-input', 'error', `Looks like an Azure CLI export but an entry cannot be read: ${what} without id`),
  );
}

function vnet(doc: JsonDoc, o: Node, out: ModelFragment, links: AzureCliLinks): void {
  const id = doc.str(o, 'id');
  if (!id) return missingId(doc, o, 'virtual network', out);
  const prefixes = doc.strings(doc.prop(o, 'addressSpace'), 'addressPrefixes');
  out.elements.push({ ...base(doc, o, id), kind: 'vpc', flavor: 'vnet', cidrs: prefixes, attrs: doc.attrs(o, ['addressSpace']) ?? {} });
  peerings(doc, o, id, out, links);
  for (const s of doc.objects(o, 'subnets')) {
    const sid = doc.str(s, 'id');
    if (!sid) {
      missingId(doc, s, 'subnet', out);
      continue;
    }
    const cidr: Val<string> =
      doc.str(s, 'addressPrefix') ?? doc.strings(s, 'addressPrefixes')[0] ?? unresolved('', 'subnet has no addressPrefix');
    const b = base(doc, s, sid);
    delete (b as { region?: unknown }).region;
    // An Application Gateway's subnet is its own, as is one delegated to the DNS resolver (model/platformSubnets.ts).
    const dedicatedTo = doc.objects(s, 'applicationGatewayIPConfigurations').length > 0 ? 'Application Gateway' : delegatedService(doc, s);
    out.elements.push({
      ...b,
      kind: 'subnet',
      vpc: azureId(id),
      cidr,
      ...(doc.str(o, 'location') ? { region: doc.str(o, 'location') } : {}),
      ...(dedicatedTo ? { dedicatedTo } : {}),
      ...heldBy(doc, s),
      ...(dedicatedTo ? {} : onlyPrivateEndpoints(doc, s)),
      // A private subnet (no default outbound access) reaches the internet through its NAT gateway, if any.
      ...(doc.bool(s, 'defaultOutboundAccess') === false ? { defaultOutboundAccess: false } : {}),
      ...(doc.str(doc.prop(s, 'natGateway'), 'id') ? { natGateway: azureId(doc.str(doc.prop(s, 'natGateway'), 'id')!) } : {}),
    });
    const rt = doc.str(doc.prop(s, 'routeTable'), 'id');
    if (rt) {
      push(links, 'served', [azureId(rt), azureId(id)]);
      out.elements.push({
        id: `${azureId(sid)}#routeTable`,
        kind: 'rtAssociation',
        name: `${doc.str(s, 'name') ?? sid} -> ${rt.split('/').pop()}`,
        loc: doc.loc(doc.propNode(s, 'routeTable')!),
        cloud: 'azure',
        routeTable: azureId(rt),
        subnet: azureId(sid),
      });
    }
  }
}

/**
 * For a subnet named for an Application Gateway (F183, Subnet.heldBy): the first thing the export lists in it (a NIC's
 * or load balancer's IP configuration, a private endpoint, a service association link, a delegation to a service other
 * than the Application Gateway).
 */
function heldBy(doc: JsonDoc, s: Node): { heldBy?: string } {
  if (!azureNamedForAppGateway(doc.str(s, 'name'))) return {};
  for (const key of ['ipConfigurations', 'privateEndpoints', 'serviceAssociationLinks']) {
    const first = doc.objects(s, key)[0];
    if (first) return { heldBy: doc.str(first, 'id') ?? key };
  }
  for (const d of doc.objects(s, 'delegations')) {
    const name = doc.str(d, 'serviceName') ?? doc.str(doc.prop(d, 'properties'), 'serviceName');
    if (name?.toLowerCase() !== 'microsoft.network/applicationgateways') return { heldBy: `its delegation to ${name ?? '?'}` };
  }
  return {};
}

/**
 * Whether the export shows only private endpoints in a subnet (Subnet.onlyPrivateEndpoints, as mapAzureOccupants.ts
 * says for Terraform): it lists `privateEndpoints`, and every IP configuration it lists is one of theirs (Azure names a
 * private endpoint's `privateEndpointIpConfig.<guid>`, on the NIC it names `<endpoint>.nic.<guid>`), with nothing
 * else placed or delegated there (service association or navigation links, container network profiles, a
 * delegation). A private endpoint answers connections and opens none. The first endpoint's id, else nothing.
 */
function onlyPrivateEndpoints(doc: JsonDoc, s: Node): { onlyPrivateEndpoints?: string } {
  const endpoints = doc.objects(s, 'privateEndpoints').map((e) => doc.str(e, 'id'));
  if (endpoints.length === 0 || endpoints.some((id) => id === undefined)) return {};
  const names = endpoints.map((id) => lastSegment(id!).toLowerCase());
  const ownNic = (nic: string) => names.some((n) => nic === n || nic.startsWith(`${n}.nic.`));
  for (const c of doc.objects(s, 'ipConfigurations')) {
    const m = /\/networkinterfaces\/([^/]+)\/ipconfigurations\/([^/]+)$/i.exec(doc.str(c, 'id') ?? '');
    if (!m || !(m[2].toLowerCase().startsWith('privateendpointipconfig') || ownNic(m[1].toLowerCase()))) return {};
  }
  for (const key of ['serviceAssociationLinks', 'resourceNavigationLinks', 'ipConfigurationProfiles', 'delegations'])
    if (doc.objects(s, key).length > 0) return {};
  return { onlyPrivateEndpoints: azureId(endpoints[0]!) };
}

/** A subnet's delegation to a service holding only its endpoints there (`serviceName`, also under `properties`). */
function delegatedService(doc: JsonDoc, s: Node): string | undefined {
  const names = doc
    .objects(s, 'delegations')
    .flatMap((d) => doc.str(d, 'serviceName') ?? doc.str(doc.prop(d, 'properties'), 'serviceName') ?? []);
  return azureDelegatedService(names);
}

function peerings(doc: JsonDoc, o: Node, vnetId: string, out: ModelFragment, links: AzureCliLinks): void {
  for (const p of doc.objects(o, 'virtualNetworkPeerings')) {
    const id = doc.str(p, 'id');
    const remote = doc.str(doc.prop(p, 'remoteVirtualNetwork'), 'id');
    const state = doc.str(p, 'peeringState');
    if (!id) {
      missingId(doc, p, 'peering', out);
      continue;
    }
    // A peering that is not Connected carries no traffic.
    if (state !== undefined && state !== 'Connected') continue;
    if (remote) push(links, 'peers', [azureId(vnetId), azureId(remote)]);
    out.elements.push({
      ...base(doc, p, id),
      kind: 'peering',
      vpc: azureId(vnetId),
      peerVpc: remote ? azureId(remote) : unresolved('', 'peering has no remote VNet'),
      // ARM's default when the export leaves it out.
      allowForwardedTraffic: doc.bool(p, 'allowForwardedTraffic') ?? doc.bool(doc.prop(p, 'properties'), 'allowForwardedTraffic') ?? false,
    });
  }
}

function routeTable(doc: JsonDoc, o: Node, out: ModelFragment, links: AzureCliLinks): void {
  const id = doc.str(o, 'id');
  if (!id) return missingId(doc, o, 'route table', out);
  const rtId = azureId(id);
  const subnets = doc
    .objects(o, 'subnets')
    .map((s) => doc.str(s, 'id'))
    .filter((s): s is string => !!s);
  // Azure route tables belong to no VNet; the VNet of the first associated subnet is the useful answer.
  const vnets = [...new Set(subnets.map(vnetOfSubnet).filter((v): v is string => !!v))];
  const vpc: Ref = vnets[0] ?? unresolved('', 'route table is not associated with any subnet');
  for (const v of vnets) push(links, 'served', [rtId, v]);
  const routes: Route[] = doc.objects(o, 'routes').map((r, i) => {
    const prefix = doc.str(r, 'addressPrefix');
    const ip = doc.str(r, 'nextHopIpAddress');
    const kind = nextHopKind(doc.str(r, 'nextHopType')) ?? 'unknown';
    const route: Route = {
      id: doc.str(r, 'id') ? azureId(doc.str(r, 'id')!) : `${rtId}#${i}`,
      loc: doc.keyLoc(r, 'name'),
      // A service tag (`AzureCloud`, `Storage`) is kept as written, as Terraform writes it: the lookup decides
      // what its unknown prefixes can change (analysis/routing.ts).
      destination: {
        cidr: prefix && (parseCidr(prefix) || isServiceTag(prefix)) ? prefix : unresolved(prefix ?? '', 'not a CIDR nor a service tag'),
      },
      target: {
        kind,
        ...(kind === 'virtualAppliance' ? { ip: ip ?? unresolved('', 'VirtualAppliance route without nextHopIpAddress') } : {}),
      },
      state: nextHopState(kind),
    };
    // A literal address may be a network interface of another file (`az network nic list`): bindAzureCli.
    if (kind === 'virtualAppliance' && ip !== undefined) push(links, 'hops', { table: rtId, route: route.id, ip });
    return route;
  });
  out.elements.push({ ...base(doc, o, id), kind: 'routeTable', vpc, routes });
  // Associations are also listed on the VNet's subnets; the workspace merges identical ones.
  for (const sid of subnets) {
    const aid = `${azureId(sid)}#routeTable`;
    const sNode = doc.objects(o, 'subnets').find((s) => doc.str(s, 'id') === sid)!;
    out.elements.push({
      id: aid,
      kind: 'rtAssociation',
      name: `${sid.split('/').pop()} -> ${doc.str(o, 'name') ?? id}`,
      loc: doc.loc(sNode),
      cloud: 'azure',
      routeTable: rtId,
      subnet: azureId(sid),
    });
  }
}

/** The IP forwarding flag of a NIC as printed (the CLI's spelling changed across versions). */
function forwardingFlag(doc: JsonDoc, o: Node): { value: boolean; key: string } | undefined {
  for (const key of ['enableIPForwarding', 'enableIpForwarding']) {
    const value = doc.bool(o, key);
    if (value !== undefined) return { value, key };
  }
  return undefined;
}

function nic(doc: JsonDoc, o: Node, out: ModelFragment, links: AzureCliLinks): void {
  const id = doc.str(o, 'id');
  if (!id) return missingId(doc, o, 'network interface', out);
  const flag = forwardingFlag(doc, o);
  const ipcs = doc.objects(o, 'ipConfigurations');
  const ipc = ipcs[0];
  const subnet = doc.str(doc.prop(ipc, 'subnet'), 'id');
  const privateIp = doc.str(ipc, 'privateIPAddress') ?? doc.str(ipc, 'privateIpAddress');
  // Every NIC, for a route of another file naming one of its addresses (bindAzureCli).
  const ips = ipcs.map((c) => doc.str(c, 'privateIPAddress') ?? doc.str(c, 'privateIpAddress')).filter((x): x is string => !!x);
  const vnetId = subnet ? vnetOfSubnet(subnet) : undefined;
  push(links, 'nics', {
    id: azureId(id),
    name: doc.str(o, 'name') ?? id,
    ...(vnetId ? { vnet: vnetId } : {}),
    ips,
    ...(flag ? { forwarding: flag.value } : {}),
    setting: flag ? `${flag.key}: ${flag.value}` : 'IP forwarding not in the export',
    loc: doc.keyLoc(o, flag?.key ?? 'name'),
  });
  // Only forwarding NICs are appliances; an ordinary VM NIC carries no routing decision.
  if (flag?.value !== true) return;
  const vm = doc.str(doc.prop(o, 'virtualMachine'), 'id');
  const b = base(doc, o, id);
  const name = vm ? vmName(vm) : b.name;
  // What it runs: an export of NICs names only the NIC and its VM (F122).
  const runs = applianceEvidence({ names: [name, b.name] });
  out.elements.push({
    ...b,
    kind: 'firewall',
    name,
    ...(subnet ? { subnet: azureId(subnet), vpc: vnetOfSubnet(subnet) ?? unresolved(subnet, 'not a subnet id') } : {}),
    ...(privateIp ? { privateIp } : {}),
    vendor: b.tags?.vendor ?? 'nva',
    ...(runs ? { runs } : {}),
  });
}

/** A VM's name from its id; a scale set's instance as Azure names it (`vmss-nva_0`). */
function vmName(id: string): string {
  const m = /\/virtualmachinescalesets\/([^/]+)\/virtualmachines\/([^/]+)$/i.exec(id);
  return m ? `${m[1]}_${m[2]}` : lastSegment(id);
}

/** The names along an ARM id below its provider (`.../networkInterfaces/nic1/ipConfigurations/c` -> `nic1/c`). */
function shortId(id: string): string {
  const at = id.toLowerCase().lastIndexOf('/providers/');
  const parts = (at < 0 ? id : id.slice(at + '/providers/'.length)).split('/').slice(1);
  return parts.filter((_, i) => i % 2 === 1).join('/') || id;
}

/** The NIC an IP configuration id belongs to (`.../networkInterfaces/n/ipConfigurations/c`; a scale set's too). */
function nicOfIpConfig(id: string): string | undefined {
  const m = /^(.*\/networkinterfaces\/[^/]+)\/ipconfigurations\/[^/]+$/i.exec(id);
  return m ? azureId(m[1]) : undefined;
}

const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

/**
 * An internal load balancer (`az network lb list`; one with no private frontend gives no element: no route can
 * name it): its private frontends, its load-balancing rules and its backend pools. A pool member that is a NIC's
 * IP configuration stays open until bindAzureCli finds that NIC in the export (its IP forwarding decides it).
 */
function loadBalancer(doc: JsonDoc, o: Node, out: ModelFragment, links: AzureCliLinks): void {
  const id = doc.str(o, 'id');
  if (!id) return missingId(doc, o, 'load balancer', out);
  const lbId = azureId(id);
  const frontends = doc.objects(o, 'frontendIPConfigurations').map((f) => {
    const subnet = doc.str(doc.prop(f, 'subnet'), 'id');
    const ip = doc.str(f, 'privateIPAddress') ?? doc.str(f, 'privateIpAddress');
    const name = doc.str(f, 'name') ?? lastSegment(doc.str(f, 'id') ?? '');
    const vnet = subnet ? vnetOfSubnet(subnet) : undefined;
    if (subnet && ip && vnet) push(links, 'frontends', { lb: lbId, name, ip, vnet });
    return { name, ...(subnet ? { subnet: azureId(subnet) } : {}), ...(subnet && ip ? { privateIp: ip } : {}) };
  });
  if (!frontends.some((f) => f.subnet !== undefined)) return;
  const vnet = frontends.map((f) => (f.subnet ? vnetOfSubnet(f.subnet) : undefined)).find((v) => v !== undefined);
  const port = (r: Node, key: string): Val<number> => doc.num(r, key) ?? unresolved('', `${key} not in the export`);
  const rules: LbRule[] = doc.objects(o, 'loadBalancingRules').map((r) => {
    const fe = doc.str(doc.prop(r, 'frontendIPConfiguration'), 'id');
    const pools = doc.objects(r, 'backendAddressPools').flatMap((p) => doc.str(p, 'id') ?? []);
    const one = doc.str(doc.prop(r, 'backendAddressPool'), 'id');
    const ruleId = doc.str(r, 'id');
    return {
      id: ruleId ? azureId(ruleId) : `${lbId}#rule`,
      name: doc.str(r, 'name') ?? ruleId ?? '',
      loc: doc.keyLoc(r, 'name'),
      frontend: fe ? lastSegment(fe) : unresolved('', 'frontendIPConfiguration not in the export'),
      protocol: doc.str(r, 'protocol') ?? unresolved('', 'protocol not in the export'),
      frontendPort: port(r, 'frontendPort'),
      backendPort: port(r, 'backendPort'),
      pools: [...new Set([...pools, ...(one ? [one] : [])].map(azureId))],
    };
  });
  const pools: LbPool[] = [];
  for (const p of doc.objects(o, 'backendAddressPools')) {
    const pid = doc.str(p, 'id');
    if (!pid) {
      missingId(doc, p, 'backend pool', out);
      continue;
    }
    const poolId = azureId(pid);
    const members: LbMember[] = [];
    for (const c of doc.objects(p, 'backendIPConfigurations')) {
      const cid = doc.str(c, 'id');
      const nicId = cid ? nicOfIpConfig(cid) : undefined;
      if (!cid || !nicId) continue;
      push(links, 'members', { key: `${poolId}|${members.length}`, nic: nicId });
      const why = `network interface ${lastSegment(nicId)} is not in the export (az network nic list, az vmss nic list)`;
      members.push({ via: shortId(cid), loc: doc.loc(c), open: unresolved(shortId(nicId), why) });
    }
    // Members added by address (not by a NIC's IP configuration, listed above): whoever holds it.
    for (const a of doc.objects(p, 'loadBalancerBackendAddresses')) {
      const ip = doc.str(a, 'ipAddress');
      if (!ip || doc.str(doc.prop(a, 'networkInterfaceIPConfiguration'), 'id')) continue;
      const v = doc.str(doc.prop(a, 'virtualNetwork'), 'id');
      const where = v ? azureId(v) : vnet;
      push(links, 'members', { key: `${poolId}|${members.length}`, ip, ...(where ? { vnet: where } : {}) });
      members.push({ via: doc.str(a, 'name') ?? ip, loc: doc.loc(a), ip });
    }
    pools.push({ id: poolId, name: doc.str(p, 'name') ?? pid, loc: doc.keyLoc(p, 'name'), members });
  }
  const el: LoadBalancer = { ...base(doc, o, id), kind: 'loadBalancer', frontends, rules, pools };
  out.elements.push(el);
}

/** What bindAzureCli decides for one file: route targets and load balancer pool members, by id / member key. */
export interface AzureCliMarks {
  routes: Map<string, { nonForwarding: NonForwardingNic } | { lb: string; frontend: string }>;
  members: Map<string, LbMember>;
}

/**
 * Links the files of an Azure CLI export (one `az ... list` each). A VirtualAppliance route whose next hop address
 * is a network interface of the export whose IP forwarding is printed false is dropped there, as the Terraform form
 * decides (Azure delivers to that NIC only what is addressed to it); one whose address is a private frontend of an
 * internal load balancer of the export goes to that frontend. The NIC or frontend must be the one holding the
 * address in the VNets the route's table serves or those peered with them (address spaces of unrelated VNets may
 * overlap); a flag not printed, or a NIC not in the export, decides nothing (the route stays as parsed: Unknown
 * unless an appliance holds the address). A load balancer's pool member that is a NIC's IP configuration is that
 * NIC when the export lists it: an appliance when it forwards, dropping when it prints false; an address member
 * held by a NIC of its VNet that prints false drops. Returns, per file, what to mark; nothing for a file with no mark.
 */
export function bindAzureCli(files: readonly { file: string; links?: AzureCliLinks }[]): Map<string, AzureCliMarks> {
  const marks = new Map<string, AzureCliMarks>();
  const marksOf = (file: string): AzureCliMarks => {
    let m = marks.get(file);
    if (!m) marks.set(file, (m = { routes: new Map(), members: new Map() }));
    return m;
  };
  const byIp = new Map<string, AzureCliNic[]>();
  const byId = new Map<string, AzureCliNic>();
  const frontends = new Map<string, NonNullable<AzureCliLinks['frontends']>>();
  const served = new Map<string, Set<string>>();
  const peers = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, v: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);
  for (const f of files) {
    for (const n of f.links?.nics ?? []) {
      byId.set(n.id, n);
      for (const ip of new Set(n.ips)) (byIp.get(ip) ?? byIp.set(ip, []).get(ip)!).push(n);
    }
    for (const fe of f.links?.frontends ?? []) (frontends.get(fe.ip) ?? frontends.set(fe.ip, []).get(fe.ip)!).push(fe);
    for (const [table, vnet] of f.links?.served ?? []) add(served, table, vnet);
    for (const [a, b] of f.links?.peers ?? []) {
      add(peers, a, b);
      add(peers, b, a);
    }
  }
  const offMark = (n: AzureCliNic): NonForwardingNic => ({
    nic: n.id,
    name: n.name,
    setting: n.setting,
    loc: n.loc,
    enable: 'az network nic update --ip-forwarding true',
  });
  for (const f of files) {
    for (const h of f.links?.hops ?? []) {
      if (!byIp.has(h.ip) && !frontends.has(h.ip)) continue;
      const reach = new Set<string>();
      for (const v of served.get(h.table) ?? []) {
        reach.add(v);
        for (const p of peers.get(v) ?? []) reach.add(p);
      }
      // The same interface or frontend may be listed twice (two exports of one subscription): one id is one.
      const holders = [
        ...new Map((byIp.get(h.ip) ?? []).filter((n) => n.vnet !== undefined && reach.has(n.vnet)).map((n) => [n.id, n])).values(),
      ];
      const fes = [...new Map((frontends.get(h.ip) ?? []).filter((x) => reach.has(x.vnet)).map((x) => [`${x.lb}|${x.name}`, x])).values()];
      if (holders.length + fes.length !== 1) continue;
      if (fes.length === 1) marksOf(f.file).routes.set(h.route, { lb: fes[0].lb, frontend: fes[0].name });
      else if (holders[0].forwarding === false) marksOf(f.file).routes.set(h.route, { nonForwarding: offMark(holders[0]) });
    }
    for (const m of f.links?.members ?? []) {
      if (m.nic !== undefined) {
        const n = byId.get(m.nic);
        if (!n) continue;
        const bound: LbMember =
          n.forwarding === true
            ? { via: '', loc: n.loc, appliance: n.id }
            : n.forwarding === false
              ? { via: '', loc: n.loc, nonForwarding: offMark(n) }
              : { via: '', loc: n.loc, open: unresolved(n.name, `IP forwarding of network interface ${n.name} is not in the export`) };
        marksOf(f.file).members.set(m.key, bound);
      } else if (m.ip !== undefined) {
        const holders = [...new Map((byIp.get(m.ip) ?? []).filter((n) => n.vnet === m.vnet).map((n) => [n.id, n])).values()];
        if (holders.length === 1 && holders[0].forwarding === false)
          marksOf(f.file).members.set(m.key, { via: '', loc: holders[0].loc, nonForwarding: offMark(holders[0]) });
      }
    }
  }
  return marks;
}

/**
 * A fragment with what bindAzureCli decided: marked routes drop at their network interface or go to a load
 * balancer's frontend; marked pool members are the NICs they name. Unmarked elements are its own objects.
 */
export function withAzureCliMarks(frag: ModelFragment, marks: AzureCliMarks): ModelFragment {
  const elements = frag.elements.map((el) => {
    if (el.kind === 'routeTable' && el.routes.some((r) => marks.routes.has(r.id)))
      return {
        ...el,
        routes: el.routes.map((r) => {
          const m = marks.routes.get(r.id);
          if (!m) return r;
          if ('nonForwarding' in m) return { ...r, target: { ...r.target, nonForwarding: m.nonForwarding } };
          const target: RouteTarget = { kind: r.target.kind, ref: m.lb, frontend: m.frontend };
          return { ...r, target };
        }),
      };
    if (el.kind === 'loadBalancer' && marks.members.size > 0)
      return {
        ...el,
        pools: el.pools.map((p) => ({
          ...p,
          members: p.members.map((x, i) => {
            const m = marks.members.get(`${p.id}|${i}`);
            // The member keeps where the load balancer lists it; what it is comes from the NIC.
            if (!m) return x;
            const { via: _via, loc: _loc, ...what } = m;
            return { via: x.via, loc: x.loc, ...what };
          }),
        })),
      };
    return el;
  });
  return { ...frag, elements };
}
