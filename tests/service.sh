#!/bin/sh
# service.sh - congo-launch as a systemd Delegate=yes unit would run it, on
# a real cgroup v2 hierarchy: the launcher started inside a cgroup marked
# trusted.delegate=1 (what systemd does for Delegate=yes) puts the
# container beneath it, and one without the mark does not.
#
# In a private mount namespace the v2 hierarchy alone is mounted at
# /sys/fs/cgroup (whatever the host mounts there), so the launcher sees a
# v2 host.  The "unit" is a cgroup under congo/, removed at the end.
set -u
[ "$(id -u)" = 0 ] || { echo "service.sh: needs root; not run"; exit 77; }
launcher=${CONGO_LAUNCH:-./congo-launch}
probe=${CONGO_PROBE:-./tests/probe}
src=${CONGO_SRCDIR:-$(dirname "$0")/..}

if [ "${1:-}" = inside ]; then
        # $2: the unit's cgroup (relative), $3: mark it?, $4: the spec.
        # Every cgroup mount out of the way (busybox's umount has no -R).
        awk '$2 ~ /^\/sys\/fs\/cgroup/ { print $2 }' /proc/self/mounts | sort -r |
                while read -r m; do umount -l "$m"; done
        mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 77
        unit=/sys/fs/cgroup/$2
        # Removed from in here: on a host without cgroup2 mounted, nothing
        # outside could see it.
        trap 'find "$unit" -depth -type d -exec rmdir {} \; 2>/dev/null' EXIT
        mkdir -p "$unit" || exit 1
        if [ "$3" = yes ]; then
                [ "$("$probe" setxattr "$unit" trusted.delegate 1)" = ok ] || exit 1
        fi
        # --dry-run from inside the unit, then the run, the launcher alone
        # in the unit as systemd starts it.
        if sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --dry-run "$3"' sh "$unit" "$launcher" "$4" |
                grep -q "delegated by the service manager"; then
                echo "dry-run says delegated: yes"
        else
                echo "dry-run says delegated: no"
        fi
        sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3"' sh "$unit" "$launcher" "$4"
        echo "launcher exit: $?"
        # The container's cgroup must be gone (systemd removes the unit's
        # own when the unit stops).
        echo "container cgroups left: $(cd "$unit" && find . -type d -name 'svc-*')"
        exit 0
fi

tmp=$(mktemp -d /tmp/congo-service-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
sh "$src/tests/mkrootfs.sh" "$tmp/rootfs" >/dev/null || exit 1
cat >"$tmp/svc.yaml" <<EOF2
version: 1
name: svc
rootfs: rootfs
command: ["/bin/sh", "-c", "grep '^0::' /proc/self/cgroup"]
EOF2
failed=0
check()   # check WHAT EXPECTED ACTUAL
{
        if [ "$2" = "$3" ]; then
                echo "ok: $1"
        else
                printf 'FAIL: %s\n--- want:\n%s\n--- got:\n%s\n' "$1" "$2" "$3"
                failed=1
        fi
}

# Marked: beneath the unit.
unit=congo/service-test-$$.service
out=$(unshare -m --propagation private sh "$0" inside "$unit" yes "$tmp/svc.yaml" 2>&1)
[ $? = 77 ] && { echo "service.sh: cannot mount cgroup2; not run"; exit 77; }
pid=$(printf '%s\n' "$out" | sed -n "s|^0::/$unit/congo/svc-\([0-9]*\)\$|\1|p")
check "delegated: the container's cgroup is beneath the unit's" "dry-run says delegated: yes
0::/$unit/congo/svc-$pid
launcher exit: 0
container cgroups left: " "$out"
[ -n "$pid" ] || { echo "FAIL: no pid in the container's cgroup"; failed=1; }

# Not marked (a root shell's cgroup is writable too): the usual place.
out=$(unshare -m --propagation private sh "$0" inside "$unit-plain" no "$tmp/svc.yaml" 2>&1)
pid=$(printf '%s\n' "$out" | sed -n 's|^0::/congo/svc-\([0-9]*\)$|\1|p')
check "not delegated: the container's cgroup is congo/NAME-PID" "dry-run says delegated: no
0::/congo/svc-$pid
launcher exit: 0
container cgroups left: " "$out"
exit $failed
