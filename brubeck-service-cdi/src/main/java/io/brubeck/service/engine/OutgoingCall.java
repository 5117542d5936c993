package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** The immutable {@link ServiceCall} of a {@link ServiceClientEndpoint}. */
final class OutgoingCall implements ServiceCall {
    private static final byte[] NO_BODY = new byte[0];

    final ServiceClientEndpoint endpoint;
    final String path;
    final Method method;
    /** Each argument's value, written as JSON text when it was added. */
    final Map<String, String> arguments;
    final Map<String, String> headers;
    final byte[] body;
    final Duration timeout;
    final boolean idempotent;
    final boolean handleResponse;

    OutgoingCall(ServiceClientEndpoint endpoint, String path) {
        this(endpoint, path, Method.REQUEST, Map.of(), Map.of(), NO_BODY, null, false, true);
    }

    private OutgoingCall(ServiceClientEndpoint endpoint, String path, Method method, Map<String, String> arguments,
                         Map<String, String> headers, byte[] body, Duration timeout, boolean idempotent,
                         boolean handleResponse) {
        this.endpoint = endpoint;
        this.path = path;
        this.method = method;
        this.arguments = arguments;
        this.headers = headers;
        this.body = body;
        this.timeout = timeout;
        this.idempotent = idempotent;
        this.handleResponse = handleResponse;
    }

    @Override
    public ServiceCall method(Method method) {
        return new OutgoingCall(endpoint, path, Objects.requireNonNull(method, "method"), arguments, headers, body,
                timeout, idempotent, handleResponse);
    }

    @Override
    public ServiceCall argument(String name, Object value) {
        Objects.requireNonNull(name, "name");
        String json = endpoint.config().json().writeText(value); // now: a value changed later must not change what is sent
        Map<String, String> copy = new LinkedHashMap<>(arguments);
        copy.put(name, json);
        return new OutgoingCall(endpoint, path, method, Collections.unmodifiableMap(copy), headers, body, timeout,
                idempotent, handleResponse);
    }

    @Override
    public ServiceCall header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new OutgoingCall(endpoint, path, method, arguments, Collections.unmodifiableMap(copy), body, timeout,
                idempotent, handleResponse);
    }

    @Override
    public ServiceCall body(byte[] body) {
        return new OutgoingCall(endpoint, path, method, arguments, headers, Objects.requireNonNull(body, "body"),
                timeout, idempotent, handleResponse);
    }

    @Override
    public ServiceCall jsonBody(Object body) {
        return body(endpoint.config().json().writeValue(body));
    }

    /** @throws IllegalArgumentException unless the timeout is positive and at most {@link SettingChecks#MAX_DURATION} */
    @Override
    public ServiceCall timeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A call's timeout must be a positive duration, was " + timeout);
        }
        if (timeout.compareTo(SettingChecks.MIN_TIMEOUT) < 0) {
            // Refused like zero, rather than rounded up: the worker would be told 0 ms, and the call time out.
            throw new IllegalArgumentException("A call's timeout must be " + SettingChecks.MIN_TIMEOUT_TEXT + ", was "
                    + timeout);
        }
        if (timeout.compareTo(SettingChecks.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("A call's timeout must be at most " + SettingChecks.MAX_DURATION_TEXT
                    + ", was " + timeout);
        }
        return new OutgoingCall(endpoint, path, method, arguments, headers, body, timeout, idempotent, handleResponse);
    }

    @Override
    public ServiceCall idempotent() {
        return new OutgoingCall(endpoint, path, method, arguments, headers, body, timeout, true, handleResponse);
    }

    @Override
    public ServiceCall handleResponse(boolean handle) {
        return new OutgoingCall(endpoint, path, method, arguments, headers, body, timeout, idempotent, handle);
    }

    @Override
    public ServiceResult send() {
        return endpoint.send(this);
    }

    @Override
    public CompletionStage<ServiceResult> sendAsync() {
        return endpoint.sendAsync(this);
    }

    @Override
    public void sendNoWait() {
        endpoint.sendNoWait(this);
    }

    @Override
    public String toString() {
        return "ServiceCall[" + endpoint.serviceName() + " " + method.wireName() + " " + path + "]";
    }
}
