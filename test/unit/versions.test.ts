/**
 * Versions come from the field table alone (the recipe "add a field version" in CONTRIBUTING.md):
 * every version some field has gets a hover line naming its fields and is accepted as a version
 * by inference, and a field of a new version is all it takes for both to follow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeVersion } from '../../server/src/catalog/decodersAws';
import { FIELDS, fieldsOfVersion, knownVersions, versionRange, type FieldSpec } from '../../server/src/catalog/fields';
import { inferFromSamples } from '../../server/src/service/infer';

function hoverLine(version: number): string {
  return decodeVersion(String(version), { tgw: false })?.lines[0] ?? '';
}

/** Whether inference takes a first column holding `version` for the version field. */
function inferredAsVersion(version: number): boolean {
  const rows = [0, 1, 2, 3].map((i) => [String(version), `10.0.0.${i + 1}`, `10.0.1.${i + 1}`, String(1700000000 + i), String(1700000060 + i)]);
  return inferFromSamples(rows).names[0] === 'version';
}

describe('field versions', () => {
  it('are the versions of the table, from 2 (the default format) up', () => {
    assert.deepEqual(knownVersions(), [...new Set(FIELDS.map((spec) => spec.version))].sort((a, b) => a - b));
    assert.equal(versionRange().lowest, 2);
  });

  for (const version of knownVersions()) {
    it(`version ${version} has a hover line naming its first field and is accepted by inference`, () => {
      const first = fieldsOfVersion(version)[0];
      assert.match(hoverLine(version), new RegExp(`^Version ${version} introduced .*${first.name}`));
      assert.ok(inferredAsVersion(version));
    });
  }

  it('follow a field of a new version: hover names it, inference accepts the version', () => {
    const next = versionRange().highest + 1;
    assert.match(hoverLine(next), /^No fields are known/);
    assert.equal(inferredAsVersion(next), false);
    const synthetic: FieldSpec = { name: 'synthetic-test-field', version: next, family: 'vpc', kind: 'text', fieldClass: 'metadata', title: 'Synthetic', description: 'A field of a version AWS has not published.', parquet: 'STRING' };
    const table = FIELDS as FieldSpec[];
    table.push(synthetic);
    try {
      assert.match(hoverLine(next), new RegExp(`^Version ${next} introduced 1 field: synthetic-test-field`));
      assert.ok(inferredAsVersion(next));
    } finally {
      table.pop();
    }
    assert.equal(inferredAsVersion(next), false);
  });
});
