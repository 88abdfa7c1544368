// Attributes the provider computes from what is written, where AWS's own rule makes the answer exact
// offline. AWS Network Firewall creates one endpoint per subnet mapping, in that subnet; Terraform exposes
// them as `firewall_status[0].sync_states[*].attachment[0].{endpoint_id, subnet_id}`, and routes pick
// their endpoint from it (`[for ss in ...sync_states : ss.attachment[0].endpoint_id if
// ss.attachment[0].subnet_id == aws_subnet.x.id]`). The endpoint ids are stable names of the endpoint
// elements the mapper emits for the same firewall (networkFirewallEndpointId), so such a route resolves.
import type { Block } from './ast';
import { isPlaceholderAz } from '../../model/az';
import { evaluate, type Scope } from './evaluate';
import { RefVal, Unknown, asString, markUnordered, type Value } from './values';

export interface ComputedSource {
  readonly address: string;
  readonly type: string;
  readonly block: Block;
  scope(extra?: Map<string, Value>): Scope;
}

/** Model id of the endpoint a Network Firewall has in a subnet (the subnet's id, or the mapping's position). */
export function networkFirewallEndpointId(firewall: string, subnet: string | number): string {
  return `${firewall}/endpoint/${subnet}`;
}

/** The key the endpoint of one subnet mapping is named by: the subnet reference when it is one. */
export function subnetMappingKey(subnetId: Value, position: number): string | number {
  if (subnetId instanceof RefVal && (subnetId.path.length === 0 || (subnetId.path.length === 1 && subnetId.path[0] === 'id')))
    return subnetId.address;
  const s = asString(subnetId);
  return s ?? position;
}

/** `subnet_id` of every `subnet_mapping` block, written or `dynamic`, in source order; undefined if not decidable. */
export function subnetMappingIds(src: ComputedSource, text: string): Value[] | undefined {
  const out: Value[] = [];
  const scope = src.scope();
  for (const b of src.block.blocks) {
    if (b.type === 'subnet_mapping') {
      const a = b.attrs.get('subnet_id');
      out.push(a ? evaluate(a.expr, scope) : new Unknown(text, 'subnet_mapping without subnet_id'));
    } else if (b.type === 'dynamic' && b.labels[0] === 'subnet_mapping') {
      const each = b.attrs.get('for_each');
      const content = b.blocks.find((c) => c.type === 'content');
      const a = content?.attrs.get('subnet_id');
      if (!each || !a) return undefined;
      const itAttr = b.attrs.get('iterator');
      const iterator = itAttr && itAttr.expr.k === 'var' ? itAttr.expr.name : 'subnet_mapping';
      const v = evaluate(each.expr, scope);
      const entries: [string | number, Value][] | undefined = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v instanceof Map
          ? [...v.entries()]
          : undefined;
      if (!entries) return undefined;
      for (const [k, x] of entries) {
        const vars = new Map(scope.vars);
        vars.set(
          iterator,
          new Map<string, Value>([
            ['key', k],
            ['value', x],
          ]),
        );
        out.push(evaluate(a.expr, { ...scope, vars }));
      }
    }
  }
  return out;
}

/**
 * The AZ of the endpoint in subnet `sid`: the subnet's `availability_zone` as written when it is a name or a
 * zone placeholder (`<az 1 of data.aws_availability_zones.x>`), else a reference to it (not known offline).
 */
function endpointZone(sid: Value, text: string): Value {
  if (!(sid instanceof RefVal)) return new Unknown(text, 'AZ of the firewall endpoint');
  // `of` is the subnet only when this is its id (another resource's attribute carries that resource).
  const az = sid.path.length === 1 && sid.path[0] === 'id' ? sid.of?.attribute('availability_zone', text) : undefined;
  if (typeof az === 'string' || (az instanceof Unknown && az.placeholder !== undefined && isPlaceholderAz(az.placeholder))) return az;
  return new RefVal(sid.address, ['availability_zone']);
}

/** The computed value of `name`, or undefined when this module does not compute it. */
export function computedAttribute(src: ComputedSource, name: string, text: string): Value | undefined {
  // An endpoint service fronts a GWLB or NLBs, as written: its type follows (`vpc_endpoint_type = ...service_type`).
  if (src.type === 'aws_vpc_endpoint_service' && name === 'service_type') {
    if (src.block.attrs.has('gateway_load_balancer_arns')) return 'GatewayLoadBalancer';
    if (src.block.attrs.has('network_load_balancer_arns')) return 'Interface';
    return undefined;
  }
  // azurerm 2.x reports a subnet's one `address_prefixes` entry as `address_prefix` too; 3.0 removed that attribute,
  // so a configuration that reads it is 2.x's (F181). Several entries: that attribute is empty, not decided here.
  if (src.type === 'azurerm_subnet' && name === 'address_prefix') {
    const a = src.block.attrs.get('address_prefixes');
    const v = a ? evaluate(a.expr, src.scope()) : undefined;
    return Array.isArray(v) && v.length === 1 ? v[0] : undefined;
  }
  // An ENI's primary address: the one entry of `private_ips` (a set: with several, which is primary is not
  // decided here), or the first of `private_ip_list` when that ordered list is enabled (F302).
  if (src.type === 'aws_network_interface' && name === 'private_ip') return eniPrimaryIp(src);
  if (src.type !== 'aws_networkfirewall_firewall' || name !== 'firewall_status') return undefined;
  const ids = subnetMappingIds(src, text);
  if (!ids) return new Unknown(text, "the firewall's subnet mappings cannot be decided offline");
  // A set in the provider's schema: its order is not the subnet mappings' (values.ts, unorderedAt).
  const states = markUnordered(
    ids.map(
      (sid, i) =>
        new Map<string, Value>([
          // The endpoint is in its subnet's AZ (maps keyed by it are looked up in zoneKeys.ts).
          ['availability_zone', endpointZone(sid, text)],
          [
            'attachment',
            [
              new Map<string, Value>([
                ['endpoint_id', new RefVal(networkFirewallEndpointId(src.address, subnetMappingKey(sid, i)), [])],
                ['subnet_id', sid],
                ['status', 'READY'],
              ]),
            ],
          ],
        ]),
    ),
  );
  const status = new Map<string, Value>([
    ['sync_states', states],
    ['status', 'READY'],
  ]);
  // Attached to a transit gateway natively: its TGW attachment is the firewall itself in the model (TGW routes
  // and route table associations name it through `transit_gateway_attachment_sync_states[0].attachment_id`).
  if (src.block.attrs.has('transit_gateway_id'))
    status.set('transit_gateway_attachment_sync_states', [new Map<string, Value>([['attachment_id', new RefVal(src.address, [])]])]);
  return [status];
}

/** `private_ip` of an ENI that does not write it (computedAttribute). */
function eniPrimaryIp(src: ComputedSource): Value | undefined {
  const scope = src.scope();
  const enabled = src.block.attrs.get('private_ip_list_enabled');
  const list = src.block.attrs.get('private_ip_list');
  if (enabled && list && evaluate(enabled.expr, scope) === true) {
    const v = evaluate(list.expr, scope);
    return Array.isArray(v) && v.length > 0 ? v[0] : undefined;
  }
  const a = src.block.attrs.get('private_ips');
  const v = a ? evaluate(a.expr, scope) : undefined;
  return Array.isArray(v) && v.length === 1 ? v[0] : undefined;
}
