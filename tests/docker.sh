#!/bin/sh
# docker.sh - dockerd drives `congo` (--add-runtime congo=PATH, docker run
# --runtime congo): the suite's busybox root filesystem loaded as an image
# (docker load of a docker-archive); `run --rm` with its output and exit
# status, through docker's default spec (its device rules, cpu.shares and
# blkio weight 0 for none); `run -it`; --device, --device-cgroup-rule
# (without a node) and --privileged; `run -d`, `logs`, `inspect`, `exec`
# (-it too), `top`, `stop`, `rm`;
# nothing left afterwards (containers, congo state, cgroups, mounts).
#
# The docker CLI is Debian's docker.io (/usr/bin/docker), whatever else
# is on PATH.  dockerd (and the containerd it starts) runs from this
# script, by its pid, with its own socket, data root, exec root and pid
# file in a directory of ours, no bridge and no iptables, inside private
# mount, pid and network namespaces (the host's network is never
# touched) with tmpfs over /run (the shims' sockets) and /etc/docker (its
# key): when the steps end, or are killed, the kernel ends every process
# left in them.  The containers' cgroups go under congo/docker-test.
set -u
[ "$(id -u)" = 0 ] || { echo "docker.sh: needs root; not run"; exit 77; }
docker=/usr/bin/docker
for p in $docker /usr/sbin/dockerd; do
        [ -x $p ] || { echo "docker.sh: $p is missing (apt-get install docker.io); not run"; exit 77; }
