// Where the fit puts the view on one axis (pure, so the tests run it in Node): main.ts's fitStory calls it for
// the x and y axes of the traced path's box.

/**
 * Where the view's near edge goes on one axis (model coordinates) to show the box `r1`..`r2` in a view `view`
 * long at zoom `z` with `pad` screen px around it: centred on the box, then slid toward the rest of the drawing
 * (`lo`..`hi`) where the centring shows empty canvas, as far as the box stays whole in view. A box bigger than
 * the view (the fallback) shows its top left. A sliver of the drawing cut at its edge (the Internet chip's top
 * 2 px on a drawing a little taller than the panel) reads as a mistake: the view moves the few px (under 16
 * screen px) that show that edge whole, the top (or left) first, the box staying whole. The drawing's content
 * starts at 0 on both axes (`lo` is below it by the margin kept above the outermost box's label).
 */
export function storyEdge(r1: number, r2: number, view: number, lo: number, hi: number, z: number, pad: number): number {
  const m = pad / z;
  if (r2 - r1 > view - 2 * m) return r1 - m;
  let at = (r1 + r2 - view) / 2;
  at = hi - lo + 2 * m <= view ? (lo + hi - view) / 2 : Math.min(Math.max(at, lo - m), hi + m - view);
  const sliver = 16 / z;
  if (at > lo - m && at < sliver) at = lo - m;
  else if (at + view < hi + m && at + view > hi - sliver) at = hi + m - view;
  return Math.min(Math.max(at, r2 + m - view), r1 - m);
}
