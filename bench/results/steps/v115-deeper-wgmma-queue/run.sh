#!/usr/bin/env bash
# v115 (prepared in session 24, not run): 8 wgmma in flight per warpgroup instead of 4 for the
# sm90 tiles of 256-deep slices and groups of 8+ steps (change.diff), timed with and without
# the change at M = 32, 64, 128 through bench/time_change.sh, three unchanged tiles as
# controls. About 7 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v115-deeper-wgmma-queue 32,64,128
