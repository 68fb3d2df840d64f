module github.com/govstackbb/marketplace/services/procurement

go 1.26.8
