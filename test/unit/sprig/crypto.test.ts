import * as assert from 'node:assert/strict';
import { bcryptHash } from '../../../server/src/gotemplate/sprig/crypto';
import { render, table } from './render';

describe('sprig crypto and encodings', () => {
  describe('encodings and checksums', () => table([
    ['{{ b64enc "kube:immutable" }}', 'a3ViZTppbW11dGFibGU='],
    ['{{ b64dec "a3ViZTppbW11dGFibGU=" }}', 'kube:immutable'],
    ['{{ b64dec "not base64!" }}', 'illegal base64 data at input byte 3'],
    ['{{ b32enc "hello" }}', 'NBSWY3DP'],
    ['{{ b32dec "NBSWY3DP" }}', 'hello'],
    ['{{ sha256sum "" }}', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['{{ adler32sum "Wikipedia" }}', '300286872'],
  ]));

  it('bcrypt matches the reference vectors of OpenBSD\'s bcrypt', () => {
    // From the test vectors shipped with OpenBSD (and golang.org/x/crypto): key "U*U", cost 5.
    const salt = Buffer.from('CCCCCCCCCCCCCCCCCCCCC.'.replace(/./g, c => c), 'latin1');
    const decoded = decodeBcryptBase64(salt.toString('latin1'));
    assert.equal(bcryptHash(Buffer.from('U*U'), decoded, 5), '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW');
  });

  it('htpasswd writes a bcrypt line and refuses a user name with a colon', () => {
    assert.match(render('{{ htpasswd "admin" "secret" }}'), /^admin:\$2a\$10\$[./A-Za-z0-9]{53}$/);
    assert.equal(render('{{ htpasswd "a:b" "secret" }}'), 'invalid username: a:b');
  });

  it('encryptAES output decrypts back, and its IV comes from the random source', () => {
    assert.equal(render('{{ encryptAES "key" "some secret" | decryptAES "key" }}'), 'some secret');
    assert.equal(render('{{ encryptAES "key" "x" }}'), render('{{ encryptAES "key" "x" }}'));
  });

  it('derivePassword gives the passwords of Sprig\'s own tests (scrypt and HMAC-SHA-256 without node:crypto)', () => {
    assert.equal(render('{{ derivePassword 1 "long" "password" "user" "example.com" }}'), 'ZedaFaxcZaso9*');
    assert.equal(render('{{ derivePassword 2 "long" "password" "user" "example.com" }}'), 'Fovi2@JifpTupx');
  });

  it('uuidv4 is a version 4 UUID drawn from the random source', () => {
    assert.match(render('{{ uuidv4 }}'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('key and certificate generation says it is not supported', () => {
    assert.throws(() => render('{{ genCA "ca" 365 }}'), /error calling genCA: genCA is not supported: kube-immutable does not generate keys or certificates/);
    assert.throws(() => render('{{ genPrivateKey "rsa" }}'), /genPrivateKey is not supported/);
  });
});

/** bcrypt's own base64 (alphabet ./A-Za-z0-9, no padding), decoded. */
function decodeBcryptBase64(text: string): Uint8Array {
  const bcrypt = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const standard = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return Buffer.from(Array.from(text, c => standard[bcrypt.indexOf(c)]).join(''), 'base64');
}
