package io.brubeck.service.cdi.routes;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type arguments a route class gives the type parameters of its generic superclasses and interfaces, so
 * that a handler it inherits, {@code post(@Body T item)} of {@code JsonRoute<T>} say, binds its parameter as
 * the route class fixes it ({@code Item} for {@code Items extends JsonRoute<Item>}).
 */
final class TypeArguments {
    private final Map<TypeVariable<?>, Type> arguments = new HashMap<>();

    private TypeArguments() {
    }

    /** The type arguments of every generic supertype of the class. */
    static TypeArguments of(Class<?> type) {
        TypeArguments found = new TypeArguments();
        found.collect(type);
        return found;
    }

    /** The type, a type parameter replaced by the argument the route class gives it; otherwise as it is. */
    Type resolve(Type type) {
        Type resolved = type;
        // A superclass may pass its own parameter on to its superclass: follow it to what the route class gives.
        while (resolved instanceof TypeVariable<?> variable && arguments.containsKey(variable)) {
            resolved = arguments.get(variable);
        }
        return resolved;
    }

    /** Walks down from the class, so that a subclass's arguments are known when its supertypes name them. */
    private void collect(Class<?> type) {
        List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
        if (type.getGenericSuperclass() != null) {
            supertypes.add(0, type.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            if (supertype instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
                TypeVariable<?>[] parameters = raw.getTypeParameters();
                Type[] given = parameterized.getActualTypeArguments();
                for (int i = 0; i < parameters.length && i < given.length; i++) {
                    arguments.putIfAbsent(parameters[i], resolve(given[i]));
                }
                collect(raw);
            } else if (supertype instanceof Class<?> raw) {
                collect(raw);
            }
        }
    }
}
