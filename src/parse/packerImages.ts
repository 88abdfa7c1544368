// An instance launched from an AMI a Packer template of the inputs builds: its `ami` comes from a `data "aws_ami"`
// owned by the account itself (`owners = ["self"]`) whose name (or tag) filters every name (tag) the template gives
// its image, and no other template's image: the provisioning of that image (shell scripts, inline commands, files
// copied onto it) is then what the instance runs, read as its user data is (vocabulary/appliance.ts). Only a link
// the inputs prove counts: a name the template does not decide offline (`{{timestamp}}`, `timestamp()`) is matched
// only by a filter that takes every name starting with its decided prefix (`proxy-*` for `proxy-{{timestamp}}`), a
// lookup by owner alone (the account's newest image, whatever built it) or by a filter not read links nothing, and
// `tags` on an aws_ami lookup is no filter (the provider reads it back from the image).
import * as path from 'node:path';
import type { ApplianceEvidence, ForwardProxy, ImageLookup, Instance, SourceLocation } from '../model/types';
import { where } from '../model/where';
import type { ModelFragment } from './types';
import type { PackerImage, Piece } from './packer';
import { LineMap } from './locate';
import { applianceEvidence, forwardProxy, IMAGE_PROVISIONING, type BootstrapSource } from './vocabulary/appliance';

/** What the workspace knows of a file a template names: its text, absent (looked for, not there), or not read. */
export type PackerText = string | 'absent' | undefined;

/** Image attributes a filter may test that do not pick one image of the account among others (EC2 filter names). */
const ATTRIBUTE_FILTERS = new Set([
  'architecture',
  'virtualization-type',
  'root-device-type',
  'state',
  'image-type',
  'hypervisor',
  'ena-support',
  'boot-mode',
  'is-public',
]);

