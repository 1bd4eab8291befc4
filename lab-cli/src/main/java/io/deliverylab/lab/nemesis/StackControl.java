package io.deliverylab.lab.nemesis;

import io.deliverylab.lab.LabException;
/** What the nemesis can do to a stack, in-process or through the supervisor's control port: nothing else. */
public interface StackControl {

    /** SIGKILL; services come back by themselves (the supervisor), brokers on {@link #heal}. Returns what was hit. */
    String kill(Target target);

    /**
     * SIGSTOP a broker or a consumer (a zombie once its session expires), stop PostgreSQL, or SIGSTOP
     * the producer while a replacement with the same instance id takes over. Returns what was hit.
     */
    String pause(Target target);

    /** Cut a broker off from the other brokers and from every client (iptables; needs root). Returns what was hit. */
    default String partition(Target target) {
        throw new LabException("partition is not supported on this target");
    }

    /** One more consumer-service member in every mode's group (add-consumer); its heal removes it again. Returns what was added. */
    default String add(Target target) {
        throw new LabException("add-consumer is not supported on this target");
    }

    /**
     * True while {@code victim}, a service a {@link #kill} hit, has not answered again since: the
     * supervisor (or a Deployment) is still bringing it back. False once it answers, and for a victim
     * that nothing restarts by itself (a broker, PostgreSQL: their heal brings them back).
     */
    default boolean restarting(String victim) {
        return false;
    }

    /** Undo {@link #kill} of a broker, {@link #pause}, {@link #partition} or {@link #add}: SIGCONT, restart, start PostgreSQL, remove the rules, stop the added member. */
    void heal(String victim);
}
