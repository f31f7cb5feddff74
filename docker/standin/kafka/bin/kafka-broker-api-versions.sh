#!/bin/bash
KAFKA_HEAP_OPTS="${KAFKA_TOOL_HEAP_OPTS:--Xmx256m}" exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
