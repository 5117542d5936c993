package io.brubeck.service.cdi;

import jakarta.enterprise.event.Reception;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.EventContext;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Set;

/**
 * An observer of the application's start, as the container made it, that runs an action when it throws
 * and then lets the exception go on unchanged, so the start fails just as it would have.
 */
final class GuardedStartObserver<T> implements ObserverMethod<T> {
    private final ObserverMethod<T> observer;
    private final Runnable onFailure;

    GuardedStartObserver(ObserverMethod<T> observer, Runnable onFailure) {
        this.observer = observer;
        this.onFailure = onFailure;
    }

    @Override
    public void notify(EventContext<T> context) {
        guarded(() -> observer.notify(context));
    }

    @Override
    public void notify(T event) {
        guarded(() -> observer.notify(event));
    }

    private void guarded(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException | Error e) {
            onFailure.run();
            throw e;
        }
    }

    @Override
    public Class<?> getBeanClass() {
        return observer.getBeanClass();
    }

    @Override
    public Bean<?> getDeclaringBean() {
        return observer.getDeclaringBean();
    }

    @Override
    public Type getObservedType() {
        return observer.getObservedType();
    }

    @Override
    public Set<Annotation> getObservedQualifiers() {
        return observer.getObservedQualifiers();
    }

    @Override
    public Reception getReception() {
        return observer.getReception();
    }

    @Override
    public TransactionPhase getTransactionPhase() {
        return observer.getTransactionPhase();
    }

    @Override
    public int getPriority() {
        return observer.getPriority();
    }

    @Override
    public boolean isAsync() {
        return observer.isAsync();
    }

    @Override
    public String toString() {
        return observer.toString();
    }
}
