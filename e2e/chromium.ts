// How Parley's browser tests and benchmarks launch Chromium: Debian's build, headless, with
// loopback-only WebRTC (see ../shared/docs/BROWSER_TESTS.md for why each flag is needed).

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
];
