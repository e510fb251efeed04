import { userInfo } from 'node:os';

/**
 * Who acts when an offline command changes swx (`swx keys create`, `swx keys rotate`), as the ledger and the key list
 * record it: `cli:` and the OS user running the command (`$USER` when the OS has no name for the uid).
 * @example cliActor(io.env) // 'cli:alice'
 */
export function cliActor(env: Readonly<Record<string, string | undefined>>): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (a container's arbitrary user) has no name: fall back to the environment.
  }
  return `cli:${name ?? env['USER'] ?? 'unknown'}`;
}
