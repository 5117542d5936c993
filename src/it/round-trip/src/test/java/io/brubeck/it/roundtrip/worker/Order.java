package io.brubeck.it.roundtrip.worker;

/** What a caller orders, sent as the JSON body. */
public record Order(String item, int quantity) {
}
