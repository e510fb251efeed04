import { randomUUID } from 'node:crypto';

/** One declaration posted under load: what the client learned of it. */
export type LoadOutcome =
  | { readonly key: string; readonly status: number; readonly id?: string; readonly declarationNumber?: string }
  | { readonly key: string; readonly error: string };

/** A load in progress: outcomes so far, and the promise of all of them once every worker has ended. */
export interface DeclarationLoad {
  readonly outcomes: readonly LoadOutcome[];
  readonly done: Promise<readonly LoadOutcome[]>;
}

/**
 * Posts `body` to `POST /v1/declarations` from `concurrency` workers, each with a fresh Idempotency-Key per request,
 * until `stopped()` holds; a worker ends at its first transport error (the service is gone).
 * @example const load = driveDeclarations({ url, token, body, concurrency: 16, stopped: () => done }); await load.done
 */
export function driveDeclarations(options: {
  url: string;
  token: string;
  body: string;
  concurrency: number;
  stopped: () => boolean;
}): DeclarationLoad {
  const outcomes: LoadOutcome[] = [];
  const worker = async () => {
    while (!options.stopped()) {
      const key = randomUUID();
      try {
        const response = await fetch(`${options.url}/v1/declarations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: options.body,
        });
        const text = await response.text();
        const answer = (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as {
          id?: string;
          declarationNumber?: string;
        };
        outcomes.push({
          key,
          status: response.status,
          ...(answer.id === undefined ? {} : { id: answer.id }),
          ...(answer.declarationNumber === undefined ? {} : { declarationNumber: answer.declarationNumber }),
        });
      } catch (error) {
        outcomes.push({ key, error: String((error as Error).cause ?? error) });
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => outcomes);
  return { outcomes, done };
}

/** The ids the service answered 202 for. */
export function acknowledgedIds(outcomes: readonly LoadOutcome[]): string[] {
  return outcomes.flatMap((outcome) => ('status' in outcome && outcome.status === 202 && outcome.id !== undefined ? [outcome.id] : []));
}
