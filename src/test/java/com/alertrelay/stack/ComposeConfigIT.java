package com.alertrelay.stack;

import com.alertrelay.testsupport.RequiredTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose config} (Debian's docker-compose validates without a Docker engine) as a user meets it:
 * with .env.example copied as is it refuses and says how to create .env; with the .env that the README's command
 * ({@code ./scripts/create-env.sh}) creates it accepts, with a random value per secret. And that the stack mounts
 * the very files the other config tests check.
 */
class ComposeConfigIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SECRETS = List.of("RELAY_WEBHOOK_BEARER_TOKEN", "RELAY_ADMIN_TOKEN",
            "GRAFANA_ADMIN_PASSWORD");
    /** Unset for compose: a variable of the shell that runs compose would win over the env file. */
    private static final List<String> STACK_VARIABLES = Stream.concat(SECRETS.stream(),
            Stream.of("ORDER_TRAFFIC_RATE")).toList();
    /** The command the README tells users to run in the repository, and compose's refusal points to. */
    private static final String CREATE_ENV = "scripts/create-env.sh";
    private static final String HOW_TO_FIX = " is not set. Run ./" + CREATE_ENV
            + " to create .env with random secrets (README, Demo stack)";
    /** A .env copied from .env.example before the secrets were generated (its values until issue 12). */
    private static final String OLD_EXAMPLE_ENV = """
            RELAY_WEBHOOK_BEARER_TOKEN=change-me-webhook-token
            RELAY_ADMIN_TOKEN=change-me-admin-token
            GRAFANA_ADMIN_PASSWORD=change-me-grafana
            ORDER_TRAFFIC_RATE=2
            """;

    @TempDir
    static Path shared;
    /** A .env made by the README's command, once for the tests that need a valid stack. */
    private static Path createdEnv;

    @BeforeAll
    static void createEnvLikeAUser() {
        Path checkout = checkout(shared.resolve("checkout"));
        createEnv(checkout).assertSuccess();
        createdEnv = checkout.resolve(".env");
    }

    @Test
    void withTheExampleEnvFileAsItIsComposeRefusesAndSaysHowToCreateTheSecrets() {
        Map<String, String> example = readEnv(Repository.ENV_EXAMPLE);
        for (String secret : SECRETS) {
            assertThat(example).as(".env.example gives no usable value").containsEntry(secret, "");
        }

        Command config = compose(Repository.ENV_EXAMPLE, "config", "-q");

        assertThat(config.exitCode()).isNotZero();
        assertThat(config.output()).containsPattern(refusal("(" + String.join("|", SECRETS) + ")"));
    }

    @ParameterizedTest
    @FieldSource("SECRETS")
    void composeNamesEverySecretThatIsEmpty(String secret, @TempDir Path dir) throws IOException {
        Map<String, String> env = readEnv(createdEnv);
        env.put(secret, "");
        Path envFile = writeEnv(dir.resolve(".env"), env);

        Command config = compose(envFile, "config", "-q");

        assertThat(config.exitCode()).isNotZero();
        assertThat(config.output()).containsPattern(refusal(secret));
    }

    @Test
    void theReadmeCommandGivesEverySecretItsOwnRandomValueAndComposeAcceptsIt(@TempDir Path dir) {
        Map<String, String> created = readEnv(createdEnv);
        createEnv(checkout(dir)).assertSuccess();
        Map<String, String> again = readEnv(dir.resolve(".env"));

        List<String> values = new ArrayList<>();
        for (String secret : SECRETS) {
            assertThat(created.get(secret)).as(secret).matches("[0-9a-f]{48}").doesNotContain("change-me");
            assertThat(again.get(secret)).as(secret + " of a second run").isNotEqualTo(created.get(secret));
            values.add(created.get(secret));
        }
        assertThat(values).doesNotHaveDuplicates();
        // everything else is .env.example, comments and order included
        assertThat(Repository.read(createdEnv).replaceAll("(?m)^(" + String.join("|", SECRETS) + ")=.*$", "$1="))
                .isEqualTo(Repository.read(Repository.ENV_EXAMPLE));
        assertOwnerOnly(createdEnv);

        Map<String, Map<String, Object>> services = services();
        assertThat(env(services, "alert-relay"))
                .containsEntry("RELAY_WEBHOOK_BEARER_TOKEN", created.get("RELAY_WEBHOOK_BEARER_TOKEN"))
                .containsEntry("RELAY_ADMIN_TOKEN", created.get("RELAY_ADMIN_TOKEN"));
        assertThat(env(services, "grafana"))
                .containsEntry("GF_SECURITY_ADMIN_PASSWORD", created.get("GRAFANA_ADMIN_PASSWORD"));
    }

    @Test
    void theReadmeCommandNeverOverwritesAnExistingEnvFile(@TempDir Path dir) throws IOException {
        Path checkout = checkout(dir);
        String mine = "RELAY_ADMIN_TOKEN=my-own-token\n";
        Files.writeString(checkout.resolve(".env"), mine);

        Command create = createEnv(checkout);

        assertThat(create.exitCode()).isNotZero();
        assertThat(create.output()).contains(".env already exists");
        assertThat(Repository.read(checkout.resolve(".env"))).isEqualTo(mine);
        try (Stream<Path> files = Files.list(checkout)) {
            assertThat(files.map(file -> file.getFileName().toString())).as("no temporary file left behind")
                    .containsExactlyInAnyOrder(".env", ".env.example", "scripts");
        }
    }

    /**
     * An .env copied from an older .env.example holds {@code change-me-*} values that interpolation cannot tell
     * from secrets; the one-shot {@code secrets-check} service refuses them before any service that gets a secret
     * starts. No engine here, so its command runs with the environment compose resolved for it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aSecretStillHoldingAnOldExampleValueStopsTheStack(@TempDir Path dir) throws IOException {
        Path oldEnv = Files.writeString(dir.resolve(".env"), OLD_EXAMPLE_ENV);

        Command refused = runSecretsCheck(services(oldEnv).get("secrets-check"));

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("RELAY_WEBHOOK_BEARER_TOKEN=change-me", "RELAY_ADMIN_TOKEN=change-me",
                "GRAFANA_ADMIN_PASSWORD=change-me", "./" + CREATE_ENV);

        Map<String, Map<String, Object>> services = services();
        runSecretsCheck(services.get("secrets-check")).assertSuccess();
        Set<Object> secretValues = new HashSet<>(env(services, "secrets-check").values());
        assertThat(secretValues).hasSize(SECRETS.size());
        List<String> holdingASecret = new ArrayList<>();
        services.forEach((name, service) -> {
            Map<String, Object> environment = env(services, name);
            if (!name.equals("secrets-check") && environment != null
                    && environment.values().stream().anyMatch(secretValues::contains)) {
                holdingASecret.add(name);
                assertThat((Map<String, Object>) service.get("depends_on")).as(name + " waits for secrets-check")
                        .containsEntry("secrets-check", Map.of("condition", "service_completed_successfully"));
            }
        });
        assertThat(holdingASecret).contains("alert-relay", "order-service", "alertmanager-token", "grafana");
    }

    @Test
    void theStackHasItsServicesOnPinnedImagesAndTheAppsRunAsTwoRoles() {
        Map<String, Map<String, Object>> services = services();

        assertThat(services.keySet()).containsAll(Set.of("prometheus", "alertmanager", "grafana", "node-exporter",
                "order-service", "alert-relay"));
        services.forEach((name, service) -> {
            if (service.containsKey("build")) {
                return;
            }
            String image = (String) service.get("image");
            assertThat(image).as(name).matches(".+:v?\\d+\\.\\d+\\.\\d+");
        });
        assertThat(env(services, "alert-relay")).containsEntry("APP_ROLES", "relay");
        assertThat(env(services, "order-service")).containsEntry("APP_ROLES", "orders")
                .containsEntry("ORDER_TRAFFIC_RATE", "2");
        assertThat(services.get("alert-relay")).containsKey("build");
        assertThat(services.get("order-service")).containsKey("build");
    }

    @Test
    void theRelayHasARouteForEveryAlertmanagerReceiver() {
        Map<String, Object> relay = env(services(), "alert-relay");

        for (String route : AlertmanagerConfigIT.relayRoutes()) {
            if (!route.equals("default")) {
                assertThat(relay).as("relay route " + route)
                        .containsKey("RELAY_ROUTES_" + route.toUpperCase().replace('-', '_') + "_CHANNELS");
            }
        }
    }

    @Test
    void theStackMountsTheCheckedFiles() {
        Map<String, Map<String, Object>> services = services();

        assertThat(volumes(services, "prometheus")).contains(Repository.ROOT.resolve("prometheus") + ":/etc/prometheus:ro");
        assertThat((List<String>) command(services, "prometheus")).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat(volumes(services, "alertmanager"))
                .contains(Repository.ALERTMANAGER_CONFIG + ":/etc/alertmanager/alertmanager.yml:ro")
                .contains("alertmanager-secrets:/etc/alertmanager/secrets:ro");
        assertThat(command(services, "alertmanager")).contains("--config.file=/etc/alertmanager/alertmanager.yml");
        assertThat(volumes(services, "alertmanager-token")).contains("alertmanager-secrets:/secrets:rw");
        assertThat(volumes(services, "grafana"))
                .contains(Repository.ROOT.resolve("grafana/provisioning") + ":/etc/grafana/provisioning:ro")
                .contains(Repository.ROOT.resolve("grafana/dashboards") + ":/etc/grafana/dashboards:ro");
        assertThat(Repository.read(Repository.ROOT.resolve("grafana/provisioning/dashboards/dashboards.yml")))
                .contains("path: /etc/grafana/dashboards");
        // prometheus.yml scrapes the compose services by name
        assertThat(Repository.read(Repository.PROMETHEUS_CONFIG)).contains("\"order-service:8080\"",
                "\"alert-relay:8080\"", "\"alertmanager:9093\"", "\"node-exporter:9100\"");
    }

    @Test
    void theImageRunsAsANonRootUserWithAReadinessHealthcheck() {
        String dockerfile = Repository.read(Repository.ROOT.resolve("Dockerfile"));

        assertThat(dockerfile).containsPattern("(?m)^USER relay$").containsPattern("(?m)^HEALTHCHECK ")
                .contains("/actuator/health/readiness");
    }

    /**
     * Compose's error message for an unset secret, at the end of a line (compose v1 also prints the service's
     * whole uninterpolated environment, where every secret's message appears inside its {@code ${...}}).
     */
    private static String refusal(String secretPattern) {
        return "(?m)(^|: )" + secretPattern + Pattern.quote(HOW_TO_FIX) + "$";
    }

    private static Command compose(Path envFile, String... arguments) {
        String[] all = new String[arguments.length + 4];
        all[0] = "-f";
        all[1] = Repository.COMPOSE_FILE.toString();
        all[2] = "--env-file";
        all[3] = envFile.toString();
        System.arraycopy(arguments, 0, all, 4, arguments.length);
        return Command.run(Repository.ROOT, TIMEOUT, STACK_VARIABLES, RequiredTool.DOCKER_COMPOSE.require(), all);
    }

    private static Map<String, Map<String, Object>> services() {
        return services(createdEnv);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(Path envFile) {
        String resolved = compose(envFile, "config").assertSuccess().output();
        Map<String, Object> config = (Map<String, Object>) new Yaml(new LoaderOptions()).load(resolved);
        return (Map<String, Map<String, Object>>) config.get("services");
    }

    /**
     * The parts of the repository the README's command uses, copied into {@code dir} with the same layout
     * (script with its executable bit) — never run in the repository itself, whose .env may be a developer's.
     */
    private static Path checkout(Path dir) {
        try {
            Files.createDirectories(dir.resolve("scripts"));
            Files.copy(Repository.ROOT.resolve(CREATE_ENV), dir.resolve(CREATE_ENV), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(Repository.ENV_EXAMPLE, dir.resolve(".env.example"), StandardCopyOption.COPY_ATTRIBUTES);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ./scripts/create-env.sh} in {@code checkout}, as the README says. */
    private static Command createEnv(Path checkout) {
        return Command.run(checkout, TIMEOUT, STACK_VARIABLES, checkout.resolve(CREATE_ENV));
    }

    /** Runs the secrets-check service's command here, with (only) the environment compose resolved for it. */
    @SuppressWarnings("unchecked")
    private static Command runSecretsCheck(Map<String, Object> service) {
        List<String> arguments = new ArrayList<>(List.of("-i", "PATH=/usr/bin:/bin"));
        ((Map<String, Object>) service.get("environment")).forEach((name, value) -> arguments.add(name + "=" + value));
        arguments.addAll((List<String>) service.get("command"));
        return Command.run(Repository.ROOT, TIMEOUT, Path.of("/usr/bin/env"), arguments.toArray(String[]::new));
    }

    /** NAME=value lines of an env file, in order; comments and blank lines left out. */
    private static Map<String, String> readEnv(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Repository.read(file).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int equals = line.indexOf('=');
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return env;
    }

    private static Path writeEnv(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        return Files.writeString(file, text);
    }

    private static void assertOwnerOnly(Path file) {
        try {
            assertThat(Files.getPosixFilePermissions(file)).as(file + " readable by its owner only")
                    .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Map<String, Object>> services, String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(Map<String, Map<String, Object>> services, String service) {
        return (List<String>) services.get(service).get("volumes");
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Map<String, Object>> services, String service) {
        return (List<String>) services.get(service).get("command");
    }
}
