package io.deliverylab.lab;

/** What the nemesis can do to a stack, in-process or through the supervisor's control port. */
public interface StackControl {

    StackInfo info();

    /** SIGKILL; services come back by themselves (the supervisor), brokers on {@link #heal}. Returns what was hit. */
    String kill(Target target);

    /** SIGSTOP a broker, or stop PostgreSQL. Returns what was hit. */
    String pause(Target target);

    /** Undo {@link #kill} of a broker or {@link #pause}: SIGCONT, restart, start PostgreSQL. */
    void heal(String victim);

    /** Hands a finished experiment's verdicts to the stack's /metrics. */
    void publish(Experiment.Outcome outcome);
}
