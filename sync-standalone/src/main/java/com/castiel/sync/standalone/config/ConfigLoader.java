package com.castiel.sync.standalone.config;

import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.FrequencyType;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.schedule.SyncSchedule;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates the standalone configuration (YAML). Every problem found is reported, each
 * as {@code file: key: message}, in one {@link ConfigException}: syntax errors with line and
 * column, unknown keys (with the accepted ones), wrong types, unset environment variables,
 * missing required keys, bad cron expressions, duplicate ids and endpoint keys, unknown
 * providers. Messages never contain credential values.
 *
 * <p>Thread-safe; stateless apart from its settings.
 */
public final class ConfigLoader {

    private static final Set<String> ROOT_KEYS = Set.of("dataDir", "server", "limits", "workers", "integrations");
    /** A dotted key at the start of a model validation message ({@code syncFrequency.intervalMinutes must…}). */
    private static final Pattern LEADING_KEY = Pattern.compile("^([A-Za-z]+(?:\\.[A-Za-z]+)+) (.*)$", Pattern.DOTALL);
    private static final Pattern ENDPOINT_KEY = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final int MAX_PORT = 65_535;

    private final ObjectMapper yaml;
    private final EnvironmentReferences references;
    private final Set<String> knownProviders;
    private final SyncSchedule schedule = new SyncSchedule();

    /**
     * @param environment looks up environment variables ({@code System::getenv} in production)
     * @param knownProviders provider ids with an adapter on the class path; {@code null} skips the check
     */
    public ConfigLoader(Function<String, String> environment, Collection<String> knownProviders) {
        this.references = new EnvironmentReferences(environment);
        this.knownProviders = knownProviders == null ? null : Set.copyOf(knownProviders);
        this.yaml = YAMLMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();
    }

    /**
     * Loads a file; the file name in messages is {@code file} as given.
     *
     * @throws ConfigException listing every problem
     */
    public StandaloneConfig load(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(name, "", "file not found"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(name, "", "cannot be read: " + e.getMessage()));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(name, bytes, base);
    }

    /**
     * Parses configuration text.
     *
     * @param name the file name shown in messages
     * @param baseDir directory a relative {@code dataDir} is resolved against; {@code null} keeps it relative
     * @throws ConfigException listing every problem
     */
    public StandaloneConfig parse(String name, byte[] text, Path baseDir) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new ConfigException(new ConfigProblem(name, "", where + "not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(name, "", "cannot be read: " + e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        List<ConfigProblem> problems = new ArrayList<>();
        if (!(root instanceof ObjectNode rootObject)) {
            throw new ConfigException(new ConfigProblem(name, "", "the file must be a YAML mapping with keys " + new TreeSet<>(ROOT_KEYS)));
        }
        references.resolve(rootObject, "", name, problems);
        for (Iterator<String> it = rootObject.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ROOT_KEYS.contains(key)) {
                problems.add(new ConfigProblem(name, key, "unknown key; expected one of " + new TreeSet<>(ROOT_KEYS)));
            }
        }
        Path dataDir = null;
        JsonNode dataDirNode = rootObject.get("dataDir");
        if (dataDirNode != null && !dataDirNode.isNull()) {
            if (!dataDirNode.isTextual() || dataDirNode.textValue().isBlank()) {
                problems.add(new ConfigProblem(name, "dataDir", "must be a directory path"));
            } else {
                Path p = Path.of(dataDirNode.textValue());
                dataDir = p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
            }
        }
        ServerSettings server = bind(rootObject.get("server"), ServerSettings.class, "server", name, problems);
        Limits limits = bind(rootObject.get("limits"), Limits.class, "limits", name, problems);
        WorkerSettings workers = bind(rootObject.get("workers"), WorkerSettings.class, "workers", name, problems);
        checkServer(server, name, problems);
        checkLimits(limits, name, problems);
        checkWorkers(workers, name, problems);

        List<IntegrationConfig> integrations = new ArrayList<>();
        JsonNode list = rootObject.get("integrations");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                problems.add(new ConfigProblem(name, "integrations", "must be a list of integrations"));
            } else {
                Map<String, String> ids = new HashMap<>();
                Map<String, String> endpointKeys = new HashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    String path = "integrations[" + i + "]";
                    IntegrationConfig ic = bind(list.get(i), IntegrationConfig.class, path, name, problems);
                    if (ic == null) {
                        continue;
                    }
                    int before = problems.size();
                    checkIntegration(ic, path, name, problems);
                    if (ic.id() != null) {
                        String earlier = ids.putIfAbsent(ic.id(), path);
                        if (earlier != null) {
                            problems.add(new ConfigProblem(name, path + ".id", "'" + ic.id() + "' is already the id of " + earlier
                                    + "; integration ids must be unique"));
                        }
                    }
                    if (ic.webhookEndpointKey() != null) {
                        String earlier = endpointKeys.putIfAbsent(ic.webhookEndpointKey(), path);
                        if (earlier != null) {
                            problems.add(new ConfigProblem(name, path + ".webhookEndpointKey", "is also the endpoint key of " + earlier
                                    + "; each integration needs its own"));
                        }
                    }
                    if (problems.size() == before) {
                        integrations.add(ic);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new StandaloneConfig(name, dataDir, server, limits, workers, integrations);
    }

    private <T> T bind(JsonNode node, Class<T> type, String path, String file, List<ConfigProblem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(new ConfigProblem(file, path, "must be a mapping of keys to values"));
            return null;
        }
        try {
            return yaml.treeToValue(node, type);
        } catch (JsonMappingException e) {
            problems.add(describe(e, path, file));
            return null;
        } catch (JacksonException e) {
            problems.add(new ConfigProblem(file, path, e.getOriginalMessage()));
            return null;
        }
    }

