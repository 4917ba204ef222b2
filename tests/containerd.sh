#!/bin/sh
# containerd.sh - containerd drives `congo` through its runc shim
# (io.containerd.runc.v2 with --runc-binary): the suite's busybox root
# filesystem imported as an image (ctr image import of a docker-archive);
# `ctr run --rm` with its output and exit status, containerd's default
# device rules in the spec (linux.resources.devices); a terminal; a
# --memory-limit read from outside; `run -d`, `task ls`, `task exec`
# (-t and -d too), `task ps`, `task kill`,
# `task rm`, `container rm`; an error of congo's reaching ctr through the
# JSON log the shim reads (--log-format json); nothing left afterwards
# (tasks, congo state, shims, cgroups, mounts).
#
# containerd runs from this script, by its pid, with its own root, state
# and socket in a directory of ours and its CRI plugin off, inside a
# private mount and pid namespace with a tmpfs over /run (the shims'
# sockets are under /run/containerd whatever the state directory, and
# congo's state, the shim's --root, is /run/containerd/runc): when the
# steps end, or are killed, the kernel ends every process left in that
# namespace.  The containers' cgroups go under congo/containerd-test.
set -u
[ "$(id -u)" = 0 ] || { echo "containerd.sh: needs root; not run"; exit 77; }
for p in containerd ctr containerd-shim-runc-v2; do
        command -v $p >/dev/null ||
                { echo "containerd.sh: $p is missing (apt-get install containerd); not run"; exit 77; }
done
runtime=${CONGO_RUNTIME:-./congo}
case $runtime in /*) ;; *) runtime=$PWD/$runtime ;; esac
src=${CONGO_SRCDIR:-$(dirname "$0")/..}
t=$(mktemp -d /tmp/congo-containerd-XXXXXX) || exit 1
parent=congo/containerd-test
# On a failure the containers' cgroups may be left (their processes end
# with the namespace): removed here, and the failure stands.
cleanup() {
        for c in /sys/fs/cgroup/*/$parent /sys/fs/cgroup/$parent; do
                [ -d "$c" ] || continue
                for d in "$c"/ct-*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
                rmdir "$c" 2>/dev/null
        done
        rm -rf "$t"
}
trap cleanup EXIT
fail() { echo "containerd.sh: FAIL: $*"; exit 1; }

sh "$src/tests/mkrootfs.sh" "$t/rootfs" >/dev/null || fail "mkrootfs.sh"
sh "$src/tests/mkimage.sh" "$t/rootfs" "$t/image.tar" congo-containerd-test:latest || fail "mkimage.sh"
cat > "$t/config.toml" <<CONF
version = 2
root = "$t/root"
state = "$t/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$t/containerd.sock"
[ttrpc]
  address = "$t/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
CONF

# The steps run inside the private namespaces; each prints what the test
# compares, or FAIL and why.
cat > "$t/steps.sh" <<'STEPS'
t=$1 runtime=$2 parent=$3
mount -t tmpfs tmpfs /run
containerd --config "$t/config.toml" >"$t/containerd.log" 2>&1 &
daemon=$!
for i in $(seq 1 100); do [ -S "$t/containerd.sock" ] && break; sleep 0.1; done
[ -S "$t/containerd.sock" ] || { echo "FAIL containerd did not start: $(tail -5 "$t/containerd.log")"; exit 1; }
c="ctr --address $t/containerd.sock"
img=docker.io/library/congo-containerd-test:latest
run="run --snapshotter native --runtime io.containerd.runc.v2 --runc-binary $runtime"
$c image import --snapshotter native "$t/image.tar" >"$t/err" 2>&1 || { echo "FAIL import: $(cat "$t/err")"; exit 1; }

# run --rm: the output and exit status, through containerd's default
# spec (its device rules: deny all, then c 1:3 ... c 5:1, c 136:*).
out=$($c $run --rm --cgroup /$parent/ct-rm $img ct-rm sh -c 'echo hi; exit 7' 2>"$t/err")
echo "rm: $? $out"

# A terminal (script(1) gives ctr one).
script -qec "$c $run --rm -t --cgroup /$parent/ct-tty $img ct-tty sh -c 'tty; exit 4'" /dev/null \
        </dev/null >"$t/tty" 2>"$t/err"
echo "tty: $? $(tr -d '\r\0' <"$t/tty" | sed 's/\^@//g')"

# congo's error, read by the shim from the JSON log (--log-format json).
$c $run --rm --cgroup bad:form:x $img ct-bad true >/dev/null 2>"$t/err"
rc=$?
grep -q 'OCI runtime create failed: .*linux.cgroupsPath: "bad:form:x": the systemd form' "$t/err" &&
        echo "log: $rc congo's message" || echo "FAIL log: $rc $(cat "$t/err")"

