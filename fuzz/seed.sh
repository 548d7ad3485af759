#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs made from the repository's
# own transcripts and fixtures (nothing is copied into git: run this first).
# Structured targets get a selector byte in front (see fuzz/src/harness.rs).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=..
FX=$ROOT/tests/fixtures/formats
C=corpus

put() { # put TARGET NAME PREFIX_OCTAL FILE [BYTES]
  mkdir -p "$C/$1"
  { printf "$3"; head -c "${5:-8000}" "$4"; } > "$C/$1/$2"
}
text() { # text TARGET NAME PREFIX_OCTAL STRING
  mkdir -p "$C/$1"
  { printf "$3"; printf "%s" "${4:-}"; } > "$C/$1/$2"
}

# FILE_NAMES in the harness: 0 ep.txt 1 ep.vtt 2 ep.srt 3 ep.json 4 ep.html 5 ep.xml 6 ep.rttm 7 ep.meta.toml 8 ep.chapters.json
# 9 ep 10 dir/.../ép 1.fr.vtt 11 ep.ttml 12 ep.smi
for f in $ROOT/corpus/*.txt; do
  n=$(basename "$f" .txt)
  put parse_any "$n" '\000' "$f"; put detect "$n" '\000' "$f" 2000
done
for f in $FX/*.vtt; do put parse_any "$(basename "$f")" '\001' "$f"; put detect "$(basename "$f")" '\001' "$f"; put webvtt "$(basename "$f")" '' "$f"; done
for f in $FX/*.srt; do put parse_any "$(basename "$f")" '\002' "$f"; put detect "$(basename "$f")" '\002' "$f"; put srt "$(basename "$f")" '' "$f"; done
for f in $FX/ep0[3-8]*.json*; do
  put parse_any "$(basename "$f")" '\003' "$f"; put detect "$(basename "$f")" '\003' "$f"
  for i in 0 1 2 3 4 5 6; do put json_formats "$i-$(basename "$f")" "\\00$i" "$f"; done
done
WILD=$ROOT/tests/fixtures/wild
for f in $WILD/*.sbv $WILD/damaged.txt; do put sbv "$(basename "$f")" '' "$f"; put parse_any "$(basename "$f")" '\000' "$f"; done
for f in $WILD/*.xml; do put youtube_xml "$(basename "$f")" '' "$f"; put parse_any "$(basename "$f")" '\005' "$f"; put detect "$(basename "$f")" '\005' "$f"; done
for f in $WILD/utf*; do put parse_any "$(basename "$f")" '\000' "$f"; put detect "$(basename "$f")" '\000' "$f"; done
for f in $FX/*.html; do put parse_any "$(basename "$f")" '\004' "$f"; put detect "$(basename "$f")" '\004' "$f"; put podcasting20_html "$(basename "$f")" '' "$f"; done
TT=$ROOT/tests/fixtures/timed-text
for f in $TT/*.ttml $TT/*.xml; do put parse_any "$(basename "$f")" '\013' "$f"; put detect "$(basename "$f")" '\005' "$f"; put ttml "$(basename "$f")" '' "$f"; done
for f in $TT/*.smi; do put parse_any "$(basename "$f")" '\014' "$f"; put detect "$(basename "$f")" '\014' "$f"; put sami "$(basename "$f")" '' "$f"; done
put detect feed '\005' $FX/feed.xml; put detect rttm '\006' $FX/ep06-whisper.rttm
put detect meta '\007' $FX/ep02-sante.meta.toml; put detect chapters '\010' $FX/ep01-ecole.chapters.json
for f in $FX/*.chapters.json; do put json_formats "5-$(basename "$f")" '\005' "$f"; done

for f in $ROOT/corpus/mac-*.txt; do put podcast_page "$(basename "$f")" '' "$f"; done
for f in $ROOT/corpus/techco-*.txt $ROOT/corpus/smarttech-*.txt; do put caption_lines "$(basename "$f")" '' "$f"; done
put diarized_dump interview '' $ROOT/corpus/interview-arthur-mensch-mistral.txt

for f in $FX/*.meta.toml $ROOT/corpus/*.meta.toml; do put companions "$(basename "$f")" '\000' "$f"; done
for f in $FX/*.chapters.json; do put companions "$(basename "$f")" '\001' "$f"; done
for f in $FX/*.rttm; do put companions "$(basename "$f")" '\002' "$f"; done
put companions feed.xml '\003' $FX/feed.xml

text text_bits date0 '\000' "Ce mardi 3 février 2025"
text text_bits date1 '\000' "Date de sortie: 29/08/2025"
text text_bits dur '\001' "1 h 12 min"
text text_bits pub '\002' "Tue, 04 Feb 2025 10:00:00 +0100"
text text_bits clock '\003' "01:02:03.500 Bonjour"
text text_bits credits '\004' "Présenté par Léa Martin (Radio X). Avec Paul Durand, chercheur, et Anne Roy."
text text_bits tags '\005' "<p>L&apos;&eacute;t&#233; <b>chaud</b></p>"
text text_bits chapters '\006' $'00:00 Intro\n03:15 Les chatbots https://ex.fr/a\n1:02:03 Fin'
text text_bits prefix '\007' "Léa Martin : bonjour"
text text_bits ids '\010' $'a/b.vtt\na.txt\nÉté 2024/ép 1.txt'
text text_bits slug '\011' "Shows/Été 2024/ép 1.meta.toml"

# search: no filters, limit 10, offset 0, then the query.
for q in "intelligence artificielle" '"la troisième voie"' "Mensch Mistral" "lupus chatbots" "l'IA" "SpaceX xAI Musk"; do
  text search "$(echo "$q" | tr -cd 'a-zA-Z')" '\000\000\000\000\000\000\001\012\001\000\000' "$q"
done
text search filtered '\002\000\001\001\001\002\001\001\000\001\000\001\005\001\000\000' "intelligence"
for q in "Bonjour et bienvenue" "les chatbots ne remplacent pas les médecins" "une phrase que personne n'a jamais prononcée"; do
  text verify_quote "$(echo "$q" | tr -cd 'a-zA-Z' | head -c 20)" '\000' "$q"
done
text cursor zero '\000\000\000\000\000\000\000\000\003abc' "7b2266223a22616263222c226f223a337d"

# mcp_tools selector 0: raw JSON arguments for TOOLS[i].
i=0
for args in '{"query":"Marc"}' '{"episode_id":"ep-a"}' '{"episode_id":"ep-a"}' '{"episode_id":"ep-a","chapter":1,"max_chars":"300"}' \
  '{"episode_id":"ep-a","start_seconds":10,"end_seconds":60}' '{"query":"batteries","limit":"3"}' '{"quote":"les batteries"}' '{"speaker":"SPEAKER_01"}'; do
  text mcp_tools "raw$i" "\\000\\00$i" "$args"; i=$((i+1))
done
text mcp_tools resource '\001\000\000\004' "ep-a"
text mcp_tools prompt '\002\001\001\010\001'
echo "seeded: $(find $C -type f | wc -l) files in $C/"
