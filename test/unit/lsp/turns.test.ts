import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { afterWaitingRequests } from '../../../server/src/lsp/turns';

/** A slice of a long task: the CPU busy for a while, as an analysis slice is. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** A server connection over in-memory streams, and what writes a request to its input; its output counts answers. */
function serverConnection(onAnswerWritten: () => void): { server: MessageConnection; request: (method: string) => void } {
  const input = new PassThrough();
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => { if (String(chunk).includes('"result"')) onAnswerWritten(); });
  const server = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  server.listen();
  const request = (method: string) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method });
    input.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  return { server, request };
}

describe('afterWaitingRequests', () => {
  it('lets a request that came during a slice of a long task be answered before the next slice', async () => {
    let slices = 0;
    let receivedAt = -1;
    let answeredAt = -1;
    let answered!: () => void;
    const answer = new Promise<void>(resolve => { answered = resolve; });
    const { server, request } = serverConnection(() => { answeredAt = slices; answered(); });
    server.onRequest('ping', () => { receivedAt = slices; return 'pong'; });
    let running = true;
    const slice = (): void => {
      if (!running) return;
      slices++;
      busy(2);
      afterWaitingRequests(slice);
      // As a message read from a pipe during the slice, handled once the slice is over.
      if (slices === 2) request('ping');
    };
    slice();
    await answer;
    running = false;
    // The request's decoding, its dispatch and the writing of its answer each take a turn of the event loop.
    assert.deepEqual({ receivedAt, answeredAt }, { receivedAt: 2, answeredAt: 2 });
    server.dispose();
  });

  it('is cancelled by what it returns, in whichever turn it waits', async () => {
    for (let turns = 0; turns < 4; turns++) {
      let called = false;
      const cancel = afterWaitingRequests(() => { called = true; });
      for (let i = 0; i < turns; i++) await new Promise(resolve => setImmediate(resolve));
      cancel();
      for (let i = 0; i < 6; i++) await new Promise(resolve => setImmediate(resolve));
      assert.equal(called, false, `cancelled after ${turns} turns`);
    }
  });
});
