# Sourced by the MPI test scripts.
# rank_pid <mpirun pid> <rank>: the pid of that rank among mpirun's children
# (Open MPI starts the ranks of a one-node job itself), waiting up to 60 s.
rank_pid() {
  local launcher=$1 rank=$2 child
  for _ in $(seq 300); do
    for child in $(pgrep -P "$launcher"); do
      if tr '\0' '\n' < "/proc/$child/environ" 2>/dev/null |
          grep -qx "OMPI_COMM_WORLD_RANK=$rank"; then
        echo "$child"
        return 0
      fi
    done
    sleep 0.2
  done
  return 1
}

# wait_for_lines <file> <n>: waits up to 120 s until the file has n lines.
wait_for_lines() {
  for _ in $(seq 600); do
    [[ $(wc -l < "$1" 2>/dev/null || echo 0) -ge $2 ]] && return 0
    sleep 0.2
  done
  return 1
}
