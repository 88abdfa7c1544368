// A finding inside a shared Terraform module names the module calls that create the instances it is about
// (test/fixtures/tf-layout/two-callers): in `related`, in SARIF relatedLocations, in the editor's related
// information, and in the model (ElementBase.moduleCalls).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, exampleTfFiles, replaceOnce } from '../analyzeFiles';
import { createWorkspace } from '../../../src/parse/workspace';
import { createAnalyzer } from '../../../src/analysis/incremental';
import { ROOT, reportSchemaErrors, sarifErrors } from '../report/helpers';
import { RULES } from '../../../src/analysis/rules';
import type { AnalysisResult, Finding } from '../../../src/analysis/types';
import { toJsonDocument, toSarifLog } from '../../../src/report';
import { findingToDiagnostic } from '../../../src/extension/mapping';

const FIX = path.join(ROOT, 'test', 'fixtures', 'tf-layout', 'two-callers');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');
const FILES = {
  'main.tf': read('main.tf'),
  'modules/spoke/main.tf': read('modules/spoke/main.tf'),
  'modules/region/main.tf': read('modules/region/main.tf'),
};

/** The uninspected-egress findings at the module's route, with their related locations as `file:line message` (1-based). */
function atModuleRoute(r: AnalysisResult): { subnets: string[]; related: string[] }[] {
  return r.findings
    .filter((f: Finding) => f.code === 'uninspected-egress' && f.location.file === 'modules/spoke/main.tf')
    .map((f) => ({
      subnets: [...(f.traces ?? [])].sort(),
      related: f.related
        .filter((x) => /^via /.test(x.message))
        .map((x) => `${x.location.file}:${x.location.range.start.line + 1} ${x.message}`),
    }));
}

