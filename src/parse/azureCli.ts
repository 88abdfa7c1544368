// Azure CLI exports: `az network vnet list`, `az network route-table list` and `az network nic list`
// (NICs with IP forwarding are the virtual appliances UDRs point at). Each is a JSON array of ARM
// resources; the `type` field tells them apart. Ids are ARM ids lower-cased: ARM ids are
// case-insensitive and the CLI prints references in varying case.
import { unresolved, type Ref, type Route, type Val } from '../model/types';
import { parseCidr } from '../model/cidr';
import { azureDelegatedService } from '../model/platformSubnets';
import type { ModelFragment, ParseOptions } from './types';
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
    for (const o of doc.objects(root)) {
      const type = doc.str(o, 'type')?.toLowerCase();
      if (type === AZURE_TYPES.vnet) vnet(doc, o, out);
      else if (type === AZURE_TYPES.routeTable) routeTable(doc, o, out);
      else if (type === AZURE_TYPES.nic) nic(doc, o, out);
    }
  });
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

function vnet(doc: JsonDoc, o: Node, out: ModelFragment): void {
  const id = doc.str(o, 'id');
  if (!id) return missingId(doc, o, 'virtual network', out);
  const prefixes = doc.strings(doc.prop(o, 'addressSpace'), 'addressPrefixes');
  out.elements.push({ ...base(doc, o, id), kind: 'vpc', flavor: 'vnet', cidrs: prefixes, attrs: doc.attrs(o, ['addressSpace']) ?? {} });
  peerings(doc, o, id, out);
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
      // A private subnet (no default outbound access) reaches the internet through its NAT gateway, if any.
      ...(doc.bool(s, 'defaultOutboundAccess') === false ? { defaultOutboundAccess: false } : {}),
      ...(doc.str(doc.prop(s, 'natGateway'), 'id') ? { natGateway: azureId(doc.str(doc.prop(s, 'natGateway'), 'id')!) } : {}),
    });
    const rt = doc.str(doc.prop(s, 'routeTable'), 'id');
    if (rt) {
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

/** A subnet's delegation to a service holding only its endpoints there (`serviceName`, also under `properties`). */
function delegatedService(doc: JsonDoc, s: Node): string | undefined {
  const names = doc
    .objects(s, 'delegations')
    .flatMap((d) => doc.str(d, 'serviceName') ?? doc.str(doc.prop(d, 'properties'), 'serviceName') ?? []);
  return azureDelegatedService(names);
}

function peerings(doc: JsonDoc, o: Node, vnetId: string, out: ModelFragment): void {
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

function routeTable(doc: JsonDoc, o: Node, out: ModelFragment): void {
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

function nic(doc: JsonDoc, o: Node, out: ModelFragment): void {
  const id = doc.str(o, 'id');
  if (!id) return missingId(doc, o, 'network interface', out);
  // Only forwarding NICs are appliances; an ordinary VM NIC carries no routing decision.
  if (doc.bool(o, 'enableIPForwarding') !== true && doc.bool(o, 'enableIpForwarding') !== true) return;
  const ipc = doc.objects(o, 'ipConfigurations')[0];
  const subnet = doc.str(doc.prop(ipc, 'subnet'), 'id');
  const privateIp = doc.str(ipc, 'privateIPAddress') ?? doc.str(ipc, 'privateIpAddress');
  const vm = doc.str(doc.prop(o, 'virtualMachine'), 'id');
  const b = base(doc, o, id);
  out.elements.push({
    ...b,
    kind: 'firewall',
    name: vm ? vm.split('/').pop()! : b.name,
    ...(subnet ? { subnet: azureId(subnet), vpc: vnetOfSubnet(subnet) ?? unresolved(subnet, 'not a subnet id') } : {}),
    ...(privateIp ? { privateIp } : {}),
    vendor: b.tags?.vendor ?? 'nva',
  });
}
