#!/bin/sh
# genassym.sh - turn the "->NAME value" markers that kernel/x86_64/genassym.c
# leaves in its assembly output into NASM definitions.
set -eu
echo "; generated from kernel/x86_64/genassym.c by tools/genassym.sh; do not edit"
sed -n 's/.*->\([A-Za-z_][A-Za-z0-9_]*\) \$\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/%define \1 \2/p' "$1"
