#!/bin/sh
# mkimage.sh ROOTFS OUT.tar NAME:TAG - the root filesystem as a one-layer
# image in docker-archive form (what `docker save` writes and `docker
# load`, `ctr image import` and buildah's docker-archive: transport
# read): layer.tar, an image config naming its digest, manifest.json.
# No registry is reachable in CI: the client tests import this.
set -eu
rootfs=${1:?usage: mkimage.sh ROOTFS OUT.tar NAME:TAG}
out=${2:?usage: mkimage.sh ROOTFS OUT.tar NAME:TAG}
tag=${3:?usage: mkimage.sh ROOTFS OUT.tar NAME:TAG}
case $(uname -m) in
x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; i?86) arch=386 ;; *) arch=$(uname -m) ;;
esac
d=$(mktemp -d "${TMPDIR:-/tmp}/congo-mkimage-XXXXXX")
trap 'rm -rf "$d"' EXIT
# Owned by root, whoever builds it: the image is a system's root.
tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -cf "$d/layer.tar" .
layer=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"congo tests/mkimage.sh"}]}' \
        "$arch" "$layer" > "$d/config.json"
config=$(sha256sum "$d/config.json" | cut -d' ' -f1)
mv "$d/config.json" "$d/$config.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]' "$config" "$tag" > "$d/manifest.json"
tar -C "$d" -cf "$out" manifest.json "$config.json" layer.tar
