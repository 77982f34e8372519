// Yielding to the message queue in both hosts: Node's setImmediate runs once waiting messages are handled; a
// web worker has no setImmediate, and a zero timeout is the nearest it has.
const hasImmediate = typeof setImmediate === 'function';

/** Calls `callback` on a later turn of the event loop; returns what cancels it. */
export function onNextTurn(callback: () => void): () => void {
  if (hasImmediate) {
    const immediate = setImmediate(callback);
    return () => clearImmediate(immediate);
  }
  const timeout = setTimeout(callback, 0);
  return () => clearTimeout(timeout);
}

/**
 * How many turns of Node's event loop a request that came during a long task takes to be answered: vscode-jsonrpc
 * decodes a message, dispatches it and writes the answer each in a setImmediate of its own (its Semaphore and its
 * connection's message queue), the first one queued behind the task's next turn. A task that yielded a single turn
 * would run a slice before each of those steps.
 */
const TURNS_TO_ANSWER = 4;

/**
 * Calls `callback` once a request that is waiting now has been answered; returns what cancels it. In Node an empty
 * turn costs microseconds. A web worker's zero timeouts are stretched to 4 ms when nested, so there it waits one.
 */
export function afterWaitingRequests(callback: () => void): () => void {
  if (!hasImmediate) return onNextTurn(callback);
  let cancel: () => void;
  const wait = (turns: number): void => { cancel = onNextTurn(turns > 1 ? () => wait(turns - 1) : callback); };
  wait(TURNS_TO_ANSWER);
  return () => cancel();
}

/** Resolves on a later turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise(resolve => { onNextTurn(resolve); });
}
