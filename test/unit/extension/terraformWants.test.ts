// The editor's reader of what the Terraform configuration asks for (src/extension/terraformWants.ts), on real folders
// with the parser state the extension keeps: a file() target an edit newly names is read after that edit, not at the
// next re-index (review R9); a link leading out of the workspace folders is never read (review R2); a file looked
// for inside them and not there makes fileexists() false (review R15). The vscode side (analysisService: stat of
// remote folders, the watcher) is the host suite's.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diskLookUp, WantsReader, type WantsIo } from '../../../src/extension/terraformWants';
import { createWorkspace, type Workspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText, type Edit } from '../exampleVariant';

const FIXTURE = path.join(__dirname, '../../../../test/fixtures/nfw-csv-rules');
const MODULE = 'modules/egress-rules/main.tf';
const CSV = 'modules/egress-rules/rules/egress.csv';
const EX = 'aws-network-firewall';
/** The example's policy references the CSV module's group after its own domain allow-list (as nfwCsvRules.test.ts). */
const WITH_MODULE: Edit[] = [
  {
    file: 'main.tf',
    replace: [
      `      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn
    }`,
      `      resource_arn = aws_networkfirewall_rule_group.allow_domains.arn
    }

    stateful_rule_group_reference {
      priority     = 20
      resource_arn = module.egress_rules.arn
    }`,
    ],
  },
  { file: 'main.tf', append: '\nmodule "egress_rules" {\n  source = "./modules/egress-rules"\n  name   = "egress-rules"\n}\n' },
];

/** A workspace folder on disk: the example without the module call, the CSV module beside it, a file outside it. */
function folder(): { top: string; ws: string } {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'egress-wants-')));
  process.once('exit', () => fs.rmSync(top, { recursive: true, force: true }));
  const ws = path.join(top, 'ws');
  fs.mkdirSync(path.join(ws, 'modules', 'egress-rules', 'rules'), { recursive: true });
  for (const f of ['main.tf', 'versions.tf']) fs.writeFileSync(path.join(ws, f), variantText(EX, f, []));
  fs.copyFileSync(path.join(FIXTURE, MODULE), path.join(ws, MODULE));
  fs.copyFileSync(path.join(FIXTURE, CSV), path.join(ws, CSV));
  fs.writeFileSync(
    path.join(top, 'credentials.csv'),
    'id,action,protocol,source,destination,port,note\n1,pass,IP,ANY,ANY,ANY,OUTSIDE-SECRET\n',
  );
  return { top, ws };
}

/** The extension's reads, on the real disk: what the globs give (**\/*.tf) is set first, the rest through the reader. */
function io(ws: Workspace, root: string, log: string[]): WantsIo {
  return {
    moduleFiles: async (d) =>
      path.isAbsolute(d) && d.startsWith(root + path.sep)
        ? fs.existsSync(d)
          ? fs
              .readdirSync(d)
              .filter((n) => /\.tf$/.test(n))
              .map((n) => path.join(d, n))
          : []
        : { notRead: 'outside the workspace folders' },
    lookUp: (f) => diskLookUp(f, [root]),
    read: async (files) => {
      for (const f of files) ws.setFile(f, fs.readFileSync(f, 'utf8'));
    },
    log: (l) => log.push(l),
  };
}

async function opened(root: string): Promise<Workspace> {
  const ws = await createWorkspace({ readRoots: [root] });
  for (const f of ['main.tf', 'versions.tf', MODULE]) ws.setFile(path.join(root, f), fs.readFileSync(path.join(root, f), 'utf8'));
  return ws;
}

