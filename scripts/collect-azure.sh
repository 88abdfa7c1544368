#!/usr/bin/env bash
# Read-only export of an Azure subscription's network for Egress Lens, with your own `az login`.
# Runs only `az network ... list` (each call is checked before it runs), writes one JSON file per call
# into the output folder, and never writes to the subscription. Then: `egress-lens analyze <folder>`.
# Role it needs: Reader (or Network Reader) on the subscription or resource groups.
# usage: scripts/collect-azure.sh [--out DIR] [--subscription ID] [--resource-group NAME]
set -euo pipefail

out=azure-export
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --subscription|--resource-group) args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "collect-azure: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v az >/dev/null || { echo "collect-azure: the az CLI is not on PATH" >&2; exit 2; }
mkdir -p "$out"

az_ro() {
  local last=${*: -1}
  if [ "$1" != network ] || [ "$last" != list ]; then
    echo "collect-azure: refusing a call that is not read-only: az $*" >&2
    return 2
  fi
  az "$@" "${args[@]}" --output json
}

failed=0
save() {
  local name=$1; shift
  if az_ro "$@" > "$out/$name.json.tmp"; then
    mv "$out/$name.json.tmp" "$out/$name.json"
    echo "wrote $out/$name.json" >&2
  else
    rm -f "$out/$name.json.tmp"
    echo "collect-azure: az $* failed; $name.json not written" >&2
    failed=1
  fi
}

save vnet-list network vnet list
save route-table-list network route-table list
save nic-list network nic list
save firewall-list network firewall list
save firewall-policy-list network firewall policy list
save public-ip-list network public-ip list
exit $failed
