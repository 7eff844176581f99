#!/usr/bin/env bash
# System packages the tests need (Debian): headless Chromium to open the exported HTML offline,
# CJK fonts so Chinese labels render in charts and screenshots, and the PDF tools that rewrite the
# real reports as other producers do (tests/producer_copies.py: mutool, qpdf; gs and poppler-utils
# for rewrites and inspection), and the shared libraries OpenCV loads for the OCR page source
# (libgl1, libglib2.0-0).
# Idempotent: installs only what is missing; safe to run repeatedly (CI, fresh machines).
set -euo pipefail

PKGS=(chromium fonts-noto-cjk fonts-wqy-zenhei mupdf-tools qpdf ghostscript poppler-utils libgl1 libglib2.0-0)

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

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fc-cache -f >/dev/null 2>&1 || true
echo "install-system-deps: done"
