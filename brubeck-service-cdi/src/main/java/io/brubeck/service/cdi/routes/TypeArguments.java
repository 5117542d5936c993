package io.brubeck.service.cdi.routes;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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

    /**
     * The type with each type parameter the route class gives an argument replaced by that argument, also
     * inside parameterized and array types ({@code Optional<T>}, {@code List<T>}, {@code T[]}); otherwise as it is.
     */
    Type resolve(Type type) {
        if (type instanceof TypeVariable<?> variable && arguments.containsKey(variable)) {
            // A superclass may pass its own parameter on to its superclass: follow it to what the route class gives.
            return resolve(arguments.get(variable));
        }
        if (type instanceof ParameterizedType parameterized) {
            Type[] given = parameterized.getActualTypeArguments();
            Type[] resolved = Arrays.stream(given).map(this::resolve).toArray(Type[]::new);
            return Arrays.equals(given, resolved) ? type
                    : new Parameterized(parameterized.getRawType(), resolved, parameterized.getOwnerType());
        }
        if (type instanceof WildcardType wildcard) {
            Type[] upper = Arrays.stream(wildcard.getUpperBounds()).map(this::resolve).toArray(Type[]::new);
            Type[] lower = Arrays.stream(wildcard.getLowerBounds()).map(this::resolve).toArray(Type[]::new);
            return Arrays.equals(upper, wildcard.getUpperBounds()) && Arrays.equals(lower, wildcard.getLowerBounds())
                    ? type : new Wildcard(upper, lower);
        }
        if (type instanceof GenericArrayType array) {
            Type component = resolve(array.getGenericComponentType());
            if (component == array.getGenericComponentType()) {
                return type;
            }
            return component instanceof Class<?> element ? element.arrayType() : new GenericArray(component);
        }
        return type;
    }

    /** Whether a type variable is left anywhere in the type, which JSON-B then cannot bind as meant. */
    static boolean mentionsTypeVariable(Type type) {
        if (type instanceof TypeVariable<?>) {
            return true;
        }
        if (type instanceof ParameterizedType parameterized) {
            return Arrays.stream(parameterized.getActualTypeArguments()).anyMatch(TypeArguments::mentionsTypeVariable);
        }
        if (type instanceof WildcardType wildcard) {
            return Arrays.stream(wildcard.getUpperBounds()).anyMatch(TypeArguments::mentionsTypeVariable)
                    || Arrays.stream(wildcard.getLowerBounds()).anyMatch(TypeArguments::mentionsTypeVariable);
        }
        return type instanceof GenericArrayType array && mentionsTypeVariable(array.getGenericComponentType());
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

    /** A parameterized type whose arguments were resolved; equal to the JDK's own of the same raw type and arguments. */
    private record Parameterized(Type raw, Type[] arguments, Type owner) implements ParameterizedType {
        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ParameterizedType that && raw.equals(that.getRawType())
                    && Objects.equals(owner, that.getOwnerType()) && Arrays.equals(arguments, that.getActualTypeArguments());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(arguments) ^ Objects.hashCode(owner) ^ raw.hashCode();
        }

        @Override
        public String toString() {
            return raw.getTypeName()
                    + Arrays.stream(arguments).map(Type::getTypeName).collect(Collectors.joining(", ", "<", ">"));
        }
    }

    /** A wildcard whose bounds were resolved, {@code ? extends Item} say; equal to the JDK's own of the same bounds. */
    private record Wildcard(Type[] upper, Type[] lower) implements WildcardType {
        @Override
        public Type[] getUpperBounds() {
            return upper.clone();
        }

        @Override
        public Type[] getLowerBounds() {
            return lower.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WildcardType that && Arrays.equals(upper, that.getUpperBounds())
                    && Arrays.equals(lower, that.getLowerBounds());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(upper) ^ Arrays.hashCode(lower);
        }

        @Override
        public String toString() {
            return lower.length > 0 ? "? super " + lower[0].getTypeName()
                    : upper.length == 0 || upper[0] == Object.class ? "?" : "? extends " + upper[0].getTypeName();
        }
    }

    /** An array of a resolved parameterized type, {@code List<Item>[]} say; equal to the JDK's own of the same component. */
    private record GenericArray(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GenericArrayType that && component.equals(that.getGenericComponentType());
        }

        @Override
        public int hashCode() {
            return component.hashCode();
        }

        @Override
        public String toString() {
            return component.getTypeName() + "[]";
        }
    }
}
