import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `<folder>/<program>` for every folder on PATH, in order. */
export function onPath(program: string): string[] {
  return (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, program));
}

/**
 * The first candidate that is an executable file and, when `works` is given, passes it.
 * Throws naming every candidate tried, followed by `hint` (how to install or point to one).
 */
export function findExecutable(
  program: string,
  candidates: Array<string | undefined>,
  options: { hint: string; works?: (path: string) => boolean },
): string {
  const tried = candidates.filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of tried) {
    if (isExecutable(candidate) && (options.works?.(candidate) ?? true)) return candidate;
  }
  throw new Error(`no working ${program} binary: tried ${tried.join(', ')}. ${options.hint}`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
