// The typed message protocol between the extension host and the topology webview (and the CLI's HTML
// report, which plays the host's part with an inlined result). Both sides validate what they receive.
import type { AnalysisResult, FlowSimulation, SubnetEgress } from './analysis/types';
import type { SourceLocation } from './model/types';

export type HostToWebview =
  | { type: 'result'; result: AnalysisResult }
  /**
   * Animate the egress (forward and return) of one subnet/VPC element id (or of a trace id a finding names:
   * `<subnet>:forward`, `<subnet>:ipv6:forward`). `family: 6`: the IPv6 egress of a dual-stack subnet
   * (SubnetEgress.family), its second family; absent: the subnet's first (IPv4) egress.
   */
  | { type: 'trace'; subnet: string; family?: 6 }
  | { type: 'simulation'; simulation: FlowSimulation }
  /** Focus (select and centre) an element, e.g. the VPC of the resource under the cursor. */
  | { type: 'focus'; element: string }
  | { type: 'config'; animationSpeed: number };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'reveal'; location: SourceLocation; element?: string }
  | { type: 'export'; format: 'png' | 'svg'; data: string }
  | { type: 'log'; level: 'info' | 'error'; message: string }
  /** The view was re-fitted to a changed panel (resized, revealed, maximised), the user not having moved it. */
  | { type: 'refitted' };

/**
 * The egress a `trace` message names: the IPv6 egress of subnet `subnet` with `family: 6`; else the subnet's
 * first (IPv4) egress, or the egress a trace id belongs to (`<subnet>:ipv6:forward` is the IPv6 one), or the
 * first egress of a VPC id.
 */
export function egressOfTrace(egress: readonly SubnetEgress[], subnet: string, family?: 6): SubnetEgress | undefined {
  if (family === 6) return egress.find((x) => x.family === 6 && x.subnet === subnet);
  return (
    egress.find((x) => x.subnet === subnet && x.family === undefined && !x.narrow) ??
    egress.find((x) => x.subnet === subnet) ??
    egress.find((x) => x.forward.id === subnet || x.return?.id === subnet) ??
    egress.find((x) => x.vpc === subnet)
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPosition(v: unknown): boolean {
  return (
    isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character) && (v.line as number) >= 0 && (v.character as number) >= 0
  );
}

export function isSourceLocation(v: unknown): v is SourceLocation {
  return isObject(v) && typeof v.file === 'string' && isObject(v.range) && isPosition(v.range.start) && isPosition(v.range.end);
}

/** Validates a message arriving in the webview. Returns undefined for anything malformed. */
export function parseHostMessage(v: unknown): HostToWebview | undefined {
  if (!isObject(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'result': {
      const r = v.result;
      if (
        isObject(r) &&
        r.version === 1 &&
        isObject(r.model) &&
        Array.isArray((r.model as { elements?: unknown }).elements) &&
        Array.isArray(r.egress) &&
        Array.isArray(r.findings)
      ) {
        return v as HostToWebview;
      }
      return undefined;
    }
    case 'trace':
      if (typeof v.subnet !== 'string' || (v.family !== undefined && v.family !== 6)) return undefined;
      return v.family === 6 ? { type: 'trace', subnet: v.subnet, family: 6 } : { type: 'trace', subnet: v.subnet };
    case 'simulation':
      return isObject(v.simulation) && isObject((v.simulation as { forward?: unknown }).forward) ? (v as HostToWebview) : undefined;
    case 'focus':
      return typeof v.element === 'string' ? (v as HostToWebview) : undefined;
    case 'config':
      return typeof v.animationSpeed === 'number' && Number.isFinite(v.animationSpeed) ? (v as HostToWebview) : undefined;
    default:
      return undefined;
  }
}

/** Validates a message arriving in the extension host from the webview. */
export function parseWebviewMessage(v: unknown): WebviewToHost | undefined {
  if (!isObject(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      return isSourceLocation(v.location) && (v.element === undefined || typeof v.element === 'string') ? (v as WebviewToHost) : undefined;
    case 'export':
      return (v.format === 'png' || v.format === 'svg') && typeof v.data === 'string' ? (v as WebviewToHost) : undefined;
    case 'log':
      return (v.level === 'info' || v.level === 'error') && typeof v.message === 'string' ? (v as WebviewToHost) : undefined;
    case 'refitted':
      return { type: 'refitted' };
    default:
      return undefined;
  }
}
