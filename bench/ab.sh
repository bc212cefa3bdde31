#!/usr/bin/env bash
# Compares two builds' CPU time per request, alternating runs (the machine is shared):
#   bench/ab.sh <dist A> <dist B> [runs] [measure]   (each a directory holding a built dist/, with the package.json, node_modules and prisma it runs with)
set -euo pipefail
a=$1; b=$2; runs=${3:-5}; measure=${4:-reads}
for i in $(seq 1 "$runs"); do
  for d in "$a" "$b"; do
    printf '%s ' "$d"
    node bench/profile.mjs --no-profile --duration 4 --measure "$measure" --main "$d/dist/main.js" | grep -E 'all|req/s' | tr -d '*|' | awk '{print $NF}' | tr '\n' ' '
    echo
  done
done
