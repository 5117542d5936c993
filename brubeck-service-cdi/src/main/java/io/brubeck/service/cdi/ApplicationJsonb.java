package io.brubeck.service.cdi;

import io.brubeck.service.engine.StrictJsonb;
import jakarta.enterprise.inject.Instance;
import jakarta.json.bind.Jsonb;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The JSON-B instance that writes and binds the arguments, bodies, payloads and handler parameters of an
 * application's services: the application's {@link ServiceJsonb @ServiceJsonb} bean when it has one, used as the
 * application configured it, otherwise a {@link StrictJsonb} (JSON-B's defaults, with numbers, booleans and chars
 * read strictly) that the library makes and closes. The bean's instance is the container's to dispose of.
 */
final class ApplicationJsonb {
    private final Jsonb jsonb;
    /** The class of the application's bean, or empty for the library's own instance. */
    private final Optional<Class<?>> beanClass;

    private ApplicationJsonb(Jsonb jsonb, Optional<Class<?>> beanClass) {
        this.jsonb = jsonb;
        this.beanClass = beanClass;
    }

    /**
     * The application's {@code @ServiceJsonb Jsonb} bean, or a {@link StrictJsonb} of the library's own when the
     * application has none.
     *
     * @throws IllegalStateException when the application has several {@code @ServiceJsonb Jsonb} beans
     */
    static ApplicationJsonb resolve(Instance<Jsonb> beans) {
        if (beans.isAmbiguous()) {
            String candidates = beans.handlesStream().map(handle -> handle.getBean().getBeanClass().getName())
                    .sorted().collect(Collectors.joining(", "));
            throw new IllegalStateException("The application has several jakarta.json.bind.Jsonb beans qualified "
                    + "@ServiceJsonb (" + candidates + "); keep one: it writes and reads every service call");
        }
        if (beans.isUnsatisfied()) {
            return new ApplicationJsonb(StrictJsonb.create(), Optional.empty());
        }
        Instance.Handle<Jsonb> handle = beans.getHandle();
        return new ApplicationJsonb(handle.get(), Optional.of(handle.getBean().getBeanClass()));
    }

    Jsonb jsonb() {
        return jsonb;
    }

    /** The class of the application's {@code @ServiceJsonb} bean; empty when the library uses its own instance. */
    Optional<Class<?>> beanClass() {
        return beanClass;
    }

    /**
     * Closes the library's own instance; leaves the application's bean to the container. Not AutoCloseable: it
     * throws what {@link Jsonb#close()} declares, InterruptedException included, which no try-with-resources
     * should hide; the runtime closes it with its other resources.
     */
    void close() throws Exception {
        if (beanClass.isEmpty()) {
            jsonb.close();
        }
    }
}
