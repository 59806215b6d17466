#!/usr/bin/env bash
# Rebuilds chest_xray_sample/ from the full 224x224 set: a fixed, stratified pick, files copied byte for byte.
# Usage: src/sample-data/make-chest-xray-sample.sh [FULL_SET_DIR]   (default: ../shared/data/chest_xray_224 beside the repo)
# Rule, per (split, subtype): drop every file whose md5 occurs more than once in the full set, sort the rest by
# path (byte order), and take the files at positions floor((i + 0.5) * n / want) for i = 0 .. want-1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
full="${1:-$here/../../../shared/data/chest_xray_224}"
out="$here/chest_xray_sample"
[ -f "$full/manifest.csv" ] || { echo "No manifest.csv in $full" >&2; exit 1; }
export LC_ALL=C

picks="$(mktemp)"
trap 'rm -f "$picks"' EXIT
awk -F, '
  NR == FNR { if (FNR > 1) seen[$7]++; next }
  FNR == 1 { next }
  seen[$7] == 1 { print }
' "$full/manifest.csv" "$full/manifest.csv" | sort -t, -k1,1 | awk -F, -v OFS=, '
  BEGIN { want["train,normal"] = 80; want["train,bacteria"] = 40; want["train,virus"] = 40
          want["test,normal"] = 30;  want["test,bacteria"] = 15;  want["test,virus"] = 15 }
  { key = $2 "," $4; rows[key, ++n[key]] = $0 }
  END {
    for (key in want) {
      if (n[key] < want[key]) { print "too few files for " key > "/dev/stderr"; exit 1 }
      for (i = 0; i < want[key]; i++) print rows[key, int((i + 0.5) * n[key] / want[key]) + 1]
    }
  }
' | sort -t, -k1,1 > "$picks"

rm -rf "$out/train" "$out/test"
while IFS=, read -r path _; do
  mkdir -p "$out/$(dirname "$path")"
  cp "$full/$path" "$out/$path"
done < "$picks"
# Same columns and row order as the full set's manifest.
awk -F, 'NR == FNR { keep[$1] = 1; next } FNR == 1 || keep[$1]' "$picks" "$full/manifest.csv" > "$out/manifest.csv"
echo "$(wc -l < "$picks") images in $out ($(du -sh "$out" | cut -f1))"
