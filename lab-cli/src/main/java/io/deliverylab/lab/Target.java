package io.deliverylab.lab;

/** What a fault hits. */
public enum Target {
    PRODUCER("producer"),
    CONSUMER("consumer"),
    LEADER("leader"),
    CONTROLLER("controller"),
    POSTGRES("postgres");

    final String name;

    Target(String name) {
        this.name = name;
    }
}