# run -d; the limit seen from outside; task ls, kill, rm; container rm.
# Its output goes to a file through the shim (--log-uri).
$c $run -d --log-uri "file://$t/d.out" --memory-limit 67108864 --cgroup /$parent/ct-d $img ct-d \
        sh -c 'echo started; exec sleep 100' >/dev/null 2>"$t/err" || { echo "FAIL run -d: $(cat "$t/err")"; exit 1; }
for i in $(seq 1 50); do grep -q started "$t/d.out" && break; sleep 0.1; done
echo "out: $(cat "$t/d.out")"
for f in memory/$parent/ct-d/memory.limit_in_bytes $parent/ct-d/memory.max; do
        [ -r "/sys/fs/cgroup/$f" ] && echo "limit: $(cat "/sys/fs/cgroup/$f")"
done
echo "ls: $($c task ls | awk '$1 == "ct-d" { print $3 }')"
echo "state: $("$runtime" --root /run/containerd/runc/default state ct-d | grep -o '"status": *"[a-z]*"')"
# task exec (congo exec): a second process, its output and exit status,
# in the container's pid namespace; task ps (congo ps) lists what the
# cgroup holds, seen from outside.
out=$($c task exec --exec-id x1 ct-d sh -c 'echo in exec; [ -d /proc/1 ] && exit 3' 2>"$t/err")
echo "exec: $? $out$(sed 's/^/ /' "$t/err")"
script -qec "$c task exec -t --exec-id x3 ct-d sh -c 'tty; exit 5'" /dev/null </dev/null >"$t/tty" 2>"$t/err"
# (ctr may log that it could not resize the pty of a process that has
# ended already: only the terminal's name is compared.)
echo "exec -t: $? $(tr -d '\r\0' <"$t/tty" | sed 's/\^@//g' | grep '^/dev/')"
$c task exec -d --exec-id x2 ct-d sleep 100 >/dev/null 2>"$t/err" || echo "FAIL exec -d: $(cat "$t/err")"
for f in pids/$parent/ct-d/cgroup.procs $parent/ct-d/cgroup.procs; do
        [ -r "/sys/fs/cgroup/$f" ] && procs=$(sort -n "/sys/fs/cgroup/$f" | tr '\n' ' ')
done
listed=$($c task ps ct-d 2>"$t/err" | awk 'NR > 1 { print $1 }' | sort -n | tr '\n' ' ')
[ -n "$listed" ] && [ "$listed" = "$procs" ] && echo "ps: $(echo $listed | wc -w) processes, the cgroup's" ||
        echo "FAIL ps: \"$listed\" (the cgroup has \"$procs\"): $(cat "$t/err")"
$c task kill ct-d >"$t/err" 2>&1 || echo "FAIL kill: $(cat "$t/err")"
for i in $(seq 1 50); do $c task ls | grep -q 'ct-d .*STOPPED' && break; sleep 0.1; done
echo "killed: $($c task ls | awk '$1 == "ct-d" { print $3 }')"
$c task rm ct-d >"$t/err" 2>&1 || echo "FAIL task rm: $(cat "$t/err")"
$c container rm ct-d >"$t/err" 2>&1 || echo "FAIL container rm: $(cat "$t/err")"

echo "left: $($c container ls -q | wc -l) containers, $($c task ls -q | wc -l) tasks," \
     "$(ls /run/containerd/runc/default 2>/dev/null | wc -l) congo states," \
     "$(pgrep -c containerd-shim) shims"
kill "$daemon"
wait "$daemon"
STEPS
out=$(TMPDIR=$t unshare -m -p -f --propagation private --mount-proc \
        sh "$t/steps.sh" "$t" "$runtime" "$parent" 2>&1)
want="rm: 7 hi
tty: 4 /dev/pts/0
log: 1 congo's message
out: started
limit: 67108864
ls: RUNNING
state: \"status\": \"running\"
exec: 3 in exec
exec -t: 5 /dev/pts/0
ps: 3 processes, the cgroup's
killed: STOPPED
left: 0 containers, 0 tasks, 0 congo states, 0 shims"
[ "$out" = "$want" ] || fail "got:
$out
want:
$want"
# Nothing of the containers left: no cgroup (under the parent, or under
# containerd's default /default/ID: the --cgroup flag kept it out), no mount.
for id in ct-rm ct-tty ct-bad ct-d; do
        left=$(find /sys/fs/cgroup -name "$id" 2>/dev/null)
        [ -z "$left" ] || fail "a cgroup is left behind: $left"
done
! grep -q "$t" /proc/self/mountinfo || fail "a mount is left behind: $(grep "$t" /proc/self/mountinfo)"
cleanup
trap - EXIT
left=$(ls -d /sys/fs/cgroup/*/$parent /sys/fs/cgroup/$parent 2>/dev/null)
[ -z "$left" ] || fail "cgroups left: $left"
echo "containerd.sh: ok (ctr with congo: run --rm, -t, the JSON log, run -d, task ls, exec, ps, kill, rm, container rm)"
