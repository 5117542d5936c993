package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.PathGroup;
import io.brubeck.service.cdi.Payload;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URI;
import java.net.URL;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.BaseStream;
import java.util.stream.Collectors;

/**
 * Reads one {@link ServiceRoute} class into a {@link RouteDescriptor}, or into the list of everything
 * wrong with it. Each problem names the class and says what to change. Uses plain reflection only,
 * so any kind of CDI extension can call it; the method handles of valid handlers are built here, once.
 */
public final class RouteScanner {
    private static final Set<Class<?>> FRAMEWORK_TYPES = Set.of(ServiceRequest.class, ServiceResponse.class,
            ServiceResult.class, ServiceCall.class, ServiceClient.class);
    /** What JSON-B reads from JSON values other than objects (or writes as strings): never a payload. */
    private static final List<Class<?>> NOT_OBJECTS = List.of(CharSequence.class, Number.class, Boolean.class,
            Character.class, Enum.class, Collection.class, JsonArray.class, JsonString.class, JsonNumber.class,
            TemporalAccessor.class, TemporalAmount.class, Date.class, Calendar.class, TimeZone.class, ZoneId.class,
            UUID.class, URI.class, URL.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class);
    private static final String METHOD_NAMES = Arrays.stream(Method.values()).map(Method::wireName)
            .collect(Collectors.joining(", "));

    /**
     * What scanning one class found.
     *
     * @param route    the route, when the class has no problem
     * @param problems every problem found, each a complete sentence naming the class; empty when valid
     */
    public record Result(Optional<RouteDescriptor> route, List<String> problems) {
        /** Copies the problems, so that the result stays immutable. */
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /** Scans a class annotated {@link ServiceRoute}, with the pattern the annotation gives. */
    public Result scan(Class<?> type) {
        ServiceRoute annotation = type.getAnnotation(ServiceRoute.class);
        if (annotation == null) {
            return new Result(Optional.empty(), List.of(prefix(type) + "is not annotated @ServiceRoute"));
        }
        return scan(type, annotation.value());
    }

    /** Scans a route class with the given path pattern. */
    public Result scan(Class<?> type, String pattern) {
        Set<String> problems = new LinkedHashSet<>();
        String prefix = prefix(type);
        Pattern compiled = compile(pattern, prefix, problems);
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            problems.add(prefix + "is " + (type.isInterface() ? "an interface" : "abstract")
                    + "; put @ServiceRoute on a concrete bean class");
        }
        // Request and response handlers run on different sides, so each side may handle a METHOD once.
        Map<RouteKind, Map<Method, HandlerMethod>> handlers = new EnumMap<>(RouteKind.class);
        boolean anyHandler = false;
        TypeArguments typeArguments = TypeArguments.of(type);
        for (java.lang.reflect.Method candidate : candidates(type)) {
            anyHandler |= scanMethod(type, candidate, prefix, compiled, typeArguments, handlers, problems);
        }
        if (!anyHandler) {
            problems.add(prefix + "has no handler method; add a public method named after the METHOD it handles ("
                    + METHOD_NAMES + "), or annotate a public method @Handles");
        }
        if (!problems.isEmpty() || compiled == null) {
            return new Result(Optional.empty(), new ArrayList<>(problems));
        }
        List<HandlerMethod> all = handlers.values().stream().flatMap(bySide -> bySide.values().stream()).toList();
        return new Result(Optional.of(new RouteDescriptor(type, compiled, all)), List.of());
    }

    private static Pattern compile(String pattern, String prefix, Set<String> problems) {
        if (pattern == null || pattern.isBlank()) {
            problems.add(prefix + "has an empty @ServiceRoute pattern; give the paths it handles as a regular "
                    + "expression, for example @ServiceRoute(\"^/service/slow$\")");
            return null;
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            problems.add(prefix + "has the pattern '" + pattern + "', which is not a valid regular "
                    + "expression (" + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
                    + "); fix the pattern" + (pattern.contains("(?P") ? ", writing Python's named group (?P<name>...) "
                    + "as (?<name>...) and (?P=name) as \\k<name>" : ""));
            return null;
        }
    }

