#!/bin/bash
# run-app.sh: install what is needed, build, and start Port Query.
#   ./scripts/run-app.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build >/dev/null
fi
meson compile -C build

# Run from the build tree: the compiled settings schema lives there.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data"
exec ./build/src/app/portquery "$@"
