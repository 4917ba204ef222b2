#!/bin/bash
# schema.sh - `congo-launch --schema` checked with a real JSON Schema
# validator (python3-jsonschema's Draft202012Validator, YAML read by
# python3-yaml as an editor would): the schema is a valid draft 2020-12
# schema; every examples/*.yaml validates; and a set of specs, good and
# bad, gets the same verdict from the schema as from congo-launch --check;
# and the schema never refuses a value that --check takes, for every key.
set -u
src=${CONGO_SRCDIR:-$(dirname "$0")/..}
launcher=${CONGO_LAUNCH:-./congo-launch}
python=/usr/bin/python3   # Debian's, with python3-jsonschema and python3-yaml

if ! "$python" -c 'import yaml; from jsonschema import Draft202012Validator' 2>/dev/null; then
        echo "schema.sh: needs python3-jsonschema and python3-yaml (apt-get install them)" >&2
        exit 1
fi
tmp=$(mktemp -d /tmp/congo-schema-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

if ! "$launcher" --schema > "$tmp/schema.json"; then
        echo "FAIL: congo-launch --schema exited $?" >&2
        exit 1
fi

# validate FILE...: "FILE: ok" or "FILE: invalid: WHY", one a line.
validate()
{
        "$python" - "$tmp/schema.json" "$@" <<'EOF'
import json, sys, yaml
from jsonschema import Draft202012Validator, Draft7Validator
with open(sys.argv[1]) as f:
    schema = json.load(f)
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
# The YAML language server implements draft-07 whatever $schema says: the
# schema uses only keywords that mean the same in both, and both agree.
v7 = Draft7Validator(schema)
common = {'$schema', 'title', 'description', 'default', 'type', 'properties',
          'additionalProperties', 'required', 'enum', 'pattern', 'minimum',
          'maximum', 'minLength', 'items', 'minItems', 'maxItems', 'anyOf'}
def keywords(s):
    if isinstance(s, dict):
        for k, sub in s.items():
            if k not in common:
                print('%s: keyword %s is not in draft-07 and 2020-12 alike' % (sys.argv[1], k))
            if k == 'properties':
                for p in sub.values():
                    keywords(p)
            elif k in ('additionalProperties', 'items'):
                keywords(sub)
            elif k == 'anyOf':
                for p in sub:
                    keywords(p)
keywords(schema)
for name in sys.argv[2:]:
    with open(name) as f:
        doc = yaml.safe_load(f)
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if bool(errors) != bool(list(v7.iter_errors(doc))):
        print('%s: draft-07 and draft 2020-12 disagree' % name)
    elif errors:
        e = errors[0]
        where = ".".join(str(p) for p in e.absolute_path) or "top level"
        print("%s: invalid: %s: %s" % (name, where, e.message))
    else:
        print("%s: ok" % name)
EOF
}

# Every example validates.
n=0
while read -r line; do
        n=$((n + 1))
        case $line in
        *": ok") echo "ok: $line" ;;
        *) echo "FAIL: an example does not validate: $line" >&2; failed=1 ;;
        esac
