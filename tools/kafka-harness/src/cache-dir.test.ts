import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessCacheDir } from './cache-dir.js';

describe('harnessCacheDir', () => {
  it('prefers VLTAVA_CACHE_DIR', () => {
    expect(harnessCacheDir({ VLTAVA_CACHE_DIR: '/x/y', XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe(resolve('/x/y'));
  });

  it('uses XDG_CACHE_HOME/vltava next', () => {
    expect(harnessCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe(join(resolve('/xdg'), 'vltava'));
  });

  it('falls back to ~/.cache/vltava, ignoring empty variables', () => {
    expect(harnessCacheDir({ VLTAVA_CACHE_DIR: '', XDG_CACHE_HOME: '' }, '/home/u')).toBe(
      join('/home/u', '.cache', 'vltava'),
    );
  });
});
