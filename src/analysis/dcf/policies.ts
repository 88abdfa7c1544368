// The DCF policy set in force: enablement and priority order.
import { elementsOfKind } from '../byKind';
import { isUnresolved, type DcfConfig, type DcfPolicy, type NetworkElement } from '../../model/types';

export type DcfEnablement =
  | { state: 'enabled'; config: DcfConfig }
  | { state: 'disabled'; config: DcfConfig }
  | { state: 'unknown'; config: DcfConfig; reason: string }
  /**
   * No aviatrix_distributed_firewalling_config (nor a controller export of it) in the inputs: the controller-wide
   * switch is managed elsewhere (CoPilot, another configuration), so its absence says nothing about it (F94). The
   * analysis assumes DCF is enabled and says so (`dcfAssumption`); `dcf-enablement-unmanaged` tells the user.
   */
  | { state: 'absent' };

// Per-model memo: states and rules ask these once per path; the element list does not change.
const enablementMemo = new WeakMap<readonly NetworkElement[], DcfEnablement>();
const orderedMemo = new WeakMap<readonly NetworkElement[], DcfPolicy[]>();

export function dcfEnablement(elements: readonly NetworkElement[]): DcfEnablement {
  let en = enablementMemo.get(elements);
  if (!en) {
    en = computeEnablement(elements);
    enablementMemo.set(elements, en);
  }
  return en;
}

function computeEnablement(elements: readonly NetworkElement[]): DcfEnablement {
  const configs = elementsOfKind(elements, 'dcfConfig');
  if (configs.length === 0) return { state: 'absent' };
  const on = configs.find((c) => c.enabled === true);
  if (on) return { state: 'enabled', config: on };
  const unk = configs.find((c) => isUnresolved(c.enabled));
  if (unk && isUnresolved(unk.enabled)) {
    return {
      state: 'unknown',
      config: unk,
      reason: `enable_distributed_firewalling of ${unk.name || unk.id} is \`${unk.enabled.text}\` (${unk.enabled.reason})`,
    };
  }
  return { state: 'disabled', config: configs[0] };
}

/** True when DCF enforces policies. An absent configuration counts as enabled, with the assumption stated. */
export function isDcfEnforcing(en: DcfEnablement): boolean | 'unknown' {
  return en.state === 'enabled' || en.state === 'absent' ? true : en.state === 'unknown' ? 'unknown' : false;
}

/** The words a reason starts with when it rests on the assumption that DCF is enabled (no config in the inputs). */
export function dcfAssumption(en: DcfEnablement): string {
  return en.state === 'absent' ? 'assuming DCF is enabled on the controller: ' : '';
}

export function allPolicies(elements: readonly NetworkElement[]): DcfPolicy[] {
  return elementsOfKind(elements, 'dcfPolicy').slice();
}

/** Enabled policies, lower priority number first; equal priorities keep input order. */
export function orderedPolicies(elements: readonly NetworkElement[]): DcfPolicy[] {
  let ordered = orderedMemo.get(elements);
  if (!ordered) {
    ordered = allPolicies(elements)
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => p.enabled)
      .sort((a, b) => a.p.priority - b.p.priority || a.i - b.i)
      .map(({ p }) => p);
    orderedMemo.set(elements, ordered);
  }
  // A copy: callers may not reorder the memoised list.
  return ordered.slice();
}

export function policyLabel(p: DcfPolicy): string {
  return `policy "${p.name || p.id}" (priority ${p.priority}, ${p.rawAction || p.action.toUpperCase()})`;
}
