#!/usr/bin/env bash
# `make demo`: runs Vantus for real on loopback until Ctrl-C.
#   - a state dir under .demo/state (created once; the admin password is printed only then)
#   - a tiny upstream (nginx serving a page) on 127.0.0.1:18081
#   - the controller on 127.0.0.1:8440
#   - a sample tenant "demo" with domain demo.localhost, deployed to cluster "local"
#   - an edge: vantus-agent enrolled in cluster "local", running its own nginx on 127.0.0.1:8080
set -euo pipefail

build_dir="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
demo="$root/.demo"
state="$demo/state"
controller="$root/$build_dir/vantus-controller"
agent="$root/$build_dir/vantus-agent"
edge_listen="${VANTUS_DEMO_EDGE_LISTEN:-127.0.0.1:8080}"
edge_status="${VANTUS_DEMO_EDGE_STATUS:-127.0.0.1:8081}"
listen="${VANTUS_DEMO_LISTEN:-127.0.0.1:8440}"
upstream_port="${VANTUS_DEMO_UPSTREAM_PORT:-18081}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
pids=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
cleanup() {
  trap '' INT TERM HUP
  # The edge nginx was started by the agent, not by this shell: `wait` does not cover it.
  local edge_pid=""
  [[ -f "$demo/agent/nginx/nginx.pid" ]] && edge_pid="$(cat "$demo/agent/nginx/nginx.pid" 2>/dev/null || true)"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f "$demo/upstream/nginx.pid" ]]; then kill "$(cat "$demo/upstream/nginx.pid" 2>/dev/null)" 2>/dev/null || true; fi
  if [[ -n "$edge_pid" ]]; then kill -QUIT "$edge_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [[ -n "$edge_pid" ]]; then
    for _ in $(seq 1 50); do kill -0 "$edge_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$edge_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
# Ctrl-C reaches every process of the terminal's group; `kill` (TERM) or a closed terminal
# (HUP) reaches only this script, which then stops everything it started.
trap 'exit 0' INT TERM HUP

[[ -x "$controller" && -x "$agent" ]] || { echo "error: $controller or $agent is missing; run 'make' first" >&2; exit 1; }
mkdir -p "$demo"

# The one-time password lives only in this shell variable, never in a file.
init_output=""
if [[ ! -d "$state" ]]; then
  say "Creating the state dir $state"
  init_output="$("$controller" init --state-dir "$state" --admin-email admin@vantus.local)"
  echo "$init_output"
fi

say "Starting a tiny upstream on 127.0.0.1:$upstream_port"
mkdir -p "$demo/upstream/html" "$demo/upstream/logs"
echo "Hello from the demo upstream behind Vantus" >"$demo/upstream/html/index.html"
cat >"$demo/upstream/nginx.conf" <<CONF
daemon off;
pid $demo/upstream/nginx.pid;
error_log $demo/upstream/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $demo/upstream/tmp;
  proxy_temp_path $demo/upstream/tmp;
  fastcgi_temp_path $demo/upstream/tmp;
  uwsgi_temp_path $demo/upstream/tmp;
  scgi_temp_path $demo/upstream/tmp;
  server { listen 127.0.0.1:$upstream_port; root $demo/upstream/html; }
}
CONF
mkdir -p "$demo/upstream/tmp"
"$nginx_bin" -p "$demo/upstream" -e "$demo/upstream/logs/error.log" -c "$demo/upstream/nginx.conf" &
pids+=($!)

say "Starting the controller on http://$listen"
"$controller" serve --state-dir "$state" --listen "$listen" 2>>"$demo/controller.log" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://$listen/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$listen/readyz" >/dev/null || { echo "error: controller not ready, see $demo/controller.log" >&2; exit 1; }

