package io.deliverylab.contract;

/**
 * The body of {@code POST /runs}. Fields are kept raw (mode as text, counts as boxed numbers)
 * so that validation can say exactly which field is wrong instead of failing in JSON binding.
 */
public record RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond) {
}
