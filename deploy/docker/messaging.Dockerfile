# The Messaging BB (e-mail over SMTP, SMS through a provider) on its own: built with GOWORK=off from the repository root, exactly as a partner
# government builds one BB. Build: docker build -f deploy/docker/messaging.Dockerfile .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY proto/ proto/
COPY platform/ platform/
COPY services/messaging/ services/messaging/
WORKDIR /src/services/messaging
ENV GOWORK=off CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/messaging ./cmd/messaging

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/messaging /usr/local/bin/messaging
USER nonroot
EXPOSE 9094
ENTRYPOINT ["/usr/local/bin/messaging"]
CMD ["serve"]
