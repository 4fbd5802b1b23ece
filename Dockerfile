# Alert Relay and the demo order service (one image; APP_ROLES picks the role). Multi-stage: build with the
# Maven wrapper on a JDK, run on a JRE as a non-root user.
#
# The base images are build arguments so CI can build this file without a registry (ContainerStackIT builds
# local Debian-based ones: --build-arg BUILD_IMAGE=... --build-arg RUNTIME_IMAGE=...). The defaults are the
# images users pull; the runtime image needs bash, groupadd and useradd.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-noble

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src/ src/
# Tests run in CI (`bash .ci/run`), not in the image build. Spring Boot's layers (dependencies change less
# often than the application) become separate image layers below.
RUN ./mvnw -B -ntp -q -DskipTests package \
 && java -Djarmode=tools -jar target/alert-relay-*.jar extract --layers --launcher --destination target/extracted

FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 relay \
 && useradd --system --uid 10001 --gid relay --home-dir /app --shell /usr/sbin/nologin relay \
 && mkdir -p /data && chown relay:relay /data
WORKDIR /app
COPY --from=build /src/target/extracted/dependencies/ ./
COPY --from=build /src/target/extracted/spring-boot-loader/ ./
COPY --from=build /src/target/extracted/snapshot-dependencies/ ./
COPY --from=build /src/target/extracted/application/ ./
USER relay
ENV RELAY_DATADIR=/data \
    SERVER_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /data
EXPOSE 8080
# Ready = the app is up and its store answers. Neither curl nor wget is needed: bash's /dev/tcp speaks the
# one HTTP/1.0 request and the status line is checked.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
