module github.com/govstackbb/marketplace/services/payments

go 1.26.8

replace github.com/govstackbb/marketplace/platform => ../../platform

require (
	github.com/google/uuid v1.6.0
	github.com/govstackbb/marketplace/platform v0.0.0
)

require (
	golang.org/x/sys v0.50.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20261110000943-09e21b237f2c // indirect
	google.golang.org/grpc v1.85.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)
