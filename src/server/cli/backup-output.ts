import path from 'node:path';
import { BackupError, EXIT, type ExitCode } from '../core/db/backup.ts';

/** Runs a backup or restore command: an operator's message on stderr and the documented exit code on failure. */
export async function exitWith(run: () => Promise<ExitCode>, usage: string): Promise<never> {
  let code: ExitCode;
  try {
    code = await run();
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(error.message);
      if (error.showUsage) console.error(`\n${usage}`);
      code = error.exitCode;
    } else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${usage}`);
      code = EXIT.usage;
    } else {
      console.error(`Failed: ${(error as Error).message}`);
      code = EXIT.failed;
    }
  }
  process.exit(code);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A path relative to the working folder when it lies inside it, else absolute. */
export function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
