# Sourced by the benchmark scripts that start `sluice serve` on a fixed loopback port.

# port_free URL: fails, saying so, when a server already answers at URL: the benchmark would measure that
# one instead of the server it starts (whose bind fails), on another database.
port_free() {
  if curl -sf -m 2 "$1/healthz" >/dev/null 2>&1; then
    echo "a server already answers at $1: stop it first (the benchmark would measure it instead)" >&2
    return 1
  fi
}

# wait_served URL PID: waits until the server of process PID answers at URL. Fails when the process exits
# first (its log says why: the port taken, the database not reachable) or does not answer within 20 s.
wait_served() {
  for _ in $(seq 1 200); do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "sluice serve (pid $2) exited before answering at $1: see its log" >&2
      return 1
    fi
    curl -sf "$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "sluice serve (pid $2) did not answer at $1 within 20 s" >&2
  return 1
}
