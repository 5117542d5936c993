package io.brubeck.it.roundtrip.worker;

/** What the order service answers; its properties become the reply's payload. */
public record Receipt(String item, int quantity, int priority, String status) {
}
