import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One instruction of a Dockerfile: its keyword (upper case), its arguments as written, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** One stage: the image it starts from (ARG defaults substituted), its name, and its instructions after FROM. */
export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/**
 * The stages of the Dockerfile at `file`, the `ARG`s before the first `FROM` substituted by their defaults.
 * @example const [build, runtime] = readDockerfile('Dockerfile')
 */
export function readDockerfile(file: string): Stage[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs = new Map<string, string>();
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', , name] = args.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs.get(arg) ?? '').split(/\s+/);
      stages.push({ image, name, instructions: [] });
    } else if (stages.length === 0 && upper === 'ARG') {
      const [arg = '', value = ''] = args.split('=');
      globalArgs.set(arg, value);
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

/** The arguments of every `keyword` instruction of `stage`, in order. */
export function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

/**
 * The variables a stage's `ENV` instructions set (`ENV A=1 B=2` form).
 * @example envOf(runtime).SWX_DATA_DIR // '/data'
 */
export function envOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(argsOf(stage, 'ENV').flatMap((args) => args.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string])));
}

/**
 * The patterns of a `.dockerignore` as a test of paths relative to the build context (with `/`): a pattern excludes the
 * path it matches and everything under it; `*` matches within one path segment, as Docker's filepath.Match does.
 * Throws on syntax this test does not implement (`!` exceptions, `**`), so a new pattern cannot be silently misread.
 */
export function dockerignoreFilter(file: string): (path: string) => boolean {
  const patterns = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((pattern) => {
      if (pattern.startsWith('!') || pattern.includes('**')) throw new Error(`.dockerignore pattern not implemented here: ${pattern}`);
      const source = pattern
        .replace(/^\/+/, '')
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*');
      return new RegExp(`^${source}(/|$)`);
    });
  return (path) => patterns.some((pattern) => pattern.test(path));
}

/**
 * `absolute` relative to `root`, with `/` separators (the form .dockerignore patterns match).
 * @example contextPath('/repo', '/repo/src/config.ts') // 'src/config.ts'
 */
export function contextPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

/** The repository root, the build context of `Dockerfile`. */
export const REPOSITORY = join(import.meta.dirname, '..', '..');
