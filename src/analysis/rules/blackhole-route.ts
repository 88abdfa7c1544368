// The egress path dies on a route: state blackhole, or a target that drops what it is sent.
import type { PathTrace } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { dedupe, formatOf, sourceLabel } from './egressPaths';

const doc = `Fires when a subnet's egress path (forward or return) hits a route whose state is \`blackhole\`
(an export's \`State\`, a TGW route's \`blackhole = true\`): AWS keeps a route after its target (NAT GW, GWLB
endpoint, transit gateway attachment, ...) is deleted, marks it \`blackhole\` and silently drops matching
traffic. Fix: point the route at an existing target, or delete it so a less specific route applies. A route
whose target id is merely absent from the inputs (made by another configuration, or not in the export) is
not one: its path is Unknown, naming what to add.

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
receiving VNet whose remote is the appliance's VNet.`;

function dropRoute(t: PathTrace | undefined): { at: string; reason: string; namesTable: boolean; checkOn?: true } | undefined {
  if (!t || t.outcome.kind !== 'dropped' || !t.outcome.at) return undefined;
  const { cause, reason, at } = t.outcome;
  // A blackhole's reason names its table.
  if (cause === 'blackhole') return { at, reason, namesTable: true };
  if (cause === 'source-dest-check') return { at, reason, namesTable: false, checkOn: true };
  return undefined;
}

/** Azure drops at a peering or at a NIC that does not forward: the resource to change is that one. */
function azureDrop(ctx: RuleContext, t: PathTrace | undefined, leg: string, subnet: string, label: string): RawFinding | undefined {
  const { index } = ctx;
  const o = t?.outcome;
  if (!o || o.kind !== 'dropped' || !o.at) return undefined;
  if (o.cause === 'forwarded-traffic-refused') {
    const p = index.resolve(o.at, 'peering');
    if (!p) return undefined;
    return {
      message: `The ${leg} path of ${label} is dropped: ${o.reason}.`,
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
      message: `The ${leg} path of ${label} is dropped: ${o.reason} (route ${index.label(r.route.id)} in ${r.table.name || r.table.id} sends traffic to it).`,
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

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    for (let i = 0; i < 2; i++) {
      const leg = i === 0 ? 'forward' : 'return';
      const t = i === 0 ? eg.forward : eg.return;
      const azure = azureDrop(ctx, t, leg, eg.subnet, sourceLabel(index, eg));
      if (azure) {
        out.push(azure);
        continue;
      }
      const hit = dropRoute(t);
      if (!hit) continue;
      const r = index.routeById(hit.at);
      if (!r) continue;
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
          traces: [eg.subnet],
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
        traces: [eg.subnet],
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
