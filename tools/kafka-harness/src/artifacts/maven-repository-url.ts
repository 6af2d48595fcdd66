import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a Maven repository base URL was found. */
export interface MavenRepositoryUrl {
  /** Base URL without a trailing slash; a jar lives at `<url>/<group path>/<artifact>/<version>/<file>`. */
  readonly url: string;
  /** `MAVEN_REPOSITORY_URL` or the settings file the mirror came from. */
  readonly source: string;
}

function decodeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/**
 * The URL of the mirror a Maven `settings.xml` sends central to: the first `<mirror>` whose `<mirrorOf>` covers
 * `central` (`*`, `central`, `external:*`, a list containing one of these), else the first mirror. Undefined when
 * the file declares no mirror.
 */
export function mirrorUrlFromSettings(settingsXml: string): string | undefined {
  const withoutComments = settingsXml.replace(/<!--[\s\S]*?-->/g, '');
  const mirrors = [...withoutComments.matchAll(/<mirror>([\s\S]*?)<\/mirror>/g)].map((m) => {
    const body = m[1]!;
    const url = /<url>\s*([\s\S]*?)\s*<\/url>/.exec(body)?.[1];
    const mirrorOf = /<mirrorOf>\s*([\s\S]*?)\s*<\/mirrorOf>/.exec(body)?.[1] ?? '';
    return { url: url === undefined ? undefined : decodeXml(url), mirrorOf: mirrorOf.split(',').map((s) => s.trim()) };
  });
  const coversCentral = (of: string[]) => of.some((entry) => ['*', 'central', 'external:*'].includes(entry));
  const chosen = mirrors.find((m) => m.url !== undefined && coversCentral(m.mirrorOf)) ?? mirrors.find((m) => m.url);
  return chosen?.url;
}

/**
 * The Maven repository the fallback downloads from: `MAVEN_REPOSITORY_URL` when set, else the central mirror of
 * `~/.m2/settings.xml`. Undefined when neither is configured (the caller then tells the user to install Maven or
 * set the variable; the repository names no registry host on its own).
 */
export function findMavenRepositoryUrl(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): MavenRepositoryUrl | undefined {
  const fromEnv = env.MAVEN_REPOSITORY_URL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { url: fromEnv.trim().replace(/\/+$/, ''), source: 'MAVEN_REPOSITORY_URL' };
  }
  const settings = join(home, '.m2', 'settings.xml');
  let text: string;
  try {
    text = readFileSync(settings, 'utf8');
  } catch {
    return undefined;
  }
  const url = mirrorUrlFromSettings(text);
  return url === undefined ? undefined : { url: url.replace(/\/+$/, ''), source: settings };
}
