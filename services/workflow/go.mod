module github.com/govstackbb/marketplace/services/workflow

go 1.26.8

require (
	github.com/expr-lang/expr v1.17.8
	github.com/robfig/cron/v3 v3.0.1
)
