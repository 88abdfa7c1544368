// The egress path dies on a route: state blackhole, or a target that drops what it is sent.
import type { PathTrace } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { dedupe, formatOf, sourceLabel, traceRef } from './egressPaths';
import { lbDecision } from '../trace/azure';
import { writtenToDrop } from '../trace/outcome';

const doc = `Fires when a subnet's egress path (forward or return) hits a route whose state is \`blackhole\`
(an export's \`State\`, a TGW route's \`blackhole = true\`): AWS keeps a route after its target (NAT GW, GWLB
endpoint, transit gateway attachment, ...) is deleted, marks it \`blackhole\` and silently drops matching
traffic. Fix: point the route at an existing target, or delete it so a less specific route applies. A route
whose target id is merely absent from the inputs (made by another configuration, or not in the export) is
not one: its path is Unknown, naming what to add.

A drop written on purpose (a TGW route's \`blackhole = true\`, CloudFormation \`Blackhole: true\`; an Azure
route whose next hop is \`None\`) is how designs keep a network off the internet or away from another: a
forward path it ends is by design (the network is No Egress, the reason names the route), not a finding.
It fires only when such a route drops the *replies* of a flow that left (a supernet dropped in the table
the replies are looked up in): the flow can never complete. Fix: give the replies a more specific route
than the drop route, or narrow the drop route.

Also when a route sends traffic to a network interface (\`network_interface_id\`) or an instance
(\`instance_id\`) whose source/destination check is on: the interface drops every packet not addressed to
it, so a firewall or NAT instance behind it never forwards anything. Fix: turn the check off on that
interface (\`source_dest_check = false\`, CloudFormation \`SourceDestCheck: false\`).

On Azure, also when a user-defined route's next hop is a network interface (written as its own or its
virtual machine's address) whose IP forwarding is off (\`ip_forwarding_enabled = false\`, or not written:
off by default): Azure delivers to it only packets addressed to it. Fix: enable IP forwarding on that
interface (\`ip_forwarding_enabled = true\`, \`enable_ip_forwarding\` before azurerm 4; in an Azure CLI export,
a NIC of \`az network nic list\` printing \`enableIPForwarding: false\`, fixed with
\`az network nic update --ip-forwarding true\`), and in the appliance's operating system. And when an appliance of one VNet (a VM, not Azure Firewall) forwards a packet
that did not start in its VNet (a reply from the internet, another spoke's packet) into a peered VNet whose
peering with it does not allow forwarded traffic (\`allow_forwarded_traffic\`, false by default): Azure
drops it at the peering. Fix: \`allow_forwarded_traffic = true\` on that peering, the one written in the
receiving VNet whose remote is the appliance's VNet. And when the next hop is an internal load balancer's
frontend whose backend pool holds such a network interface: the load balancer hands it a share of the flows
and Azure drops them there. Fix: enable IP forwarding on that interface, or take it out of the pool.
A dual-stack subnet's IPv6 egress (its second family, docs/domain.md) is checked alike: the finding sits on its IPv6
route, names the family (\`subnet app-a (IPv6 ...)\`) and lists its IPv6 trace. (IPv6 sent to another VPC's internet gateway is \`ipv6-central-egress\`.)`;

function dropRoute(t: PathTrace | undefined): { at: string; reason: string; namesTable: boolean; checkOn?: true } | undefined {
  if (!t || t.outcome.kind !== 'dropped' || !t.outcome.at) return undefined;
  const { cause, reason, at } = t.outcome;
  // A blackhole's reason names its table.
  if (cause === 'blackhole') return { at, reason, namesTable: true };
  if (cause === 'source-dest-check') return { at, reason, namesTable: false, checkOn: true };
  return undefined;
}

/** Azure drops at a peering or at a NIC that does not forward: the resource to change is that one. */
function azureDrop(ctx: RuleContext, t: PathTrace | undefined, leg: string, subnet: string, source: () => string): RawFinding | undefined {
  const { index } = ctx;
  const o = t?.outcome;
  if (!o || o.kind !== 'dropped' || !o.at) return undefined;
  if (o.cause === 'forwarded-traffic-refused') {
    const p = index.resolve(o.at, 'peering');
    if (!p) return undefined;
    return {
      message: `The ${leg} path of ${source()} is dropped: ${o.reason}.`,
      location: p.loc,
      elementId: p.id,
      related: [],
      traces: [subnet],
      fix: { title: `Allow forwarded traffic on peering ${p.name || p.id} (allow_forwarded_traffic = true)`, edits: [] },
    };
  }
  if (o.cause === 'ip-forwarding-off') {
    const r = index.routeById(o.at);
    const nic = r && 'target' in r.route ? r.route.target.nonForwarding : undefined;
    if (!r || !nic) return undefined;
    return {
      message: `The ${leg} path of ${source()} is dropped: ${o.reason} (route ${index.label(r.route.id)} in ${r.table.name || r.table.id} sends traffic to it).`,
      location: nic.loc,
      elementId: nic.nic,
      related: [{ location: r.route.loc, message: `route in ${r.table.name || r.table.id}` }],
      traces: [subnet],
      fix: {
        title: `Enable IP forwarding on ${nic.name} (${nic.enable ?? 'ip_forwarding_enabled = true'}) and in the appliance's operating system`,
        edits: [],
      },
    };
  }
  return undefined;
}

