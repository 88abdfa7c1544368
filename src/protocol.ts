// The typed message protocol between the extension host and the topology webview (and the CLI's HTML
// report, which plays the host's part with an inlined result). Both sides validate what they receive.
import type { AnalysisResult, FlowSimulation } from './analysis/types';
import type { SourceLocation } from './model/types';

export type HostToWebview =
  | { type: 'result'; result: AnalysisResult }
  /** Animate the egress (forward and return) of one subnet/VPC element id. */
  | { type: 'trace'; subnet: string }
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
      return typeof v.subnet === 'string' ? (v as HostToWebview) : undefined;
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
