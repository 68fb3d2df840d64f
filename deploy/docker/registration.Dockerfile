# The Registration BB (accounts, sign-in and token keys, GovStack e-services) on its own: built with GOWORK=off
# from the repository root, exactly as a partner government builds one BB.
# Build: docker build -f deploy/docker/registration.Dockerfile .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY proto/ proto/
COPY platform/ platform/
COPY services/registration/ services/registration/
WORKDIR /src/services/registration
ENV GOWORK=off CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/registration ./cmd/registration

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/registration /usr/local/bin/registration
USER nonroot
EXPOSE 9091
ENTRYPOINT ["/usr/local/bin/registration"]
CMD ["serve"]
