#!/bin/sh
# check-vm.sh - `make check-vm`: the root suites inside a small qemu VM
# running Debian's kernel, booted three times with a different cgroup
# layout: pure v2, v1, and hybrid (v1 but for hugetlb, plus cgroup2).
#
#   1. build congo statically, out of a copy of the sources (make distdir),
#      with ./configure LDFLAGS=-static;
#   2. pack an initramfs: busybox (tests/mkrootfs.sh), tests/vm/init as
#      /init, congo-launch, the probe and every suite in TESTS but the unit
#      tests, completion.sh, schema.sh and soak (no root state, or too slow under
#      emulation) and image_bundle.sh, podman.sh and the other clients'
#      scripts (containerd.sh, docker.sh, buildah.sh: podman, umoci and the clients do not fit in it);
#   3. boot it under qemu (-accel tcg: no KVM needed), once per layout; the
#      suites' output comes back on a second serial port.
#
# Exits non-zero if a suite fails, the VM does not finish, or a cgroup of
# congo's is left behind.  Called by make with MAKE, srcdir and builddir in
# the environment; VM_KERNEL, VM_LAYOUTS ("v2 v1 hybrid"), VM_TIMEOUT (per
# boot, seconds) and VM_ACCEL (tcg) may override.
set -eu
: "${MAKE:=make}" "${srcdir:=.}" "${builddir:=.}"
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
vm=$builddir/vm-build
kernel=${VM_KERNEL:-$(ls -v /boot/vmlinuz-* 2>/dev/null | tail -n 1)}
layouts=${VM_LAYOUTS:-v2 v1 hybrid}
timeout=${VM_TIMEOUT:-240}
accel=${VM_ACCEL:-tcg}   # KVM, where it works, is faster; tcg works everywhere

note() { echo "check-vm: $*"; }
die() { echo "check-vm: $*" >&2; exit 1; }

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: apt-get install qemu-system-x86"
command -v cpio >/dev/null || die "cpio is missing: apt-get install cpio"
[ -r "$kernel" ] || die "no readable kernel in /boot: apt-get install linux-image-amd64"
started=$(date +%s)

# 1. A static build from a pristine copy of the sources: a tree that is
# configured in place cannot also be built out of tree.
rm -rf "$vm"
mkdir -p "$vm/static"
(cd "$builddir" && $MAKE distdir distdir="$vm/src" >/dev/null)
(cd "$vm/static" && "$vm/src/configure" -q LDFLAGS=-static >configure.out 2>&1) ||
        { cat "$vm/static/configure.out"; die "configure LDFLAGS=-static failed"; }
