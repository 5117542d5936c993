package io.brubeck.service.engine;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.serializer.JsonbDeserializer;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

/**
 * Registers deserializers for primitive types with one instance of Yasson, JSON-B's reference implementation.
 * A JSON-B configuration cannot name a primitive type for a deserializer (its type argument names the type), and
 * Yasson never applies one registered for a wrapper class to a property of the primitive type. Yasson keeps the
 * deserializers of an instance in a table by type, which it searches for each property's type, primitive or not;
 * the table is not public, so it is reached by reflection, and only the given instance is changed.
 */
final class YassonPrimitives {
    private static final String YASSON_JSONB = "org.eclipse.yasson.internal.JsonBinding";
    private static final String COMPONENTS = "org.eclipse.yasson.internal.components.";

    private YassonPrimitives() {
    }

    /**
     * Adds the deserializers, by primitive type, to a Yasson instance that has not bound anything yet (Yasson keeps
     * what it learns of a type).
     *
     * @return whether they were added: false for another JSON-B implementation, or a Yasson whose inside differs
     */
    static boolean register(Jsonb jsonb, Map<Class<?>, JsonbDeserializer<?>> byPrimitive) {
        Class<?> yasson = jsonb.getClass();
        if (!yasson.getName().equals(YASSON_JSONB)) {
            return false;
        }
        try {
            ClassLoader loader = yasson.getClassLoader();
            Class<?> bindings = Class.forName(COMPONENTS + "ComponentBindings", false, loader);
            Class<?> deserializerBinding = Class.forName(COMPONENTS + "DeserializerBinding", false, loader);
            Class<?> serializerBinding = Class.forName(COMPONENTS + "SerializerBinding", false, loader);
            Class<?> adapterBinding = Class.forName(COMPONENTS + "AdapterBinding", false, loader);
            Object context = field(yasson, "jsonbContext").get(jsonb);
            Object matcher = context.getClass().getMethod("getComponentMatcher").invoke(context);
            @SuppressWarnings("unchecked")
            Map<Type, Object> components = (Map<Type, Object>) field(matcher.getClass(), "userComponents").get(matcher);
            Map<Type, Object> added = new HashMap<>();
            for (Map.Entry<Class<?>, JsonbDeserializer<?>> entry : byPrimitive.entrySet()) {
                Object binding = deserializerBinding.getConstructor(Type.class, JsonbDeserializer.class)
                        .newInstance(entry.getKey(), entry.getValue());
                added.put(entry.getKey(), bindings.getConstructor(Type.class, serializerBinding, deserializerBinding,
                        adapterBinding).newInstance(entry.getKey(), null, binding, null));
            }
            components.putAll(added); // all or none
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) { // a Yasson built otherwise, or not open to us
            return false;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
