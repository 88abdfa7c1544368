// The side panel (narration of each hop, legend) and the hover card. DOM is built with
// createElement/textContent only: every string here may come from a user's file.
import type { Script, Step } from './animation';
import { kindLabel, type GraphNode } from './graph';
import { stageName } from './stages';
import { STATE_COLOUR } from './style';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function stepText(s: Step): string {
  let t = s.hop.note || `${kindLabel(s.hop.kind)} ${s.hop.name}`;
  if (s.verdict)
    t += ` \u2014 ${s.verdict.decision === 'allow' ? 'allowed' : s.verdict.decision === 'deny' ? 'denied' : 'undecided'}${s.verdict.policyName ? ` by policy ${s.verdict.policyName}` : s.verdict.policy ? ` by policy ${s.verdict.policy}` : ''}: ${s.verdict.reason}`;
  return t;
}

export function stopText(s: Step): string | undefined {
  if (!s.stop) return undefined;
  if (s.stop.kind === 'loop') return `\u2716 routing loop at ${s.stop.at}`;
  return `\u2716 ${s.stop.kind === 'dropped' ? 'dropped' : 'unknown'}: ${s.stop.reason}`;
}

export interface Narration {
  show(script: Script | undefined): void;
  setCurrent(index: number, focus: boolean): void;
}

/** Ordered list of steps; roving tabindex so Tab lands on the current hop and arrows move along the path. */
export function createNarration(
  title: HTMLElement,
  summary: HTMLElement,
  list: HTMLOListElement,
  h: { onSelect(index: number): void; onReveal(index: number): void },
): Narration {
  let items: HTMLLIElement[] = [];
  list.addEventListener('keydown', (e) => {
    const i = items.indexOf(e.target as HTMLLIElement);
    if (i < 0) return;
    const go = (j: number): void => {
      e.preventDefault();
      e.stopPropagation();
      h.onSelect(Math.max(0, Math.min(items.length - 1, j)));
      items[Math.max(0, Math.min(items.length - 1, j))]?.focus();
    };
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') go(i + 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(items.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      h.onSelect(i);
      h.onReveal(i);
    }
  });
  list.addEventListener('click', (e) => {
    const li = (e.target as HTMLElement).closest('li');
    const i = li ? items.indexOf(li) : -1;
    if (i >= 0) {
      h.onSelect(i);
      h.onReveal(i);
    }
  });
  return {
    show(script) {
      list.replaceChildren();
      items = [];
      title.textContent = script ? script.title : 'Egress path';
      summary.textContent = script ? script.summary : 'Pick a subnet in the toolbar (or click one) and press Play.';
      if (!script) return;
      let leg: string | undefined;
      script.steps.forEach((s, i) => {
        if (s.leg !== leg) {
          leg = s.leg;
          const head = el('li', 'leg', s.leg === 'forward' ? 'Forward' : 'Return');
          head.setAttribute('role', 'presentation');
          list.appendChild(head);
        }
        const li = el('li', 'hop');
        li.tabIndex = i === 0 ? 0 : -1;
        li.dataset.index = String(i);
        li.dataset.element = s.hop.element;
        li.dataset.leg = s.leg;
        if (s.asym) li.classList.add('asym');
        if (s.diverge) li.classList.add('diverge');
        if (s.verdict) li.classList.add(`verdict-${s.verdict.decision}`);
        // Numbered as the step counter counts (1..N over both legs), headed by the design stage.
        const num = el('span', 'num', String(i + 1));
        num.title = `step ${i + 1} of ${script.steps.length}`;
        const legHops = script.steps.filter((x) => x.leg === s.leg).map((x) => x.hop);
        const stage = el('span', 'stage', stageName(legHops, legHops.indexOf(s.hop), s.leg));
        const text = el('span', 'text', stepText(s));
        li.append(num, stage, text);
        if (s.diverge)
          li.appendChild(el('span', 'flag', `\u26a0 return diverges here${script.divergenceReason ? ': ' + script.divergenceReason : ''}`));
        const stop = stopText(s);
        if (stop) li.appendChild(el('span', 'stop', stop));
        list.appendChild(li);
        items.push(li);
      });
    },
    setCurrent(index, focus) {
      items.forEach((li, i) => {
        const cur = i === index;
        li.classList.toggle('current', cur);
        li.classList.toggle('done', i < index);
        if (cur) li.setAttribute('aria-current', 'step');
        else li.removeAttribute('aria-current');
        li.tabIndex = cur || (index < 0 && i === 0) ? 0 : -1;
      });
      const cur = items[index];
      if (cur) {
        cur.scrollIntoView?.({ block: 'nearest' });
        if (focus) cur.focus();
      }
    },
  };
}

export function renderLegend(root: HTMLElement): void {
  root.replaceChildren();
  const states = el('div', 'legend-states');
  for (const [state, colour] of Object.entries(STATE_COLOUR)) {
    const item = el('span', 'legend-item');
    const sw = el('span', 'swatch');
    sw.style.backgroundColor = colour;
    item.append(sw, document.createTextNode(state));
    states.appendChild(item);
  }
  const edges = el('div', 'legend-edges');
  for (const [cls, text] of [
    ['path', 'egress path'],
    ['taken', 'hop taken'],
    ['asym', 'asymmetric return'],
    ['route', 'routes (hover a route table)'],
  ]) {
    const item = el('span', 'legend-item');
    item.append(el('span', `line ${cls}`), document.createTextNode(text));
    edges.appendChild(item);
  }
  root.append(states, edges, el('p', 'hint', 'Click a node: open its source. Double-click a subnet: trace it. \u2691n = findings.'));
}

export function showTooltip(tip: HTMLElement, n: GraphNode, x: number, y: number): void {
  tip.replaceChildren();
  tip.appendChild(el('strong', undefined, n.label.split('\n')[0]));
  const dl = el('dl');
  for (const [k, v] of n.details) dl.append(el('dt', undefined, k), el('dd', undefined, v));
  tip.appendChild(dl);
  tip.hidden = false;
  const parent = tip.parentElement?.getBoundingClientRect();
  const maxX = (parent?.width ?? 800) - tip.offsetWidth - 8;
  const maxY = (parent?.height ?? 600) - tip.offsetHeight - 8;
  tip.style.left = `${Math.max(4, Math.min(maxX, x + 14))}px`;
  tip.style.top = `${Math.max(4, Math.min(maxY, y + 14))}px`;
}