/**
 * Internal load balancers on the forward path whose backend pool holds a network interface that does not forward:
 * Azure drops the flows the load balancer hands it (all of them when no member forwards, else a share).
 */
function lbDrops(ctx: RuleContext, t: PathTrace, subnet: string, source: () => string): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  t.hops.forEach((h, i) => {
    const lb = h.kind === 'loadBalancer' ? index.resolve(h.element, 'loadBalancer') : undefined;
    const via = i > 0 ? t.hops[i - 1].decision?.route : undefined;
    const r = lb && via ? index.routeById(via, t.hops[i - 1].decision?.routeTable) : undefined;
    if (!lb || !r || !('target' in r.route)) return;
    const frontend = r.route.target.frontend ?? (lb.frontends.length === 1 ? lb.frontends[0].name : undefined);
    const d = lbDecision(index, lb, frontend, t.destination.ip);
    const lost = d.kind === 'drop' ? [{ member: d.member, pool: d.pool }] : d.kind === 'appliances' ? d.dropping : [];
    for (const { member, pool } of lost) {
      const nic = member.nonForwarding!;
      const all = d.kind === 'drop';
      out.push({
        message: `The forward path of ${source()} ${all ? 'is dropped' : 'loses some flows'}: load balancer ${lb.name || lb.id} hands ${all ? 'them' : 'a share of the flows'} to network interface ${nic.name} (backend pool ${pool}), which does not forward (${nic.setting}): Azure drops what is sent to it but not addressed to it (route ${index.label(r.route.id)} in ${r.table.name || r.table.id} sends traffic to the load balancer).`,
        location: nic.loc,
        elementId: nic.nic,
        related: [
          { location: member.loc, message: `puts ${nic.name} in backend pool ${pool} of ${lb.name || lb.id}` },
          { location: r.route.loc, message: `route in ${r.table.name || r.table.id}` },
        ],
        traces: [subnet],
        fix: {
          title: `Enable IP forwarding on ${nic.name} (${nic.enable ?? 'ip_forwarding_enabled = true'}) and in the appliance's operating system, or take it out of backend pool ${pool}`,
          edits: [],
        },
      });
    }
  });
  return out;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    // The source's label is written only into a finding (most legs have none).
    const label = (): string => sourceLabel(index, eg);
    out.push(...lbDrops(ctx, eg.forward, traceRef(eg), label));
    for (let i = 0; i < 2; i++) {
      const leg = i === 0 ? 'forward' : 'return';
      const t = i === 0 ? eg.forward : eg.return;
      const azure = azureDrop(ctx, t, leg, traceRef(eg), label);
      if (azure) {
        out.push(azure);
        continue;
      }
      const hit = dropRoute(t);
      if (!hit) continue;
      const r = index.routeById(hit.at);
      if (!r) continue;
      if (!hit.checkOn && writtenToDrop(r.table)) {
        if (leg === 'forward') continue;
        const dest = index.label(r.route.id);
        out.push({
          message: `The return path of ${sourceLabel(index, eg)} is dropped: ${hit.reason}. The flow leaves, but its replies never come back.`,
          location: r.route.loc,
          elementId: r.route.id,
          related: [{ location: r.table.loc, message: `route table ${r.table.name || r.table.id}` }],
          traces: [traceRef(eg)],
          fix: {
            title: `Give the replies to ${sourceLabel(index, eg)} a more specific route in ${r.table.name || r.table.id} than ${dest}, or narrow ${dest}`,
            edits: [],
          },
        });
        continue;
      }
      const fmt = formatOf(r.route.loc.file);
      const ref = hit.checkOn && 'target' in r.route ? r.route.target.ref : undefined;
      const target = typeof ref === 'string' ? index.get(ref) : undefined;
      if (hit.checkOn && target) {
        // The interface (or instance) is what to change, not the route.
        out.push({
          message: `The ${leg} path of ${sourceLabel(index, eg)} is dropped: ${hit.reason} (route ${index.label(r.route.id)} in ${r.table.name || r.table.id} sends traffic to it).`,
          location: target.loc,
          elementId: target.id,
          related: [{ location: r.route.loc, message: `route in ${r.table.name || r.table.id}` }],
          traces: [traceRef(eg)],
          fix: {
            title: `Turn off the source/destination check of ${index.label(target.id)} (${fmt === 'yaml' ? 'SourceDestCheck: false' : 'source_dest_check = false'})`,
            edits: [],
          },
        });
        continue;
      }
      out.push({
        message: `The ${leg} path of ${sourceLabel(index, eg)} is dropped: ${hit.reason}${hit.namesTable ? '' : ` (${r.table.kind === 'tgwRouteTable' ? 'TGW route table' : 'route table'} ${r.table.name || r.table.id})`}.`,
        location: r.route.loc,
        elementId: r.route.id,
        related: [{ location: r.table.loc, message: `route table ${r.table.name || r.table.id}` }],
        traces: [traceRef(eg)],
        fix: {
          title: `Point the route at an existing target or remove it${fmt === 'json' ? ' (aws ec2 replace-route / delete-route)' : ''}`,
          edits: [],
        },
      });
    }
  }
  return dedupe(out, (f) => f.elementId);
}

export const rule = defineRule({
  code: 'blackhole-route',
  defaultSeverity: 'error',
  title: 'Egress path hits a blackhole route or a target that drops it',
  doc,
  check,
});
