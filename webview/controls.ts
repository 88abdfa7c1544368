// The toolbar. The ONLY module that knows about @vscode/webview-ui-toolkit: swapping it for
// @vscode-elements/elements means rewriting this file alone (tag names and the value/checked
// properties). Under the page's strict CSP the toolkit works because FAST styles its components
// through constructable stylesheets (adoptedStyleSheets), which `style-src` does not govern; if a
// host ever blocks them, the fallback below builds plain <button>/<select>/<input> with the same ids.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import type { Mode } from './animation';
import { LAYOUT_ENGINES, type LayoutEngine } from './layout';

export interface ControlHandlers {
  onPlayPause(): void;
  onStepForward(): void;
  onStepBack(): void;
  onRestart(): void;
  onSpeed(speed: number): void;
  onMode(mode: Mode): void;
  onSubject(id: string): void;
  onFilter(f: { vpc: string; state: string; finding: string }): void;
  onSearch(text: string, next: boolean): void;
  onFit(): void;
  onExport(format: 'png' | 'svg'): void;
  onRouteTables(show: boolean): void;
  onVpcLevel(on: boolean): void;
  onLayout(engine: LayoutEngine): void;
}

export interface Option {
  value: string;
  label: string;
}

export interface Controls {
  setPlaying(playing: boolean): void;
  setSubjects(options: Option[], selected?: string): void;
  setFilterOptions(vpcs: Option[], states: Option[], findings: Option[]): void;
  setSpeed(speed: number): void;
  setStepLabel(text: string): void;
  setVpcLevel(on: boolean): void;
  setLayout(engine: LayoutEngine): void;
  readonly usesToolkit: boolean;
}

const SPEEDS = [0.25, 0.5, 1, 2, 4];

let registered: boolean | undefined;
function registerToolkit(): boolean {
  if (registered !== undefined) return registered;
  try {
    provideVSCodeDesignSystem().register(
      vsCodeButton(),
      vsCodeDropdown(),
      vsCodeOption(),
      vsCodeTextField(),
      vsCodeCheckbox(),
      vsCodeDivider(),
    );
    registered = true;
  } catch {
    registered = false;
  }
  return registered;
}

