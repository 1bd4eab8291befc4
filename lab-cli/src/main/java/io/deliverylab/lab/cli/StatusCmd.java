package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.StackInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the local stack's endpoints and health.")
final class StatusCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @Override
    public Integer call() {
        StackInfo info = StackInfo.read(Lab.abs(lab.workDir));
        if (!info.supervisorAlive()) {
            Lab.OUT.println("the stack in " + info.workDir() + " is DOWN: it was not stopped cleanly (supervisor pid "
                    + info.supervisorPid() + " is gone), so its addresses are stale.");
            Lab.OUT.println("./lab up starts it again with its data (unfinished runs resume); ./lab down clears what is left.");
            return 1;
        }
        print(info);
        Lab.OUT.println("supervisor: running (pid " + info.supervisorPid() + ")");
        return 0;
    }

    static void print(StackInfo info) {
        Lab.OUT.println("work dir:  " + info.workDir());
        Lab.OUT.println("kafka:     " + info.bootstrapServers());
        Lab.OUT.println("postgres:  " + info.jdbcUrl());
        Lab.OUT.println("producer:  " + info.producerUrl() + "  (metrics " + info.producerUrl() + "/q/metrics)");
        for (String url : info.consumerUrls()) {
            Lab.OUT.println("consumer:  " + url + "  (metrics " + url + "/q/metrics)");
        }
        if (info.groupProtocol() != null) {
            Lab.OUT.println("groups:    the " + info.groupProtocol() + " group protocol");
        }
        if (info.transactionVersion() != null) {
            Lab.OUT.println("transactions: transaction.version=" + info.transactionVersion());
        }
        if (info.apiToken() != null) {
            Lab.OUT.println("api token: starting and cancelling runs need -H 'Authorization: Bearer " + info.apiToken() + "'");
        }
        Lab.OUT.println("lab:       http://127.0.0.1:" + info.controlPort() + "/metrics  (the checker's verdicts)");
        Lab.OUT.println("prometheus: " + (info.prometheusUrl() == null
                ? "not installed (apt-get install prometheus to get a real scrape)" : info.prometheusUrl()));
        Lab.OUT.println("logs:      " + Path.of(info.workDir()).resolve("logs"));
    }
}
