package io.deliverylab.stack.quarkus;

import io.deliverylab.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Hands a {@code @QuarkusTest} the real Kafka cluster and PostgreSQL of {@link TestStack}
 * (Dev Services cannot run without Docker). The stack outlives a single test class on purpose.
 */
public class RealStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestStack.get().serviceConfig();
    }

    @Override
    public void stop() {
        // TestStack stops with the JVM, so later test classes reuse the running cluster.
    }
}