done
runtime=${CONGO_RUNTIME:-./congo}
case $runtime in /*) ;; *) runtime=$PWD/$runtime ;; esac
src=${CONGO_SRCDIR:-$(dirname "$0")/..}
t=$(mktemp -d /tmp/congo-docker-XXXXXX) || exit 1
parent=congo/docker-test
# On a failure the containers' cgroups may be left (their processes end
# with the namespace): removed here, and the failure stands.
cleanup() {
        for c in /sys/fs/cgroup/*/$parent /sys/fs/cgroup/$parent; do
                [ -d "$c" ] || continue
                for d in "$c"/*/; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
                rmdir "$c" 2>/dev/null
        done
        rm -rf "$t"
}
trap cleanup EXIT
fail() { echo "docker.sh: FAIL: $*"; exit 1; }

sh "$src/tests/mkrootfs.sh" "$t/rootfs" >/dev/null || fail "mkrootfs.sh"
sh "$src/tests/mkimage.sh" "$t/rootfs" "$t/image.tar" congo-docker-test:latest || fail "mkimage.sh"

# The steps run inside the private namespaces; each prints what the test
# compares, or FAIL and why.
cat > "$t/steps.sh" <<'STEPS'
t=$1 runtime=$2 parent=$3 docker=$4
mount -t tmpfs tmpfs /run
[ -d /etc/docker ] && mount -t tmpfs tmpfs /etc/docker
ip link set lo up
export DOCKER_CONFIG=$t/cli
/usr/sbin/dockerd -H "unix://$t/docker.sock" --data-root "$t/data" --exec-root "$t/exec" \
        --pidfile "$t/docker.pid" --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
        --storage-driver vfs --cgroup-parent "/$parent" --add-runtime "congo=$runtime" \
        >"$t/dockerd.log" 2>&1 &
daemon=$!
d="$docker -H unix://$t/docker.sock"
for i in $(seq 1 150); do $d version >/dev/null 2>&1 && break; sleep 0.2; done
$d version >/dev/null 2>&1 || { echo "FAIL dockerd did not start: $(tail -5 "$t/dockerd.log")"; exit 1; }
$d load -i "$t/image.tar" >"$t/err" 2>&1 || { echo "FAIL load: $(cat "$t/err")"; exit 1; }
run="run --runtime congo --network none"

# run --rm: the output and the exit status.
out=$($d $run --rm congo-docker-test sh -c 'echo hi; exit 7' 2>"$t/err")
echo "rm: $? $out$(sed 's/^/ /' "$t/err")"

# run -it: a terminal through the shim's console socket (script(1)
# gives docker one).
script -qec "$d $run -it --rm congo-docker-test sh -c 'tty; exit 4'" /dev/null </dev/null >"$t/tty" 2>"$t/err"
echo "tty: $? $(tr -d '\r\0' <"$t/tty" | sed 's/\^@//g')"

# Devices: a node docker makes (--device, linux.devices), a rule without
# a node (--device-cgroup-rule: kmsg, mknod and write, the node made with
# docker's CAP_MKNOD), the same without the rule refused (docker's own
# rules allow no mknod); --privileged (allow a, every capability, the
# host's nodes) opens kmsg too.  Opened for writing, nothing written.
dev="sh -c 'mknod /dev/k c 1 11 && exec 3>/dev/k && echo opened'"
echo "device: $($d $run --rm --device /dev/null:/dev/other-null congo-docker-test sh -c 'echo x > /dev/other-null && echo wrote' 2>&1)"
echo "rule: $(eval $d $run --rm --device-cgroup-rule "'c 1:11 mw'" congo-docker-test "$dev" 2>&1)"
echo "no rule: $(eval $d $run --rm congo-docker-test "$dev" 2>&1 | sed 's/.*: //')"
echo "privileged: $($d $run --rm --privileged congo-docker-test sh -c 'exec 3>/dev/kmsg && echo opened' 2>&1)"

# run -d, logs, the cgroup congo made, stop, rm.
id=$($d $run -d --memory 64m congo-docker-test sh -c 'echo started; exec sleep 100' 2>"$t/err") ||
        { echo "FAIL run -d: $(cat "$t/err")"; exit 1; }
for i in $(seq 1 50); do $d logs "$id" 2>/dev/null | grep -q started && break; sleep 0.1; done
echo "logs: $($d logs "$id" 2>&1)"
echo "state: $($d inspect -f '{{.State.Status}} {{.HostConfig.Runtime}}' "$id")"
for f in memory/$parent/$id/memory.limit_in_bytes $parent/$id/memory.max; do
        [ -r "/sys/fs/cgroup/$f" ] && echo "limit: $(cat "/sys/fs/cgroup/$f")"
done
# docker exec (congo exec): output and exit status; -it through a
# terminal (script(1) gives docker one); docker top (congo ps).
out=$($d exec "$id" sh -c 'echo in exec; exit 3' 2>"$t/err")
echo "exec: $? $out$(sed 's/^/ /' "$t/err")"
script -qec "$d exec -it $id sh -c 'tty; exit 4'" /dev/null </dev/null >"$t/tty" 2>"$t/err"
echo "exec -it: $? $(tr -d '\r\0' <"$t/tty" | sed 's/\^@//g')"
echo "top: $($d top "$id" -o pid,args 2>&1 | grep -c 'sleep 100')"
$d stop -t 5 "$id" >"$t/err" 2>&1 || echo "FAIL stop: $(cat "$t/err")"
echo "stopped: $($d inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id")"
$d rm "$id" >"$t/err" 2>&1 || echo "FAIL rm: $(cat "$t/err")"
echo "left: $($d ps -aq | wc -l) containers, $(ls "$t"/exec/runtime-*/moby 2>/dev/null | wc -l) congo states"
kill "$daemon"
wait "$daemon"
echo "$id" > "$t/ids"
STEPS
out=$(TMPDIR=$t unshare -m -p -f -n --propagation private --mount-proc \
        sh "$t/steps.sh" "$t" "$runtime" "$parent" "$docker" 2>&1)
want="rm: 7 hi
tty: 4 /dev/pts/0
device: wrote
rule: opened
no rule: Operation not permitted
privileged: opened
logs: started
state: running congo
limit: 67108864
exec: 3 in exec
exec -it: 4 /dev/pts/0
top: 1
stopped: exited 143
left: 0 containers, 0 congo states"
[ "$out" = "$want" ] || fail "got:
$out
want:
$want"
# Nothing of the container left: no cgroup (anywhere), no mount.
id=$(cat "$t/ids")
left=$(find /sys/fs/cgroup -name "$id" 2>/dev/null)
[ -z "$left" ] || fail "a cgroup is left behind: $left"
! grep -q "$t" /proc/self/mountinfo || fail "a mount is left behind: $(grep "$t" /proc/self/mountinfo)"
cleanup
trap - EXIT
left=$(ls -d /sys/fs/cgroup/*/$parent /sys/fs/cgroup/$parent 2>/dev/null)
[ -z "$left" ] || fail "cgroups left: $left"
echo "docker.sh: ok (docker --runtime congo: run --rm, -it, devices, --privileged, run -d, logs, inspect, exec, top, stop, rm)"
