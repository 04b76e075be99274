package com.castiel.sync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a forwarding base class against the interface it forwards: it overrides every method
 * (so none falls back to an interface default), and each call reaches the delegate once with
 * its arguments and returns the delegate's answer.
 */
public final class ForwardingCheck {

    private ForwardingCheck() {
    }

    public static <I> void assertForwardsEveryMethod(Class<I> iface, Class<? extends I> base, Function<I, ? extends I> wrap)
            throws Exception {
        List<Method> methods = Arrays.stream(iface.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
        assertThat(methods).isNotEmpty();
        for (Method m : methods) {
            Method declared = base.getMethod(m.getName(), m.getParameterTypes());
            assertThat(declared.getDeclaringClass()).as("%s overrides %s", base.getSimpleName(), m.getName()).isEqualTo(base);
        }

        List<String> calls = new ArrayList<>();
        I delegate = iface.cast(Proxy.newProxyInstance(ForwardingCheck.class.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> {
                    calls.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
                    return answerFor(method.getReturnType());
                }));
        I forwarding = wrap.apply(delegate);
        for (Method m : methods) {
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = argumentFor(m.getParameterTypes()[i], i);
            }
            calls.clear();
            Object answer;
            try {
                answer = m.invoke(forwarding, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(m.getName() + " threw instead of forwarding", e.getCause());
            }
            assertThat(calls).as(m.getName()).containsExactly(m.getName() + Arrays.toString(args));
            if (m.getReturnType() != void.class) {
                assertThat(answer).as(m.getName()).isEqualTo(answerFor(m.getReturnType()));
            }
        }
    }

    /** Distinct, recognisable values for the argument types the ports and the SPI use; null for value types. */
    private static Object argumentFor(Class<?> type, int position) {
        if (type == String.class) {
            return "arg-" + position;
        }
        if (type == int.class) {
            return 100 + position;
        }
        if (type == long.class) {
            return 1000L + position;
        }
        if (type == List.class || type == Collection.class) {
            return List.of("arg-" + position);
        }
        return null;
    }

    private static Object answerFor(Class<?> type) {
        if (type == int.class) {
            return 42;
        }
        if (type == long.class) {
            return 4242L;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == List.class) {
            return List.of("answer");
        }
        if (type == Set.class) {
            return Set.of("answer");
        }
        if (type == Map.class) {
            return Map.of("answer", "value");
        }
        if (type == Optional.class) {
            return Optional.of("answer");
        }
        return null;
    }
}
