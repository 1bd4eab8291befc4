package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** An in-process stack for demo and bench. */
final class LocalStacks {

    private LocalStacks() {
    }

    /** Work with an in-process stack, in its own work directory; Ctrl-C or a failure stops every child by pid. */
    static int withLocalStack(Lab lab, String name, Duration restartDelay, int consumers, StackWork work) throws Exception {
        return withLocalStack(lab, name, restartDelay, consumers, io.deliverylab.contract.Topics.PARTITIONS, null, work);
    }

    /**
     * The same, with {@code partitions} per mode's topic and (unless null) the consumers' session
     * timeout. Sizes out of range are refused while the stack is only configured, before anything starts.
     */
    static int withLocalStack(Lab lab, String name, Duration restartDelay, int consumers, int partitions, Duration sessionTimeout,
            StackWork work) throws Exception {
        Path dir = Lab.abs(lab.workDir).resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Lab.OUT.println(name + " work dir: " + dir);
        try (LocalStack stack = new LocalStack(dir, restartDelay, consumers, line -> Lab.OUT.println("[stack] " + line))
                .partitions(partitions).sessionTimeout(sessionTimeout)) {
            Thread hook = new Thread(stack::close);
            Runtime.getRuntime().addShutdownHook(hook);
            stack.start(ProcessHandle.current().pid());
            int code = work.run(stack);
            Runtime.getRuntime().removeShutdownHook(hook);
            return code;
        }
    }

    /** What {@link #withLocalStack} does with the stack; returns the exit code. */
    interface StackWork {
        int run(LocalStack stack) throws Exception;
    }
}
