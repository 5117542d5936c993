package io.brubeck.service.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.stream.Collectors;

/**
 * The JSON-B instance that writes and binds the arguments, bodies, payloads and handler parameters of an
 * application's services: the application's own {@code Jsonb} bean when it has one (so that its naming,
 * adapters and serializers apply to service calls as they do elsewhere in the application), otherwise one
 * with JSON-B's defaults that the library makes and closes.
 */
final class ApplicationJsonb implements AutoCloseable {
    private final Jsonb jsonb;
    /** What releases the instance: closes the library's own, destroys a dependent bean's, leaves any other alone. */
    private final AutoCloseable release;

    private ApplicationJsonb(Jsonb jsonb, AutoCloseable release) {
        this.jsonb = jsonb;
        this.release = release;
    }

    /**
     * The application's {@code @Default Jsonb} bean, or a JSON-B instance of the library's own when the
     * application has none.
     *
     * @throws IllegalStateException when the application has several {@code @Default Jsonb} beans
     */
    static ApplicationJsonb resolve(Instance<Jsonb> beans) {
        if (beans.isAmbiguous()) {
            String candidates = beans.handlesStream().map(handle -> describe(handle.getBean()))
                    .sorted().collect(Collectors.joining(", "));
            throw new IllegalStateException("The application has several jakarta.json.bind.Jsonb beans with the "
                    + "@Default qualifier (" + candidates + "); brubeck-service writes and reads service calls "
                    + "with the application's Jsonb bean, so give all but one of them a qualifier");
        }
        if (beans.isUnsatisfied()) {
            Jsonb own = JsonbBuilder.create();
            return new ApplicationJsonb(own, own);
        }
        Instance.Handle<Jsonb> handle = beans.getHandle();
        boolean dependent = handle.getBean().getScope() == Dependent.class;
        return new ApplicationJsonb(handle.get(), dependent ? handle::destroy : () -> { });
    }

    Jsonb jsonb() {
        return jsonb;
    }

    @Override
    public void close() throws Exception {
        release.close();
    }

    private static String describe(Bean<?> bean) {
        return bean.getBeanClass().getName();
    }
}
