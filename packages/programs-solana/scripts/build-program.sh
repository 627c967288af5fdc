#!/usr/bin/env bash
# Builds dist/bulwark.so from program/ without Solana's platform tools:
#   Debian rustc (bpfel-unknown-none, no_std, LTO) -> LLVM bitcode -> llc-22 -> BPF object
#   -> scripts/link.ts (this package's post-linker) -> SBPF v0 shared object.
# Install the tools with: apt-get install -y rustc-web libstd-rust-web-dev-bpf llvm-22
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTC="${BULWARK_RUSTC:-/usr/bin/rustc}"
LLC="${BULWARK_LLC:-$(command -v llc-22 || true)}"
missing=()
[ -x "$RUSTC" ] || missing+=("rustc at $RUSTC (apt-get install rustc-web)")
if [ -x "$RUSTC" ] && ! "$RUSTC" --print target-list 2>/dev/null | grep -qx bpfel-unknown-none; then
  missing+=("rustc target bpfel-unknown-none")
fi
if [ -x "$RUSTC" ] && [ ! -d "$("$RUSTC" --print sysroot)/lib/rustlib/bpfel-unknown-none" ]; then
  missing+=("core for bpfel-unknown-none (apt-get install libstd-rust-web-dev-bpf)")
fi
[ -n "$LLC" ] && [ -x "$LLC" ] || missing+=("llc-22 (apt-get install llvm-22)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-program: missing tools:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 3
fi
OUT="${1:-dist/bulwark.so}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$RUSTC" --edition 2021 --crate-name bulwark_program --crate-type staticlib \
  --target bpfel-unknown-none -C opt-level=3 -C panic=abort -C lto=fat -C codegen-units=1 \
  -C overflow-checks=off --remap-path-prefix "$PWD=." \
  --emit llvm-bc -o "$WORK/bulwark.bc" program/src/lib.rs
"$LLC" -march=bpfel -mcpu=v2 -O3 -bpf-stack-size=4096 -filetype=obj -o "$WORK/bulwark.o" "$WORK/bulwark.bc"
mkdir -p "$(dirname "$OUT")"
node --import tsx scripts/link.ts "$WORK/bulwark.o" "$OUT"
