// The BFV half of bench/triple-methods.ts: the function text it runs in a Chromium page (and in
// Node) through node-seal, kept apart because it is shipped to the page as a string.

/** Runs in the page (or in Node): plain JS so it survives serialization. 3 batching primes of 60 bits: CRT gives Z_2^64. */
export const BFV_SRC = `async (SEAL, N, bits, reps, flooding) => {
  const seal = await SEAL();
  const now = () => performance.now();
  const zstd = seal.ComprModeType.zstd, none = seal.ComprModeType.none;
  const parms = new seal.EncryptionParameters(seal.SchemeType.bfv);
  parms.setPolyModulusDegree(N);
  parms.setCoeffModulus(seal.CoeffModulus.BFVDefault(N, seal.SecLevelType.tc128));
  const ts = seal.jsArrayFromVecModulus(seal.PlainModulus.BatchingVector(N, Int32Array.from(bits)));
  const rand64 = (n) => crypto.getRandomValues(new BigUint64Array(n));
  const modT = (x, t) => { const o = new BigUint64Array(x.length); for (let i = 0; i < x.length; i++) o[i] = x[i] % t; return o; };
  const ctxs = ts.map((t) => {
    parms.setPlainModulus(new seal.Modulus(t));
    const ctx = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
    const kg = new seal.KeyGenerator(ctx);
    const sk = kg.secretKey(), pk = kg.createPublicKey();
    return { t, ctx, enc: new seal.Encryptor(ctx, pk, sk), dec: new seal.Decryptor(ctx, sk), ev: new seal.Evaluator(ctx), bat: new seal.BatchEncoder(ctx) };
  });
  const encode = (c, x) => { const pt = new seal.Plaintext(); c.bat.encode(x, pt); return pt; };
  const load = (c, bytes) => { const ct = new seal.Ciphertext(); ct.loadFromArray(c.ctx, bytes); return ct; };
  const randU32 = (n) => { const o = new Uint32Array(n); for (let i = 0; i < n; i += 16384) crypto.getRandomValues(o.subarray(i, i + 16384)); return o; };
  ctxs.forEach((c) => { c.qs = seal.jsArrayFromVecModulus(c.ctx.firstContextData().parms().coeffModulus()); c.flood = 0; });
  // Circuit privacy by noise flooding: add to c0 a uniform integer in [-2^f, 2^f) per coefficient (in every RNS
  // component), f = 40 bits above the noise. node-seal exposes no sampler, so this patches the uncompressed
  // serialization (data last: c0 then c1, each k RNS rows of N words) and loads it back.
  const flood = (c, ct) => {
    const raw = ct.saveToArray(none), k = c.qs.length, off = raw.length - 2 * k * N * 8;
    if (ct.size() !== 2 || ct.coeffModulusSize() !== k || off < 0) throw new Error('unexpected ciphertext layout');
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength), w = Math.ceil((c.flood + 1) / 32), rnd = randU32(N * w);
    const B = 1n << BigInt(c.flood), mask = (B << 1n) - 1n;
    for (let i = 0; i < N; i++) {
      let e = 0n; for (let j = 0; j < w; j++) e = (e << 32n) | BigInt(rnd[i * w + j]);
      e = (e & mask) - B;
      for (let m = 0; m < k; m++) { const q = c.qs[m], at = off + (m * N + i) * 8; dv.setBigUint64(at, (dv.getBigUint64(at, true) + e % q + q) % q, true); }
    }
    ct.loadFromArray(c.ctx, raw);
  };
  // P1's step on one prime: Enc(a0)*b1 + Enc(b0)*a1 + r, flood, then switch down 'drops' levels.
  // (measuring: also the noise budget, a secret-key operation, and the uncompressed size; never in the timed runs)
  const p1 = (c, fa, fb, a1, b1, r, drops, measuring) => {
    const ca = load(c, fa), cb = load(c, fb), pb = encode(c, modT(b1, c.t)), pa = encode(c, modT(a1, c.t)), pr = encode(c, modT(r, c.t));
    c.ev.multiplyPlainInplace(ca, pb); c.ev.multiplyPlainInplace(cb, pa); c.ev.addInplace(ca, cb); c.ev.addPlainInplace(ca, pr);
    const budgets = measuring ? [c.dec.invariantNoiseBudget(ca)] : [];
    if (c.flood) { flood(c, ca); if (measuring) budgets.push(c.dec.invariantNoiseBudget(ca)); }
    for (let d = 0; d < drops; d++) { c.ev.cipherModSwitchToNextInplace(ca); if (measuring) budgets.push(c.dec.invariantNoiseBudget(ca)); }
    const out = ca.saveToArray(zstd), raw = measuring ? ca.saveToArray(none).length : 0;
    [ca, cb, pb, pa, pr].forEach((o) => o.delete());
    return { out, raw, budgets };
  };
  const p0enc = (c, x, measuring) => { const pt = encode(c, modT(x, c.t)); const s = c.enc.encryptSymmetricSerializable(pt); const b = s.saveToArray(zstd); const raw = measuring ? s.saveToArray(none).length : 0; s.delete(); pt.delete(); return { b, raw }; };
  const p0dec = (c, bytes) => { const ct = load(c, bytes), pt = new seal.Plaintext(); c.dec.decrypt(ct, pt); const v = c.bat.decodeBigUint64(pt); ct.delete(); pt.delete(); return v; };
  // Calibrate (untimed): noise after P1's step -> flooding width (+40 bits, +3 margin); then the lowest level that
  // still leaves >= 10 bits of noise budget.
  const cal = rand64(N), log2 = (x) => Math.log2(Number(x));
  const drops = ctxs.map((c) => {
    const f = p0enc(c, cal, false).b, top = p1(c, f, f, cal, cal, cal, 0, true).budgets[0];
    const noiseBits = c.qs.reduce((s, q) => s + log2(q), 0) - log2(c.t) - top - 1;
    if (flooding) c.flood = Math.ceil(noiseBits) + 43;
    let d = 0;
    for (;;) { try { const r = p1(c, f, f, cal, cal, cal, d + 1, true); if (r.budgets[r.budgets.length - 1] < 10) break; d++; } catch { break; } }
    return d;
  });
  // Sizes and budgets, once, untimed.
  const f0 = ctxs.map((c) => p0enc(c, cal, true)), b0s = ctxs.map((c, i) => p1(c, f0[i].b, f0[i].b, cal, cal, cal, drops[i], true));
  const sizes = { forwardCiphertext: f0[0].b.length, forwardCiphertextUncompressed: f0[0].raw, backCiphertext: b0s[0].out.length, backCiphertextUncompressed: b0s[0].raw };
  const budgets = b0s.map((b) => b.budgets);
  // CRT constants: V = sum v_i * e_i mod T.
  const T = ts.reduce((x, y) => x * y, 1n);
  const inv = (a, m) => { let [r0, r1, s0, s1] = [a % m, m, 1n, 0n]; while (r1) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; } return ((s0 % m) + m) % m; };
  const es = ts.map((t) => (T / t) * inv((T / t) % t, t) % T);
  const M41 = (1n << 41n) - 1n, M64 = (1n << 64n) - 1n;
  const tm = { p0Encrypt: 0, p1Eval: 0, p0Decrypt: 0, p0Crt: 0 };
  let fwdBytes = 0, backBytes = 0, checked = 0;
  for (let rep = 0; rep < reps; rep++) {
    const [a0, b0, a1, b1, w0, w1, w2] = [rand64(N), rand64(N), rand64(N), rand64(N), rand64(N), rand64(N), rand64(N)];
    let t0 = now();
    const fwd = ctxs.map((c) => [p0enc(c, a0, false), p0enc(c, b0, false)]);
    tm.p0Encrypt += now() - t0; t0 = now();
    const r = new Array(N); for (let i = 0; i < N; i++) r[i] = ((w2[i] & M41) << 128n) | (w1[i] << 64n) | w0[i]; // r < 2^169
    const back = ctxs.map((c, i) => p1(c, fwd[i][0].b, fwd[i][1].b, a1, b1, r, drops[i], false));
    tm.p1Eval += now() - t0; t0 = now();
    const vs = ctxs.map((c, i) => p0dec(c, back[i].out));
    tm.p0Decrypt += now() - t0; t0 = now();
    const c0 = new BigUint64Array(N);
    for (let i = 0; i < N; i++) { let v = 0n; for (let k = 0; k < es.length; k++) v += vs[k][i] * es[k]; c0[i] = v % T; }
    tm.p0Crt += now() - t0;
    for (let i = 0; i < N; i++) {
      const want = (a0[i] * b1[i] + b0[i] * a1[i]) & M64, got = (c0[i] - w0[i]) & M64; // P1's share is -r mod 2^64 = -w0
      if (want !== got) throw new Error('BFV cross term wrong at ' + i);
      checked++;
    }
    fwd.forEach((f) => { fwdBytes += f[0].b.length + f[1].b.length; });
    back.forEach((b) => { backBytes += b.out.length; });
  }
  const total = tm.p0Encrypt + tm.p1Eval + tm.p0Decrypt + tm.p0Crt, triples = reps * N;
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    N, coeffModulusBits: ctxs[0].ctx.firstContextData().totalCoeffModulusBitCount(), plainPrimes: ts.map(String), floodBits: ctxs.map((c) => c.flood), levelsDropped: drops, noiseBudgetsBits: budgets, ciphertextBytes: sizes,
    triples, checked, ms: Object.fromEntries(Object.entries(tm).map(([k, v]) => [k, Math.round(v)])),
    usPerTriple: Object.fromEntries(Object.entries(tm).map(([k, v]) => [k, round(v * 1000 / triples)])),
    triplesPerSec: Math.round(triples / total * 1000),
    onePrimeProductsPerSec: Math.round(triples * ts.length / (total - tm.p0Crt) * 1000),
    bytesPerTriple: { forward: round(fwdBytes / triples), back: round(backBytes / triples), total: round((fwdBytes + backBytes) / triples) },
  };
}`;
