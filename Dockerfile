# Build the jar first: mvn -B -DskipTests package
FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --home-dir /app --create-home stopsign
WORKDIR /app
COPY target/lib/ /app/lib/
COPY target/stopsign.jar /app/stopsign.jar
COPY conf/ /app/conf/
USER 10001
ENV HOME=/app
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-jar", "/app/stopsign.jar"]
CMD ["run", "--config", "/app/conf/stopsign.yaml"]
