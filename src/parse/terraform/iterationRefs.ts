// `count.*` in a resource, data or module block without `count`, or `each.*` in one without `for_each`: Terraform
// refuses to plan the configuration ('Reference to "count" in non-counted context', 'Reference to "each" in context
// without for_each'). Read from the syntax of one file (F139): the evaluator says Unknown for the value, and this
// says, at the reference, that the configuration cannot plan as written.
import type { Block, Expr, FileAst, Span } from './ast';

type Name = 'count' | 'each';
const META: Record<Name, string> = { count: 'count', each: 'for_each' };
const TERRAFORM_SAYS: Record<Name, string> = {
  count: 'Reference to "count" in non-counted context',
  each: 'Reference to "each" in context without for_each',
};

export interface IterationReference {
  span: Span;
  message: string;
}

/**
 * The first reference to each of `count` and `each` in every top-level resource, data or module block that lacks
 * the argument it needs. A name bound by a `for` expression or a dynamic block's iterator is that variable, not
 * Terraform's object.
 */
export function iterationReferences(ast: FileAst, text: string): IterationReference[] {
  const out: IterationReference[] = [];
  for (const b of ast.blocks) {
    if (b.type !== 'resource' && b.type !== 'data' && b.type !== 'module') continue;
    for (const name of ['count', 'each'] as const) {
      if (b.attrs.has(META[name])) continue;
      const hits: Expr[] = [];
      inBlock(b, name, false, hits);
      if (hits.length === 0) continue;
      // The first in the text (attributes and nested blocks are kept apart in the syntax tree).
      const hit = hits.reduce((a, x) => (x.s.start < a.s.start ? x : a));
      const what = `${b.type} ${b.labels.map((l) => `"${l}"`).join(' ')}`;
      out.push({
        span: hit.s,
        message: `${text.slice(hit.s.start, hit.s.end)} is used in ${what}, which has no ${META[name]}: Terraform refuses to plan this configuration (${TERRAFORM_SAYS[name]}); what depends on it is Unknown`,
      });
    }
  }
  return out;
}

function inBlock(b: Block, name: Name, shadowed: boolean, hits: Expr[]): void {
  for (const a of b.attrs.values()) inExpr(a.expr, name, shadowed, hits);
  for (const c of b.blocks) {
    if (c.type !== 'dynamic') {
      inBlock(c, name, shadowed, hits);
      continue;
    }
    // A dynamic block: its for_each is read outside it; its content binds the iterator (the label by default).
    const each = c.attrs.get('for_each');
    if (each) inExpr(each.expr, name, shadowed, hits);
    const it = c.attrs.get('iterator')?.expr;
    const iterator = it?.k === 'var' ? it.name : c.labels[0];
    for (const content of c.blocks) inBlock(content, name, shadowed || iterator === name, hits);
  }
}

function inExpr(e: Expr, name: Name, shadowed: boolean, hits: Expr[]): void {
  const all = (...xs: (Expr | undefined)[]): void => {
    for (const x of xs) if (x) inExpr(x, name, shadowed, hits);
  };
  switch (e.k) {
    case 'lit':
    case 'var':
    case 'bad':
      return;
    case 'attr':
      if (e.obj.k === 'var' && e.obj.name === name) {
        if (!shadowed) hits.push(e);
        return;
      }
      return all(e.obj);
    case 'index':
      return all(e.obj, e.key);
    case 'tmpl':
      return all(...e.parts.filter((p): p is Expr => typeof p !== 'string'));
    case 'tuple':
      return all(...e.items);
    case 'object':
      return all(...e.entries.flatMap((x) => [x.key, x.value]));
    case 'splat':
      return all(e.obj, ...e.steps.flatMap((st) => ('index' in st ? [st.index] : [])));
    case 'call':
      return all(...e.args);
    case 'cond':
      return all(e.c, e.a, e.b);
    case 'unop':
      return all(e.x);
    case 'binop':
      return all(e.l, e.r);
    case 'for': {
      all(e.coll);
      const bound = shadowed || e.valVar === name || e.keyVar === name;
      for (const x of [e.key, e.value, e.cond]) if (x) inExpr(x, name, bound, hits);
      return;
    }
  }
}
