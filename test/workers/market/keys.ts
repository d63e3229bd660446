// Fixed 256-bit primes for fast, reproducible Paillier tests (a 512-bit modulus), and the key
// with its two randomness sources that most property and hiding tests share.

import {
  HolderRandomness,
  type PrivateKey,
  PublicRandomness,
  privateKeyFromPrimes,
} from '../../../workers/market/paillier/index.js';

export const P256 = 0xdb244570d3438fb466423cbdd68b1daafa9b3815eb914324382063a3cedd2acfn;
export const Q256 = 0xd4b716baef2ee45165e449cdbabd98b484cdc257d76e33204055e0d7bdd6c297n;

export async function fixedKey(): Promise<{ sk: PrivateKey; holder: HolderRandomness; pub: PublicRandomness }> {
  const sk = await privateKeyFromPrimes(P256, Q256);
  return { sk, holder: new HolderRandomness(sk), pub: new PublicRandomness(sk.publicKey) };
}
