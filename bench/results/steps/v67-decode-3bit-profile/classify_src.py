"""Executed instructions of one kernel by role, from Nsight Compute's source page.

    python classify_src.py src_<M>_<kernel>.csv.xz CODES

CODES: weight codes of the problem (K x N); prints each role's share of the executed warp
instructions and its thread instructions per code. Roles by opcode and operands: the
unpack's LOP3 (magic-number OR / select, LUT 0xea or 0xe2) and HFMA2/HADD2, its shifts, the
MMAs, ldmatrix, shared loads, the group scales (LDS.U16, HADD2.F32, FFMA), cp.async; the rest
by opcode.
"""
import collections
import csv
import lzma
import re
import sys

rows = list(csv.reader(lzma.open(sys.argv[1], "rt")))
header, rows = rows[1], rows[2:]
col = {h: i for i, h in enumerate(header)}
codes = float(sys.argv[2])
roles, total = collections.Counter(), 0
for row in rows:
    source, executed = row[col["Source"]].strip(), int(row[col["Instructions Executed"]] or 0)
    if not source:
        continue
    tokens = source.split()
    predicated = tokens[0].startswith("@")
    op = tokens[1] if predicated else tokens[0]
    operands = " ".join(tokens[2:] if predicated else tokens[1:])
    base = op.split(".")[0]
    if base == "LOP3" and ("0x64006400" in operands or re.search(r"0xea|0xe2", operands)):
        role = "unpack"
    elif base in ("HFMA2", "HADD2") and "F32" not in op:
        role = "unpack"
    elif base == "SHF":
        role = "unpack shifts"
    elif base == "HMMA":
        role = "mma"
    elif base == "LDSM":
        role = "ldmatrix"
    elif op.startswith("LDS.U16") or (base == "HADD2" and "F32" in op) or base == "FFMA":
        role = "group scales"
    elif base == "LDS":
        role = "shared loads"
    elif base == "LDGSTS":
        role = "cp.async"
    else:
        role = "other " + base
    roles[role] += executed
    total += executed
print(f"executed warp instructions {total}, thread instructions per code {total * 32 / codes:.3f}")
for role, n in roles.most_common(16):
    print(f"  {role:20s} {n / total:6.3f}  {n * 32 / codes:6.3f} per code")