    /**
     * The methods a route class has, each once, in a stable order: those it declares or inherits from its
     * superclasses, an override in place of what it overrides, then the default methods it inherits from its
     * interfaces, as the class inherits them. Abstract methods are left out: the bean class implements each,
     * and that implementation is scanned.
     */
    private static List<java.lang.reflect.Method> candidates(Class<?> type) {
        Map<String, java.lang.reflect.Method> bySignature = new LinkedHashMap<>();
        // Signatures the compiler bridges to an override with another erasure (a generic or covariant one):
        // a superclass's method of such a signature is overridden although no method repeats it.
        Set<String> overridden = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            java.lang.reflect.Method[] declared = c.getDeclaredMethods();
            Arrays.sort(declared, Comparator.comparing(RouteScanner::signature));
            Set<String> bridged = new HashSet<>();
            for (java.lang.reflect.Method m : declared) {
                if (m.isBridge()) {
                    if (Overridden.bridgesToOverride(m, declared)) {
                        bridged.add(signature(m));
                    }
                } else if (!m.isSynthetic() && !Modifier.isAbstract(m.getModifiers())
                        && !overridden.contains(signature(m))) {
                    bySignature.putIfAbsent(signature(m), m);
                }
            }
            // Only after the class: a covariant override shares its signature with its own bridge.
            overridden.addAll(bridged);
        }
        // The class's public methods give each inherited default method that no class method overrides,
        // the most specific one where interfaces redeclare it, as the class itself inherits them.
        java.lang.reflect.Method[] inherited = type.getMethods();
        Arrays.sort(inherited, Comparator.comparing(RouteScanner::signature));
        for (java.lang.reflect.Method m : inherited) {
            if (m.isDefault() && !m.isBridge() && !m.isSynthetic() && !overridden.contains(signature(m))) {
                bySignature.putIfAbsent(signature(m), m);
            }
        }
        return new ArrayList<>(bySignature.values());
    }

    private static String signature(java.lang.reflect.Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    /** Scans one method; returns whether it is meant as a handler, valid or not. */
    private boolean scanMethod(Class<?> type, java.lang.reflect.Method m, String prefix, Pattern pattern,
                               TypeArguments typeArguments, Map<RouteKind, Map<Method, HandlerMethod>> handlers,
                               Set<String> problems) {
        String where = describe(m, false);
        List<java.lang.reflect.Method> sources = handlesSources(m);
        if (sources.stream().map(source -> Set.of(source.getAnnotation(Handles.class).value())).distinct().count() > 1) {
            problems.add(prefix + "has " + where + ", which implements interface methods whose @Handles differ ("
                    + sources.stream().map(source -> describe(source, true) + " handles " + Arrays.stream(
                            source.getAnnotation(Handles.class).value()).map(Method::wireName)
                            .collect(Collectors.joining(" and "))).collect(Collectors.joining("; "))
                    + "); annotate it @Handles with the METHODs it handles");
            return true;
        }
        Handles handles = sources.isEmpty() ? null : sources.get(0).getAnnotation(Handles.class);
        Optional<Method> named = Arrays.stream(Method.values()).filter(x -> x.wireName().equals(m.getName())).findFirst();
        if (handles == null && named.isEmpty()) {
            misnamedHandler(type, m, prefix, where).ifPresent(problems::add);
            return false;
        }
        if (handles != null && handles.value().length == 0) {
            problems.add(prefix + "annotates " + where + " @Handles without a METHOD; name at least one, "
                    + "for example @Handles(Method.POST)");
            return true;
        }
        if (!Modifier.isPublic(m.getModifiers())) {
            problems.add(prefix + (handles != null ? "annotates " + where + " @Handles, but it is not public"
                    : "has " + where + ", named after METHOD " + named.get().wireName() + ", but it is not public")
                    + "; make it public to handle the METHOD" + (handles != null ? "" : ", or rename it"));
            return true;
        }
        if (Modifier.isStatic(m.getModifiers())) {
            problems.add(prefix + "has the static handler method " + where + "; handlers must be instance methods");
            return true;
        }
        if (m.getTypeParameters().length > 0) {
            problems.add(prefix + "has the generic handler method " + where
                    + "; handlers cannot declare type parameters, use concrete types");
            return true;
        }
        List<Method> methods = handles != null ? List.copyOf(new LinkedHashSet<>(Arrays.asList(handles.value())))
                : List.of(named.get());
        int before = problems.size();
        List<HandlerMethod> found = new ArrayList<>();
        MethodHandle invoker = null;
        for (Method method : methods) {
            RouteKind kind = kindOf(method, m);
            List<HandlerParameter> parameters = parameters(m, kind, prefix, where, pattern, typeArguments, problems);
            ResultKind result = resultKind(m, kind, prefix, where, problems);
            if (problems.size() > before) {
                continue;
            }
            if (invoker == null) {
                invoker = invoker(m, prefix, where, problems);
                if (invoker == null) {
                    return true;
                }
            }
            found.add(new HandlerMethod(m, method, kind, parameters, result, invoker));
        }
        for (HandlerMethod handler : found) {
            HandlerMethod previous = handlers.computeIfAbsent(handler.kind(), kind -> new EnumMap<>(Method.class))
                    .putIfAbsent(handler.method(), handler);
            if (previous != null) {
                problems.add(prefix + "has two " + (handler.kind() == RouteKind.REQUEST ? "request" : "response")
                        + " handlers for METHOD " + handler.method().wireName() + ": "
                        + describe(previous.javaMethod(), false) + " and " + where + "; keep one of them");
            }
        }
        return true;
    }

    /**
     * Where a method's {@code @Handles} comes from: the method itself or, as JAX-RS inherits its annotations, the
     * nearest superclass method it overrides, else the interface methods it implements (of an interface and one
     * that redeclares the method, only the latter). More than one when several interfaces give it; empty when none.
     */
    private static List<java.lang.reflect.Method> handlesSources(java.lang.reflect.Method m) {
        if (m.isAnnotationPresent(Handles.class)) {
            return List.of(m);
        }
        List<java.lang.reflect.Method> annotated = Overridden.by(m).stream()
                .filter(o -> o.isAnnotationPresent(Handles.class)).toList();
        Optional<java.lang.reflect.Method> ofClass = annotated.stream()
                .filter(o -> !o.getDeclaringClass().isInterface()).findFirst();
        if (ofClass.isPresent()) {
            return List.of(ofClass.get());
        }
        return annotated.stream()
                .filter(o -> annotated.stream().noneMatch(other -> other.getDeclaringClass() != o.getDeclaringClass()
                        && o.getDeclaringClass().isAssignableFrom(other.getDeclaringClass())))
                .toList();
    }

    /**
     * Why a method that handles no METHOD looks meant as a handler under a wrong name, if it does: it binds a
     * parameter, which only a handler can; or it is public and its name is a METHOD's in other case
     * ({@code Post}); or the route class itself declares it public, taking the request or the response as only a
     * handler is given them, and it implements nothing (not {@code RequestHandler.handle}, say). Other methods,
     * among them those a route inherits from helper classes and interfaces, are the route's own business.
     */
    private static Optional<String> misnamedHandler(Class<?> type, java.lang.reflect.Method m, String prefix,
                                                    String where) {
        String advice = "; name it after the METHOD it handles (" + METHOD_NAMES + "), or annotate it @Handles";
        Parameter[] parameters = m.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            Optional<String> source = sourceAnnotation(parameters[i]);
            if (source.isPresent()) {
                String which = "parameter " + (i + 1) + " (" + typeName(parameters[i].getParameterizedType()) + ")";
                return Optional.of(prefix + "annotates " + which + " of " + where + " " + source.get() + ", but " + where
                        + " is not a handler" + advice);
            }
        }
        if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())) {
            return Optional.empty();
        }
        Optional<Method> otherCase = Arrays.stream(Method.values())
                .filter(method -> method.wireName().equalsIgnoreCase(m.getName())).findFirst();
        if (otherCase.isPresent()) {
            return Optional.of(prefix + "has " + where + ", which handles no METHOD: handler names are lower case, so "
                    + "name it " + otherCase.get().wireName() + " to handle METHOD " + otherCase.get().wireName()
                    + ", or rename it");
        }
        if (m.getDeclaringClass() != type || !Overridden.by(m).isEmpty()) {
            return Optional.empty();
        }
        for (Parameter p : parameters) {
            if (p.getType() == ServiceRequest.class || p.getType() == ServiceResponse.class) {
                return Optional.of(prefix + "has " + where + ", which takes a " + p.getType().getSimpleName()
                        + " but handles no METHOD" + advice + " (a helper method that is not a handler need not be "
                        + "public)");
            }
        }
        return Optional.empty();
    }

    /** A handler of METHOD {@code response}, or one that takes a response, runs on the calling side. */
    private static RouteKind kindOf(Method method, java.lang.reflect.Method m) {
        if (method == Method.RESPONSE) {
            return RouteKind.RESPONSE;
        }
        for (Parameter p : m.getParameters()) {
            if (p.getType() == ServiceResponse.class && !hasSourceAnnotation(p)) {
                return RouteKind.RESPONSE;
            }
        }
        return RouteKind.REQUEST;
    }

    private static boolean hasSourceAnnotation(Parameter p) {
        return sourceAnnotation(p).isPresent();
    }

    /** The annotation that says where a parameter's value comes from, as written: {@code @Argument} and so on. */
    private static Optional<String> sourceAnnotation(Parameter p) {
        for (Class<? extends java.lang.annotation.Annotation> type
                : List.of(Argument.class, Body.class, Payload.class, PathGroup.class)) {
            if (p.isAnnotationPresent(type)) {
                return Optional.of("@" + type.getSimpleName());
            }
        }
        return Optional.empty();
    }

    private static List<HandlerParameter> parameters(java.lang.reflect.Method m, RouteKind kind, String prefix,
                                                     String where, Pattern pattern, TypeArguments typeArguments,
                                                     Set<String> problems) {
        List<HandlerParameter> result = new ArrayList<>();
        Parameter[] parameters = m.getParameters();
        boolean body = false;
        boolean payload = false;
        for (int i = 0; i < parameters.length; i++) {
            Parameter p = parameters[i];
            Argument argument = p.getAnnotation(Argument.class);
            boolean isBody = p.isAnnotationPresent(Body.class);
            boolean isPayload = p.isAnnotationPresent(Payload.class);
            PathGroup group = p.getAnnotation(PathGroup.class);
            Type type = typeArguments.resolve(p.getParameterizedType());
            String which = "parameter " + (i + 1) + " (" + typeName(type) + ") of " + where;
            int sources = (argument != null ? 1 : 0) + (isBody ? 1 : 0) + (isPayload ? 1 : 0) + (group != null ? 1 : 0);
            if (sources > 1) {
                problems.add(prefix + "annotates " + which + " with more than one of @Argument, @Body, @Payload and "
                        + "@PathGroup; keep one");
            } else if (group != null) {
                if (pathGroup(group.value(), type, pattern, prefix, which, problems)) {
                    result.add(new HandlerParameter(i, HandlerParameter.Source.PATH_GROUP, group.value(), type));
                }
            } else if (argument != null) {
                if (kind == RouteKind.RESPONSE) {
                    problems.add(prefix + "annotates " + which + " @Argument, but " + where + " handles responses, which "
                            + "have no arguments; use @Payload for the answer's JSON payload or @Body for its body");
                } else if (argument.value().isBlank()) {
                    problems.add(prefix + "annotates " + which + " @Argument without a name; give the argument's name, "
                            + "for example @Argument(\"RETURN_DATA\")");
                } else if (bindable(type, false, prefix, which, problems)) {
                    result.add(new HandlerParameter(i, HandlerParameter.Source.ARGUMENT, argument.value(), type));
                }
            } else if (isBody) {
                if (body) {
                    problems.add(prefix + "has more than one @Body parameter in " + where + "; a message has one body");
                } else if (bindable(type, true, prefix, which, problems)) {
                    result.add(new HandlerParameter(i, HandlerParameter.Source.BODY, null, type));
                }
                body = true;
            } else if (isPayload) {
                if (kind == RouteKind.REQUEST) {
                    problems.add(prefix + "annotates " + which + " @Payload, but " + where + " handles requests, which "
                            + "have no payload; use @Argument(\"NAME\") for an argument or @Body for the body");
                } else if (payload) {
                    problems.add(prefix + "has more than one @Payload parameter in " + where + "; keep one");
                } else if (holdsObject(type, prefix, which, problems) && bindable(type, true, prefix, which, problems)) {
                    result.add(new HandlerParameter(i, HandlerParameter.Source.PAYLOAD, null, type));
                }
                payload = true;
            } else if (p.getType() == ServiceRequest.class) {
                if (kind == RouteKind.RESPONSE) {
                    problems.add(prefix + "declares " + where + ", which takes a ServiceRequest, but it handles responses "
                            + "on the calling side, where there is no request; take a ServiceResponse instead");
                } else {
                    result.add(new HandlerParameter(i, HandlerParameter.Source.REQUEST, null, type));
                }
            } else if (p.getType() == ServiceResponse.class) {
                result.add(new HandlerParameter(i, HandlerParameter.Source.RESPONSE, null, type));
            } else {
                problems.add(prefix + "cannot tell where the value of " + which + " comes from; "
                        + (kind == RouteKind.REQUEST
                        ? "annotate it @Argument(\"NAME\") for a request argument or @Body for the request body, "
                        + "or take a ServiceRequest"
                        : "annotate it @Payload for the answer's JSON payload or @Body for its body, "
                        + "or take a ServiceResponse"));
            }
        }
        return result;
    }

    /**
     * Whether a {@code @PathGroup} parameter can be bound: it is text, and the pattern has the group it names.
     * A pattern that did not compile has been reported already, so its groups are not checked.
     */
    private static boolean pathGroup(String group, Type type, Pattern pattern, String prefix, String which,
                                     Set<String> problems) {
        if (type != String.class && !optionalElement(type).filter(inner -> inner == String.class).isPresent()) {
            problems.add(prefix + "annotates " + which + " @PathGroup, but a path group is text; take a String, "
                    + "or an Optional<String> for a group that may take no part in the match");
            return false;
        }
        if (group.isBlank()) {
            problems.add(prefix + "annotates " + which + " @PathGroup without a group; give a named group's name, "
                    + "for example @PathGroup(\"id\") for (?<id>\\d+), or a group's number, for example @PathGroup(\"1\")");
            return false;
        }
        if (pattern == null || PathGroups.has(pattern, group)) {
            return true;
        }
        int count = PathGroups.count(pattern);
        // Show how to write the group only for a name a pattern can have: not (?<-1>...).
        String hint = PathGroups.isNumber(group) ? " (it has " + count + ")"
                : PathGroups.isName(group) ? " (a named group is written (?<" + group + ">...))"
                : " (no group can be: a group's name is a letter followed by letters and digits, its number 1 or more)";
        problems.add(prefix + "annotates " + which + " @PathGroup(\"" + group + "\"), but the pattern '" + pattern.pattern()
                + "' has no " + (PathGroups.isNumber(group) ? "group " : "group named ") + group + hint
                + "; name one of its groups");
        return false;
    }

    /**
     * Whether a {@code @Payload} parameter's type can hold the payload, which is always a JSON object: JSON-B
     * reads one into a record, a bean class, a Map, a JsonObject (or any JsonValue) or Object, but never into
     * text, a number, a collection or an array, nor into the types it writes as a JSON string.
     */
    private static boolean holdsObject(Type type, String prefix, String which, Set<String> problems) {
        Type inner = optionalElement(type).orElse(type);
        if (inner instanceof TypeVariable<?> || inner instanceof WildcardType) {
            return true; // bindable() refuses it
        }
        Class<?> raw = rawType(inner);
        boolean scalar = raw.isPrimitive() || raw.isArray()
                || NOT_OBJECTS.stream().anyMatch(notObject -> notObject.isAssignableFrom(raw));
        if (scalar) {
            problems.add(prefix + "annotates " + which + " @Payload, but a payload is always a JSON object, which "
                    + typeName(inner) + " cannot hold; take a record, a class or a Map with the payload's entries, "
                    + "or a JsonObject (the answer's body, as text or bytes, is @Body)");
        }
        return !scalar;
    }

    private static boolean bindable(Type type, boolean boxedOnly, String prefix, String which, Set<String> problems) {
        Type inner = optionalElement(type).orElse(type);
        if (inner instanceof WildcardType || TypeArguments.mentionsTypeVariable(inner)) {
            problems.add(prefix + "declares " + which + " with a type JSON-B cannot bind; use a concrete type");
            return false;
        }
        Class<?> raw = rawType(inner);
        if (FRAMEWORK_TYPES.contains(raw)) {
            problems.add(prefix + "declares " + which + " with a type that is not read from JSON; "
                    + "remove its annotation to get the " + raw.getSimpleName() + " itself");
            return false;
        }
        if (boxedOnly && raw.isPrimitive()) {
            problems.add(prefix + "declares " + which + " with a primitive type, but an empty body has no value; "
                    + "use the wrapper type, for example Integer for int");
            return false;
        }
        return true;
    }

    private static ResultKind resultKind(java.lang.reflect.Method m, RouteKind kind, String prefix, String where,
                                         Set<String> problems) {
        Class<?> type = m.getReturnType();
        if (type == void.class || type == Void.class) {
            return ResultKind.VOID;
        }
        if (CompletionStage.class.isAssignableFrom(type)) {
            if (kind == RouteKind.RESPONSE) {
                problems.add(prefix + "declares " + where + ", which returns a CompletionStage, but response handlers "
                        + "run synchronously and their result goes to the waiting caller as it is; return the value itself");
                return ResultKind.ASYNC;
            }
            // A stage that completes with another stage is answered with the inner one's value: check the innermost.
            Type value = stageValue(m.getGenericReturnType());
            while (CompletionStage.class.isAssignableFrom(rawType(value))) {
                value = stageValue(value);
            }
            valueType(value, prefix, where + ", which completes with", problems);
            return ResultKind.ASYNC;
        }
        if (kind == RouteKind.REQUEST) {
            valueType(m.getGenericReturnType(), prefix, where + ", which returns", problems);
        } else if (Future.class.isAssignableFrom(type)) {
            problems.add(prefix + "declares " + where + ", which returns a Future, but response handlers run "
                    + "synchronously; return the value itself");
        }
        return ResultKind.VALUE;
    }

    /** What a declared stage completes with, as far as its type says: Object when it does not say. */
    private static Type stageValue(Type stage) {
        if (stage instanceof ParameterizedType parameterized && parameterized.getActualTypeArguments().length == 1) {
            return parameterized.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    /**
     * Checks the type of a request handler's value, returned or completing a stage. A type variable or a wildcard
     * may hold anything, as Object does, and is checked when the value comes.
     */
    private static void valueType(Type type, String prefix, String what, Set<String> problems) {
        if (type instanceof WildcardType || type instanceof TypeVariable<?>) {
            return;
        }
        Class<?> raw = rawType(type);
        String problem = null;
        if (raw == Optional.class) {
            // Answered with its value, as if returned itself, or {"result": null} when empty (ReplyMapper).
            valueType(optionalElement(type).orElseThrow(), prefix, what + " an Optional of", problems);
        } else if (CompletionStage.class.isAssignableFrom(raw)) {
            problem = "a " + raw.getSimpleName() + ", which is awaited only when the handler returns it or completes "
                    + "its stage with it; return the stage itself";
        } else if (Future.class.isAssignableFrom(raw)) {
            problem = "a " + raw.getSimpleName() + ", which cannot be awaited: only a CompletionStage can be; return a "
                    + "CompletionStage of the reply or value, or the value itself";
        } else if (BaseStream.class.isAssignableFrom(raw) || Iterator.class.isAssignableFrom(raw)) {
            problem = "a " + raw.getSimpleName() + ", which cannot be written as a payload; return a List instead";
        } else if (FRAMEWORK_TYPES.contains(raw)) {
            problem = "a " + raw.getSimpleName() + "; return a ServiceReply, an object for the payload, or nothing";
        }
        if (problem != null) {
            problems.add(prefix + "declares " + what + " " + problem);
        }
    }

    private static MethodHandle invoker(java.lang.reflect.Method m, String prefix, String where, Set<String> problems) {
        try {
            MethodHandle handle;
            if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                handle = MethodHandles.publicLookup().unreflect(m);
            } else {
                m.setAccessible(true);
                handle = MethodHandles.lookup().unreflect(m);
            }
            int arity = m.getParameterCount();
            return handle.asType(MethodType.genericMethodType(arity + 1))
                    .asSpreader(Object[].class, arity)
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            problems.add(prefix + "has the handler " + where + ", which cannot be called (" + e.getMessage()
                    + "); make the class public, or open its package to the brubeck-service library");
            return null;
        }
    }

    static Optional<Type> optionalElement(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return Optional.of(p.getActualTypeArguments()[0]);
        }
        return type == Optional.class ? Optional.of(Object.class) : Optional.empty();
    }

    static Class<?> rawType(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof java.lang.reflect.GenericArrayType a) {
            return java.lang.reflect.Array.newInstance(rawType(a.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    private static String prefix(Class<?> type) {
        return "@ServiceRoute " + type.getName() + " ";
    }

    static String describe(java.lang.reflect.Method m, boolean qualified) {
        String parameters = Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return (qualified ? m.getDeclaringClass().getName() + "." : "") + m.getName() + "(" + parameters + ")";
    }

    private static String typeName(Type type) {
        // As Class.getSimpleName() names a class: without its package, nor the classes it is nested in.
        return type instanceof Class<?> c ? c.getSimpleName()
                : type.getTypeName().replaceAll("[a-zA-Z0-9_$]+\\.", "").replaceAll("[a-zA-Z0-9_]+\\$", "");
    }
}
