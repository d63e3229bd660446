// The seller's side before any buyer arrives: a key pair per listing (and a throwaway test
// key), the table encrypted column by column with precomputed randomness, synthetic test rows
// under the test key, and the blob format both travel in (useless without the private key).

import { concatSegments, decode, encode } from '../../shared/codec.js';
import { ParleyError } from '../../shared/errors.js';
import type { EncryptedTable } from './linear.js';
import {
  ciphertextsFromBytes,
  ciphertextsToBytes,
  encryptMany,
  generateKeys,
  HolderRandomness,
  type PrivateKey,
  type PublicKey,
  RandomnessStock,
} from './paillier/index.js';
import { type Column, syntheticValues } from './table.js';

/** A table's ciphertexts as stored and shipped: one byte string per column. */
export interface TableBlob {
  keyId: string;
  rows: number;
  columns: Column[];
  data: Uint8Array[];
}

type Progress = (done: number, total: number) => void;

/** Encrypts scaled integers column by column; randomness is precomputed per column in one go. */
export function encryptColumns(
  sk: PrivateKey,
  columns: readonly Column[],
  values: readonly BigInt64Array[],
  onProgress?: Progress,
): TableBlob {
  const rows = values[0]?.length ?? 0;
  const stock = new RandomnessStock(new HolderRandomness(sk));
  const total = rows * values.length;
  const data = values.map((col, c) => {
    if (col.length !== rows) throw new ParleyError('ERR_LENGTH_MISMATCH', 'columns differ in length');
    const out = ciphertextsToBytes(sk.publicKey, encryptMany(sk, col, stock));
    onProgress?.((c + 1) * rows, total);
    return out;
  });
  return { keyId: sk.publicKey.keyId, rows, columns: [...columns], data };
}

/** The test key and synthetic rows for a listing; the test key's private half is published. */
export async function makeTestData(
  columns: readonly Column[],
  rows: number,
  seed: number,
  bits: number,
): Promise<{ key: PrivateKey; blob: TableBlob }> {
  const key = await generateKeys(bits);
  return { key, blob: encryptColumns(key, columns, syntheticValues(columns, rows, seed)) };
}

export function tableBlobToBytes(b: TableBlob): Uint8Array {
  return concatSegments(encode({ v: 1, keyId: b.keyId, rows: b.rows, columns: b.columns, data: b.data }));
}

export function tableBlobFromBytes(bytes: Uint8Array): TableBlob {
  const x = decode(bytes) as Partial<TableBlob> & { v?: number };
  if (
    x?.v !== 1 ||
    typeof x.keyId !== 'string' ||
    !Number.isSafeInteger(x.rows) ||
    !Array.isArray(x.columns) ||
    !Array.isArray(x.data)
  ) {
    throw new ParleyError('ERR_PROTOCOL', 'not a Parley table blob');
  }
  if (x.data.length !== x.columns.length || !x.data.every((d) => d instanceof Uint8Array))
    throw new ParleyError('ERR_PROTOCOL', 'table blob columns do not match');
  return { keyId: x.keyId, rows: x.rows!, columns: x.columns, data: x.data };
}

/** Ciphertexts as bigints for computing; each column must hold exactly `rows` of them. */
export function openTable(pk: PublicKey, b: TableBlob): EncryptedTable {
  if (b.keyId !== pk.keyId)
    throw new ParleyError('ERR_WRONG_KEY', `the table is under key ${b.keyId}, not ${pk.keyId}`);
  const data = b.data.map((bytes) => ciphertextsFromBytes(pk, bytes));
  if (data.some((c) => c.length !== b.rows))
    throw new ParleyError('ERR_PROTOCOL', 'a column holds the wrong number of ciphertexts');
  return { keyId: b.keyId, columns: b.columns, rows: b.rows, data };
}
