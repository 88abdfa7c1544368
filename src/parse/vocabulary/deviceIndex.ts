// EC2 launches an instance into its network interfaces only with a primary interface (network card 0, device index 0)
// and each (card, device) pair once (invalid-device-index, F138; device indexes are per network card, review s16 R17).
// One decision and one wording for both front ends; each locates the problems on its own syntax.

/** Where one interface is launched. */
export interface LaunchSlot {
  card: number;
  device: number;
}

/** A problem with the slots: `at` is the index of the interface to locate it on. */
export interface DeviceIndexProblem {
  at: number;
  message: string;
}

/**
 * What EC2 refuses in these slots, every one known: no primary interface, or a pair given twice. `subject` names the
 * instance, `whole` what cannot deploy ("configuration", "stack"), `after` is added to the no-primary message.
 */
export function deviceIndexProblems(subject: string, slots: LaunchSlot[], whole: string, after = ''): DeviceIndexProblem[] {
  const key = (s: LaunchSlot) => `${s.card}/${s.device}`;
  const keys = slots.map(key);
  const written = slots.map((s) => (s.card === 0 ? `${s.device}` : `${s.device} (network card ${s.card})`)).join(', ');
  const out: DeviceIndexProblem[] = [];
  if (!keys.includes('0/0'))
    out.push({
      at: 0,
      message: `${subject} is launched into network interfaces at device index ${written}, none at 0: EC2 launches an instance only with a primary interface at device index 0, so it refuses this one and the ${whole} cannot deploy as written${after}`,
    });
  const twice = keys.findIndex((k, i) => keys.indexOf(k) < i);
  if (twice >= 0)
    out.push({
      at: twice,
      message: `${subject} is launched into network interfaces at device index ${written}: ${slots[twice].device} is given twice, and EC2 refuses an instance whose interfaces share a device index, so the ${whole} cannot deploy as written`,
    });
  return out;
}
