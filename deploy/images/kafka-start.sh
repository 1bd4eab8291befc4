#!/bin/sh
# Starts one KRaft node (broker + controller) of the StatefulSet. The node id is the pod's ordinal;
# KAFKA_BROKER_HOSTS lists, in node-id order, the host each node advertises and listens to as voter.
set -eu
ordinal="${POD_NAME##*-}"
hosts="${KAFKA_BROKER_HOSTS:-kafka-0,kafka-1,kafka-2}"
voters=""
i=0
for h in $(echo "$hosts" | tr ',' ' '); do
  voters="${voters:+$voters,}$i@$h:9093"
  [ "$i" = "$ordinal" ] && me="$h"
  i=$((i + 1))
done
data=/var/lib/kafka/data
config=/tmp/server.properties
cat > "$config" <<CONF
process.roles=broker,controller
node.id=$ordinal
controller.quorum.voters=$voters
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093
advertised.listeners=PLAINTEXT://$me:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=3
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
unclean.leader.election.enable=false
CONF
cp="/opt/kafka/libs/*"
log="-Dlog4j2.configurationFile=/opt/kafka/log4j2.properties"
if [ ! -f "$data/meta.properties" ]; then
  java $log -cp "$cp" kafka.tools.StorageTool format -t "${KAFKA_CLUSTER_ID}" -c "$config"
fi
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+UseSerialGC -Djava.io.tmpdir=/tmp $log -cp "$cp" kafka.Kafka "$config"
