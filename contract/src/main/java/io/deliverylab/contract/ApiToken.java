package io.deliverylab.contract;

/**
 * The producer's API token: the one setting both the producer (which checks it) and the lab (which
 * sends it) spell. Unset, the API is open; set, starting and cancelling runs need it.
 */
public final class ApiToken {

    /** The producer's configuration key; on Kubernetes its environment form comes from a Secret. */
    public static final String PROPERTY = "deliverylab.producer.api-token";
    /** The same key as an environment variable: the producer and the chaos Job both read it. */
    public static final String ENV = "DELIVERYLAB_PRODUCER_API_TOKEN";
    /** The HTTP scheme the token is sent with: {@code Authorization: Bearer <token>}. */
    public static final String SCHEME = "Bearer";

    private ApiToken() {
    }

    /** The Authorization header value for a token. */
    public static String header(String token) {
        return SCHEME + " " + token;
    }
}