done < <(validate "$src"/examples/*.yaml || echo "validator failed")
if [ "$n" -lt 3 ]; then
        echo "FAIL: only $n examples validated" >&2
        failed=1
fi

# spec NAME GOOD|BAD TEXT: the schema and congo-launch --check agree that
# the spec (version, rootfs / and a command added) is good, or bad.  NAME
# is a host name: the name, from the file's, is the default host name.
spec()
{
        printf 'version: 1\nrootfs: /\n%s\n' "$3" > "$tmp/$1.yaml"
        case $3 in *command:*) ;; *) echo 'command: [/bin/true]' >> "$tmp/$1.yaml" ;; esac
        printf '%s %s\n' "$1" "$2" >> "$tmp/want"
}
spec plain GOOD ''
spec words-and-numbers GOOD $'user: 1000\ncommand: "/bin/sh -c \'exit 0\'"\nenv: {DEBUG: true, N: 1}'
spec yes-and-true GOOD $'init: yes\nreadonly_rootfs: FALSE\nterminal: true\nnetwork: none'
spec sizes-and-durations GOOD $'limits: {memory: 1048576, tmp: 64m, time: 30, cpus: 0.5, pids: 4194304}'
spec durations-as-text GOOD $'limits: {time: 1500ms, memory: 1G, cpus: "2"}'
spec empty-maps GOOD $'env:\nmounts:\ndevices:\nlimits:'
spec seccomp-word GOOD $'security: {seccomp: unconfined, capabilities: [CAP_CHOWN], no_new_privileges: off}'
spec seccomp-inline GOOD $'security:\n  seccomp:\n    profile:\n      defaultAction: SCMP_ACT_ALLOW\n      syscalls:\n        - {names: [mkdir], action: SCMP_ACT_ERRNO, errnoRet: 1}'
spec seccomp-inline-list BAD $'security: {seccomp: {profile: [SCMP_ACT_ALLOW]}}'
spec entries GOOD $'mounts:\n  - {type: tmpfs, target: /run, options: "size=16m,mode=755"}\ndevices:\n  - {path: /dev/fuse, type: c, major: 10, minor: 229, file_mode: "0660", uid: 0}'
spec rlimits GOOD $'limits: {rlimits: {nofile: 1024, core: "0:unlimited"}}'
spec user-namespace GOOD $'namespaces: [mount, user, pid]\nuid_map: "0 100000 65536"'
spec unknown-key BAD 'hostnmae: x'
spec unknown-nested-key BAD 'limits: {memroy: 1G}'
spec unknown-mount-key BAD $'mounts:\n  - {type: tmpfs, target: /run, size: 1G}'
spec list-for-a-value BAD 'hostname: [a, b]'
spec value-for-a-group BAD 'limits: 5'
spec word-for-a-number BAD 'limits: {pids: lots}'
spec not-a-boolean BAD 'init: maybe'
spec not-a-size BAD 'limits: {memory: 512q}'
spec not-a-duration BAD 'limits: {time: soon}'
spec pids-zero BAD 'limits: {pids: 0}'
spec pids-too-many BAD 'limits: {pids: 4194305}'
spec memory-too-small BAD 'limits: {memory: 1024}'
spec cpus-too-many BAD 'limits: {cpus: 5000}'
spec time-too-long BAD 'limits: {time: 40000000}'
spec bad-enum BAD 'network: bridge'
spec bad-namespace BAD 'namespaces: [uts, bogus]'
spec wrong-version BAD 'version: 2'
spec empty-command BAD 'command: []'
spec mount-without-target BAD $'mounts:\n  - {type: tmpfs}'
spec bad-mount-type BAD $'mounts:\n  - {type: [bind], target: /x}'
spec any-mount-type GOOD $'rootfs_propagation: rslave\nmounts:\n  - {type: proc, target: /p2}\n  - {type: ext4, source: /dev/vdb, target: /e, options: [errors=remount-ro]}'
spec device-mode-not-octal BAD $'devices:\n  - {path: /dev/p, type: p, file_mode: "0999"}'
spec device-major-too-big BAD $'devices:\n  - {path: /dev/x, type: c, major: 4096, minor: 1}'
printf 'version: 1\ncommand: [/bin/true]\n' > "$tmp/no-rootfs.yaml"
echo "no-rootfs BAD" >> "$tmp/want"

validate $(awk -v d="$tmp" '{ print d "/" $1 ".yaml" }' "$tmp/want") > "$tmp/verdicts" ||
        { echo "FAIL: the validator failed" >&2; exit 1; }
while read -r name want; do
        f=$tmp/$name.yaml
        verdict=$(grep -F "$f: " "$tmp/verdicts")
        if "$launcher" --check -q "$f" > "$tmp/check.out" 2>&1; then congo=GOOD; else congo=BAD; fi
        case $verdict in *": ok") schema=GOOD ;; *disagree) schema=DISAGREE ;; *) schema=BAD ;; esac
        if [ "$schema" = "$want" ] && [ "$congo" = "$want" ]; then
                echo "ok: $name: $want (${verdict#"$f: "})"
        else
                echo "FAIL: $name: want $want, schema says $schema, congo-launch --check says $congo" >&2
                echo "  schema: ${verdict#"$f: "}" >&2
                sed 's/^/  congo: /' "$tmp/check.out" >&2
                sed 's/^/  spec: /' "$f" >&2
                failed=1
        fi
done < "$tmp/want"
# The schema never refuses what congo takes: every key of --list-keys=long
# (rows added later included) is given each of a set of values, written in
# YAML as a person would, and each of its own enum values and its default;
# whatever congo-launch --check accepts, the schema must accept too.  (The
# other way round is expected: the schema checks values one by one.)
"$launcher" --list-keys=long > "$tmp/keys" || { echo "FAIL: --list-keys=long" >&2; exit 1; }
mkdir "$tmp/probe"
if ! "$python" - "$tmp/schema.json" "$tmp/keys" "$tmp/probe" "$launcher" <<'EOF'
import json, os, subprocess, sys, yaml
from jsonschema import Draft202012Validator, Draft7Validator
schema_file, keys_file, d, launcher = sys.argv[1:5]
v = Draft202012Validator(json.load(open(schema_file)))
v7 = Draft7Validator(json.load(open(schema_file)))   # the YAML language server's
values = ['1', '0', '-1', '100', '4096', '1.5', '0.5', '"2"', '512M', '1G', '64m',
          '1048576', '30s', '500ms', '5m', '1h', 'yes', 'no', 'true', 'false', 'on',
          'off', 'TRUE', 'unlimited', 'max', 'auto', 'default', 'unconfined', 'none',
          'loopback', 'host', '"0660"', '0660', '022', '0777', '"/x"', '/x', 'x', '"a b"',
          '"0:0"', '1000', '"1000:1000"', '"0 1000 1"', 'c', '""', 'ALL', '"1024:4096"', '0-3', '~']
lists = ['[x]', '[/bin/true]', '[CAP_CHOWN]', '[ALL]', '[/x]', '[1000]', '"a b"', '[]', 'x']
names = ['X', 'nofile', '2MB', 'kernel.shmmax', 'memory.high']
# An entry of each list of entries that --check takes, to change one key of.
entries = {'mounts': {'type': 'tmpfs', 'target': '/mnt'},
           'devices': {'path': '/dev/zz', 'type': 'c', 'major': '1', 'minor': '3'}}
specs = []
def write(text, path, t):
    f = os.path.join(d, 'p%05d.yaml' % len(specs))
    open(f, 'w').write(text)
    specs.append((f, path, t))
for line in open(keys_file):
    path, typ, default, rng = line.rstrip('\n').split('\t')[:4]
    if typ in ('group', 'map', 'mounts', 'devices'):
        continue
    if '[].' in path:    # LIST[].KEY: that key of one entry of LIST
        lst, key = path.split('[].')
        for t in values + lists[:-1] + ([default] if default not in ('-', '(required)') else []) + \
                 (rng.split('|') if '|' in rng else []):
            e = dict(entries.get(lst, {}), **{key: t})
            write('version: 1\nrootfs: /\ncommand: [/bin/true]\n%s:\n  - {%s}\n' %
                  (lst, ', '.join('%s: %s' % kv for kv in e.items())), path, t)
        continue
    mine = [] if default in ('-', '(required)') else [default]
    words = rng.split('|') if '|' in rng else []
    if typ == 'list':
        tries = lists + ['[' + ', '.join(w.split()) + ']' for w in mine] + \
                ['[%s]' % w for w in words] + words
    else:
        tries = values + mine + words
    for name in (names if path.endswith('*') else [None]):
        segs = path.split('.')
        if name:
            segs[-1] = json.dumps(name)
        for t in tries:
            text = 'version: 1\nrootfs: /\n'
            if path == 'version':
                text = 'rootfs: /\n'
            if path != 'command':
                text += 'command: [/bin/true]\n'
            if path in ('uid_map', 'gid_map'):
                text += 'namespaces: [mount, user]\n'
            for i, seg in enumerate(segs[:-1]):
                text += '  ' * i + seg + ':\n'
            text += '  ' * (len(segs) - 1) + segs[-1] + ': ' + t + '\n'
            write(text, path, t)
def check(sets, files):
    out = subprocess.run([launcher, '--check'] + sets + files,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return {l[:-len(': ok')] for l in out.splitlines() if l.endswith(': ok')}
# Once alone, and once with what some keys need from others (a memory
# limit for memory_swap, a user namespace for the maps), set by --set
# where the probe is not that key: the schema sees only the probe.
taken = check([], [f for f, _, _ in specs])
given = {'limits.memory': '1G', 'namespaces': 'uts pid net mount ipc user'}
taken |= check(['--set=%s=%s' % kv for kv in given.items()],
               [f for f, path, _ in specs if path not in given])
bad = both = 0
for f, path, t in specs:
    if f not in taken:
        continue
    doc = yaml.safe_load(open(f))
    errors = list(v.iter_errors(doc)) or list(v7.iter_errors(doc))
    if errors:
        bad += 1
        print('FAIL: %s: %s: congo takes it, the schema refuses: %s' % (path, t, errors[0].message))
    else:
        both += 1
if bad == 0:
    print('ok: probes: %d specs, %d taken by congo, all of them by the schema' % (len(specs), both))
sys.exit(1 if bad or both < 100 else 0)
EOF
then
        failed=1
fi
exit $failed
