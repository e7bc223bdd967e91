import { readFileSync } from 'node:fs';
import { Policy } from '../../policy/src/policy';
import { PeopleDirectory } from './directory';
import { readDirectoryFile } from './load';

/** Where the API and the worker read the people directory from. */
export interface DirectorySource {
  current(): PeopleDirectory;
}

/** A fixed directory (tests, or a deployment that passes one in). */
export const fixedDirectory = (directory: PeopleDirectory): DirectorySource => ({ current: () => directory });

/**
 * The directory file, re-read when its content changes (checked at most once a second), so people
 * and TAMs change without a restart, like the API keys file. Start-up refuses an invalid file; a
 * later invalid edit keeps the directory in force and reports the error (once per content).
 */
export class DirectoryFile implements DirectorySource {
  private directory: PeopleDirectory;
  private content: string;
  private checkedAt = 0;
  private rejected: string | undefined;

  constructor(
    readonly path: string,
    private readonly policy: Policy,
    private readonly onReloadError: (error: Error) => void = () => undefined,
    private readonly onReload: (directory: PeopleDirectory) => void = () => undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    ({ directory: this.directory, content: this.content } = readDirectoryFile(path, policy, env));
  }

  current(now = Date.now()): PeopleDirectory {
    if (now - this.checkedAt >= 1_000) {
      this.checkedAt = now;
      this.reload();
    }
    return this.directory;
  }

  private reload(): void {
    let content: string;
    try {
      content = readFileSync(this.path, 'utf8');
    } catch (error) {
      this.reject(`unreadable:${(error as Error).message}`, error as Error);
      return;
    }
    if (content === this.content || content === this.rejected) return;
    try {
      this.directory = readDirectoryFile(this.path, this.policy, this.env).directory;
      this.content = content;
      this.rejected = undefined;
      this.onReload(this.directory);
    } catch (error) {
      this.reject(content, error as Error);
    }
  }

  private reject(marker: string, error: Error): void {
    if (marker === this.rejected) return;
    this.rejected = marker;
    this.onReloadError(error);
  }
}
