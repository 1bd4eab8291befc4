package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.LocalStack;
import io.deliverylab.stack.JvmFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.UnaryOperator;

/** An in-process stack for demo and bench. */
final class LocalStacks {

    private LocalStacks() {
    }

    /** Work with an in-process stack, in its own work directory; Ctrl-C or a failure stops every child by pid. */
    static int withLocalStack(Lab lab, String name, Duration restartDelay, int consumers, StackWork work) throws Exception {
        return withLocalStack(lab, name, restartDelay, consumers, stack -> stack, work);
    }

    /**
     * The same, with the stack configured first (a bench's partitions, session timeout, service
     * properties). What is out of range is refused while the stack is only configured, before anything starts.
     */
    static int withLocalStack(Lab lab, String name, Duration restartDelay, int consumers, UnaryOperator<LocalStack> configure,
            StackWork work) throws Exception {
        return withLocalStack(lab, name, restartDelay, consumers, JvmFlags.forLab(), configure, work);
    }

    /** The same, the stack's JVMs started with {@code flags} (the bench's, rather than the lab's). */
    static int withLocalStack(Lab lab, String name, Duration restartDelay, int consumers, JvmFlags flags,
            UnaryOperator<LocalStack> configure, StackWork work) throws Exception {
        Path dir = Lab.abs(lab.workDir).resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Lab.OUT.println(name + " work dir: " + dir);
        try (LocalStack stack = configure.apply(new LocalStack(dir, restartDelay, consumers, flags, line -> Lab.OUT.println("[stack] " + line)))) {
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
