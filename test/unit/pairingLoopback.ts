/**
 * A pairing "thread" in the test's own (pairingJob.ts): the server's PairingThread over a port
 * that hands every message, cloned with its buffers moved as between threads, to PairingJobs,
 * whose replies come back the same way.
 */
import { PairingJobs, type PairingMessage } from '../../server/src/service/conversations/pairingJob';
import { PairingThread } from '../../server/src/lsp/pairingThread';

export class LoopbackLink extends PairingThread {
  readonly jobs = new PairingJobs((reply, transfer) => this.received(structuredClone(reply, { transfer })));
  posted: PairingMessage['kind'][] = [];

  /** `failAfter`: the thread dies after this many messages (its jobs fail). */
  constructor(failAfter = Number.POSITIVE_INFINITY) {
    super(
      {
        postMessage: (message, transfer) => {
          this.posted.push(message.kind);
          if (this.posted.length > failAfter) this.failed('the thread died');
          else this.jobs.handle(structuredClone(message, { transfer }));
        },
      },
      () => undefined,
    );
  }
}
