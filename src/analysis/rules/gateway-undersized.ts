// Local egress on a spoke gateway smaller than Aviatrix's minimum (t3.medium on AWS, Standard_B2ms on Azure).
import { elementsOfKind } from '../byKind';
import { isUnresolved, type AviatrixGateway } from '../../model/types';
import { defineRule, type RawFinding, type RuleContext } from './rule';
import { attrLocation, elementLabel, quoted, replaceAttr } from '../dcf/ruleSupport';

const doc = `Fires when an Aviatrix spoke gateway does local egress (SNAT on: \`single_ip_snat = true\`) and its
size, or its HA gateway's, is below the minimum Aviatrix gives for local egress: t3.medium for an AWS
VPC, Standard_B2ms for an Azure VNet. Local egress inspects and enforces DCF on every
outbound flow of the VPC; an undersized gateway drops or delays traffic under load. AWS sizes are compared
by the size suffix (nano, micro, small are below medium); Azure sizes by a table of the B-series
(B1ls, B1s, B1ms, B2s are below B2ms) and, for other series, by the vCPU count in the name (1 vCPU is
below). Sizes that are not literal (variables without a default) are not judged. Fix: set \`gw_size\`
(\`instance_size\` in the mc-spoke module) to "t3.medium" / "Standard_B2ms" or larger; the quick fix does it.`;

const AWS_SMALL = new Set(['nano', 'micro', 'small']);
const AZURE_SMALL_B = new Set(['b1ls', 'b1s', 'b1ms', 'b2s', 'b2ts_v2', 'b2ats_v2']);

/** The vendor's minimum for local egress in the gateway's cloud, or undefined when it sets none. */
export function minimumSize(gw: AviatrixGateway): string | undefined {
  return gw.gwCloud === 'aws' ? 't3.medium' : gw.gwCloud === 'azure' ? 'Standard_B2ms' : undefined;
}

/** True when the size is below the minimum for that cloud; undefined when it cannot tell. */
export function isUndersized(cloud: AviatrixGateway['gwCloud'], size: string): boolean | undefined {
  const s = size.trim().toLowerCase();
  if (cloud === 'aws') {
    const m = s.match(/^[a-z][a-z0-9-]*\.([a-z0-9]+)$/);
    if (!m) return undefined;
    return AWS_SMALL.has(m[1]);
  }
  if (cloud === 'azure') {
    const m = s.match(/^(?:standard|basic)_([a-z]+)(\d+)([a-z_0-9-]*)$/);
    if (!m) return undefined;
    const name = `${m[1]}${m[2]}${m[3]}`;
    if (m[1] === 'b') return AZURE_SMALL_B.has(name) || Number(m[2]) < 2;
    if (m[1] === 'a' && (m[2] === '0' || m[2] === '1')) return true;
    return Number(m[2]) < 2;
  }
  return undefined;
}

function check(ctx: RuleContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const gw of elementsOfKind(ctx.model.elements, 'aviatrixGateway').filter((e) => e.role === 'spoke' && e.snat === true)) {
    const min = minimumSize(gw);
    if (!min) continue;
    const checks: { size: AviatrixGateway['size'] | undefined; attrs: string[]; what: string }[] = [
      { size: gw.size, attrs: ['gw_size', 'instance_size'], what: 'gateway' },
      { size: gw.haSize, attrs: ['ha_gw_size', 'ha_instance_size'], what: 'HA gateway' },
    ];
    for (const c of checks) {
      if (c.size === undefined || isUnresolved(c.size) || !isUndersized(gw.gwCloud, c.size)) continue;
      const location = attrLocation(gw, ...c.attrs) ?? gw.loc;
      out.push({
        message: `Spoke ${c.what} ${elementLabel(gw)} applies local egress (SNAT on) with size ${c.size}, below the minimum ${min} for ${gw.gwCloud === 'aws' ? 'AWS' : 'Azure'}.`,
        location,
        elementId: gw.id,
        related: [attrLocation(gw, 'single_ip_snat', 'enable_snat')]
          .filter((l) => !!l)
          .map((l) => ({ location: l, message: 'local egress (SNAT) is enabled here' })),
        fix: {
          title: `Set ${c.what === 'gateway' ? 'the gateway' : 'the HA gateway'} size to ${min}`,
          edits: replaceAttr(gw, c.attrs, quoted(min)),
        },
      });
    }
  }
  return out;
}

export const rule = defineRule({
  code: 'gateway-undersized',
  defaultSeverity: 'warning',
  title: 'Spoke gateway with local egress is smaller than the recommended minimum',
  doc,
  check,
});
