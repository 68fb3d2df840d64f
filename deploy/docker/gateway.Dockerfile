# The gateway (Information Mediator), built with GOWORK=off from the repository root.
# Build: docker build -f deploy/docker/gateway.Dockerfile .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY proto/ proto/
COPY platform/ platform/
COPY gateway/ gateway/
WORKDIR /src/gateway
ENV GOWORK=off CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/gateway ./cmd/gateway
# GOVSTACK_DATA_DIR holds the message log's signing key; the image creates it owned by nonroot so a volume
# mounted there is writable.
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gateway /usr/local/bin/gateway
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/govstack
USER nonroot
ENV GOVSTACK_DATA_DIR=/var/lib/govstack
EXPOSE 8080 9090 3333
ENTRYPOINT ["/usr/local/bin/gateway"]
CMD ["serve"]
