package io.deliverylab.lab.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.lab.LabException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A run start waits for a producer that is still restarting, and only while nothing was sent. */
class StartRunWaitTest {

    private static final RunRequest BODY = new RunRequest("at-least-once", 10L, 2, null);

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void waitsForAProducerThatComesUpLater() throws Exception {
        int port = freePort();
        AtomicInteger posts = new AtomicInteger();
        HttpServer server = HttpServer.create();
        server.createContext("/runs", ex -> {
            posts.incrementAndGet();
            byte[] b = "{\"id\":\"run-later\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(202, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep(1500); // refused connections until then
                server.bind(new InetSocketAddress("127.0.0.1", port), 0);
                server.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        starter.start();
        try {
            String id = ServiceClient.startRun("http://127.0.0.1:" + port, null, BODY, Duration.ofSeconds(20));
            assertThat(id).isEqualTo("run-later");
            assertThat(posts.get()).as("one run started").isEqualTo(1);
        } finally {
            starter.join();
            server.stop(0);
        }
    }

    @Test
    void givesUpWithAClearErrorOnceTheWaitIsOver() throws Exception {
        int port = freePort();
        assertThatThrownBy(() -> ServiceClient.startRun("http://127.0.0.1:" + port, null, BODY, Duration.ofSeconds(1)))
                .isInstanceOf(LabException.class).hasMessageContaining("does not answer (connection refused for 1 s)");
    }
}
