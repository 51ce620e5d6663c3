#!/usr/bin/env bash
# v124, second call: probe 4 (no copies after the first slices) against probe 0, same tiles,
# shapes and M as run.sh. About 1.5 minutes. carry: [".whl"]
PROBES="0 4" NAME=bench_run2_probe bash "$(dirname "$0")/run.sh"
