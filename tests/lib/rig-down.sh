#!/bin/bash
# rig-down.sh RIGDIR - stop the daemons started by rig-up.sh (by PID) and delete the namespaces.
RIG=$(realpath -m "${1:?usage: rig-down.sh RIGDIR}")
# shellcheck source=/dev/null
[ -f "$RIG/env" ] && . "$RIG/env"
NS_CLI=${NS_CLI:-pqcli} NS_SRV=${NS_SRV:-pqsrv} NS_DC=${NS_DC:-pqdc}
t0=$(date +%s.%N)
if [ -f "$RIG/pids" ]; then
  while read -r _name pid; do kill "$pid" 2>/dev/null; done < "$RIG/pids"
  for i in $(seq 1 100); do   # wait up to 5 s for them (and their children) to exit
    left=$(for ns in $NS_SRV $NS_DC; do ip netns pids $ns 2>/dev/null; done)
    [ -z "$left" ] && break; sleep 0.05
  done
  [ -n "$left" ] && { echo "still running: $left, sending SIGKILL"; for p in $left; do kill -9 "$p"; done; }
fi
for ns in $NS_CLI $NS_SRV $NS_DC; do ip netns del $ns 2>/dev/null; done
rm -rf "/etc/netns/$NS_CLI"   # RIG_DNS's resolv.conf
awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "rig down in %.3f s\n", a-b}'