export function createControls(root: HTMLElement, h: ControlHandlers, opts: { toolkit?: boolean } = {}): Controls {
  const toolkit = opts.toolkit !== false && registerToolkit();
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K | string, attrs: Record<string, string> = {}, text?: string): HTMLElement => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const group = (label: string): HTMLElement => {
    const g = el('div', { class: 'group', role: 'group', 'aria-label': label });
    root.appendChild(g);
    return g;
  };
  const button = (parent: HTMLElement, id: string, text: string, title: string, onClick: () => void, secondary = true): HTMLElement => {
    const b = toolkit
      ? el('vscode-button', { id, title, 'aria-label': title, ...(secondary ? { appearance: 'secondary' } : {}) }, text)
      : el('button', { id, title, 'aria-label': title, type: 'button' }, text);
    b.addEventListener('click', () => onClick());
    parent.appendChild(b);
    return b;
  };
  const valueOf = (e: HTMLElement): string => (e as HTMLSelectElement).value;
  const setValue = (e: HTMLElement, v: string): void => {
    (e as HTMLSelectElement).value = v;
  };
  const dropdown = (parent: HTMLElement, id: string, label: string, onChange: (v: string) => void): HTMLElement => {
    const d = el(toolkit ? 'vscode-dropdown' : 'select', { id, title: label, 'aria-label': label });
    d.addEventListener('change', () => onChange(valueOf(d)));
    parent.appendChild(d);
    return d;
  };
  const fill = (d: HTMLElement, options: Option[], selected?: string): void => {
    d.replaceChildren(...options.map((o) => el(toolkit ? 'vscode-option' : 'option', { value: o.value }, o.label)));
    if (selected !== undefined) setValue(d, selected);
    else if (options[0]) setValue(d, options[0].value);
  };
  const checkbox = (parent: HTMLElement, id: string, label: string, checked: boolean, onChange: (v: boolean) => void): HTMLElement => {
    let c: HTMLElement;
    let input: HTMLInputElement | undefined;
    if (toolkit) {
      c = el('vscode-checkbox', { id, title: label }, label);
      (c as HTMLInputElement).checked = checked;
    } else {
      c = el('label', { id, title: label });
      input = el('input', { type: 'checkbox' }) as HTMLInputElement;
      input.checked = checked;
      c.append(input, document.createTextNode(' ' + label));
    }
    const target = input ?? c;
    target.addEventListener('change', () => onChange((target as HTMLInputElement).checked));
    parent.appendChild(c);
    return c;
  };

  // One row at 1280 px: the animation and the view's main controls; the rest in the overflow menu.
  const play = group('Animation');
  const subject = dropdown(play, 'subject', 'Subnet to trace', (v) => h.onSubject(v));
  const playBtn = button(play, 'btn-play', '\u25b6 Play', 'Play / pause (Space)', h.onPlayPause, false);
  button(play, 'btn-step-back', '\u25c0', 'Step back (Left arrow)', h.onStepBack);
  button(play, 'btn-step-fwd', '\u25b6|', 'Step forward (Right arrow)', h.onStepForward);
  button(play, 'btn-restart', '\u21ba', 'Restart', h.onRestart);
  const stepLabel = el('span', { id: 'step-label', class: 'step-label', 'aria-live': 'polite' });
  play.appendChild(stepLabel);

  const view = group('View');
  const layout = dropdown(view, 'layout', 'Layout', (v) => h.onLayout(v as LayoutEngine));
  fill(layout, LAYOUT_ENGINES, 'reference');
  const search = el(toolkit ? 'vscode-text-field' : 'input', {
    id: 'search',
    placeholder: 'Search',
    'aria-label': 'Search nodes (Enter: next match)',
    type: 'text',
  });
  search.addEventListener('input', () => h.onSearch(valueOf(search), false));
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') h.onSearch(valueOf(search), true);
    e.stopPropagation();
  });
  view.appendChild(search);
  button(view, 'btn-fit', 'Fit', 'Zoom to fit (F)', h.onFit);

  // The overflow menu: secondary controls, shown under the \u22ef button.
  const more = group('More');
  more.classList.add('more');
  const menu = el('div', { id: 'more-menu', class: 'menu', role: 'group', 'aria-label': 'More controls' });
  menu.hidden = true;
  const moreBtn = button(more, 'btn-more', '\u22ef', 'More controls', () => {
    menu.hidden = !menu.hidden;
    moreBtn.setAttribute('aria-expanded', String(!menu.hidden));
  });
  moreBtn.setAttribute('aria-haspopup', 'true');
  moreBtn.setAttribute('aria-expanded', 'false');
  more.appendChild(menu);
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      menu.hidden = true;
      moreBtn.setAttribute('aria-expanded', 'false');
      moreBtn.focus();
    }
  });
  const row = (label: string): HTMLElement => {
    const r = el('div', { class: 'menu-row' });
    r.appendChild(el('span', { class: 'menu-label' }, label));
    menu.appendChild(r);
    return r;
  };
  const legs = row('Legs');
  const mode = dropdown(legs, 'mode', 'Legs to animate', (v) => h.onMode(v as Mode));
  fill(mode, [
    { value: 'both', label: 'forward + return' },
    { value: 'forward', label: 'forward only' },
    { value: 'return', label: 'return only' },
  ]);
  const speed = dropdown(legs, 'speed', 'Animation speed', (v) => h.onSpeed(Number(v)));
  fill(
    speed,
    SPEEDS.map((s) => ({ value: String(s), label: `${s}\u00d7` })),
    '1',
  );
  const filterRow = row('Filter');
  const filters = { vpc: '', state: '', finding: '' };
  const vpc = dropdown(filterRow, 'filter-vpc', 'Filter by VPC', (v) => h.onFilter({ ...filters, vpc: (filters.vpc = v) }));
  const state = dropdown(filterRow, 'filter-state', 'Filter by protection state', (v) =>
    h.onFilter({ ...filters, state: (filters.state = v) }),
  );
  const finding = dropdown(filterRow, 'filter-finding', 'Filter by finding', (v) =>
    h.onFilter({ ...filters, finding: (filters.finding = v) }),
  );
  const showRow = row('Show');
  checkbox(showRow, 'chk-rt', 'Route tables', true, h.onRouteTables);
  const vpcLevel = checkbox(showRow, 'chk-vpc-level', 'VPC level', false, h.onVpcLevel);
  const exportRow = row('Export');
  button(exportRow, 'btn-png', 'PNG', 'Export PNG', () => h.onExport('png'));
  button(exportRow, 'btn-svg', 'SVG', 'Export SVG', () => h.onExport('svg'));

  return {
    usesToolkit: toolkit,
    setPlaying(p) {
      playBtn.textContent = p ? '\u23f8 Pause' : '\u25b6 Play';
    },
    setSubjects(options, selected) {
      fill(subject, options, selected);
    },
    setFilterOptions(vpcs, states, findings) {
      fill(vpc, [{ value: '', label: 'All VPCs' }, ...vpcs], filters.vpc);
      fill(state, [{ value: '', label: 'Any state' }, ...states], filters.state);
      fill(finding, [{ value: '', label: 'Any finding' }, ...findings], filters.finding);
    },
    setSpeed(s) {
      const nearest = SPEEDS.reduce((a, b) => (Math.abs(b - s) < Math.abs(a - s) ? b : a));
      setValue(speed, String(nearest));
    },
    setStepLabel(text) {
      stepLabel.textContent = text;
    },
    setLayout(engine) {
      setValue(layout, engine);
    },
    setVpcLevel(on) {
      const input = vpcLevel.querySelector('input') ?? vpcLevel;
      (input as HTMLInputElement).checked = on;
    },
  };
}
