#!/usr/bin/env bash
# Install what the HTML and notebook tests need from Debian's archive:
#   chromium        headless rendering of the HTML pages (tests/test_html.py)
#   fonts-noto-cjk  a CJK font, so Chinese text renders in screenshots and matplotlib charts, and
#                   tests/test_cli_documents.py can build its PDF of a seed report (fpdf2 embeds it)
# Idempotent: does nothing when both are already there. Needs root (or sudo) and apt-get.
# Without them it warns and exits 0, unless CI is set, where a missing browser is an error.
set -euo pipefail

want=()
chromium_bin() { command -v chromium || command -v chromium-browser || true; }
[ -n "$(chromium_bin)" ] || want+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    want+=(fonts-noto-cjk)
fi
if [ ${#want[@]} -eq 0 ]; then
    echo "install-chromium: chromium and a CJK font are already installed"
    exit 0
fi

fail() {
    echo "install-chromium: $*" >&2
    case "${CI:-}" in ""|0|false|False|FALSE|no) ;; *) exit 1 ;; esac
    echo "install-chromium: continuing without ${want[*]} (the HTML tests will be skipped; the PDF tests need the font and will fail)" >&2
    exit 0
}

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    fail "need root or passwordless sudo to apt-get install ${want[*]}"
fi
command -v apt-get >/dev/null 2>&1 || fail "no apt-get: install ${want[*]} with your system's package manager"

echo "install-chromium: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
"${sudo[@]}" apt-get "${apt_opts[@]}" update -qq || fail "apt-get update failed"
"${sudo[@]}" apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${want[@]}" >/dev/null \
    || fail "apt-get install ${want[*]} failed"
[ -n "$(chromium_bin)" ] || fail "chromium is still missing after apt-get install"
echo "install-chromium: done ($("$(chromium_bin)" --version 2>/dev/null || echo chromium))"
