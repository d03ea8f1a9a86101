#!/bin/sh
# check-po.sh PO_DIR: every translation listed in LINGUAS compiles cleanly,
# with printf formats that match the English ones (a wrong %s crashes).
set -eu
po_dir=$1
status=0
for lang in $(sed 's/#.*//' "$po_dir/LINGUAS"); do
  if ! msgfmt --check --check-format --statistics -o /dev/null "$po_dir/$lang.po"; then
    echo "po/$lang.po: msgfmt --check failed" >&2
    status=1
  fi
done
exit $status
