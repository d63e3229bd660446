// A preprocessing lane's worker (lanes.ts, started by lane-worker.ts): one OtGenerator whose
// messages go through the parent's Pool over a comlink port, so its OT work runs on a core of
// its own. Entry only; the service itself is laneService (lane-service.ts).

import * as Comlink from 'comlink';
import { laneService } from './lane-service.js';

Comlink.expose(laneService());
