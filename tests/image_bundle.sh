#!/bin/sh
# image_bundle.sh - a bundle made by image tools from a real image runs:
# the suite's busybox root filesystem imported by podman as an image,
# saved as an OCI image layout, unpacked by umoci into a bundle, and run
# with `congo-launch BUNDLE/`.
#
# podman keeps its storage, run root, locks and temporary files in a
# directory of ours (CONTAINERS_CONF, --root, --runroot), inside a private
# mount namespace with a tmpfs over /var/lib (its blob-info cache), so
# nothing is left on the host.
set -u
[ "$(id -u)" = 0 ] || { echo "image_bundle.sh: needs root; not run"; exit 77; }
for tool in podman umoci jq; do
        command -v "$tool" >/dev/null ||
                { echo "image_bundle.sh: $tool is missing (apt-get install $tool); not run"; exit 77; }
done
launcher=${CONGO_LAUNCH:-./congo-launch}
src=${CONGO_SRCDIR:-$(dirname "$0")/..}
t=$(mktemp -d /tmp/congo-image-XXXXXX) || exit 1
trap 'rm -rf "$t"' EXIT
fail() { echo "image_bundle.sh: FAIL: $*"; exit 1; }

sh "$src/tests/mkrootfs.sh" "$t/rootfs" >/dev/null || fail "mkrootfs.sh"
tar -C "$t/rootfs" -cf "$t/rootfs.tar" . || fail "tar"
mkdir "$t/tmp" "$t/net"
cat > "$t/containers.conf" <<CONF
[engine]
tmp_dir = "$t/tmp"
image_copy_tmp_dir = "$t/tmp"
events_logger = "none"
lock_type = "file"
[network]
network_config_dir = "$t/net"
CONF
CONTAINERS_CONF=$t/containers.conf TMPDIR=$t/tmp unshare -m --propagation private sh -ec '
        mount -t tmpfs tmpfs /var/lib
        p="podman --root $1/storage --runroot $1/run --storage-driver vfs"
        $p import -q "$1/rootfs.tar" congo-image-test:latest >/dev/null
        $p save -q --format oci-dir -o "$1/oci" congo-image-test:latest
' sh "$t" || fail "podman import/save"
umoci unpack --image "$t/oci:localhost/congo-image-test:latest" "$t/bundle" >/dev/null 2>&1 ||
        fail "umoci unpack"
[ -f "$t/bundle/config.json" ] && [ -x "$t/bundle/rootfs/bin/busybox" ] || fail "no bundle"

# The bundle as umoci wrote it is valid: every field of it maps.
"$launcher" --check "$t/bundle/" >/dev/null 2>"$t/err" || fail "--check: $(cat "$t/err")"

# As written but for the process: no terminal (none here) and a command
# that shows what the image gave: umoci's hostname, uid 0, its PATH and
# HOME, its rlimit, its mqueue and cgroup mounts.
jq '.process.terminal = false
    | .process.args = ["/bin/sh", "-c", "hostname; id -u; echo $PATH $HOME; ulimit -n; ls /bin/busybox; grep -c -e \" /dev/mqueue mqueue \" -e \" /sys/fs/cgroup cgroup2 ro,\" /proc/mounts; exit 3"]' \
        "$t/bundle/config.json" > "$t/config.json" && mv "$t/config.json" "$t/bundle/config.json" ||
        fail "jq"
out=$("$launcher" "$t/bundle/" </dev/null 2>"$t/err")
rc=$?
[ $rc -eq 3 ] || fail "exit $rc (want 3): $(cat "$t/err")"
want="umoci-default
0
/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /root
1024
/bin/busybox
2"
[ "$out" = "$want" ] || fail "output: $out"
# Nothing of the container left: its cgroup is named after the bundle.
if find /sys/fs/cgroup -name 'bundle-*' -path '*congo*' 2>/dev/null | grep -q .; then
        fail "a cgroup is left behind"
fi
echo "image_bundle.sh: ok (podman import + save, umoci unpack, congo-launch BUNDLE/)"
