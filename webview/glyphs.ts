// Our own small glyphs for the resources of the reference diagram (20x20 line drawings), as SVG
// data URIs for cytoscape's background-image (the page CSP admits `img-src data:`). Drawn in one
// stroke colour chosen per theme by style.ts, so they read on light, dark and high-contrast themes.

const PATHS: Record<string, string> = {
  // A gateway arch with the way out pointing up.
  igw: '<path d="M3 18V9.5L10 4l7 5.5V18"/><path d="M10 16V9m-3 3 3-3 3 3"/>',
  eigw: '<path d="M3 18V9.5L10 4l7 5.5V18"/><path d="M10 16V9m-3 3 3-3 3 3"/><path d="M7 18h6"/>',
  vgw: '<path d="M3 18V9.5L10 4l7 5.5V18"/><rect x="7" y="11" width="6" height="5" rx="1"/><path d="M8.5 11V9.5a1.5 1.5 0 0 1 3 0V11"/>',
  // Address translation: two opposed arrows.
  natgw: '<path d="M3 7h13m-3-3 3 3-3 3"/><path d="M17 13H4m3-3-3 3 3 3"/>',
  // An endpoint: a socket with its plug.
  gwlbe: '<circle cx="10" cy="10" r="7"/><circle cx="10" cy="10" r="2.2" fill="currentColor"/><path d="M10 3v2.5M10 14.5V17"/>',
  // A load balancer: one in, three out.
  gwlb: '<circle cx="5" cy="10" r="2.5"/><path d="M7.5 10h3M10.5 10 16 4.5M10.5 10H16.5M10.5 10 16 15.5"/>',
  loadBalancer: '<circle cx="5" cy="10" r="2.5"/><path d="M7.5 10h3M10.5 10 16 4.5M10.5 10H16.5M10.5 10 16 15.5"/>',
  // A firewall: a brick wall.
  firewall: '<rect x="2.5" y="4" width="15" height="12" rx="1"/><path d="M2.5 8h15M2.5 12h15M8 4v4M13 8v4M8 12v4"/>',
  gwlbFirewall: '<rect x="2.5" y="4" width="15" height="12" rx="1"/><path d="M2.5 8h15M2.5 12h15M8 4v4M13 8v4M8 12v4"/>',
  // A GWLB target that passes every packet back uninspected: an open frame, the arrow straight through it.
  passthrough: '<path d="M5 4.5H3.5v11H5M15 4.5h1.5v11H15"/><path d="M2 10h15.5m-3-3 3 3-3 3"/>',
  // A transit gateway: a hub and its spokes.
  tgw: '<circle cx="10" cy="10" r="3"/><path d="M10 7V2.5M10 13v4.5M7 10H2.5M13 10h4.5"/><circle cx="10" cy="2.5" r="1" /><circle cx="10" cy="17.5" r="1"/><circle cx="2.5" cy="10" r="1"/><circle cx="17.5" cy="10" r="1"/>',
  // A spoke/transit gateway: a hexagon with a route through it.
  aviatrixGateway: '<path d="M10 2.5 16.5 6.2v7.6L10 17.5 3.5 13.8V6.2z"/><path d="M6.5 10h7m-2.5-2.5L13.5 10 11 12.5"/>',
  // The internet: a cloud.
  internet: '<path d="M6 15.5h8.5a3.5 3.5 0 0 0 .3-7A5 5 0 0 0 5.2 9.6 3 3 0 0 0 6 15.5z"/>',
};

export function hasGlyph(kind: string): boolean {
  return kind in PATHS;
}

/** The glyph of a kind in one colour, as a data URI (undefined when the kind has none). */
export function glyphUri(kind: string, colour: string): string | undefined {
  const body = PATHS[kind];
  if (!body) return undefined;
  // Theme colours only ever look like #hex, rgb()/rgba() or a name; anything else is not put in markup.
  if (!/^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\)|[a-zA-Z]+)$/.test(colour)) colour = '#888888';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20" fill="none" stroke="${colour}" color="${colour}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}
