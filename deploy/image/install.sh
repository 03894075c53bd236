#!/bin/sh
# Build the project's wheel from SOURCE and install it, with the dependencies it pins, into a
# new virtual environment at TARGET. The image's build stage runs exactly this, and so does
# tests/e2e/test_wheel_install.py, which then migrates and serves from that venv.
#
#   sh deploy/image/install.sh SOURCE TARGET [EXTRAS]     (EXTRAS: e.g. "otel"; default none)
set -eu

source_dir=$1
target=$2
extras=${3:-}

python3 -m venv "$target"
"$target/bin/python" -m pip install --quiet --upgrade "pip==26.3"
wheels=$(mktemp -d)
"$target/bin/python" -m pip wheel --quiet --no-deps --wheel-dir "$wheels" "$source_dir"
wheel=$(ls "$wheels"/jiceng-*.whl)
if [ -n "$extras" ]; then
    "$target/bin/python" -m pip install --quiet "jiceng[$extras] @ file://$wheel"
else
    "$target/bin/python" -m pip install --quiet "$wheel"
fi
rm -rf "$wheels"
# Compiled now, so that a read-only root filesystem never needs to write bytecode.
"$target/bin/python" -m compileall -q "$target/lib" >/dev/null
