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

/** Resolves on a later turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise(resolve => { onNextTurn(resolve); });
}
