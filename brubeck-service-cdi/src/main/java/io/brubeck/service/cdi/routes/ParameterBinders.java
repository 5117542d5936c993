package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.engine.JsonDocument;
import io.brubeck.service.engine.ScalarValues;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Builds, once per handler parameter, the binder that reads its value from each message. */
final class ParameterBinders {
    private final Jsonb jsonb;
    private final JsonProvider json = JsonProvider.provider();

    ParameterBinders(Jsonb jsonb) {
        this.jsonb = jsonb;
    }

    /** The binder of a request route's parameter. */
    ParameterBinder<ServiceRequest> forRequest(HandlerParameter parameter) {
        return switch (parameter.source()) {
            case REQUEST -> request -> request;
            case ARGUMENT -> argument(parameter);
            case PATH_GROUP -> pathGroup(parameter, ServiceRequest::pathGroup, ServiceRequest::pathGroup);
            case BODY -> body(parameter, ServiceRequest::body, "The request body");
            default -> throw new IllegalArgumentException("A request handler cannot take " + parameter);
        };
    }

    /** The binder of a response route's parameter. */
    ParameterBinder<ServiceResponse> forResponse(HandlerParameter parameter) {
        return switch (parameter.source()) {
            case RESPONSE -> response -> response;
            case PATH_GROUP -> pathGroup(parameter, ServiceResponse::pathGroup, ServiceResponse::pathGroup);
            case BODY -> body(parameter, ServiceResponse::body, "The response body");
            case PAYLOAD -> payload(parameter);
            default -> throw new IllegalArgumentException("A response handler cannot take " + parameter);
        };
    }

    /**
     * A group of the pattern of the route that matched the message, as the message reads it, by number or by
     * name; the scanner has checked that the route's pattern has it.
     */
    private static <M> ParameterBinder<M> pathGroup(HandlerParameter parameter,
                                                    BiFunction<M, String, Optional<String>> byName,
                                                    BiFunction<M, Integer, Optional<String>> byNumber) {
        String group = parameter.argumentName();
        Function<M, Optional<String>> read;
        if (PathGroups.isNumber(group)) {
            Integer number = Integer.valueOf(group);
            read = message -> byNumber.apply(message, number);
        } else {
            read = message -> byName.apply(message, group);
        }
        boolean optional = RouteScanner.optionalElement(parameter.type()).isPresent();
        return message -> optional ? read.apply(message) : read.apply(message).orElse(null);
    }

