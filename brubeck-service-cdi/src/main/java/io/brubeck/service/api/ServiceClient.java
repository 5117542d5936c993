package io.brubeck.service.api;

/**
 * A client of one named service. Thread-safe: share one per service across the application.
 *
 * <pre>{@code
 * ServiceResult result = client.request("/service/slow").argument("RETURN_DATA", "hi").send();
 * }</pre>
 */
public interface ServiceClient {

    /** The name of the service this client calls. */
    String serviceName();

    /** A new call to the given path, with METHOD {@link Method#REQUEST}. */
    ServiceCall request(String path);
}
