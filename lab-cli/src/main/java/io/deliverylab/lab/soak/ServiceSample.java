package io.deliverylab.lab.soak;

import io.deliverylab.lab.stack.ProcessArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One service process's resources after a soak window: resident memory, JVM heap in use, open file
 * descriptors and threads, read from {@code /proc} (the process found by the HTTP port it was started
 * with) and from its {@code /q/metrics}.
 *
 * @param pid the process; a service restarted by a fault gets a new one, and its series starts again
 */
public record ServiceSample(int window, String service, long pid, long rssBytes, long heapBytes, long openFiles, long threads) {

    /** The sample of the service answering at {@code url}, empty when no local process serves it (Kubernetes, or down). */
    static Optional<ServiceSample> of(int window, String service, String url, String metricsPage) {
        String port = url.substring(url.lastIndexOf(':') + 1).replaceAll("/.*", "");
        Optional<ProcessHandle> process = ProcessHandle.allProcesses().filter(h -> ProcessArguments.of(h.pid())
                .map(args -> args.contains("-Dquarkus.http.port=" + port)).orElse(false)).findFirst();
        return process.map(h -> new ServiceSample(window, service, h.pid(), status(h.pid(), "VmRSS") * 1024,
                heap(metricsPage), openFiles(h.pid()), status(h.pid(), "Threads")));
    }

    /** A field of {@code /proc/PID/status} as a number (VmRSS is in kB); -1 when it cannot be read. */
    static long status(long pid, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
            return lines.filter(l -> l.startsWith(field + ":")).findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0])).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The sum of {@code jvm_memory_used_bytes{area="heap"}} over the heap's pools; -1 without metrics. */
    static long heap(String metricsPage) {
        if (metricsPage == null) {
            return -1;
        }
        return (long) metricsPage.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
