#!/bin/bash
# make-cert.sh DIR NAME START END [SAN]: a key (RSA 2048, or what $NEWKEY
# says to openssl req -newkey, e.g. "ec -pkeyopt ec_paramgen_curve:P-256")
# and a certificate for NAME in
# DIR/NAME.key and DIR/NAME.pem, valid from START to END (openssl's
# YYYYMMDDHHMMSSZ), signed by a test CA made once in DIR (DIR/ca.pem).
# openssl ca takes any start and end, so an expired certificate needs no
# fake clock.
set -euo pipefail
dir=${1:?usage: make-cert.sh DIR NAME START END [SAN]}
name=${2:?}; start=${3:?}; end=${4:?}; san=${5:-DNS:$name}
mkdir -p "$dir/ca.db"
if [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -days 3650 -subj "/CN=Port Query Test CA" 2>/dev/null
  : > "$dir/ca.db/index.txt"
  echo 1000 > "$dir/ca.db/serial"
fi
cat > "$dir/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
dir = $dir/ca.db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = any
unique_subject = no
copy_extensions = copy
[any]
commonName = supplied
CNF
# shellcheck disable=SC2086
openssl req -new -newkey ${NEWKEY:-rsa:2048} -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
  -subj "/CN=$name" -addext "subjectAltName=$san" 2>/dev/null
openssl ca -batch -config "$dir/ca.cnf" -cert "$dir/ca.pem" -keyfile "$dir/ca.key" \
  -startdate "$start" -enddate "$end" -in "$dir/$name.csr" -out "$dir/$name.pem" -notext 2>/dev/null
