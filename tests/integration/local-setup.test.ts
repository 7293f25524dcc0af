import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import unit from '../../vitest.config.js';
import e2e from '../../vitest.e2e.config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** This file names the programs it looks for. */
const SELF = relative(ROOT, fileURLToPath(import.meta.url))
  .split(sep)
  .join('/');

const text = (path: string) => readFile(join(ROOT, path), 'utf8');
const json = async (path: string) => JSON.parse(await text(path)) as Record<string, unknown>;

type Version = [number, number, number];

function version(raw: string): Version {
  const [major = 0, minor = 0, patch = 0] = raw
    .replace(/^v/, '')
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** npm's range syntax as the lockfile's `engines.node` uses it: `||`, >=, >, <, ^, and 18 / 20.x / *. */
function satisfies(raw: string, range: string): boolean {
  const v = version(raw);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>]=?)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => {
        const [, op = '', bound = ''] = /^([<>]=?|\^)?(.*)$/.exec(comparator) ?? [];
        if (bound === '*' || bound === '') return true;
        const b = version(bound);
        const order = compare(v, b);
        if (op === '>=') return order >= 0;
        if (op === '>') return order > 0;
        if (op === '<') return order < 0;
        if (op === '<=') return order <= 0;
        if (op === '^') return v[0] === b[0] && order >= 0;
        // A partial version (18, 20.x) is the whole of what it leaves out.
        const given = bound
          .replace(/^v/, '')
          .split('.')
          .filter((part) => /^\d+$/.test(part)).length;
        return v.slice(0, given).every((part, i) => part === b[i]);
      }),
  );
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

describe('a newcomer’s setup', () => {
  it('states one Node.js minimum, the one in package.json engines, and every dependency accepts it', async () => {
    // Prepare
    const engines = ((await json('package.json')).engines as { node: string }).node;
    const minimum = /^>=(\d+\.\d+)$/.exec(engines)?.[1];
    const docs = ['README.md', ...(await files('docs')).filter((file) => file.endsWith('.md'))];
    const lock = (await json('package-lock.json')).packages as Record<string, { engines?: unknown }>;

    // Act
    const stated = new Set<string>();
    for (const doc of docs)
      for (const match of (await text(doc)).matchAll(/Node(?:\.js)? (\d+(?:\.\d+)*) or (?:later|newer)/g))
        stated.add(match[1] ?? '');
    const refusing = Object.entries(lock)
      .map(([name, entry]) => [name, (entry.engines as { node?: string } | undefined)?.node] as const)
      .filter(([, range]) => typeof range === 'string' && !satisfies(minimum ?? '', range));

    // Assess
    expect(minimum).toMatch(/^\d+\.\d+$/);
    expect([...stated]).toEqual([minimum]);
    expect(refusing).toEqual([]);
  });

  it('reads node ranges as npm does', () => {
    expect(satisfies('20.19', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.15', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.19', '>= 20.19.0')).toBe(true);
    expect(satisfies('20.19', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('21.0', '18 || 20 || >=22')).toBe(false);
    expect(satisfies('20.19', '20.x || 22.x')).toBe(true);
    expect(satisfies('20.19', '>=6 <7 || >=8')).toBe(true);
    expect(satisfies('20.19', '*')).toBe(true);
    expect(satisfies('20.19', '>=20.20')).toBe(false);
  });

  it('approves in allowScripts every install script npm ci runs, so npm 11 has nothing to warn about', async () => {
    // Prepare
    const allowed = (await json('package.json')).allowScripts as Record<string, boolean>;
    const lock = (await json('package-lock.json')).packages as Record<string, { hasInstallScript?: boolean }>;

    // Act
    const scripted = Object.entries(lock)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));

    // Assess
    expect(scripted.length).toBeGreaterThan(0);
    expect(scripted.filter((name) => allowed[name] !== true)).toEqual([]);
  });

  it('leaves the tests that drive Debian programs to npm run test:e2e, so npm test needs only npm', async () => {
    // Prepare
    const debian = /\b(?:chromium|newsboat|python3)\b/i;
    const dirs = (globs: readonly string[] | undefined, tail: RegExp) =>
      (globs ?? []).map((glob) => glob.replace(tail, ''));
    const tests = /\*\*\/\*\.test\.ts$/;
    // npm test runs its projects; a file is under it when a project includes it and does not exclude it.
    const projects = (unit.test?.projects ?? []) as { test?: { include?: string[]; exclude?: string[] } }[];
    const underProject = (file: string) =>
      projects.some(
        ({ test }) =>
          dirs(test?.include, tests).some((dir) => file.startsWith(dir)) &&
          !dirs(test?.exclude, /\*\*$/).some((dir) => file.startsWith(dir)),
      );
    const included = dirs(e2e.test?.include, tests);

    // Act
    const drivers: string[] = [];
    for (const file of await files('tests'))
      if (file !== SELF && debian.test(await text(file))) drivers.push(file);
    const underNpmTest = drivers.filter(underProject);
    const outsideE2e = drivers.filter((file) => !included.some((dir) => file.startsWith(dir)));

    // Assess
    expect(drivers.filter((file) => file.endsWith('.test.ts')).length).toBeGreaterThan(0);
    expect(projects.length).toBeGreaterThan(0);
    expect(underProject('tests/unit/x.test.ts') && underProject('tests/records/x.test.ts')).toBe(true);
    expect(underNpmTest).toEqual([]);
    expect(outsideE2e).toEqual([]);
  });
});
