// The fit's camera on one axis (webview/camera.ts), in Node: the traced path's box whole, the drawing's edge
// shown whole rather than cut by a sliver.
import * as assert from 'node:assert/strict';
import { storyEdge } from '../../webview/camera';

describe('story fit camera (Node)', () => {
  // A drawing whose content runs from 0 (the Internet chip's top; 24 px of label room above it) to `hi`, seen
  // 760 px high at 100 % with 10 px of margin, the traced path's box (with its VPC) from 110 to 750.
  const top = 24;
  it("shows the drawing's top edge whole instead of cutting the Internet chip's top 2 px", () => {
    // Field (CheckPoint tgw_gwlb_master): the box centred, slid onto the drawing, cut the Internet chip by 2 px.
    const at = storyEdge(110, 750, 760, -top, 752, 1, 10);
    assert.ok(at <= 0, `the drawing's top is in view (view starts at ${at})`);
    assert.ok(at <= 110 - 10 && at + 760 >= 750 + 10, 'the box stays whole with its margin');
  });

  it('keeps the box centred where the drawing is cut by more than a sliver', () => {
    assert.equal(storyEdge(110, 750, 760, -top, 800, 1, 10), 50);
  });

  it("shows the drawing's bottom edge whole instead of cutting a sliver off it", () => {
    // Centred, the view would end at 990, 10 px above the drawing's bottom (1000).
    assert.equal(storyEdge(300, 920, 760, -top, 1000, 1, 10), 250);
  });

  it('fits a box bigger than the view from its top left', () => {
    assert.equal(storyEdge(100, 1000, 760, -top, 1200, 1, 10), 90);
  });
});
