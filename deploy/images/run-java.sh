#!/bin/sh
# The offline stand-in for the UBI OpenJDK image's run-java.sh, so the services' own
# src/main/docker/Containerfile.jvm builds unchanged on the Debian JRE base (./lab images --from).
# shellcheck disable=SC2086 # the options are lists of JVM flags
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -Djava.io.tmpdir=/tmp -jar "$JAVA_APP_JAR" "$@"
