#!/bin/sh
# Build the image where no container engine runs and no image registry is reachable: buildah
# (Debian's package) builds the Dockerfile as it is, on a base made with debootstrap from
# Debian's mirror (Debian 12's python3 is 3.11, as the slim base's). A release build uses the
# real base instead: `docker build .` or `buildah bud .`.
#
#   sh deploy/image/build-without-daemon.sh [TAG]     (as root; apt-get install buildah debootstrap)
#
# The host's CA bundle is lent to the build's RUN steps, so that pip trusts whatever the host
# trusts (a proxy's CA included).
set -eu

tag=${1:-localhost/jiceng:dev}
base=localhost/debian-python:bookworm
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"

if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        bookworm "$rootfs" http://deb.debian.org/debian
    container=$(buildah from scratch)
    cp -a "$rootfs/." "$(buildah mount "$container")/"
    buildah umount "$container" >/dev/null
    buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --cmd /usr/bin/python3 "$container"
    buildah commit --quiet "$container" "$base"
    buildah rm "$container" >/dev/null
    rm -rf "$rootfs"
fi

buildah bud --isolation chroot --layers=false \
    --volume /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
    --build-arg PYTHON_IMAGE="$base" --tag "$tag" .
