package io.brubeck.service.demo;

/**
 * What the prime-counting route answered, as the demo shows it.
 *
 * @param below   the exclusive bound the worker counted to
 * @param count   how many primes are below it
 * @param largest the largest of them; {@code null} when there is none
 * @param millis  how long the worker counted, in milliseconds
 */
public record PrimeCountResult(int below, long count, Integer largest, long millis) {
}
