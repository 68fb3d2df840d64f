module github.com/govstackbb/marketplace/services/workflow

go 1.26.8

replace (
	github.com/govstackbb/marketplace/platform => ../../platform
	github.com/govstackbb/marketplace/proto => ../../proto
)
