#!/bin/bash
# Runs a Kafka class with the jars of /opt/kafka/libs (KAFKA_HEAP_OPTS, KAFKA_OPTS as upstream).
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} ${KAFKA_OPTS:-} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' "$@"
