#!/bin/sh
# mkrootfs.sh DIR - a minimal root filesystem: Debian's statically linked
# busybox, a link per applet, and the directories a container expects.
set -eu
dir=${1:?usage: mkrootfs.sh DIR}
busybox=${BUSYBOX:-/bin/busybox}
if ! "$busybox" --list >/dev/null 2>&1; then
        echo "mkrootfs.sh: $busybox is missing: apt-get install busybox-static" >&2
        exit 1
fi
mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/etc" \
         "$dir/proc" "$dir/dev" "$dir/sys" "$dir/tmp" "$dir/root" "$dir/home" "$dir/mnt"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list); do
        [ "$applet" = busybox ] && continue
        [ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$dir/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$dir/etc/group"
echo "mkrootfs.sh: busybox root filesystem in $dir"
