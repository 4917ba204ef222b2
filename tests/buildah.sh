#!/bin/sh
# buildah.sh - buildah builds an image with `congo` as the runtime of its
# RUN steps (buildah --runtime PATH bud --isolation oci): FROM the suite's
# busybox root filesystem as a docker-archive, a RUN step that writes a
# file and says which cgroup it ran in; the built image holds the file
# (buildah from + mount, and buildah run through congo again); nothing
# left afterwards (containers, congo state, cgroups, mounts).
#
# buildah keeps its storage, run root and temporary files in a directory
# of ours, inside private mount and pid namespaces with a tmpfs over
# /var/lib (its blob-info cache) and over /run (congo's state, --root's
# default /run/congo), so nothing is left on the host.  The containers'
# cgroup is congo/buildah-test (buildah gives them the parent itself).
set -u
[ "$(id -u)" = 0 ] || { echo "buildah.sh: needs root; not run"; exit 77; }
command -v buildah >/dev/null || { echo "buildah.sh: buildah is missing (apt-get install buildah); not run"; exit 77; }
runtime=${CONGO_RUNTIME:-./congo}
case $runtime in /*) ;; *) runtime=$PWD/$runtime ;; esac
src=${CONGO_SRCDIR:-$(dirname "$0")/..}
t=$(mktemp -d /tmp/congo-buildah-XXXXXX) || exit 1
parent=congo/buildah-test
cleanup() {
        for c in /sys/fs/cgroup/*/$parent /sys/fs/cgroup/$parent; do
                [ -d "$c" ] && rmdir "$c" 2>/dev/null
        done
        rm -rf "$t"
}
trap cleanup EXIT
fail() { echo "buildah.sh: FAIL: $*"; exit 1; }

sh "$src/tests/mkrootfs.sh" "$t/rootfs" >/dev/null || fail "mkrootfs.sh"
sh "$src/tests/mkimage.sh" "$t/rootfs" "$t/image.tar" congo-buildah-base:latest || fail "mkimage.sh"
mkdir "$t/ctx" "$t/tmp"
cat > "$t/ctx/Containerfile" <<EOF
FROM docker-archive:$t/image.tar
RUN echo built-by-congo > /made && grep -q '$parent\$' /proc/self/cgroup && echo "step: in $parent"
EOF

# The steps run inside the private namespaces; each prints what the test
# compares, or FAIL and why.
cat > "$t/steps.sh" <<'STEPS'
t=$1 runtime=$2 parent=$3
mount -t tmpfs tmpfs /var/lib
mount -t tmpfs tmpfs /run
b="buildah --root $t/storage --runroot $t/run --storage-driver vfs"
$b --runtime "$runtime" bud --isolation oci --network none --cgroup-manager cgroupfs \
        --cgroup-parent "/$parent" -t localhost/congo-built -f "$t/ctx/Containerfile" "$t/ctx" \
        >"$t/bud.out" 2>"$t/err" || { echo "FAIL bud: $(cat "$t/err")"; exit 1; }
grep '^step:' "$t/bud.out"
c=$($b from -q --cgroup-parent "/$parent" localhost/congo-built 2>"$t/err") || { echo "FAIL from: $(cat "$t/err")"; exit 1; }
m=$($b mount "$c" 2>"$t/err") || { echo "FAIL mount: $(cat "$t/err")"; exit 1; }
echo "image: $(cat "$m/made")"
$b umount "$c" >/dev/null 2>&1 || echo "FAIL umount"
echo "run: $($b --runtime "$runtime" run --isolation oci --network none "$c" \
        sh -c "cat /made; grep -q '$parent\$' /proc/self/cgroup && echo in $parent" 2>&1)"
$b rm "$c" >/dev/null 2>&1 || echo "FAIL rm"
$b rmi -a -f >/dev/null 2>&1 || echo "FAIL rmi"
echo "left: $($b containers -q | wc -l) containers, $(ls /run/congo 2>/dev/null | wc -l) congo states"
STEPS
out=$(TMPDIR=$t/tmp unshare -m -p -f --propagation private --mount-proc \
        sh "$t/steps.sh" "$t" "$runtime" "$parent" 2>&1)
want="step: in $parent
image: built-by-congo
run: built-by-congo
in $parent
left: 0 containers, 0 congo states"
[ "$out" = "$want" ] || fail "got:
$out
want:
$want"
! grep -q "$t" /proc/self/mountinfo || fail "a mount is left behind: $(grep "$t" /proc/self/mountinfo)"
cleanup
trap - EXIT
left=$(ls -d /sys/fs/cgroup/*/$parent /sys/fs/cgroup/$parent 2>/dev/null)
[ -z "$left" ] || fail "cgroups left: $left"
echo "buildah.sh: ok (buildah --runtime congo: bud with a RUN step, from, mount, run, rm)"
