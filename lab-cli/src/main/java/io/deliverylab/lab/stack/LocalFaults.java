package io.deliverylab.lab.stack;

import io.deliverylab.contract.Topics;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.stack.LabTopics;
import io.deliverylab.stack.QuarkusApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every fault on a {@link LocalStack}'s own processes: SIGKILL, SIGSTOP (a zombie once its session
 * expires), a producer replaced while paused, PostgreSQL stopped, a broker partitioned with
 * iptables, and the heal of each.
 */
final class LocalFaults {

    private final LocalStack stack;
    private final java.util.Random pick = new java.util.Random();
    /** SIGSTOPped producers whose replacement took over (pause-producer), by victim name, until healed. */
    private final Map<String, QuarkusApp> zombies = new java.util.concurrent.ConcurrentHashMap<>();
    /** Brokers cut off with iptables (partition-...), by victim name, until healed. */
    private final Map<String, NetworkPartition> partitions = new java.util.concurrent.ConcurrentHashMap<>();

    LocalFaults(LocalStack stack) {
        this.stack = stack;
    }

    List<QuarkusApp> zombies() {
        return List.copyOf(zombies.values());
    }

    void healPartitions() {
        partitions.values().forEach(NetworkPartition::heal);
        partitions.clear();
    }

        public String kill(Target target) {
        switch (target.kind()) {
            case PRODUCER -> stack.app("producer").kill();
            case CONSUMER -> {
                QuarkusApp c = consumer(target);
                c.kill();
                return c.name();
            }
            case BROKERS -> {
                List<Integer> nodes = new java.util.ArrayList<>(stack.kafka().nodes().stream().map(n -> n.id()).toList());
                java.util.Collections.shuffle(nodes, pick);
                List<Integer> victims = nodes.subList(0, target.number());
                victims.forEach(stack.kafka()::kill);
                return String.join("+", victims.stream().map(n -> "kafka-" + n).toList());
            }
            case POSTGRES -> stack.postgres().stop();
            default -> {
                int node = broker(target);
                stack.kafka().kill(node);
                return "kafka-" + node;
            }
        }
        return target.name();
    }

        public String pause(Target target) {
        return switch (target.kind()) {
            case PRODUCER -> pauseProducer();
            case CONSUMER -> {
                QuarkusApp c = consumer(target);
                c.process().pause();
                yield c.name();
            }
            case POSTGRES -> {
                stack.postgres().stop();
                yield "postgres";
            }
            case BROKERS -> throw new LabException("pause works on one broker at a time, not brokers");
            default -> {
                int node = broker(target);
                stack.kafka().pause(node);
                yield "kafka-" + node;
            }
        };
    }

    /**
     * A zombie producer: SIGSTOP the producer and start a replacement with the same instance id on
     * another port, as a StatefulSet would after losing track of a pod that is only partitioned.
     * The replacement fences the old one when it opens its transactional producers. The victim's
     * name carries the old pid, so that the heal (SIGCONT, then a clean stop once it stepped down)
     * finds it.
     */
    private synchronized String pauseProducer() {
        QuarkusApp old = stack.app("producer");
        old.process().pause();
        String victim = "producer-pid-" + old.process().pid();
        zombies.put(victim, old);
        stack.replaceProducer();
        return victim;
    }

        public String partition(Target target) {
        int node = broker(target);
        String victim = "kafka-" + node + "-partitioned";
        var broker = stack.kafka().node(node);
        String tag = Integer.toHexString(stack.workDir().toString().hashCode() & 0xfffff) + "-k" + node;
        NetworkPartition cut = new NetworkPartition(tag, broker.process().pid(), List.of(broker.port(), broker.controllerPort()));
        cut.cut();
        partitions.put(victim, cut);
        return victim;
    }

        public void heal(String victim) {
        QuarkusApp zombie = zombies.remove(victim);
        NetworkPartition cut = partitions.remove(victim);
        if (cut != null) {
            cut.heal();
        } else if (zombie != null) {
            healZombieProducer(zombie);
        } else if (victim.equals("postgres")) {
            stack.postgres().start();
        } else if (victim.startsWith("consumer-")) {
            QuarkusApp c = stack.consumers().stream().filter(a -> a.name().equals(victim)).findFirst()
                    .orElseThrow(() -> new LabException("no " + victim));
            if (c.isAlive()) {
                c.process().resume();
            }
        } else if (victim.startsWith("kafka-")) {
            for (String one : victim.split("\\+")) {
                int node = Integer.parseInt(one.substring("kafka-".length()));
                var process = stack.kafka().node(node).process();
                if (process.isAlive()) {
                    stack.kafka().resume(node);
                } else {
                    stack.kafka().restart(node);
                }
            }
        }
        // a killed producer or consumer comes back through the supervisor
    }

    /**
     * SIGCONT the old producer. It must notice by itself that it was replaced (fenced at its next
     * checkpoint or transaction) and stop sending; the heal waits until it has no running run (or
     * 40 s), records whether it stepped down, then stops it: a zombie does not stay.
     */
    private void healZombieProducer(QuarkusApp zombie) {
        zombie.process().resume();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline && zombie.isAlive() && !idle(zombie)) {
            sleepQuietly(250);
        }
        boolean fenced = zombie.get("/q/health/ready").map(r -> r.body().contains("\"fenced\":\"")
                && !r.body().contains("\"fenced\":\"no\"")).orElse(false);
        stack.log().accept(zombie.name() + " (pid " + zombie.process().pid() + ") resumed: "
                + (fenced ? "it was fenced and stepped down" : idle(zombie) ? "it had nothing left to send" : "still sending after 40 s")
                + "; stopping it");
        zombie.stop();
    }

    private static boolean idle(QuarkusApp producer) {
        return producer.get("/runs").map(r -> !r.body().contains("\"state\":\"RUNNING\"")).orElse(false);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** consumer: one at random; consumer-N: that one. */
    private QuarkusApp consumer(Target target) {
        if (target.number() == 0) {
            return stack.consumers().get(pick.nextInt(stack.consumers().size()));
        }
        if (target.number() > stack.consumers().size()) {
            throw new LabException("there is no consumer-" + target.number() + " (the stack runs " + stack.consumers().size() + ")");
        }
        return stack.consumers().get(target.number() - 1);
    }

    /** The broker that leads most partitions of the mode topics, or the active controller. */
    private int broker(Target target) {
        if (target.kind() == Target.Kind.KAFKA) {
            if (target.number() > stack.kafka().nodes().size()) {
                throw new LabException("there is no kafka-" + target.number());
            }
            return target.number();
        }
        if (target.kind() == Target.Kind.CONTROLLER) {
            return stack.kafka().activeController().orElseThrow(() -> new LabException("no active controller"));
        }
        Map<Integer, Integer> leads = stack.kafka().partitionsLed(LabTopics.perMode());
        return leads.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new LabException("no partition leader found"));
    }
}
