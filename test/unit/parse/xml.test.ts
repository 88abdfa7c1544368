// The tolerant XML reader (parse/xml.ts) on texts written for these tests: structure, offsets, decoding, and
// damaged input that still gives a tree and located problems, never an exception.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { childAt, entries, members, parseXml } from '../../../src/parse/xml';

describe('XML reader', () => {
  it('reads elements, attributes, text and members, each located by its tags', () => {
    const text = `<?xml version="1.0"?>
<!-- a comment with <tags> -->
<config version="10.1.0">
  <rules>
    <entry name="web &amp; dns" uuid='u1'><action>allow</action><to><member>untrust</member><member> any </member></to></entry>
    <entry name="empty"/>
  </rules>
</config>`;
    const d = parseXml(text);
    assert.deepEqual(d.problems, []);
    assert.equal(d.root?.name, 'config');
    assert.equal(d.root?.attrs.get('version'), '10.1.0');
    const rules = entries(childAt(d.root, 'rules'));
    assert.deepEqual([...rules.keys()], ['web & dns', 'empty']);
    const web = rules.get('web & dns')!;
    assert.equal(web.attrs.get('uuid'), 'u1');
    assert.equal(childAt(web, 'action')?.text, 'allow');
    assert.deepEqual(members(childAt(web, 'to')), ['untrust', 'any']);
    assert.equal(text.slice(web.start, web.tagEnd), `<entry name="web &amp; dns" uuid='u1'>`);
    assert.ok(text.slice(web.start, web.end).endsWith('</entry>'));
    const empty = rules.get('empty')!;
    assert.equal(text.slice(empty.start, empty.end), '<entry name="empty"/>');
    assert.equal(empty.children.length, 0);
  });

  it('decodes character references and CDATA; keeps an unknown entity as written, with a problem', () => {
    const d = parseXml('<a>x&#65;&#x42;<![CDATA[<raw> & ]]>&nbsp;</a>');
    assert.equal(d.root?.text, 'xAB<raw> & &nbsp;');
    assert.equal(d.problems.length, 1);
    assert.match(d.problems[0].message, /unknown entity &nbsp;/);
  });

  it('skips a DOCTYPE with an internal subset and never reads an entity it declares', () => {
    const d = parseXml('<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><c>&x;</c>');
    assert.equal(d.root?.name, 'c');
    assert.equal(d.root?.text, '&x;');
  });

  it('damaged input: elements left open, an end tag closing nothing, an unclosed comment, all located', () => {
    const text = '<config><a><b>1</a></x><c>2<!-- never closed';
    const d = parseXml(text);
    assert.equal(d.root?.name, 'config');
    assert.deepEqual(
      d.root?.children.map((c) => c.name),
      ['a', 'c'],
    );
    assert.equal(childAt(d.root, 'a', 'b')?.text, '1');
    const msgs = d.problems.map((p) => `${p.message}@${p.start}`);
    assert.ok(msgs.includes('<b> is not closed before </a>@11'), msgs.join('; '));
    assert.ok(msgs.includes('end tag </x> closes no open element@19'), msgs.join('; '));
    assert.ok(
      msgs.some((m) => m.startsWith('a comment is not closed')),
      msgs.join('; '),
    );
    assert.ok(
      msgs.some((m) => m.startsWith('<config> is not closed')),
      msgs.join('; '),
    );
  });

  it('never throws, and every problem lies inside the text (any string)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('<', '>', '/', 'a', 'b', '=', '"', "'", '&', ';', '!', '-', '[', ']', '?', ' ', '#', 'x') }),
        (s) => {
          const d = parseXml(s);
          for (const p of d.problems) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= s.length);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
