#!/usr/bin/env bash
# Checks the operations files without Docker or Grafana.
#
#   scripts/check-observability.sh static
#       docker-compose config -q, promtool check config / rules, dashboard JSON and the PromQL found in it.
#   scripts/check-observability.sh live METRICS_URL      (or BREACHWATCH_METRICS_URL in the environment)
#       Starts a real Prometheus on a free loopback port scraping METRICS_URL every second, waits for a few
#       scrapes, then evaluates EVERY PromQL expression of every dashboard panel and alert rule through the
#       HTTP API: each must parse and name only exported metrics; each dashboard query must return >= 1 series.
#       The app must be running (e.g. `demo`) and have processed traffic. BREACHWATCH_HTTP_TOKEN is sent as a
#       bearer token when set.
#   scripts/check-observability.sh all METRICS_URL
#
# Needs (installs nothing): docker-compose and prometheus (promtool, prometheus) from Debian, python3 with yaml.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE="$ROOT/docker/docker-compose.yml"
PROM_CONFIG="$ROOT/docker/prometheus/prometheus.yml"
RULES_DIR="$ROOT/docker/prometheus/rules"
DASHBOARDS="$ROOT/grafana/dashboards"
SCRAPES="${CHECK_SCRAPES:-5}"
WAIT_SECONDS="${CHECK_WAIT_SECONDS:-90}"

die() { echo "check-observability: $*" >&2; exit 1; }
need() { command -v "$1" > /dev/null || die "$1 not found (Debian package: $2)"; }

static_checks() {
  need docker-compose docker-compose
  need promtool prometheus
  need python3 python3
  echo "== docker-compose config"
  docker-compose -f "$COMPOSE" config -q
  echo "== promtool check config"
  promtool check config "$PROM_CONFIG"
  echo "== promtool check rules"
  promtool check rules "$RULES_DIR"/*.yml
  echo "== dashboards"
  for f in "$DASHBOARDS"/*.json; do
    python3 -m json.tool "$f" > /dev/null || die "$f is not valid JSON"
  done
  local count
  count=$(python3 "$ROOT/scripts/promql-check.py" --list --dashboards "$DASHBOARDS" --rules "$RULES_DIR"/*.yml | grep -c '^    metrics:')
  echo "$count PromQL expressions found in dashboards and rules"
  echo "static: 4 passed, 0 failed"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

live_checks() {
  local url="${1:-${BREACHWATCH_METRICS_URL:-}}"
  [[ -n "$url" ]] || die "live mode needs the app's metrics URL (argument or BREACHWATCH_METRICS_URL), e.g. http://127.0.0.1:8080/metrics"
  need prometheus prometheus
  need python3 python3
  local scheme rest hostport path
  scheme="${url%%://*}"
  rest="${url#*://}"
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  [[ "$rest" == */* ]] || path="/metrics"
  curl_check "$url"

  local work port prom_pid
  work="$(mktemp -d)"
  port="$(free_port)"
  {
    echo "global: {scrape_interval: 1s, evaluation_interval: 1s}"
    echo "scrape_configs:"
    echo "  - job_name: breachwatch"
    echo "    scheme: $scheme"
    echo "    metrics_path: $path"
    if [[ -n "${BREACHWATCH_HTTP_TOKEN:-}" ]]; then
      printf '%s' "$BREACHWATCH_HTTP_TOKEN" > "$work/token"
      echo "    authorization: {type: Bearer, credentials_file: $work/token}"
    fi
    echo "    static_configs: [{targets: ['$hostport']}]"
  } > "$work/prometheus.yml"
  promtool check config "$work/prometheus.yml" > /dev/null

  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address="127.0.0.1:$port" > "$work/prometheus.log" 2>&1 &
  prom_pid=$!
  # shellcheck disable=SC2064
  trap "kill $prom_pid 2> /dev/null || true; wait $prom_pid 2> /dev/null || true; rm -rf '$work'" EXIT
  local prom="http://127.0.0.1:$port"
  echo "== Prometheus $prom scraping $url every 1s; waiting for $SCRAPES successful scrapes"
  local deadline=$((SECONDS + WAIT_SECONDS)) scrapes=0
  while (( SECONDS < deadline )); do
    kill -0 "$prom_pid" 2> /dev/null || { cat "$work/prometheus.log" >&2; die "prometheus exited"; }
    scrapes=$(python3 - "$prom" <<'PY' 2> /dev/null || echo 0
import json, sys, urllib.parse, urllib.request
q = urllib.parse.urlencode({"query": 'sum_over_time(up{job="breachwatch"}[5m])'})
with urllib.request.urlopen(sys.argv[1] + "/api/v1/query?" + q, timeout=5) as r:
    result = json.load(r)["data"]["result"]
print(int(float(result[0]["value"][1])) if result else 0)
PY
)
    (( scrapes >= SCRAPES )) && break
    sleep 1
  done
  (( scrapes >= SCRAPES )) || { tail -20 "$work/prometheus.log" >&2; die "only $scrapes successful scrapes of $url within ${WAIT_SECONDS}s"; }
  echo "$scrapes scrapes done"
  echo "== PromQL of dashboards and alert rules"
  python3 "$ROOT/scripts/promql-check.py" "$prom" --dashboards "$DASHBOARDS" --rules "$RULES_DIR"/*.yml
}

curl_check() {
  python3 - "$1" <<'PY' || die "cannot read $1: is the app running?"
import os, sys, urllib.request
request = urllib.request.Request(sys.argv[1])
token = os.environ.get("BREACHWATCH_HTTP_TOKEN")
if token:
    request.add_header("Authorization", "Bearer " + token)
with urllib.request.urlopen(request, timeout=10) as response:
    if response.status != 200:
        sys.exit(f"HTTP {response.status}")
PY
}

case "${1:-static}" in
  static) static_checks ;;
  live) live_checks "${2:-}" ;;
  all) static_checks; live_checks "${2:-}" ;;
  -h|--help) sed -n '2,17p' "$0" ;;
  *) die "unknown mode '$1'; use static, live METRICS_URL or all METRICS_URL" ;;
esac
