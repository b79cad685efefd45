#!/usr/bin/env bash
# The processes of `make run`, started together and stopped together: Ctrl-C (or any one of
# them ending) stops them all. One line per process in PROCESSES, "name: command": the web
# server and the notification worker (issue 15); another process is one more line. The environment is the
# caller's: `make run` exports DATABASE_URL, SECRET_KEY and the rest.
set -uo pipefail
cd "$(dirname "$0")/.."

PROCESSES=(
  "web: .venv/bin/gunicorn -c gunicorn.conf.py"
  "worker: .venv/bin/python manage.py notify_worker"
)

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

for line in "${PROCESSES[@]}"; do
  name="${line%%:*}"
  command="${line#*: }"
  # Each line of output is prefixed with the process's name (to the last line: the prefixer
  # ignores the Ctrl-C that stops the processes).
  bash -c "exec $command" > >(trap '' INT; sed -u "s/^/$name | /") 2>&1 &
  pids+=("$!")
  echo "serve.sh: started $name (pid $!): $command"
done

# The first process to end ends the rest (exit status of that process).
wait -n "${pids[@]}"
status=$?
echo "serve.sh: a process ended (status $status); stopping the others"
exit "$status"
