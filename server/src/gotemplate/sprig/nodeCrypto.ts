// Node's crypto module, loaded by the first function that hashes, encrypts or draws random bytes: loading it costs a
// fresh process (`kube-immutable render`) a few milliseconds, and many charts call none of those functions.
import type * as Crypto from 'node:crypto';

let loaded: typeof Crypto | undefined;

export function nodeCrypto(): typeof Crypto {
  return loaded ??= require('node:crypto') as typeof Crypto;
}
