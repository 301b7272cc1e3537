#!/usr/bin/env bash
# Runs a command (tnasc simulate ...) with its stderr in LOG, sends it SIGINT
# as soon as a line of LOG matches PATTERN (grep -E), and prints its exit
# status:
#   interrupt_on.sh PATTERN LOG command args...
pattern=$1
log=$2
shift 2
"$@" 2> "$log" &
pid=$!
for _ in $(seq 1 1200); do
  if grep -Eq "$pattern" "$log"; then
    kill -INT "$pid"
    break
  fi
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.1
done
wait "$pid"
echo "exit: $?"
