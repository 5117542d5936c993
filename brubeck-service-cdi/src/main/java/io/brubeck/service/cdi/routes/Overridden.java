package io.brubeck.service.cdi.routes;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The methods one method overrides or implements, found with plain reflection: those of the same erasure, or
 * the generic ones the compiler bridges to it ({@code apply(ServiceRequest)} implementing
 * {@code Function<ServiceRequest, String>.apply}).
 */
final class Overridden {
    private Overridden() {
    }

    /**
     * The methods {@code m} overrides or implements: those of its class's superclasses, nearest first, then
     * those of every interface the class or a superclass implements, nearer interfaces first.
     */
    static List<Method> by(Method m) {
        Class<?> declaring = m.getDeclaringClass();
        // The erasures m is known by: its own, and those of the bridges the compiler made for it.
        List<Class<?>[]> erasures = new ArrayList<>();
        erasures.add(m.getParameterTypes());
        for (Method bridge : declaring.getDeclaredMethods()) {
            if (bridge.isBridge() && bridgesToOverride(bridge, new Method[] {m})) {
                erasures.add(bridge.getParameterTypes());
            }
        }
        List<Method> result = new ArrayList<>();
        for (Class<?> supertype : supertypes(declaring)) {
            for (Class<?>[] erasure : erasures) {
                try {
                    Method overridden = supertype.getDeclaredMethod(m.getName(), erasure);
                    if (!overridden.isBridge() && !Modifier.isPrivate(overridden.getModifiers())
                            && !Modifier.isStatic(overridden.getModifiers()) && isVisibleFrom(overridden, declaring)) {
                        result.add(overridden);
                    }
                } catch (NoSuchMethodException notHere) {
                    // not declared by this supertype
                }
            }
        }
        return result;
    }

    /**
     * Whether a bridge method stands for an override declared beside it, whose erasure differs from the
     * method it overrides: not a bridge that only makes an inherited method public in a public subclass.
     */
    static boolean bridgesToOverride(Method bridge, Method[] declaredBeside) {
        Class<?>[] bridged = bridge.getParameterTypes();
        for (Method m : declaredBeside) {
            if (m.isBridge() || m.isSynthetic() || !m.getName().equals(bridge.getName())
                    || m.getParameterCount() != bridged.length || !bridge.getReturnType().isAssignableFrom(m.getReturnType())) {
                continue;
            }
            Class<?>[] parameters = m.getParameterTypes();
            boolean assignable = true;
            for (int i = 0; i < parameters.length && assignable; i++) {
                assignable = bridged[i].isAssignableFrom(parameters[i]);
            }
            if (assignable) {
                return true;
            }
        }
        return false;
    }

    /** Whether a method can be overridden from a class: a package-private one only from its own package. */
    private static boolean isVisibleFrom(Method overridden, Class<?> subclass) {
        int modifiers = overridden.getModifiers();
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)
                || overridden.getDeclaringClass().getPackageName().equals(subclass.getPackageName());
    }

    /** The superclasses of a class, nearest first, then its interfaces and theirs, breadth first. */
    private static Set<Class<?>> supertypes(Class<?> type) {
        Set<Class<?>> supertypes = new LinkedHashSet<>();
        Deque<Class<?>> interfaces = new ArrayDeque<>(Arrays.asList(type.getInterfaces()));
        for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
            supertypes.add(c);
            interfaces.addAll(Arrays.asList(c.getInterfaces()));
        }
        while (!interfaces.isEmpty()) {
            Class<?> next = interfaces.poll();
            if (supertypes.add(next)) {
                interfaces.addAll(Arrays.asList(next.getInterfaces()));
            }
        }
        return supertypes;
    }
}
