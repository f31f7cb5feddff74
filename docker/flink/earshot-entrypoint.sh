#!/usr/bin/env bash
# Starts the Flink image's own entrypoint with Earshot's settings (conf/earshot-flink.yaml) in
# front of FLINK_PROPERTIES, the upstream image's way to configure a container.
set -euo pipefail
earshot="$(grep -Ev '^[[:space:]]*(#|$)' /opt/flink/conf/earshot-flink.yaml)"
export FLINK_PROPERTIES="${earshot}
${FLINK_PROPERTIES:-}"
exec /docker-entrypoint.sh "$@"
