module github.com/govstackbb/marketplace

go 1.26.8

require (
	github.com/govstackbb/marketplace/gateway v0.0.0
	github.com/govstackbb/marketplace/platform v0.0.0
	github.com/govstackbb/marketplace/proto v0.0.0
	github.com/govstackbb/marketplace/services/registries v0.0.0
)

require (
	golang.org/x/sync v0.25.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace (
	github.com/govstackbb/marketplace/gateway => ./gateway
	github.com/govstackbb/marketplace/platform => ./platform
	github.com/govstackbb/marketplace/proto => ./proto
	github.com/govstackbb/marketplace/services/registries => ./services/registries
)
