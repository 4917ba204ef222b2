#!/bin/sh
# mkdebian.sh DIR - a Debian root filesystem for examples/debian.yaml,
# made with mmdebstrap (as root; it downloads about 40 MB of packages).
# `make debian-rootfs` runs it for examples/debian-rootfs.  SUITE=trixie
# picks another release.
set -eu
dir=${1:?usage: mkdebian.sh DIR}
suite=${SUITE:-bookworm}
if ! command -v mmdebstrap >/dev/null; then
        echo "mkdebian.sh: needs mmdebstrap (apt-get install mmdebstrap)" >&2
        exit 1
fi
if [ -e "$dir/etc/debian_version" ]; then
        echo "mkdebian.sh: $dir is there already; rm -rf it to make it again" >&2
        exit 0
fi
# minbase: dpkg, apt, bash and coreutils, nothing that expects an init.
mmdebstrap --variant=minbase "$suite" "$dir"
