package io.brubeck.service.cdi;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;

/**
 * JNDI naming for tests, through the standard SPI: made the initial context factory with
 * {@link #install()} (the {@code java.naming.factory.initial} system property), its contexts look names up in
 * {@link #bind bindings} the test makes, as a Jakarta EE server's {@code java:comp} would.
 */
public final class TestNamingFactory implements InitialContextFactory {
    private static final Map<String, Object> BINDINGS = new ConcurrentHashMap<>();
    private static String previousFactory;

    /** Public, for {@code javax.naming.spi.NamingManager}, which instantiates the factory by its class name. */
    public TestNamingFactory() {
    }

    /** Makes this the JNDI initial context factory, with no bindings, until {@link #uninstall()}. */
    static void install() {
        BINDINGS.clear();
        previousFactory = System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNamingFactory.class.getName());
    }

    /** Gives back the initial context factory as it was before {@link #install()}, and drops the bindings. */
    static void uninstall() {
        if (previousFactory == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
        }
        BINDINGS.clear();
    }

    static void bind(String name, Object value) {
        BINDINGS.put(name, value);
    }

    /** A context that answers lookups by name and closing; any other method is not needed by the library. */
    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(TestNamingFactory.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "lookup" -> {
                        Object found = BINDINGS.get(String.valueOf(args[0]));
                        if (found == null) {
                            throw new NameNotFoundException(args[0] + " is not bound");
                        }
                        yield found;
                    }
                    case "close" -> null;
                    case "toString" -> "test naming context";
                    default -> throw new UnsupportedOperationException("test naming context: " + method.getName());
                });
    }
}
