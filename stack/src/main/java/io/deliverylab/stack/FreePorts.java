package io.deliverylab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the stack's listeners, taken below the kernel's ephemeral range. A port
 * is chosen before its process binds it, seconds later or, for a restarted service, minutes later;
 * a port from the ephemeral range (what {@code new ServerSocket(0)} hands out) can meanwhile become
 * the local end of one of the many outgoing loopback connections (Kafka clients, the connection
 * pools, the lab's observers), and the listener then fails: seen once, a producer that exited with
 * "Port 36141 seems to be in use by another process" while the stack started.
 */
public final class FreePorts {

    /** The lowest port handed out; below it live well-known services. */
    static final int LOW = 20000;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private static int cursor = -1;

    /** The first port of the ephemeral range, read once: it is a system setting, not something a run changes. */
    private static int ephemeralLow = -1;

    private FreePorts() {
    }

    /** A port below the ephemeral range that nothing listens on now, never the same twice in a row. */
    public static synchronized int next() {
        if (ephemeralLow < 0) {
            ephemeralLow = ephemeralLow();
        }
        int size = ephemeralLow - LOW;
        if (size < 100) {
            return anyFree(); // an unusual ephemeral range: nothing to stay clear of
        }
        if (cursor < 0) {
            cursor = ThreadLocalRandom.current().nextInt(size); // separate processes start apart
        }
        for (int tried = 0; tried < size; tried++) {
            int port = LOW + cursor;
            cursor = (cursor + 1) % size;
            if (bindable(port)) {
                return port;
            }
        }
        return anyFree();
    }

    /** The first port of the kernel's ephemeral range (32768 by default on Linux). */
    static int ephemeralLow() {
        // Read as a stream: procfs reports a size of 0, and Files.readString then returned "3" of "32768 60999".
        try (var reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the listeners themselves bind
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
