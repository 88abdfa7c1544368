// The workspace index: a set of files turned into one merged NetworkModel. Each file is parsed
// when it changes and cached; Terraform files go to the TerraformIndex (modules and references
// span files there). build() merges the cached fragments and is memoised until the next change;
// the merge is incremental (FragmentMerger): after one changed file it costs about that file's size,
// and the elements of unchanged files stay the same objects from one build to the next.
import type { NetworkModel } from '../model/types';
import { resourceShape } from '../model/refs';
import { DEFAULT_MAX_FILE_BYTES, type InputFormat, type ModelFragment, type ParseOptions } from './types';
import type { ParseDiagnostic, TerraformRoot } from '../model/inputs';
import { detectFormat } from './detect';
import { detectDamage } from './damage';
import { fileStart } from './locate';
import { FragmentMerger } from './merge';
import { FragmentOverlaps } from './subnetOverlap';
import { parseAwsCli } from './awsCli';
import { parseCloudFormation } from './cloudformation';
import { stackParameters } from './cfnStacks';
import { parseTfPlan } from './tfPlan';
import { parseAviatrixExport } from './aviatrixExport';
import { bindAzureCli, parseAzureCli, withAzureCliMarks } from './azureCli';
import { initTerraform, TerraformIndex } from './terraform';
import { isVarFile, namedVarFiles } from './terraform/rootVars';
import { panosBootstrapXml } from './vocabulary/panosPolicy';
import { packerWants, parsePacker, type PackerImage } from './packer';
import { bindPackerImages, type PackerText } from './packerImages';

export interface WorkspaceFileInfo {
  file: string;
  format: InputFormat | 'ignored';
  elements: number;
  /** Why a file was skipped (too large, unknown shape), for the output channel. */
  skippedReason?: string;
}

export interface WorkspaceBuild {
  /**
   * Elements sorted by id. From one build to the next, an element whose file and whose references'
   * targets did not change is the very same object (===); an element is never modified once built.
   */
  model: NetworkModel;
  diagnostics: ParseDiagnostic[];
  files: WorkspaceFileInfo[];
  parseMs: number;
  /**
   * Ids whose element differs from the previous build's: added, removed, or not the same object
   * (e.g. its file changed, or a reference it makes now resolves differently). Every other element is
   * === the previous build's. Undefined on the first build.
   */
  changedIds?: ReadonlySet<string>;
  /**
   * Files set with a different text, removed, or whose Terraform fragment is a new object, since the
   * previous build. Diagnostics of other files can change too (a missing reference into a changed
   * file). Undefined on the first build.
   */
  changedFiles?: ReadonlySet<string>;
  /** Terraform root modules and the var files applied to each (empty without Terraform). */
  terraformRoots: TerraformRoot[];
  /**
   * CloudFormation parameter values the user gives (ParseOptions.cfnUser) that no template takes, and why: no
   * template of the inputs declares the name, or only nested stacks do (their parent gives their parameters).
   * Absent when every value is taken (or none is given).
   */
  cfnUserUnused?: { name: string; why: string }[];
}

export interface Workspace {
  /** Add or replace one file's text. Cheap for unrelated files (cached). */
  setFile(file: string, text: string): void;
  removeFile(file: string): void;
  /** Merge all fragments into one model, resolving cross-file references. Memoised until a change. */
  build(): WorkspaceBuild;
  /**
   * Terraform inputs not given yet that the configuration reads: folders of called modules (their
   * .tf files) and, for each root folder, `.terraform/modules/modules.json` if it exists.
   */
  terraformWants(): { dirs: string[]; files: string[]; packer?: true };
  /** A wanted module folder the front end did not read, and why: the module call's diagnostic says so. */
  terraformNotRead(dir: string, reason: string): void;
  /** Whether the Terraform configuration reads this file as text (`file()`, a template): its edits matter. */
  terraformReads(file: string): boolean;
  /**
   * A wanted file the front end looked for inside the read roots (links resolved) and found none: `fileexists()` is
   * false and `file()` fails, as in Terraform. Only for a file really looked for: one outside the read roots, a link
   * leading out of them or one that cannot be read stays unknown (never call this for those). A wanted file that is
   * not read as text (a module manifest) is no matter. True when that changed the model.
   */
  terraformAbsent(file: string): boolean;
}

