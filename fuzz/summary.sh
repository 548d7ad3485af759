#!/usr/bin/env bash
# One Markdown table row per fuzz log in logs/: target, time, executions,
# edge coverage and features reached, corpus size, findings in artifacts/.
cd "$(dirname "$0")"
for log in logs/*.log; do
  t=$(basename "$log" .log)
  done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -1)
  runs=$(echo "$done_line" | awk '{print $2}')
  secs=$(echo "$done_line" | awk '{print $5}')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | awk '{print $2}')
  ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | awk '{print $2}')
  corp=$(echo "$last" | grep -oE 'corp: [0-9]+' | awk '{print $2}')
  eps=$(echo "$last" | grep -oE 'exec/s: [0-9]+' | awk '{print $2}')
  found=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  [ -z "$runs" ] && runs="(stopped: $(grep -oE 'ERROR: libFuzzer: [a-z-]+|panicked at [^:]*' "$log" | head -1))"
  echo "| $t | ${secs:-?} s | $runs | ${eps:-?} | $cov | $ft | $corp | $found |"
done