describe('analysis: module calls behind a finding in a shared module', () => {
  it('names both root calls of a route both instances write, at their module blocks, and not the third caller', async () => {
    const r = await analyzeFiles(FILES);
    assert.deepEqual(atModuleRoute(r), [
      {
        subnets: ['module.spoke_a.aws_subnet.app', 'module.spoke_b.aws_subnet.app'],
        related: ['main.tf:2 via module.spoke_a', 'main.tf:9 via module.spoke_b'],
      },
    ]);
    // The model says where each instance comes from; the root's own resources (none here) and the spoke_c
    // instance carry their own chains.
    const vpc = r.model.elements.find((e) => e.id === 'module.region.module.spoke.aws_vpc.this');
    assert.deepEqual(
      vpc?.moduleCalls?.map((c) => [c.module, c.loc.file, c.loc.range.start.line + 1]),
      [
        ['module.region', 'main.tf', 17],
        ['module.region.module.spoke', 'modules/region/main.tf', 1],
      ],
    );
  });

  it("one finding for both callers' route names each caller's table, exit and VPC in its message, related exit and fix (F85)", async () => {
    const r = await analyzeFiles(FILES);
    const f = r.findings.filter((x) => x.code === 'uninspected-egress' && x.location.file === 'modules/spoke/main.tf');
    assert.equal(f.length, 1);
    assert.equal(
      f[0].message,
      'subnet spoke-a-app (10.1.1.10), subnet spoke-b-app (10.2.1.10) reach the internet through spoke-a-igw, spoke-b-igw without any enforcement point (route 0.0.0.0/0 -> spoke-a-igw, spoke-b-igw in spoke-a-app, spoke-b-app).',
    );
    assert.equal(
      f[0].fix?.title,
      "Route 0.0.0.0/0 in spoke-a-app, spoke-b-app through a NAT GW and a GWLB endpoint in eu-west-1a (or a spoke gateway with DCF) instead of spoke-a-igw, spoke-b-igw; spoke-a, spoke-b have no GWLB or firewall endpoint in the inputs: one must be added, in a subnet of its own (a subnet whose table sends 0.0.0.0/0 to the endpoint cannot hold it: the endpoint's own traffic would loop back to it); this route is made from the `routes` argument of module.spoke_a, module.spoke_b: each caller decides it",
    );
    // Where each caller writes the route's destination: the "0.0.0.0/0" item of its `routes` list.
    const main = FILES['main.tf'].split('\n');
    assert.deepEqual(
      f[0].related
        .filter((x) => /^the route is made from/.test(x.message))
        .map((x) => [
          x.location.file,
          x.location.range.start.line + 1,
          main[x.location.range.start.line].slice(x.location.range.start.character, x.location.range.end.character),
          x.message,
        ]),
      [
        ['main.tf', 6, '"0.0.0.0/0"', "the route is made from module.spoke_a's `routes` here"],
        ['main.tf', 13, '"0.0.0.0/0"', "the route is made from module.spoke_b's `routes` here"],
      ],
    );
    // The model says so (Route.input); the root module's routes have none.
    const table = r.model.elements.find((e) => e.id === 'module.spoke_a.aws_route_table.app');
    assert.equal(table?.kind, 'routeTable');
    const input = table?.kind === 'routeTable' ? table.routes[0]?.input : undefined;
    assert.deepEqual([input?.module, input?.variable], ['module.spoke_a', 'routes']);
    // The internet gateway block both instances share: its related message names both gateways.
    assert.deepEqual(
      f[0].related.filter((x) => x.location.file === 'modules/spoke/main.tf').map((x) => x.message),
      ['leaves for the internet through spoke-a-igw, spoke-b-igw'],
    );
  });

  it('many callers: the first three of each list and how many more; the sources in full (F85)', async () => {
    const more = ['c', 'd', 'e']
      .map(
        (x, i) =>
          `\nmodule "spoke_${x}" {\n  source = "./modules/spoke"\n  name   = "spoke-${x}"\n  cidr   = "10.${i + 5}.0.0/16"\n  routes = ["0.0.0.0/0"]\n}\n`,
      )
      .join('');
    const r = await analyzeFiles({ ...FILES, 'main.tf': FILES['main.tf'] + more });
    const f = r.findings.filter((x) => x.code === 'uninspected-egress' && x.location.file === 'modules/spoke/main.tf');
    assert.equal(f.length, 1);
    assert.equal(f[0].traces?.length, 5);
    assert.match(
      f[0].message,
      /^(subnet spoke-[a-e]-app \(10\.\d+\.1\.10\), ){4}subnet spoke-[a-e]-app \(10\.\d+\.1\.10\) reach the internet/,
    );
    assert.match(f[0].message, / through spoke-a-igw, spoke-b-igw, spoke-\w-igw and 2 more without /);
    assert.match(f[0].fix?.title ?? '', /^Route 0\.0\.0\.0\/0 in spoke-a-app, spoke-b-app, spoke-\w-app and 2 more through /);
    assert.match(f[0].fix?.title ?? '', /; spoke-a, spoke-b, spoke-\w and 2 more have no GWLB or firewall endpoint/);
  });

  it('names only the call whose instance the finding is about', async () => {
    const onlyA = await analyzeFiles({
      ...FILES,
      'main.tf': replaceOnce(FILES['main.tf'], [
        'cidr   = "10.2.0.0/16"\n  routes = ["0.0.0.0/0"]',
        'cidr   = "10.2.0.0/16"\n  routes = []',
      ]),
    });
    assert.deepEqual(atModuleRoute(onlyA), [{ subnets: ['module.spoke_a.aws_subnet.app'], related: ['main.tf:2 via module.spoke_a'] }]);
    const f = onlyA.findings.find((x) => x.location.file === 'modules/spoke/main.tf');
    assert.match(
      f?.fix?.title ?? '',
      /^Route 0\.0\.0\.0\/0 in spoke-a-app through .* instead of spoke-a-igw; spoke-a has no GWLB.*; this route is made from the `routes` argument of module\.spoke_a: its caller decides it$/,
    );
  });

  it('names every call of the chain for a module called from a module, the root call first', async () => {
    const nested = await analyzeFiles({
      'main.tf': replaceOnce(
        FILES['main.tf'],
        ['cidr   = "10.1.0.0/16"\n  routes = ["0.0.0.0/0"]', 'cidr   = "10.1.0.0/16"\n  routes = []'],
        ['cidr   = "10.2.0.0/16"\n  routes = ["0.0.0.0/0"]', 'cidr   = "10.2.0.0/16"\n  routes = []'],
      ),
      'modules/spoke/main.tf': FILES['modules/spoke/main.tf'],
      'modules/region/main.tf': replaceOnce(FILES['modules/region/main.tf'], ['routes = []', 'routes = ["0.0.0.0/0"]']),
    });
    assert.deepEqual(atModuleRoute(nested), [
      {
        subnets: ['module.region.module.spoke.aws_subnet.app'],
        related: ['main.tf:17 via module.region', 'modules/region/main.tf:1 via module.region.module.spoke'],
      },
    ]);
  });

  it('a route written in the module as its own resource (aws_route) names the calls of the instances it routes', async () => {
    const spoke = replaceOnce(
      FILES['modules/spoke/main.tf'],
      [
        '\n  dynamic "route" {\n    for_each = var.routes\n    content {\n      cidr_block = route.value\n      gateway_id = aws_internet_gateway.this.id\n    }\n  }\n',
        '',
      ],
      [
        'resource "aws_route_table_association"',
        'resource "aws_route" "out" {\n  for_each               = toset(var.routes)\n  route_table_id         = aws_route_table.app.id\n  destination_cidr_block = each.value\n  gateway_id             = aws_internet_gateway.this.id\n}\n\nresource "aws_route_table_association"',
      ],
    );
    const r = await analyzeFiles({
      ...FILES,
      'main.tf': replaceOnce(FILES['main.tf'], [
        'cidr   = "10.2.0.0/16"\n  routes = ["0.0.0.0/0"]',
        'cidr   = "10.2.0.0/16"\n  routes = []',
      ]),
      'modules/spoke/main.tf': spoke,
    });
    assert.deepEqual(atModuleRoute(r), [{ subnets: ['module.spoke_a.aws_subnet.app'], related: ['main.tf:2 via module.spoke_a'] }]);
    // for_each over the caller's list: each.value is the caller's "0.0.0.0/0" item.
    const f = r.findings.find((x) => x.location.file === 'modules/spoke/main.tf');
    assert.deepEqual(
      f?.related.filter((x) => /^the route is made from/.test(x.message)).map((x) => [x.location.file, x.location.range.start.line + 1]),
      [['main.tf', 6]],
    );
  });

  it("an Azure module's route table over the caller's list of route objects: each route is the caller's object it is made from", async () => {
    const r = await analyzeFiles({
      'main.tf': [
        'module "rt" {',
        '  source = "./modules/rt"',
        '  routes = [',
        '    {',
        '      name           = "default"',
        '      address_prefix = "0.0.0.0/0"',
        '      next_hop_type  = "Internet"',
        '    },',
        '    {',
        '      name                   = "private"',
        '      address_prefix         = "10.0.0.0/8"',
        '      next_hop_type          = "VirtualAppliance"',
        '      next_hop_in_ip_address = "10.0.1.4"',
        '    },',
        '  ]',
        '}',
        '',
      ].join('\n'),
      'modules/rt/main.tf': [
        'variable "routes" {}',
        'resource "azurerm_route_table" "rt" {',
        '  name                = "rt"',
        '  location            = "westeurope"',
        '  resource_group_name = "rg"',
        '  dynamic "route" {',
        '    for_each = var.routes',
        '    content {',
        '      name                   = route.value.name',
        '      address_prefix         = route.value.address_prefix',
        '      next_hop_type          = route.value.next_hop_type',
        '      next_hop_in_ip_address = contains(keys(route.value), "next_hop_in_ip_address") ? route.value.next_hop_in_ip_address : null',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const table = r.model.elements.find((e) => e.id === 'module.rt.azurerm_route_table.rt');
    assert.equal(table?.kind, 'routeTable');
    const routes = table?.kind === 'routeTable' ? table.routes : [];
    assert.deepEqual(
      routes.map((x) => [
        x.input?.module,
        x.input?.variable,
        x.input?.loc.file,
        (x.input?.loc.range.start.line ?? -1) + 1,
        (x.input?.loc.range.end.line ?? 0) + 1,
      ]),
      [
        ['module.rt', 'routes', 'main.tf', 4, 8],
        ['module.rt', 'routes', 'main.tf', 9, 14],
      ],
    );
  });

  it('reaches SARIF relatedLocations, the JSON report (schema-valid) and the editor diagnostics', async () => {
    const r = await analyzeFiles(FILES);
    const i = r.findings.findIndex((f) => f.location.file === 'modules/spoke/main.tf');
    assert.ok(i >= 0);
    const sarif = toSarifLog(r, RULES);
    assert.deepEqual(sarifErrors(sarif), []);
    const result = sarif.runs[0].results.find((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'modules/spoke/main.tf');
    assert.deepEqual(
      result?.relatedLocations
        ?.filter((l) => /^via /.test(l.message.text))
        .map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine, l.message.text]),
      [
        ['main.tf', 2, 'via module.spoke_a'],
        ['main.tf', 9, 'via module.spoke_b'],
      ],
    );
    assert.deepEqual(reportSchemaErrors(toJsonDocument(r)), []);
    const d = findingToDiagnostic(r.findings[i], i);
    assert.deepEqual(
      d.related.filter((x) => /^via /.test(x.message)).map((x) => [x.location.file, x.location.range.start.line, x.message]),
      [
        ['main.tf', 1, 'via module.spoke_a'],
        ['main.tf', 8, 'via module.spoke_b'],
      ],
    );
  });

  it('the parse says whether any module instance exists, through edits that add and remove the calls', async () => {
    // The analysis looks for module calls only when the model says some element has them (the scan of every
    // element is not free at estate size): the flag must follow edits in an incremental workspace.
    const ws = await createWorkspace();
    const analyzer = createAnalyzer();
    const run = () => {
      const b = ws.build();
      return analyzer.analyze(b.model, {}, b.diagnostics);
    };
    for (const [name, text] of Object.entries(exampleTfFiles('aws-distributed-egress-asymmetric'))) ws.setFile(`ex/${name}`, text);
    const plain = run();
    assert.equal(plain.model.moduleInstances, undefined);
    assert.ok(plain.findings.some((f) => f.location.file.endsWith('.tf')));
    assert.ok(plain.findings.every((f) => !f.related.some((x) => /^via /.test(x.message))));
    for (const [name, text] of Object.entries(FILES)) ws.setFile(name, text);
    const withCalls = run();
    assert.equal(withCalls.model.moduleInstances, true);
    // Two root modules now (ex/ and the folder of main.tf): ids carry the root's label.
    assert.deepEqual(atModuleRoute(withCalls), [
      {
        subnets: ['.:module.spoke_a.aws_subnet.app', '.:module.spoke_b.aws_subnet.app'],
        related: ['main.tf:2 via module.spoke_a', 'main.tf:9 via module.spoke_b'],
      },
    ]);
    // modules/region calls modules/spoke as well: without main.tf's calls it would be a root calling it.
    ws.setFile('main.tf', '# no module calls any more\n');
    ws.removeFile('modules/region/main.tf');
    const without = run();
    assert.equal(without.model.moduleInstances, undefined);
    assert.deepEqual(atModuleRoute(without), []);
  });
});
