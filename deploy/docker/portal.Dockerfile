# The portal (web/), built with GOWORK=off from the repository root. Its styles and scripts are embedded
# (built from npm by web/assets/build.sh and committed), so the build needs neither npm nor the network
# beyond the Go module proxy.
# Build: docker build -f deploy/docker/portal.Dockerfile -t govstack/portal:dev .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY platform/ platform/
COPY web/ web/
WORKDIR /src/web
ENV GOWORK=off CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/portal ./cmd/portal

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portal /usr/local/bin/portal
USER nonroot
EXPOSE 8081
ENTRYPOINT ["/usr/local/bin/portal"]
CMD ["serve"]
