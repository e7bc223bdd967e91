import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The project's layout as nest-cli.json declares it: every library and app is listed with its real
 * folders (a library added without its entry is invisible to `nest build` and to readers of the file).
 */
const ROOT = join(__dirname, '..', '..');
const nestCli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
  projects: Record<string, { type: string; root: string; sourceRoot: string }>;
};
const folders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('nest-cli.json', () => {
  it('lists every library under libs/ and every app under apps/, by their folder names', () => {
    const declared = (type: string) =>
      Object.entries(nestCli.projects)
        .filter(([, project]) => project.type === type)
        .map(([name]) => name)
        .sort();
    expect(declared('library')).toEqual(folders('libs'));
    expect(declared('application')).toEqual(folders('apps'));
  });

  it('points each project at folders that exist, a library at its src/index.ts', () => {
    for (const [name, project] of Object.entries(nestCli.projects)) {
      const prefix = project.type === 'library' ? 'libs' : 'apps';
      expect([name, project.root, project.sourceRoot]).toEqual([name, `${prefix}/${name}`, `${prefix}/${name}/src`]);
      if (project.type === 'library')
        expect([name, existsSync(join(ROOT, project.sourceRoot, 'index.ts'))]).toEqual([name, true]);
    }
  });
});
