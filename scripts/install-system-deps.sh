#!/usr/bin/env bash
# System packages some tests need (Debian): headless Chromium to open the exported HTML offline,
# CJK fonts so Chinese labels render in charts and screenshots, and the PDF tools that rewrite the
# real reports as other producers do (tests/producer_copies.py: mutool, qpdf; gs and poppler-utils
# for rewrites and inspection), and the shared libraries OpenCV loads for the OCR page source
# (libgl1, libglib2.0-0).
# Installs only what is missing, and only when it can: as root or with passwordless sudo. Otherwise it
# prints what is missing and how to get it, and exits 0: `make test` then skips the tests needing it
# (with the reason). Under JUESUAN_REQUIRE_ALL=1 (CI) being unable to install is an error.
set -euo pipefail

PKGS=(chromium fonts-noto-cjk fonts-wqy-zenhei mupdf-tools qpdf ghostscript poppler-utils libgl1 libglib2.0-0)
REQUIRED="${JUESUAN_REQUIRE_ALL:-}"
[ "$REQUIRED" = "0" ] && REQUIRED=""

cannot_install() {  # $1: why; the rest: the packages
  local why="$1"; shift
  echo "install-system-deps: not installing ($why). Missing: $*"
  echo "  - with root:     sudo apt-get install --no-install-recommends $*"
  echo "  - without root:  uv run playwright install chromium   (a browser for the browser tests, in your home)"
  echo "  Until then \`make test\` skips the tests that need them and says why."
  if [ -n "$REQUIRED" ]; then
    echo "install-system-deps: JUESUAN_REQUIRE_ALL is set: every test must run" >&2
    exit 1
  fi
  exit 0
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  cannot_install "not a Debian/Ubuntu system" "${PKGS[@]}"
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all present (${PKGS[*]})"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)  # passwordless sudo only: never a password prompt in the middle of `make test`
else
  cannot_install "not root, no passwordless sudo" "${missing[@]}"
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fc-cache -f >/dev/null 2>&1 || true
echo "install-system-deps: done"
