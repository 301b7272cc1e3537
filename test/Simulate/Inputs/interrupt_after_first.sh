#!/usr/bin/env bash
# Runs a command (tnasc simulate ...) with its stderr in LOG, sends it SIGINT
# as soon as it reports the first scenario's report written, and prints its
# exit status:
#   interrupt_after_first.sh LOG command args...
log=$1
shift
"$@" 2> "$log" &
pid=$!
for _ in $(seq 1 1200); do
  if grep -q "(1 of [0-9]* scenarios)" "$log"; then
    kill -INT "$pid"
    break
  fi
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.1
done
wait "$pid"
echo "exit: $?"
