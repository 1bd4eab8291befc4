package io.deliverylab.lab.cli;

import io.deliverylab.lab.lesson.Lesson;
import io.deliverylab.lab.lesson.LessonPage;
import io.deliverylab.lab.lesson.LessonRunner;
import io.deliverylab.lab.lesson.Part;
import io.deliverylab.lab.lesson.Trials;
import io.deliverylab.lab.stack.ControlServer;
import io.deliverylab.lab.stack.Stack;
import io.deliverylab.lab.stack.StackInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lesson", mixinStandardHelpOptions = true,
        description = "The seven steps, three myths and the zombie producer, each answered by a live experiment on the "
                + "local stack (a running ./lab up stack, or its own); writes lesson.html.")
final class LessonCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @Option(names = "--step", description = "Run only this step (1-7).")
    Integer step;

    @Option(names = "--myth", description = "Run only this myth (1-3).")
    Integer myth;

    @Option(names = "--expert", description = "Run only this expert topic (1: zombie producers; 2: a transaction's scope of one producer session; "
            + "3: offset commits coordinated with processing; 4: share groups, a queue on a log).")
    Integer expert;

    @Option(names = "--no-prompt", description = "Do not wait for answers (also when stdin is not a terminal).")
    boolean noPrompt;

    @Option(names = "--messages", defaultValue = "2000", description = "Messages per mode in each fault experiment (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--rate", defaultValue = "300", description = "Messages per second per mode in the fault experiments (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--cost-messages", defaultValue = "15000", description = "Messages per mode in step 6's short bench (default: ${DEFAULT-VALUE}).")
    long costMessages;

    @Option(names = "--out", description = "Where lesson.html goes (default: <work-dir>/results/lesson-<time>).")
    String out;

    @CommandLine.Mixin
    StackOptions stackOptions;

    @Override
    public Integer call() throws Exception {
        stackOptions.check();
        List<Part> parts = Lesson.select(step, myth, expert); // a bad selection exits 2 before anything starts
        if (messages < 200 || rate <= 0 || costMessages < 1000) {
            throw new IllegalArgumentException("--messages must be >= 200, --rate > 0 and --cost-messages >= 1000");
        }
        Path workDir = Lab.abs(lab.workDir);
        Path results = Matrix.resultsDir(workDir, null);
        Path dir = out != null ? Path.of(out) : results.resolveSibling("lesson-" + results.getFileName());
        BufferedReader in = noPrompt || System.console() == null ? null : new BufferedReader(new InputStreamReader(System.in));
        long t0 = System.nanoTime();
        StackInfo running = Files.exists(StackInfo.file(workDir)) ? StackInfo.read(workDir) : null;
        if (running != null && running.supervisorAlive()) {
            Lab.OUT.println("using the running stack of ./lab up in " + workDir);
            return teach(new ControlServer.Remote(running), parts, in, dir, t0);
        }
        return LocalStacks.withLocalStack(lab, "lesson", Duration.ofSeconds(1), stackOptions.consumers, stackOptions::configure,
                stack -> teach(stack, parts, in, dir, t0));
    }

    private int teach(Stack stack, List<Part> parts, BufferedReader in, Path dir, long t0) throws Exception {
        // Step 6 cites the last ./lab bench on this machine: this work dir's, or the default one's.
        Trials trials = new Trials(stack, Lab.OUT, messages, rate, costMessages).benchFiles(List.of(
                Lab.abs(lab.workDir).resolve("bench/bench.json"), Path.of(System.getProperty("deliverylab.home", ".")).resolve(".lab/bench/bench.json")));
        List<LessonRunner.Taught> taught = new LessonRunner(trials, Lab.OUT, in).run(parts);
        Files.createDirectories(dir);
        Path page = dir.resolve("lesson.html");
        Files.writeString(page, LessonPage.html(taught, Runtime.getRuntime().availableProcessors() + " cores, "
                + messages + " messages per mode at " + rate + "/s per experiment"));
        long notShown = taught.stream().filter(t -> !t.evidence().shown()).count();
        Lab.OUT.printf("%nlesson: %s, %s; %.0f s; %s%n", taught.size() == 1 ? "1 part" : taught.size() + " parts",
                notShown == 0 ? "every one shown by its measurements" : notShown + " NOT shown by this run",
                (System.nanoTime() - t0) / 1e9, Lab.abs(page));
        return notShown == 0 ? 0 : 1;
    }
}