    /** Turns a binding failure into a keyed problem without echoing the offending value. */
    static ConfigProblem describe(JsonMappingException e, String prefix, String file) {
        StringBuilder key = new StringBuilder(prefix);
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                key.append(key.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                key.append('[').append(r.getIndex()).append(']');
            }
        }
        String path = key.toString();
        if (e instanceof UnrecognizedPropertyException u) {
            Set<String> known = new TreeSet<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            }
            return new ConfigProblem(file, path, "unknown key; expected one of " + known);
        }
        Throwable cause = e.getCause();
        if (e instanceof ValueInstantiationException || cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            Throwable root = cause != null ? cause : e;
            while (root.getCause() != null && root.getCause() != root && !(root instanceof IllegalArgumentException)) {
                root = root.getCause();
            }
            if (root instanceof NullPointerException && root.getMessage() != null) {
                return new ConfigProblem(file, join(path, lastSegment(root.getMessage())), "is required");
            }
            if (root.getMessage() != null) {
                return keyed(file, path, root.getMessage());
            }
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigProblem(file, path, "expected " + describeType(f.getTargetType()));
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new ConfigProblem(file, path, "expected " + describeType(m.getTargetType()));
        }
        return new ConfigProblem(file, path, e.getOriginalMessage());
    }

    /**
     * A model message that starts with its own dotted key ({@code syncFrequency.intervalMinutes must
     * be…}) is re-keyed under the parent path, so the key is named once and fully.
     */
    static ConfigProblem keyed(String file, String path, String message) {
        Matcher m = LEADING_KEY.matcher(message);
        if (m.matches()) {
            String own = m.group(1);
            String first = own.substring(0, own.indexOf('.'));
            String parent = path;
            if (path.equals(first) || path.endsWith("." + first)) {
                parent = path.substring(0, path.length() - first.length());
                parent = parent.endsWith(".") ? parent.substring(0, parent.length() - 1) : parent;
            }
            return new ConfigProblem(file, join(parent, own), m.group(2));
        }
        return new ConfigProblem(file, path, message);
    }

    private static String describeType(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                String wire = c instanceof com.castiel.sync.model.WireNamed w ? w.wire() : c.toString();
                values.append(values.isEmpty() ? "" : ", ").append(wire);
            }
            return "one of: " + values;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of keys to values";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 timestamp such as 2025-01-31T12:00:00Z";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String lastSegment(String s) {
        int dot = s.lastIndexOf('.');
        return dot < 0 ? s : s.substring(dot + 1);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void checkServer(ServerSettings s, String file, List<ConfigProblem> problems) {
        if (s == null) {
            return;
        }
        if (s.port() < 0 || s.port() > MAX_PORT) {
            problems.add(new ConfigProblem(file, "server.port", "must be between 0 and " + MAX_PORT + " (0 picks a free port)"));
        }
        if (s.maxWebhookBytes() < 1) {
            problems.add(new ConfigProblem(file, "server.maxWebhookBytes", "must be at least 1"));
        }
        if (!isAddressLiteral(s.bindAddress())) {
            problems.add(new ConfigProblem(file, "server.bindAddress", "must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0"));
        }
    }

    private static boolean isAddressLiteral(String address) {
        if (address.isEmpty() || !address.matches("[0-9A-Fa-f:.%a-zA-Z]+") || !(address.contains(".") || address.contains(":"))) {
            return false;
        }
        if (address.contains(".") && !address.contains(":") && !address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            // a literal is parsed without a name lookup
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void checkLimits(Limits l, String file, List<ConfigProblem> problems) {
        if (l == null) {
            return;
        }
        if (l.maxRecordsPerSync() < 0) {
            problems.add(new ConfigProblem(file, "limits.maxRecordsPerSync", "must be 0 (no limit) or more"));
        }
        if (l.maxConcurrentSyncs() < 1) {
            problems.add(new ConfigProblem(file, "limits.maxConcurrentSyncs", "must be at least 1"));
        }
    }

    private static void checkWorkers(WorkerSettings w, String file, List<ConfigProblem> problems) {
        if (w == null) {
            return;
        }
        if (w.schedulerTickSeconds() < 1) {
            problems.add(new ConfigProblem(file, "workers.schedulerTickSeconds", "must be at least 1"));
        }
        if (w.tokenRefreshMinutes() < 1) {
            problems.add(new ConfigProblem(file, "workers.tokenRefreshMinutes", "must be at least 1"));
        }
        if (w.shutdownGraceSeconds() < 0) {
            problems.add(new ConfigProblem(file, "workers.shutdownGraceSeconds", "must be 0 or more"));
        }
        if (w.maxWriteBackSessions() < 1) {
            problems.add(new ConfigProblem(file, "workers.maxWriteBackSessions", "must be at least 1"));
        }
    }

    private void checkIntegration(IntegrationConfig ic, String path, String file, List<ConfigProblem> problems) {
        if (ic.id() == null || ic.id().isBlank()) {
            problems.add(new ConfigProblem(file, path + ".id", "is required"));
        } else {
            try {
                IntegrationId.of(ic.id());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(file, path + ".id", e.getMessage()));
            }
        }
        if (ic.tenantId() == null || ic.tenantId().isBlank()) {
            problems.add(new ConfigProblem(file, path + ".tenantId", "is required"));
        } else {
            try {
                TenantId.of(ic.tenantId());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(file, path + ".tenantId", e.getMessage()));
            }
        }
        if (ic.provider() == null || ic.provider().isBlank()) {
            problems.add(new ConfigProblem(file, path + ".provider", "is required"));
        } else if (knownProviders != null && !knownProviders.contains(ic.provider())) {
            problems.add(new ConfigProblem(file, path + ".provider", "no adapter for provider '" + ic.provider()
                    + "' is on the class path; available: " + new TreeSet<>(knownProviders)));
        }
        if (ic.status() == IntegrationStatus.NEEDS_REAUTH) {
            problems.add(new ConfigProblem(file, path + ".status", "must be active or paused (needs_reauth is set by the engine)"));
        }
        if (ic.entityMappings().isEmpty()) {
            problems.add(new ConfigProblem(file, path + ".entityMappings", "at least one entity mapping is required"));
        }
        Set<String> entities = new HashSet<>();
        for (int m = 0; m < ic.entityMappings().size(); m++) {
            EntityMapping em = ic.entityMappings().get(m);
            String mp = path + ".entityMappings[" + m + "]";
            if (!entities.add(em.externalEntity())) {
                problems.add(new ConfigProblem(file, mp + ".externalEntity", "'" + em.externalEntity() + "' is mapped twice"));
            }
            if (em.fieldMappings().isEmpty()) {
                problems.add(new ConfigProblem(file, mp + ".fieldMappings", "at least one field mapping is required"));
            }
        }
        for (int f = 0; f < ic.pullFilters().size(); f++) {
            String entity = ic.pullFilters().get(f).entity();
            if (entity != null && !entities.contains(entity)) {
                problems.add(new ConfigProblem(file, path + ".pullFilters[" + f + "].entity", "'" + entity
                        + "' is not an externalEntity of this integration's entityMappings"));
            }
        }
        if (ic.syncFrequency() == null) {
            problems.add(new ConfigProblem(file, path + ".syncFrequency", "is required (type interval, cron or manual)"));
        } else if (ic.syncFrequency().type() == FrequencyType.CRON) {
            try {
                schedule.validate(ic.syncFrequency());
            } catch (IllegalArgumentException e) {
                problems.add(keyed(file, path, e.getMessage()));
            }
        }
        if (ic.webhookEndpointKey() != null && !ENDPOINT_KEY.matcher(ic.webhookEndpointKey()).matches()) {
            problems.add(new ConfigProblem(file, path + ".webhookEndpointKey",
                    "must be 16 to 128 characters of letters, digits, '-' and '_' (it is the secret part of the webhook URL)"));
        }
        String tokenKey = path + ".credentials.refreshToken";
        if (ic.credentials() != null && ic.credentials().refreshToken() != null && ic.credentials().refreshToken().isBlank()
                && problems.stream().noneMatch(p -> p.key().equals(tokenKey))) {
            problems.add(new ConfigProblem(file, tokenKey, "is empty"));
        }
        Objects.requireNonNull(ic.settings());
    }
}