    private ParameterBinder<ServiceRequest> argument(HandlerParameter parameter) {
        String name = parameter.argumentName();
        Optional<Type> optionalOf = RouteScanner.optionalElement(parameter.type());
        Type type = optionalOf.orElse(parameter.type());
        Class<?> raw = RouteScanner.rawType(type);
        boolean primitive = raw.isPrimitive();
        String what = "Argument '" + name + "'";
        return request -> {
            JsonValue value = request.arguments().get(name);
            Object bound;
            if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
                if (primitive) {
                    throw new BindingException(what + " is required");
                }
                bound = absent(raw);
            } else {
                bound = read(value, type, raw, what);
            }
            return optionalOf.isPresent() ? Optional.ofNullable(bound) : bound;
        };
    }

    private Object read(JsonValue value, Type type, Class<?> raw, String what) {
        if (raw == String.class || raw == CharSequence.class) {
            return value instanceof JsonString text ? text.getString() : value.toString();
        }
        if (JsonValue.class.isAssignableFrom(raw)) {
            try {
                return JsonKinds.checked(value, raw); // JSON-B would return any kind, and the handler call fail
            } catch (IllegalArgumentException e) {
                throw cannotRead(what, type, e);
            }
        }
        if (ScalarValues.handles(raw) || ScalarValues.handlesOptional(raw)) {
            return scalar(value, type, raw, what);
        }
        try {
            return jsonb.fromJson(value.toString(), type);
        } catch (JsonbException | IllegalArgumentException | ClassCastException e) {
            throw jsonbFailed(what, type, raw, value.getValueType(), value, e);
        }
    }

    /** JSON-B could not read a value: the 400 says what the type takes when the value's kind explains it. */
    private static BindingException jsonbFailed(String what, Type type, Class<?> raw, JsonValue.ValueType kind,
                                                JsonValue value, RuntimeException cause) {
        return JsonKinds.explain(raw, kind, value)
                .map(explained -> new BindingException(what + " cannot be read as " + type.getTypeName() + ": "
                        + explained, cause))
                .orElseGet(() -> cannotRead(what, type, cause));
    }

    private <M> ParameterBinder<M> body(HandlerParameter parameter, Function<M, byte[]> body, String what) {
        Optional<Type> optionalOf = RouteScanner.optionalElement(parameter.type());
        Type type = optionalOf.orElse(parameter.type());
        Class<?> raw = RouteScanner.rawType(type);
        // the types read here rather than with JSON-B need the value itself; the others are bound by JSON-B
        boolean keep = JsonValue.class.isAssignableFrom(raw) || ScalarValues.handles(raw)
                || ScalarValues.handlesOptional(raw);
        return message -> {
            byte[] bytes = body.apply(message);
            Object bound;
            if (bytes == null || bytes.length == 0) {
                bound = absent(raw);
            } else if (raw == byte[].class) {
                bound = bytes;
            } else if (raw == String.class || raw == CharSequence.class) {
                bound = new String(bytes, StandardCharsets.UTF_8);
            } else {
                bound = jsonBody(bytes, type, raw, what, keep);
            }
            return optionalOf.isPresent() ? Optional.ofNullable(bound) : bound;
        };
    }

    /** A JSON body: one JSON value and nothing after it, bound as an argument is; JSON {@code null} is absent. */
    private Object jsonBody(byte[] bytes, Type type, Class<?> raw, String what, boolean keep) {
        if (!keep) {
            if (JsonDocument.isNull(bytes)) {
                return absent(raw); // as any part the message lacks, whatever JSON-B would make of it
            }
            try {
                return JsonDocument.bind(jsonb, json, bytes, type);
            } catch (IllegalArgumentException e) {
                throw cannotRead(what, type, e);
            } catch (JsonDocument.Unbindable e) {
                throw jsonbFailed(what, type, raw, e.top().kind(), e.top().value(), (RuntimeException) e.getCause());
            }
        }
        JsonDocument.Top top;
        try {
            top = JsonDocument.read(json, bytes, true);
        } catch (IllegalArgumentException e) {
            throw cannotRead(what, type, e);
        }
        return top.kind() == JsonValue.ValueType.NULL ? absent(raw) : read(top.value(), type, raw, what);
    }

    /** The value of a part the message does not have: empty for a primitive optional, as for an {@code Optional}. */
    private static Object absent(Class<?> raw) {
        return ScalarValues.handlesOptional(raw) ? ScalarValues.empty(raw) : null;
    }

    /**
     * A scalar, or a primitive optional's content, read exactly (see {@link ScalarValues}), never through JSON-B's
     * lenient conversions.
     */
    private static Object scalar(JsonValue value, Type type, Class<?> raw, String what) {
        try {
            return ScalarValues.handlesOptional(raw) ? ScalarValues.readOptional(value, raw) : ScalarValues.read(value, raw);
        } catch (IllegalArgumentException e) {
            throw cannotRead(what, type, e);
        }
    }

    private static BindingException cannotRead(String what, Type type, RuntimeException cause) {
        return new BindingException(what + " cannot be read as " + type.getTypeName() + ": " + cause.getMessage(), cause);
    }

    private ParameterBinder<ServiceResponse> payload(HandlerParameter parameter) {
        Optional<Type> optionalOf = RouteScanner.optionalElement(parameter.type());
        Type type = optionalOf.orElse(parameter.type());
        Class<?> raw = RouteScanner.rawType(type);
        return response -> {
            JsonObject payload = response.payload();
            Object bound;
            if (JsonValue.class.isAssignableFrom(raw) && raw.isInstance(payload)) {
                bound = payload;
            } else {
                try {
                    bound = jsonb.fromJson(payload.toString(), type);
                } catch (JsonbException | IllegalArgumentException | ClassCastException e) {
                    throw new BindingException("The payload of the answer for " + response.path() + " cannot be read as "
                            + type.getTypeName() + ": " + e.getMessage(), e);
                }
            }
            return optionalOf.isPresent() ? Optional.ofNullable(bound) : bound;
        };
    }
}
