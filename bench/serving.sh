# Sourced by bench/run.sh and bench/instances.sh: Essor's instances, nginx
# and wrk's pledge runs, on the caller's globals (essor, work, seconds;
# crowd and campaign once seed_small ran). Every process started is killed
# on exit, and the work directory removed.
# shellcheck shell=bash

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 3000); do curl -sf "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.01; done; return 1; }

# serve DATABASE → sets base and server_pid (settings: db_connections,
# writers, page_cache, io_threads)
serve() {
  local port; port=$(free_port)
  ESSOR_IO_THREADS=${io_threads:-0} ESSOR_DB_CONNECTIONS=${db_connections:-8} ESSOR_DB_WRITERS=${writers:-2} ESSOR_PAGE_CACHE=${page_cache:-on} ESSOR_RATE_LIMITS=off ESSOR_LOG_LEVEL=warn ESSOR_BALLOT_KEY=bench ESSOR_ADMIN_EMAILS=modo@bench.example \
    "$essor" serve --listen "127.0.0.1:$port" --database "$1" >"$work/serve.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  server_db="$1"
  base="http://127.0.0.1:$port"
  wait_up "$base"
}
stop_server() { kill -TERM "$server_pid"; wait "$server_pid" || true; }

api() {  # METHOD PATH [TOKEN] [BODY]
  curl -sf -X "$1" "$base$2" -H 'Content-Type: application/json' \
    ${3:+-H "Authorization: Bearer $3"} ${4:+-d "$4"}
}
json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }

# A campaign and a backer in an empty database.
seed_small() {
  local admin modo org cid ends
  admin=$(api POST /api/v1/auth/signup "" '{"email":"admin@bench.example","password":"essor-bench-2026","display_name":"Admin"}' | json "['token']")
  modo=$(api POST /api/v1/auth/signup "" '{"email":"modo@bench.example","password":"essor-bench-2026","display_name":"Modo"}' | json "['token']")
  ESSOR_BALLOT_KEY=bench "$essor" user verify --database "$server_db" modo@bench.example >/dev/null  # moderators need a verified address
  backer=$(api POST /api/v1/auth/signup "" '{"email":"backer@bench.example","password":"essor-bench-2026","display_name":"Backer"}' | json "['token']")
  crowd=$backer
  for n in $(seq 1 63); do
    crowd+=,$(api POST /api/v1/auth/signup "" "{\"email\":\"backer$n@bench.example\",\"password\":\"essor-bench-2026\",\"display_name\":\"Backer $n\"}" | json "['token']")
  done
  org=$(api POST /api/v1/orgs "$admin" '{"name":"La Ressourcerie du Plateau","legal_form":"association"}' | json "['org']['id']")
  ends=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  cid=$(api POST /api/v1/campaigns "$admin" "{\"org_id\":\"$org\",\"title\":\"Un four à pain pour le quartier\",\"summary\":\"Cuire ensemble, chaque samedi.\",\"description_md\":\"## Le projet\\n\\nUn four **partagé**.\",\"category\":\"food\",\"kind\":\"donation\",\"goal_cents\":100000000,\"ends_at\":\"$ends\",\"funding_model\":\"keep_it_all\",\"rewards\":[]}" | json "['campaign']['id']")
  api POST "/api/v1/campaigns/$cid/submit" "$admin" >/dev/null
  api POST "/api/v1/campaigns/$cid/approve" "$modo" >/dev/null
  campaign=$cid
}

# nginx from DIR, its http block's own part given as BODY (the rest is the
# same for every nginx of the run): sets started_pid.
run_nginx() {  # DIR BODY
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes auto;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
$2
}
CONF
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  started_pid=$!
  pids+=("$started_pid")
}

pledge_run() {  # CONNECTIONS [URL] [ESSOR PIDS] → "pledges/s p99(ms)"; where the cores went: $work/cpu.txt
  # shellcheck disable=SC2086  # the pids are words
  python3 bench/cpu_share.py --run "$seconds" ${3:-$server_pid} >"$work/cpu.txt" &
  local sharer=$!
  ESSOR_BENCH_TOKENS=$crowd ESSOR_BENCH_CAMPAIGN=$campaign \
    wrk -t2 -c"${1:-64}" -d"${seconds}s" --latency -s bench/pledge.lua "${2:-$base}" >"$work/wrk.txt"
  wait "$sharer" || true
  local r p99 non2xx
  r=$(awk '/^Requests\/sec/ {print int($2)}' "$work/wrk.txt")
  p99=$(awk '/^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.1f\n", v}' "$work/wrk.txt")
  non2xx=$(grep -o '"non_2xx": [0-9]*' "$work/wrk.txt" | grep -o '[0-9]*$')
  [ "$non2xx" = "0" ] || echo "warning: $non2xx pledges were not accepted" >&2
  echo "$r $p99"
}
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

# nginx in front of the instances given (BASE URLs): sets proxy. A
# signed-in person's requests always go to the same instance (as
# docs/deploy.md advises), anonymous ones anywhere.
start_proxy() {
  local port upstreams=""; port=$(free_port)
  for b in "$@"; do upstreams+="    server ${b#http://};"$'\n'; done
  run_nginx "$work/proxy" "  map \"\$http_authorization\$cookie_essor_session\" \$essor_person {
    \"\" \$request_id;
    default \"\$http_authorization\$cookie_essor_session\";
  }
  upstream essor {
    hash \$essor_person consistent;
$upstreams    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://essor;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }"
  proxy_pid=$started_pid
  proxy="http://127.0.0.1:$port"
  wait_up "$proxy"
}