cli() { "$controller" "$@" --state-dir "$state"; }
if ! cli tenant list | grep -q $'\tdemo\t'; then
  say "Creating tenant 'demo' (demo.localhost -> 127.0.0.1:$upstream_port) on cluster 'local'"
  cli cluster create --name local
  cli tenant create --slug demo --name "Demo tenant"
  cli domain add --tenant demo --name demo.localhost
  cli pool set --tenant demo --json "{\"name\":\"web\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":$upstream_port}]}"
  cli policy set --tenant demo --json '{"headers":{"X-Served-By":"vantus-demo"}}'
  cli assign --tenant demo --cluster local
  say "Deploying: render, nginx -t, signed commit, signed release"
  cli deploy --tenant demo --message "First deployment of the demo tenant"
fi
if [[ ! -f "$demo/agent/enrollment.json" ]]; then
  say "Enrolling an edge node in cluster 'local'"
  token_output="$(cli cluster enroll-token --cluster local 2>/dev/null)"
  token="$(head -1 <<<"$token_output")"
  pin="$(grep -o 'SHA256:[^ ]*' <<<"$token_output" | head -1)"
  "$agent" enroll --controller "http://$listen" --token "$token" --pin "$pin" --state-dir "$demo/agent" --name demo-edge
fi
cat >"$demo/agent.yaml" <<YAML
controller_url: http://$listen
state_dir: $demo/agent
nginx:
  binary: $nginx_bin
  http_listen: ["$edge_listen"]
  status_listen: $edge_status
  worker_processes: 1
heartbeat_interval_s: 5
drift_check_interval_s: 10
YAML
say "Starting the edge agent (nginx on http://$edge_listen)"
"$agent" run --config "$demo/agent.yaml" 2>>"$demo/agent.log" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS -H 'Host: demo.localhost' "http://$edge_listen/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS -H 'Host: demo.localhost' "http://$edge_listen/" >/dev/null || { echo "error: the edge does not serve demo.localhost yet, see $demo/agent.log" >&2; exit 1; }

# Every scope, so that the walk-through in docs/api.md (users, audit log included) works.
all_scopes=tenants:read,tenants:write,config:read,config:write,deploy,edges:read,edges:write,users:admin,audit:read
api_token=""
if [[ -n "$init_output" ]]; then
  api_token="$(cli token create --user admin@vantus.local --name demo --expires 7d --scopes "$all_scopes")"
fi

echo
say "Vantus is running"
echo "  Controller:      http://$listen   (health: /healthz, /readyz; REST API: /api/v1)"
echo "  Web UI:          http://$listen/   (sign in with the admin login below)"
if [[ -n "$init_output" ]]; then
  echo "  Admin login:     $(grep 'admin login' <<<"$init_output" | awk '{print $3}')"
  echo "  Admin password:  $(grep 'admin password' <<<"$init_output" | awk '{print $3}')   (shown on the first run only)"
  echo "  API token:       $api_token   (shown once)"
  echo "  Try the API:     curl -H 'Authorization: Bearer $api_token' http://$listen/api/v1/tenants"
else
  echo "  Admin login:     admin@vantus.local (password shown when .demo/state was created)"
  echo "  API token:       shown on the first run only; make another (every scope, 7 days) with"
  echo "                   $controller token create --state-dir $state --user admin@vantus.local --name demo --expires 7d --scopes $all_scopes"
fi
echo "  Edge (nginx):    curl -H 'Host: demo.localhost' http://$edge_listen/"
echo "  Edge status:     $agent status --config $demo/agent.yaml"
echo "  Nodes:           $controller node list --state-dir $state"
echo "  Deployments:     $controller log --tenant demo --state-dir $state"
echo "  Signed history:  git -C $state/config.git -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=$state/keys/allowed_signers log --show-signature"
echo "  Try a change:    $controller policy set --tenant demo --state-dir $state --json '{\"headers\":{\"X-Served-By\":\"changed\"}}'"
echo "                   $controller preview --tenant demo --state-dir $state"
echo "                   $controller deploy --tenant demo --state-dir $state --message 'new header'"
echo "  Logs:            $demo/controller.log, $demo/agent.log"
echo
echo "Press Ctrl-C to stop."
wait "${pids[1]}"
