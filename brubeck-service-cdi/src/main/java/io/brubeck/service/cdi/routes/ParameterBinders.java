package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/** Builds, once per handler parameter, the binder that reads its value from each message. */
final class ParameterBinders {
    private final Jsonb jsonb;

    ParameterBinders(Jsonb jsonb) {
        this.jsonb = jsonb;
    }

    ParameterBinder<ServiceRequest> forRequest(HandlerParameter parameter) {
        return switch (parameter.source()) {
            case REQUEST -> request -> request;
            case ARGUMENT -> argument(parameter);
            case BODY -> body(parameter, ServiceRequest::body, "The request body");
            default -> throw new IllegalArgumentException("A request handler cannot take " + parameter);
        };
    }

    ParameterBinder<ServiceResponse> forResponse(HandlerParameter parameter) {
        return switch (parameter.source()) {
            case RESPONSE -> response -> response;
            case BODY -> body(parameter, ServiceResponse::body, "The response body");
            case PAYLOAD -> payload(parameter);
            default -> throw new IllegalArgumentException("A response handler cannot take " + parameter);
        };
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
                bound = null;
            } else {
                bound = read(value, type, raw, what);
            }
            return optionalOf.isPresent() ? Optional.ofNullable(bound) : bound;
        };
    }

    private Object read(JsonValue value, Type type, Class<?> raw, String what) {
        if (raw == String.class) {
            return value instanceof JsonString text ? text.getString() : value.toString();
        }
        if (JsonValue.class.isAssignableFrom(raw) && raw.isInstance(value)) {
            return value;
        }
        try {
            return jsonb.fromJson(value.toString(), type);
        } catch (JsonbException | IllegalArgumentException | ClassCastException e) {
            throw new BindingException(what + " cannot be read as " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    private <M> ParameterBinder<M> body(HandlerParameter parameter, Function<M, byte[]> body, String what) {
        Optional<Type> optionalOf = RouteScanner.optionalElement(parameter.type());
        Type type = optionalOf.orElse(parameter.type());
        Class<?> raw = RouteScanner.rawType(type);
        return message -> {
            byte[] bytes = body.apply(message);
            Object bound;
            if (bytes == null || bytes.length == 0) {
                bound = null;
            } else if (raw == byte[].class) {
                bound = bytes;
            } else if (raw == String.class) {
                bound = new String(bytes, StandardCharsets.UTF_8);
            } else {
                try {
                    bound = jsonb.fromJson(new ByteArrayInputStream(bytes), type);
                } catch (JsonbException | IllegalArgumentException | ClassCastException e) {
                    throw new BindingException(what + " cannot be read as " + type.getTypeName() + ": "
                            + e.getMessage(), e);
                }
            }
            return optionalOf.isPresent() ? Optional.ofNullable(bound) : bound;
        };
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
