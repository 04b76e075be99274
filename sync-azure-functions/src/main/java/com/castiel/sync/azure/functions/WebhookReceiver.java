package com.castiel.sync.azure.functions;

import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookResponse;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code POST /api/webhooks/{provider}/{endpointKey}}: hands the raw request to the engine's
 * webhook intake, which resolves the integration (and so the tenant) from the endpoint key,
 * verifies the provider's signature on the raw body, answers handshakes and queues verified
 * changes. Request headers never choose the tenant. Anonymous at the Functions level: providers
 * cannot send function keys; the unguessable endpoint key and the signature are the protection.
 */
public final class WebhookReceiver {

    private final Supplier<FunctionsRuntime> runtime;

    public WebhookReceiver() {
        this(FunctionsRuntime::shared);
    }

    WebhookReceiver(Supplier<FunctionsRuntime> runtime) {
        this.runtime = runtime;
    }

    @FunctionName("WebhookReceiver")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "webhooks/{provider}/{endpointKey}", dataType = "binary") HttpRequestMessage<Optional<byte[]>> request,
            @BindingName("provider") String provider,
            @BindingName("endpointKey") String endpointKey,
            ExecutionContext context) {
        FunctionsRuntime rt = runtime.get();
        WebhookRequest webhook = new WebhookRequest(request.getHttpMethod().name(), multi(request.getHeaders()),
                multi(request.getQueryParameters()), request.getBody().orElse(new byte[0]), rt.clock().instant());
        WebhookResponse answer = rt.engine().webhookIntake().receive(provider, endpointKey, webhook);
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatusType.custom(answer.status()));
        if (answer.contentType() != null) {
            response.header("Content-Type", answer.contentType());
        }
        return response.body(answer.body()).build();
    }

    private static Map<String, List<String>> multi(Map<String, String> single) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (single != null) {
            single.forEach((k, v) -> out.put(k, List.of(v)));
        }
        return out;
    }
}
