#!/usr/bin/env bash
# Runs every fuzz target (or those named) one after the other, SECONDS each
# (default 150), logging to logs/<target>.log. A crash stops that target only.
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${SECONDS_EACH:-150}
TARGETS=${*:-parse_any detect webvtt srt sbv youtube_xml ttml sami podcast_page caption_lines diarized_dump podcasting20_html json_formats companions text_bits search verify_quote cursor mcp_tools}
mkdir -p logs
for t in $TARGETS; do
  case $t in
    search|verify_quote|cursor|mcp_tools|text_bits) len=4096 ;;
    *) len=65536 ;;
  esac
  echo "== $t ($SECONDS_EACH s, max_len $len)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a "$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len="$len" -timeout=10 -rss_limit_mb=2048 \
    > "logs/$t.log" 2>&1
  echo "   exit $?: $(grep -E '^Done|^#[0-9]+.*(DONE|cov)' "logs/$t.log" | tail -1)"
done
