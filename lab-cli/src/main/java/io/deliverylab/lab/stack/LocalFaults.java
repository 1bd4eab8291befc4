package io.deliverylab.lab.stack;

import io.deliverylab.contract.Topics;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.lab.nemesis.VictimUnavailable;
import io.deliverylab.stack.LabTopics;
import io.deliverylab.stack.Leaders;
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

    /** Victims an earlier fault holds (struck, not healed yet), with that fault: a second fault on one finds no victim. */
    private final Map<String, String> held = new java.util.concurrent.ConcurrentHashMap<>();

    public synchronized String kill(Target target) {
        String fault = "kill " + target.name();
        switch (target.kind()) {
            case PRODUCER -> available(stack.app("producer")).kill();
            case CONSUMER -> {
                QuarkusApp c = consumer(target);
                c.kill();
                return c.name();
            }
            case BROKERS -> {
                List<Integer> nodes = new java.util.ArrayList<>(stack.kafka().nodes().stream().map(n -> n.id())
                        .filter(n -> brokerUnavailable(n) == null).toList());
                if (nodes.size() < target.number()) {
                    throw new VictimUnavailable("only " + nodes.size() + " of the brokers are up and free, " + target.number()
                            + " needed (" + heldBrokers() + ")");
                }
                java.util.Collections.shuffle(nodes, pick);
                List<Integer> victims = nodes.subList(0, target.number());
                victims.forEach(n -> {
                    stack.kafka().kill(n);
                    held.put("kafka-" + n, fault);
                });
                return String.join("+", victims.stream().map(n -> "kafka-" + n).toList());
            }
            case POSTGRES -> {
                hold("postgres", fault);
                stack.postgres().stop();
            }
            default -> {
                int node = broker(target);
                stack.kafka().kill(node);
                held.put("kafka-" + node, fault);
                return "kafka-" + node;
            }
        }
        return target.name();
    }

    public synchronized String pause(Target target) {
        String fault = "pause " + target.name();
        return switch (target.kind()) {
            case PRODUCER -> pauseProducer();
            case CONSUMER -> {
                QuarkusApp c = consumer(target);
                c.process().pause();
                held.put(c.name(), fault);
                yield c.name();
            }
            case POSTGRES -> {
                hold("postgres", fault);
                stack.postgres().stop();
                yield "postgres";
            }
            case BROKERS -> throw new LabException("pause works on one broker at a time, not brokers");
            default -> {
                int node = broker(target);
                stack.kafka().pause(node);
                held.put("kafka-" + node, fault);
                yield "kafka-" + node;
            }
        };
    }

    /** Marks a victim held, or refuses when an earlier fault holds it. */
    private void hold(String victim, String fault) {
        String holder = held.putIfAbsent(victim, fault);
        if (holder != null) {
            throw new VictimUnavailable(victim + " is held by an earlier fault (" + holder + ")");
        }
    }

    /** A killed service ({@code producer}, {@code consumer-2}) that does not answer again yet; false for any other victim. */
    boolean restarting(String victim) {
        return stack.services().stream().anyMatch(app -> app.name().equals(victim) && !answers(app));
    }

    /** Running and past its start: neither down after a kill nor still starting again. */
    private static boolean answers(QuarkusApp app) {
        return app.isAlive() && !app.isStarting();
    }

    /** A service process that is running: down (restarting after a kill) or held, it finds no victim. */
    private QuarkusApp available(QuarkusApp app) {
        String why = unavailable(app.name(), answers(app), " (restarting after an earlier kill)");
        if (why != null) {
            throw new VictimUnavailable(why);
        }
        return app;
    }

    /** Why a broker cannot be a victim now (held by an earlier fault, or down), or null when it can. */
    private String brokerUnavailable(int node) {
        var process = stack.kafka().node(node).process();
        return unavailable("kafka-" + node, process != null && process.isAlive(), "");
    }

    /** Why a part cannot be a victim now: held by an earlier fault, or down; null when it can. */
    private String unavailable(String name, boolean alive, String downBecause) {
        String holder = held.get(name);
        if (holder != null) {
            return name + " is held by an earlier fault (" + holder + ")";
        }
        return alive ? null : name + " is down" + downBecause;
    }

    /** The brokers earlier faults hold, for a message: "kafka-1, kafka-3 held by kill brokers-2". */
    private String heldBrokers() {
        List<String> brokers = held.entrySet().stream().filter(e -> e.getKey().startsWith("kafka-")).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " held by " + e.getValue()).toList();
        return brokers.isEmpty() ? "no broker is held by a fault" : String.join(", ", brokers);
    }

    /**
     * A zombie producer: SIGSTOP the producer and start a replacement with the same instance id on
     * another port, as a StatefulSet would after losing track of a pod that is only partitioned.
     * The replacement fences the old one when it opens its transactional producers. The victim's
     * name carries the old pid, so that the heal (SIGCONT, then a clean stop once it stepped down)
     * finds it.
     */
    private synchronized String pauseProducer() {
        QuarkusApp old = available(stack.app("producer"));
        old.process().pause();
        String victim = "producer-pid-" + old.process().pid();
        zombies.put(victim, old);
        stack.replaceProducer();
        return victim;
    }

    public synchronized String partition(Target target) {
        int node = broker(target);
        String victim = "kafka-" + node + "-partitioned";
        var broker = stack.kafka().node(node);
        String tag = Integer.toHexString(stack.workDir().toString().hashCode() & 0xfffff) + "-k" + node;
        NetworkPartition cut = new NetworkPartition(tag, broker.process().pid(), List.of(broker.port(), broker.controllerPort()));
        cut.cut();
        partitions.put(victim, cut);
        held.put("kafka-" + node, "partition " + target.name());
        return victim;
    }

    /** One more member in every mode's group (add-consumer); its heal stops it cleanly, so the group shrinks back. */
    public String add(Target target) {
        if (target.kind() != Target.Kind.CONSUMER || target.number() != 0) {
            throw new LabException("add works on consumer only, not " + target.name());
        }
        return ADDED + stack.addConsumer().name();
    }

    /** The prefix of an added consumer's victim name: its heal removes it rather than resuming it. */
    private static final String ADDED = "added-";

    public void heal(String victim) {
        if (victim.startsWith(ADDED)) {
            stack.removeConsumer(victim.substring(ADDED.length()));
            return;
        }
        synchronized (this) {
            for (String one : victim.replace("-partitioned", "").split("\\+")) {
                held.remove(one);
            }
        }
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
     * Once its replacement is ready, SIGCONT the old producer. It must notice by itself that it was replaced (fenced at its next
     * checkpoint or transaction) and stop sending; the heal waits until it has no running run (or
     * 40 s), records whether it stepped down, then stops it: a zombie does not stay.
     */
    private void healZombieProducer(QuarkusApp zombie) {
        String replacement = awaitReplacement(zombie);
        zombie.process().resume();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline && zombie.isAlive() && !idle(zombie)) {
            sleepQuietly(250);
        }
        boolean fenced = zombie.get("/q/health/ready").map(r -> r.body().contains("\"fenced\":\"")
                && !r.body().contains("\"fenced\":\"no\"")).orElse(false);
        stack.log().accept(zombie.name() + " (pid " + zombie.process().pid() + ") resumed " + replacement + ": "
                + (fenced ? "it was fenced and stepped down" : idle(zombie) ? "it had nothing left to send" : "still sending after 40 s")
                + "; stopping it");
        zombie.stop();
    }

    /**
     * A zombie is an instance whose replacement took over. A replacement slow to start (a loaded machine)
     * would otherwise find the old one resumed and its runs finished by it, and nothing would be shown;
     * so the heal waits, at most {@link #REPLACEMENT_WAIT}, until the replacement is ready: it has
     * fenced the old instance and resumed the runs.
     */
    private String awaitReplacement(QuarkusApp zombie) {
        long start = System.nanoTime();
        long deadline = start + REPLACEMENT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            QuarkusApp replacement = stack.app("producer");
            if (replacement != zombie && replacement.isAlive() && replacement.ready()) {
                return String.format("once %s was ready (%.1f s after the heal was due)", replacement.name(),
                        (System.nanoTime() - start) / 1e9);
            }
            sleepQuietly(250);
        }
        return "with its replacement still not ready after " + REPLACEMENT_WAIT.toSeconds() + " s";
    }

    private static final Duration REPLACEMENT_WAIT = Duration.ofSeconds(120);

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

    /** consumer: one at random among those up and free; consumer-N: that one, if it is up and free. */
    private QuarkusApp consumer(Target target) {
        if (target.number() == 0) {
            List<QuarkusApp> free = stack.consumers().stream()
                    .filter(c -> answers(c) && !held.containsKey(c.name())).toList();
            if (free.isEmpty()) {
                throw new VictimUnavailable("every consumer is down or held by an earlier fault " + held);
            }
            return free.get(pick.nextInt(free.size()));
        }
        if (target.number() > stack.consumers().size()) {
            throw new LabException("there is no consumer-" + target.number() + " (the stack runs " + stack.consumers().size() + ")");
        }
        return available(stack.consumers().get(target.number() - 1));
    }

    /** The broker that leads most partitions of the mode topics, or the active controller, or kafka-N: up and free. */
    private int broker(Target target) {
        int node;
        if (target.kind() == Target.Kind.KAFKA) {
            if (target.number() > stack.kafka().nodes().size()) {
                throw new LabException("there is no kafka-" + target.number());
            }
            node = target.number();
        } else if (target.kind() == Target.Kind.CONTROLLER) {
            node = stack.kafka().activeController()
                    .orElseThrow(() -> new VictimUnavailable("no active controller (" + heldBrokers() + ")"));
        } else {
            node = Leaders.busiest(stack.kafka().partitionsLed(LabTopics.perMode()))
                    .orElseThrow(() -> new VictimUnavailable("no partition leader found (" + heldBrokers() + ")"));
        }
        String why = brokerUnavailable(node);
        if (why != null) {
            throw new VictimUnavailable(target.kind() == Target.Kind.KAFKA ? why : target.name() + " is kafka-" + node + ", but " + why);
        }
        return node;
    }
}
