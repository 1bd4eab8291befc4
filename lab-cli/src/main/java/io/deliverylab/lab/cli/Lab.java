package io.deliverylab.lab.cli;

import io.deliverylab.lab.Durations;
import io.deliverylab.lab.LabException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code ./lab}: the local stack, experiments under faults, verdicts and reports. */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "deliverylab 1.0",
        description = "Kafka delivery guarantees under real kills: at-most-once, at-least-once, exactly-once.",
        subcommands = {UpCmd.class, DownCmd.class, StatusCmd.class, RunCmd.class, DemoCmd.class, ReportCmd.class, CheckCmd.class,
                BenchCmd.class, SoakCmd.class, LessonCmd.class, ImagesCmd.class, SuperviseCmd.class})
public final class Lab implements Callable<Integer> {

    /** Where the verbs print; a test may point it elsewhere. */
    public static PrintStream OUT = System.out;

    @Option(names = "--work-dir", defaultValue = "${env:DELIVERYLAB_WORK_DIR:-.lab}", 
            description = "Where the stack keeps data, logs and results (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() {
        CommandLine.usage(this, OUT);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with the lab's converters and error handling (main, and tests that parse arguments). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Lab());
        cli.registerConverter(Duration.class, value -> {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof LabException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                if (e instanceof IllegalArgumentException) {
                    cmd.usage(cmd.getErr());
                }
                return 2;
            }
            cmd.getErr().println("error: " + e);
            return 3;
        });
        return cli;
    }

    public static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
