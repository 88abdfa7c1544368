import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DROP_CAUSES, UNKNOWN_CAUSES, type AnalysisResult, type RuleCode } from '../../../src/analysis/types';
import { RULE_CODES } from '../../../src/analysis/rules';
import { toHtml, toJson, toJsonDocument, toSarifLog, toText, type RuleInfo } from '../../../src/report';
import { loadResultFixture, reportSchemaErrors, ROOT, sarifErrors } from './helpers';

const rules: RuleInfo[] = RULE_CODES.map((code: RuleCode) => ({
  code,
  defaultSeverity: code.startsWith('dcf-shadowed') || code.startsWith('legacy') ? 'info' : 'warning',
  title: `Title of ${code}`,
  doc: `When ${code} fires. Why it matters, and how to fix it.`,
}));

describe('report: JSON', () => {
  const result = loadResultFixture('asymmetric-result.json');

  it('is valid against docs/schema/analysis-result.schema.json', () => {
    const doc = JSON.parse(toJson(result));
    assert.deepEqual(reportSchemaErrors(doc), []);
  });

  it('makes every location 1-based and flat, including fix edits and element extents', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = toJsonDocument(result) as { findings: any[]; model: { elements: any[] }; parseDiagnostics: any[] };
    const bypass = doc.findings.find((f) => f.code === 'asymmetric-return-bypass');
    // fixture: line 34, character 0..37 (0-based)
    assert.deepEqual(bypass.location, {
      file: 'examples/aws-distributed-egress-asymmetric/main.tf',
      startLine: 35,
      startColumn: 1,
      endLine: 35,
      endColumn: 38,
    });
    assert.deepEqual(bypass.related[0].location, {
      file: 'examples/aws-distributed-egress-asymmetric/main.tf',
      startLine: 49,
      startColumn: 3,
      endLine: 52,
      endColumn: 4,
    });
    const undersized = doc.findings.find((f) => f.code === 'gateway-undersized');
    assert.deepEqual(undersized.fix.edits[0], {
      file: 'examples/aviatrix-dcf/main.tf',
      startLine: 8,
      startColumn: 13,
      endLine: 8,
      endColumn: 23,
      newText: '"t3.medium"',
    });
    const rt = doc.model.elements.find((e) => e.id === 'aws_route_table.nat_a');
    assert.equal(rt.routes[0].loc.startLine, 49);
    assert.equal(doc.parseDiagnostics[0].loc.startColumn, 5);
    assert.equal(JSON.stringify(doc).includes('"character"'), false);
  });

  it('orders findings by file and line, and elements by id, whatever the input order', () => {
    const shuffled: AnalysisResult = {
      ...result,
      findings: [...result.findings].reverse(),
      model: { elements: [...result.model.elements].reverse() },
    };
    assert.equal(toJson(shuffled), toJson(result));
    const doc = toJsonDocument(result) as { findings: { location: { file: string } }[]; model: { elements: { id: string }[] } };
    assert.deepEqual(
      doc.findings.map((f) => f.location.file),
      ['examples/aviatrix-dcf/main.tf', 'examples/aws-distributed-egress-asymmetric/main.tf'],
    );
    const ids = doc.model.elements.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort());
  });

  it('can leave timing out so two runs are byte-identical', () => {
    const slower = { ...result, timing: { parseMs: 999, analysisMs: 999 } };
    assert.notEqual(toJson(slower), toJson(result));
    assert.equal(toJson(slower, { omitTiming: true }), toJson(result, { omitTiming: true }));
  });

  it('the schema rejects a 0-based location', () => {
    const doc = JSON.parse(toJson(result));
    doc.findings[0].location.startLine = 0;
    assert.notDeepEqual(reportSchemaErrors(doc), []);
  });

  it('the schema lists every trace outcome cause and requires one on a drop', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/schema/analysis-result.schema.json'), 'utf8'));
    assert.deepEqual(schema.definitions.trace.properties.outcome.properties.cause.enum, [...DROP_CAUSES, ...UNKNOWN_CAUSES]);
    const doc = JSON.parse(toJson(result));
    doc.egress[0].forward.outcome = { kind: 'dropped', cause: 'blackhole', reason: 'blackhole route 0.0.0.0/0 in rt', at: 'rt#0' };
    assert.deepEqual(reportSchemaErrors(doc), []);
    doc.egress[0].forward.outcome = { kind: 'dropped', reason: 'blackhole route 0.0.0.0/0 in rt', at: 'rt#0' };
    assert.notDeepEqual(reportSchemaErrors(doc), []);
    doc.egress[0].forward.outcome = { kind: 'unknown', cause: 'blackhole', reason: 'x' };
    assert.notDeepEqual(reportSchemaErrors(doc), []);
  });
});

