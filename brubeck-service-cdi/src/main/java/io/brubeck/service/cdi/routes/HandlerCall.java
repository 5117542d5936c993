package io.brubeck.service.cdi.routes;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.UndeclaredThrowableException;

/** Calls a handler's prebuilt method handle, letting the handler's own exceptions through as they are. */
final class HandlerCall {

    private HandlerCall() {
    }

    static Object invoke(MethodHandle invoker, Object target, Object[] arguments) throws Exception {
        try {
            return (Object) invoker.invokeExact(target, arguments);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }
}
