# The Scheduling BB (slots, appointments, timers) on its own: built with GOWORK=off from the repository root, exactly as a partner
# government builds one BB. Build: docker build -f deploy/docker/scheduling.Dockerfile .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY proto/ proto/
COPY platform/ platform/
COPY services/scheduling/ services/scheduling/
WORKDIR /src/services/scheduling
ENV GOWORK=off CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/scheduling ./cmd/scheduling

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/scheduling /usr/local/bin/scheduling
USER nonroot
EXPOSE 9096
ENTRYPOINT ["/usr/local/bin/scheduling"]
CMD ["serve"]
