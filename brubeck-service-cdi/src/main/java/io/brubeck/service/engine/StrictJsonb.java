package io.brubeck.service.engine;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The library's own JSON-B instance, the one an endpoint or application without a JSON-B instance of its own
 * writes and binds with: JSON-B's defaults, except that every number, boolean and {@code char} it binds is read
 * by the rules of {@link ScalarValues}, wherever it is: a whole document of such a type, a record component, a
 * bean property, an element of a list, an array or a map, the content of an {@code Optional}, an
 * {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble} (a whole document of one of these too, JSON
 * {@code null} being empty). A value that does not fit is refused with
 * a {@link JsonbException} that names the type, what it takes and what came, which JSON-B prefixes with the
 * property: {@code Unable to deserialize property 'quantity' because of: int: expected a whole number from
 * -2147483648 to 2147483647, got 4294967395}. A JSON {@code null} is {@code null}, or empty, for a reference type
 * and refused for a primitive, as JSON-B already refuses it. Enums are left to JSON-B, which takes only the exact
 * name of a constant. Writing is JSON-B's own, unchanged.
 *
 * <p>Yasson applies the deserializers of a configuration before a property's own conversion, so a number,
 * boolean or {@code char} property annotated {@code @JsonbNumberFormat} or {@code @JsonbTypeAdapter} is read by
 * these rules as well, and a number JSON-B wrote as a formatted string is refused; an application that uses
 * them on such properties gives its endpoints a JSON-B instance of its own. A property's own
 * {@code @JsonbTypeDeserializer} still comes first.
 *
 * <p>A deserializer in a JSON-B configuration is registered for the type its type argument names, which cannot be
 * a primitive, and JSON-B's reference implementation, Yasson, applies one registered for {@code Integer} to
 * {@code Integer} properties only, never to {@code int} ones. With Yasson the deserializers are therefore added
 * for the primitive types as well, to this instance alone; with another JSON-B implementation, primitive
 * properties of bound objects keep that implementation's own conversions, which is logged once, at INFO.
 *
 * <p>Public for the CDI layer, not for applications; it may change in any release.
 */
@SuppressWarnings("try") // a Jsonb, whose close() declares Exception, interrupts included
public final class StrictJsonb implements Jsonb {
    private static final System.Logger LOG = System.getLogger(StrictJsonb.class.getName());
    /** Said once per JVM: it is the same for every instance, and nothing but another JSON-B implementation changes it. */
    private static final AtomicBoolean LENIENT_PRIMITIVES_REPORTED = new AtomicBoolean();

    /** The deserializers, each for a wrapper class (or {@code BigInteger}, {@code BigDecimal}) and its primitive. */
    private static final List<Scalar<?>> SCALARS = List.of(new Scalar<Boolean>(Boolean.class, boolean.class) { },
            new Scalar<Character>(Character.class, char.class) { }, new Scalar<Byte>(Byte.class, byte.class) { },
            new Scalar<Short>(Short.class, short.class) { }, new Scalar<Integer>(Integer.class, int.class) { },
            new Scalar<Long>(Long.class, long.class) { }, new Scalar<Float>(Float.class, float.class) { },
            new Scalar<Double>(Double.class, double.class) { },
            new Scalar<BigInteger>(BigInteger.class, null) { }, new Scalar<BigDecimal>(BigDecimal.class, null) { });

    /** Binds everything but a whole document of a scalar type, which JSON-B reads without its deserializers. */
    private final Jsonb jsonb;

    private StrictJsonb(Jsonb jsonb) {
        this.jsonb = jsonb;
    }

    /** Created on first use, so that an instance that never reads a whole scalar document never looks one up. */
    private static final class JsonP {
        static final JsonProvider PROVIDER = JsonProvider.provider();
    }

