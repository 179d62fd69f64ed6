#!/bin/sh
# linux-deps.sh - what `make bench-linux` and `make bench-compare` need beyond
# tools/deps.sh: Debian's kernel (linux-image-amd64, for /boot/vmlinuz-*),
# its headers (linux-headers-amd64, to build the module of the load and
# unload figure) and musl-gcc (musl-tools) to build ubench for it. Installed with apt-get,
# non-interactively, only if missing; cheap when nothing is.
set -eu

missing=""
ls /boot/vmlinuz-* >/dev/null 2>&1 || missing="$missing linux-image-amd64"
ls -d /lib/modules/*/build >/dev/null 2>&1 || missing="$missing linux-headers-amd64"
command -v musl-gcc >/dev/null 2>&1 || missing="$missing musl-tools"
[ -z "$missing" ] && exit 0

echo "bench-linux: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
else
	echo "bench-linux: not root and no sudo; install these yourself:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
	$SUDO apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi
