#!/bin/bash
# completion.sh - the bash completion, sourced as bash-completion would,
# checked by what COMPREPLY offers for a few command lines.
set -u
src=${CONGO_SRCDIR:-$(dirname "$0")/..}
launcher=${CONGO_LAUNCH:-./congo-launch}
library=/usr/share/bash-completion/bash_completion

if [ ! -r "$library" ]; then
        echo "completion.sh: $library is missing (apt-get install bash-completion)" >&2
        exit 1
fi
# shellcheck source=/dev/null
. "$library"
# shellcheck source=../completion/congo-launch
. "$src/completion/congo-launch"

tmp=$(mktemp -d /tmp/congo-completion-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# complete WORD...: COMPREPLY for the command line "WORD...", the last
# word being the one under the cursor; split at "=" as readline does.
complete_line()
{
        local line="$*"
        COMP_LINE=$line
        COMP_POINT=${#line}
        COMP_WORDS=()
        local w
        for w in "$@"; do
                if [[ $w == *=* && $w != -- ]]; then
                        COMP_WORDS+=("${w%%=*}" "=" "${w#*=}")
                else
                        COMP_WORDS+=("$w")
                fi
        done
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        options=
        _congo_launch "$launcher" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        got=
        [ ${#COMPREPLY[@]} -eq 0 ] || got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
}

# compopt works only inside a real completion: note what was asked.
# shellcheck disable=SC2317
compopt() { options+=" $*"; }

expect()   # expect "WANTED REPLY (sorted, space-separated) " WORD...
{
        local want=$1
        shift
        complete_line "$@"
        if [ "$got" != "$want" ]; then
                echo "FAIL: '$*': got '$got', want '$want'"
                failed=1
        else
                echo "ok: '$*' -> '$got'"
        fi
}

contains()   # contains ITEM WORD...
{
        local item=$1
        shift
        complete_line "$@"
        case " $got" in
        *" $item "*) ;;
        *) echo "FAIL: '$*': '$item' not offered in '$got'"; failed=1 ;;
        esac
}

expect "--dry-run " congo-launch --dr
expect "" congo-launch spec.yaml -- /bin/s
# Every long option of --help is offered, and nothing else.
want=$("$launcher" --help | grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
[ -n "$want" ] || { echo "FAIL: no options in --help"; failed=1; }
expect "$want" congo-launch --

# --set: keys from the program, "=" after a whole key, none after "env.".
expect "limits.memory= limits.memory_reservation= limits.memory_swap= limits.memory_swappiness= " congo-launch --set limits.mem
expect "limits.unified+= limits.unified-= limits.unified. " congo-launch --set limits.uni
case $options in *"-o nospace"*) ;; *) echo "FAIL: no nospace after a key"; failed=1 ;; esac
expect "env+= env-= env. " congo-launch -s en
expect "security.capabilities+= security.capabilities-= security.capabilities= security.capabilities_ambient+= security.capabilities_ambient-= security.capabilities_ambient= security.capabilities_bounding+= security.capabilities_bounding-= security.capabilities_bounding= security.capabilities_effective+= security.capabilities_effective-= security.capabilities_effective= security.capabilities_inheritable+= security.capabilities_inheritable-= security.capabilities_inheritable= security.capabilities_permitted+= security.capabilities_permitted-= security.capabilities_permitted= security.no_new_privileges= security.seccomp.profile= security.seccomp= " \
        congo-launch --set secu
# KEY+= and KEY-= where the key is a list, map, mounts or devices.
expect "mounts+= mounts-= " congo-launch --set mou
expect "command+= command= " congo-launch --set comm
expect "" congo-launch --set inc
expect "" congo-launch --set limits.memory=1
contains "cgroup_parent=" congo-launch --set ""
[ "$(compgen -W "$("$launcher" --list-keys)" -- "")" = "$("$launcher" --list-keys)" ] || {
        echo "FAIL: --list-keys is empty or odd"; failed=1; }
# --list-keys=long: five tab-separated fields a key, from the same table.
long=$("$launcher" --list-keys=long) || { echo "FAIL: --list-keys=long failed"; failed=1; }
[ -n "$long" ] && [ -z "$(printf '%s\n' "$long" | awk -F '\t' 'NF != 5')" ] || {
        echo "FAIL: --list-keys=long: a line without five fields"; failed=1; }
printf '%s\n' "$long" | grep -qx 'limits.pids	uint	2048	1..4194304|max	.*' || {
        echo "FAIL: --list-keys=long: no limits.pids row"; failed=1; }
"$launcher" --list-keys=short >/dev/null 2>&1 && {
        echo "FAIL: --list-keys=short accepted"; failed=1; }

# Spec files and directories, nothing else.
mkdir "$tmp/dir"
touch "$tmp/a.yaml" "$tmp/b.yml" "$tmp/c.ini" "$tmp/d.conf" "$tmp/e.txt" "$tmp/f.json"
cd "$tmp" || exit 1
expect "a.yaml b.yml c.ini d.conf dir " congo-launch ""
expect "a.yaml b.yml c.ini d.conf dir " congo-launch --check a.yaml ""
expect "a.yaml b.yml c.ini d.conf dir " congo-launch --stats ""
expect "c.ini " congo-launch -n c
# --stats=FILE: any file.
expect "e.txt " congo-launch --stats=e
expect "" congo-launch --cgroup-parent ""
# The positional form: ROOTFS is a directory, then nothing.
expect "dir " congo-launch run ""
expect "dir " congo-launch -v run d
expect "" congo-launch run dir ""
expect "dir " congo-launch --set name=x run ""
expect "limits.pids= " congo-launch --set=limits.p

exit $failed
