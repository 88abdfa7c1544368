// The egress path dies on a route: state blackhole, or a target that is not (or no longer) there.
import type { PathTrace } from '../types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { dedupe, formatOf, sourceLabel } from './egressPaths';

const doc = `Fires when a subnet's egress path (forward or return) hits a route whose state is \`blackhole\`,
or whose target (NAT GW, GWLB endpoint, IGW, transit gateway attachment, ...) does not exist in the inputs
any more. AWS keeps such routes after the target is deleted and silently drops matching traffic. Fix: point
the route at an existing target, or delete it so a less specific route applies.

Also when a route sends traffic to a network interface (\`network_interface_id\`) or an instance
(\`instance_id\`) whose source/destination check is on: the interface drops every packet not addressed to
it, so a firewall or NAT instance behind it never forwards anything. Fix: turn the check off on that
interface (\`source_dest_check = false\`, CloudFormation \`SourceDestCheck: false\`).`;

function dropRoute(t: PathTrace | undefined): { at: string; reason: string; namesTable: boolean; checkOn?: true } | undefined {
  if (!t || t.outcome.kind !== 'dropped' || !t.outcome.at) return undefined;
  const { cause, reason, at } = t.outcome;
  // A blackhole's reason names its table; a missing target's does not.
  if (cause === 'blackhole' || cause === 'missing-target') return { at, reason, namesTable: cause === 'blackhole' };
  if (cause === 'source-dest-check') return { at, reason, namesTable: false, checkOn: true };
  return undefined;
}

function check(ctx: RuleContext): RawFinding[] {
  const { index } = ctx;
  const out: RawFinding[] = [];
  for (const eg of ctx.egress) {
    for (let i = 0; i < 2; i++) {
      const leg = i === 0 ? 'forward' : 'return';
      const t = i === 0 ? eg.forward : eg.return;
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
  title: 'Egress path hits a blackhole route or a missing target',
  doc,
  check,
});
