#!/usr/bin/env bash
# Read-only export of one AWS account/region's network for Egress Lens, with your own credentials.
# Runs only `aws ec2 describe-*` and `aws network-firewall describe-*|list-*` (each call is checked
# against that list before it runs), writes one JSON file per call into the output folder, and never
# writes to the account. Then: `egress-lens analyze <folder>`.
# IAM permissions it needs: docs/collect-iam-policy.json.
# usage: scripts/collect-aws.sh [--out DIR] [--region REGION] [--profile PROFILE]
set -euo pipefail

out=aws-export
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --region|--profile) args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "collect-aws: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v aws >/dev/null || { echo "collect-aws: the aws CLI is not on PATH" >&2; exit 2; }
mkdir -p "$out"

# The only calls this script may make. Anything else is refused before it reaches the CLI.
aws_ro() {
  case "$1 $2" in
    "ec2 describe-"*|"network-firewall describe-"*|"network-firewall list-"*) ;;
    *) echo "collect-aws: refusing a call that is not read-only: aws $1 $2" >&2; return 2 ;;
  esac
  aws "$@" "${args[@]}" --output json
}

# save NAME SERVICE OPERATION [ARGS...]: one file per call; a call that fails (no permission, service
# not in the region) is reported and skipped, the others still run.
failed=0
save() {
  local name=$1; shift
  if aws_ro "$@" > "$out/$name.json.tmp"; then
    mv "$out/$name.json.tmp" "$out/$name.json"
    echo "wrote $out/$name.json" >&2
  else
    rm -f "$out/$name.json.tmp"
    echo "collect-aws: aws $1 $2 failed; $name.json not written" >&2
    failed=1
  fi
}

for op in describe-vpcs describe-subnets describe-route-tables describe-internet-gateways \
  describe-egress-only-internet-gateways describe-nat-gateways describe-vpc-endpoints \
  describe-vpc-endpoint-service-configurations describe-transit-gateways \
  describe-transit-gateway-attachments describe-transit-gateway-vpc-attachments \
  describe-transit-gateway-route-tables describe-vpc-peering-connections describe-managed-prefix-lists \
  describe-network-interfaces describe-addresses describe-instances; do
  save "$op" ec2 "$op"
done

# AWS Network Firewall: the list, then each firewall and each policy it uses.
save list-firewalls network-firewall list-firewalls
if [ -f "$out/list-firewalls.json" ]; then
  n=0
  for arn in $(node -e 'for (const f of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Firewalls ?? []) console.log(f.FirewallArn)' "$out/list-firewalls.json"); do
    n=$((n + 1))
    save "describe-firewall-$n" network-firewall describe-firewall --firewall-arn "$arn"
    policy=$(node -e 'const f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(f.Firewall?.FirewallPolicyArn ?? "")' "$out/describe-firewall-$n.json" 2>/dev/null || true)
    if [ -n "$policy" ]; then save "describe-firewall-policy-$n" network-firewall describe-firewall-policy --firewall-policy-arn "$policy"; fi
  done
fi
exit $failed
