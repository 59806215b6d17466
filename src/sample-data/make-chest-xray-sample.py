#!/usr/bin/env python3
"""Rebuilds chest_xray_sample/ from the full 224x224 set: a fixed, stratified pick of whole patients, copied byte for byte.

Usage: src/sample-data/make-chest-xray-sample.py [FULL_SET_DIR]   (default: ../shared/data/chest_xray_224 beside the repo)

Rule, per (split, label): drop every file whose md5 occurs more than once in the full set, and every child the full set
has in both train and test; group the rest by patient (the file name's person123 / IM-0123 / NORMAL2-IM-0123 part, as
KaggleLayout.PatientOf reads it; a file without one is its own group); order the patients by the MD5 of their name, then
take whole patients in that order until the group holds at least the wanted number of images. No randomness: the same
full set gives the same sample.
"""
import csv, hashlib, os, re, shutil, sys
from collections import Counter, defaultdict

WANT = {("train", "NORMAL"): 340, ("train", "PNEUMONIA"): 340, ("test", "NORMAL"): 70, ("test", "PNEUMONIA"): 70}

here = os.path.dirname(os.path.abspath(__file__))
full = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared", "data", "chest_xray_224")
out = os.path.join(here, "chest_xray_sample")
if os.path.exists(full) and os.path.samefile(full, out):
    sys.exit("FULL_SET_DIR is the sample itself: point it at the full set.")
with open(os.path.join(full, "manifest.csv"), newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)

def patient(path):
    name = os.path.splitext(os.path.basename(path))[0]
    m = re.match(r"^(person\d+)_", name, re.IGNORECASE)
    if m:
        return m.group(1).lower()
    m = re.match(r"^((?:NORMAL2-)?IM-\d+)(?:-\d+)+$", name, re.IGNORECASE)
    return m.group(1).upper() if m else path

md5s = Counter(r[6] for r in rows)
# Kermany's split puts some children's images in both train and test: they are left out, so no child is on both sides here.
splits_of = defaultdict(set)
for r in rows:
    splits_of[patient(r[0])].add(r[1])
groups = defaultdict(lambda: defaultdict(list))
for r in rows:
    if md5s[r[6]] == 1 and len(splits_of[patient(r[0])]) == 1:
        groups[(r[1], r[2])][patient(r[0])].append(r)

picked = []
for key, want in WANT.items():
    taken = 0
    for p in sorted(groups[key], key=lambda p: (hashlib.md5(p.encode()).hexdigest(), p)):
        if taken >= want:
            break
        picked.extend(groups[key][p])
        taken += len(groups[key][p])
    if taken < want:
        sys.exit(f"too few files for {key}")

keep = {r[0] for r in picked}
for split in ("train", "test", "val"):
    shutil.rmtree(os.path.join(out, split), ignore_errors=True)
for r in picked:
    os.makedirs(os.path.join(out, os.path.dirname(r[0])), exist_ok=True)
    shutil.copyfile(os.path.join(full, r[0]), os.path.join(out, r[0]))
# Same columns and row order as the full set's manifest.
with open(os.path.join(out, "manifest.csv"), "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(r for r in rows if r[0] in keep)
size = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(out) for n in ns)
print(f"{len(picked)} images in {out} ({size / 2**20:.1f} MiB)")
for (split, label, subtype), n in sorted(Counter((r[1], r[2], r[3]) for r in picked).items()):
    print(f"  {split} {label} {subtype}: {n}")
print(f"  patients: {len({(r[1], patient(r[0])) for r in picked})}")
