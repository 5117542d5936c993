package io.brubeck.service.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The METHOD a message is routed on, next to its path.
 *
 * <p>{@link #REQUEST} is what a client sends to a service by default; {@link #RESPONSE} is what a
 * service's reply carries by default, and what a client's response routes handle. The others mirror
 * HTTP verbs for services that want REST-like routing.
 */
public enum Method {
    /** A call to a service: what a client sends by default. */
    REQUEST,
    /** An answer: what a service's reply carries by default, and what response routes handle. */
    RESPONSE,
    /** As HTTP's GET. */
    GET,
    /** As HTTP's POST. */
    POST,
    /** As HTTP's PUT. */
    PUT,
    /** As HTTP's DELETE. */
    DELETE,
    /** As HTTP's OPTIONS. */
    OPTIONS,
    /** As HTTP's CONNECT. */
    CONNECT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name this METHOD has on the wire, for example {@code "request"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The METHOD with the given wire name, case-insensitively.
     *
     * @return the METHOD, or empty when the name is not one of the supported METHODs
     */
    public static Optional<Method> fromWireName(String name) {
        for (Method method : values()) {
            if (method.wireName.equalsIgnoreCase(name)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
