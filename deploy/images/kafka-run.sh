#!/bin/bash
# The offline stand-in for the official apache/kafka image's /etc/kafka/docker/run: the same
# environment contract, so k8s/base works unchanged with either image. Every KAFKA_* variable except
# the JVM/log ones becomes a broker property (strip KAFKA_, lower case, "___" -> "-", "__" -> "_",
# "_" -> "."); CLUSTER_ID formats the storage once; KAFKA_HEAP_OPTS and KAFKA_OPTS go to the JVM.
set -euo pipefail
: "${CLUSTER_ID:?CLUSTER_ID must be set (the KRaft cluster id)}"
jvm_only=" KAFKA_VERSION KAFKA_HEAP_OPTS KAFKA_LOG4J_OPTS KAFKA_OPTS KAFKA_JMX_OPTS KAFKA_JVM_PERFORMANCE_OPTS
 KAFKA_GC_LOG_OPTS KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL "
# As the official image does: listen on every interface at the advertised ports unless told otherwise.
if [ -z "${KAFKA_LISTENERS:-}" ] && [ -n "${KAFKA_ADVERTISED_LISTENERS:-}" ]; then
  export KAFKA_LISTENERS
  KAFKA_LISTENERS=$(echo "$KAFKA_ADVERTISED_LISTENERS" | sed -e 's|://[^:]*:|://0.0.0.0:|g')
fi
config=/opt/kafka/config/server.properties
: > "$config"
while IFS='=' read -r name value; do
  case "$jvm_only" in *" $name "*) continue ;; esac
  key=${name#KAFKA_}
  key=${key,,}
  key=${key//___/-}
  key=${key//__/@}
  key=${key//_/.}
  echo "${key//@/_}=$value" >> "$config"
done < <(env | grep -E '^KAFKA_[A-Z0-9_]+=' | sort)
cp="/opt/kafka/libs/*"
log="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/etc/kafka/docker/log4j2.properties}"
java $log -cp "$cp" kafka.tools.StorageTool format --ignore-formatted -t "$CLUSTER_ID" -c "$config"
# shellcheck disable=SC2086 # the options are lists of JVM flags
exec java ${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC} ${KAFKA_OPTS:-} \
  -Djava.io.tmpdir=/tmp $log -cp "$cp" kafka.Kafka "$config"