    /**
     * A new instance, JSON-B's defaults with scalars read strictly; the caller closes it.
     *
     * @throws JsonbException when no JSON-B implementation can be found, as {@link JsonbBuilder#create()}
     */
    public static Jsonb create() {
        List<JsonbDeserializer<?>> deserializers = new ArrayList<>(SCALARS);
        deserializers.addAll(List.of(new OptionalInts(), new OptionalLongs(), new OptionalDoubles()));
        Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withDeserializers(
                deserializers.toArray(new JsonbDeserializer<?>[0])));
        Map<Class<?>, JsonbDeserializer<?>> byPrimitive = new HashMap<>();
        SCALARS.stream().filter(scalar -> scalar.primitive != null)
                .forEach(scalar -> byPrimitive.put(scalar.primitive, scalar));
        if (!YassonPrimitives.register(jsonb, byPrimitive) && LENIENT_PRIMITIVES_REPORTED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "The JSON-B implementation " + jsonb.getClass().getName() + " reads "
                    + "primitive properties (int, boolean, char...) of bound objects with its own conversions, which "
                    + "may be lenient; their wrappers, BigInteger and BigDecimal are read strictly");
        }
        return new StrictJsonb(jsonb);
    }

    /**
     * Reads the value at the parser by the rules of {@link ScalarValues}; JSON {@code null} is {@code null} unless
     * the type is primitive.
     */
    private static Object read(JsonParser parser, Type type, Class<?> boxed) {
        JsonValue value = parser.getValue();
        boolean primitive = type instanceof Class<?> raw && raw.isPrimitive();
        if (value.getValueType() == JsonValue.ValueType.NULL && !primitive) {
            return null;
        }
        try {
            return ScalarValues.read(value, boxed);
        } catch (IllegalArgumentException e) {
            throw new JsonbException((primitive ? type.getTypeName() : boxed.getName()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The deserializer of one scalar type; a subclass per type, since JSON-B learns the type it deserializes from
     * the type argument of its class.
     */
    private abstract static class Scalar<T> implements JsonbDeserializer<T> {
        private final Class<T> boxed;
        /** The primitive type read the same way, or {@code null}. */
        private final Class<?> primitive;

        Scalar(Class<T> boxed, Class<?> primitive) {
            this.boxed = boxed;
            this.primitive = primitive;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context, Type type) {
            return boxed.cast(read(parser, type, boxed));
        }
    }

    private static final class OptionalInts implements JsonbDeserializer<OptionalInt> {
        @Override
        public OptionalInt deserialize(JsonParser parser, DeserializationContext context, Type type) {
            Integer value = (Integer) read(parser, Integer.class, Integer.class);
            return value == null ? OptionalInt.empty() : OptionalInt.of(value);
        }
    }

    private static final class OptionalLongs implements JsonbDeserializer<OptionalLong> {
        @Override
        public OptionalLong deserialize(JsonParser parser, DeserializationContext context, Type type) {
            Long value = (Long) read(parser, Long.class, Long.class);
            return value == null ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }

    private static final class OptionalDoubles implements JsonbDeserializer<OptionalDouble> {
        @Override
        public OptionalDouble deserialize(JsonParser parser, DeserializationContext context, Type type) {
            Double value = (Double) read(parser, Double.class, Double.class);
            return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
    }

    /**
     * The scalar type {@code type} names, or {@code null} when it is not one read by {@link ScalarValues}: a number,
     * boolean or {@code char} type, or a primitive optional, whose whole document JSON-B would read without the
     * deserializers as well.
     */
    private static Class<?> scalar(Type type) {
        return type instanceof Class<?> raw && (ScalarValues.handles(raw) || ScalarValues.handlesOptional(raw))
                ? raw : null;
    }

    /**
     * A whole document of a scalar type: one JSON value and nothing after it, read by the rules of
     * {@link ScalarValues}; JSON {@code null} is {@code null}, or empty for a primitive optional.
     */
    private static Object readDocument(Supplier<JsonParser> parsers, Class<?> raw) {
        JsonValue value;
        try (JsonParser parser = parsers.get()) {
            value = JsonDocument.read(parser, true).value();
        } catch (IllegalArgumentException | JsonException e) {
            throw new JsonbException(e.getMessage(), e);
        }
        try {
            if (ScalarValues.handlesOptional(raw)) {
                return ScalarValues.readOptional(value, raw);
            }
            return value.getValueType() == JsonValue.ValueType.NULL ? null : ScalarValues.read(value, raw);
        } catch (IllegalArgumentException e) {
            throw new JsonbException(e.getMessage(), e);
        }
    }

    /**
     * The instance that binds a whole document of the type as {@code jsonb} would: this one's delegate for a type
     * that is not read by the rules of {@link ScalarValues}, else {@code jsonb} itself.
     */
    static Jsonb delegateFor(Jsonb jsonb, Type type) {
        return jsonb instanceof StrictJsonb strict && scalar(type) == null ? strict.jsonb : jsonb;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    @Override
    public <T> T fromJson(String str, Class<T> type) {
        return fromJson(type, () -> JsonP.PROVIDER.createParser(new StringReader(str)), () -> jsonb.fromJson(str, type));
    }

    @Override
    public <T> T fromJson(String str, Type runtimeType) {
        return fromJson(runtimeType, () -> JsonP.PROVIDER.createParser(new StringReader(str)),
                () -> jsonb.fromJson(str, runtimeType));
    }

    @Override
    public <T> T fromJson(Reader reader, Class<T> type) {
        return fromJson(type, () -> JsonP.PROVIDER.createParser(reader), () -> jsonb.fromJson(reader, type));
    }

    @Override
    public <T> T fromJson(Reader reader, Type runtimeType) {
        return fromJson(runtimeType, () -> JsonP.PROVIDER.createParser(reader), () -> jsonb.fromJson(reader, runtimeType));
    }

    @Override
    public <T> T fromJson(InputStream stream, Class<T> type) {
        return fromJson(type, () -> JsonP.PROVIDER.createParser(stream), () -> jsonb.fromJson(stream, type));
    }

    @Override
    public <T> T fromJson(InputStream stream, Type runtimeType) {
        return fromJson(runtimeType, () -> JsonP.PROVIDER.createParser(stream), () -> jsonb.fromJson(stream, runtimeType));
    }

    /** A whole document of a scalar type read strictly from the parser; any other type by the delegate. */
    private static <T> T fromJson(Type type, Supplier<JsonParser> parsers, Supplier<T> delegate) {
        Class<?> raw = scalar(type);
        return raw == null ? delegate.get() : cast(readDocument(parsers, raw));
    }

    @Override
    public String toJson(Object object) {
        return jsonb.toJson(object);
    }

    @Override
    public String toJson(Object object, Type runtimeType) {
        return jsonb.toJson(object, runtimeType);
    }

    @Override
    public void toJson(Object object, Writer writer) {
        jsonb.toJson(object, writer);
    }

    @Override
    public void toJson(Object object, Type runtimeType, Writer writer) {
        jsonb.toJson(object, runtimeType, writer);
    }

    @Override
    public void toJson(Object object, OutputStream stream) {
        jsonb.toJson(object, stream);
    }

    @Override
    public void toJson(Object object, Type runtimeType, OutputStream stream) {
        jsonb.toJson(object, runtimeType, stream);
    }

    @Override
    public void close() throws Exception {
        jsonb.close();
    }
}
