#!/usr/bin/env bash
# Runs a command inside a fresh network namespace that has only loopback, so browser and
# WebRTC traffic in tests can reach nothing but 127.0.0.1 / ::1 (see BROWSER_TESTS.md).
set -euo pipefail
inner='ip link set lo up && exec "$@"'
if [ "$(id -u)" = 0 ]; then
  exec unshare --net -- bash -c "$inner" ns "$@"
else
  exec unshare --net --map-root-user -- bash -c "$inner" ns "$@"
fi
