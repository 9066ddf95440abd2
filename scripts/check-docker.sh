#!/usr/bin/env bash
# Checks that the Docker image builds and serves. With a working docker or podman it builds
# the image and runs it against a PostgreSQL; otherwise (CI, this project's machines) it
# replays the Dockerfile's steps in a clean folder (scripts/check-docker.ts).
#   bash scripts/check-docker.sh [--replay]
set -euo pipefail
cd "$(dirname "$0")/.."

engine=""
if [[ "${1:-}" != "--replay" ]]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
      engine="$candidate"
      break
    fi
  done
fi

if [[ -z "$engine" ]]; then
  echo "[check-docker] no container engine answers here: replaying the Dockerfile instead"
  exec npx tsx scripts/check-docker.ts
fi

tag="disclosure-check:$$"
network="disclosure-check-$$"
cleanup() {
  "$engine" rm -f "server-$$" "postgres-$$" >/dev/null 2>&1 || true
  "$engine" network rm "$network" >/dev/null 2>&1 || true
  "$engine" rmi "$tag" >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$engine" build -t "$tag" .
"$engine" network create "$network" >/dev/null
"$engine" run -d --name "postgres-$$" --network "$network" -e POSTGRES_PASSWORD=check postgres:17 >/dev/null
"$engine" run -d --name "server-$$" --network "$network" \
  -e DATABASE_URL="postgresql://postgres:check@postgres-$$:5432/postgres" "$tag" >/dev/null
for _ in $(seq 1 90); do
  status="$("$engine" inspect --format '{{.State.Health.Status}}' "server-$$" 2>/dev/null || echo missing)"
  if [[ "$status" == "healthy" ]]; then
    echo "[check-docker] OK: the image is healthy"
    exit 0
  fi
  sleep 2
done
"$engine" logs "server-$$" | tail -40
echo "[check-docker] FAILED: the container never became healthy (last status: $status)" >&2
exit 1