/** An EC2 filter value (`*` any run, `?` one character) against a text, whole. */
export function ec2Glob(glob: string, text: string): boolean {
  // Iterative wildcard match (no regex built from the input: no backtracking blow-up).
  let g = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      mark = t;
    } else if (star >= 0) {
      g = star + 1;
      t = ++mark;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

/**
 * Whether a filter value takes every text the pieces make: a decided text, matched whole; one with undecided parts,
 * only by a value ending in `*` whose rest matches a prefix of the decided text before the first undecided part.
 */
export function globCovers(glob: string, pieces: readonly Piece[]): boolean {
  const first = pieces.findIndex((p) => typeof p !== 'string');
  const decided = (first < 0 ? pieces : pieces.slice(0, first)).join('');
  if (first < 0) return ec2Glob(glob, decided);
  if (!glob.endsWith('*')) return false;
  const head = glob.slice(0, -1);
  for (let n = 0; n <= decided.length; n++) if (ec2Glob(head, decided.slice(0, n))) return true;
  return false;
}

/** Whether the lookup finds this image, and if not, why (for the note). */
function finds(l: ImageLookup, image: PackerImage): boolean {
  if (l.names.length > 0 && !(image.name && l.names.some((g) => globCovers(g, image.name!)))) return false;
  if (l.nameRegex !== undefined) {
    const name = image.name?.every((p) => typeof p === 'string') ? image.name.join('') : undefined;
    if (name === undefined) return false;
    try {
      if (!new RegExp(l.nameRegex).test(name)) return false;
    } catch {
      return false;
    }
  }
  for (const t of l.tags) {
    const v = image.tags.find((x) => x.key === t.key)?.value;
    if (!v || !t.values.some((g) => globCovers(g, v))) return false;
  }
  return true;
}

/** Why a lookup singles out no image of its own: undefined when it may (its owner is the account and it filters). */
function cannotLink(l: ImageLookup): string | undefined {
  const owners = [...new Set(l.owners ?? [])];
  if (owners.length !== 1 || owners[0] !== 'self') return undefined;
  const unread = l.others.filter((f) => !ATTRIBUTE_FILTERS.has(f));
  if (unread.length > 0) return `its image ${l.data} (${where(l.loc)}) is looked up with a filter not read here (${unread.join(', ')})`;
  if (l.names.length === 0 && l.nameRegex === undefined && l.tags.length === 0)
    return `its image ${l.data} (${where(l.loc)}) is the account's newest image, whatever built it: it filters by no name or tag (\`tags\` on an aws_ami lookup filters nothing)`;
  return undefined;
}

const HEREDOC_END = 'EGRESS_LENS_PACKER_FILE';

/**
 * An image's provisioning as one script in build order: inline commands and scripts as written, a copied file as a
 * heredoc writing its destination whole (what the file provisioner does), so squid.conf or an iptables rules file
 * reads as if the script wrote it. Offsets map back to the file or provisioner that wrote them.
 */
function provisioning(image: PackerImage, textOf: (file: string) => PackerText): { source: BootstrapSource; missing: string[] } {
  let text = '';
  const parts: { start: number; end: number; file?: string; base: number; lines?: LineMap; loc: SourceLocation }[] = [];
  /** Scripts it runs that the inputs do not hold (a copied file not read is passed over: nothing says it is used). */
  const missing: string[] = [];
  const add = (t: string, loc: SourceLocation, file?: string, base = 0) => {
    const start = text.length;
    text += t;
    parts.push({ start, end: text.length, base, loc, ...(file ? { file, lines: new LineMap(textOf(file) as string) } : {}) });
    text += '\n';
  };
  for (const s of image.steps) {
    if (s.kind === 'inline') add(s.text, s.loc);
    else if (s.kind === 'undecided') missing.push(s.what);
    else {
      const t = textOf(s.file);
      if (typeof t !== 'string' || t === 'absent') {
        if (s.kind === 'script') missing.push(`${s.file} (${where(s.loc)})${t === 'absent' ? ', absent' : ''}`);
        continue;
      }
      if (s.kind === 'script') add(t, s.loc, s.file);
      else {
        const dest = s.destination.endsWith('/') ? s.destination + path.posix.basename(s.file) : s.destination;
        text += `cat > ${dest} <<'${HEREDOC_END}'\n`;
        add(t, s.loc, s.file);
        text += `${HEREDOC_END}\n`;
      }
    }
  }
  const locate = (start: number, end: number): SourceLocation => {
    const p = parts.find((x) => start >= x.start && start <= x.end);
    if (!p) return image.loc;
    if (!p.lines || !p.file) return p.loc;
    return { file: p.file, range: p.lines.range(start - p.start, Math.min(end, p.end) - p.start) };
  };
  return { source: { text, locate }, missing };
}

/** What an image's provisioning says its instances run (the evidence's subject said as the image's). */
export function imageSoftware(
  image: PackerImage,
  lookup: ImageLookup,
  textOf: (file: string) => PackerText,
): { runs?: ApplianceEvidence; proxy?: ForwardProxy; note?: string } {
  const { source, missing } = provisioning(image, textOf);
  // A script it runs that the inputs do not hold may change anything the rest sets up: nothing is read of it.
  if (missing.length > 0)
    return {
      note: `its image is ${image.build} of the Packer template ${image.file} (${lookup.data} finds it), whose provisioning runs ${missing.join(', ')}: not in the inputs, so what it runs is not known`,
    };
  const subject = `${IMAGE_PROVISIONING} (${image.build} of the Packer template ${image.file}, which ${lookup.data} finds)`;
  const say = (why: string) => why.replace(/^its user data\b/, subject).replace(/\bits user data\b/g, IMAGE_PROVISIONING);
  const runs = applianceEvidence({ bootstraps: [source] });
  const proxy = forwardProxy({ bootstraps: [source] });
  return {
    ...(runs ? { runs: { ...runs, why: say(runs.why) } } : {}),
    ...(proxy ? { proxy: { ...proxy, why: say(proxy.why) } } : {}),
  };
}

/** The instance as its image makes it, or the same object when the images say nothing of it. */
function withImage(el: Instance, images: readonly PackerImage[], textOf: (file: string) => PackerText): Instance {
  const l = el.image;
  if (!l || images.length === 0) return el;
  // What the instance's own user data says stands (it runs after the image is built); a name is only a hint.
  if (el.runs && !el.runs.weak && !el.runs.byName) return el;
  const owners = [...new Set(l.owners ?? [])];
  if (owners.length !== 1 || owners[0] !== 'self') return el;
  const why = cannotLink(l);
  const templates = [...new Set(images.map((i) => i.file))].sort();
  if (why)
    return {
      ...el,
      imageNote: `${why}: the Packer template${templates.length > 1 ? 's' : ''} ${templates.join(', ')} of the inputs build${templates.length > 1 ? '' : 's'} images, and nothing in the lookup singles one out`,
    };
  const found = images.filter((i) => finds(l, i));
  if (found.length !== 1) {
    if (found.length === 0) return el;
    return {
      ...el,
      imageNote: `its image ${l.data} (${where(l.loc)}) matches the images of several Packer builds (${found
        .map((i) => `${i.build} of ${i.file}`)
        .sort()
        .join(', ')}): which one it finds is not in the inputs`,
    };
  }
  const sw = imageSoftware(found[0], l, textOf);
  if (sw.note) return { ...el, imageNote: sw.note };
  if (!sw.runs && !sw.proxy) return el;
  const out: Instance = { ...el };
  if (sw.runs) out.runs = sw.runs;
  if (sw.proxy && !el.proxy) out.proxy = sw.proxy;
  return out;
}

/** A fragment's elements with what images say of its instances: the same fragment object when nothing changes. */
export function bindPackerImages(
  fragment: ModelFragment,
  images: readonly PackerImage[],
  textOf: (file: string) => PackerText,
): ModelFragment {
  let changed = false;
  const elements = fragment.elements.map((e) => {
    if (e.kind !== 'instance' || !e.image) return e;
    const x = withImage(e, images, textOf);
    if (x !== e) changed = true;
    return x;
  });
  return changed ? { ...fragment, elements } : fragment;
}
