module github.com/govstackbb/marketplace/services/workflow

go 1.26.8

replace (
	github.com/govstackbb/marketplace/platform => ../../platform
	github.com/govstackbb/marketplace/proto => ../../proto
)

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/govstackbb/marketplace/platform v0.0.0 // indirect
)
