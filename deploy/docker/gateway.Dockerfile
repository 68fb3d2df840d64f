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

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gateway /usr/local/bin/gateway
USER nonroot
EXPOSE 8080 3333
ENTRYPOINT ["/usr/local/bin/gateway"]
CMD ["serve"]
