package com.castiel.sync.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardingAdapterTest {

    /** Every method a decorator could forget: the interface's own, abstract and default alike. */
    private static List<Method> adapterMethods() {
        return Arrays.stream(ProviderAdapter.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
    }

    @Test
    void every_adapter_method_is_overridden_so_none_falls_back_to_the_interface_default() throws Exception {
        for (Method m : adapterMethods()) {
            Method declared = ForwardingAdapter.class.getMethod(m.getName(), m.getParameterTypes());
            assertThat(declared.getDeclaringClass()).as(m.getName()).isEqualTo(ForwardingAdapter.class);
        }
    }

    @Test
    void every_call_reaches_the_delegate_with_its_arguments_and_returns_its_answer() throws Exception {
        List<String> calls = new ArrayList<>();
        Object marker = new Object();
        InvocationHandler recorder = (proxy, method, args) -> {
            calls.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
            return answerFor(method.getReturnType(), marker);
        };
        ProviderAdapter delegate = (ProviderAdapter) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ProviderAdapter.class}, recorder);
        ForwardingAdapter forwarding = new ForwardingAdapter(delegate) { };

        for (Method m : adapterMethods()) {
            Object[] args = new Object[m.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = argumentFor(m.getParameterTypes()[i], i);
            }
            calls.clear();
            Object answer = m.invoke(forwarding, args);

            assertThat(calls).as(m.getName()).containsExactly(m.getName() + Arrays.toString(args));
            if (m.getReturnType() != void.class) {
                assertThat(answer).as(m.getName()).isEqualTo(answerFor(m.getReturnType(), marker));
            }
        }
    }

    private static Object argumentFor(Class<?> type, int position) {
        if (type == String.class) {
            return "arg-" + position;
        }
        if (type == List.class) {
            return List.of("arg-" + position);
        }
        // records and other SPI types: a null stands in; only the identity of what is passed matters
        return null;
    }

    private static Object answerFor(Class<?> type, Object marker) {
        if (type == int.class) {
            return 42;
        }
        if (type == Set.class) {
            return Set.of(Capability.values()[0]);
        }
        if (type == List.class) {
            return List.of(marker);
        }
        return null;
    }
}
