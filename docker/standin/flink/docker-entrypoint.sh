#!/bin/bash
# The upstream Flink image's interface on Flink's jars: `jobmanager` runs a session cluster's
# JobManager, `taskmanager` a TaskManager, anything else runs as given. The configuration is
# conf/config.yaml, then jobmanager.rpc.address (JOB_MANAGER_RPC_ADDRESS, default this host),
# blob.server.port 6124, then each "key: value" line of FLINK_PROPERTIES, a later key replacing an
# earlier one. Memory sizes and their JVM options are computed from it as Flink's scripts do.
set -euo pipefail
conf=/opt/flink/conf
if [ "$(id -u)" = 0 ] && [ "${1:-}" = jobmanager -o "${1:-}" = taskmanager ]; then
  # as upstream: start as root, then run Flink as the flink user
  chown flink:flink "$conf" "$conf/config.yaml" 2>/dev/null || true
  exec setpriv --reuid=flink --regid=flink --init-groups "$0" "$@"
fi
case "${1:-help}" in
  jobmanager) main=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint; utils=GET_JM_RESOURCE_PARAMS ;;
  taskmanager) main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner; utils=GET_TM_RESOURCE_PARAMS ;;
  help) echo "Usage: $(basename "$0") (jobmanager|taskmanager)"; exit 0 ;;
  *) exec "$@" ;;
esac
shift
base="$conf/config.base.yaml"
[ -f "$base" ] || cp "$conf/config.yaml" "$base"
{
  cat "$base"
  echo "jobmanager.rpc.address: ${JOB_MANAGER_RPC_ADDRESS:-$(hostname -f)}"
  echo "blob.server.port: 6124"
  [ -z "${TASK_MANAGER_NUMBER_OF_TASK_SLOTS:-}" ] || echo "taskmanager.numberOfTaskSlots: $TASK_MANAGER_NUMBER_OF_TASK_SLOTS"
  printf '%s\n' "${FLINK_PROPERTIES:-}" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -Ev '^(#|$)' || true
} | awk '{ i = index($0, ":"); if (i == 0) next; k = substr($0, 1, i - 1); gsub(/[[:space:]]/, "", k);
           v = substr($0, i + 1); sub(/^[[:space:]]*/, "", v); if (!(k in val)) order[n++] = k; val[k] = v }
         END { for (j = 0; j < n; j++) print order[j] ": " val[order[j]] }' > "$conf/config.yaml"
cp="$(ls /opt/flink/lib/*.jar | tr '\n' ':')"
opens="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
# Flink's scripts ask BashJavaUtils for the JVM options (line 1) and the derived settings (line 2)
out="$(java -Xmx128m -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$utils" --configDir "$conf" 2>&1)" || {
  echo "$out" >&2; exit 1; }
results="$(printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
jvm="$(printf '%s\n' "$results" | sed -n 1p)"
dynamic="$(printf '%s\n' "$results" | sed -n 2p)"
echo "Starting $main with $jvm"
# shellcheck disable=SC2086
exec java $jvm $opens -XX:+IgnoreUnrecognizedVMOptions \
  -Dlog4j.configurationFile="$conf/log4j-console.properties" -Dlog.file=/opt/flink/log/flink.log \
  -cp "$cp" "$main" --configDir "$conf" $dynamic "$@"
