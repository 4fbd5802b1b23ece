#!/bin/sh
# Creates .env for the demo stack (docker-compose.yml): a copy of .env.example in which every secret gets its
# own random value (24 bytes from /dev/urandom, as 48 hex digits). Never overwrites an existing .env.
# POSIX sh, od, tr, mktemp and ln only, so it runs as is on any Linux and on macOS.
#
#   ./scripts/create-env.sh
set -eu
cd "$(dirname "$0")/.."

secrets="RELAY_WEBHOOK_BEARER_TOKEN RELAY_ADMIN_TOKEN GRAFANA_ADMIN_PASSWORD"

if [ -e .env ]; then
  echo "create-env: .env already exists; left as it is (delete it first to get new secrets)." >&2
  exit 1
fi

random() {
  od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

tmp=$(mktemp .env.XXXXXX)   # mode 600, next to .env
trap 'rm -f "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

while IFS= read -r line || [ -n "$line" ]; do
  for name in $secrets; do
    if [ "$line" = "$name=" ]; then
      line="$name=$(random)"
    fi
  done
  printf '%s\n' "$line"
done < .env.example > "$tmp"

for name in $secrets; do
  if ! grep -Eq "^$name=[0-9a-f]{48}\$" "$tmp"; then
    echo "create-env: .env.example has no empty line '$name=' to fill; nothing written." >&2
    exit 1
  fi
done

# ln, unlike mv, fails instead of replacing a .env that appeared in the meantime.
if ! ln "$tmp" .env; then
  echo "create-env: could not create .env (does it exist already?)." >&2
  exit 1
fi
echo "create-env: wrote .env with random $(echo "$secrets" | sed 's/ /, /g'); Grafana login: admin and GRAFANA_ADMIN_PASSWORD from .env."
