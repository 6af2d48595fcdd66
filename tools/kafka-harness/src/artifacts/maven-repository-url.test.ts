import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMavenRepositoryUrl, mirrorUrlFromSettings } from './maven-repository-url.js';

const settings = (mirrors: string) => `<?xml version="1.0"?>
<settings>
  <!-- <mirror><id>old</id><mirrorOf>*</mirrorOf><url>http://commented.invalid/</url></mirror> -->
  <mirrors>${mirrors}</mirrors>
</settings>`;

describe('mirrorUrlFromSettings', () => {
  it('picks the mirror of central and ignores comments', () => {
    const xml = settings(`
      <mirror><id>snap</id><mirrorOf>snapshots</mirrorOf><url>http://snapshots.invalid/repo</url></mirror>
      <mirror><id>all</id><mirrorOf>external:*,!local</mirrorOf><url> http://mirror.invalid/maven2?a=1&amp;b=2 </url></mirror>`);
    expect(mirrorUrlFromSettings(xml)).toBe('http://mirror.invalid/maven2?a=1&b=2');
  });

  it('falls back to the first mirror, and to undefined without mirrors', () => {
    expect(mirrorUrlFromSettings(settings('<mirror><mirrorOf>x</mirrorOf><url>http://x.invalid</url></mirror>'))).toBe(
      'http://x.invalid',
    );
    expect(mirrorUrlFromSettings(settings(''))).toBeUndefined();
  });
});

describe('findMavenRepositoryUrl', () => {
  const home = mkdtempSync(join(tmpdir(), 'vltava-m2-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('prefers MAVEN_REPOSITORY_URL and trims the trailing slash', () => {
    expect(findMavenRepositoryUrl({ MAVEN_REPOSITORY_URL: 'http://127.0.0.1:1/repo/' }, home)).toEqual({
      url: 'http://127.0.0.1:1/repo',
      source: 'MAVEN_REPOSITORY_URL',
    });
  });

  it('reads ~/.m2/settings.xml, and is undefined when nothing is configured', () => {
    expect(findMavenRepositoryUrl({}, home)).toBeUndefined();
    mkdirSync(join(home, '.m2'));
    writeFileSync(
      join(home, '.m2', 'settings.xml'),
      settings('<mirror><mirrorOf>central</mirrorOf><url>http://m.invalid/</url></mirror>'),
    );
    expect(findMavenRepositoryUrl({}, home)).toEqual({
      url: 'http://m.invalid',
      source: join(home, '.m2', 'settings.xml'),
    });
  });
});
