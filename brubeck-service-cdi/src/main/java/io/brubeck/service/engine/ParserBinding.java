package io.brubeck.service.engine;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParser;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Binds a JSON value from a JSON-P parser, with a JSON-B implementation that can: the parser then tells whether
 * anything follows the value, so a body is read once. Yasson can, through its interface
 * {@code org.eclipse.yasson.YassonJsonb}, which is looked up by name, so that the library works with any JSON-B
 * implementation; one that cannot, or whose interface sees other JSON-P classes, binds from a reader instead.
 */
final class ParserBinding {
    private static final String YASSON_JSONB = "org.eclipse.yasson.YassonJsonb";
    private static final MethodType FROM_JSON = MethodType.methodType(Object.class, JsonParser.class, Type.class);

    /** The method that binds from a parser, by the class of a JSON-B instance; looked up once per class. */
    private static final ClassValue<Optional<MethodHandle>> FROM_PARSER = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            try {
                Class<?> yasson = Class.forName(YASSON_JSONB, false, type.getClassLoader());
                if (!yasson.isAssignableFrom(type)) {
                    return Optional.empty();
                }
                return Optional.of(MethodHandles.publicLookup().findVirtual(yasson, "fromJson", FROM_JSON)
                        .asType(MethodType.methodType(Object.class, Jsonb.class, JsonParser.class, Type.class)));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) { // not Yasson, or not visible
                return Optional.empty();
            }
        }
    };

    private ParserBinding() {
    }

    /** Whether the instance binds from a parser. */
    static boolean supports(Jsonb jsonb) {
        return FROM_PARSER.get(jsonb.getClass()).isPresent();
    }

    /**
     * Binds the value at the parser, which has not been advanced yet; the parser is left after the value.
     *
     * @throws JsonbException when JSON-B cannot bind it, and any runtime exception of its parsing
     */
    static Object bind(Jsonb jsonb, JsonParser parser, Type type) {
        MethodHandle fromJson = FROM_PARSER.get(jsonb.getClass()).orElseThrow(IllegalStateException::new);
        try {
            return fromJson.invokeExact(jsonb, parser, type);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) { // the method declares no checked exception
            throw new JsonbException(e.getMessage(), e);
        }
    }
}
