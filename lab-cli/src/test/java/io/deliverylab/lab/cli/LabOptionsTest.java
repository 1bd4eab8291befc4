package io.deliverylab.lab.cli;

import io.deliverylab.lab.Durations;
import io.deliverylab.lab.nemesis.FaultSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every duration option takes the same friendly form as fault schedules, and ISO-8601. */
class LabOptionsTest {

    static CommandLine.ParseResult parse(String... args) {
        return Lab.commandLine().parseArgs(args);
    }

    static Duration option(CommandLine.ParseResult result, String name) {
        return result.subcommand().matchedOptionValue(name, null);
    }

    @Test
    void durationOptionsTakeFriendlyAndIsoForms() {
        assertThat(option(parse("run", "--settle-timeout", "20s"), "--settle-timeout")).isEqualTo(Duration.ofSeconds(20));
        assertThat(option(parse("up", "--restart-delay", "500ms"), "--restart-delay")).isEqualTo(Duration.ofMillis(500));
        assertThat(option(parse("demo", "--restart-delay", "PT2S"), "--restart-delay")).isEqualTo(Duration.ofSeconds(2));
        assertThat(option(parse("demo", "--settle-timeout", "2m"), "--settle-timeout")).isEqualTo(Duration.ofMinutes(2));
        assertThat(option(parse("run", "--settle-timeout", "1.5s"), "--settle-timeout")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aBadDurationIsAUsageErrorWithExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("run", "--settle-timeout", "soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration").contains("500ms, 20s");
        assertThatThrownBy(() -> Durations.parse("-PT5S")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyVerbThatStartsAStackRefusesAGroupOrTopicSizeOutOfRangeAsAUsageError() {
        for (String verb : List.of("bench", "up", "demo", "lesson")) {
            for (String[] args : new String[][] {{verb, "--consumers", "0"}, {verb, "--partitions", "65"},
                    {verb, "--session-timeout", "500ms"}}) {
                StringWriter err = new StringWriter();
                CommandLine cli = Lab.commandLine();
                cli.setErr(new PrintWriter(err));
                assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(2);
                assertThat(err.toString()).contains(args[1] + " must be between").contains("Usage: lab " + verb);
            }
        }
    }

    @Test
    void everyVerbThatStartsAStackRefusesAGroupProtocolOrTransactionVersionItCannotRunAsAUsageError() {
        for (String verb : List.of("bench", "up", "demo", "lesson")) {
            List<String[]> refused = new java.util.ArrayList<>(List.<String[]>of(
                    new String[] {verb, "--group-protocol", "cooperative", "unknown group protocol 'cooperative', expected one of classic, consumer"},
                    new String[] {verb, "--group-protocol", "consumer,consumer", "names a protocol twice"},
                    new String[] {verb, "--transaction-version", "3", "--transaction-version must be 1 or 2, was [3]"},
                    new String[] {verb, "--transaction-version", "2,2", "names a version twice"}));
            if (!verb.equals("demo")) {
                refused.add(new String[] {verb, "--group-protocol", "classic,consumer", "takes one protocol here"});
                refused.add(new String[] {verb, "--transaction-version", "1,2", "takes one version here"});
            }
            for (String[] args : refused) {
                StringWriter err = new StringWriter();
                CommandLine cli = Lab.commandLine();
                cli.setErr(new PrintWriter(err));
                assertThat(cli.execute(args[0], args[1], args[2])).as(String.join(" ", args)).isEqualTo(2);
                assertThat(err.toString()).contains(args[3]).contains("Usage: lab " + verb);
            }
        }
        assertThat(parse("demo", "--group-protocol", "classic,consumer").subcommand().matchedOptionValue("--group-protocol", List.of()))
                .isEqualTo(List.of("classic", "consumer"));
    }

    @Test
    void benchRefusesAServicePropertyItMayNotSetAsAUsageError() {
        for (String[] args : new String[][] {
                {"bench", "--consumer-property", "kafka.bootstrap.servers=elsewhere:9092", "is set by the lab itself"},
                {"bench", "--producer-property", "deliverylab.producer.ledger=/tmp/x", "is set by the lab itself"},
                {"bench", "--consumer-property", "bad key=1", "'bad key' is not a property name"},
                {"bench", "--producer-property", "a=b\nc", "must be one line"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = Lab.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute(args[0], args[1], args[2])).as(args[2]).isEqualTo(2);
            assertThat(err.toString()).contains(args[1] + ": ").contains(args[3]).contains("Usage: lab bench");
        }
    }

    @Test
    void benchTakesOneOfSweepAndMemory() {
        StringWriter err = new StringWriter();
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("bench", "--sweep", "--memory")).isEqualTo(2);
        assertThat(err.toString()).contains("--sweep and --memory are two different benches");
    }

    @Test
    void helpShowsTheForm() {
        StringWriter out = new StringWriter();
        CommandLine cli = Lab.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("run", "--help");
        assertThat(out.toString()).contains("--settle-timeout").contains("500ms, 20s, 2m or PT20S").contains("default: 45s");
    }

    @Test
    void faultSchedulesTakeTheSameForm() {
        var fault = FaultSchedule.parse("pause-leader@4s:for=1500ms", 1000, 1).faults().get(0);
        assertThat(fault.forSeconds()).isEqualTo(1.5);
        assertThat(FaultSchedule.parse("kill-leader@100:for=2m", 1000, 1).faults().get(0).forSeconds()).isEqualTo(120);
        assertThat(FaultSchedule.parse("kill-leader@100:for=5", 1000, 1).faults().get(0).forSeconds()).isEqualTo(5);
    }

    @Test
    void modesTakeNamesAndGroups() {
        java.util.function.Function<String[], java.util.List<io.deliverylab.contract.DeliveryMode>> modes = args -> {
            RunCmd cmd = (RunCmd) parse(args).subcommand().commandSpec().userObject();
            return cmd.options.modes();
        };
        assertThat(modes.apply(new String[] {"run"})).isEqualTo(io.deliverylab.contract.DeliveryMode.guarantees());
        assertThat(modes.apply(new String[] {"run", "--abort-ratio", "0.1"})).as("aborted transactions need a reader that reads them")
                .containsExactly(io.deliverylab.contract.DeliveryMode.AT_MOST_ONCE, io.deliverylab.contract.DeliveryMode.AT_LEAST_ONCE,
                        io.deliverylab.contract.DeliveryMode.EXACTLY_ONCE, io.deliverylab.contract.DeliveryMode.READ_UNCOMMITTED);
        assertThat(modes.apply(new String[] {"run", "--abort-ratio", "0.1", "--modes", "exactly-once"})).hasSize(1);
        assertThat(modes.apply(new String[] {"run", "--modes", "all"})).hasSize(10).contains(io.deliverylab.contract.DeliveryMode.SHARE_GROUP);
        assertThat(modes.apply(new String[] {"run", "--modes", "pitfalls,exactly-once"})).extracting(m -> m.wireName())
                .containsExactly("no-retries", "kafka-only-exactly-once", "unstable-transactional-id", "read-uncommitted",
                        "split-transaction", "replay-on-commit-timeout", "exactly-once");
        assertThat(modes.apply(new String[] {"run", "--mode", "at-most-once,at-most-once"})).hasSize(1);
        StringWriter err = new StringWriter();
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("run", "--modes", "most-once")).isEqualTo(2);
        for (String verb : List.of("run", "demo")) {
            StringWriter abortErr = new StringWriter();
            CommandLine abort = Lab.commandLine();
            abort.setErr(new PrintWriter(abortErr));
            assertThat(abort.execute("--work-dir", "target/no-stack", verb, "--abort-ratio", "0.9")).as(verb).isEqualTo(2);
            assertThat(abortErr.toString()).contains("--abort-ratio must be between 0 and 0.5, was 0.9").contains("Usage: lab " + verb);
        }
        assertThat(err.toString()).contains("unknown mode 'most-once'").contains("unstable-transactional-id");
        for (String[] poison : List.of(
                new String[] {"--poison", "3", "--poison needs the share-group mode"},
                new String[] {"--modes", "share-group", "--poison", "101", "--poison must be between 0 and 100, was 101"},
                new String[] {"--modes", "share-group", "--messages", "5", "--poison", "6", "--poison must be between 0 and 5, was 6"},
                new String[] {"--workload", "ledger", "unknown workload 'ledger', expected one of transfers, bank"},
                new String[] {"--workload", "bank", "--keys", "1", "--keys must be at least 2 for the bank workload"})) {
            StringWriter poisonErr = new StringWriter();
            CommandLine cmd = Lab.commandLine();
            cmd.setErr(new PrintWriter(poisonErr));
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--work-dir", "target/no-stack", "run"),
                    java.util.Arrays.stream(poison, 0, poison.length - 1)).toArray(String[]::new);
            assertThat(cmd.execute(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(poisonErr.toString()).contains(poison[poison.length - 1]).contains("Usage: lab run");
        }
    }

    @Test
    void aLessonPartThatDoesNotExistIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--work-dir", "target/no-stack", "lesson", "--step", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("there are steps 1-7, myths 1-3 and experts 1-4").contains("Usage: lab lesson");
    }
}
