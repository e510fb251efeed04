import { CoreError } from '../../src/core/errors.js';

/**
 * The CoreError `run` throws; fails the test when it returns or throws anything else.
 * @example expect(thrownCoreError(() => parseXml(text)).code).toBe('MALFORMED_REQUEST')
 */
export function thrownCoreError(run: () => unknown): CoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw new Error(`expected a CoreError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a CoreError, nothing was thrown');
}
