import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { request } from 'undici';
import type { Receipt } from '../../../message-schemas/receipt/1/schema.js';
import { createEd25519NoteVerifier } from '../../adapters/crypto/ed25519-checkpoint-key.js';
import { fromBase64 } from '../../core/encoding.js';
import { isCoreError } from '../../core/errors.js';
import { openCheckpoint, parseCheckpoint, type Checkpoint } from '../../core/ledger/checkpoint.js';
import { parseNote, parseVerifierKey } from '../../core/ledger/signed-note.js';
import { consistencyToCheck, witnessReceiptCheckpoint } from '../../core/ledger/witness.js';
import type { NoteVerifier, Sha256 } from '../../core/primitives.js';

export interface LedgerWitnessOptions {
  /** The partner gateway keeping watch, for the log. */
  readonly partnerId: string;
  readonly sha256: Sha256;
  /** swx's base URL, and a bearer token of any role for its ledger endpoints. */
  readonly swx: { readonly url: () => string; readonly token: string };
  /** The checkpoint key pinned out of band; without it, the key GET /v1/ledger/checkpoint lists is trusted on first use. */
  readonly verifier?: NoteVerifier;
  /** Where the last checkpoint seen is kept across restarts (a checkpoint file `swx ledger verify --against` reads). */
  readonly stateFile?: string;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** What a witness saw: checkpoints checked, and failed checks (rewritten history, bad signature, entry not covered). */
export interface WitnessStats {
  readonly checkpointsWitnessed: number;
  readonly ledgerInconsistencies: number;
}

/**
 * A partner gateway watching swx's ledger through the receipts swx sends it (core/ledger/witness.ts): each receipt's
 * checkpoint must be signed by swx's checkpoint key, include the receipt's entry, and be consistent with the last
 * checkpoint seen, by a consistency proof fetched from GET /v1/ledger/proofs/consistency. A failure is logged as a
 * warning and counted; the checkpoint kept stays the last good one. Checks run one at a time.
 * @example const witness = new LedgerWitness(options); await witness.observe(receipt)
 */
export class LedgerWitness {
  readonly #options: LedgerWitnessOptions;
  #verifier: NoteVerifier | undefined;
  #kept: (Checkpoint & { readonly note: string }) | undefined;
  #queue: Promise<void> = Promise.resolve();
  #witnessed = 0;
  #inconsistencies = 0;

  constructor(options: LedgerWitnessOptions) {
    // Its lines are the simulator's, like those of the gateway it watches for.
    this.#options = { ...options, log: (level, message, fields) => options.log(level, message, { component: 'simulator', ...fields }) };
    this.#verifier = options.verifier;
    this.#kept = readKept(options.stateFile);
  }

  stats(): WitnessStats {
    return { checkpointsWitnessed: this.#witnessed, ledgerInconsistencies: this.#inconsistencies };
  }

  /** The last checkpoint note seen and found consistent, if any. */
  get kept(): string | undefined {
    return this.#kept?.note;
  }

  /** Checks the checkpoint a receipt of swx carries; resolves once checked (never rejects). */
  observe(receipt: Receipt): Promise<void> {
    const run = this.#queue.then(() => this.#check(receipt));
    this.#queue = run;
    return run;
  }

  async #check(receipt: Receipt): Promise<void> {
    const { partnerId, log } = this.#options;
    if (receipt.checkpoint === undefined) {
      log('warn', 'swx receipt carries no ledger checkpoint', { partner: partnerId, messageId: receipt.messageId });
      return;
    }
    try {
      // The XML codec trims text: the note's final line feed is put back.
      const trusted = await this.#trusted();
      const seen = openCheckpoint(`${receipt.checkpoint}\n`, trusted, trusted.keyName);
      if (receipt.ledgerIndex !== undefined && seen.treeSize <= receipt.ledgerIndex) {
        this.#alarm(`the receipt's checkpoint (${seen.treeSize} entries) does not include its entry ${receipt.ledgerIndex}`);
        return;
      }
      const range = consistencyToCheck(this.#kept, seen);
      const proof = range === undefined ? [] : await this.#consistencyProof(range.first, range.second);
      if (proof === undefined) return;
      const kept = witnessReceiptCheckpoint({ sha256: this.#options.sha256, kept: this.#kept, seen, proof });
      this.#witnessed += 1;
      if (kept !== this.#kept) this.#keep(kept);
    } catch (error) {
      if (!isCoreError(error)) {
        log('warn', 'ledger witness could not check a checkpoint; it checks the next one', { partner: partnerId, error: (error as Error).message });
        return;
      }
      this.#alarm(error.message);
    }
  }

  /** The proof, or undefined after an alarm when swx cannot give one for a tree size it signed. */
  async #consistencyProof(first: number, second: number): Promise<Uint8Array[] | undefined> {
    const answer = await this.#get(`/v1/ledger/proofs/consistency?first=${first}&second=${second}`);
    if (answer.status === 200) return (answer.body as { proof: string[] }).proof.map(fromBase64);
    const problem = answer.body as { code?: string; detail?: string };
    if (answer.status === 422) {
      this.#alarm(`swx cannot prove its tree of ${second} entries extends the one of ${first} it signed: ${problem.detail ?? problem.code ?? ''}`);
      return undefined;
    }
    throw new Error(`GET consistency proof answered ${answer.status} ${problem.code ?? ''}`);
  }

  // The pinned key, or the one swx lists, trusted on first use and logged so an operator can compare it.
  async #trusted(): Promise<NoteVerifier> {
    if (this.#verifier) return this.#verifier;
    const answer = await this.#get('/v1/ledger/checkpoint');
    const verifierKey = (answer.body as { verifierKey?: string }).verifierKey;
    if (answer.status !== 200 || verifierKey === undefined) throw new Error(`GET /v1/ledger/checkpoint answered ${answer.status}`);
    this.#verifier = createEd25519NoteVerifier(parseVerifierKey(this.#options.sha256, verifierKey));
    this.#options.log('info', 'trusting swx checkpoint key on first use', { partner: this.#options.partnerId, verifierKey });
    return this.#verifier;
  }

  async #get(path: string): Promise<{ status: number; body: unknown }> {
    const answer = await request(`${this.#options.swx.url()}${path}`, {
      headers: { authorization: `Bearer ${this.#options.swx.token}`, accept: 'application/json' },
    });
    const text = await answer.body.text();
    return { status: answer.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  #keep(checkpoint: Checkpoint & { readonly note: string }): void {
    this.#kept = checkpoint;
    const file = this.#options.stateFile;
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, checkpoint.note);
  }

  #alarm(reason: string): void {
    this.#inconsistencies += 1;
    this.#options.log('warn', `swx ledger inconsistent: ${reason}`, { partner: this.#options.partnerId, kept: this.#kept?.treeSize });
  }
}

// The checkpoint kept by an earlier run (verified when kept); none when the file is missing or unreadable.
function readKept(file: string | undefined): (Checkpoint & { readonly note: string }) | undefined {
  if (file === undefined) return undefined;
  try {
    const note = readFileSync(file, 'utf8');
    return { ...parseCheckpoint(parseNote(note).text), note };
  } catch {
    return undefined;
  }
}
