package usertoken

// Temporary: keeps go-jose in go.mod until the verifier uses it.
import _ "github.com/go-jose/go-jose/v4"
