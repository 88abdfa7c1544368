// Small helpers shared by the DCF rule files: locations of attributes, labels, value edits.
import type { DcfPolicy, NetworkElement, SourceLocation } from '../../model/types';
import type { RelatedLocation, TextEdit } from '../types';
import type { ElementLookup } from './groups';

/** Terraform address or id: what a user searches for in their code. */
export function elementLabel(e: NetworkElement): string {
  return e.address ?? e.id;
}

export function labelOf(index: ElementLookup, id: string): string {
  const e = index.get(id);
  return e ? elementLabel(e) : id;
}

/** The value range of the first attribute present, as a location; else undefined. */
export function attrLocation(e: NetworkElement, ...names: string[]): SourceLocation | undefined {
  for (const n of names) {
    const r = e.attrs?.[n];
    if (r) return { file: e.loc.file, range: r };
  }
  return undefined;
}

/** An edit replacing an attribute's value as written. */
export function replaceAttr(e: NetworkElement, names: string[], newText: string): TextEdit[] {
  const l = attrLocation(e, ...names);
  return l ? [{ file: l.file, range: l.range, newText }] : [];
}

/** An edit inserting `name = value` as the last line of a Terraform block (before its closing brace). */
export function insertAttr(e: NetworkElement, line: string): TextEdit[] {
  if (!e.extent || !e.loc.file.endsWith('.tf') || e.extent.end.line <= e.extent.start.line) return [];
  const at = { line: e.extent.end.line, character: 0 };
  return [{ file: e.loc.file, range: { start: at, end: at }, newText: `  ${line}\n` }];
}

export function related(e: NetworkElement | undefined, message: string): RelatedLocation[] {
  return e ? [{ location: e.loc, message }] : [];
}

export function policyName(p: DcfPolicy): string {
  return `"${p.name || p.id}" (priority ${p.priority})`;
}

/** Whether a string looks like a quoted literal as written (keep the quoting style of the file). */
export function quoted(value: string): string {
  return JSON.stringify(value);
}
