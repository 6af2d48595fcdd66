import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './error-codes.generated.js';

/**
 * Code branches on named error codes (`ErrorCodes.NOT_COORDINATOR`), never on numbers: a number hides which error
 * is meant, and copies of a set of numbers drift apart. This scans the sources of every package for the shapes a
 * numeric error code takes.
 */
const KAFKA_ERROR_NAMES = new Set(ERROR_CODES.map((e) => e.name));
const CODE_NAME = String.raw`[\w.?]*(?:[eE]rror[cC]ode|\bcode)`;
const RULES: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'an error code compared with a number', pattern: new RegExp(String.raw`${CODE_NAME}\s*[!=]==?\s*-?\d`) },
  { what: 'a number compared with an error code', pattern: new RegExp(String.raw`-?\d+\s*[!=]==?\s*${CODE_NAME}\b`) },
  { what: 'an error code set to a number', pattern: /\berrorCode\s*:\s*-?\d/ },
  { what: 'a number as a default error code', pattern: new RegExp(String.raw`${CODE_NAME}\s*\?\?\s*-?\d`) },
  { what: 'a broker error built from a number', pattern: /createBrokerError\(\s*-?\d/ },
];

/** The violations in one file's text: `line: rule`. */
function violations(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^\s*(\*|\/\*)/.test(line)) return; // doc comments
    const code = line.replace(/\/\/.*$/, '');
    for (const rule of RULES) if (rule.pattern.test(code)) found.push(`${index + 1}: ${rule.what}: ${line.trim()}`);
    const constant = /\bconst\s+([A-Z][A-Z0-9_]+)\s*=\s*-?\d+\s*;/.exec(code);
    if (constant !== null && KAFKA_ERROR_NAMES.has(constant[1]!)) {
      found.push(`${index + 1}: a Kafka error code redefined as a number: ${line.trim()}`);
    }
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'generated') out.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.generated.ts') && !entry.name.includes('.test.')) {
      out.push(path);
    }
  }
  return out;
}

describe('error codes in the sources', () => {
  it('flags each shape a numeric error code takes', () => {
    expect(violations('if (response.errorCode !== 0) return;')).toHaveLength(1);
    expect(violations('if (code === 35) throw error;')).toHaveLength(1);
    expect(violations('if (p.errorCode === -1) x();')).toHaveLength(1);
    expect(violations('if (0 === errorCode) x();')).toHaveLength(1);
    expect(violations('  errorCode: 5,')).toHaveLength(1);
    expect(violations('errorCode = group?.errorCode ?? 0;')).toHaveLength(1);
    expect(violations('throw createBrokerError(6, context);')).toHaveLength(1);
    expect(violations('const UNSUPPORTED_VERSION = 35;')).toHaveLength(1);
    expect(violations('if (code === ErrorCodes.NONE) return; // code === 0 in a comment')).toHaveLength(0);
    expect(violations('const MAX_EPOCH = 32767;')).toHaveLength(0);
  });

  it('name every error code in every package', () => {
    const packages = fileURLToPath(new URL('../../../', import.meta.url));
    const found: string[] = [];
    let scanned = 0;
    for (const pkg of readdirSync(packages, { withFileTypes: true })) {
      if (!pkg.isDirectory()) continue;
      let files: string[];
      try {
        files = sourceFiles(join(packages, pkg.name, 'src'));
      } catch {
        continue; // a package without sources
      }
      for (const file of files) {
        scanned++;
        for (const v of violations(readFileSync(file, 'utf8'))) found.push(`${relative(packages, file)}:${v}`);
      }
    }
    expect(scanned).toBeGreaterThan(150);
    expect(found).toEqual([]);
  });
});
