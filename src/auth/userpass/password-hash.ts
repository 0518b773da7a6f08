// Password hashing for userpass: scrypt (N=16384, r=8, p=1, 32-byte key) with a random 16-byte
// salt, compared in constant time.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PasswordHash {
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

const KEY_LEN = 32;
const PARAMS = { N: 16384, r: 8, p: 1 };

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LEN, PARAMS, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return { salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** True when `password` matches `stored`; always does one full scrypt. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'));
  return expected.length === key.length && timingSafeEqual(expected, key);
}
