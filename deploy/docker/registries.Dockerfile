# The Digital Registries BB on its own: built with GOWORK=off from the repository root, exactly as a partner
# government builds one BB. Build: docker build -f deploy/docker/registries.Dockerfile .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY proto/ proto/
COPY platform/ platform/
COPY services/registries/ services/registries/
WORKDIR /src/services/registries
ENV GOWORK=off CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/registries ./cmd/registries

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/registries /usr/local/bin/registries
USER nonroot
EXPOSE 9092
ENTRYPOINT ["/usr/local/bin/registries"]
CMD ["serve"]
