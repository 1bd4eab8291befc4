package io.deliverylab.lab.stack;

/**
 * What the supervisor's control port serves of an experiment's results, without knowing what they
 * are: {@code GET /metrics} renders them, {@code POST /verdicts} hands them a published body.
 */
public interface ResultsEndpoint {

    /** Nothing published, nothing served: a stack that only runs experiments. */
    ResultsEndpoint NONE = new ResultsEndpoint() {
        @Override
        public String metrics() {
            return "";
        }

        @Override
        public void accept(String published) {
        }
    };

    /** The Prometheus text served at /metrics. */
    String metrics();

    /** A body posted to /verdicts by a lab process running experiments on this stack. */
    void accept(String published);
}