const stateOf = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.main')!;
function result(ws: Workspace): AnalysisResult {
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

describe('extension: what the Terraform configuration asks for (WantsReader, diskLookUp)', function () {
  this.timeout(60_000);

  it('a file() target named by an edit is read after the edit, and the result equals a fresh analysis (review R9)', async () => {
    const { ws: root } = folder();
    fs.writeFileSync(path.join(root, 'main.tf'), variantText(EX, 'main.tf', WITH_MODULE));
    const b = path.join(root, 'modules/egress-rules/rules/b.csv');
    fs.writeFileSync(b, `${fs.readFileSync(path.join(root, CSV), 'utf8')}3,pass,IP,10.20.0.0/16,ANY,ANY,everything else\r\n`);
    const ws = await opened(root);
    const reader = new WantsReader();
    const log: string[] = [];
    await reader.readAll(ws, io(ws, root, log));
    assert.equal(stateOf(result(ws)).state, 'Protected');
    // The edit (a buffer): the module now reads rules/b.csv, whose last row passes everything.
    const mod = fs.readFileSync(path.join(root, MODULE), 'utf8').replace('rules/egress.csv', 'rules/b.csv');
    fs.writeFileSync(path.join(root, MODULE), mod);
    ws.setFile(path.join(root, MODULE), mod);
    // Before the reader runs, b.csv is not in the inputs (what the extension showed until a re-index).
    assert.match(stateOf(result(ws)).reason, /b\.csv is not in the inputs/);
    assert.equal(await reader.readAll(ws, io(ws, root, log), { buildFirst: true }), true);
    const after = stateOf(result(ws));
    assert.equal(after.state, 'Partially Protected', after.reason);
    assert.match(after.reason, /pass ip 10\.20\.0\.0\/16 -> ANY:ANY passes all traffic that reaches it in strict order/);
    const fresh = await opened(root);
    await new WantsReader().readAll(fresh, io(fresh, root, []));
    assert.deepEqual(stateOf(result(fresh)), after);
    // Nothing new wanted: a second pass reads nothing.
    assert.equal(await reader.readAll(ws, io(ws, root, log), { buildFirst: true }), false);
  });

  it('a file the configuration reads, deleted, is looked for again: absent, file() fails as in Terraform (review R15)', async () => {
    const { ws: root } = folder();
    fs.writeFileSync(path.join(root, 'main.tf'), variantText(EX, 'main.tf', WITH_MODULE));
    const ws = await opened(root);
    const reader = new WantsReader();
    await reader.readAll(ws, io(ws, root, []));
    assert.equal(stateOf(result(ws)).state, 'Protected');
    // Deleted on disk (the watcher's event): removed and forgotten, then looked for again.
    const csv = path.join(root, CSV);
    fs.rmSync(csv);
    ws.removeFile(csv);
    reader.forget(csv);
    await reader.readAll(ws, io(ws, root, []), { buildFirst: true });
    const gone = stateOf(result(ws));
    assert.equal(gone.state, 'Unknown');
    assert.match(gone.reason, /no file exists at .*egress\.csv/);
  });

  it('a link inside the workspace to a file outside it is never read; one to a file inside it is (review R2)', async () => {
    const { top, ws: root } = folder();
    fs.writeFileSync(path.join(root, 'main.tf'), variantText(EX, 'main.tf', WITH_MODULE));
    const rules = path.join(root, 'modules/egress-rules/rules');
    try {
      fs.symlinkSync(path.join(top, 'credentials.csv'), path.join(rules, 'out.csv'));
      fs.symlinkSync(path.join(rules, 'egress.csv'), path.join(rules, 'in.csv'));
    } catch {
      return; // no links on this file system
    }
    for (const [name, read] of [
      ['out.csv', false],
      ['in.csv', true],
    ] as const) {
      fs.writeFileSync(
        path.join(root, MODULE),
        fs.readFileSync(path.join(FIXTURE, MODULE), 'utf8').replace('rules/egress.csv', `rules/${name}`),
      );
      const ws = await opened(root);
      const log: string[] = [];
      await new WantsReader().readAll(ws, io(ws, root, log));
      const s = stateOf(result(ws));
      const b = ws.build();
      const all = JSON.stringify(b) + JSON.stringify(s);
      if (read) assert.equal(s.state, 'Protected', s.reason);
      else {
        assert.equal(s.state, 'Unknown');
        assert.match(s.reason, /out\.csv is not in the inputs/);
        assert.doesNotMatch(all, /OUTSIDE-SECRET/);
        assert.ok(
          log.some((l) => /out\.csv is read by the configuration but not by the extension/.test(l)),
          log.join('\n'),
        );
      }
    }
  });

  it('diskLookUp decides by real paths as the CLI does: file, absent, refused', async () => {
    const { top, ws: root } = folder();
    const rules = path.join(root, 'modules/egress-rules/rules');
    assert.equal(await diskLookUp(path.join(root, CSV), [root]), 'file');
    assert.equal(await diskLookUp(path.join(rules, 'missing.csv'), [root]), 'absent');
    assert.equal(await diskLookUp(path.join(rules, 'no/such/folder/x.csv'), [root]), 'absent');
    assert.equal(await diskLookUp(path.join(top, 'credentials.csv'), [root]), 'refused');
    assert.equal(await diskLookUp(path.join(top, 'missing.csv'), [root]), 'refused');
    // A folder is not a file to read.
    assert.equal(await diskLookUp(rules, [root]), 'refused');
    try {
      fs.symlinkSync(top, path.join(root, 'up'));
      fs.symlinkSync(path.join(top, 'nowhere'), path.join(root, 'dangling'));
    } catch {
      return;
    }
    // Through a folder link leading out: neither read nor said absent; a dangling link's target may exist elsewhere.
    assert.equal(await diskLookUp(path.join(root, 'up', 'credentials.csv'), [root]), 'refused');
    assert.equal(await diskLookUp(path.join(root, 'up', 'missing.csv'), [root]), 'refused');
    assert.equal(await diskLookUp(path.join(root, 'dangling'), [root]), 'refused');
    assert.equal(await diskLookUp(path.join(root, 'dangling', 'x.csv'), [root]), 'refused');
    // A workspace folder opened through a link is compared by its real path.
    fs.symlinkSync(root, path.join(top, 'ws-link'));
    assert.equal(await diskLookUp(path.join(top, 'ws-link', CSV), [path.join(top, 'ws-link')]), 'file');
  });
});
