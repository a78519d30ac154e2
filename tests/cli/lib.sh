# Shared by the command-line tests (sourced).

# logged_port LOG: the port `essor serve` logs once it listens, waiting up
# to ten seconds; prints nothing if it never does.
logged_port() {
  local port=
  for _ in $(seq 1 100); do
    port=$(grep -o '"port":[0-9]*' "$1" | head -1 | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  echo "$port"
}