describe('report: SARIF', () => {
  const result = loadResultFixture('asymmetric-result.json');

  it('is valid against the official SARIF 2.1.0 schema', () => {
    const log = JSON.parse(JSON.stringify(toSarifLog(result, rules, { toolVersion: '0.1.0' })));
    assert.deepEqual(sarifErrors(log), []);
  });

  it('the official schema is really applied (a broken log fails)', () => {
    const log = JSON.parse(JSON.stringify(toSarifLog(result, rules)));
    log.runs[0].results[0].level = 'fatal';
    assert.notDeepEqual(sarifErrors(log), []);
  });

  it('has one rule per code, results pointing at them, 1-based regions and related locations', () => {
    const log = toSarifLog(result, rules);
    const run = log.runs[0];
    assert.equal(run.tool.driver.rules.length, RULE_CODES.length);
    assert.equal(new Set(run.tool.driver.rules.map((r) => r.id)).size, RULE_CODES.length);
    assert.equal(run.results.length, 2);
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    const bypass = run.results.find((r) => r.ruleId === 'asymmetric-return-bypass')!;
    assert.equal(bypass.level, 'error');
    assert.deepEqual(bypass.locations[0].physicalLocation.region, { startLine: 35, startColumn: 1, endLine: 35, endColumn: 38 });
    assert.deepEqual(bypass.locations[0].physicalLocation.artifactLocation, {
      uri: 'examples/aws-distributed-egress-asymmetric/main.tf',
      uriBaseId: '%SRCROOT%',
    });
    assert.equal(bypass.relatedLocations?.length, 2);
    assert.equal(bypass.relatedLocations[1].physicalLocation.region.startLine, 24);
    const undersizedRule = run.tool.driver.rules.find((r) => r.id === 'gateway-undersized')!;
    assert.equal(undersizedRule.properties['security-severity'], '5.0');
    const help = undersizedRule.help;
    assert.match(help.markdown, /gateway-undersized fires/);
    const undersized = run.results.find((r) => r.ruleId === 'gateway-undersized')!;
    assert.equal(undersized.fixes?.[0].artifactChanges[0].replacements[0].insertedContent.text, '"t3.medium"');
    assert.equal(run.invocations[0].toolExecutionNotifications.length, 1);
    assert.equal(run.invocations[0].toolExecutionNotifications[0].level, 'note');
  });

  it('writes absolute paths as file URIs and escapes spaces', () => {
    const r = JSON.parse(JSON.stringify(result)) as AnalysisResult;
    r.findings[0].location.file = '/home/me/my net/main.tf';
    const log = JSON.parse(JSON.stringify(toSarifLog(r, rules)));
    assert.deepEqual(sarifErrors(log), []);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const uris = log.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('file:///home/me/my%20net/main.tf'), uris.join(','));
  });
});

describe('report: text', () => {
  const result = loadResultFixture('asymmetric-result.json');
  const text = toText(result, { title: 'asymmetric' });

  it('groups findings by file with line:col and names related locations', () => {
    const lines = text.split('\n');
    const avi = lines.indexOf('examples/aviatrix-dcf/main.tf');
    const aws = lines.indexOf('examples/aws-distributed-egress-asymmetric/main.tf');
    assert.ok(avi >= 0 && aws > avi, text);
    assert.match(lines[avi + 1], /^\s+4:1\s+warning\s+gateway-undersized\s+Spoke gateway prod-spoke/);
    assert.match(lines[aws + 1], /^\s+35:1\s+error\s+asymmetric-return-bypass/);
    assert.match(text, /related examples\/aws-distributed-egress-asymmetric\/main\.tf:49:3 +forward leg/);
  });

  it('shows states, the score, the asymmetric path and a summary', () => {
    assert.match(text, /app\s+Partially Protected/);
    assert.match(text, /prod\s+Monitored/);
    assert.match(text, /Egress Security Score: 38\/100 over 2 VPC\/VNets with egress \(0 Unknown\)/);
    assert.match(text, /out: +app-a -> nat-a -> \[gwlbe-a\] -> igw -> internet/);
    assert.match(text, /ASYMMETRIC at return hop 1/);
    assert.match(text, /Summary: 1 error, 1 warning, 0 info in 2 files/);
  });

  it('says so when there are no findings', () => {
    const clean = toText({ ...result, findings: [] });
    assert.match(clean, /No findings\./);
    assert.match(clean, /Summary: no findings; parse 12\.5 ms, analysis 3\.3 ms/);
  });
});

describe('report: HTML', () => {
  const result = loadResultFixture('asymmetric-result.json');
  const assets = { script: 'window.__bundle = true;', style: '#graph{}' };

  it('inlines the bundle, the style and the result, with a nonce on every script', () => {
    const html = toHtml(result, assets);
    assert.match(html, /window\.__bundle = true;/);
    assert.match(html, /id="egress-lens-initial"/);
    assert.equal(/<script(?![^>]*nonce=)(?![^>]*type="application\/json")/.test(html), false, 'a script without nonce');
    assert.equal(/\s(src|href)="https?:/.test(html), false, 'no remote resource');
    assert.match(html, /<table id="findings">/);
    assert.equal((html.match(/<tr tabindex="0" title="Show in the graph" data-file=/g) ?? []).length, 2);
    assert.match(html, /data-element="aws_internet_gateway.igw" data-trace="aws_subnet.app_a"/);
  });

  it('escapes names from user files in the table and the embedded JSON', () => {
    const evil = JSON.parse(JSON.stringify(result)) as AnalysisResult;
    evil.findings[0].message = '</script><img src=x onerror=alert(1)>';
    evil.states[0].name = '<b>bold</b>';
    const html = toHtml(evil, assets);
    assert.equal(html.includes('<img src=x'), false);
    assert.equal(html.includes('<b>bold</b>'), false);
    assert.match(html, /&lt;b&gt;bold&lt;\/b&gt;/);
    // Exactly the bundle's, the stub's and the JSON block's closing tags.
    assert.equal((html.match(/<\/script>/g) ?? []).length, 3);
  });

  it('is the same file for the same inputs', () => {
    assert.equal(toHtml(result, assets), toHtml(result, assets));
  });
});