export type FileParser = (file: string, text: string, opts?: ParseOptions) => ModelFragment;

/** Every non-Terraform parser, by format. */
export const PARSERS: Record<Exclude<InputFormat, 'terraform'>, FileParser> = {
  'terraform-plan': parseTfPlan,
  cloudformation: parseCloudFormation,
  'aws-cli': parseAwsCli,
  'aviatrix-export': parseAviatrixExport,
  'azure-cli': parseAzureCli,
  packer: (file, text) => parsePacker(file, text),
};

/** What the workspace needs from the Terraform parser (src/parse/terraform's TerraformIndex). */
export interface TerraformEngine {
  setFile(file: string, text: string): void;
  removeFile(file: string): void;
  build(): ModelFragment[];
  roots?(): TerraformRoot[];
  wants?(): { dirs: string[]; files: string[] };
  notRead?(dir: string, reason: string): boolean;
  /** Whether the configuration reads this file as text (`file()`, a `templatefile` of user data). */
  reads?(file: string): boolean;
  /** A wanted file looked for and not found (Workspace.terraformAbsent); true when that changed the model. */
  absent?(file: string): boolean;
}

export interface WorkspaceOptions extends ParseOptions {
  wasmDir?: string;
  /** Replaces the Terraform parser (tests); `null` disables Terraform. */
  terraform?: TerraformEngine | null;
  /** Called before each parse of a file (tests count re-parses with it). */
  onParse?: (file: string, format: InputFormat) => void;
}

/**
 * Texts up to this many characters are kept to skip a setFile with an unchanged text (editors and
 * watchers report saves that change nothing). Larger ones are not kept: at 10,000 VPCs the exports
 * alone are half a gigabyte, and re-parsing a big file that did not change yields the same elements
 * (the merge keeps equal elements as the same objects), so nothing downstream is redone.
 */
const KEEP_TEXT_CHARS = 1 << 20;

/**
 * Per-format ceilings, whatever the size cap: one file of these formats above them is refused at
 * once. Measured (docs/benchmarks.md): a 5 MB template takes 0.4-0.8 GB and half a minute, a 5 MB
 * .tf file 1.7 GB; real ones are far smaller (CloudFormation accepts 1 MB; the largest .tf file of
 * the field corpus is under 300 KB). Exports and plans have no ceiling: their memory is stated.
 */
const FORMAT_CEILING: Partial<Record<InputFormat, number>> = { cloudformation: 2 * 1024 * 1024, terraform: 2 * 1024 * 1024 };
const CEILING_WHY: Partial<Record<InputFormat, string>> = {
  cloudformation: 'CloudFormation itself accepts templates up to 1 MB',
  terraform: 'split it into several files: each is parsed on its own',
};

interface Entry {
  /** The file's text when it is small enough to keep (KEEP_TEXT_CHARS). */
  text?: string;
  format: InputFormat | 'ignored';
  fragment?: ModelFragment;
  skippedReason?: string;
  /** CloudFormation: the parameter values (JSON) given by a deploying template that the fragment was parsed with. */
  boundWith?: string;
  /** CloudFormation: the workspace's PAN-OS bootstrap.xml choice the fragment was parsed with (bootsFromBucket). */
  boundXml?: string;
  /** CloudFormation: the other templates' exports (JSON) the fragment was parsed with, for its imports. */
  boundExports?: string;
  /** Azure CLI export: the fragment as parsed, before bindAzureCli marked routes of it (`fragment` is then the marked one). */
  parsed?: ModelFragment;
  /** Azure CLI export: the marks (JSON) `fragment` carries. */
  boundNics?: string;
  /** A bootstrap.xml: whether it is a PAN-OS configuration (asked once per text). */
  panos?: boolean;
  /** A PAN-OS bootstrap.xml a template's VM-Series takes as its bucket's (listed as read, not skipped). */
  xmlTaken?: boolean;
  /**
   * An input of another format that the Terraform configuration also reads as text (`file("plan.json")`,
   * `template_body = file("cfn.yaml")`): its text is handed to the Terraform engine too (review R8).
   */
  alsoText?: boolean;
}

