# Any building block on its own, built with GOWORK=off from the repository root, exactly as a partner
# government builds one BB:
#   docker build -f deploy/docker/bb.Dockerfile --build-arg BB=registries -t govstack/registries:dev .
# BB is a name of proto/govstack/catalog: the module services/<BB>, its command cmd/<BB>. COMMAND builds
# another command of that module instead (default: the BB's own), e.g. the payment rail simulator:
#   docker build -f deploy/docker/bb.Dockerfile --build-arg BB=payments --build-arg COMMAND=railsim -t govstack/railsim:dev .
# The build copies only what that module needs (proto/, platform/ and the module; tests/deploy checks this
# against each module's go.mod). The gateway differs (its data directory, its ports): gateway.Dockerfile.
FROM golang:1.26-bookworm AS build
ARG BB
ARG COMMAND=${BB}
RUN test -n "${BB}" || { echo "bb.Dockerfile: pass the building block, --build-arg BB=<a BB of proto/govstack/catalog>" >&2; exit 1; }
WORKDIR /src
COPY proto/ proto/
COPY platform/ platform/
COPY services/${BB}/ services/${BB}/
WORKDIR /src/services/${BB}
ENV GOWORK=off CGO_ENABLED=0
RUN mkdir -p /out/bin && go build -trimpath -ldflags="-s -w" -o /out/bin/${COMMAND} ./cmd/${COMMAND} && ln -s ${COMMAND} /out/bin/bb

# The binary is /usr/local/bin/${COMMAND}, by default ${BB} (what operators type: docker compose exec registries
# /usr/local/bin/registries …) and /usr/local/bin/bb, a symbolic link to it. ENTRYPOINT names the link
# because it cannot name ${COMMAND}: its exec form (JSON) expands no variables, and its shell form would need
# /bin/sh, which distroless has not. The fixed path also lets compose and Kubernetes share one health check
# and liveness probe for every BB: /usr/local/bin/bb healthcheck.
FROM gcr.io/distroless/static-debian12:nonroot
ARG BB
LABEL org.opencontainers.image.title="govstack ${BB}"
COPY --from=build /out/bin/ /usr/local/bin/
USER nonroot
# The gRPC and metrics ports are GOVSTACK_GRPC_ADDR and GOVSTACK_METRICS_ADDR (default: the catalog's port
# on 127.0.0.1, and off): compose and deploy/k8s set them.
ENTRYPOINT ["/usr/local/bin/bb"]
CMD ["serve"]
