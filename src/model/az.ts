// Availability zones as the model holds them: a zone name (`eu-west-1a`), or, when the name is not
// known offline but its identity is, a placeholder `<az 2 of data.aws_availability_zones.available>`
// (the second name that data source returns). Two placeholders of one source with different
// numbers are different zones; a placeholder and a name, or placeholders of two sources, cannot be
// compared offline.

// A zone that exists only if the region has that many is named `<az 2 of data.x if the region has 2>`.
const PLACEHOLDER = /^<az (?:id )?(\d+) of (.+?)(?: if the region has \d+)?>$/;

export function isPlaceholderAz(az: string): boolean {
  return PLACEHOLDER.test(az);
}

/**
 * True when a and b are known to be different zones (also when exactly one is undefined, as a
 * plain comparison says); false when they are the same zone or it cannot be told offline.
 */
export function azsDiffer(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return false;
  if (a === undefined || b === undefined) return true;
  const pa = PLACEHOLDER.exec(a);
  const pb = PLACEHOLDER.exec(b);
  if (!pa && !pb) return true;
  // Placeholders of one source list distinct zones; anything else may be the same zone.
  return !!pa && !!pb && pa[2] === pb[2] && pa[1] !== pb[1] && a.startsWith('<az id ') === b.startsWith('<az id ');
}