async function loadTerraform(opts: WorkspaceOptions): Promise<{ engine?: TerraformEngine; error?: string }> {
  try {
    await initTerraform({ wasmDir: opts.wasmDir });
    return {
      engine: new TerraformIndex({
        maxFileBytes: opts.maxFileBytes,
        terraformVariables: opts.terraformVariables,
        readRoots: opts.readRoots,
      }),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export async function createWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  let tf: TerraformEngine | undefined;
  let tfError: string | undefined;
  if (options.terraform !== undefined) tf = options.terraform ?? undefined;
  else ({ engine: tf, error: tfError } = await loadTerraform(options));
  return new WorkspaceIndex(options, tf, tfError);
}

export class WorkspaceIndex implements Workspace {
  private readonly entries = new Map<string, Entry>();
  private readonly maxBytes: number;
  private memo: WorkspaceBuild | undefined;
  private tfFragments: ModelFragment[] = [];
  private tfDirty = false;
  private pendingMs = 0;
  private readonly merger = new FragmentMerger();
  /** overlapping-subnets of the Terraform and plan inputs, kept between builds (only changed fragments re-read). */
  private readonly overlapChecker = new FragmentOverlaps();
  /** .tf fragments without the placeholders a plan decided (planDecided), per fragment. */
  private readonly planTrimmed = new WeakMap<ModelFragment, { key: string; frag: ModelFragment }>();
  /** Files whose text changed (or that went) since the previous build. */
  private touched = new Set<string>();
  private builds = 0;
  /** Files a Packer template's image reads (scripts, copied files) that the front end looked for and found none. */
  private readonly packerAbsent = new Set<string>();
  /** Terraform fragments as Packer images bind them (bindPackerImages), per fragment, kept while the binding is the same. */
  private readonly imageBound = new WeakMap<ModelFragment, { sig: string; frag: ModelFragment }>();
  /** Files the user names as Terraform variables files: Terraform's, whatever their names or contents look like. */
  private readonly namedVars: ReadonlySet<string>;

  constructor(
    private readonly opts: WorkspaceOptions,
    private readonly tf: TerraformEngine | undefined,
    private readonly tfError?: string,
  ) {
    this.maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.namedVars = namedVarFiles(opts.terraformVariables);
  }

  setFile(file: string, text: string): void {
    const prev = this.entries.get(file);
    // A file ignored until the Terraform configuration turned out to read it (a template) is read now.
    const nowRead = prev?.format === 'ignored' && this.tf?.reads?.(file) === true;
    if (prev && prev.text !== undefined && prev.text === text && !nowRead) {
      // An input of another format the configuration turned out to read as text (known after a build): hand it over.
      if (prev.format !== 'terraform' && !prev.alsoText && this.tf?.reads?.(file)) {
        this.tf.setFile(file, text);
        prev.alsoText = true;
        this.tfDirty = true;
        this.memo = undefined;
      }
      return;
    }
    const kept = text.length <= KEEP_TEXT_CHARS ? text : undefined;
    const t0 = performance.now();
    this.memo = undefined;
    this.touched.add(file);
    // A file that stays Terraform is replaced in the engine (not removed and added again, which
    // would move it to the end of the engine's file order).
    const wasTerraform = prev?.format === 'terraform' || prev?.alsoText === true;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxBytes) {
      const mb = (bytes / 1024 / 1024).toFixed(1);
      if (wasTerraform) this.dropTerraform(file);
      const reason = `file is ${mb} MB, over the ${(this.maxBytes / 1024 / 1024).toFixed(1)} MB limit`;
      const fragment: ModelFragment = {
        file,
        // Not parsed, so not detected: the extension is the only hint. The entry itself is 'ignored'.
        format: /\.tf$/i.test(file) ? 'terraform' : /\.ya?ml$/i.test(file) ? 'cloudformation' : 'aws-cli',
        elements: [],
        diagnostics: [{ code: 'file-too-large', severity: 'warning', message: `Skipped: ${reason}`, loc: fileStart(file) }],
      };
      this.entries.set(file, { text: kept, format: 'ignored', fragment, skippedReason: reason });
      this.pendingMs += performance.now() - t0;
      return;
    }
    const format: InputFormat | undefined = isVarFile(file, this.namedVars)
      ? 'terraform'
      : (detectFormat(file, text) ?? (this.tf?.reads?.(file) ? 'terraform' : undefined));
    const ceiling = format ? FORMAT_CEILING[format] : undefined;
    if (format && ceiling !== undefined && bytes > ceiling) {
      // Refused before parsing: past this size the parser's memory grows far beyond the file's.
      if (wasTerraform) this.dropTerraform(file);
      const reason = `${(bytes / 1024 / 1024).toFixed(1)} MB is over the ${(ceiling / 1024 / 1024).toFixed(0)} MB a ${format === 'terraform' ? 'Terraform' : 'CloudFormation'} file may have here (${CEILING_WHY[format]})`;
      const fragment: ModelFragment = {
        file,
        format,
        elements: [],
        diagnostics: [{ code: 'file-too-large', severity: 'warning', message: `Skipped: ${reason}`, loc: fileStart(file) }],
      };
      this.entries.set(file, { text: kept, format: 'ignored', fragment, skippedReason: reason });
      this.pendingMs += performance.now() - t0;
      return;
    }
    if (wasTerraform && format !== 'terraform') this.dropTerraform(file);
    const damage = format ? undefined : detectDamage(file, text);
    if (damage) {
      this.entries.set(file, {
        text: kept,
        format: damage.format,
        fragment: { file, format: damage.format, elements: [], diagnostics: damage.diagnostics },
      });
    } else if (!format) {
      this.entries.set(file, { text: kept, format: 'ignored', skippedReason: 'not a recognised network-as-code format' });
    } else if (format === 'terraform') {
      this.opts.onParse?.(file, format);
      if (this.tf) {
        this.tf.setFile(file, text);
        this.tfDirty = true;
        this.entries.set(file, { text: kept, format });
      } else {
        this.entries.set(file, {
          text: kept,
          format: 'ignored',
          skippedReason: `Terraform parser unavailable${this.tfError ? `: ${this.tfError}` : ''}`,
        });
      }
    } else {
      this.opts.onParse?.(file, format);
      const fragment = safeParse(PARSERS[format], file, text, format, this.opts);
      this.entries.set(file, { text: kept, format, fragment });
    }
    // An input of another format (or a damaged one) that the configuration reads as text: the engine gets its text.
    const entry = this.entries.get(file);
    if (entry && format !== 'terraform' && this.tf?.reads?.(file)) {
      this.tf.setFile(file, text);
      entry.alsoText = true;
      this.tfDirty = true;
    }
    this.pendingMs += performance.now() - t0;
  }

  terraformWants(): { dirs: string[]; files: string[]; packer?: true } {
    const tf = this.tf?.wants?.() ?? { dirs: [], files: [] };
    // The scripts and files a Packer template's images read: files of the repository, read like a template's.
    const packer = this.packerImages().flatMap((i) => packerWants([i]));
    const more = packer.filter((f) => !this.entries.has(f) && !this.packerAbsent.has(f) && !tf.files.includes(f));
    const out = more.length > 0 ? { dirs: tf.dirs, files: [...tf.files, ...new Set(more)] } : tf;
    // An instance whose image the account builds itself (a lookup owned by `self`): a Packer template of the
    // repository may build it, wherever it is (the front end searches its read roots).
    const selfBuilt = this.tfFragments.some((f) => f.elements.some((e) => e.kind === 'instance' && e.image?.owners?.includes('self')));
    return selfBuilt ? { ...out, packer: true } : out;
  }

  /** Every Packer image of the inputs, in file order. */
  private packerImages(): PackerImage[] {
    const out: PackerImage[] = [];
    for (const en of this.entries.values()) if (en.format === 'packer' && en.fragment?.packerImages) out.push(...en.fragment.packerImages);
    return out;
  }

  /** Terraform fragments with what the Packer images of the inputs say of their instances (parse/packerImages.ts). */
  private withImages(tf: ModelFragment[]): ModelFragment[] {
    const images = this.packerImages();
    if (images.length === 0) return tf;
    const textOf = (file: string): PackerText => (this.packerAbsent.has(file) ? 'absent' : this.entries.get(file)?.text);
    return tf.map((f) => {
      const bound = bindPackerImages(f, images, textOf);
      if (bound === f) return f;
      // The same binding as the previous build's keeps the previous fragment (its elements the same objects).
      const sig = JSON.stringify(bound.elements.filter((e, i) => e !== f.elements[i]));
      const prev = this.imageBound.get(f);
      if (prev?.sig === sig) return prev.frag;
      this.imageBound.set(f, { sig, frag: bound });
      return bound;
    });
  }

  terraformReads(file: string): boolean {
    return this.tf?.reads?.(file) === true;
  }

  terraformAbsent(file: string): boolean {
    if (!this.packerAbsent.has(file) && this.packerImages().some((i) => packerWants([i]).includes(file))) {
      this.packerAbsent.add(file);
      this.memo = undefined;
      this.tf?.absent?.(file);
      return true;
    }
    if (!this.tf?.absent?.(file)) return false;
    this.tfDirty = true;
    this.memo = undefined;
    return true;
  }

  terraformNotRead(dir: string, reason: string): void {
    if (!this.tf?.notRead?.(dir, reason)) return;
    this.tfDirty = true;
    this.memo = undefined;
  }

  removeFile(file: string): void {
    const prev = this.entries.get(file);
    if (!prev) return;
    this.memo = undefined;
    this.touched.add(file);
    if (prev.format === 'terraform' || prev.alsoText) this.dropTerraform(file);
    this.entries.delete(file);
  }

  /**
   * `overlapping-subnets` over the merged model, for the subnets of Terraform and plan JSON inputs (each root module
   * one configuration deployed together). CloudFormation checks each template itself (it knows which Conditions are open; two templates
   * may be alternatives); exports describe what the cloud already accepted, or a subnet a .tf also writes.
   */
  private overlaps(fragments: readonly ModelFragment[]): ParseDiagnostic[] {
    const roots = (this.tf?.roots?.() ?? []).map((r) => r.label);
    return this.overlapChecker.check(
      fragments.filter((f) => f.format === 'terraform' || f.format === 'terraform-plan'),
      roots,
    );
  }

  private dropTerraform(file: string): void {
    this.tf?.removeFile(file);
    this.tfDirty = true;
  }

  /**
   * A plan JSON decided what the .tf leaves undecided: where the .tf gives a placeholder instance (`x["?"]`, its
   * count or for_each not known offline) of a resource the plan holds instances of (`x[0]`, `x["a"]`), the plan's
   * instances stand and the placeholder goes (the .tf's other elements fold with their plan twins by id). A
   * fragment that loses nothing is passed on as is, and one that does is the same object until that changes.
   */
  private planDecided(tf: ModelFragment[], others: ModelFragment[]): ModelFragment[] {
    let shapes: Set<string> | undefined;
    for (const f of others) {
      if (f.format !== 'terraform-plan') continue;
      for (const e of f.elements) if (e.id.includes('[')) (shapes ??= new Set()).add(resourceShape(e.id));
    }
    if (!shapes) return tf;
    return tf.map((f) => {
      const keep = f.elements.filter((e) => !(e.undecided && e.id.includes('["?"]') && shapes.has(resourceShape(e.id))));
      if (keep.length === f.elements.length) return f;
      const key = f.elements
        .filter((e) => !keep.includes(e))
        .map((e) => e.id)
        .join('\n');
      const prev = this.planTrimmed.get(f);
      if (prev?.key === key) return prev.frag;
      const frag: ModelFragment = { ...f, elements: keep };
      this.planTrimmed.set(f, { key, frag });
      return frag;
    });
  }

  build(): WorkspaceBuild {
    if (this.memo) return this.memo;
    const t0 = performance.now();
    if (this.tfDirty && this.tf) {
      try {
        this.tfFragments = this.tf.build();
      } catch (e) {
        // Keep what every other file contributed.
        this.tfFragments = [];
        const first = [...this.entries.entries()].find(([, en]) => en.format === 'terraform')?.[0] ?? '';
        this.tfFragments.push({
          file: first,
          format: 'terraform',
          elements: [],
          diagnostics: [
            {
              code: 'internal-error',
              severity: 'error',
              message: `Terraform parser failed: ${(e as Error).message}`,
              loc: fileStart(first),
            },
          ],
        });
      }
      this.tfDirty = false;
    }
    bindTemplates(this.entries, this.opts, this.touched);
    bindAzureExports(this.entries, this.touched);
    const others: ModelFragment[] = [];
    for (const en of this.entries.values()) if (en.fragment) others.push(en.fragment);
    const fragments: ModelFragment[] = [...this.withImages(this.planDecided(this.tfFragments, others)), ...others];
    const merged = this.merger.update(fragments);
    const diagnostics = [...fragments.flatMap((f) => f.diagnostics), ...merged.diagnostics, ...this.overlaps(fragments)];
    const packerRead = new Set(packerWants(this.packerImages()));
    const tfCounts = new Map<string, number>();
    for (const f of this.tfFragments) tfCounts.set(f.file, (tfCounts.get(f.file) ?? 0) + f.elements.length);
    const files: WorkspaceFileInfo[] = [...this.entries.entries()]
      .map(([file, en]) => {
        const info: WorkspaceFileInfo = {
          file,
          // A bootstrap.xml a template's VM-Series reads is a CloudFormation input, as a template file Terraform reads is Terraform.
          format: en.xmlTaken && en.format === 'ignored' ? 'cloudformation' : en.format,
          elements: en.format === 'terraform' ? (tfCounts.get(file) ?? 0) : (en.fragment?.elements.length ?? 0),
        };
        if (en.format === 'ignored' && packerRead.has(file)) info.format = 'packer';
        else if (en.skippedReason && !en.xmlTaken) info.skippedReason = en.skippedReason;
        return info;
      })
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const parseMs = this.pendingMs + (performance.now() - t0);
    this.pendingMs = 0;
    const model: NetworkModel = { elements: merged.elements };
    if (fragments.some((f) => f.moduleInstances)) model.moduleInstances = true;
    const suppressions = fragments.flatMap((f) => f.suppressions ?? []);
    if (suppressions.length > 0) model.suppressions = suppressions;
    this.memo = { model, diagnostics, files, parseMs, terraformRoots: this.tf?.roots?.() ?? [] };
    const unused = this.opts.cfnUser?.parameters ? cfnUserUnused(this.entries, this.opts.cfnUser.parameters) : [];
    if (unused.length > 0) this.memo.cfnUserUnused = unused;
    if (this.builds++ > 0) {
      if (merged.changedIds) this.memo.changedIds = merged.changedIds;
      this.memo.changedFiles = new Set([...this.touched, ...merged.changedFiles]);
    }
    this.touched = new Set();
    return this.memo;
  }
}

/**
 * Re-parse CloudFormation templates with what other files of the workspace give them, when that changed: the
 * parameter values a deploying template gives (cfnStacks.ts), and, for a template whose VM-Series boots from a
 * bucket a parameter names, the workspace's PAN-OS bootstrap.xml (panosBootstrapChoice), and, for a template
 * that imports values (`Fn::ImportValue`), the other templates' exports. A few rounds for stacks nested in stacks
 * and exports of values imported in turn.
 */
function bindTemplates(entries: Map<string, Entry>, opts: ParseOptions, touched: Set<string>): void {
  for (let round = 0; round < 4; round++) {
    const cfn = [...entries.entries()].filter(([, en]) => en.format === 'cloudformation' && en.fragment);
    const stacks = cfn.some(([, en]) => en.fragment!.stacks || en.boundWith);
    const xmlWanted = cfn.some(([, en]) => en.fragment!.bootsFromBucket || en.boundXml);
    const importing = cfn.some(([, en]) => en.fragment!.imports || en.boundExports);
    if (!stacks && !xmlWanted && !importing) break;
    const exported = importing ? cfn.flatMap(([file, en]) => (en.fragment!.exports ? [{ file, exports: en.fragment!.exports }] : [])) : [];
    // With the user's parameter values, every deployed template is marked so: a nested stack takes none of them.
    const everyDeployed = opts.cfnUser?.parameters !== undefined;
    const given = stacks
      ? stackParameters(
          cfn.map(([file, en]) => ({ file, stacks: en.fragment!.stacks })),
          everyDeployed,
        )
      : new Map();
    const xml = xmlWanted ? panosBootstrapChoice(entries) : undefined;
    let changed = false;
    for (const [file, en] of cfn) {
      const g = given.get(file);
      const sig = g ? JSON.stringify(g) : undefined;
      const x = en.fragment!.bootsFromBucket ? xml : undefined;
      const xsig = x === undefined ? undefined : 'several' in x ? `\n${x.several.join('\n')}` : `${x.file}\n${x.why}\n${x.text}`;
      const ex = en.fragment!.imports ? exported.filter((t) => t.file !== file) : [];
      const esig = ex.length > 0 ? JSON.stringify(ex) : undefined;
      // A text too large to keep stays as first parsed.
      if ((sig === en.boundWith && xsig === en.boundXml && esig === en.boundExports) || en.text === undefined) continue;
      const o: ParseOptions = {
        ...opts,
        ...(g ? { cfnParameters: g } : {}),
        ...(x ? { panosBootstrap: x } : {}),
        ...(ex.length > 0 ? { cfnExports: ex } : {}),
      };
      en.fragment = safeParse(PARSERS.cloudformation, file, en.text, 'cloudformation', o);
      en.boundWith = sig;
      en.boundXml = xsig;
      en.boundExports = esig;
      touched.add(file);
      changed = true;
    }
    if (!changed) break;
  }
  // Which bootstrap.xml a template took, for the file list (a choice among several starts with a line break).
  const taken = new Set<string>();
  for (const en of entries.values()) if (en.format === 'cloudformation' && en.boundXml) taken.add(en.boundXml.split('\n')[0]);
  for (const [file, en] of entries) if (en.panos !== undefined) en.xmlTaken = taken.has(file);
}

/** The user's CloudFormation parameter values no template takes (WorkspaceBuild.cfnUserUnused). */
function cfnUserUnused(entries: Map<string, Entry>, values: Record<string, unknown>): { name: string; why: string }[] {
  const declaredBy = new Map<string, string[]>();
  const applied = new Set<string>();
  for (const [file, en] of entries) {
    const u = en.format === 'cloudformation' ? en.fragment?.cfnUserParameters : undefined;
    if (!u) continue;
    for (const n of u.applied) applied.add(n);
    for (const n of u.declared) declaredBy.set(n, [...(declaredBy.get(n) ?? []), file]);
  }
  const out: { name: string; why: string }[] = [];
  for (const name of Object.keys(values)) {
    if (applied.has(name)) continue;
    const by = declaredBy.get(name);
    out.push({
      name,
      why: by
        ? `only ${by.sort().join(', ')} declare${by.length === 1 ? 's' : ''} it, and the template deploying ${by.length === 1 ? 'it' : 'them'} gives its value (a nested stack takes no value from outside its parent)`
        : 'no CloudFormation template of the inputs declares it',
    });
  }
  return out;
}

/**
 * Azure CLI exports: a route of one file whose next hop is a network interface of another that does not forward,
 * or an internal load balancer's frontend, and load balancer pool members that are NICs of another file
 * (bindAzureCli). A file whose marks changed gets a new fragment (from the one parsed, which is kept).
 */
function bindAzureExports(entries: Map<string, Entry>, touched: Set<string>): void {
  const az: [string, Entry][] = [];
  for (const [file, en] of entries) if (en.format === 'azure-cli' && en.fragment) az.push([file, en]);
  if (az.length === 0) return;
  for (const [, en] of az) en.parsed ??= en.fragment;
  const marks = bindAzureCli(az.map(([file, en]) => ({ file, links: en.parsed!.azureCli })));
  for (const [file, en] of az) {
    const m = marks.get(file);
    const sig = m ? JSON.stringify([[...m.routes], [...m.members]]) : undefined;
    if (sig === en.boundNics) continue;
    en.fragment = m ? withAzureCliMarks(en.parsed!, m) : en.parsed!;
    en.boundNics = sig;
    touched.add(file);
  }
}

const BOOTSTRAP_XML = /(^|\/)bootstrap\.xml$/i;

/**
 * The PAN-OS bootstrap.xml a VM-Series booting from a bucket a CloudFormation parameter names takes as that
 * bucket's: the workspace's only one, or, among several, the only one in a `config/` folder (the layout of a
 * bootstrap bucket: config/init-cfg.txt, config/bootstrap.xml); `several` when none can be picked.
 */
function panosBootstrapChoice(entries: Map<string, Entry>): ParseOptions['panosBootstrap'] {
  const found: [string, string][] = [];
  for (const [file, en] of entries) {
    if (!BOOTSTRAP_XML.test(file) || en.text === undefined) continue;
    const text = en.text;
    en.panos ??= panosBootstrapXml(text, () => fileStart(file)) !== undefined;
    if (en.panos) found.push([file, text]);
  }
  if (found.length === 0) return undefined;
  if (found.length === 1) return { file: found[0][0], text: found[0][1], why: "the workspace's only PAN-OS bootstrap.xml" };
  const inConfig = found.filter(([f]) => /(^|\/)config\/bootstrap\.xml$/i.test(f));
  if (inConfig.length === 1)
    return {
      file: inConfig[0][0],
      text: inConfig[0][1],
      why: `the only one of the workspace's ${found.length} PAN-OS bootstrap.xml files in a config/ folder (a bootstrap bucket's layout)`,
    };
  return { several: found.map(([f]) => f).sort() };
}

function safeParse(parser: FileParser, file: string, text: string, format: InputFormat, opts: ParseOptions): ModelFragment {
  try {
    return parser(file, text, opts);
  } catch (e) {
    // Parsers never throw by contract; this is the last line of defence.
    return {
      file,
      format,
      elements: [],
      diagnostics: [
        { code: 'internal-error', severity: 'error', message: `${format} parser failed: ${(e as Error).message}`, loc: fileStart(file) },
      ],
    };
  }
}
