// Hashes and ciphers without Node (Sprig's checksums, derivePassword and AES; Kustomize's hash suffixes): the test
// vectors of their standards, and node:crypto's answers on random inputs of every length across block edges.
import * as assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { aes256CbcDecrypt, aes256CbcEncrypt } from '../../../server/src/gotemplate/sprig/aes';
import { hmacSha256, sha1, sha256, sha256Hex, sha512 } from '../../../server/src/gotemplate/sprig/hashes';
import { pbkdf2Sha256, scrypt } from '../../../server/src/gotemplate/sprig/scrypt';

const VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
  ['The quick brown fox jumps over the lazy dog', 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592'],
];

describe('SHA-256', () => {
  for (const [input, digest] of VECTORS) {
    it(`of ${JSON.stringify(input.length > 20 ? `${input.slice(0, 20)}...` : input)}`, () => assert.equal(sha256Hex(input), digest));
  }

  it('of a million times "a" (FIPS 180-4)', () => {
    assert.equal(sha256Hex(new Uint8Array(1_000_000).fill(0x61)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('hashes a string as its UTF-8 bytes', () => {
    assert.equal(sha256Hex('naïve ☃ 😀'), createHash('sha256').update('naïve ☃ 😀', 'utf8').digest('hex'));
  });

  it('gives node:crypto\'s digest of random bytes of each length from 0 to 200', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = randomBytes(length);
      assert.deepEqual(Buffer.from(sha256(bytes)), createHash('sha256').update(bytes).digest(), `length ${length}`);
    }
  });
});

describe('SHA-1, SHA-512, HMAC-SHA-256', () => {
  it('SHA-1 and SHA-512 of "abc" (FIPS 180-4)', () => {
    assert.equal(Buffer.from(sha1('abc')).toString('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(Buffer.from(sha512('abc')).toString('hex'),
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
  });

  it('HMAC-SHA-256 of RFC 4231\'s test case 2 and of a key longer than a block (case 6)', () => {
    assert.equal(Buffer.from(hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'))).toString('hex'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    assert.equal(Buffer.from(hmacSha256(new Uint8Array(131).fill(0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'))).toString('hex'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('give node:crypto\'s digests of random bytes of each length from 0 to 260', () => {
    for (let length = 0; length <= 260; length++) {
      const bytes = randomBytes(length);
      const key = randomBytes(length % 100);
      assert.deepEqual(Buffer.from(sha1(bytes)), createHash('sha1').update(bytes).digest(), `sha1, length ${length}`);
      assert.deepEqual(Buffer.from(sha512(bytes)), createHash('sha512').update(bytes).digest(), `sha512, length ${length}`);
      assert.deepEqual(Buffer.from(hmacSha256(key, bytes)), createHmac('sha256', key).update(bytes).digest(), `hmac, length ${length}`);
    }
  });
});

describe('PBKDF2 and scrypt', () => {
  it('scrypt of RFC 7914\'s second test vector ("password", "NaCl", N=1024, r=8, p=16)', () => {
    assert.equal(Buffer.from(scrypt(Buffer.from('password'), Buffer.from('NaCl'), 1024, 8, 16, 64)).toString('hex'),
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640');
  });

  it('give node:crypto\'s keys for random passwords and salts', () => {
    for (let i = 0; i < 8; i++) {
      const password = randomBytes(i * 9);
      const salt = randomBytes(1 + i * 5);
      assert.deepEqual(Buffer.from(pbkdf2Sha256(password, salt, 1 + i, 20 + i * 13)), pbkdf2Sync(password, salt, 1 + i, 20 + i * 13, 'sha256'), `pbkdf2 ${i}`);
      assert.deepEqual(Buffer.from(scrypt(password, salt, 16 << (i % 3), 1 + (i % 4), 1 + (i % 2), 64)),
        scryptSync(password, salt, 64, { N: 16 << (i % 3), r: 1 + (i % 4), p: 1 + (i % 2) }), `scrypt ${i}`);
    }
  });
});

describe('AES-256-CBC', () => {
  it('encrypts SP 800-38A\'s first CBC-AES256 block', () => {
    const key = Buffer.from('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', 'hex');
    const iv = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const encrypted = aes256CbcEncrypt(key, iv, Buffer.from('6bc1bee22e409f96e93d7e117393172a', 'hex'));
    assert.equal(Buffer.from(encrypted).toString('hex'), 'f58c4c04d6e5f1ba779eabfb5f7bfbd6');
  });

  it('gives node:crypto\'s ciphertexts of random data, and decrypts them back', () => {
    for (let blocks = 0; blocks <= 6; blocks++) {
      const key = randomBytes(32);
      const iv = randomBytes(16);
      const data = randomBytes(blocks * 16);
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      const expected = Buffer.concat([cipher.update(data), cipher.final()]);
      assert.deepEqual(Buffer.from(aes256CbcEncrypt(key, iv, data)), expected, `${blocks} blocks`);
      assert.deepEqual(Buffer.from(aes256CbcDecrypt(key, iv, expected)), data);
      const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      assert.deepEqual(Buffer.concat([decipher.update(expected), decipher.final()]), data);
    }
  });

  it('refuses data that is not whole blocks', () => {
    assert.throws(() => aes256CbcEncrypt(new Uint8Array(32), new Uint8Array(16), new Uint8Array(5)), /input not full blocks/);
  });
});