$MAKE -C "$vm/static" -s check-vm-programs >/dev/null
suites=
for t in $($MAKE -C "$vm/static" -s check-vm-suites); do
        case ${t#tests/} in unit_*|soak|completion.sh|schema.sh|image_bundle.sh|podman.sh|containerd.sh|docker.sh|buildah.sh) ;; *) suites="$suites${suites:+,}${t#tests/}" ;; esac
done
note "static build done ($(($(date +%s) - started)) s); suites: $suites"

# 2. The initramfs.  /congo is the VM's source and build directory: the
# sources' tests/ (scripts, data), congo-launch and every check program but
# the unit tests and soak, and the suites' environment as make check sets it.
root=$vm/root
sh "$srcdir/tests/mkrootfs.sh" "$root" >/dev/null
mkdir -p "$root/congo" "$root/sys/fs/cgroup"
cp "$srcdir/tests/vm/init" "$root/init"
# The integration suite runs a container under podman's default seccomp
# profile (Debian's golang-github-containers-common), at its usual path.
if [ -r /usr/share/containers/seccomp.json ]; then
        mkdir -p "$root/usr/share/containers"
        cp /usr/share/containers/seccomp.json "$root/usr/share/containers/"
fi
cp -R "$vm/src/tests" "$root/congo/tests"
rm -f "$root/congo/tests/"*.c "$root/congo/tests/"*.h
cp "$vm/static/congo-launch" "$vm/static/congo" "$root/congo/"
# The composed examples the integration suite runs.
mkdir -p "$root/congo/examples"
cp -R "$vm/src/examples/compose" "$root/congo/examples/compose"
# Debian builds overlayfs as a module: tests/vm/init loads what is here.
mkdir -p "$root/congo/modules"
for m in /lib/modules/"${kernel#*/vmlinuz-}"/kernel/fs/overlayfs/overlay.ko*; do
        [ -e "$m" ] && cp "$m" "$root/congo/modules/"
done
for t in $($MAKE -C "$vm/static" -s check-vm-list); do
        case ${t#tests/} in unit_*|soak) ;; *) cp "$vm/static/$t" "$root/congo/$t" ;; esac
done
$MAKE -C "$vm/static" -s check-vm-env abs_top_builddir=/congo abs_top_srcdir=/congo \
        > "$root/congo/environment"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$vm/initramfs.cpio"

# 3. One boot per layout.
failed=0
boot() {   # boot LAYOUT: the suites in one VM; its output in $vm/LAYOUT.log
        # A soft lockup panics the guest at once (and panic=-1 ends it),
        # with every CPU's backtrace on the console, instead of a silent
        # wait for the timeout.
        timeout -k 5 "$timeout" qemu-system-x86_64 -accel "$accel" -smp 2 -m 2G \
                -nodefaults -no-reboot -display none -monitor none \
                -kernel "$kernel" -initrd "$vm/initramfs.cpio" \
                -append "console=ttyS0 panic=-1 quiet loglevel=5 softlockup_panic=1 softlockup_all_cpu_backtrace=1 congo.cgroup=$1 congo.suites=$suites" \
                -serial "file:$vm/$1.console" -serial "file:$vm/$1.log.raw" || true
        tr -d '\r' < "$vm/$1.log.raw" > "$vm/$1.log"
}
# why_failed LAYOUT: one line per suite that failed or never ended, each
# failed Check test and each FAIL line, and any cgroup left behind.
why_failed() {
        l=$vm/$1.log
        for t in $(echo "$suites" | tr , ' '); do
                st=$(sed -n "s/^congo-vm: suite $t: exit status //p" "$l")
                [ "$st" = 0 ] || echo "check-vm: $1: suite $t: exit status ${st:-(none: it did not end)}"
        done
        grep -E ':[FE]:|FAIL|congo cgroups left behind' "$l" | grep -v '^congo-vm: suite ' |
                head -n 40 | sed "s/^/check-vm: $1: /"
}
summary=
for layout in $layouts; do
        log=$vm/$layout.log
        t0=$(date +%s)
        boot "$layout"
        note "---- $layout: $(($(date +%s) - t0)) s; what the suites printed:"
        cat "$log"
        if ! grep -q '^congo-vm: done$' "$log" && grep -q 'soft lockup' "$vm/$layout.console"; then
                # Seen once in four v1 boots under TCG on 6.1: two of congo's
                # processes stuck in the guest kernel from the first test on.
                # Shown in full, then booted once more: a second hang fails.
                note "$layout: the guest kernel locked up (soft lockup); its console:"
                grep -v '^\s*$' "$vm/$layout.console" | tail -n 80
                cp "$vm/$layout.console" "$vm/$layout.lockup.console"
                note "$layout: booting it once more"
                t0=$(date +%s)
                boot "$layout"
                note "---- $layout (second boot): $(($(date +%s) - t0)) s; what the suites printed:"
                cat "$log"
        fi
        if ! grep -q '^congo-vm: done$' "$log"; then
                note "$layout: the VM did not finish; its console:"
                tail -n 40 "$vm/$layout.console"
                failed=1
        fi
        # Every suite ran and passed, and nothing of congo's was left.
        ok=1
        for t in $(echo "$suites" | tr , ' '); do
                grep -qx "congo-vm: suite $t: exit status 0" "$log" || ok=0
        done
        grep -qx 'congo-vm: no congo cgroup left' "$log" || ok=0
        if [ "$ok" = 0 ]; then
                note "$layout: FAILED (full log: $log)"
                failed=1
                summary="$summary$(why_failed "$layout")
"
        fi
done
note "$(($(date +%s) - started)) s in all"
# Suites that passed only at their second run (tests/vm/init says why),
# then what failed, again last: a CI log is often read from its tail.
for layout in $layouts; do
        sed -n "s/^congo-vm: \(suite .*: failed once .*\): running it once more$/check-vm: $layout: \1, passed at its second run/p" \
                "$vm/$layout.log" | while read -r line; do
                t=$(echo "$line" | sed 's/^check-vm: [^:]*: suite \([^:]*\):.*/\1/')
                grep -qx "congo-vm: suite $t: exit status 0" "$vm/$layout.log" && echo "$line"
        done
done
[ -z "$summary" ] || printf '%s' "$summary"
[ "$failed" = 0 ] || die "FAILED"
note "PASS: $layouts"
